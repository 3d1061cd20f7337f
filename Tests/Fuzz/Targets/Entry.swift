import Foundation

/// What the three fuzz executables share: the target by name, libFuzzer's
/// driver, and the replay entry point used without the fuzzer.
extension FuzzTargets {
    /// The target `fuzz-<name>` runs.
    public static func target(_ name: String) -> (UnsafeRawBufferPointer) -> Void {
        switch name {
        case "xlsx": return xlsx
        case "csv": return csv
        case "profile": return profile
        default: fatalError("no fuzz target \(name)")
        }
    }

    /// Without the fuzzer: `--seeds DIR` writes the starting inputs,
    /// `--dict FILE` the dictionary; otherwise replays the inputs named.
    public static func replayMain(_ name: String, arguments: [String]) throws {
        if arguments.count == 2, arguments[0] == "--seeds" {
            try FileManager.default.createDirectory(atPath: arguments[1], withIntermediateDirectories: true)
            for (i, seed) in try seeds(name).enumerated() {
                try Data(seed).write(to: URL(fileURLWithPath: arguments[1] + "/seed-\(i)"))
            }
        } else if arguments.count == 2, arguments[0] == "--dict" {
            try (dictionary(name).joined(separator: "\n") + "\n").write(toFile: arguments[1], atomically: true, encoding: .utf8)
        } else {
            let n = replay(arguments, target(name))
            print("fuzz-\(name): \(n) inputs replayed")
        }
    }

    #if FUZZING
        /// The target libFuzzer's callback runs; set once, before the driver starts.
        nonisolated(unsafe) static var running: (UnsafeRawBufferPointer) -> Void = { _ in }

        /// Hands control to libFuzzer's driver with the target `name`. SwiftPM links an
        /// executable's entry point as `<module>_main`, so libFuzzer's own main is not used.
        public static func drive(_ name: String, _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
            running = target(name)
            var count = argc
            var values = argv
            return runDriver(&count, &values) { data, size in
                FuzzTargets.running(UnsafeRawBufferPointer(start: data, count: size))
                return 0
            }
        }
    #endif
}

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func runDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif
