import Foundation
import TestSupport
import Testing
@testable import ZipIO

@Suite struct ZipWriterReaderTests {
    @Test func writesAndStreamsEntriesBack() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("a.zip")
        let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        var writer = try ZipWriter(path: path)
        try writer.add("small.txt", text: "привет", compression: .stored)
        try writer.add("folder/big.bin", bytes: big, compression: .deflated)
        try writer.finish()

        var archive = try ZipArchive(path: path)
        #expect(archive.entries.map(\.name) == ["small.txt", "folder/big.bin"])
        #expect(try String(decoding: archive.readAll(try archive.require("small.txt")), as: UTF8.self) == "привет")
        let entry = try archive.require("folder/big.bin")
        #expect(entry.size == 3_000_000)
        // Streamed in small chunks: nothing asks for the whole entry at once.
        var back: [UInt8] = []
        var reads = 0
        try archive.withStream(entry) { stream in
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
                if n == 0 { break }
                reads += 1
                back += chunk[0..<n]
            }
        }
        #expect(back == big)
        #expect(reads >= 3_000_000 / 4096)
        #expect(archive.inflatedTotal == 3_000_000 + 12)
    }

    @Test func deterministicModeGivesTheSameBytesWhateverTheOrderAndTime() throws {
        let dir = TemporaryDirectory()
        var first = try ZipWriter(path: dir.file("1.zip"), deterministic: true)
        try first.add("b/данные.xml", text: "<b/>")
        try first.add("a.txt", text: "a", compression: .stored)
        try first.finish()
        var second = try ZipWriter(path: dir.file("2.zip"), deterministic: true)
        try second.add("a.txt", text: "a", compression: .stored)
        try second.add("b/данные.xml", text: "<b/>")
        try second.finish()
        let one = try readBytes(dir.file("1.zip"))
        #expect(one == (try readBytes(dir.file("2.zip"))))
        let archive = try ZipArchive(path: dir.file("1.zip"))
        #expect(archive.entries.map(\.name) == ["a.txt", "b/данные.xml"])
        // DOS time 00:00, date 1980-01-01 in every local and central header: the clock never enters.
        let stamps = RawZip.headerTimestamps(one)
        #expect(stamps.count == 4)
        #expect(stamps.allSatisfy { $0 == [0, 0, 0x21, 0] })
        // The UTF-8 flag is set for the Cyrillic name.
        let central = archive.entries[1]
        #expect(central.name == "b/данные.xml")
    }

    @Test(arguments: ["../x", "/etc/passwd", "a/../../x", "C:\\x", "a\\..\\..\\x", ""])
    func refusesUnsafeNamesOnWrite(name: String) throws {
        let dir = TemporaryDirectory()
        var writer = try ZipWriter(path: dir.file("x.zip"))
        #expect(throws: ZipError.self) { try writer.add(name, text: "x") }
    }

    @Test func unfinishedWriterLeavesNoFile() throws {
        let dir = TemporaryDirectory()
        do {
            var writer = try ZipWriter(path: dir.file("x.zip"))
            try writer.add("a", text: "a")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.zip")))
    }
}

