import CivilDate

/// The cells of the row a reader is on, borrowed for the duration of the
/// visitor's call: reading it costs no allocation, keeping it means
/// `row` (which copies).
public struct RowView {
    unowned(unsafe) let storage: RowStorage

    /// 1-based row number (the line number of a CSV record).
    public var number: Int { storage.rowNumber }
    /// Non-empty cells in this row.
    public var count: Int { storage.count }

    /// 1-based column of cell `i`.
    @inline(__always)
    public func column(at i: Int) -> Int { Int(storage.columns[i]) }

    /// The kind of cell `i`, without building its value.
    @inline(__always)
    public func kind(at i: Int) -> CellKind { CellKind(rawValue: storage.kinds[i])! }

    /// The value of cell `i`.
    public func value(at i: Int) -> CellValue { storage.value(at: i) }

    /// A copy of the row that may be kept.
    public var row: Row {
        var cells: [Cell] = []
        cells.reserveCapacity(count)
        for i in 0..<count { cells.append(Cell(column: column(at: i), value: value(at: i))) }
        return Row(number: number, cells: cells)
    }
}

/// The reused cell buffers behind a `RowView`.
final class RowStorage {
    var rowNumber = 0
    private(set) var count = 0
    private var capacity: Int
    private(set) var columns: UnsafeMutablePointer<Int32>
    private(set) var kinds: UnsafeMutablePointer<UInt8>
    private var numbers: UnsafeMutablePointer<Double>
    /// Index into `shared` (when `fromShared`) or into `texts`.
    private var refs: UnsafeMutablePointer<Int32>
    private var fromShared: UnsafeMutablePointer<Bool>
    private var texts: [String] = []
    /// Dates given as dates (ODS), not as serials; their `numbers` slot holds NaN.
    private var dates: [CivilDateTime] = []
    let shared: [String]
    let dateSystem: ExcelDateSystem

    init(shared: [String], dateSystem: ExcelDateSystem, capacity: Int = 64) {
        self.shared = shared
        self.dateSystem = dateSystem
        self.capacity = capacity
        columns = .allocate(capacity: capacity)
        kinds = .allocate(capacity: capacity)
        numbers = .allocate(capacity: capacity)
        refs = .allocate(capacity: capacity)
        fromShared = .allocate(capacity: capacity)
    }

    deinit {
        columns.deallocate()
        kinds.deallocate()
        numbers.deallocate()
        refs.deallocate()
        fromShared.deallocate()
    }

    @inline(__always)
    func reset(row: Int) {
        rowNumber = row
        count = 0
        if !texts.isEmpty { texts.removeAll(keepingCapacity: true) }
        if !dates.isEmpty { dates.removeAll(keepingCapacity: true) }
    }

    @inline(__always)
    private func slot(_ column: Int, _ kind: CellKind) -> Int {
        if count == capacity { grow() }
        columns[count] = Int32(column)
        kinds[count] = kind.rawValue
        count += 1
        return count - 1
    }

    @inline(__always)
    func appendShared(column: Int, index: Int) {
        let i = slot(column, .string)
        refs[i] = Int32(index)
        fromShared[i] = true
    }

    @inline(__always)
    func appendNumber(column: Int, _ value: Double, kind: CellKind) {
        let i = slot(column, kind)
        numbers[i] = value
    }

    func appendText(column: Int, _ text: String, kind: CellKind) {
        let i = slot(column, kind)
        refs[i] = Int32(texts.count)
        fromShared[i] = false
        texts.append(text)
    }

    /// A date as it is, for formats that write dates rather than serials
    /// (any date, before 1900 too).
    func appendDate(column: Int, _ value: CivilDateTime) {
        let i = slot(column, .date)
        numbers[i] = .nan
        refs[i] = Int32(dates.count)
        dates.append(value)
    }

    func value(at i: Int) -> CellValue {
        switch CellKind(rawValue: kinds[i])! {
        case .string: .string(fromShared[i] ? shared[Int(refs[i])] : texts[Int(refs[i])])
        case .number: .number(numbers[i])
        case .bool: .bool(numbers[i] != 0)
        case .date: numbers[i].isNaN ? .date(dates[Int(refs[i])]) : .date(dateSystem.dateTime(serial: numbers[i])!)
        case .error: .error(texts[Int(refs[i])])
        }
    }

    private func grow() {
        let newCapacity = capacity * 2
        func moved<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let fresh = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            fresh.moveInitialize(from: old, count: count)
            old.deallocate()
            return fresh
        }
        columns = moved(columns)
        kinds = moved(kinds)
        numbers = moved(numbers)
        refs = moved(refs)
        fromShared = moved(fromShared)
        capacity = newCapacity
    }
}
