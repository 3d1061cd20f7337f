import Foundation
public import GRDB

/// A current mark (a lesson's mark from the gradebook) as the ledger keeps it:
/// packed with the other current marks one file gave one student in one
/// subject and year (`current_marks`), not as a row of its own. Current marks
/// are nine in ten of a ledger's facts, and a row each made SQLite's inserts
/// most of a merge; a pack is one insert for a whole term's marks, and a
/// student's dossier reads a few dozen packs instead of hundreds of rows.
struct PackedMark: Equatable {
    /// The fact's identity (`FactIdentity`, 32 bytes): the same mark from two files is one.
    var identity: Data
    var fact: Int64
    var schoolClass: String?
    var value: String
    var date: String?
    var work: String?
    var weight: Double?
    var sheet: String?
    var row: Int?
    var column: Int?
    var sign: String?
}

/// One pack's columns: the identities (32 bytes each) and the marks' fields, in one order.
struct MarkPack: Sendable {
    var identities = Data()
    var entries = Data()
    var count = 0

    /// The marks in identity order: a pack's bytes depend on its marks alone, not on the order they came in.
    init(_ marks: [PackedMark]) {
        var builder = Builder()
        for m in marks { builder.add(m) }
        self = builder.pack()
    }

    /// A pack's marks encoded as they come (in a parse task, for the merge), then put in identity order.
    struct Builder: Sendable {
        private var ids: [UInt8] = []
        private var bytes: [UInt8] = []
        /// Where each mark's fields end in `bytes`.
        private var ends: [Int] = []

        init() {}

        mutating func add(_ m: PackedMark) {
            add(
                identity: m.identity, fact: m.fact, schoolClass: m.schoolClass, value: m.value, date: m.date, work: m.work, weight: m.weight,
                sheet: m.sheet, row: m.row, column: m.column, sign: m.sign)
        }

