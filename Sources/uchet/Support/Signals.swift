import Pipeline
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM ask the pipeline to stop after the file in flight.
let stopRequest = StopFlag()

enum Signals {
    static func install() {
        signal(SIGINT) { _ in stopRequest.request() }
        signal(SIGTERM) { _ in stopRequest.request() }
    }
}
