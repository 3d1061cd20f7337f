import GRDB

/// A file written to the outbox, remembered so a moved output (a student in
/// a new class) replaces its old copy instead of leaving it behind.
public struct OutputFile: Sendable, Hashable {
    public var kind: String
    public var owner: String
    /// Relative to the outbox.
    public var path: String
    public var sha256: String

    public init(kind: String, owner: String, path: String, sha256: String) {
        self.kind = kind
        self.owner = owner
        self.path = path
        self.sha256 = sha256
    }
}

extension Ledger {
    /// Where outputs of a kind were last written, by owner.
    public func outputs(kind: String) throws -> [String: OutputFile] {
        try database.read { db in
            var out: [String: OutputFile] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT owner, path, sha256 FROM output WHERE kind = ?", arguments: [kind]) {
                out[r["owner"]] = OutputFile(kind: kind, owner: r["owner"], path: r["path"], sha256: r["sha256"])
            }
            return out
        }
    }

    public func recordOutputs(_ files: [OutputFile]) throws {
        try database.write { db in
            let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO output (kind, owner, path, sha256) VALUES (?, ?, ?, ?)")
            for f in files { try statement.execute(arguments: [f.kind, f.owner, f.path, f.sha256]) }
        }
    }
}
