import CivilDate
import Foundation
import Ingest
import Policy
import Records
import Spreadsheet
import TestSupport

/// The fuzz targets' bodies, shared by the libFuzzer binaries (`make fuzz`)
/// and the regression tests that replay what fuzzing found. Each takes any
/// bytes; a crash, a sanitizer report or a hang is a bug, every error the
/// readers throw is the expected way to refuse.
public enum FuzzTargets {
    /// The repository's policy and profiles, loaded once.
    static let context: ImportContext = {
        do {
            let policy = try Policy.load(path: RepoPaths.policy("maou-sosh-134"))
            let profiles = try ProfileSet.load(folder: RepoPaths.profiles, policy: policy)
            return ImportContext(
                policy: policy, profiles: profiles, defaultYear: AcademicYear(startYear: 2025),
                today: CivilDate(year: 2026, month: 5, day: 20)!)
        } catch {
            fatalError("fuzz targets need the repository's schemas: \(error)")
        }
    }()

    /// A scratch file per process, in memory where the system has a tmpfs.
    static let scratch: String = {
        let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory()
        return folder + "/uchet-fuzz-\(getpid())"
    }()

    static func write(_ bytes: [UInt8], _ path: String) {
        guard let f = fopen(path, "wb") else { fatalError("scratch file \(path) cannot be written") }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    /// XLSX: the first byte chooses. Even: the rest is the file itself (zip
    /// structure, libzip and the reader's limits). Odd: the rest is split at
    /// 0xFF bytes into the sheet part, the shared strings and the styles of a
    /// well-formed package (the SAX handlers, cell types, styles, dates).
    /// Every sheet is read cell by cell, then the file goes through the
    /// importer (profiles, fields, validation).
    public static func xlsx(_ data: UnsafeRawBufferPointer) {
        guard let mode = data.first else { return }
        let body = Array(data.dropFirst())
        let bytes: [UInt8]
        if mode & 1 == 0 {
            bytes = body
        } else {
            let parts = body.split(separator: 0xFF, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
            bytes = RawZip.archive(
                WorkbookParts.rawEntries(
                    sheet: .stored("s", parts[0]),
                    sharedStrings: parts.count > 1 ? parts[1] : nil,
                    styles: parts.count > 2 ? parts[2] : nil))
        }
        let path = scratch + ".xlsx"
        write(bytes, path)
        if let reader = try? XLSXReader(path: path) {
            for sheet in reader.sheets where sheet.isWorksheet {
                _ = try? reader.scan(sheet) { row in
                    for cell in row.row.cells { _ = cell.value.description }
                    return .continue
                }
            }
        }
        _ = FileImporter.run(path: path, context: context, displayName: "fuzz.xlsx")
    }

    /// CSV: the bytes are the file (encodings, quoting, separators, limits),
    /// read record by record, then imported.
    public static func csv(_ data: UnsafeRawBufferPointer) {
        let path = scratch + ".csv"
        write(Array(data), path)
        if let reader = try? CSVReader(path: path) {
            try? reader.scan { row in
                for cell in row.row.cells { _ = cell.value.description }
                return .continue
            }
        }
        _ = FileImporter.run(path: path, context: context, displayName: "fuzz.csv")
    }

    /// The profile matcher and the record builders: lines are rows, tabs
    /// separate cells; a cell that reads as a number is a number. No file.
    public static func profile(_ data: UnsafeRawBufferPointer) {
        let text = String(decoding: data, as: UTF8.self)
        var rows: [Row] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(200).enumerated() {
            var cells: [Cell] = []
            for (j, field) in line.split(separator: "\t", omittingEmptySubsequences: false).prefix(200).enumerated() where !field.isEmpty {
                let value: CellValue = Double(field).map { .number($0) } ?? .string(String(field))
                cells.append(Cell(column: j + 1, value: value))
            }
            rows.append(Row(number: i + 1, cells: cells))
        }
        _ = FileImporter.importRows(rows, name: "fuzz", context: context)
    }

    /// Runs `target` over every file named (a folder: every file in it), as
    /// libFuzzer would over its corpus; returns the number of inputs.
    public static func replay(_ paths: [String], _ target: (UnsafeRawBufferPointer) -> Void) -> Int {
        var count = 0
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            let files =
                isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { target($0) }
                count += 1
            }
        }
        return count
    }
}
