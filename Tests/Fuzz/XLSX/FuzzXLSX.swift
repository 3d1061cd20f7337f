import FuzzTargets

#if FUZZING
// Built by `make fuzz` with -sanitize=fuzzer,address. SwiftPM links an
// executable's entry point as `<module>_main`, so libFuzzer's own main
// is not used: this one hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.xlsx(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_cdecl("fuzz_xlsx_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var values = argv
    return runDriver(&count, &values) { data, size in
        FuzzTargets.xlsx(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
import Foundation

/// Without the fuzzer: `--seeds DIR` writes the starting inputs,
/// `--dict FILE` the dictionary; otherwise replays the inputs named.
@main
struct ReplayXLSX {
    static func main() throws {
        let args = Array(CommandLine.arguments.dropFirst())
        if args.count == 2, args[0] == "--seeds" {
            try FileManager.default.createDirectory(atPath: args[1], withIntermediateDirectories: true)
            for (i, seed) in try FuzzTargets.seeds("xlsx").enumerated() {
                try Data(seed).write(to: URL(fileURLWithPath: args[1] + "/seed-\(i)"))
            }
        } else if args.count == 2, args[0] == "--dict" {
            try (FuzzTargets.dictionary("xlsx").joined(separator: "\n") + "\n").write(toFile: args[1], atomically: true, encoding: .utf8)
        } else {
            let n = FuzzTargets.replay(args, FuzzTargets.xlsx)
            print("fuzz-xlsx: \(n) inputs replayed")
        }
    }
}
#endif
