import CivilDate
import XMLStream

/// Turns a worksheet's SAX events into rows, one at a time, reusing one set
/// of buffers: memory does not grow with the sheet's row count.
///
/// Handles cells with and without `r`, rows with and without `r`, every
/// cell type (`s`, `n`, `b`, `e`, `str`, `inlineStr`, `d`), cached values of
/// formulas, rich inline strings, and collects `mergeCell` ranges.
final class SheetHandler: XMLEventHandler {
    /// Thrown from the visitor's `.stop` to end parsing early; not an error.
    struct Stop: Error {}

    private enum CellType: UInt8 { case number, shared, bool, error, formulaString, inline, isoDate }

    let storage: RowStorage
    private let dateStyles: [Bool]
    private let text: ByteBuffer
    private let visit: (RowView) throws -> ScanDecision
    private let file: String
    private let sheet: String

    private(set) var merges: [CellRange] = []
    private(set) var rowsSeen = 0

    // Where the parser is.
    private var inSheetData = false
    private var inRow = false
    private var inCell = false
    private var capturing = false
    private var inInline = false
    private var inPhonetic = false
    private var hasValue = false
    /// The cell has a formula (`<f>`): without a `<v>` its result was never computed.
    private var hasFormula = false
    /// Where the current inline `<t>` began in `text`, and whether it keeps its edge whitespace.
    private var runStart = 0
    private var runPreserves = false

    // The current row and cell.
    private var rowNumber = 0
    private var rowHadNumber = false
    private var column = 0
    private var cellType = CellType.number
    private var cellStyle = 0

    init(
        storage: RowStorage, dateStyles: [Bool], maxCellBytes: Int, file: String, sheet: String,
        visit: @escaping (RowView) throws -> ScanDecision
    ) {
        self.storage = storage
        self.dateStyles = dateStyles
        self.text = ByteBuffer(limit: maxCellBytes)
        self.visit = visit
        self.file = file
        self.sheet = sheet
    }

