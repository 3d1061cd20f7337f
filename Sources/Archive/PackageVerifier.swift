public import Crypto
import Foundation
import ZipIO

/// One thing wrong with a package: the file and what.
public struct Mismatch: Sendable, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var description: String { "\(file): \(problem)" }
}

/// Checks a package as an archivist would: the zip's structure (one top
/// folder, safe names), the bag's completeness (every payload file listed in
/// every payload manifest and the other way round), every checksum of the
/// manifests and tag manifests, Payload-Oxum, and the Ed25519 seal over
/// `tagmanifest-sha512.txt`. A missing tag manifest or signature is a failure.
public struct PackageVerifier {
    public let key: Curve25519.Signing.PublicKey

    public init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// Every mismatch (empty when the package is whole and sealed); with
    /// `stopAtFirst`, at most one.
    public func verify(path: String, stopAtFirst: Bool) throws -> [Mismatch] {
        var found: [Mismatch] = []
        func fail(_ file: String, _ problem: String) -> Bool {
            found.append(Mismatch(file: file, problem: problem))
            return stopAtFirst
        }
        var archive = try ZipArchive(path: path)
        let files = archive.entries.filter { !$0.isDirectory }
        let tops = Set(files.map { String($0.name.split(separator: "/").first ?? "") })
        guard tops.count == 1, let top = tops.first, !top.isEmpty, files.allSatisfy({ $0.name.hasPrefix(top + "/") }) else {
            _ = fail(displayName(path), "в архиве не одна верхняя папка: \(tops.sorted().joined(separator: ", "))")
            return found
        }
        // Hash every file once, streaming.
        var hashes: [String: (sha512: String, sha256: String, size: Int)] = [:]
        var small: [String: [UInt8]] = [:]
        for entry in files {
            let relative = String(entry.name.dropFirst(top.count + 1))
            var h512 = SHA512()
            var h256 = SHA256()
            var size = 0
            var keep: [UInt8] = []
            let isTag = !relative.hasPrefix("data/")
            try archive.withStream(entry) { stream in
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
                    if n == 0 { break }
                    chunk.withUnsafeBytes { raw in
                        let part = UnsafeRawBufferPointer(rebasing: raw[0..<n])
                        h512.update(bufferPointer: part)
                        h256.update(bufferPointer: part)
                    }
                    if isTag, keep.count < 16 << 20 { keep += chunk[0..<n] }
                    size += n
                }
            }
            hashes[relative] = (Bag.hex(h512.finalize()), Bag.hex(h256.finalize()), size)
            if isTag { small[relative] = keep }
        }

        for required in ["bagit.txt", "bag-info.txt"] where small[required] == nil {
            if fail(required, "нет обязательного файла пакета BagIt") { return found }
        }
        if let bagit = small["bagit.txt"], !String(decoding: bagit, as: UTF8.self).contains("BagIt-Version: 1.0") {
            if fail("bagit.txt", "не BagIt 1.0") { return found }
        }
        let payloadManifests = ["manifest-sha512.txt", "manifest-sha256.txt"].filter { small[$0] != nil }
        if payloadManifests.isEmpty, fail("manifest-sha512.txt", "нет ни одного манифеста полезной нагрузки") { return found }
        for required in ["tagmanifest-sha512.txt", "tagmanifest-sha512.txt.sig"] where small[required] == nil {
            if fail(required, required.hasSuffix(".sig") ? "нет подписи: пакет не опечатан" : "нет манифеста служебных файлов") { return found }
        }
        let payloadFiles = Set(hashes.keys.filter { $0.hasPrefix("data/") })

        // Payload manifests: every listed file present with its hash; every payload file listed.
        for name in payloadManifests {
            let sha512 = name.contains("512")
            let lines = PackageVerifier.manifest(small[name]!)
            var listed: Set<String> = []
            for (digest, file) in lines {
                listed.insert(file)
                guard let got = hashes[file] else {
                    if fail(file, "указан в \(name), но отсутствует в пакете") { return found }
                    continue
                }
                if (sha512 ? got.sha512 : got.sha256) != digest.lowercased() {
                    if fail(file, "\(sha512 ? "SHA-512" : "SHA-256") не совпадает с \(name): файл изменён") { return found }
                }
            }
            for file in payloadFiles.subtracting(listed).sorted() {
                if fail(file, "лишний файл: его нет в \(name)") { return found }
            }
        }
        // Tag manifests.
        for name in ["tagmanifest-sha512.txt", "tagmanifest-sha256.txt"] where small[name] != nil {
            let sha512 = name.contains("512")
            for (digest, file) in PackageVerifier.manifest(small[name]!) {
                guard let got = hashes[file] else {
                    if fail(file, "указан в \(name), но отсутствует в пакете") { return found }
                    continue
                }
                if (sha512 ? got.sha512 : got.sha256) != digest.lowercased() {
                    if fail(file, "\(sha512 ? "SHA-512" : "SHA-256") не совпадает с \(name): файл изменён") { return found }
                }
            }
        }
        // Payload-Oxum.
        if let info = small["bag-info.txt"] {
            let text = String(decoding: info, as: UTF8.self)
            let oxum = text.split(separator: "\n").first { $0.hasPrefix("Payload-Oxum:") }.map { $0.dropFirst("Payload-Oxum:".count).trimmingCharacters(in: .whitespaces) }
            let actual = "\(payloadFiles.reduce(0) { $0 + hashes[$1]!.size }).\(payloadFiles.count)"
            if oxum == nil {
                if fail("bag-info.txt", "нет Payload-Oxum") { return found }
            } else if oxum != actual {
                if fail("bag-info.txt", "Payload-Oxum \(oxum!) не совпадает с содержимым (\(actual))") { return found }
            }
        }
        // The seal.
        if let manifest = small["tagmanifest-sha512.txt"], let signature = small["tagmanifest-sha512.txt.sig"] {
            if signature.count != 64 {
                if fail("tagmanifest-sha512.txt.sig", "подпись не из 64 байт Ed25519") { return found }
            } else if !key.isValidSignature(signature, for: manifest) {
                if fail("tagmanifest-sha512.txt.sig", "подпись не сходится с этим открытым ключом: пакет изменён или запечатан другим ключом") { return found }
            }
        }
        return found
    }

    /// `hash  path` lines.
    static func manifest(_ bytes: [UInt8]) -> [(String, String)] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2 else { return nil }
            return (String(parts[0]), String(parts[1]).trimmingCharacters(in: .whitespaces))
        }
    }

    func displayName(_ path: String) -> String { String(path.split(separator: "/").last ?? Substring(path)) }
}
