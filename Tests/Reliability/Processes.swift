import Foundation
import HostileCorpus
import LedgerDump
import TestSupport
#if canImport(Glibc)
    import Glibc
#endif

/// A working folder's state, as compared after a crash or a soak.
struct FolderState: Equatable {
    var ledger: [String]
    var outbox: [String]
    /// Input files by where they ended: `processed/name`, `rejected/name`, `waiting/name`, `claimed/name`.
    var inputs: [String]
    var integrity: [String]

    init(_ folder: String) throws {
        ledger = try LedgerDump.lines(folder + "/var/ledger.sqlite")
        integrity = try LedgerDump.integrityProblems(folder + "/var/ledger.sqlite")
        outbox = LedgerDump.files(folder + "/outbox")
        inputs = FolderState.inputs(folder)
    }

    init(inputsOnly folder: String) {
        ledger = []
        integrity = []
        outbox = []
        inputs = FolderState.inputs(folder)
    }

    static func inputs(_ folder: String) -> [String] {
        var inputs: [String] = []
        let fm = FileManager.default
        for place in ["processed", "rejected"] {
            for day in (try? fm.contentsOfDirectory(atPath: folder + "/inbox/" + place)) ?? [] {
                for name in (try? fm.contentsOfDirectory(atPath: folder + "/inbox/\(place)/\(day)")) ?? [] where !name.contains(".report.") {
                    inputs.append(place + "/" + name)
                }
            }
        }
        for name in (try? fm.contentsOfDirectory(atPath: folder + "/inbox")) ?? []
        where !["processed", "rejected", ".work", "README.md"].contains(name) {
            inputs.append("waiting/" + name)
        }
        if let runs = try? fm.contentsOfDirectory(atPath: folder + "/inbox/.work") {
            for run in runs {
                for name in (try? fm.contentsOfDirectory(atPath: folder + "/inbox/.work/" + run)) ?? [] where !name.hasSuffix(".lock") {
                    inputs.append("claimed/" + name)
                }
            }
        }
        return inputs.sorted()
    }

    /// What differs from `other`, in a few words.
    func difference(from other: FolderState) -> String? {
        var parts: [String] = []
        if !integrity.isEmpty { parts.append("integrity: \(integrity.prefix(3))") }
        if ledger != other.ledger {
            let a = Set(ledger), b = Set(other.ledger)
            parts.append("ledger: \(a.subtracting(b).count) rows extra, \(b.subtracting(a).count) missing")
        }
        if outbox != other.outbox {
            let a = Set(outbox), b = Set(other.outbox)
            parts.append("outbox: \(a.subtracting(b).sorted().prefix(3)) extra, \(b.subtracting(a).sorted().prefix(3)) missing")
        }
        if inputs != other.inputs {
            let a = Set(inputs), b = Set(other.inputs)
            parts.append("inputs: \(a.subtracting(b).sorted().prefix(3)) extra, \(b.subtracting(a).sorted().prefix(3)) missing")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

/// Copies a folder's content into a new temporary folder.
func copyFolder(_ source: String, prefix: String) throws -> TemporaryDirectory {
    let dir = TemporaryDirectory(prefix)
    for name in try FileManager.default.contentsOfDirectory(atPath: source) {
        try FileManager.default.copyItem(atPath: source + "/" + name, toPath: dir.path + "/" + name)
    }
    return dir
}

/// A working folder with a demo school's inbox.
func demoFolder(students: Int, seed: Int) throws -> TemporaryDirectory {
    let dir = try HostileRunner.workingFolder("uchet-reliability")
    let demo = try Uchet.run(["demo", "--students", String(students), "--seed", String(seed)], in: dir.path)
    guard demo.status == 0 else { throw ReliabilityError("uchet demo failed: \(demo.stderr)") }
    return dir
}

struct ReliabilityError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
