import Foundation
import GRDB
@testable import Ledger
import Testing

/// The merge binds a mark's values straight through SQLite: they must be
/// stored exactly as GRDB's own binding stores them, and no row may keep a
/// value of the row before.
@Suite struct DirectBindingTests {
    @Test func valuesAreStoredAsGRDBStoresThem() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER, a TEXT, b TEXT, c INTEGER, d REAL, e BLOB, f INTEGER)")
            let sql = "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)"
            let rows: [(text: String?, other: String?, int: Int?, real: Double?, blob: Data, big: Int64)] = [
                ("Алгебра «5-»", "", 2025, 0.5, Data([0, 1, 2, 255]), Int64.min),
                (nil, nil, nil, nil, Data(repeating: 7, count: 32), Int64.max),
                ("тест\u{1}\u{1F}-", "a\u{7}b", -1, -0.0, Data([42]), 0)
            ]
            let direct = DirectBinding(try db.cachedStatement(sql: sql))
            for (i, r) in rows.enumerated() {
                direct.newRow()
                direct.bind(1, i)
                direct.bind(2, r.text)
                direct.bind(3, r.other)
                direct.bind(4, r.int)
                direct.bind(5, r.real)
                direct.bind(6, r.blob)
                direct.bind(7, r.big)
                try direct.execute()
            }
            for (i, r) in rows.enumerated() {
                try db.execute(sql: sql, arguments: [100 + i, r.text, r.other, r.int, r.real, r.blob, r.big])
            }
            let stored = try Row.fetchAll(db, sql: "SELECT a, b, c, d, e, f, typeof(a), typeof(b), typeof(c), typeof(d), typeof(e) FROM t ORDER BY n")
            #expect(stored.count == 2 * rows.count)
            for i in rows.indices {
                #expect(stored[i] == stored[rows.count + i], "row \(i)")
            }
            // An empty text stays an empty text, not NULL; nil is NULL.
            #expect(stored[0][1] as String? == "")
            #expect(stored[1][0] as String? == nil)
        }
    }

    @Test func aFailingRowThrowsAndTheNextRowStillGoesIn() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
            let direct = DirectBinding(try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?)"))
            direct.newRow()
            direct.bind(1, "a")
            direct.bind(2, 1)
            try direct.execute()
            direct.newRow()
            direct.bind(1, "b")
            direct.bind(2, nil as Int?)
            #expect(throws: DatabaseError.self) { try direct.execute() }
            direct.newRow()
            direct.bind(1, "c")
            direct.bind(2, 3)
            try direct.execute()
            #expect(try String.fetchAll(db, sql: "SELECT k || '=' || v FROM t ORDER BY k") == ["a=1", "c=3"])
        }
    }
}
