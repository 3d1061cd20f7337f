import Digest
import Foundation
import GRDB

/// A fact's identity: SHA-256 over its fields as the ledger stores them, each
/// written with a tag and its length, so no field's bytes can pass for
/// another's (a cell holding any character is its own fact) and two facts are
/// one only when every field is equal. The same fact twice in one file (two
/// fives on one day) is told apart by its ordinal.
///
/// The ledger's `fact` number (FNV-1a of the same fields, 64 bits) stays as the
/// order of a student's facts in outputs and as what a conflict's winner names;
/// sameness is decided by the identity alone, so a collision of `fact` numbers
/// loses nothing.
struct FactIdentity: Hashable {
    private(set) var bytes: [UInt8] = []

    // Hashed as one run of bytes: the synthesized conformance feeds the hasher byte by byte.
    static func == (a: FactIdentity, b: FactIdentity) -> Bool { a.bytes == b.bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    private init(table: UInt8) {
        bytes.reserveCapacity(96)
        bytes.append(table)
    }

    private mutating func text(_ field: String?) {
        guard var s = field else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        s.withUTF8 { utf8 in
            length(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    private mutating func int(_ n: Int?) {
        guard let n else {
            bytes.append(0)
            return
        }
        bytes.append(2)
        withUnsafeBytes(of: Int64(n).littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func number(_ x: Double?) {
        guard let x else {
            bytes.append(0)
            return
        }
        bytes.append(3)
        withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func length(_ n: Int) {
        withUnsafeBytes(of: UInt32(n).littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// The identity to store: the fields and the ordinal, hashed.
    func stored(ordinal: Int) -> Data {
        // The fields, then tag 4 and the ordinal: hashed as one run of bytes, without copying the fields.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 9) { tail in
            tail[0] = 4
            withUnsafeBytes(of: Int64(ordinal).littleEndian) { for i in 0..<8 { tail[1 + i] = $0[i] } }
            return Data(SHA256Bytes.of(bytes, then: UnsafeRawBufferPointer(tail)))
        }
    }

    // The fields of each kind of fact, as the ledger's columns hold them: the
    // merge and the migration that gave old ledgers their identities call these.

    /// A period mark's source kind is part of it (the journal confirming a hand-kept
    /// sheet is a fact of its own); a current mark's kind of work and sign are.
    static func mark(
        student: String, subject: String, year: Int, kind: String, period: String?, value: String, date: String?,
        work: String?, sign: String?, source: String?
    ) -> FactIdentity {
        var f = FactIdentity(table: 1)
        f.text(student)
        f.text(subject)
        f.int(year)
        f.text(kind)
        f.text(period)
        f.text(value)
        f.text(date)
        if kind == "current" {
            f.text(work)
            f.text(sign)
        } else {
            f.text(source)
        }
        return f
    }

    /// A registration without a result is told apart by its word and level; results by their values.
    static func exam(
        student: String, subject: String, form: String, year: Int, date: String?, mark: String?, primaryScore: Double?,
        testScore: Double?, retake: Bool, noResult: String?, level: String?
    ) -> FactIdentity {
        var f = FactIdentity(table: 2)
        f.text(student)
        f.text(subject)
        f.text(form)
        f.int(year)
        f.text(date)
        f.text(mark)
        f.number(primaryScore)
        f.number(testScore)
        f.int(retake ? 1 : 0)
        f.text(noResult)
        if noResult != nil { f.text(level) }
        return f
    }

    static func achievement(
        student: String, group: String, category: String, event: String, level: String?, result: String?, date: String?,
        year: Int, documentNumber: String?, scanSHA256: String?
    ) -> FactIdentity {
        var f = FactIdentity(table: 3)
        f.text(student)
        f.text(group)
        f.text(category)
        f.text(event)
        f.text(level)
        f.text(result)
        f.text(date)
        f.int(year)
        f.text(documentNumber)
        f.text(scanSHA256)
        return f
    }

    static func encouragement(student: String, kind: String, area: String, orderNumber: String?, orderDate: String?, year: Int) -> FactIdentity {
        var f = FactIdentity(table: 4)
        f.text(student)
        f.text(kind)
        f.text(area)
        f.text(orderNumber)
        f.text(orderDate)
        f.int(year)
        return f
    }

    static func development(
        student: String, kind: String, category: String, indicator: String?, value: String, date: String?,
        year: Int
    ) -> FactIdentity {
        var f = FactIdentity(table: 5)
        f.text(student)
        f.text(kind)
        f.text(category)
        f.text(indicator)
        f.text(value)
        f.text(date)
        f.int(year)
        return f
    }

    /// The school's record of an attestat handed out: every value as written.
    static func attestatIssue(student: String, year: Int, fields: [String?]) -> FactIdentity {
        var f = FactIdentity(table: 6)
        f.text(student)
        f.int(year)
        for field in fields { f.text(field) }
        return f
    }
}
