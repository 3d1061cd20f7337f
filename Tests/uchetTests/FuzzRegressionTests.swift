import Foundation
import FuzzTargets
import Testing
import TestSupport

/// The fuzz targets' bodies over their seeds and over every input fuzzing
/// ever found (Tests/Fuzz/Regressions/<target>/): none may crash or hang.
@Suite struct FuzzRegressionTests {
    @Test(arguments: FuzzTargets.targets)
    func seedsAndFoundInputsRunClean(_ target: String) throws {
        let body = try #require(FuzzTargets.run(target))
        let seeds = try FuzzTargets.seeds(target)
        #expect(!seeds.isEmpty)
        for seed in seeds { seed.withUnsafeBytes { body($0) } }
        let found = RepoPaths.root + "/Tests/Fuzz/Regressions/" + target
        // The folder is part of the repository: a missing one is a broken checkout, not zero inputs.
        let files = try FileManager.default.contentsOfDirectory(atPath: found).filter { !$0.hasPrefix(".") }
        #expect(FuzzTargets.replay(files.map { found + "/" + $0 }, body) == files.count)
    }
}
