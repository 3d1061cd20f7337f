import Crypto
import Foundation
import Testing
import TestSupport
import XMLStream
import ZipIO

/// A demo school with a ledger, a key, and its packages for 2025/2026.
struct PackagedSchool {
    let school: DemoFolder
    let folder: String

    init(students: Int = 40, seed: Int = 11, date: String = "2026-06-30") throws {
        school = try DemoFolder(students: students, seed: seed)
        let settings = try String(contentsOfFile: school.path + "/pipeline.json", encoding: .utf8)
        try school.dir.write(
            "pipeline.json",
            text: settings.replacingOccurrences(
                of: #""code": "test"}"#, with: #""code": "test", "address": "г. Тестов, ул. Школьная, 1", "contact": "Заместитель директора по УВР"}"#))
        let run = try school.run()
        #expect(run.status == 1, "\(run.stderr)")
        let keys = try Uchet.run(["keys", "init"], in: school.path)
        #expect(keys.status == 0, "\(keys.stderr)")
        folder = school.path + "/outbox/archive/2025-2026"
        try package(date: date)
    }

    var path: String { school.path }

    @discardableResult
    func package(date: String, _ args: [String] = []) throws -> UchetRun {
        let run = try Uchet.run(["package", "--year", "2025/2026", "--date", date] + args, in: path)
        #expect(run.status == 0, "\(run.stderr)")
        return run
    }

    var packages: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".zip") }.sorted()
    }

    func verify(_ zip: String, _ args: [String] = []) throws -> UchetRun {
        try Uchet.run(["verify", zip, "--key", path + "/keys/school.pub.pem"] + args, in: path)
    }

    /// Every entry of a package, in archive order.
    func entries(_ zip: String) throws -> [(name: String, bytes: [UInt8])] {
        var archive = try ZipArchive(path: zip)
        return try archive.entries.map { ($0.name, try archive.readAll($0)) }
    }

    /// A copy of the package with its entries changed by `edit`, written byte by byte.
    func tampered(_ zip: String, _ edit: (inout [(name: String, bytes: [UInt8])]) throws -> Void) throws -> String {
        var list = try entries(zip)
        try edit(&list)
        let out = path + "/tampered-\(UUID().uuidString).zip"
        try Data(RawZip.archive(list.map { RawZip.Entry.stored($0.name, $0.bytes) })).write(to: URL(fileURLWithPath: out))
        return out
    }
}

/// The bag's top folder inside a package: its file name without `.zip`.
private func top(_ zip: String) -> String { String(zip.split(separator: "/").last!.dropLast(4)) }

private func flip(_ bytes: inout [UInt8], at index: Int) { bytes[index] ^= 0x01 }