        mutating func add(
            identity: Data, fact: Int64, schoolClass: String?, value: String, date: String?, work: String?, weight: Double?, sheet: String?,
            row: Int?, column: Int?, sign: String?
        ) {
            precondition(identity.count == 32, "a fact's identity is a SHA-256")
            identity.withUnsafeBytes { ids.append(contentsOf: $0) }
            withUnsafeBytes(of: fact.littleEndian) { bytes.append(contentsOf: $0) }
            MarkPack.text(schoolClass, &bytes)
            MarkPack.text(value, &bytes)
            MarkPack.text(date, &bytes)
            MarkPack.text(work, &bytes)
            if let w = weight {
                bytes.append(1)
                withUnsafeBytes(of: w.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            } else {
                bytes.append(0)
            }
            MarkPack.text(sheet, &bytes)
            MarkPack.int(row, &bytes)
            MarkPack.int(column, &bytes)
            MarkPack.text(sign, &bytes)
            ends.append(bytes.count)
        }

        func pack() -> MarkPack {
            ids.withUnsafeBytes { ids in
                // Sorted as indexes, by the identities' first eight bytes, then all 32 (as SQLite orders blobs).
                let order = ends.indices.sorted { a, b in
                    let x = UInt64(bigEndian: ids.loadUnaligned(fromByteOffset: a * 32, as: UInt64.self))
                    let y = UInt64(bigEndian: ids.loadUnaligned(fromByteOffset: b * 32, as: UInt64.self))
                    return x != y ? x < y : memcmp(ids.baseAddress! + a * 32, ids.baseAddress! + b * 32, 32) < 0
                }
                var pack = MarkPack()
                var sortedIDs = [UInt8](repeating: 0, count: ids.count)
                var sortedBytes: [UInt8] = []
                sortedBytes.reserveCapacity(bytes.count)
                sortedIDs.withUnsafeMutableBytes { out in
                    for (k, i) in order.enumerated() {
                        out.baseAddress!.advanced(by: k * 32).copyMemory(from: ids.baseAddress! + i * 32, byteCount: 32)
                        sortedBytes.append(contentsOf: bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]])
                    }
                }
                pack.identities = Data(sortedIDs)
                pack.entries = Data(sortedBytes)
                pack.count = order.count
                return pack
            }
        }
    }

    private init() {}

    /// The marks a pack holds; a pack that does not decode is a fault of the ledger, never a skip.
    static func marks(identities: Data, entries: Data, student: String) throws(UnreadableRow) -> [PackedMark] {
        guard identities.count % 32 == 0 else {
            throw UnreadableRow(table: "current_marks", student: student, column: "identities", value: "\(identities.count) байт")
        }
        let decoded: [PackedMark]? = entries.withUnsafeBytes { raw -> [PackedMark]? in
            var reader = Reader(bytes: raw)
            var marks: [PackedMark] = []
            marks.reserveCapacity(identities.count / 32)
            var i = identities.startIndex
            while i < identities.endIndex {
                guard let m = reader.mark(identity: identities[i..<i + 32]) else { return nil }
                marks.append(m)
                i += 32
            }
            return reader.atEnd ? marks : nil
        }
        guard let decoded else {
            throw UnreadableRow(table: "current_marks", student: student, column: "entries", value: "\(entries.count) байт")
        }
        return decoded
    }

    // Each field in turn (`Builder.add`): a text as its UTF-8 length (UInt32, 0xFFFFFFFF for none) and bytes,
    // an integer or a number as a tag byte (0 none, 1 present) and 8 bytes, little-endian.

    fileprivate static func text(_ s: String?, _ bytes: inout [UInt8]) {
        guard var s else {
            withUnsafeBytes(of: UInt32.max.littleEndian) { bytes.append(contentsOf: $0) }
            return
        }
        s.withUTF8 { utf8 in
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
    }

    fileprivate static func int(_ n: Int?, _ bytes: inout [UInt8]) {
        guard let n else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        withUnsafeBytes(of: Int64(n).littleEndian) { bytes.append(contentsOf: $0) }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        var atEnd: Bool { at == bytes.count }

        mutating func mark(identity: Data) -> PackedMark? {
            guard let fact = int64(), let schoolClass = text(), let written = text(), let value = written, let date = text(),
                let work = text(), let weight = number(), let sheet = text(), let row = int(), let column = int(), let sign = text()
            else { return nil }
            return PackedMark(
                identity: Data(identity), fact: fact, schoolClass: schoolClass, value: value, date: date, work: work, weight: weight,
                sheet: sheet, row: row, column: column, sign: sign)
        }

        private mutating func int64() -> Int64? {
            guard at + 8 <= bytes.count else { return nil }
            defer { at += 8 }
            return Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self))
        }

        /// nil: the bytes end; `.some(nil)`: no text.
        private mutating func text() -> String?? {
            guard at + 4 <= bytes.count else { return nil }
            let n = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            at += 4
            if n == .max { return .some(nil) }
            guard Int(n) <= bytes.count - at else { return nil }
            defer { at += Int(n) }
            guard let s = String(validating: UnsafeRawBufferPointer(rebasing: bytes[at..<at + Int(n)]), as: UTF8.self) else { return nil }
            return .some(s)
        }

        /// Whether a value follows; nil when the bytes end or the tag is neither 0 nor 1.
        private mutating func tag() -> Bool? {
            guard at < bytes.count else { return nil }
            defer { at += 1 }
            switch bytes[at] {
            case 0: return false
            case 1: return true
            default: return nil
            }
        }

        private mutating func int() -> Int?? {
            guard let present = tag() else { return nil }
            guard present else { return .some(nil) }
            return int64().map { .some(Int($0)) }
        }

        private mutating func number() -> Double?? {
            guard let present = tag() else { return nil }
            guard present else { return .some(nil) }
            return int64().map { .some(Double(bitPattern: UInt64(bitPattern: $0))) }
        }
    }
}

/// The ledger's packs of current marks.
public enum CurrentMarks {
    /// A pack as stored.
    struct Stored {
        var id: Int64
        var fileID: Int64
        /// The SHA-256 of the file its marks cite, for the merge's choice of citation.
        var fileHash: String
        var marks: [PackedMark]
    }

