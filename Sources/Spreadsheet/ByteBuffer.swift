/// A growable byte buffer reused across cells, so collecting a cell's text
/// costs no allocation once it has grown to the longest value. Kept
/// NUL-terminated for `strtod`.
final class ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var count = 0
    let limit: Int

    init(capacity: Int = 256, limit: Int) {
        self.capacity = capacity
        self.limit = limit
        base = .allocate(capacity: capacity + 1)
        base[0] = 0
    }

    deinit { base.deallocate() }

    @inline(__always)
    func reset() {
        count = 0
        base[0] = 0
    }

    /// Appends; false when the text would pass `limit`.
    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        if count + n > capacity {
            guard count + n <= limit else { return false }
            grow(to: max(count + n, capacity * 2))
        }
        (base + count).update(from: bytes.baseAddress!, count: n)
        count += n
        base[count] = 0
        return true
    }

    /// Removes leading and trailing XML whitespace (space, tab, CR, LF) from
    /// the bytes appended since `start`, as Excel reads a `<t>` without
    /// `xml:space="preserve"`. Text that is whitespace only is kept (Excel
    /// shows a run of one space between two runs).
    func trimXMLWhitespace(from start: Int) {
        guard start < count else { return }
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var first = start
        while first < count, isSpace(base[first]) { first += 1 }
        guard first < count else { return }
        var end = count
        while end > first, isSpace(base[end - 1]) { end -= 1 }
        if first > start { (base + start).update(from: base + first, count: end - first) }
        count = start + (end - first)
        base[count] = 0
    }

    private func grow(to newCapacity: Int) {
        let capped = min(newCapacity, limit)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: capped + 1)
        fresh.update(from: base, count: count + 1)
        base.deallocate()
        base = fresh
        capacity = capped
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// Number parsing from bytes, without making a String.
enum NumberParsing {
    /// Parses an integer of up to 18 digits, with optional sign; `nil` otherwise.
    @inline(__always)
    static func integer(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        guard n > 0, n <= 19 else { return nil }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        } else if p[0] == UInt8(ascii: "+") {
            i = 1
        }
        guard i < n, n - i <= 18 else { return nil }
        var value = 0
        while i < n {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int(d)
            i += 1
        }
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { a, _ in a * 10 } }

    /// Parses a decimal number as XML writes it (`4`, `-0.25`, `1E-07`);
    /// `nil` when the bytes are not one. Up to 15 significant digits and a
    /// small exponent take Clinger's exact fast path; anything else goes
    /// through the standard library's locale-independent conversion.
    @inline(__always)
    static func double(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> Double? {
        if let i = integer(p, n) { return Double(i) }
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        } else if p[0] == UInt8(ascii: "+") {
            i = 1
        }
        var mantissa = 0
        var digits = 0
        var scale = 0
        var sawDigit = false
        var sawPoint = false
        while i < n {
            let b = p[i]
            if b >= 0x30 && b <= 0x39 {
                sawDigit = true
                if digits > 0 || b != 0x30 { digits += 1 }
                if digits <= 15 { mantissa = mantissa * 10 + Int(b - 0x30) } else if !sawPoint { scale += 1 }
                if sawPoint && digits <= 15 { scale -= 1 }
            } else if b == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        if i < n {
            guard p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") else { return nil }
            i += 1
            var expNegative = false
            if i < n, p[i] == UInt8(ascii: "-") {
                expNegative = true
                i += 1
            } else if i < n, p[i] == UInt8(ascii: "+") {
                i += 1
            }
            guard i < n else { return nil }
            var exponent = 0
            while i < n {
                let d = p[i] &- 0x30
                guard d < 10 else { return nil }
                exponent = min(exponent * 10 + Int(d), 100_000)
                i += 1
            }
            scale += expNegative ? -exponent : exponent
        }
        if digits <= 15, abs(scale) <= 22 {
            let m = Double(mantissa)
            let value = scale >= 0 ? m * powersOfTen[scale] : m / powersOfTen[-scale]
            return negative ? -value : value
        }
        return Double(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
    }
}
