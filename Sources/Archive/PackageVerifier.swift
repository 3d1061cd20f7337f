public import Crypto
import Foundation
import ZipIO
import Digest

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
        // A class's package with its scans is far past a spreadsheet's limits; the ratio guard stays.
        var archive = try ZipArchive(path: path, limits: ZipLimits(maxTotalUncompressed: 1 << 38, maxEntryUncompressed: 1 << 34, maxEntries: 1_000_000))
        let files = archive.entries.filter { !$0.isDirectory }
        var names: Set<String> = []
        for entry in files where !names.insert(entry.name).inserted {
            if fail(entry.name, "записан в архиве дважды: какая из копий подлинная, не определить") { return found }
        }
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
            hashes[relative] = (Hex.string(h512.finalize()), Hex.string(h256.finalize()), size)
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

        /// Every line of a manifest against the files: what it lists, and what does not match.
        func compare(_ name: String) -> (listed: Set<String>, problems: [Mismatch]) {
            let sha512 = name.contains("512")
            var listed: Set<String> = []
            var problems: [Mismatch] = []
            for (digest, file) in PackageVerifier.manifest(small[name] ?? []) {
                listed.insert(file)
                if let got = hashes[file] {
                    if (sha512 ? got.sha512 : got.sha256) != digest.lowercased() {
                        problems.append(Mismatch(file: file, problem: "\(sha512 ? "SHA-512" : "SHA-256") не совпадает с \(name): файл изменён"))
                    }
                } else {
                    problems.append(Mismatch(file: file, problem: "указан в \(name), но отсутствует в пакете"))
                }
            }
            return (listed, problems)
        }
        func record(_ problems: [Mismatch]) -> Bool {
            for p in problems where fail(p.file, p.problem) { return true }
            return false
        }

        // The seal first. When it fails, tell a changed tag manifest from a foreign seal.
        if let manifest = small["tagmanifest-sha512.txt"], let signature = small["tagmanifest-sha512.txt.sig"] {
            if signature.count != 64 {
                if fail("tagmanifest-sha512.txt.sig", "подпись не из 64 байт Ed25519") { return found }
            } else if !key.isValidSignature(signature, for: manifest) {
                let stop =
                    compare("tagmanifest-sha512.txt").problems.isEmpty
                    ? fail("tagmanifest-sha512.txt.sig", "подпись не сходится с этим открытым ключом: пакет запечатан другим ключом или подделан целиком")
                    : fail("tagmanifest-sha512.txt", "изменён: подпись школы его не подтверждает")
                if stop { return found }
            }
        }
        // Tag manifests: a changed manifest or bag-info.txt is named as itself.
        for name in ["tagmanifest-sha512.txt", "tagmanifest-sha256.txt"] where small[name] != nil {
            let (listed, problems) = compare(name)
            if record(problems) { return found }
            // The seal covers only what tagmanifest-sha512.txt lists: every other tag file must be in it.
            guard name == "tagmanifest-sha512.txt" else { continue }
            let tagFiles = hashes.keys.filter { !$0.hasPrefix("data/") && !PackageVerifier.sealFiles.contains($0) }
            for file in tagFiles.sorted() where !listed.contains(file) {
                if fail(file, "лишний служебный файл: его нет в tagmanifest-sha512.txt, подпись его не покрывает") { return found }
            }
        }
        // Payload manifests: every listed file present with its hash; every payload file listed.
        for name in payloadManifests {
            let (listed, problems) = compare(name)
            if record(problems) { return found }
            for file in payloadFiles.subtracting(listed).sorted() {
                if fail(file, "лишний файл: его нет в \(name)") { return found }
            }
        }
        // Payload-Oxum.
        if let info = small["bag-info.txt"] {
            let text = String(decoding: info, as: UTF8.self)
            let oxum = text.split(separator: "\n").first { $0.hasPrefix("Payload-Oxum:") }.map {
                $0.dropFirst("Payload-Oxum:".count).trimmingCharacters(in: .whitespaces)
            }
            let actual = "\(payloadFiles.reduce(0) { $0 + hashes[$1]!.size }).\(payloadFiles.count)"
            if oxum == nil {
                if fail("bag-info.txt", "нет Payload-Oxum") { return found }
            } else if oxum != actual {
                if fail("bag-info.txt", "Payload-Oxum \(oxum!) не совпадает с содержимым (\(actual))") { return found }
            }
        }
        return found
    }

    /// The tag files the seal cannot list: the tag manifests and the signature.
    static let sealFiles: Set<String> = ["tagmanifest-sha512.txt", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt.sig"]

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
