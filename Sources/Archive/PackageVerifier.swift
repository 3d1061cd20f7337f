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
        var findings = Findings(stopAtFirst: stopAtFirst)
        // A class's package with its scans is far past a spreadsheet's limits; the ratio guard stays.
        var archive = try ZipArchive(path: path, limits: ZipLimits(maxTotalUncompressed: 1 << 38, maxEntryUncompressed: 1 << 34, maxEntries: 1_000_000))
        let files = archive.entries.filter { !$0.isDirectory }
        var names: Set<String> = []
        for entry in files where !names.insert(entry.name).inserted {
            if findings.fail(entry.name, "записан в архиве дважды: какая из копий подлинная, не определить") { return findings.found }
        }
        let tops = Set(files.map { String($0.name.split(separator: "/").first ?? "") })
        guard tops.count == 1, let top = tops.first, !top.isEmpty, files.allSatisfy({ $0.name.hasPrefix(top + "/") }) else {
            _ = findings.fail(displayName(path), "в архиве не одна верхняя папка: \(tops.sorted().joined(separator: ", "))")
            return findings.found
        }
        let bag = try Contents(archive: &archive, files: files, top: top)
        // In this order; a check that stops (`stopAtFirst`) leaves the rest undone.
        _ =
            PackageVerifier.checkTagFiles(bag, &findings) || checkSeal(bag, &findings) || PackageVerifier.checkTagManifests(bag, &findings)
            || PackageVerifier.checkPayload(bag, &findings) || PackageVerifier.checkOxum(bag, &findings)
        return findings.found
    }

    /// The problems found so far, and whether to stop at the first.
    struct Findings {
        let stopAtFirst: Bool
        var found: [Mismatch] = []

        /// Notes a problem; `true` when the check stops here.
        mutating func fail(_ file: String, _ problem: String) -> Bool {
            found.append(Mismatch(file: file, problem: problem))
            return stopAtFirst
        }

        mutating func record(_ problems: [Mismatch]) -> Bool {
            for p in problems where fail(p.file, p.problem) { return true }
            return false
        }
    }

    /// A package's files, each read once: its hashes and size by path under the top folder,
    /// and the bytes of the tag files (those outside `data/`).
    struct Contents {
        var hashes: [String: (sha512: String, sha256: String, size: Int)] = [:]
        var small: [String: [UInt8]] = [:]
        let payloadFiles: Set<String>

        init(archive: inout ZipArchive, files: [ZipEntry], top: String) throws {
            // Hash every file once, streaming.
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
            payloadFiles = Set(hashes.keys.filter { $0.hasPrefix("data/") })
        }

        /// The payload manifests the package has.
        var payloadManifests: [String] { ["manifest-sha512.txt", "manifest-sha256.txt"].filter { small[$0] != nil } }

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
    }

    /// The files a sealed BagIt 1.0 package must have. `true`: stopped.
    static func checkTagFiles(_ bag: Contents, _ findings: inout Findings) -> Bool {
        let small = bag.small
        for required in ["bagit.txt", "bag-info.txt"] where small[required] == nil {
            if findings.fail(required, "нет обязательного файла пакета BagIt") { return true }
        }
        if let bagit = small["bagit.txt"], !String(decoding: bagit, as: UTF8.self).contains("BagIt-Version: 1.0") {
            if findings.fail("bagit.txt", "не BagIt 1.0") { return true }
        }
        if bag.payloadManifests.isEmpty, findings.fail("manifest-sha512.txt", "нет ни одного манифеста полезной нагрузки") { return true }
        for required in ["tagmanifest-sha512.txt", "tagmanifest-sha512.txt.sig"] where small[required] == nil {
            if findings.fail(required, required.hasSuffix(".sig") ? "нет подписи: пакет не опечатан" : "нет манифеста служебных файлов") { return true }
        }
        return false
    }

    /// The seal over `tagmanifest-sha512.txt`. When it fails, a changed tag manifest is told
    /// from a foreign seal. `true`: stopped.
    func checkSeal(_ bag: Contents, _ findings: inout Findings) -> Bool {
        guard let manifest = bag.small["tagmanifest-sha512.txt"], let signature = bag.small["tagmanifest-sha512.txt.sig"] else { return false }
        if signature.count != 64 {
            return findings.fail("tagmanifest-sha512.txt.sig", "подпись не из 64 байт Ed25519")
        }
        guard !key.isValidSignature(signature, for: manifest) else { return false }
        return bag.compare("tagmanifest-sha512.txt").problems.isEmpty
            ? findings.fail("tagmanifest-sha512.txt.sig", "подпись не сходится с этим открытым ключом: пакет запечатан другим ключом или подделан целиком")
            : findings.fail("tagmanifest-sha512.txt", "изменён: подпись школы его не подтверждает")
    }

    /// Tag manifests: a changed manifest or bag-info.txt is named as itself; every tag file
    /// but the seal's own is in `tagmanifest-sha512.txt`, which the seal covers. `true`: stopped.
    static func checkTagManifests(_ bag: Contents, _ findings: inout Findings) -> Bool {
        for name in ["tagmanifest-sha512.txt", "tagmanifest-sha256.txt"] where bag.small[name] != nil {
            let (listed, problems) = bag.compare(name)
            if findings.record(problems) { return true }
            guard name == "tagmanifest-sha512.txt" else { continue }
            let tagFiles = bag.hashes.keys.filter { !$0.hasPrefix("data/") && !PackageVerifier.sealFiles.contains($0) }
            for file in tagFiles.sorted() where !listed.contains(file) {
                if findings.fail(file, "лишний служебный файл: его нет в tagmanifest-sha512.txt, подпись его не покрывает") { return true }
            }
        }
        return false
    }

    /// Payload manifests: every listed file present with its hash; every payload file listed. `true`: stopped.
    static func checkPayload(_ bag: Contents, _ findings: inout Findings) -> Bool {
        for name in bag.payloadManifests {
            let (listed, problems) = bag.compare(name)
            if findings.record(problems) { return true }
            for file in bag.payloadFiles.subtracting(listed).sorted() {
                if findings.fail(file, "лишний файл: его нет в \(name)") { return true }
            }
        }
        return false
    }

    /// Payload-Oxum of bag-info.txt against the payload's bytes and files. `true`: stopped.
    static func checkOxum(_ bag: Contents, _ findings: inout Findings) -> Bool {
        guard let info = bag.small["bag-info.txt"] else { return false }
        let text = String(decoding: info, as: UTF8.self)
        let oxum = text.split(separator: "\n").first { $0.hasPrefix("Payload-Oxum:") }.map {
            $0.dropFirst("Payload-Oxum:".count).trimmingCharacters(in: .whitespaces)
        }
        let actual = "\(bag.payloadFiles.reduce(0) { $0 + bag.hashes[$1]!.size }).\(bag.payloadFiles.count)"
        guard let oxum else { return findings.fail("bag-info.txt", "нет Payload-Oxum") }
        if oxum != actual { return findings.fail("bag-info.txt", "Payload-Oxum \(oxum) не совпадает с содержимым (\(actual))") }
        return false
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