    // MARK: - Events

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        let n = name.bytes
        switch n.count {
        case 1:
            switch n[0] {
            case UInt8(ascii: "c"): try startCell(attributes)
            case UInt8(ascii: "v"):
                if inCell {
                    capturing = true
                    hasValue = true
                    text.reset()
                }
            case UInt8(ascii: "f"):
                if inCell { hasFormula = true }
            case UInt8(ascii: "t"):
                if inInline && !inPhonetic {
                    capturing = true
                    runStart = text.count
                    runPreserves = attributes.value("space").map { $0.elementsEqual("preserve".utf8) } ?? false
                }
            default: break
            }
        case 2:
            if name == "is", inCell {
                inInline = true
                hasValue = true
                text.reset()
            }
        case 3:
            if name == "row" { try startRow(attributes) } else if name == "rPh" { inPhonetic = true }
        default:
            if name == "sheetData" {
                inSheetData = true
            } else if name == "mergeCell", let ref = attributes.string("ref"), let range = CellRange(ref) {
                merges.append(range)
            }
        }
    }

    func endElement(_ name: XMLName) throws {
        let n = name.bytes
        switch n.count {
        case 1:
            switch n[0] {
            case UInt8(ascii: "c"):
                if inCell { try endCell() }
            case UInt8(ascii: "v"): capturing = false
            case UInt8(ascii: "t"):
                if capturing, inInline, !runPreserves { text.trimXMLWhitespace(from: runStart) }
                capturing = false
            default: break
            }
        case 2:
            if name == "is" {
                inInline = false
                capturing = false
            }
        case 3:
            if name == "row" { try endRow() } else if name == "rPh" { inPhonetic = false }
        default:
            if name == "sheetData" { inSheetData = false }
        }
    }

    @inline(__always)
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard capturing else { return }
        guard text.append(bytes) else {
            throw SpreadsheetError(
                .tooLarge, file: file, place: "лист «\(sheet)»", cell: currentReference,
                message: "значение ячейки длиннее \(text.limit) байт")
        }
    }

    // MARK: - Rows

    private func startRow(_ attributes: XMLAttributes) throws {
        guard inSheetData else { return }
        inRow = true
        column = 0
        if let r = attributes.value("r") {
            guard let number = NumberParsing.integer(r.baseAddress!, r.count), number >= 1 else {
                throw SpreadsheetError(
                    .badCell, file: file, place: "лист «\(sheet)»",
                    message: "номер строки «\(String(decoding: r, as: UTF8.self))» не число")
            }
            rowNumber = number
            rowHadNumber = true
        } else {
            rowNumber += 1
            rowHadNumber = false
        }
        try checkRow(rowNumber)
        storage.reset(row: rowNumber)
    }

    private func endRow() throws {
        guard inRow else { return }
        inRow = false
        rowsSeen += 1
        guard storage.count > 0 else { return }
        if try visit(RowView(storage: storage)) == .stop { throw Stop() }
    }

    private func checkRow(_ row: Int) throws {
        if row > CellReference.maxRow {
            throw SpreadsheetError(
                .cellOutOfRange, file: file, place: "лист «\(sheet)»",
                message: "строка \(row) за пределами листа (не больше \(CellReference.maxRow)); файл повреждён")
        }
    }

    // MARK: - Cells

    private var currentReference: String {
        CellReference(column: max(column, 1), row: max(rowNumber, 1)).description
    }

    private func startCell(_ attributes: XMLAttributes) throws {
        guard inRow else { return }
        inCell = true
        hasValue = false
        hasFormula = false
        cellType = .number
        cellStyle = 0
        var hadReference = false
        for i in 0..<attributes.count {
            let key = attributes.name(at: i).bytes
            guard key.count == 1 else { continue }
            let value = attributes.value(at: i)
            switch key[0] {
            case UInt8(ascii: "r"):
                guard let ref = CellReference.parse(value) else {
                    throw SpreadsheetError(
                        .badCell, file: file, place: "лист «\(sheet)»",
                        message: "адрес ячейки «\(String(decoding: value, as: UTF8.self))» не читается")
                }
                if ref.column > CellReference.maxColumn || ref.row > CellReference.maxRow {
                    throw SpreadsheetError(
                        .cellOutOfRange, file: file, place: "лист «\(sheet)»", cell: ref.description,
                        message: "ячейка за пределами листа (не дальше XFD\(CellReference.maxRow)); файл повреждён")
                }
                column = ref.column
                hadReference = true
                if !rowHadNumber, ref.row != rowNumber {
                    rowNumber = ref.row
                    storage.rowNumber = ref.row
                }
            case UInt8(ascii: "t"):
                cellType = SheetHandler.type(value)
            case UInt8(ascii: "s"):
                // `s=""` is written by some producers for the default style.
                cellStyle = value.count == 0 ? 0 : NumberParsing.integer(value.baseAddress!, value.count) ?? -1
            default: break
            }
        }
        // Counted, not checked: empty `<c/>` past XFD are harmless; a value there is refused in `endCell`.
        if !hadReference { column += 1 }
    }

    private static func type(_ v: UnsafeBufferPointer<UInt8>) -> CellType {
        switch v.count {
        case 1:
            switch v[0] {
            case UInt8(ascii: "s"): return .shared
            case UInt8(ascii: "b"): return .bool
            case UInt8(ascii: "e"): return .error
            case UInt8(ascii: "d"): return .isoDate
            default: return .number
            }
        case 3: return .formulaString
        case 9: return .inline
        default: return .number
        }
    }

    private func endCell() throws {
        inCell = false
        capturing = false
        if hasFormula, !hasValue || text.count == 0 && cellType != .formulaString {
            // A formula whose result the producer never computed (openpyxl writes `<f>` with an
            // empty `<v/>`, other libraries `<f>` alone): not an empty cell, a value nobody has
            // seen. An empty `<v>` of a `t="str"` formula is a computed empty text.
            try checkColumn()
            storage.appendText(column: column, CellValue.uncomputedFormula, kind: .error)
            return
        }
        guard hasValue, text.count > 0 else { return }
        try checkColumn()
        let p = text.base
        let n = text.count
        switch cellType {
        case .shared:
            guard let index = NumberParsing.integer(p, n), index >= 0 else {
                throw badCell("индекс общей строки «\(text.string)» не число")
            }
            guard index < storage.shared.count else {
                throw SpreadsheetError(
                    .sharedStringIndex, file: file, place: "лист «\(sheet)»", cell: currentReference,
                    message: "ссылка на общую строку № \(index), а в таблице строк их \(storage.shared.count); файл повреждён")
            }
            if !storage.shared[index].isEmpty { storage.appendShared(column: column, index: index) }
        case .number:
            guard let value = NumberParsing.double(p, n) else { throw badCell("«\(text.string)» не число") }
            guard cellStyle >= 0, cellStyle < dateStyles.count || cellStyle == 0 else {
                throw SpreadsheetError(
                    .styleIndex, file: file, place: "лист «\(sheet)»", cell: currentReference,
                    message: "ссылка на стиль № \(cellStyle), которого нет в styles.xml; файл повреждён")
            }
            if cellStyle < dateStyles.count, dateStyles[cellStyle], ExcelDateSystem.isDateSerial(value) {
                storage.appendNumber(column: column, value, kind: .date)
            } else {
                storage.appendNumber(column: column, value, kind: .number)
            }
        case .bool:
            let isTrue = n == 1 ? p[0] == UInt8(ascii: "1") : text.string == "true"
            storage.appendNumber(column: column, isTrue ? 1 : 0, kind: .bool)
        case .error:
            storage.appendText(column: column, text.string, kind: .error)
        case .formulaString:
            storage.appendText(column: column, text.string, kind: .string)
        case .inline:
            storage.appendText(column: column, OOXMLText.decode(text.bytes), kind: .string)
        case .isoDate:
            guard let date = SheetHandler.isoDate(text.string) else { throw badCell("дата «\(text.string)» не в формате ISO 8601") }
            storage.appendNumber(column: column, storage.dateSystem.serial(of: date), kind: .date)
        }
    }

    /// A value past XFD is refused (empty `<c/>` there are harmless and only counted).
    private func checkColumn() throws {
        if column > CellReference.maxColumn {
            throw SpreadsheetError(
                .cellOutOfRange, file: file, place: "лист «\(sheet)»",
                message: "в строке \(rowNumber) значение в столбце \(column), дальше последнего столбца XFD; файл повреждён")
        }
    }

    private func badCell(_ message: String) -> SpreadsheetError {
        SpreadsheetError(.badCell, file: file, place: "лист «\(sheet)»", cell: currentReference, message: message)
    }

    /// `2025-09-01`, `2025-09-01T08:30:00`, `2025-09-01T08:30:00.000Z`, and a
    /// time alone: `T10:30:00` or `10:30:00` (a time-only value).
    static func isoDate(_ s: String) -> CivilDateTime? {
        if s.hasPrefix("T") || (s.contains(":") && !s.contains("-")) {
            guard let seconds = clockSeconds(s.hasPrefix("T") ? s.dropFirst() : Substring(s)) else { return nil }
            return CivilDateTime(date: CivilDate(year: 1899, month: 12, day: 30)!, secondsOfDay: seconds, isTimeOnly: true)
        }
        let parts = s.split(separator: "T", maxSplits: 1)
        guard let first = parts.first, let date = CivilDate(parsing: first) else { return nil }
        var seconds = 0
        if parts.count == 2 {
            guard let clock = clockSeconds(parts[1]) else { return nil }
            seconds = clock
        }
        return CivilDateTime(date: date, secondsOfDay: seconds)
    }

    /// `08:30`, `08:30:00`, `08:30:00.000Z` → seconds since midnight.
    private static func clockSeconds(_ text: Substring) -> Int? {
        let clock = text.prefix { $0 != "Z" && $0 != "+" && $0 != "." }
        let hms = clock.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard hms.count >= 2, hms.count <= 3, hms.allSatisfy({ $0 != nil }) else { return nil }
        let seconds = hms[0]! * 3600 + hms[1]! * 60 + (hms.count > 2 ? hms[2]! : 0)
        guard (0..<86_400).contains(seconds), (0..<60).contains(hms[1]!) else { return nil }
        return seconds
    }
}
