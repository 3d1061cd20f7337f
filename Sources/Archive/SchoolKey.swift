public import Crypto
import Foundation
import SystemText
#if canImport(Glibc)
    import Glibc
#endif
import Digest
import FileIO

/// A problem with the school's keys or with what a package is made from.
public enum ArchiveError: Error, CustomStringConvertible, Sendable, Equatable {
    case keyExists(path: String)
    case noPrivateKey(path: String)
    case notPrivateKey(path: String)
    case notPublicKey(path: String)
    case notPEM(path: String, label: String)
    case noStudents(year: String, schoolClass: String)
    case scanMissing(sha256: String, name: String?, store: String)
    case schemaMissing(path: String)

    public var description: String {
        switch self {
        case .keyExists(let path):
            "ключ уже есть: \(path); старый ключ не заменяется (пакеты, запечатанные им, проверяются только им). "
                + "Чтобы завести новый, перенесите старые файлы ключа в надёжное место"
        case .noPrivateKey(let path): "нет закрытого ключа школы \(path): создайте его командой uchet keys init"
        case .notPrivateKey(let path): "\(path): это не закрытый ключ Ed25519 (PKCS #8)"
        case .notPublicKey(let path): "\(path): это не открытый ключ Ed25519 (SubjectPublicKeyInfo)"
        case .notPEM(let path, let label): "\(path): нет блока «-----BEGIN \(label)-----» в формате PEM"
        case .noStudents(let year, let schoolClass): "в \(year) нет класса «\(schoolClass)» (или в нём нет обучающихся)"
        case .scanMissing(let sha, let name, let store):
            "скан \(sha) (\(name ?? "")) не найден в \(store): хранилище сканов повреждено; восстановите его из резервной копии"
        case .schemaMissing(let path): "нет схемы \(path): восстановите папку schemas/ из поставки Uchet"
        }
    }
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
        for path in [privatePath, publicPath] where Files.exists(path) { throw ArchiveError.keyExists(path: path) }
        try Files.makeFolders(folder)
        let key = Curve25519.Signing.PrivateKey()
        let privatePEM = pem(pkcs8Prefix + Array(key.rawRepresentation), label: "PRIVATE KEY")
        let publicPEM = pem(spkiPrefix + Array(key.publicKey.rawRepresentation), label: "PUBLIC KEY")
        try Files.createNew(privatePath, Array(privatePEM.utf8), permissions: [.ownerReadWrite])
        do {
            try Files.createNew(publicPath, Array(publicPEM.utf8), permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            unlink(privatePath)
            throw error
        }
        return fingerprint(key.publicKey)
    }

    public static func loadPrivate(folder: String) throws -> Curve25519.Signing.PrivateKey {
        let path = folder + "/" + privateName
        guard Files.exists(path) else { throw ArchiveError.noPrivateKey(path: path) }
        let text = String(decoding: try Files.read(path, limit: 1 << 16), as: UTF8.self)
        let der = try decode(pem: text, label: "PRIVATE KEY", file: path)
        guard der.count == pkcs8Prefix.count + 32, Array(der.prefix(pkcs8Prefix.count)) == pkcs8Prefix else {
            throw ArchiveError.notPrivateKey(path: path)
        }
        return try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
    }

    public static func loadPublic(path: String) throws -> Curve25519.Signing.PublicKey {
        let text = String(decoding: try Files.read(path, limit: 1 << 16), as: UTF8.self)
        let der = try decode(pem: text, label: "PUBLIC KEY", file: path)
        guard der.count == spkiPrefix.count + 32, Array(der.prefix(spkiPrefix.count)) == spkiPrefix else {
            throw ArchiveError.notPublicKey(path: path)
        }
        return try Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
    }

    /// `SHA256:ab12…` of the public key's DER, as `ssh-keygen -l` shows fingerprints, in hex pairs.
    public static func fingerprint(_ key: Curve25519.Signing.PublicKey) -> String {
        let digest = SHA256.hash(data: spkiPrefix + Array(key.rawRepresentation))
        return "SHA256:" + Hex.string(digest, separator: ":")
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
            let data = Data(base64Encoded: text[a.upperBound..<b.lowerBound].filter { !$0.isWhitespace })
        else {
            throw ArchiveError.notPEM(path: file, label: label)
        }
        return Array(data)
    }
}
