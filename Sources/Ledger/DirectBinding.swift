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
struct DirectBinding {
    let statement: Statement
    private let handle: SQLiteStatement

    init(_ statement: Statement) {
        self.statement = statement
        // GRDB then takes the statement as bound: `execute()` resets and steps it as it stands.
        statement.setUncheckedArguments([])
        handle = statement.sqliteStatement
    }

    /// Readies the statement for the next row's values.
    func newRow() {
        // The last step's outcome was reported by `execute()`; reset only allows binding again.
        sqlite3_reset(handle)
    }

    func bind(_ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        _ = text.withUTF8 { utf8 in
            // An empty buffer may have no address, which SQLite would take for NULL.
            if let base = utf8.baseAddress {
                sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(utf8.count), transient)
            } else {
                sqlite3_bind_text(handle, index, "", 0, transient)
            }
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
            sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), transient)
        }
    }

    /// Runs the statement with the values bound; constraint failures and every other SQLite error throw as GRDB's.
    func execute() throws {
        try statement.execute()
    }
}
