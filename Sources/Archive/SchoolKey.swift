public import Crypto
import Foundation
import SystemText
#if canImport(Glibc)
import Glibc
import Digest
#endif

/// A problem with keys or a package, in Russian.
public struct ArchiveError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The school's Ed25519 key pair: the private key seals packages, the public
/// key (PEM, for archivists) checks them, with any tool that speaks Ed25519
/// (`openssl pkeyutl -verify -rawin`).
public enum SchoolKey {
    /// DER prefixes of an Ed25519 key in SubjectPublicKeyInfo (RFC 8410) and PKCS #8.
    static let spkiPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
    static let pkcs8Prefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

    public static let privateName = "school.key.pem"
    public static let publicName = "school.pub.pem"

    /// Creates a key pair in `folder` (owner-only private key); refuses to
    /// replace an existing one. Returns the public key's fingerprint.
    public static func create(in folder: String) throws -> String {
        let privatePath = folder + "/" + privateName
        let publicPath = folder + "/" + publicName
        for path in [privatePath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw ArchiveError("ключ уже есть: \(path); старый ключ не заменяется (пакеты, запечатанные им, проверяются только им). Чтобы завести новый, перенесите старые файлы ключа в надёжное место")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = Curve25519.Signing.PrivateKey()
        let privatePEM = pem(pkcs8Prefix + Array(key.rawRepresentation), label: "PRIVATE KEY")
        let publicPEM = pem(spkiPrefix + Array(key.publicKey.rawRepresentation), label: "PUBLIC KEY")
        try writeNew(privatePath, privatePEM, mode: 0o600)
        do { try writeNew(publicPath, publicPEM, mode: 0o644) } catch { unlink(privatePath); throw error }
        return fingerprint(key.publicKey)
    }

    public static func loadPrivate(folder: String) throws -> Curve25519.Signing.PrivateKey {
        let path = folder + "/" + privateName
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ArchiveError("нет закрытого ключа школы \(path): создайте его командой uchet keys init")
        }
        let der = try decode(pem: text, label: "PRIVATE KEY", file: path)
        guard der.count == pkcs8Prefix.count + 32, Array(der.prefix(pkcs8Prefix.count)) == pkcs8Prefix else {
            throw ArchiveError("\(path): это не закрытый ключ Ed25519 (PKCS #8)")
        }
        return try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
    }

    public static func loadPublic(path: String) throws -> Curve25519.Signing.PublicKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ArchiveError("открытый ключ \(path) не читается") }
        let der = try decode(pem: text, label: "PUBLIC KEY", file: path)
        guard der.count == spkiPrefix.count + 32, Array(der.prefix(spkiPrefix.count)) == spkiPrefix else {
            throw ArchiveError("\(path): это не открытый ключ Ed25519 (SubjectPublicKeyInfo)")
        }
        return try Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
    }

    /// `SHA256:ab12…` of the public key's DER, as `ssh-keygen -l` shows fingerprints, in hex pairs.
    public static func fingerprint(_ key: Curve25519.Signing.PublicKey) -> String {
        let digest = SHA256.hash(data: spkiPrefix + Array(key.rawRepresentation))
        return "SHA256:" + Hex.string(digest, separator: ":")
    }

    /// Creates `path` with `mode` from the first byte (no window in which
    /// a private key is readable by others), failing if it exists.
    static func writeNew(_ path: String, _ text: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ArchiveError("файл \(path) не создаётся: \(systemErrorText())") }
        defer { close(fd) }
        _ = fchmod(fd, mode)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw ArchiveError("файл \(path) не записан: \(systemErrorText())")
        }
    }

    static func pem(_ der: [UInt8], label: String) -> String {
        let b64 = Data(der).base64EncodedString()
        var lines: [String] = []
        var i = b64.startIndex
        while i < b64.endIndex {
            let j = b64.index(i, offsetBy: 64, limitedBy: b64.endIndex) ?? b64.endIndex
            lines.append(String(b64[i..<j]))
            i = j
        }
        return "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n") + "\n-----END \(label)-----\n"
    }

    static func decode(pem text: String, label: String, file: String) throws -> [UInt8] {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        guard let a = text.range(of: begin), let b = text.range(of: end), a.upperBound <= b.lowerBound,
              let data = Data(base64Encoded: text[a.upperBound..<b.lowerBound].filter { !$0.isWhitespace }) else {
            throw ArchiveError("\(file): нет блока «\(begin)» в формате PEM")
        }
        return Array(data)
    }
}
