import Foundation
import Ingest
import Spreadsheet
import TestSupport

/// Starting inputs and dictionaries for the fuzzer, made in code: the
/// shapes real exports take, so mutations start from files that get deep
/// into the readers and the importer.
extension FuzzTargets {
    public static let targets = ["xlsx", "csv", "profile"]

    public static func run(_ target: String) -> ((UnsafeRawBufferPointer) -> Void)? {
        switch target {
        case "xlsx": xlsx
        case "csv": csv
        case "profile": profile
        default: nil
        }
    }

    /// Data rows that fit most profiles' columns after their headers.
    static let sampleValues = ["Иванов Иван Иванович", "9А", "Алгебра", "1 четверть", "5", "04.03.2010", "2025/2026", "ОГЭ", "зачтено", "н/а", "12.10.2025"]

    /// One table per profile: the first spelling of every field as the
    /// header row, then two rows of plausible values.
    static func tables() -> [[[String]]] {
        context.profiles.profiles.filter { $0.layout != .sidecar }.map { profile in
            let header = profile.fields.map { $0.headers.first ?? $0.name }
            let row = header.indices.map { sampleValues[$0 % sampleValues.count] }
            return [header, row, row.reversed()]
        }
    }

    public static func seeds(_ target: String) throws -> [[UInt8]] {
        switch target {
        case "profile":
            return tables().map { Array($0.map { $0.joined(separator: "\t") }.joined(separator: "\n").utf8) }
        case "csv":
            var out = tables().map { Array($0.map { $0.joined(separator: ";") }.joined(separator: "\n").utf8) }
            out.append(
                Array(
                    "Сводная ведомость 9А класса за 1 четверть 2025/2026 учебного года\n№;ФИО;Алгебра;Физика\n1;Иванов Иван Иванович;5;4\n2;\"Петрова; Анна\";\"4\";н/а\r\n"
                        .utf8))
            out.append([0xEF, 0xBB, 0xBF] + Array("ФИО,Класс,Предмет,Период,Отметка\n\"Иванов Иван Иванович\",9А,Алгебра,1 четверть,5\n".utf8))
            return out
        case "xlsx":
            var out: [[UInt8]] = []
            // Parts (odd first byte): inline strings, shared strings, styles with a date format.
            let sheet =
                #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\#(WorkbookParts.main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ФИО</t></is></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c><c r="E1" t="s"><v>3</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Иванов Иван Иванович</t></is></c><c r="B2" t="str"><v>9А</v></c><c r="C2" t="s"><v>4</v></c><c r="D2" t="s"><v>5</v></c><c r="E2" s="1"><v>5</v></c><c r="F2" s="2"><v>45930</v></c><c r="G2" t="b"><v>1</v></c><c r="H2" t="e"><v>#N/A</v></c><c r="I2"><f>1+1</f><v>2</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A5:B6"/></mergeCells></worksheet>"#
            let sst = WorkbookParts.sharedStrings(["Класс", "Предмет", "Период", "Отметка", "Алгебра", "1 четверть"])
            let styles = WorkbookParts.styles(formats: [0, 1, 14], custom: [164: "dd.mm.yyyy"])
            out.append([1] + Array(sheet.utf8) + [0xFF] + Array(sst.utf8) + [0xFF] + Array(styles.utf8))
            // Whole files (even first byte), written by Uchet's own writer.
            for table in tables().prefix(4) {
                let path = NSTemporaryDirectory() + "/uchet-fuzz-seed-\(getpid()).xlsx"
                defer { unlink(path) }
                let writer = try XLSXWriter(path: path)
                let s = try writer.addSheet("Лист1")
                for row in table { try s.addRow(texts: row) }
                try writer.close()
                out.append([0] + Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            }
            return out
        default:
            return []
        }
    }

    /// libFuzzer dictionary lines (`"…"`, bytes past ASCII as `\xNN`).
    public static func dictionary(_ target: String) -> [String] {
        var words: [String] = []
        switch target {
        case "xlsx":
            words = [
                #"<c r="A1""#, #" t="s""#, #" t="inlineStr""#, #" t="str""#, #" t="b""#, #" t="e""#, #" t="d""#, #" s="1""#,
                "<is><t>", "</t></is>", "<v>", "</v>", #"<row r="1">"#, "</row>", "<si><t>", "</t></si>", "<r><t>", "<rPh>",
                "<f>", "</f>", "<sheetData>", "</sheetData>", #"<mergeCell ref="A1:B2"/>"#, #"<numFmt numFmtId="164" formatCode=""#,
                #"<xf numFmtId="14"/>"#, "<cellXfs>", "<!DOCTYPE", "<!ENTITY", "&amp;", "&#1060;", #"xml:space="preserve""#,
                #"<dimension ref="A1:E2"/>"#, "1048576", "XFD", "<![CDATA["
            ]
        case "csv", "profile":
            var set: Set<String> = []
            for profile in context.profiles.profiles { for field in profile.fields { set.formUnion(field.headers) } }
            words = set.sorted() + sampleValues + (target == "csv" ? [";", "\"", "\"\"", "\r\n", "\t", ","] : [])
        default:
            break
        }
        return words.map { word in
            "\""
                + word.utf8.map { b -> String in
                    if b == 0x22 { return "\\\"" }
                    if b == 0x5C { return "\\\\" }
                    if b >= 0x20 && b < 0x7F { return String(UnicodeScalar(b)) }
                    return String(format: "\\x%02X", b)
                }.joined() + "\""
        }
    }
}
