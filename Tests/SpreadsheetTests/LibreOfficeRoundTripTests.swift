import CivilDate
import Foundation
import TestSupport
import Testing
@testable import Spreadsheet

/// A workbook made in code, saved by LibreOffice as ODS and as HTML, read
/// back with the new readers and compared cell by cell with the original.
/// Skipped, with the reason in the test report, where LibreOffice is absent;
/// `.ci/run` installs it, so `make test` runs them.
@Suite(
    .enabled(if: LibreOffice.isInstalled, "LibreOffice (soffice) не установлен: круговые проверки ODS и HTML пропущены"),
    .serialized)
struct LibreOfficeRoundTripTests {
    static let title = "Итоговые отметки 9А класса за 2025/2026 учебный год"

    /// Two sheets: a title merged over the table, a header, students with
    /// marks, fractions, dates, a flag, gaps, text with line breaks and spaces.
    func workbook(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("Ведомость 9А.xlsx")
        let writer = try XLSXWriter(path: path)
        let marks = try writer.addSheet("Отметки 9А")
        try marks.addRow([.text(LibreOfficeRoundTripTests.title, .bold)])
        marks.merge(CellRange("A1:F1")!)
        try marks.addRow([])
        try marks.addRow(texts: ["№", "ФИО", "Алгебра", "Средний балл", "Дата рождения", "Отличник"], style: .header)
        let names = ["Иванов Иван\nИванович", "Петрова  Анна Сергеевна", "Сидоров Пётр", "Ёлкина Жанна"]
        for (i, name) in names.enumerated() {
            try marks.addRow([
                .number(i + 1), .text(name), i == 2 ? .empty : .number(5 - i), .number(4.75 - Double(i) / 4),
                .date(CivilDate(year: 2010, month: 1 + i, day: 10 + i)!), .bool(i == 0)
            ])
        }
        try marks.addRow([.empty, .text("Итого"), .number(-1.5), .number(1e-3)])
        let second = try writer.addSheet("Второй лист")
        try second.addRow(texts: ["Предмет", "Отметка"])
        try second.addRow([.text("Физика"), .number(4)])
        try writer.close()
        return path
    }

    /// Every sheet's cells and merges, by sheet name.
    func read(_ reader: any WorkbookReader) throws -> [(name: String, cells: [CellReference: CellValue], merges: [CellRange])] {
        try reader.sheets.map { sheet in
            var cells: [CellReference: CellValue] = [:]
            let scan = try reader.scan(sheet) { row in
                for i in 0..<row.count { cells[CellReference(column: row.column(at: i), row: row.number)] = row.value(at: i) }
                return .continue
            }
            return (sheet.name, cells, scan.merges)
        }
    }

    @Test func odsSavedByLibreOfficeReadsCellForCell() throws {
        let dir = TemporaryDirectory()
        let path = try workbook(dir)
        let original = try read(XLSXReader(path: path))
        let ods = try LibreOffice.convert(path, to: "ods", outdir: dir.path)
        #expect(try TableFileKind.of(path: ods) == .ods)
        let converted = try read(ODSReader(path: ods))
        #expect(converted.map(\.name) == original.map(\.name))
        for (mine, theirs) in zip(original, converted) {
            // LibreOffice keeps an XLSX boolean as the number 1 or 0 with a TRUE()/FALSE() formula.
            let expected = mine.cells.mapValues { value -> CellValue in
                if case .bool(let b) = value { return .number(b ? 1 : 0) }
                return value
            }
            #expect(theirs.cells == expected, "sheet «\(mine.name)»")
            #expect(Set(theirs.merges) == Set(mine.merges), "sheet «\(mine.name)»")
        }
    }

    @Test func htmlSavedByLibreOfficeReadsCellForCell() throws {
        let dir = TemporaryDirectory()
        let path = try workbook(dir)
        let original = try read(XLSXReader(path: path))
        let html = try LibreOffice.convert(path, to: "html", outdir: dir.path)
        // Named like the journal's export, which is what the reader is for.
        let xls = dir.file("Ведомость 9А.xls")
        try FileManager.default.moveItem(atPath: html, toPath: xls)
        #expect(try TableFileKind.of(path: xls) == .html)
        let converted = try read(HTMLTableReader(path: xls))
        #expect(converted.count == original.count)
        for (mine, theirs) in zip(original, converted) {
            // LibreOffice heads each sheet's table with «Sheet N: name» (and the
            // first with an overview of the sheets): the title block above it.
            let heading = try #require(theirs.cells.first { $0.value.text.hasSuffix(": " + mine.name) }?.key, "sheet «\(mine.name)»")
            #expect(heading.column == 1)
            let offset = heading.row
            var expected: [CellReference: CellValue] = [:]
            for (ref, value) in theirs.cells where ref.row <= offset { expected[ref] = value }
            for (ref, value) in mine.cells { expected[CellReference(column: ref.column, row: ref.row + offset)] = value }
            #expect(Set(theirs.cells.keys) == Set(expected.keys), "sheet «\(mine.name)»: the same cells, shifted under the title block")
            for (ref, value) in mine.cells {
                let shown = theirs.cells[CellReference(column: ref.column, row: ref.row + offset)]
                #expect(
                    shown.map { LibreOfficeRoundTripTests.same(value, shownAs: $0) } == true,
                    "\(mine.name)!\(ref): \(value) shown as \(String(describing: shown))")
            }
            #expect(
                Set(theirs.merges)
                    == Set(
                        mine.merges.map {
                            CellRange(
                                first: CellReference(column: $0.first.column, row: $0.first.row + offset),
                                last: CellReference(column: $0.last.column, row: $0.last.row + offset))
                        }))
        }
    }

    /// A value as a page shows it: text with its spaces collapsed, a number
    /// in either decimal separator, a date as DD.MM.YYYY, a flag as 1 or TRUE.
    static func same(_ value: CellValue, shownAs shown: CellValue) -> Bool {
        guard case .string(let text) = shown else { return false }
        switch value {
        case .string(let s):
            let collapsed = s.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.split(whereSeparator: { $0 == " " }).joined(separator: " ") }.joined(separator: "\n")
            return text == collapsed
        case .number(let n):
            return Double(text.replacingOccurrences(of: ",", with: ".")).map { abs($0 - n) < 1e-9 } ?? false
        case .date(let d):
            return text == d.date.russian
        case .bool(let b):
            return b ? ["1", "TRUE", "ИСТИНА"].contains(text) : ["0", "FALSE", "ЛОЖЬ"].contains(text)
        case .error(let e):
            return text == e
        }
    }
}
