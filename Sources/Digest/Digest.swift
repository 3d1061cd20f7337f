public import Crypto

/// Lower-case hexadecimal, as hashes are written in manifests, reports and file names.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `0a1b…`; with a separator, `0a:1b:…` (a key's fingerprint read out over the phone).
    public static func string(_ bytes: some Sequence<UInt8>, separator: String = "") -> String {
        var out: [UInt8] = []
        let sep = Array(separator.utf8)
        for (i, b) in bytes.enumerated() {
            if i > 0 { out += sep }
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SHA-256 as lower-case hex.
public enum SHA256Hex {
    public static func of(_ bytes: some Sequence<UInt8>) -> String { Hex.string(SHA256.hash(data: Array(bytes))) }

    /// The hex of a hash already computed (a streaming hasher's result).
    public static func of(digest: SHA256.Digest) -> String { Hex.string(digest) }
}

/// SHA-256 as its 32 bytes (an identity kept in a database column).
public enum SHA256Bytes {
    public static func of(_ bytes: some Sequence<UInt8>) -> [UInt8] { SHA256.hash(data: Array(bytes)).withUnsafeBytes { Array($0) } }

    /// SHA-256 of `bytes` followed by `suffix`, without joining them into a copy first.
    public static func of(_ bytes: [UInt8], then suffix: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: bytes)
        hasher.update(bufferPointer: suffix)
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }
}
