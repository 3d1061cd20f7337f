import Logging
#if canImport(Glibc)
    import Glibc
#endif

/// Logs go to standard error; the level comes from UCHET_LOG_LEVEL (info by
/// default). At the default level they carry counts, ids and file names,
/// never students' names.
enum Logs {
    static func bootstrap() {
        let level = getenv("UCHET_LOG_LEVEL").flatMap { Logger.Level(rawValue: String(cString: $0)) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    static let pipeline = Logger(label: "uchet.pipeline")
}