    /// Writes a pack of a student's marks in a subject and year that cite one file; the
    /// marks it already holds for that file are kept (the pack is made again with both).
    static func add(_ db: Database, _ marks: [PackedMark], student: String, subject: String, year: Int, fileID: Int64) throws {
        guard !marks.isEmpty else { return }
        if let held = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT id, identities, entries FROM current_marks WHERE student_id = ? AND subject = ? AND year = ? AND file_id = ?"),
            arguments: [student, subject, year, fileID])
        {
            let all = try MarkPack.marks(identities: held[1], entries: held[2], student: student) + marks
            try replace(db, id: held[0], with: all, student: student)
            return
        }
        try insert(db, MarkPack(marks), student: student, subject: subject, year: year, fileID: fileID)
    }

    static func insert(_ db: Database, _ pack: MarkPack, student: String, subject: String, year: Int, fileID: Int64) throws {
        try db.cachedStatement(
            sql: "INSERT INTO current_marks (student_id, subject, year, file_id, count, identities, entries) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        .execute(arguments: [student, subject, year, fileID, pack.count, pack.identities, pack.entries])
    }

    /// A pack made again with these marks, or removed when none are left.
    static func replace(_ db: Database, id: Int64, with marks: [PackedMark], student: String) throws {
        if marks.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM current_marks WHERE id = ?").execute(arguments: [id])
            return
        }
        let pack = MarkPack(marks)
        try db.cachedStatement(sql: "UPDATE current_marks SET count = ?, identities = ?, entries = ? WHERE id = ?")
            .execute(arguments: [pack.count, pack.identities, pack.entries, id])
    }

    /// The packs of a student's marks in a subject and year, from every file.
    static func held(_ db: Database, student: String, subject: String, year: Int) throws -> [Stored] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT p.id, p.file_id, f.sha256, p.identities, p.entries FROM current_marks p JOIN file f ON f.id = p.file_id
                    WHERE p.student_id = ? AND p.subject = ? AND p.year = ? ORDER BY p.file_id
                    """),
            arguments: [student, subject, year]
        )
        .map { Stored(id: $0[0], fileID: $0[1], fileHash: $0[2], marks: try MarkPack.marks(identities: $0[3], entries: $0[4], student: student)) }
    }

    /// Moves the ledger's current marks from rows of `mark` into packs (the v10 migration).
    static func packRows(_ db: Database) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT student_id, subject, year, file_id, identity, fact, class, value, date, work, weight, sheet, row, col, sign
                FROM mark WHERE kind = 'current' ORDER BY student_id, subject, year, file_id
                """)
        var key: (student: String, subject: String, year: Int, file: Int64)?
        var marks: [PackedMark] = []
        func flush() throws {
            guard let key, !marks.isEmpty else { return }
            try insert(db, MarkPack(marks), student: key.student, subject: key.subject, year: key.year, fileID: key.file)
            marks.removeAll(keepingCapacity: true)
        }
        while let r = try rows.next() {
            let k: (student: String, subject: String, year: Int, file: Int64) = (r[0], r[1], r[2], r[3])
            if let key, key != k { try flush() }
            key = k
            // A pack holds 32 bytes an identity: a row holding another length is a fault, named.
            let identity: Data = r[4]
            guard identity.count == 32 else {
                throw UnreadableRow(table: "mark", student: k.student, column: "identity", value: "\(identity.count) байт")
            }
            marks.append(
                PackedMark(
                    identity: identity, fact: r[5], schoolClass: r[6], value: r[7], date: r[8], work: r[9], weight: r[10], sheet: r[11],
                    row: r[12], column: r[13], sign: r[14]))
        }
        try flush()
        try db.execute(sql: "DELETE FROM mark WHERE kind = 'current'")
    }

    /// Every current mark in the ledger as a row with the columns of `mark` (`student_id`,
    /// `identity`, `fact`, `subject`, `year`, `class`, `kind`, `period`, `value`, `date`, `work`,
    /// `weight`, `file_id`, `sheet`, `row`, `col`, `sign`), in pack order: for tests and `LedgerDump`.
    public static func rows(_ db: Database) throws -> [Row] {
        var rows: [Row] = []
        for r in try Row.fetchAll(
            db, sql: "SELECT student_id, subject, year, file_id, identities, entries FROM current_marks ORDER BY student_id, subject, year, file_id")
        {
            let student: String = r[0]
            for m in try MarkPack.marks(identities: r[4], entries: r[5], student: student) {
                rows.append(
                    Row([
                        "student_id": student, "identity": m.identity, "fact": m.fact, "subject": r[1] as String, "year": r[2] as Int,
                        "class": m.schoolClass, "kind": "current", "period": nil, "value": m.value, "date": m.date, "work": m.work,
                        "weight": m.weight, "file_id": r[3] as Int64, "sheet": m.sheet, "row": m.row, "col": m.column, "sign": m.sign
                    ]))
            }
        }
        return rows
    }
}
