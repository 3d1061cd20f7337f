import XMLStream

/// Turns an HTML page's events into the rows of one of its tables, or (with
/// no target) lists the tables.
///
/// Each `<table>` is a sheet, numbered in the order tables start; a table
/// inside a cell is a sheet of its own and its text stays out of the cell.
/// The text blocks outside tables (headings, paragraphs, lines of a `div`)
/// since the previous top-level table become the sheet's first rows, one
/// block per row in column A; the last top-level table also takes the blocks
/// after it as rows below it (signatures under a roster). `<tr>` is a row,
/// `<td>`/`<th>` a cell placed past the cells that `rowspan`s above occupy;
/// a span is reported as a merged range. Values are text, white space
/// collapsed (`&nbsp;` included), `<br>` as "\n".
final class HTMLTableHandler: HTMLEventHandler {
    struct Stop: Error {}
    struct TableEnded: Error {}

    /// A table found when listing.
    struct Table {
        var caption: String
        var isTopLevel: Bool
    }

    private let target: Int?
    private let takesTrailingText: Bool
    private let storage: RowStorage
    private let file: String
    private let sheet: String
    private let visit: (RowView) throws -> ScanDecision

    private(set) var tables: [Table] = []
    private(set) var merges: [CellRange] = []
    private(set) var rowsSeen = 0

    // Where the parser is.
    private var open: [Int] = [] // indices of the open tables, innermost last
    private var ignoredDepth = 0 // inside head, title, and the like
    private var inCaption = false
    private var targetDone = false

    // Text outside tables, and of the current caption and cell.
    private let blockText: TextCollector
    private let cellText: TextCollector
    private let captionText: TextCollector
    private var titles: [String] = []

    // The target table's rows.
    private var rowNumber = 1
    private var inRow = false
    private var inCell = false
    private var cellColumn = 1
    private var column = 1
    private var occupiedThrough: [Int] = [] // by column: the last row a rowspan from above covers

    init(
        target: Int?, takesTrailingText: Bool, storage: RowStorage, maxCellBytes: Int, file: String, sheet: String,
        visit: @escaping (RowView) throws -> ScanDecision
    ) {
        self.target = target
        self.takesTrailingText = takesTrailingText
        self.storage = storage
        self.file = file
        self.sheet = sheet
        self.visit = visit
        blockText = TextCollector(limit: maxCellBytes)
        cellText = TextCollector(limit: maxCellBytes)
        captionText = TextCollector(limit: maxCellBytes)
    }

    /// The innermost open table is the target (its own rows, not a nested table's).
    private var atTarget: Bool { target != nil && open.last == target }

    // MARK: - Events

    func startElement(_ name: XMLName, attributes: HTMLAttributes) throws {
        if ignoredDepth > 0 || HTMLTableHandler.isIgnored(name) {
            ignoredDepth += HTMLTableHandler.isIgnored(name) ? 1 : 0
            return
        }
        if name == "table" {
            try startTable()
        } else if open.isEmpty {
            if HTMLTableHandler.isBlock(name) { try flushBlock() }
        } else if name == "caption" {
            inCaption = true
            captionText.reset()
        } else if inCaption {
            if HTMLTableHandler.isBlock(name) { try captionText.softBreak() }
        } else if atTarget {
            try startInTarget(name, attributes)
        }
    }

