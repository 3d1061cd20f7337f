public import Ledger
import Policy
public import Records
import Settings
import SystemText
import XMLStream
import Crypto
#if canImport(Glibc)
    import Glibc
    import FileIO
    import Digest
#endif

/// A dossier that fails its own schema: uchet's fault, reported, never written.
public struct DossierInvalid: Error, CustomStringConvertible, Sendable {
    public var student: String
    public var detail: String
    public var description: String { "досье \(student) не соответствует схеме dossier.xsd: \(detail); файл не записан" }
}

/// Writes the dossiers of the students whose records changed, in parallel:
/// each read from the ledger, built, validated against `schemas/dossier.xsd`
/// with libxml2, and only then written (temporary name, then rename) to
/// `outbox/dossiers/<year>/<class>/<student-id>.xml`.
public struct DossierEmitter: Emitter {
    public let name = "досье"

    public init() {}

    public func emit(students: [StudentID], context: EmitContext) async throws -> Int {
        guard !students.isEmpty else { return 0 }
        let schema = try XMLSchema(path: context.settings.schemasPath + "/dossier.xsd")
        let builder = DossierBuilder(policy: context.policy, school: SchoolInfo(name: context.settings.school.name, code: context.settings.school.code))
        let outbox = context.settings.outbox
        let previous = try context.ledger.outputs(kind: "dossier")
        let results = await Parallel.map(students.count) { i in
            try DossierEmitter.write(students[i], ledger: context.ledger, builder: builder, schema: schema, outbox: outbox)
        }
        var written: [OutputFile] = []
        for result in results {
            guard let file = try result.get() else { continue }
            if let old = previous[file.owner], old.path != file.path { _ = unlink(outbox + "/" + old.path) }
            written.append(file)
        }
        try context.ledger.recordOutputs(written)
        return written.count
    }

    /// Builds, validates and writes one dossier; `nil` for a student the ledger no longer has.
    static func write(_ id: StudentID, ledger: Ledger, builder: DossierBuilder, schema: XMLSchema, outbox: String) throws -> OutputFile? {
        guard let record = try ledger.studentRecord(id) else { return nil }
        let bytes = try builder.xml(record)
        do {
            try schema.validate(bytes, document: "\(id).xml")
        } catch {
            throw DossierInvalid(student: id.rawValue, detail: "\(error)")
        }
        let relative = DossierEmitter.path(for: record)
        try Files.writeAtomically(outbox + "/" + relative, bytes)
        return OutputFile(kind: "dossier", owner: id.rawValue, path: relative, sha256: SHA256Hex.of(bytes))
    }

    /// `dossiers/2025-2026/9А/j123456.xml`: the student's latest year and class.
    public static func path(for record: StudentRecord) -> String {
        guard let e = record.current else { return "dossiers/без-класса/\(record.id).xml" }
        return "dossiers/\(e.year.fileName)/\(e.schoolClass)/\(record.id).xml"
    }
}
