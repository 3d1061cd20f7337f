import FuzzTargets

// Built by `make fuzz` with -sanitize=fuzzer,address and -DFUZZING; otherwise
// a replayer of saved inputs (see FuzzTargets.replayMain).
#if FUZZING
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        FuzzTargets.csv(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }

    @_cdecl("fuzz_csv_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        FuzzTargets.drive("csv", argc, argv)
    }
#else
    @main
    struct ReplayCSV {
        static func main() throws { try FuzzTargets.replayMain("csv", arguments: Array(CommandLine.arguments.dropFirst())) }
    }
#endif
