import Attestat
public import CivilDate
public import Crypto
import Dossier
import Foundation
public import Ledger
public import Policy
public import Records
public import Settings
import XMLStream
import ZipIO
import FileIO
import Digest

/// What packaging one class wrote.
public struct PackageResult: Sendable {
    public var name: String
    /// Relative to the outbox.
    public var path: String
    public var students: Int
    public var documents: Int
    public var octets: Int
}

/// Builds sealed archive packages: one BagIt bag per class and year, in a
/// deterministic zip, its tag manifest signed with the school's Ed25519 key.
/// The same ledger and the same bagging date give the same bytes.
public struct PackageBuilder: @unchecked Sendable { // the signing key is immutable
    public let ledger: Ledger
    public let policy: Policy
    public let settings: PipelineSettings
    public let key: Curve25519.Signing.PrivateKey

    public init(ledger: Ledger, policy: Policy, settings: PipelineSettings, key: Curve25519.Signing.PrivateKey) {
        self.ledger = ledger
        self.policy = policy
        self.settings = settings
        self.key = key
    }

    /// `sosh134-2025-2026-9a`: ASCII, from ids.
    public func bagName(year: AcademicYear, schoolClass: String) -> String {
        "\(settings.school.code)-\(year.fileName)-\(PackageBuilder.ascii(schoolClass))"
    }

    static func ascii(_ schoolClass: String) -> String {
        (SchoolClass(parsing: schoolClass)?.fileName ?? Transliteration.latin(schoolClass)).lowercased()
    }

    /// Packages every class given, in parallel (one class per core at a
    /// time); results in the order of `classes`.
    public func build(year: AcademicYear, classes: [String], date: CivilDate) async throws -> [Result<PackageResult, any Error>] {
        try AttestatBook(ledger: ledger, policy: policy, settings: settings).numberGraduates(year: year)
        return await Parallel.map(classes.count) { i in try build(year: year, schoolClass: classes[i], date: date) }
    }

    public func build(year: AcademicYear, schoolClass: String, date: CivilDate) throws -> PackageResult {
        let name = bagName(year: year, schoolClass: schoolClass)
        var bag = Bag(name: name)
        let schema = try XMLSchema(path: settings.schemasPath + "/dossier.xsd")
        let builder = DossierBuilder(policy: policy, school: SchoolInfo(name: settings.school.name, code: settings.school.code))
        var inventory: [InventoryEntry] = []
        let personalFile = policy.retention(id: "personal-file")
        let scanRetention = policy.retention(id: "certificate-scan") ?? personalFile
        var scans: [String: (student: StudentID, name: String?)] = [:]
        let students = try ledger.students(year: year, schoolClass: schoolClass)
        guard !students.isEmpty else { throw ArchiveError.noStudents(year: year.description, schoolClass: schoolClass) }
        for id in students {
            guard let record = try ledger.studentRecord(id) else { continue }
            let xml = try builder.xml(record)
            try schema.validate(xml, document: "\(id).xml")
            let path = "data/dossiers/\(id).xml"
            bag.payload.append((path, xml))
            inventory.append(
                InventoryEntry(
                    path: path, kind: "dossier", label: "Индивидуальный учёт результатов обучающегося",
                    student: id.rawValue, retention: personalFile, parts: []))
            for a in record.achievements { if let sha = a.scanSHA256, scans[sha] == nil { scans[sha] = (id, a.scanName) } }
        }
        let store = settings.scansFolder
        for (sha, owner) in scans.sorted(by: { $0.key < $1.key }) {
            guard Files.exists(store + "/" + sha) else { throw ArchiveError.scanMissing(sha256: sha, name: owner.name, store: store) }
            let path = "data/" + DossierBuilder.scanPath(sha256: sha, name: owner.name)
            bag.payload.append((path, try Files.read(store + "/" + sha)))
            inventory.append(
                InventoryEntry(
                    path: path, kind: "certificate-scan", label: "Скан документа, подтверждающего достижение (п. \(policy.documentSection))",
                    student: owner.student.rawValue, retention: scanRetention, parts: []))
        }
        // The attestat workbook, where the class graduates.
        let attestat = try AttestatBook(ledger: ledger, policy: policy, settings: settings)
        if try attestat.classes(year: year).contains(schoolClass) {
            let temp = FileManager.default.temporaryDirectory.appendingPathComponent("uchet-package-\(getpid())-\(name).xlsx").path
            defer { try? FileManager.default.removeItem(atPath: temp) }
            _ = try attestat.write(year: year, schoolClass: schoolClass, to: temp)
            let path = "data/attestat/\(PackageBuilder.ascii(schoolClass))-\(year.fileName).xlsx"
            bag.payload.append((path, try Files.read(temp)))
            inventory.append(
                InventoryEntry(
                    path: path, kind: "attestat-workbook", label: "Итоговые отметки и книга регистрации выданных аттестатов",
                    student: nil, retention: policy.retention(id: "register-book"),
                    parts: [
                        ("Книга регистрации", policy.retention(id: "register-book")),
                        ("Итоговые отметки", policy.retention(id: "final-marks-summary")),
                        ("Составляющие", policy.retention(id: "final-marks-summary"))
                    ]))
        }
        // The schemas the package's XML follows travel with it: the documents stay readable without Uchet.
        for schemaName in ["dossier.xsd", "inventory.xsd"] {
            let source = settings.schemasPath + "/" + schemaName
            guard Files.exists(source) else { throw ArchiveError.schemaMissing(path: source) }
            let path = "data/schemas/" + schemaName
            bag.payload.append((path, try Files.read(source)))
            inventory.append(InventoryEntry(path: path, kind: "schema", label: "XML-схема документов пакета", student: nil, retention: nil, parts: []))
        }
        let inventoryXML = try Inventory.xml(
            Inventory.Header(
                bag: name, school: settings.school.name, schoolCode: settings.school.code, year: year,
                schoolClass: schoolClass, date: date, students: students.count),
            entries: inventory, payload: bag.payload)
        try XMLSchema(path: settings.schemasPath + "/inventory.xsd").validate(inventoryXML, document: "inventory.xml")
        bag.payload.append(("data/inventory.xml", inventoryXML))

        let retentions = [policy.retention(id: "register-book"), policy.retention(id: "final-marks-summary"), personalFile, scanRetention].compactMap { $0 }
        var seen: Set<String> = []
        bag.info =
            [
                ("Source-Organization", settings.school.name),
                ("Organization-Address", settings.school.address.isEmpty ? "не указан (pipeline.json: school.address)" : settings.school.address),
                ("Contact-Name", settings.school.contact.isEmpty ? "не указано (pipeline.json: school.contact)" : settings.school.contact),
                ("External-Identifier", name),
                (
                    "External-Description",
                    "Индивидуальный учёт результатов освоения образовательных программ обучающимися \(schoolClass) класса, \(year) учебный год; \(policy.document)"
                ),
                ("Bagging-Date", date.iso8601),
                ("Bag-Group-Identifier", "\(settings.school.code)-\(year.fileName)"),
                ("Payload-Oxum", "\(bag.payloadOctets).\(bag.payload.count)"),
                ("Signing-Key-Fingerprint", SchoolKey.fingerprint(key.publicKey)),
                ("Bag-Size", Bag.size(bag.payloadOctets))
            ] + retentions.filter { seen.insert($0.id).inserted }.map { ("Retention-Period", "\($0.label): \($0.description)") }

        let folder = settings.outbox + "/archive/" + year.fileName
        try Files.makeFolders(folder)
        let path = folder + "/" + name + ".zip"
        var zip = try ZipWriter(path: path, deterministic: true)
        for file in try bag.files(signedBy: key) { try zip.add(name + "/" + file.path, bytes: file.bytes) }
        try zip.finish()
        return PackageResult(
            name: name, path: "archive/\(year.fileName)/\(name).zip", students: students.count, documents: bag.payload.count, octets: bag.payloadOctets)
    }
}

