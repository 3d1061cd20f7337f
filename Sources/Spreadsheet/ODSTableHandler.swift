import CivilDate
import XMLStream

/// Turns one table of `content.xml` into rows, reusing one set of buffers.
///
/// Rows are `table:table-row` (with `number-rows-repeated`), cells
/// `table:table-cell` and `table:covered-table-cell` (with
/// `number-columns-repeated`); a cell's value comes from `office:value-type`:
/// float, percentage and currency → number (`office:value`), date → date,
/// time → a time of day (`PT10H30M00S`), boolean → bool, string → the text
/// of its `text:p` paragraphs (joined by "\n"; `text:s`, `text:tab`,
/// `text:line-break` as the characters they stand for; spans and links as
/// their text; comments and drawings left out; white space kept as written,
/// as LibreOffice reads it); `calcext:value-type="error"`
/// → error. Elements are matched by local name.
final class ODSTableHandler: XMLEventHandler {
    /// The visitor stopped the scan.
    struct Stop: Error {}
    /// The target table ended: the rest of the document is not needed.
    struct TableEnded: Error {}

    private enum ValueKind { case none, number, date, time, bool, string, error }

    let storage: RowStorage
    private let target: Int
    private let limits: SpreadsheetLimits
    private let file: String
    private let sheet: String
    private let visit: (RowView) throws -> ScanDecision
    private let text: ByteBuffer

    private(set) var merges: [CellRange] = []
    private(set) var rowsSeen = 0

    // Where the parser is.
    private var tablesSeen = 0
    private var tableDepth = 0
    private var inTarget = false
    private var inRow = false
    private var inCell = false
    private var paragraphDepth = 0
    private var ignoredDepth = 0

    // The current row.
    private var rowNumber = 1
    private var rowRepeat = 1
    private var column = 1
    private var rowMerges: [CellRange] = []
    private var repeatedCells = 0

    // The current cell.
    private var kind = ValueKind.none
    private var number = 0.0
    private var dateValue: CivilDateTime?
    private var stringValue: String?
    private var columnsRepeated = 1
    private var columnsSpanned = 1
    private var rowsSpanned = 1
    private var paragraphs = 0

    init(
        target: Int, storage: RowStorage, limits: SpreadsheetLimits, file: String, sheet: String,
        visit: @escaping (RowView) throws -> ScanDecision
    ) {
        self.target = target
        self.storage = storage
        self.limits = limits
        self.file = file
        self.sheet = sheet
        self.visit = visit
        text = ByteBuffer(limit: limits.maxCellBytes)
    }

