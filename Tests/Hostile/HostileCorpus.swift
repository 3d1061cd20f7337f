import Foundation
import TestSupport
import ZipIO

/// Hostile inputs, made by code: each case puts its files into a working
/// folder's inbox beside a small, good school (a roster and two marks), and
/// says what `uchet run` must do with them. A case is handled when the run
/// ends on its own (no crash, no hang) within its time and memory bounds,
/// the hostile file gets the outcome the case names, with the words it
/// names in its report or the run's output, and the good school's records
/// go in as if the hostile files were not there.
public struct HostileCase: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The file ends in `inbox/rejected/` with a report holding the words.
        case rejected(String)
        /// The file is taken in, its report holding the words (a finding).
        case finding(String)
        /// Nothing is taken from it, nothing fails: it stays out of the ledger
        /// (the words, when given, are in the run's output).
        case leftAlone(String?)
    }

    public var name: String
    /// What the file is, in a few words (English: for the developers' table).
    public var what: String
    /// The file the outcome is about (in the inbox).
    public var file: String
    public var outcome: Outcome
    /// Bounds for the whole run.
    public var maxSeconds: Double = 20
    public var maxMegabytes: Int = 300
    /// Extra environment for the run (a pause to race against).
    public var environment: [String: String] = [:]
    /// Writes the hostile files into `inbox`.
    public var make: @Sendable (_ inbox: String) throws -> Void
    /// Done while the run is paused at `environment`'s point, if set.
    public var during: (@Sendable (_ inbox: String) throws -> Void)?
}

/// What happened to one case.
public struct HostileResult: Sendable {
    public var name: String
    public var what: String
    public var handled: Bool
    public var detail: String
    public var seconds: Double
    public var megabytes: Int
    /// The hostile file's report, when it has one.
    public var report: String = ""
}

public enum HostileCorpus {
    /// The good school every case runs beside.
    public static let roster = "Фамилия;Имя;Отчество;Дата рождения;Класс\nИванов;Иван;Иванович;04.03.2010;9А\nПетрова;Анна;Сергеевна;12.07.2010;9А\n"
    public static let marks = "ФИО;Класс;Предмет;Период;Отметка\nИванов Иван Иванович;9А;Алгебра;1 четверть;5\nПетрова Анна Сергеевна;9А;Алгебра;1 четверть;4\n"
    /// What the run prints when the good school went in whole.
    public static let goodSchool = ["контингент 2", "отметки за периоды 2"]

    // MARK: - Building blocks

