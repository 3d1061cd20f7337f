import FuzzTargets

// Built by `make fuzz` with -sanitize=fuzzer,address and -DFUZZING; otherwise
// a replayer of saved inputs (see FuzzTargets.replayMain).
#if FUZZING
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        FuzzTargets.xlsx(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }

    @_cdecl("fuzz_xlsx_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        FuzzTargets.drive("xlsx", argc, argv)
    }
#else
    @main
    struct ReplayXLSX {
        static func main() throws { try FuzzTargets.replayMain("xlsx", arguments: Array(CommandLine.arguments.dropFirst())) }
    }
#endif