@Suite(.serialized) struct ArchiveTests {
    @Test func packagesAreWholeSealedBagsWithAnInventory() throws {
        let s = try PackagedSchool()
        #expect(s.packages.count >= 10, "\(s.packages)")
        #expect(s.packages.contains("test-2025-2026-11a.zip") && s.packages.contains("test-2025-2026-9a.zip"))
        let pem = try String(contentsOfFile: s.path + "/keys/school.pub.pem", encoding: .utf8)
        let der = Data(base64Encoded: pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined())!
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
        let inventorySchema = try XMLSchema(path: RepoPaths.schemas + "/inventory.xsd")
        let dossierSchema = try XMLSchema(path: RepoPaths.schemas + "/dossier.xsd")

        for name in s.packages {
            let zip = s.folder + "/" + name
            let verified = try s.verify(zip)
            #expect(verified.status == 0, "\(name): \(verified.stdout)\(verified.stderr)")
            var info = stat()
            #expect(stat(zip, &info) == 0 && info.st_mode & 0o777 == 0o600, "\(name) holds personal data: owner only")

            let entries = try s.entries(zip)
            let names = entries.map(\.name)
            let bag = top(name)
            // One top folder, ASCII names, sorted entries.
            #expect(names.allSatisfy { $0.hasPrefix(bag + "/") && $0.allSatisfy(\.isASCII) }, "\(names)")
            #expect(names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            let files = Dictionary(uniqueKeysWithValues: entries.map { (String($0.name.dropFirst(bag.count + 1)), $0.bytes) })
            for tag in [
                "bagit.txt", "bag-info.txt", "manifest-sha512.txt", "manifest-sha256.txt", "tagmanifest-sha512.txt", "tagmanifest-sha256.txt",
                "tagmanifest-sha512.txt.sig"
            ] {
                #expect(files[tag] != nil, "\(name): no \(tag)")
            }
            // The seal: 64 raw bytes of Ed25519 over the tag manifest, checked here with swift-crypto alone.
            let signature = files["tagmanifest-sha512.txt.sig"]!
            #expect(signature.count == 64)
            #expect(publicKey.isValidSignature(signature, for: files["tagmanifest-sha512.txt"]!))
            let tagManifest = String(decoding: files["tagmanifest-sha512.txt"]!, as: UTF8.self)
            for tag in ["bagit.txt", "bag-info.txt", "manifest-sha512.txt", "manifest-sha256.txt"] {
                #expect(tagManifest.contains("  " + tag + "\n"), "\(name): seal does not cover \(tag)")
            }

            let bagInfo = String(decoding: files["bag-info.txt"]!, as: UTF8.self)
            for label in [
                "Source-Organization: Тестовая школа", "Organization-Address: г. Тестов, ул. Школьная, 1",
                "Contact-Name: Заместитель директора по УВР", "External-Identifier: \(bag)", "External-Description: ",
                "Bagging-Date: 2026-06-30", "Bag-Group-Identifier: test-2025-2026", "Payload-Oxum: ", "Bag-Size: ", "Retention-Period: "
            ] {
                #expect(bagInfo.contains(label), "\(name): no «\(label)» in\n\(bagInfo)")
            }
            let payload = files.filter { $0.key.hasPrefix("data/") }
            #expect(bagInfo.contains("Payload-Oxum: \(payload.values.reduce(0) { $0 + $1.count }).\(payload.count)\n"))

            // The inventory lists every payload file but itself, with its size, hash and retention.
            let inventory = try #require(files["data/inventory.xml"])
            try inventorySchema.validate(inventory, document: "inventory.xml")
            let text = String(decoding: inventory, as: UTF8.self)
            for (path, bytes) in payload where path != "data/inventory.xml" {
                let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                #expect(text.contains("path=\"\(path)\""), "\(name): \(path) not in the inventory")
                #expect(text.contains("size=\"\(bytes.count)\" sha256=\"\(digest)\""), "\(name): \(path) size or hash")
            }
            #expect(!text.contains("path=\"data/inventory.xml\""))
            let dossiers = payload.filter { $0.key.hasPrefix("data/dossiers/") }
            #expect(!dossiers.isEmpty)
            for (path, bytes) in dossiers {
                try dossierSchema.validate(bytes, document: path)
                #expect(
                    text.contains(
                        "kind=\"dossier\" label=\"Индивидуальный учёт результатов обучающегося\" student=\"\(path.dropFirst(14).dropLast(4))\" retention=\"personal-file\""
                    ))
                // Every scan a dossier names travels with it.
                let dossier = String(decoding: bytes, as: UTF8.self)
                for scan in dossier.components(separatedBy: "scan=\"").dropFirst().map({ String($0.prefix { $0 != "\"" }) }) {
                    #expect(payload["data/" + scan] != nil, "\(name): \(path) names \(scan), not in the package")
                }
            }
            #expect(payload["data/schemas/dossier.xsd"] != nil && payload["data/schemas/inventory.xsd"] != nil)
            // Attestat sheets only where the class graduates.
            let graduates = name.hasSuffix("-9a.zip") || name.hasSuffix("-11a.zip")
            #expect(payload.keys.contains { $0.hasPrefix("data/attestat/") } == graduates, "\(name)")
        }
        // Certificate scans are in the packages of their students' classes.
        let all = try s.packages.flatMap { try s.entries(s.folder + "/" + $0).map(\.name) }
        #expect(all.contains { $0.contains("/data/scans/") })
    }

    @Test func everyTamperingIsCaughtWithTheFileNamed() throws {
        let s = try PackagedSchool(students: 30, seed: 5)
        let zip = s.folder + "/test-2025-2026-11a.zip"
        let bag = top(zip)
        let dossier = try #require(try s.entries(zip).map(\.name).first { $0.contains("/data/dossiers/") })

        func expectCaught(
            _ case_: String, _ file: String, _ edit: (inout [(name: String, bytes: [UInt8])]) throws -> Void,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let bad = try s.tampered(zip, edit)
            let run = try s.verify(bad)
            #expect(run.status == 1, "\(case_): \(run.stdout)\(run.stderr)", sourceLocation: sourceLocation)
            let first = (run.stdout + run.stderr).split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.contains(": \(file):"), "\(case_): expected \(file) named first, got: \(first)", sourceLocation: sourceLocation)
        }
        func at(_ list: [(name: String, bytes: [UInt8])], _ path: String) -> Int { list.firstIndex { $0.name == bag + "/" + path }! }

        // The untouched copy, rewritten the same way, passes: the checks see content, not zip layout.
        let same = try s.verify(try s.tampered(zip) { _ in })
        #expect(same.status == 0, "\(same.stdout)")

        try expectCaught("one byte of a dossier", String(dossier.dropFirst(bag.count + 1))) { list in
            let i = list.firstIndex { $0.name == dossier }!
            flip(&list[i].bytes, at: list[i].bytes.count / 2)
        }
        try expectCaught("one byte of bag-info.txt", "bag-info.txt") { list in
            let i = at(list, "bag-info.txt")
            flip(&list[i].bytes, at: list[i].bytes.count - 3)
        }
        try expectCaught("one byte of a payload manifest", "manifest-sha512.txt") { list in
            flip(&list[at(list, "manifest-sha512.txt")].bytes, at: 5)
        }
        try expectCaught("one byte of the sealed tag manifest", "tagmanifest-sha512.txt") { list in
            flip(&list[at(list, "tagmanifest-sha512.txt")].bytes, at: 5)
        }
        try expectCaught("a deleted dossier", String(dossier.dropFirst(bag.count + 1))) { list in
            list.removeAll { $0.name == dossier }
        }
        try expectCaught("an added payload file", "data/dossiers/zz-extra.xml") { list in
            list.append((bag + "/data/dossiers/zz-extra.xml", Array("<dossier/>".utf8)))
        }
        try expectCaught("an added tag file", "notes.txt") { list in
            list.append((bag + "/notes.txt", Array("исправлено".utf8)))
        }
        try expectCaught("a dropped signature", "tagmanifest-sha512.txt.sig") { list in
            list.removeAll { $0.name.hasSuffix(".sig") }
        }
        try expectCaught("a dropped tag manifest", "tagmanifest-sha512.txt") { list in
            list.removeAll { $0.name.hasSuffix("/tagmanifest-sha512.txt") }
        }
        try expectCaught("a second copy of an entry", dossier) { list in
            list.append(list.first { $0.name == dossier }!)
        }
        let twoTops = try s.verify(try s.tampered(zip) { $0.append(("other/data/x.txt", [1])) })
        #expect(twoTops.status == 1 && twoTops.stdout.contains("в архиве не одна верхняя папка: other, \(bag)"), "\(twoTops.stdout)")
        // Signed with another key: the whole bag rebuilt consistently, the seal made by someone else.
        try expectCaught("another key's seal", "tagmanifest-sha512.txt.sig") { list in
            let other = Curve25519.Signing.PrivateKey()
            let i = at(list, "tagmanifest-sha512.txt.sig")
            list[i].bytes = Array(try other.signature(for: list[at(list, "tagmanifest-sha512.txt")].bytes))
        }
        // A dossier changed and every manifest recomputed to match: only the seal can tell.
        try expectCaught("a consistent forgery", "tagmanifest-sha512.txt.sig") { list in
            let i = list.firstIndex { $0.name == dossier }!
            let old512 = SHA512.hash(data: list[i].bytes).map { String(format: "%02x", $0) }.joined()
            let old256 = SHA256.hash(data: list[i].bytes).map { String(format: "%02x", $0) }.joined()
            flip(&list[i].bytes, at: list[i].bytes.count / 2)
            let new512 = SHA512.hash(data: list[i].bytes).map { String(format: "%02x", $0) }.joined()
            let new256 = SHA256.hash(data: list[i].bytes).map { String(format: "%02x", $0) }.joined()
            func replace(_ path: String, _ old: String, _ new: String) {
                let j = at(list, path)
                list[j].bytes = Array(String(decoding: list[j].bytes, as: UTF8.self).replacingOccurrences(of: old, with: new).utf8)
            }
            replace("manifest-sha512.txt", old512, new512)
            replace("manifest-sha256.txt", old256, new256)
            for (tag, sha512) in [("tagmanifest-sha512.txt", true), ("tagmanifest-sha256.txt", false)] {
                var lines: [String] = []
                for line in String(decoding: list[at(list, tag)].bytes, as: UTF8.self).split(separator: "\n") {
                    let path = String(line.split(separator: " ").last!)
                    let bytes = list[at(list, path)].bytes
                    let digest =
                        sha512
                        ? SHA512.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                        : SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                    lines.append(digest + "  " + path)
                }
                list[at(list, tag)].bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
            }
        }
        // A key that is not the school's.
        let otherFolder = TemporaryDirectory("other-key")
        try otherFolder.write(
            "pipeline.json",
            text:
                #"{"school": {"name": "Другая", "code": "x"}, "policy": "\#(RepoPaths.policy("maou-sosh-134"))", "profiles": "\#(RepoPaths.profiles)", "academicYear": "2025/2026"}"#
        )
        #expect(try Uchet.run(["keys", "init"], in: otherFolder.path).status == 0)
        let wrongKey = try Uchet.run(["verify", zip, "--key", otherFolder.path + "/keys/school.pub.pem"], in: s.path)
        #expect(wrongKey.status == 1 && wrongKey.stdout.contains("tagmanifest-sha512.txt.sig: подпись не сходится"), "\(wrongKey.stdout)")

        // --all lists every mismatch, the first alone stops at one.
        let many = try s.tampered(zip) { list in
            let i = list.firstIndex { $0.name == dossier }!
            flip(&list[i].bytes, at: 10)
            list.removeAll { $0.name.hasSuffix("/data/inventory.xml") }
        }
        let first = try s.verify(many)
        #expect(first.status == 1 && first.stdout.split(separator: "\n").count == 1, "\(first.stdout)")
        let all = try s.verify(many, ["--all"])
        #expect(all.status == 1 && all.stdout.split(separator: "\n").count >= 4, "\(all.stdout)")
        #expect(all.stdout.contains("data/inventory.xml: указан в manifest-sha512.txt, но отсутствует"))
        #expect(all.stdout.contains("Payload-Oxum"))

        // Not a zip at all.
        let junk = try s.school.dir.write("junk.zip", text: "это не архив")
        let notZip = try s.verify(junk)
        #expect(notZip.status == 1 && notZip.stderr.contains("junk.zip"), "\(notZip.stderr)")

        // Several at once, as an archivist checks a year's delivery: each package answered on its own line,
        // the damaged ones do not stop the others, the exit tells that not all are whole.
        let whole = s.packages.prefix(2).map { s.folder + "/" + $0 }
        let batch = try Uchet.run(["verify", whole[0], junk, many, whole[1], "--key", s.path + "/keys/school.pub.pem"], in: s.path)
        #expect(batch.status == 1, "\(batch.stdout)\(batch.stderr)")
        for zip in whole { #expect(batch.stdout.contains("\(zip): пакет цел"), "\(batch.stdout)") }
        #expect(batch.stderr.contains("junk.zip") && batch.stdout.contains(many + ": "), "\(batch.stdout)\(batch.stderr)")
        #expect(batch.stdout.contains("Проверено пакетов: 4; целы: 2; не целы: 2"), "\(batch.stdout)")
        let allWhole = try Uchet.run(["verify"] + whole + ["--key", s.path + "/keys/school.pub.pem"], in: s.path)
        #expect(allWhole.status == 0 && allWhole.stdout.contains("целы: 2; не целы: 0"), "\(allWhole.stdout)\(allWhole.stderr)")
    }

    @Test func theSameLedgerAndDateGiveTheSameBytesEvenFromALedgerMadeAnew() throws {
        let s = try PackagedSchool(students: 30, seed: 9)
        func snapshot() throws -> [String: [UInt8]] {
            Dictionary(uniqueKeysWithValues: try s.packages.map { ($0, try readBytes(s.folder + "/" + $0)) })
        }
        let first = try snapshot()
        sleep(2) // past the zip format's two-second clock
        try s.package(date: "2026-06-30")
        #expect(try snapshot() == first)

        // Outputs written again from the ledger change nothing.
        let rebuild = try Uchet.run(["rebuild"], in: s.path)
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        try s.package(date: "2026-06-30")
        #expect(try snapshot() == first)

        // A ledger made anew from the same inputs packs to the same bytes.
        let fm = FileManager.default
        for kept in ["processed", "rejected"] {
            for day in (try? fm.contentsOfDirectory(atPath: s.path + "/inbox/" + kept)) ?? [] {
                // Each file back where it was put: the journal's exports into the journal's folder.
                let folder = s.path + "/inbox/\(kept)/\(day)"
                for file in try fm.subpathsOfDirectory(atPath: folder) where !file.contains(".report.") {
                    var isFolder: ObjCBool = false
                    guard fm.fileExists(atPath: folder + "/" + file, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                    try fm.createDirectory(atPath: s.path + "/inbox/" + ((file as NSString).deletingLastPathComponent), withIntermediateDirectories: true)
                    try fm.moveItem(atPath: folder + "/" + file, toPath: s.path + "/inbox/" + file)
                }
            }
            try fm.removeItem(atPath: s.path + "/inbox/" + kept)
        }
        try fm.removeItem(atPath: s.path + "/var")
        try fm.removeItem(atPath: s.path + "/outbox")
        let again = try s.school.run()
        #expect(again.status == 1, "\(again.stderr)")
        try s.package(date: "2026-06-30")
        let rebuilt = try snapshot()
        #expect(rebuilt.keys.sorted() == first.keys.sorted())
        for (name, bytes) in first { #expect(rebuilt[name] == bytes, "\(name) differs when the ledger is made anew") }

        // Another bagging date is another package (and only bag-info and the seal differ inside).
        try s.package(date: "2026-07-01", ["--class", "9А"])
        let moved = try snapshot()
        #expect(moved["test-2025-2026-9a.zip"] != first["test-2025-2026-9a.zip"])
        #expect(moved["test-2025-2026-8a.zip"] == first["test-2025-2026-8a.zip"])
    }

    @Test func keysAreMadeOnceAndKeptPrivate() throws {
        let dir = try workingFolder()
        let made = try Uchet.run(["keys", "init"], in: dir.path)
        #expect(made.status == 0, "\(made.stderr)")
        var info = stat()
        #expect(stat(dir.path + "/keys/school.key.pem", &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(dir.path + "/keys", &info) == 0 && info.st_mode & 0o077 == 0)
        let privateKey = try readBytes(dir.path + "/keys/school.key.pem")
        #expect(String(decoding: privateKey, as: UTF8.self).hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let publicPEM = try String(contentsOfFile: dir.path + "/keys/school.pub.pem", encoding: .utf8)
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))

        let again = try Uchet.run(["keys", "init"], in: dir.path)
        #expect(again.status == 2 && again.stderr.contains("ключ уже есть"), "\(again.stderr)")
        #expect(try readBytes(dir.path + "/keys/school.key.pem") == privateKey)

        let shown = try Uchet.run(["keys", "show"], in: dir.path)
        #expect(shown.status == 0 && made.stdout.contains(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(shown.stdout.hasPrefix("SHA256:"))

        // The ledger is empty: packaging says what to do first.
        let empty = try Uchet.run(["package", "--year", "2025/2026"], in: dir.path)
        #expect(empty.status == 2 && empty.stderr.contains("uchet run"), "\(empty.stderr)")
    }

    @Test func packagingSaysWhatIsMissing() throws {
        let s = try PackagedSchool(students: 20, seed: 3)
        let run = try Uchet.run(["package", "--year", "2025/2026", "--class", "12Я"], in: s.path)
        #expect(run.status == 2 && run.stderr.contains("12Я") && run.stderr.contains("9А"), "\(run.stderr)")
        let year = try Uchet.run(["package", "--year", "2019/2020"], in: s.path)
        #expect(year.status == 2 && year.stderr.contains("годы в учёте: 2025/2026"), "\(year.stderr)")

        try FileManager.default.moveItem(atPath: s.path + "/keys", toPath: s.path + "/keys-elsewhere")
        let noKey = try Uchet.run(["package", "--year", "2025/2026"], in: s.path)
        #expect(noKey.status == 2 && noKey.stderr.contains("uchet keys init"), "\(noKey.stderr)")

        // Without an address and a contact the package says so in bag-info.txt, and the command warns.
        try FileManager.default.moveItem(atPath: s.path + "/keys-elsewhere", toPath: s.path + "/keys")
        let settings = try String(contentsOfFile: s.path + "/pipeline.json", encoding: .utf8)
        try s.school.dir.write("pipeline.json", text: settings.replacingOccurrences(of: #", "address": "г. Тестов, ул. Школьная, 1""#, with: ""))
        let warned = try s.package(date: "2026-06-30", ["--class", "9А"])
        #expect(warned.stderr.contains("school.address"), "\(warned.stderr)")
        #expect(!warned.stderr.contains("school.contact"), "\(warned.stderr)")
    }
}