    // MARK: - Events

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        if name == "table" {
            if tableDepth == 0 {
                inTarget = tablesSeen == target
                tablesSeen += 1
            }
            tableDepth += 1
            return
        }
        guard inTarget, tableDepth == 1 else { return }
        if inCell {
            try startInCell(name, attributes)
        } else if name == "table-cell" || name == "covered-table-cell" {
            if inRow { startCell(attributes) }
        } else if name == "table-row" {
            startRow(attributes)
        }
    }

    func endElement(_ name: XMLName) throws {
        if name == "table" {
            tableDepth -= 1
            if tableDepth == 0, inTarget { throw TableEnded() }
            return
        }
        guard inTarget, tableDepth == 1 else { return }
        if name == "table-cell" || name == "covered-table-cell" {
            if inCell { try endCell() }
        } else if inCell {
            if ignoredDepth > 0 {
                if ODSTableHandler.isIgnored(name) { ignoredDepth -= 1 }
            } else if name == "p" || name == "h" {
                paragraphDepth -= 1
            }
        } else if name == "table-row" {
            try endRow()
        }
    }

    @inline(__always)
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard inCell, paragraphDepth > 0, ignoredDepth == 0 else { return }
        // Taken as written, as LibreOffice and calamine read it: LibreOffice
        // writes inner runs of spaces literally and marks only the ones at
        // the edges with text:s.
        try append(bytes)
    }

    // MARK: - Rows

    private func startRow(_ attributes: XMLAttributes) {
        inRow = true
        rowRepeat = max(1, ODSTableHandler.integer(attributes.value("number-rows-repeated")) ?? 1)
        column = 1
        rowMerges.removeAll(keepingCapacity: true)
        storage.reset(row: rowNumber)
    }

    private func endRow() throws {
        guard inRow else { return }
        inRow = false
        rowsSeen += 1
        defer { rowNumber += rowRepeat }
        if !rowMerges.isEmpty {
            for k in 0..<rowRepeat {
                if k > 0 { try count(rowMerges.count) }
                for m in rowMerges where m.first.row + k <= CellReference.maxRow {
                    merges.append(
                        CellRange(
                            first: CellReference(column: m.first.column, row: m.first.row + k),
                            last: CellReference(column: m.last.column, row: min(m.last.row + k, CellReference.maxRow))))
                }
            }
        }
        guard storage.count > 0 else { return }
        for k in 0..<rowRepeat {
            let row = rowNumber + k
            if row > CellReference.maxRow {
                throw SpreadsheetError(
                    .cellOutOfRange, file: file, place: "лист «\(sheet)»",
                    message: "строка \(row) за пределами листа (не больше \(CellReference.maxRow)); файл повреждён")
            }
            if k > 0 { try count(storage.count) }
            storage.rowNumber = row
            if try visit(RowView(storage: storage)) == .stop { throw Stop() }
        }
    }

    /// Counts cells yielded by repetition against the limit.
    private func count(_ cells: Int) throws {
        repeatedCells += cells
        if repeatedCells > limits.maxRepeatedCells {
            throw SpreadsheetError(
                .tooLarge, file: file, place: "лист «\(sheet)»",
                message: "повторы строк и ячеек разворачиваются больше чем в \(limits.maxRepeatedCells) ячеек; файл повреждён или составлен злонамеренно")
        }
    }

    // MARK: - Cells

    private func startCell(_ attributes: XMLAttributes) {
        inCell = true
        kind = .none
        number = .nan
        dateValue = nil
        stringValue = nil
        columnsRepeated = 1
        columnsSpanned = 1
        rowsSpanned = 1
        paragraphs = 0
        paragraphDepth = 0
        ignoredDepth = 0
        text.reset()
        var isError = false
        var valueText: UnsafeBufferPointer<UInt8>?
        var typeText: UnsafeBufferPointer<UInt8>?
        for i in 0..<attributes.count {
            let key = attributes.name(at: i)
            let value = attributes.value(at: i)
            if key == "value-type" {
                if attributes.namespaceURI(at: i).map({ $0.bytes.elementsEqual(ODSTableHandler.calcext.utf8) }) ?? false {
                    isError = value.elementsEqual("error".utf8)
                } else {
                    typeText = value
                }
            } else if key == "value" {
                valueText = value
            } else if key == "date-value" {
                dateValue = SheetHandler.isoDate(attributes.text(at: i))
                if dateValue == nil { stringValue = attributes.text(at: i) }
            } else if key == "time-value" {
                number = ODSTableHandler.duration(attributes.text(at: i)) ?? .nan
            } else if key == "boolean-value" {
                number = value.elementsEqual("true".utf8) || value.elementsEqual("1".utf8) ? 1 : 0
            } else if key == "string-value" {
                stringValue = attributes.text(at: i)
            } else if key == "number-columns-repeated" {
                columnsRepeated = max(1, ODSTableHandler.integer(value) ?? 1)
            } else if key == "number-columns-spanned" {
                columnsSpanned = max(1, ODSTableHandler.integer(value) ?? 1)
            } else if key == "number-rows-spanned" {
                rowsSpanned = max(1, ODSTableHandler.integer(value) ?? 1)
            }
        }
        if isError {
            kind = .error
            return
        }
        guard let type = typeText else { return }
        if type.elementsEqual("float".utf8) || type.elementsEqual("percentage".utf8) || type.elementsEqual("currency".utf8) {
            if let v = valueText, v.count > 0, let n = NumberParsing.double(UnsafeMutablePointer(mutating: v.baseAddress!), v.count) {
                number = n
                kind = .number
            } else {
                kind = .string
            }
        } else if type.elementsEqual("date".utf8) {
            kind = .date
        } else if type.elementsEqual("time".utf8) {
            kind = .time
        } else if type.elementsEqual("boolean".utf8) {
            kind = .bool
        } else {
            kind = .string
        }
    }

    private func startInCell(_ name: XMLName, _ attributes: XMLAttributes) throws {
        if ignoredDepth > 0 {
            if ODSTableHandler.isIgnored(name) { ignoredDepth += 1 }
            return
        }
        if ODSTableHandler.isIgnored(name) {
            ignoredDepth = 1
        } else if name == "p" || name == "h" {
            if paragraphDepth == 0 {
                if paragraphs > 0 { try append(0x0A) }
                paragraphs += 1
            }
            paragraphDepth += 1
        } else if paragraphDepth > 0 {
            if name == "s" {
                let n = max(1, ODSTableHandler.integer(attributes.value("c")) ?? 1)
                guard n <= text.limit - text.count else { throw tooLong() }
                for _ in 0..<n { try append(0x20) }
            } else if name == "tab" {
                try append(0x09)
            } else if name == "line-break" {
                try append(0x0A)
            }
        }
    }

    private func endCell() throws {
        inCell = false
        defer { column += columnsRepeated }
        let cellColumn = column
        if columnsSpanned > 1 || rowsSpanned > 1 {
            for k in 0..<columnsRepeated where cellColumn + k <= CellReference.maxColumn {
                if k > 0 { try count(1) }
                rowMerges.append(
                    CellRange(
                        first: CellReference(column: cellColumn + k, row: rowNumber),
                        last: CellReference(
                            column: min(cellColumn + k + columnsSpanned - 1, CellReference.maxColumn),
                            row: min(rowNumber + rowsSpanned - 1, CellReference.maxRow))))
            }
        }
        let value: CellValue
        switch kind {
        case .none, .string:
            if text.count > 0 { value = .string(text.string) } else if let s = stringValue, !s.isEmpty { value = .string(s) } else { return }
        case .error:
            guard text.count > 0 || stringValue?.isEmpty == false else { return }
            value = .error(text.count > 0 ? text.string : stringValue!)
        case .number:
            value = .number(number)
        case .bool:
            guard !number.isNaN else {
                if text.count > 0 { value = .string(text.string) } else { return }
                break
            }
            value = .bool(number != 0)
        case .date:
            guard let dateValue else { throw badCell(cellColumn, "дата «\(stringValue ?? "")» не в формате ISO 8601") }
            value = .date(dateValue)
        case .time:
            guard !number.isNaN else { throw badCell(cellColumn, "время не в формате ISO 8601 (PT10H30M00S)") }
            if number >= 0, number < 86_400 {
                let date = CivilDate(year: 1899, month: 12, day: 30)!
                value = .date(CivilDateTime(date: date, secondsOfDay: Int(number.rounded()) % 86_400, isTimeOnly: true))
            } else {
                value = .number(number / 86_400) // a duration past a day: in days, as a spreadsheet holds it
            }
        }
        for k in 0..<columnsRepeated {
            let c = cellColumn + k
            if c > CellReference.maxColumn {
                throw SpreadsheetError(
                    .cellOutOfRange, file: file, place: "лист «\(sheet)»",
                    message: "в строке \(rowNumber) значение в столбце \(c), дальше последнего столбца XFD; файл повреждён")
            }
            if k > 0 { try count(1) }
            switch value {
            case .string(let s): storage.appendText(column: c, s, kind: .string)
            case .error(let s): storage.appendText(column: c, s, kind: .error)
            case .number(let n): storage.appendNumber(column: c, n, kind: .number)
            case .bool(let b): storage.appendNumber(column: c, b ? 1 : 0, kind: .bool)
            case .date(let d): storage.appendDate(column: c, d)
            }
        }
    }

    // MARK: - Helpers

    static let calcext = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

    /// Inside a cell, what is not its value: comments, drawings, frames.
    private static func isIgnored(_ name: XMLName) -> Bool {
        name == "annotation" || name == "frame" || name == "custom-shape" || name == "g" || name == "control"
    }

    @inline(__always)
    private func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard bytes.count > 0 else { return }
        guard text.append(bytes) else { throw tooLong() }
    }

    private func append(_ byte: UInt8) throws {
        var b = byte
        try withUnsafePointer(to: &b) { try append(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    private func tooLong() -> SpreadsheetError {
        SpreadsheetError(
            .tooLarge, file: file, place: "лист «\(sheet)»",
            cell: CellReference(column: min(column, CellReference.maxColumn), row: min(rowNumber, CellReference.maxRow)).description,
            message: "значение ячейки длиннее \(text.limit) байт")
    }

    private func badCell(_ column: Int, _ message: String) -> SpreadsheetError {
        SpreadsheetError(
            .badCell, file: file, place: "лист «\(sheet)»",
            cell: CellReference(column: min(column, CellReference.maxColumn), row: min(rowNumber, CellReference.maxRow)).description,
            message: message)
    }

    /// A repeat or span count; `nil` when the attribute is absent or not a number.
    static func integer(_ value: UnsafeBufferPointer<UInt8>?) -> Int? {
        guard let value, value.count > 0 else { return nil }
        return NumberParsing.integer(value.baseAddress!, value.count)
    }

    /// An ISO 8601 duration as ODF writes times (`PT10H30M00S`,
    /// `PT10H30M00.5S`, `P1DT2H`, `-PT1H`), in seconds.
    static func duration(_ s: String) -> Double? {
        var rest = Substring(s)
        var sign = 1.0
        if rest.hasPrefix("-") {
            sign = -1
            rest = rest.dropFirst()
        }
        guard rest.hasPrefix("P") else { return nil }
        rest = rest.dropFirst()
        var seconds = 0.0
        var inTime = false
        var digits = ""
        var any = false
        for c in rest {
            if c == "T" {
                guard !inTime, digits.isEmpty else { return nil }
                inTime = true
            } else if c.isASCII, c.isNumber || c == "." {
                digits.append(c)
            } else {
                guard let n = Double(digits) else { return nil }
                switch (c, inTime) {
                case ("D", false): seconds += n * 86_400
                case ("H", true): seconds += n * 3600
                case ("M", true): seconds += n * 60
                case ("S", true): seconds += n
                default: return nil
                }
                digits = ""
                any = true
            }
        }
        guard any, digits.isEmpty else { return nil }
        return sign * seconds
    }
}
