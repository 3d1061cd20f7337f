public import Records
public import StrictJSON
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
#endif

/// What to do with a file some of whose rows are wrong.
public enum InvalidRowPolicy: String, Sendable {
    /// Reject the whole file (the default): nothing half-imported.
    case rejectFile = "reject-file"
    /// Accept the good rows and list the skipped ones in the report.
    case skipRow = "skip-row"
}

/// The school's configuration, `pipeline.json`. Paths inside it are
/// relative to the file's own folder, so a school keeps one working folder.
/// Every option has a default; an unknown key or a bad value is an error
/// that names it.
public struct PipelineSettings: Sendable {
    public struct School: Sendable {
        public var name: String
        /// Short ASCII code for package names (`sosh134`).
        public var code: String
        public var address: String
        public var contact: String
    }

    /// The file read, for messages.
    public var file: String
    /// The folder relative paths start from.
    public var folder: String
    public var school: School
    public var policyPath: String
    public var profilesPath: String
    public var schemasPath: String
    public var academicYear: AcademicYear
    public var inbox: String
    public var outbox: String
    public var ledger: String
    public var keys: String
    /// Parse workers; 0 means one per core.
    public var workers: Int
    public var settleSeconds: Double
    public var onInvalidRow: InvalidRowPolicy
    /// The first registration number of the attestat register book for the year.
    public var registerNumberStart: Int
    /// Subfolders of the inbox that declare their files' source kind
    /// (`"sources": {"electronic-journal": "inbox/journal"}`), in the order
    /// written: the key as written (a source kind of the policy) and the
    /// folder's absolute path. A file at the top of the inbox is a hand-kept sheet.
    public var sources: [(kind: String, folder: String)]

    /// Certificate scans are kept by content hash beside the ledger: `var/scans/<sha256>`.
    public var scansFolder: String {
        (ledger.contains("/") ? String(ledger[..<ledger.lastIndex(of: "/")!]) : ".") + "/scans"
    }

    /// Reads `path`; with `nil`, `pipeline.json` in the current folder.
    public static func load(path: String?) throws(SchemaError) -> PipelineSettings {
        let file = path ?? "pipeline.json"
        let bytes: [UInt8]
        do {
            bytes = try Files.read(file, limit: 16 << 20)
        } catch {
            throw SchemaError(
                file: file, path: "",
                message: path == nil && error.errno == .noSuchFileOrDirectory
                    ? "в текущей папке нет pipeline.json: запустите uchet в рабочей папке школы или укажите --config"
                    : "файл настроек не открывается: \(error.reason)")
        }
        return try parse(bytes, file: file, folder: PipelineSettings.folder(of: file))
    }

    public static func parse(_ bytes: [UInt8], file: String, folder: String) throws(SchemaError) -> PipelineSettings {
        let root = try JSONObjectReader.document(bytes, file: file)
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : folder + "/" + p }

        let schoolReader = try root.object("school")
        let school = School(
            name: try schoolReader.string("name"), code: try schoolReader.string("code"),
            address: try schoolReader.optionalString("address") ?? "", contact: try schoolReader.optionalString("contact") ?? "")
        guard !school.code.isEmpty, school.code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw schoolReader.fail("code", "код школы «\(school.code)» должен состоять из латинских букв, цифр и дефиса: он входит в имена архивных пакетов")
        }
        try schoolReader.finish()

        let yearText = try root.string("academicYear")
        guard let year = AcademicYear(parsing: yearText) else {
            throw root.fail("academicYear", "«\(yearText)» не учебный год; пишите как 2025/2026")
        }
        let paths = try root.optionalObject("paths")
        let inbox = resolve(try paths?.optionalString("inbox") ?? "inbox")
        let outbox = resolve(try paths?.optionalString("outbox") ?? "outbox")
        let ledger = resolve(try paths?.optionalString("ledger") ?? "var/ledger.sqlite")
        let keys = resolve(try paths?.optionalString("keys") ?? "keys")
        let schemas = resolve(try paths?.optionalString("schemas") ?? "schemas")
        try paths?.finish()

        let policy = resolve(try root.string("policy"))
        let profiles = resolve(try root.optionalString("profiles") ?? "schemas/profiles")
        let workers = try root.optionalInt("workers") ?? 0
        guard (0...64).contains(workers) else { throw root.fail("workers", "число обработчиков от 0 (по числу ядер) до 64") }
        let settle = try root.optionalDouble("settleSeconds") ?? 2
        guard (0...3600).contains(settle) else { throw root.fail("settleSeconds", "время ожидания от 0 до 3600 секунд") }
        let invalid = try root.optionalString("onInvalidRow") ?? InvalidRowPolicy.rejectFile.rawValue
        guard let onInvalidRow = InvalidRowPolicy(rawValue: invalid) else {
            throw root.fail("onInvalidRow", "«\(invalid)» — допустимы reject-file (отклонить файл) или skip-row (пропустить строку)")
        }
        let registerStart = try root.optionalInt("registerNumberStart") ?? 1
        guard registerStart >= 1 else { throw root.fail("registerNumberStart", "номер должен быть не меньше 1") }
        var sources: [(kind: String, folder: String)] = []
        if let reader = try root.optionalObject("sources") {
            for key in reader.keys {
                let path = try reader.string(key)
                let folder = PipelineSettings.normalised(resolve(path))
                guard PipelineSettings.folder(of: folder) == PipelineSettings.normalised(inbox) else {
                    throw reader.fail(key, "папка «\(path)» должна лежать прямо в папке inbox (например «inbox/journal»): файлы берутся оттуда")
                }
                let name = String(folder.split(separator: "/").last ?? "")
                guard !name.hasPrefix("."), !["processed", "rejected"].contains(name) else {
                    throw reader.fail(key, "папка «\(name)» занята самим uchet (processed, rejected, .work): выберите другое имя")
                }
                if let other = sources.first(where: { $0.folder == folder }) {
                    throw reader.fail(key, "папка «\(path)» уже отдана источнику «\(other.kind)»")
                }
                sources.append((key, folder))
            }
            try reader.finish()
        }
        try root.finish()
        return PipelineSettings(
            file: file, folder: folder, school: school, policyPath: policy, profilesPath: profiles,
            schemasPath: schemas, academicYear: year, inbox: inbox, outbox: outbox, ledger: ledger, keys: keys,
            workers: workers, settleSeconds: settle, onInvalidRow: onInvalidRow, registerNumberStart: registerStart,
            sources: sources)
    }

    /// A path without `.` segments, doubled or trailing slashes (`./inbox/journal/` → `./inbox/journal`).
    static func normalised(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : joined
    }

    static func folder(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        let folder = String(file[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}