    static func write(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func write(_ path: String, text: String) throws { try write(path, Array(text.utf8)) }

    static func workbookEntries(sheet: RawZip.Entry, sharedStrings: [UInt8]? = nil, styles: [UInt8]? = nil) -> [RawZip.Entry] {
        WorkbookParts.rawEntries(sheet: sheet, sharedStrings: sharedStrings, styles: styles)
    }

    /// A marks sheet whose header is sound, with `rows` after it (row 3 on).
    static func marksSheet(_ rows: String, extra: String = "", prolog: String = "") -> String {
        func inline(_ ref: String, _ text: String) -> String { #"<c r="\#(ref)" t="inlineStr"><is><t>\#(text)</t></is></c>"# }
        let header = "<row r=\"1\">" + zip(["A1", "B1", "C1", "D1", "E1"], ["ФИО", "Класс", "Предмет", "Период", "Отметка"]).map(inline).joined() + "</row>"
        let first =
            "<row r=\"2\">" + zip(["A2", "B2", "C2", "D2"], ["Иванов Иван Иванович", "9А", "Физика", "1 четверть"]).map(inline).joined()
            + #"<c r="E2"><v>5</v></c></row>"#
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + prolog
            + #"<worksheet xmlns="\#(WorkbookParts.main)" xmlns:r="\#(WorkbookParts.rels)"><sheetData>\#(header)\#(first)\#(rows)</sheetData>\#(extra)</worksheet>"#
    }

    static func xlsx(_ path: String, sheet: String, sharedStrings: [UInt8]? = nil, styles: [UInt8]? = nil) throws {
        try write(path, RawZip.archive(workbookEntries(sheet: .stored("s", Array(sheet.utf8)), sharedStrings: sharedStrings, styles: styles)))
    }

    static func xlsx(_ path: String, sheetBytes: [UInt8]) throws {
        try write(path, RawZip.archive(workbookEntries(sheet: .stored("s", sheetBytes))))
    }

    static func deflatedZeros(_ name: String, megabytes: Int) throws -> RawZip.Entry {
        try RawZip.deflated(name, [UInt8](repeating: 0, count: megabytes << 20))
    }

    // MARK: - The corpus

    public static let cases: [HostileCase] = [
        HostileCase(
            name: "zip-bomb-ratio", what: "zip bomb: one 64 MiB entry deflated 1000:1", file: "бомба-сжатие.xlsx",
            outcome: .rejected("похоже на zip-бомбу")
        ) { inbox in
            let bomb = try deflatedZeros("xl/worksheets/sheet1.xml", megabytes: 64)
            try write(inbox + "/бомба-сжатие.xlsx", RawZip.archive(workbookEntries(sheet: bomb)))
        },
        HostileCase(
            name: "zip-bomb-total", what: "zip bomb: 640 entries of 16 MiB, 10 GiB declared", file: "бомба-объём.xlsx",
            outcome: .rejected("похоже на zip-бомбу")
        ) { inbox in
            let one = try deflatedZeros("x", megabytes: 16)
            var entries = workbookEntries(sheet: .stored("s", Array(marksSheet("").utf8)))
            for i in 0..<640 {
                var e = one
                e.name = "xl/media/bomb\(i).bin"
                entries.append(e)
            }
            try write(inbox + "/бомба-объём.xlsx", RawZip.archive(entries))
        },
        HostileCase(
            name: "zip-bomb-entries", what: "zip bomb: 20,000 entries", file: "бомба-записи.xlsx",
            outcome: .rejected("в архиве 20005 записей, допускается не больше 10000")
        ) { inbox in
            var entries = workbookEntries(sheet: .stored("s", Array(marksSheet("").utf8)))
            for i in 0..<20_000 { entries.append(.stored("xl/media/e\(i).bin", [1])) }
            try write(inbox + "/бомба-записи.xlsx", RawZip.archive(entries))
        },
        HostileCase(
            name: "zip-bomb-nested", what: "zip bomb nested: the sheet part is a zip of zips", file: "бомба-вложенная.xlsx",
            outcome: .rejected("sheet1.xml, строка 1: XML не разбирается")
        ) { inbox in
            let leaf = try deflatedZeros("x", megabytes: 16)
            let inner = RawZip.archive(
                (0..<16).map {
                    var e = leaf
                    e.name = "z\($0).bin"
                    return e
                })
            let middle = RawZip.archive((0..<16).map { RawZip.Entry.stored("z\($0).zip", inner) })
            try xlsx(inbox + "/бомба-вложенная.xlsx", sheetBytes: middle)
        },
        HostileCase(
            name: "zip-lying-2gb", what: "zip header declaring 2 GiB for a 1 KiB entry", file: "ложный-размер.xlsx",
            outcome: .rejected("запись распаковывается в 2147483648 байт")
        ) { inbox in
            var entries = workbookEntries(sheet: .stored("s", Array(marksSheet("").utf8)))
            entries[entries.count - 1].uncompressedSize = 0x8000_0000
            try write(inbox + "/ложный-размер.xlsx", RawZip.archive(entries))
        },
        HostileCase(
            name: "zip-slip", what: "zip entry named ../../escape", file: "выход-из-папки.xlsx",
            outcome: .rejected("../../escape: имя записи содержит «..»")
        ) { inbox in
            var entries = workbookEntries(sheet: .stored("s", Array(marksSheet("").utf8)))
            entries.append(.stored("../../escape", Array("x".utf8)))
            try write(inbox + "/выход-из-папки.xlsx", RawZip.archive(entries))
        },
        HostileCase(
            name: "zip-truncated", what: "workbook cut in half", file: "обрезанный.xlsx",
            outcome: .rejected("ZIP-архив обрезан или повреждён")
        ) { inbox in
            let whole = RawZip.archive(workbookEntries(sheet: .stored("s", Array(marksSheet("").utf8))))
            try write(inbox + "/обрезанный.xlsx", Array(whole.prefix(whole.count / 2)))
        },
        HostileCase(
            name: "ole-encrypted", what: "password-protected workbook (OLE container)", file: "с-паролем.xlsx",
            outcome: .rejected("E-FILE-FORMAT: это документ OLE")
        ) { inbox in
            try write(inbox + "/с-паролем.xlsx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 4088))
        },
        HostileCase(
            name: "xml-billion-laughs", what: "XML bomb: billion laughs in the sheet", file: "xml-смех.xlsx",
            outcome: .rejected("объявляет сущность «l0» в DOCTYPE")
        ) { inbox in
            var dtd = "<!DOCTYPE worksheet [<!ENTITY l0 \"ha\">"
            for i in 1...10 { dtd += "<!ENTITY l\(i) \"" + String(repeating: "&l\(i - 1);", count: 10) + "\">" }
            dtd += "]>"
            try xlsx(inbox + "/xml-смех.xlsx", sheet: marksSheet(#"<row r="3"><c r="A3" t="inlineStr"><is><t>&l10;</t></is></c></row>"#, prolog: dtd))
        },
        HostileCase(
            name: "xml-quadratic", what: "XML bomb: quadratic blow-up (64 KiB entity used 64,000 times)", file: "xml-квадрат.xlsx",
            outcome: .rejected("объявляет сущность «a» в DOCTYPE")
        ) { inbox in
            let dtd = "<!DOCTYPE worksheet [<!ENTITY a \"" + String(repeating: "a", count: 65_536) + "\">]>"
            let uses = String(repeating: "&a;", count: 64_000)
            try xlsx(inbox + "/xml-квадрат.xlsx", sheet: marksSheet(#"<row r="3"><c r="A3" t="inlineStr"><is><t>\#(uses)</t></is></c></row>"#, prolog: dtd))
        },
        HostileCase(
            name: "xml-external-entity", what: "external entity reading /etc/passwd", file: "xml-xxe.xlsx",
            outcome: .rejected("объявляет сущность «x» в DOCTYPE")
        ) { inbox in
            try xlsx(
                inbox + "/xml-xxe.xlsx",
                sheet: marksSheet(
                    #"<row r="3"><c r="A3" t="inlineStr"><is><t>&x;</t></is></c></row>"#,
                    prolog: #"<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>"#))
        },
        HostileCase(
            name: "xml-remote-dtd", what: "DOCTYPE with a remote DTD", file: "xml-dtd.xlsx",
            outcome: .rejected("ссылается на внешний DTD")
        ) { inbox in
            try xlsx(inbox + "/xml-dtd.xlsx", sheet: marksSheet("", prolog: #"<!DOCTYPE worksheet SYSTEM "http://127.0.0.1:9/evil.dtd">"#))
        },
        HostileCase(
            name: "xml-deep", what: "100,000 nested elements", file: "xml-глубина.xlsx",
            outcome: .rejected("вложены глубже 256 уровней")
        ) { inbox in
            let deep = String(repeating: "<x>", count: 100_000) + String(repeating: "</x>", count: 100_000)
            try xlsx(inbox + "/xml-глубина.xlsx", sheet: marksSheet("", extra: deep))
        },
        HostileCase(
            name: "xml-nul", what: "NUL byte inside the sheet XML", file: "xml-nul.xlsx",
            outcome: .rejected("sheet1.xml, строка 1: XML не разбирается")
        ) { inbox in
            var bytes = Array(marksSheet(#"<row r="3"><c r="A3" t="inlineStr"><is><t>a"#).utf8)
            bytes += [0] + Array("b</t></is></c></row></sheetData></worksheet>".utf8)
            try xlsx(inbox + "/xml-nul.xlsx", sheetBytes: bytes)
        },
        HostileCase(
            name: "sst-index", what: "shared-string index out of range", file: "строка-за-таблицей.xlsx",
            outcome: .rejected("«Лист1»!E3: ссылка на общую строку № 7")
        ) { inbox in
            try xlsx(
                inbox + "/строка-за-таблицей.xlsx", sheet: marksSheet(#"<row r="3"><c r="E3" t="s"><v>7</v></c></row>"#),
                sharedStrings: Array(WorkbookParts.sharedStrings(["a"]).utf8))
        },
        HostileCase(
            name: "sst-count-lies", what: "shared strings declaring 2,000,000,000 entries", file: "строк-миллиард.xlsx",
            outcome: .finding("")
        ) { inbox in
            let sst =
                #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="\#(WorkbookParts.main)" count="2000000000" uniqueCount="2000000000"><si><t>a</t></si></sst>"#
            try xlsx(inbox + "/строк-миллиард.xlsx", sheet: marksSheet(""), sharedStrings: Array(sst.utf8))
        },
        HostileCase(
            name: "sst-bad-utf8", what: "invalid UTF-8 in the shared strings", file: "строки-не-utf8.xlsx",
            outcome: .rejected("sharedStrings.xml, строка 1: XML не разбирается")
        ) { inbox in
            let sst =
                Array(#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="\#(WorkbookParts.main)" count="1" uniqueCount="1"><si><t>"#.utf8)
                + [0xC3, 0x28, 0xFF, 0xFE] + Array("</t></si></sst>".utf8)
            try xlsx(inbox + "/строки-не-utf8.xlsx", sheet: marksSheet(#"<row r="3"><c r="A3" t="s"><v>0</v></c></row>"#), sharedStrings: sst)
        },
        HostileCase(
            name: "style-index", what: "style index out of range", file: "стиль-за-таблицей.xlsx",
            outcome: .rejected("«Лист1»!E3: ссылка на стиль № 99")
        ) { inbox in
            try xlsx(
                inbox + "/стиль-за-таблицей.xlsx", sheet: marksSheet(#"<row r="3"><c r="E3" s="99"><v>5</v></c></row>"#),
                styles: Array(WorkbookParts.styles(formats: [0]).utf8))
        },
        HostileCase(
            name: "cell-ref-XFD1048577", what: "cell reference XFD1048577 (past the sheet)", file: "ячейка-за-листом.xlsx",
            outcome: .rejected("строка 1048577 за пределами листа")
        ) { inbox in
            try xlsx(inbox + "/ячейка-за-листом.xlsx", sheet: marksSheet(#"<row r="1048577"><c r="XFD1048577"><v>1</v></c></row>"#))
        },
        HostileCase(
            name: "dimension-lies", what: "sheet dimension A1:XFD1048576 over 3 rows", file: "размер-листа.xlsx",
            outcome: .finding("")
        ) { inbox in
            let sheet = marksSheet("").replacingOccurrences(of: "<sheetData>", with: #"<dimension ref="A1:XFD1048576"/><sheetData>"#)
            try xlsx(inbox + "/размер-листа.xlsx", sheet: sheet)
        },
        HostileCase(
            name: "merges-overlap", what: "overlapping merged ranges", file: "объединения.xlsx",
            outcome: .finding("W-MERGE-OVERLAP: объединённые области A5:C7 и B6:D8 перекрываются")
        ) { inbox in
            try xlsx(
                inbox + "/объединения.xlsx",
                sheet: marksSheet("", extra: #"<mergeCells count="2"><mergeCell ref="A5:C7"/><mergeCell ref="B6:D8"/></mergeCells>"#))
        },
        HostileCase(
            name: "csv-bad-utf8", what: "invalid UTF-8 in a CSV line", file: "журнал-не-utf8.csv",
            outcome: .rejected("строка 3 — E-CSV-UTF8")
        ) { inbox in
            let bytes =
                Array("ФИО;Класс;Предмет;Период;Отметка\nИванов Иван Иванович;9А;Физика;1 четверть;5\n".utf8)
                + Array("Петрова Анна Сергеевна;9А;Физ".utf8) + [0xFF, 0xC3] + Array("ика;1 четверть;4\n".utf8)
            try write(inbox + "/журнал-не-utf8.csv", bytes)
        },
        HostileCase(
            name: "csv-nul", what: "NUL bytes in a CSV line", file: "журнал-nul.csv",
            outcome: .rejected("строка 3 — E-CSV-NUL")
        ) { inbox in
            let bytes =
                Array("ФИО;Класс;Предмет;Период;Отметка\nИванов Иван Иванович;9А;Физика;1 четверть;5\n".utf8)
                + Array("Петрова Анна Сергеевна;9А;Физика;1 четверть;".utf8) + [0, 0] + Array("4\n".utf8)
            try write(inbox + "/журнал-nul.csv", bytes)
        },
        HostileCase(
            name: "csv-50mb-line", what: "CSV line of 50 MB with no newline", file: "журнал-строка-50мб.csv",
            outcome: .rejected("строка 2 — E-CSV-LINE-TOO-LONG")
        ) { inbox in
            let header = Array("ФИО;Класс;Предмет;Период;Отметка\n".utf8)
            try write(inbox + "/журнал-строка-50мб.csv", header + [UInt8](repeating: 0x41, count: 50 << 20))
        },
        HostileCase(
            name: "csv-wide", what: "CSV header of 200,000 columns", file: "журнал-широкий.csv",
            outcome: .rejected("в записи больше 16384 полей")
        ) { inbox in
            let header = (0..<200_000).map { "к\($0)" }.joined(separator: ";")
            try write(inbox + "/журнал-широкий.csv", text: header + "\n" + String(repeating: "1;", count: 199_999) + "1\n")
        },
        HostileCase(
            name: "csv-open-quote", what: "CSV quote opened and never closed, 8 MB on", file: "журнал-кавычка.csv",
            outcome: .rejected("W-CSV-QUOTE-OPEN")
        ) { inbox in
            let text = "ФИО;Класс;Предмет;Период;Отметка\nИванов Иван Иванович;9А;Физика;1 четверть;5\n\"Петрова" + String(repeating: "Анна;", count: 800_000)
            try write(inbox + "/журнал-кавычка.csv", text: text)
        },
        HostileCase(name: "empty-file", what: "empty file", file: "пустой.csv", outcome: .rejected("E-FILE-EMPTY: файл пуст (0 байт)")) { inbox in
            try write(inbox + "/пустой.csv", [])
        },
        HostileCase(
            name: "inbox-symlink", what: "symlink in the inbox pointing outside it", file: "ссылка.csv",
            outcome: .rejected("E-FILE-LINK: это символическая ссылка")
        ) { inbox in
            let outside = inbox + "/../secret.csv"
            try write(outside, text: HostileCorpus.marks)
            guard symlink("/etc/passwd", inbox + "/ссылка.csv") == 0 else { throw POSIXError(.EIO) }
        },
        HostileCase(
            name: "inbox-vanishing-file", what: "file removed between listing and claiming", file: "исчезающий.csv",
            outcome: .leftAlone(nil), environment: ["UCHET_PAUSE_AT": "intake:1"],
            make: { inbox in try write(inbox + "/исчезающий.csv", text: HostileCorpus.marks) },
            during: { inbox in _ = unlink(inbox + "/исчезающий.csv") }),
        HostileCase(
            name: "sidecar-scan-is-folder", what: "certificate sidecar whose scan is a directory", file: "грамота.json",
            outcome: .rejected("E-SCAN-PATH: «грамота.pdf» в inbox — папка, а не файл скана")
        ) { inbox in
            try FileManager.default.createDirectory(atPath: inbox + "/грамота.pdf", withIntermediateDirectories: true)
            try write(inbox + "/грамота.pdf/внутри.txt", text: "x")
            try write(
                inbox + "/грамота.json",
                text:
                    #"{"ФИО": "Иванов Иван Иванович", "class": "9А", "category": "Олимпиада", "event": "Олимпиада по физике", "level": "школьный", "result": "победитель", "date": "2026-02-11", "document": "диплом", "scan": "грамота.pdf"}"#
            )
        },
        HostileCase(
            name: "sidecar-deep-json", what: "sidecar JSON nested 100,000 deep", file: "глубокий.json",
            outcome: .rejected("вложенность глубже 64 уровней")
        ) { inbox in
            try write(inbox + "/глубокий.json", text: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        },
        HostileCase(
            name: "sidecar-duplicate-keys", what: "sidecar JSON with a key twice", file: "двойной.json",
            outcome: .rejected("ключ «scan» повторяется")
        ) { inbox in
            try write(inbox + "/двойной.json", text: #"{"ФИО": "Иванов Иван Иванович", "scan": "a.pdf", "scan": "../../etc/passwd"}"#)
        }
    ]
}
