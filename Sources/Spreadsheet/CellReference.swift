/// A cell address like `B3`: 1-based column and row.
public struct CellReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let maxColumn = 16_384 // XFD
    public static let maxRow = 1_048_576

    public var column: Int
    public var row: Int

    public init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }

    /// Parses `B3`, `$B$3`, `xfd1048576`; `nil` for anything else or out of the sheet.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard let parsed = bytes.withUnsafeBufferPointer({ CellReference.parse($0) }),
            parsed.column >= 1, parsed.row >= 1,
            parsed.column <= CellReference.maxColumn, parsed.row <= CellReference.maxRow
        else { return nil }
        self = parsed
    }

    /// Parses an address from bytes without range checks beyond overflow;
    /// `nil` when the bytes are not letters then digits.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CellReference? {
        var i = 0
        var column = 0
        var row = 0
        let n = bytes.count
        if i < n, bytes[i] == UInt8(ascii: "$") { i += 1 }
        let letterStart = i
        while i < n {
            var b = bytes[i]
            if b >= 0x61 && b <= 0x7A { b -= 0x20 }
            guard b >= 0x41 && b <= 0x5A else { break }
            column = column * 26 + Int(b - 0x40)
            if column > 1 << 20 { return nil }
            i += 1
        }
        guard i > letterStart else { return nil }
        if i < n, bytes[i] == UInt8(ascii: "$") { i += 1 }
        let digitStart = i
        while i < n {
            let b = bytes[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            row = row * 10 + Int(b - 0x30)
            if row > 1 << 30 { return nil }
            i += 1
        }
        guard i > digitStart else { return nil }
        return CellReference(column: column, row: row)
    }

    /// `A`, `Z`, `AA`, `XFD`.
    public static func columnName(_ column: Int) -> String {
        var n = column
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(UInt8(0x41 + r))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// `B3`.
    public var description: String { CellReference.columnName(column) + String(row) }

    public static func < (a: CellReference, b: CellReference) -> Bool {
        (a.row, a.column) < (b.row, b.column)
    }
}

/// A rectangular range like `A1:D1`, as merged cells are given.
public struct CellRange: Sendable, Hashable, CustomStringConvertible {
    public var first: CellReference
    public var last: CellReference

    public init(first: CellReference, last: CellReference) {
        self.first = CellReference(column: min(first.column, last.column), row: min(first.row, last.row))
        self.last = CellReference(column: max(first.column, last.column), row: max(first.row, last.row))
    }

    /// Parses `A1:D1` (or a single `A1`).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":")
        guard parts.count == 1 || parts.count == 2,
            let a = CellReference(parts[0]), let b = CellReference(parts[parts.count - 1])
        else { return nil }
        self.init(first: a, last: b)
    }

    public func contains(_ ref: CellReference) -> Bool {
        (first.column...last.column).contains(ref.column) && (first.row...last.row).contains(ref.row)
    }

    public var description: String { first == last ? first.description : "\(first):\(last)" }

    public func overlaps(_ other: CellRange) -> Bool {
        first.column <= other.last.column && other.first.column <= last.column
            && first.row <= other.last.row && other.first.row <= last.row
    }

    /// The first two ranges that overlap (Excel calls such a file damaged),
    /// found by a sweep down the rows: near-linear for the usual sheet.
    public static func firstOverlap(in ranges: [CellRange]) -> (CellRange, CellRange)? {
        let sorted = ranges.sorted { ($0.first.row, $0.first.column) < ($1.first.row, $1.first.column) }
        var open: [CellRange] = [] // ranges whose rows reach the current top row
        for range in sorted {
            open.removeAll { $0.last.row < range.first.row }
            if let hit = open.first(where: { $0.overlaps(range) }) { return (hit, range) }
            open.append(range)
        }
        return nil
    }
}