@Suite struct HostileArchiveTests {
    @Test func entryThatClimbsOutIsRefusedOnOpen() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("evil.xlsx", bytes: RawZip.archive([.stored("../../x", Array("x".utf8))]))
        let error = #expect(throws: ZipError.self) { _ = try ZipArchive(path: path) }
        #expect(error?.code == .unsafeEntryName)
        #expect(error?.description.contains("../../x") == true)
    }

    @Test func zipBombIsRefusedBeforeInflating() throws {
        // 640 copies of 16 MiB of zeros deflated: a ~10 MB file declaring 10 GiB.
        let one = try RawZip.deflated("x", [UInt8](repeating: 0, count: 16 << 20))
        var entries: [RawZip.Entry] = []
        for i in 0..<640 {
            var e = one
            e.name = "xl/bomb\(i).bin"
            entries.append(e)
        }
        let dir = TemporaryDirectory()
        let bytes = RawZip.archive(entries)
        #expect(bytes.count > 10_000_000)
        let path = try dir.write("bomb.xlsx", bytes: bytes)
        let error = #expect(throws: ZipError.self) { _ = try ZipArchive(path: path) }
        #expect(error?.code == .sizeLimit)
    }

    @Test func entryThatInflatesPastItsDeclaredSizeIsStopped() throws {
        var entry = try RawZip.deflated("xl/worksheets/sheet1.xml", [UInt8](repeating: 0x41, count: 8 << 20))
        entry.uncompressedSize = 1000
        let dir = TemporaryDirectory()
        let path = try dir.write("liar.zip", bytes: RawZip.archive([entry]))
        var archive = try ZipArchive(path: path)
        let found = try archive.require("xl/worksheets/sheet1.xml")
        let error = #expect(throws: (any Error).self) {
            try archive.withStream(found) { stream in
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while try chunk.withUnsafeMutableBytes({ try stream.read(into: $0) }) > 0 {}
            }
        }
        // libzip itself may notice first; either way the read stops with a zip error.
        #expect(error is ZipError)
        #expect(archive.inflatedTotal <= 1 << 17)
    }

    @Test func highRatioEntryIsRefused() throws {
        let one = try RawZip.deflated("big.xml", [UInt8](repeating: 0, count: 64 << 20))
        let dir = TemporaryDirectory()
        let path = try dir.write("ratio.zip", bytes: RawZip.archive([one]))
        let error = #expect(throws: ZipError.self) { _ = try ZipArchive(path: path) }
        #expect(error?.code == .ratioLimit)
        // A generous limit lets it through.
        #expect(throws: Never.self) { _ = try ZipArchive(path: path, limits: ZipLimits(maxRatio: 100_000)) }
    }

    @Test func tooManyEntriesAreRefused() throws {
        let entries = (0..<50).map { RawZip.Entry.stored("e\($0)", [1]) }
        let dir = TemporaryDirectory()
        let path = try dir.write("many.zip", bytes: RawZip.archive(entries))
        let error = #expect(throws: ZipError.self) { _ = try ZipArchive(path: path, limits: ZipLimits(maxEntries: 10)) }
        #expect(error?.code == .tooManyEntries)
    }

    @Test func textFileIsNotAZip() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("отметки.xlsx", text: "ФИО;Отметка\nИванов;5\n")
        let error = #expect(throws: ZipError.self) { _ = try ZipArchive(path: path) }
        #expect(error?.code == .notZip)
        #expect(error?.description.hasPrefix("открытие отметки.xlsx: не ZIP-архив") == true)
        #expect(error?.description.contains("libzip:") == true)
    }

    @Test func truncatedZipIsReported() throws {
        let dir = TemporaryDirectory()
        var writer = try ZipWriter(path: dir.file("whole.zip"))
        try writer.add("a.xml", bytes: (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        try writer.finish()
        let whole = try readBytes(dir.file("whole.zip"))
        let path = try dir.write("cut.xlsx", bytes: Array(whole[0..<whole.count / 2]))
        let error = #expect(throws: ZipError.self) { _ = try ZipArchive(path: path) }
        #expect(error?.code == .notZip)
        #expect(error?.message.hasPrefix("ZIP-архив обрезан или повреждён") == true)
    }

    @Test func oleDocumentIsNamedAsSuch() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("защищён.xlsx", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 1024))
        let error = #expect(throws: ZipError.self) { _ = try ZipArchive(path: path) }
        #expect(error?.code == .oleDocument)
        #expect(error?.description.contains("OLE") == true)
    }

    @Test func encryptedEntryIsRefusedOnRead() throws {
        var entry = RawZip.Entry.stored("secret.xml", Array("<x/>".utf8))
        entry.flags = 1
        let dir = TemporaryDirectory()
        let path = try dir.write("enc.zip", bytes: RawZip.archive([entry]))
        var archive = try ZipArchive(path: path)
        let found = try archive.require("secret.xml")
        #expect(found.isEncrypted)
        let error = #expect(throws: ZipError.self) { _ = try archive.readAll(found) }
        #expect(error?.code == .encryptedEntry)
    }

    @Test func missingEntryErrorNamesIt() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("a.zip", bytes: RawZip.archive([.stored("a", [1])]))
        let archive = try ZipArchive(path: path)
        let error = #expect(throws: ZipError.self) { try archive.require("xl/workbook.xml") }
        #expect(error?.description == "чтение a.zip → xl/workbook.xml: в архиве нет такой записи")
    }
}