    func endElement(_ name: XMLName) throws {
        if ignoredDepth > 0 {
            if HTMLTableHandler.isIgnored(name) { ignoredDepth -= 1 }
            return
        }
        if name == "table" {
            try endTable()
        } else if open.isEmpty {
            if HTMLTableHandler.isBlock(name) { try flushBlock() }
        } else if name == "caption" {
            if inCaption, let index = open.last, tables[index].caption.isEmpty {
                tables[index].caption = String(captionText.finish().map { $0 == "\n" ? " " : $0 })
            }
            inCaption = false
        } else if atTarget, !inCaption {
            if name == "td" || name == "th" {
                try endCell()
            } else if name == "tr" {
                try endRow()
            } else if inCell, HTMLTableHandler.isBlock(name), !(name == "br") {
                try cellText.softBreak()
            }
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard ignoredDepth == 0 else { return }
        if open.isEmpty {
            try blockText.add(bytes)
        } else if inCaption {
            try captionText.add(bytes)
        } else if atTarget, inCell {
            try cellText.add(bytes)
        }
    }

    /// The end of the page: the blocks after the last top-level table are rows below it.
    func finishDocument() throws {
        try flushBlock()
        guard targetDone, takesTrailingText else { return }
        for line in titles { try emitLine(line) }
        titles.removeAll()
    }

    // MARK: - Tables

    private func startTable() throws {
        if open.isEmpty { try flushBlock() }
        let index = tables.count
        tables.append(Table(caption: "", isTopLevel: open.isEmpty))
        if inCell, atTarget { try cellText.softBreak() }
        open.append(index)
        guard index == target else {
            if open.count == 1 { titles.removeAll() }
            return
        }
        // The text above a top-level table is its title block.
        rowNumber = 1
        if open.count == 1 {
            for line in titles { try emitLine(line) }
        }
        titles.removeAll()
    }

    private func endTable() throws {
        guard let index = open.last else { return }
        if atTarget {
            if inRow { try endRow() }
            targetDone = true
        }
        open.removeLast()
        inCaption = false
        if index == target, !takesTrailingText { throw TableEnded() }
        if open.isEmpty { titles.removeAll() }
    }

    private func flushBlock() throws {
        let text = blockText.finish()
        if !text.isEmpty { titles.append(text) }
    }

    /// One text in column A of the next row.
    private func emitLine(_ text: String) throws {
        storage.reset(row: rowNumber)
        try checkRow()
        storage.appendText(column: 1, text, kind: .string)
        rowNumber += 1
        if try visit(RowView(storage: storage)) == .stop { throw Stop() }
    }

    // MARK: - Rows and cells of the target

    private func startInTarget(_ name: XMLName, _ attributes: HTMLAttributes) throws {
        if name == "tr" {
            if inRow { try endRow() }
            startRow()
        } else if name == "td" || name == "th" {
            if inCell { try endCell() }
            if !inRow { startRow() }
            startCell(attributes)
        } else if inCell, name == "br" {
            try cellText.lineBreak()
        } else if inCell, HTMLTableHandler.isBlock(name) {
            try cellText.softBreak()
        }
    }

    private func startRow() {
        inRow = true
        column = 1
        storage.reset(row: rowNumber)
    }

    private func endRow() throws {
        if inCell { try endCell() }
        guard inRow else { return }
        inRow = false
        rowsSeen += 1
        defer { rowNumber += 1 }
        guard storage.count > 0 else { return }
        try checkRow()
        if try visit(RowView(storage: storage)) == .stop { throw Stop() }
    }

    private func startCell(_ attributes: HTMLAttributes) {
        inCell = true
        cellText.reset()
        while column < occupiedThrough.count, occupiedThrough[column] >= rowNumber { column += 1 }
        cellColumn = column
        let columns = HTMLTableHandler.span(attributes.string("colspan"), max: 1000)
        let rows = HTMLTableHandler.span(attributes.string("rowspan"), max: 65_534)
        if columns > 1 || rows > 1 {
            let last = CellReference(
                column: min(cellColumn + columns - 1, CellReference.maxColumn),
                row: min(rowNumber + rows - 1, CellReference.maxRow))
            if cellColumn <= CellReference.maxColumn {
                merges.append(CellRange(first: CellReference(column: cellColumn, row: min(rowNumber, CellReference.maxRow)), last: last))
            }
        }
        if rows > 1 {
            let end = min(cellColumn + columns, CellReference.maxColumn + 1)
            if occupiedThrough.count < end { occupiedThrough += [Int](repeating: 0, count: end - occupiedThrough.count) }
            for c in cellColumn..<max(cellColumn, end) { occupiedThrough[c] = max(occupiedThrough[c], rowNumber + rows - 1) }
        }
        column += columns
    }

    private func endCell() throws {
        guard inCell else { return }
        inCell = false
        let text = cellText.finish()
        guard !text.isEmpty else { return }
        if cellColumn > CellReference.maxColumn {
            throw SpreadsheetError(
                .cellOutOfRange, file: file, place: "лист «\(sheet)»",
                message: "в строке \(rowNumber) значение в столбце \(cellColumn), дальше последнего столбца XFD; таблица слишком широкая")
        }
        storage.appendText(column: cellColumn, text, kind: .string)
    }

    private func checkRow() throws {
        if rowNumber > CellReference.maxRow {
            throw SpreadsheetError(
                .cellOutOfRange, file: file, place: "лист «\(sheet)»",
                message: "строка \(rowNumber) за пределами листа (не больше \(CellReference.maxRow)); таблица слишком длинная")
        }
    }

    // MARK: - Elements

    /// `colspan`/`rowspan` as HTML reads them: a number from 1, capped; anything else is 1.
    static func span(_ text: String?, max cap: Int) -> Int {
        guard let text, let n = Int(text.trimmingASCIIWhitespace()), n >= 1 else { return 1 }
        return min(n, cap)
    }

    /// Elements whose text is not the page's content.
    private static func isIgnored(_ name: XMLName) -> Bool {
        name == "head" || name == "title" || name == "script" || name == "style" || name == "noscript" || name == "template"
    }

    /// Elements that begin a new line of text.
    private static func isBlock(_ name: XMLName) -> Bool {
        switch name.bytes.count {
        case 1: return name == "p"
        case 2:
            return name == "br" || name == "li" || name == "hr" || name == "dt" || name == "dd" || name == "ul" || name == "ol" || name == "dl"
                || (name.bytes[0] == UInt8(ascii: "h") && (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(name.bytes[1]))
        default:
            return name == "div" || name == "pre" || name == "center" || name == "blockquote" || name == "section" || name == "article"
                || name == "header" || name == "footer" || name == "address" || name == "form" || name == "fieldset" || name == "body"
        }
    }
}

/// Collects text as a browser lays it out: runs of white space (and
/// `&nbsp;`) as one space, none at the start or end of a line, `lineBreak`
/// as "\n".
final class TextCollector {
    private let buffer: ByteBuffer
    private var pendingSpace = false

    init(limit: Int) { buffer = ByteBuffer(limit: limit) }

    func reset() {
        buffer.reset()
        pendingSpace = false
    }

    func add(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var run = -1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let width =
                b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
                ? 1
                : b == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0xA0 ? 2 : 0
            if width > 0 {
                if run >= 0 {
                    try append(UnsafeBufferPointer(rebasing: bytes[run..<i]))
                    run = -1
                }
                if buffer.count > 0, buffer.base[buffer.count - 1] != 0x0A { pendingSpace = true }
                i += width
                continue
            }
            if run < 0 {
                run = i
                if pendingSpace {
                    try appendByte(0x20)
                    pendingSpace = false
                }
            }
            i += 1
        }
        if run >= 0 { try append(UnsafeBufferPointer(rebasing: bytes[run...])) }
    }

    /// A `<br>`: always a new line.
    func lineBreak() throws {
        pendingSpace = false
        try appendByte(0x0A)
    }

    /// The edge of a block (`<p>`, `<div>`): a new line unless at the start of one.
    func softBreak() throws {
        pendingSpace = false
        if buffer.count > 0, buffer.base[buffer.count - 1] != 0x0A { try appendByte(0x0A) }
    }

    /// The text, without line breaks at its ends; the collector is emptied.
    func finish() -> String {
        var start = 0
        var end = buffer.count
        while start < end, buffer.base[start] == 0x0A { start += 1 }
        while end > start, buffer.base[end - 1] == 0x0A { end -= 1 }
        let text = String(decoding: UnsafeBufferPointer(start: buffer.base + start, count: end - start), as: UTF8.self)
        reset()
        return text
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard bytes.count > 0 else { return }
        guard buffer.append(bytes) else { throw TooLong(limit: buffer.limit) }
    }

    private func appendByte(_ byte: UInt8) throws {
        var b = byte
        try withUnsafePointer(to: &b) { try append(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    struct TooLong: Error {
        var limit: Int
    }
}
