import Pipeline
#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM ask the pipeline to stop after the file in flight.
/// A global is initialised lazily (under a lock), which a signal handler must
/// never be the first to do: `install()` touches it before any handler can run,
/// and the handlers only store into its lock-free atomic.
let stopRequest = StopFlag()

enum Signals {
    static func install() {
        _ = stopRequest.requested
        signal(SIGINT) { _ in stopRequest.request() }
        signal(SIGTERM) { _ in stopRequest.request() }
    }
}
