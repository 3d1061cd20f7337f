public import Ingest
public import Policy
public import Settings
public import StrictJSON
#if canImport(Glibc)
    import Glibc
#endif

/// The inbox's source folders (`pipeline.json`, `"sources"`), checked
/// against the policy: a file's source kind is where the school put it,
/// and that is what the conflict rule ranks, never the file's layout.
public struct SourceFolders: Sendable {
    public struct Folder: Sendable {
        /// The subfolder's name inside the inbox (`journal`).
        public var name: String
        public var kind: Term
    }

    public let folders: [Folder]
    private let handKept: Term

    /// Refuses a key that is not a source kind of the policy, and a policy with no kind for hand-kept sheets.
    public init(settings: PipelineSettings, policy: Policy) throws(SchemaError) {
        guard let handKept = policy.sourceKinds.term(id: DeclaredSource.handKeptKind) else {
            throw SchemaError(
                file: policy.file, path: "sourceKinds",
                message: "нет вида источника «\(DeclaredSource.handKeptKind)» (ведомость, заполненная вручную): его получают файлы, положенные прямо в inbox")
        }
        self.handKept = handKept
        var folders: [Folder] = []
        for (key, path) in settings.sources {
            guard let kind = policy.sourceKinds.term(id: key) ?? policy.sourceKinds.match(key) else {
                let known = policy.sourceKinds.terms.map { "\($0.id) («\($0.label)»)" }.joined(separator: ", ")
                throw SchemaError(file: settings.file, path: "sources.\(key)", message: "вида источника «\(key)» нет в положении; допустимые: \(known)")
            }
            folders.append(Folder(name: String(path.split(separator: "/").last ?? ""), kind: kind))
        }
        self.folders = folders
    }

    /// The declaration of a file in the inbox's subfolder `folder`, or at its top (`nil`).
    public func declaration(folder: String?) -> DeclaredSource {
        if let folder, let f = folders.first(where: { $0.name == folder }) {
            return DeclaredSource(kind: f.kind.id, reason: "файл положен в папку inbox/\(f.name): по pipeline.json («sources») это \(f.kind.label)")
        }
        return DeclaredSource(
            kind: handKept.id, reason: "файл положен прямо в inbox, не в папку источника из pipeline.json («sources»): по умолчанию это \(handKept.label)")
    }

    /// The declaration of a file checked where it lies (`uchet check`): a
    /// source folder's when it lies in one, else a hand-kept sheet's.
    public func declaration(path: String, inbox: String) -> DeclaredSource {
        let parent = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        guard let real = SourceFolders.realPath(parent) else { return declaration(folder: nil) }
        for f in folders where SourceFolders.realPath(inbox + "/" + f.name) == real { return declaration(folder: f.name) }
        if let root = SourceFolders.realPath(inbox), real.hasPrefix(root + "/") {
            // A folder of the inbox no source names: `uchet run` does not look in it.
            let folder = String(real.dropFirst(root.count + 1))
            return DeclaredSource(
                kind: handKept.id,
                reason:
                    "файл лежит в inbox/\(folder)/, а этой папки нет среди источников pipeline.json («sources»): uchet run его не прочитает; "
                    + "проверен как \(handKept.label)")
        }
        return declaration(folder: nil)
    }

    /// The subfolder names intake looks in, besides the inbox's top.
    public var names: [String] { folders.map(\.name) }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
