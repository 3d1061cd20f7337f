import Foundation
import GRDB
import GRDBSQLite

/// SQLite copies a bound text or blob before the bind returns.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A prepared statement whose parameters are bound straight through SQLite's
/// `sqlite3_bind_*`, for the merge's hot insert (a mark, hundreds of thousands
/// in one run). GRDB's `StatementArguments` boxes each value in an existential
/// inside an array and converts it to a `DatabaseValue` before binding; for a
/// 17-column row that cost more than SQLite's own insert. The values stored
/// are the same: text as UTF-8, integers as 64-bit, reals, blobs, NULL for nil.
/// (A text is bound with its length where GRDB stops at a NUL character; the
/// readers refuse NUL bytes, so no cell's text holds one.)
///
/// Every parameter is bound for every row (nil as NULL), so a row never
/// inherits a value from the row before.
///
/// Texts and blobs are copied into a buffer of the binding's own and bound
/// from there as static, not copied by SQLite (a `malloc` and a `free` per
/// value, nine texts a mark; in a profile of the merge the binding took a
/// third as long as the insert step, and the merges of the 1,000-student demo
/// went from 11.3–12.2 s to 10.9–11.6 s without that copy). The buffer is
/// reused from `newRow()` on, when every parameter is about to be bound again;
/// a value that does not fit is bound as SQLite's copy, as before. When the
/// binding goes, the statement's parameters are cleared, so the statement
/// (GRDB keeps it cached) never points into a freed buffer.
struct DirectBinding {
    let statement: Statement
    private let handle: SQLiteStatement
    private let buffer: Buffer

    /// Bytes the bound texts and blobs of one row live in until it is stepped.
    private final class Buffer {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int
        var used = 0
        /// Held here, so the statement is finalized (if ever) only after its parameters are cleared.
        let statement: Statement

        init(capacity: Int, statement: Statement) {
            self.capacity = capacity
            self.statement = statement
            base = .allocate(capacity: capacity)
        }

        /// A copy of `bytes` in the buffer, or `nil` when the row's values fill it.
        func keep(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer? {
            guard bytes.count <= capacity - used else { return nil }
            let at = base + used
            if let source = bytes.baseAddress { at.update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
            used += bytes.count
            return UnsafeRawPointer(at)
        }

        deinit {
            sqlite3_clear_bindings(statement.sqliteStatement)
            base.deallocate()
        }
    }

    init(_ statement: Statement) {
        self.statement = statement
        // GRDB then takes the statement as bound: `execute()` resets and steps it as it stands.
        statement.setUncheckedArguments([])
        handle = statement.sqliteStatement
        buffer = Buffer(capacity: 64 * 1024, statement: statement)
    }

    /// Readies the statement for the next row's values.
    func newRow() {
        // The last step's outcome was reported by `execute()`; reset only allows binding again.
        sqlite3_reset(handle)
        buffer.used = 0
    }

    func bind(_ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        _ = text.withUTF8 { utf8 in
            if utf8.isEmpty {
                // An empty text is bound with an address of its own: no address would be NULL.
                return sqlite3_bind_text(handle, index, "", 0, transient)
            }
            let count = Int32(utf8.count)
            if let kept = buffer.keep(UnsafeRawBufferPointer(utf8)) {
                return sqlite3_bind_text(handle, index, kept.assumingMemoryBound(to: CChar.self), count, nil)
            }
            return sqlite3_bind_text(handle, index, UnsafeRawPointer(utf8.baseAddress!).assumingMemoryBound(to: CChar.self), count, transient)
        }
    }

    func bind(_ index: Int32, _ n: Int?) {
        if let n { sqlite3_bind_int64(handle, index, Int64(n)) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ n: Int64) {
        sqlite3_bind_int64(handle, index, n)
    }

    func bind(_ index: Int32, _ x: Double?) {
        if let x { sqlite3_bind_double(handle, index, x) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ blob: Data) {
        _ = blob.withUnsafeBytes { bytes in
            if !bytes.isEmpty, let kept = buffer.keep(bytes) {
                return sqlite3_bind_blob(handle, index, kept, Int32(bytes.count), nil)
            }
            return sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), transient)
        }
    }

    /// Runs the statement with the values bound; constraint failures and every other SQLite error throw as GRDB's.
    func execute() throws {
        try statement.execute()
    }
}
