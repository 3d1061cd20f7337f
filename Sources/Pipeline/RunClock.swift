public import CivilDate
import Ingest
import Ledger
import Logging
import Policy
import Records
import Settings
import StrictJSON
import Synchronization
import SystemText
#if canImport(Glibc)
    import Glibc
    import FileIO
    import Digest
#endif

/// Where a run's time went: parsing (summed over workers), merging, emitting.
public struct StageTimes: Sendable {
    public var parse = 0.0
    public var merge = 0.0
    public var emit = 0.0
}

/// Wall time since creation.
public struct Stopwatch: Sendable {
    private let start = Stopwatch.now()
    public init() {}
    public var elapsed: Double { Stopwatch.now() - start }
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// The moment a run starts, in the machine's local time (a school's own zone).
public struct LocalTime: Sendable {
    public var date: CivilDate
    public var iso: String
    public var seconds: Double
    public var runID: String

    public static func now() -> LocalTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var t = spec.tv_sec
        var parts = tm()
        localtime_r(&t, &parts)
        let date = CivilDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let time = "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        let millis = Int(spec.tv_nsec / 1_000_000)
        let suffix = String(getpid(), radix: 36) + String(millis, radix: 36)
        return LocalTime(
            date: date, iso: date.iso8601 + "T" + time, seconds: Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9,
            runID: date.iso8601 + "T" + time.split(separator: ":").joined(separator: "-") + "-" + suffix)
    }
}

/// The points a run passes: `intake` (inbox listed, nothing claimed yet),
/// `parse` (files claimed), `emit`, `report`. Each is logged at debug level
/// (`UCHET_LOG_LEVEL=debug`), which is how `make reliability` kills a run
/// inside a given stage. `UCHET_PAUSE_AT=intake:2` holds the run at a point
/// for that many seconds, to let a test change the inbox under it (a file
/// that disappears between listing and claiming). Nothing else changes.
enum Stage {
    static let pause: (point: String, seconds: Double)? = {
        guard let raw = getenv("UCHET_PAUSE_AT") else { return nil }
        let parts = String(cString: raw).split(separator: ":")
        guard parts.count == 2, let seconds = Double(parts[1]), seconds > 0, seconds <= 60 else { return nil }
        return (String(parts[0]), seconds)
    }()

    static func reached(_ point: String, logger: Logger) async {
        logger.debug("этап: \(point)")
        if let pause, pause.point == point { try? await Task.sleep(for: .milliseconds(Int(pause.seconds * 1000))) }
    }
}
