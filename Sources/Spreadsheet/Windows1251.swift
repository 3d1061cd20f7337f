/// Windows-1251, the Cyrillic code page older Russian exports still use.
public enum Windows1251 {
    /// Unicode scalars of bytes 0x80–0xFF (0x98 is unassigned and reads as U+FFFD).
    static let high: [UInt32] =
        [
            0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
            0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
            0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
            0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457
        ] + (0x0410...0x044F).map { UInt32($0) }

    /// The UTF-8 bytes of each high byte's character.
    private static let highUTF8: [[UInt8]] = high.map { Array(String(Character(Unicode.Scalar($0)!)).utf8) }

    /// Decodes bytes (transcoding straight to UTF-8, no per-character string work).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        // Every byte becomes at most three.
        return String(unsafeUninitializedCapacity: bytes.count * 3) { out in
            var n = 0
            for b in bytes {
                if b < 0x80 {
                    out[n] = b
                    n += 1
                } else {
                    for u in highUTF8[Int(b) - 0x80] {
                        out[n] = u
                        n += 1
                    }
                }
            }
            return n
        }
    }

    private static let reverse: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (i, scalar) in high.enumerated() where scalar != 0xFFFD { map[scalar] = UInt8(0x80 + i) }
        return map
    }()

    /// Encodes text; characters the code page lacks become `?`.
    public static func encode(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { s in
            s.value < 0x80 ? UInt8(s.value) : reverse[s.value] ?? UInt8(ascii: "?")
        }
    }
}
