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

    /// Texts and blobs are bound from a buffer of the binding's own; a row too big for it
    /// is bound as SQLite's copy, and the rows after it use the buffer again.
    @Test func rowsBeyondTheBindingsBufferAreStoredWhole() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER, a TEXT, b TEXT, e BLOB)")
            let long = String(repeating: "Ж", count: 40_000) // 80,000 bytes: more than the buffer
            let rows: [(a: String, b: String?, e: Data)] = [
                ("первый", "второй", Data(repeating: 1, count: 32)),
                (long, long, Data(repeating: 2, count: 70_000)),
                ("после", nil, Data(repeating: 3, count: 32)),
                (String(repeating: "я", count: 5_000), "x", Data())
            ]
            let direct = DirectBinding(try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?)"))
            for (i, r) in rows.enumerated() {
                direct.newRow()
                direct.bind(1, i)
                direct.bind(2, r.a)
                direct.bind(3, r.b)
                direct.bind(4, r.e)
                try direct.execute()
            }
            let stored = try Row.fetchAll(db, sql: "SELECT a, b, e FROM t ORDER BY n")
            #expect(stored.count == rows.count)
            for (i, r) in rows.enumerated() {
                #expect(stored[i][0] as String == r.a, "row \(i)")
                #expect(stored[i][1] as String? == r.b, "row \(i)")
                #expect(stored[i][2] as Data? ?? Data() == r.e, "row \(i)")
            }
        }
        // The binding is gone; its statement, cached, runs again with GRDB's own arguments.
        try queue.write { db in
            try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?)").execute(arguments: [9, "снова", nil, nil])
            #expect(try String.fetchOne(db, sql: "SELECT a FROM t WHERE n = 9") == "снова")
        }
    }

    /// A query bound directly, row after row, is answered for the values bound each time.
    @Test func aQueryBoundDirectlyAnswersForEachBinding() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (k TEXT, v INTEGER)")
            try db.execute(sql: "INSERT INTO t VALUES ('а', 1), ('а', 2), ('б', 3)")
            let query = DirectBinding(try db.cachedStatement(sql: "SELECT COUNT(DISTINCT v) FROM t WHERE k = ? AND v >= ?"))
            for (k, least, expected) in [("а", 0, 2), ("б", 0, 1), ("а", 2, 1), ("в", 0, 0)] {
                query.newRow()
                query.bind(1, k)
                query.bind(2, least)
                #expect(try Int.fetchOne(query.statement) == expected, "\(k) \(least)")
            }
        }
    }
}
