import Crypto
import Foundation
import Digest

/// A BagIt 1.0 bag (RFC 8493) built in memory: payload files under `data/`,
/// tag files, manifests in SHA-512 and SHA-256, tag manifests, and the seal.
struct Bag {
    var name: String
    /// Payload path (`data/…`) → bytes.
    var payload: [(path: String, bytes: [UInt8])] = []
    var info: [(label: String, value: String)] = []

    var payloadOctets: Int { payload.reduce(0) { $0 + $1.bytes.count } }

    /// Every file of the bag, relative to its top folder, sorted: tag files and payload.
    func files(signedBy key: Curve25519.Signing.PrivateKey) throws -> [(path: String, bytes: [UInt8])] {
        let sorted = payload.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let bagit = Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)
        let infoText = info.map { "\($0.label): \($0.value)" }.joined(separator: "\n") + "\n"
        let bagInfo = Array(infoText.utf8)
        func manifest(_ files: [(path: String, bytes: [UInt8])], sha512: Bool) -> [UInt8] {
            Array(
                files.map { f in
                    (sha512 ? Hex.string(SHA512.hash(data: f.bytes)) : Hex.string(SHA256.hash(data: f.bytes))) + "  " + f.path
                }.joined(separator: "\n").appending("\n").utf8)
        }
        let manifest512 = manifest(sorted, sha512: true)
        let manifest256 = manifest(sorted, sha512: false)
        let tags: [(path: String, bytes: [UInt8])] = [
            ("bag-info.txt", bagInfo), ("bagit.txt", bagit),
            ("manifest-sha256.txt", manifest256), ("manifest-sha512.txt", manifest512)
        ]
        let tag512 = manifest(tags, sha512: true)
        let tag256 = manifest(tags, sha512: false)
        let signature = Array(try key.signature(for: tag512))
        return tags + [("tagmanifest-sha256.txt", tag256), ("tagmanifest-sha512.txt", tag512), ("tagmanifest-sha512.txt.sig", signature)] + sorted
    }

    /// `1,2 МБ`.
    static func size(_ octets: Int) -> String {
        if octets < 1024 { return "\(octets) B" }
        let kb = Double(octets) / 1024
        if kb < 1024 { return String(format: "%.1f KB", kb) }
        return String(format: "%.1f MB", kb / 1024)
    }
}
