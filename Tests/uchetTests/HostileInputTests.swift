import Foundation
import HostileCorpus
import Testing
import TestSupport

/// The hostile corpus through the real binary: each case alone (its outcome,
/// its words, its time and memory), then all of them at once beside a demo
/// school, whose files must go in exactly as they do without them.
@Suite(.serialized) struct HostileInputTests {
    @Test(arguments: HostileCorpus.cases.map(\.name))
    func eachHostileInputIsHandled(_ name: String) throws {
        let hostile = try #require(HostileCorpus.cases.first { $0.name == name })
        let result = HostileRunner.run(hostile)
        #expect(result.handled, "\(name): \(result.detail)")
    }

    @Test func allAtOnceBesideADemoSchoolChangeNothingForIt() throws {
        func outcomes(_ folder: String) -> [String: String] {
            HostileRunner.summary(folder).mapValues { "\($0.status) \($0.records)" }
        }
        let alone = try DemoFolder(students: 30, seed: 17)
        let aloneRun = try alone.run()
        #expect(!aloneRun.crashed)
        let expected = outcomes(alone.path)

        let together = try DemoFolder(students: 30, seed: 17)
        let inbox = together.path + "/inbox"
        let cases = HostileCorpus.cases.filter { $0.during == nil }
        try together.dir.write("inbox/roster.csv", text: HostileCorpus.roster)
        for c in cases { try c.make(inbox) }
        let run = try together.run()
        #expect(!run.crashed && run.status == 1, "\(run.stderr.suffix(500))")
        #expect(run.maxRSSKilobytes < 400 * 1024, "peak \(run.maxRSSKilobytes / 1024) MB")
        let got = outcomes(together.path)
        #expect(got["roster.csv"] == "accepted 2")
        for (file, outcome) in expected {
            #expect(got[file] == outcome, "\(file): \(got[file] ?? "absent") with the hostile files, \(outcome) without")
        }
        for c in cases {
            let status = got[c.file].map { String($0.split(separator: " ")[0]) }
            switch c.outcome {
            case .rejected: #expect(status == "rejected", "\(c.name): \(status ?? "absent")")
            case .finding: #expect(status == "accepted", "\(c.name): \(status ?? "absent")")
            case .leftAlone: #expect(status == nil, "\(c.name): \(status ?? "")")
            }
        }
    }
}
