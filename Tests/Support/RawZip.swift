import Foundation
import ZipIO

/// Writes zip archives byte by byte, so tests can make the archives no
/// honest tool makes: sizes that lie, names that escape, thousands of copies
/// of one compressed entry (a zip bomb that costs milliseconds to build).
public enum RawZip {
    public struct Entry {
        public var name: String
        /// 0 stored, 8 deflated.
        public var method: UInt16
        public var data: [UInt8]
        public var crc: UInt32
        /// What the headers declare; set it to lie.
        public var uncompressedSize: UInt32
        /// General-purpose flags (bit 0: encrypted).
        public var flags: UInt16 = 0

        public init(name: String, method: UInt16, data: [UInt8], crc: UInt32, uncompressedSize: UInt32, flags: UInt16 = 0) {
            self.name = name
            self.method = method
            self.data = data
            self.crc = crc
            self.uncompressedSize = uncompressedSize
            self.flags = flags
        }

        /// A stored entry of `bytes`.
        public static func stored(_ name: String, _ bytes: [UInt8]) -> Entry {
            Entry(name: name, method: 0, data: bytes, crc: CRC32.of(bytes), uncompressedSize: UInt32(bytes.count))
        }
    }

    /// Deflates `bytes` through libzip and returns the raw deflate stream.
    public static func deflated(_ name: String, _ bytes: [UInt8]) throws -> Entry {
        let folder = TemporaryDirectory("rawzip")
        let path = folder.file("one.zip")
        var zip = try ZipWriter(path: path)
        try zip.add("x", bytes: bytes, compression: .deflated)
        try zip.finish()
        let file = try readBytes(path)
        let csize = Int(u32(file, 18))
        let nameLength = Int(u16(file, 26))
        let extraLength = Int(u16(file, 28))
        let start = 30 + nameLength + extraLength
        return Entry(
            name: name, method: 8, data: Array(file[start..<start + csize]), crc: u32(file, 14),
            uncompressedSize: UInt32(bytes.count))
    }

    /// The bytes of an archive holding `entries` in order.
    public static func archive(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let offset = UInt32(out.count)
            let name = Array(entry.name.utf8)
            let flags = entry.flags | 0x0800 // UTF-8 names
            out += le32(0x0403_4B50) + le16(20) + le16(flags) + le16(entry.method) + le16(0) + le16(0x21)
            out += le32(entry.crc) + le32(UInt32(entry.data.count)) + le32(entry.uncompressedSize)
            out += le16(UInt16(name.count)) + le16(0) + name + entry.data
            central += le32(0x0201_4B50) + le16(0x031E) + le16(20) + le16(flags) + le16(entry.method) + le16(0) + le16(0x21)
            central += le32(entry.crc) + le32(UInt32(entry.data.count)) + le32(entry.uncompressedSize)
            central += le16(UInt16(name.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0o100644 << 16) + le32(offset) + name
        }
        let centralOffset = UInt32(out.count)
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
        return out
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[at + $1]) << (8 * $1) } }
}

/// CRC-32 (zip's), for hand-made archives.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func of(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension RawZip {
    /// The DOS time and date (4 bytes) of every local and central header in a
    /// zip's bytes: a deterministic writer gives 1980-01-01 00:00 in each,
    /// whatever the clock says (checked directly, not by waiting for it to tick).
    public static func headerTimestamps(_ bytes: [UInt8]) -> [[UInt8]] {
        var stamps: [[UInt8]] = []
        var i = 0
        while i + 16 <= bytes.count {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B {
                if bytes[i + 2] == 0x03, bytes[i + 3] == 0x04 { stamps.append(Array(bytes[(i + 10)..<(i + 14)])) }
                if bytes[i + 2] == 0x01, bytes[i + 3] == 0x02 { stamps.append(Array(bytes[(i + 12)..<(i + 16)])) }
            }
            i += 1
        }
        return stamps
    }
}