struct InventoryEntry {
    var path: String
    var kind: String
    var label: String
    var student: String?
    var retention: Retention?
    var parts: [(sheet: String, retention: Retention?)]
}

/// The опись: every document of the package with its kind, student and retention.
enum Inventory {
    struct Header {
        var bag: String
        var school: String
        var schoolCode: String
        var year: AcademicYear
        var schoolClass: String
        var date: CivilDate
        var students: Int
    }

    static func xml(_ header: Header, entries: [InventoryEntry], payload: [(path: String, bytes: [UInt8])]) throws -> [UInt8] {
        let sizes = Dictionary(payload.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        return try XMLWriter.bytes(document: "inventory.xml", indent: true) { w in
            try w.startDocument()
            try w.startElement("inventory")
            try w.attribute("xmlns", "urn:uchet:inventory:1")
            try w.attribute("version", "1.0")
            try w.attribute("bag", header.bag)
            try w.attribute("school", header.school)
            try w.attribute("schoolCode", header.schoolCode)
            try w.attribute("year", header.year.description)
            try w.attribute("class", header.schoolClass)
            try w.attribute("date", header.date.iso8601)
            try w.attribute("documents", String(entries.count))
            try w.attribute("students", String(header.students))
            for (i, e) in entries.sorted(by: { $0.path < $1.path }).enumerated() {
                try w.startElement("document")
                try w.attribute("number", String(i + 1))
                try w.attribute("path", e.path)
                try w.attribute("kind", e.kind)
                try w.attribute("label", e.label)
                if let s = e.student { try w.attribute("student", s) }
                if let r = e.retention {
                    try w.attribute("retention", r.id)
                    try w.attribute("retentionLabel", r.label)
                    try w.attribute("retentionPeriod", r.description)
                }
                if let bytes = sizes[e.path] {
                    try w.attribute("size", String(bytes.count))
                    try w.attribute("sha256", Hex.string(SHA256.hash(data: bytes)))
                }
                for part in e.parts {
                    try w.startElement("part")
                    try w.attribute("sheet", part.sheet)
                    if let r = part.retention {
                        try w.attribute("retention", r.id)
                        try w.attribute("retentionPeriod", r.description)
                    }
                    try w.endElement()
                }
                try w.endElement()
            }
            try w.endElement()
            try w.endDocument()
        }
    }
}
