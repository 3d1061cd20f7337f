import Foundation

/// LibreOffice's converter, for round trips: a file made in code, saved by
/// LibreOffice as ODS or HTML, read back. Tests that need it are enabled only
/// where `soffice` is installed (`.ci/run` installs it).
public enum LibreOffice {
    /// The `soffice` on the PATH, or `nil`.
    public static let soffice: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/soffice"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    public static var isInstalled: Bool { soffice != nil }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Converts `path` with `soffice --headless --convert-to <format>` into
    /// `outdir` and returns the new file's path. Each call uses a profile of
    /// its own (`-env:UserInstallation`), so tests running side by side do not
    /// wait for each other's profile lock.
    public static func convert(
        _ path: String, to format: String, outdir: String, timeout: Double = 180,
        environment: [String: String] = [:]
    ) throws -> String {
        guard let soffice else { throw Failure(description: "soffice не установлен") }
        let profile = TemporaryDirectory("uchet-lo-profile")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = [
            "-env:UserInstallation=file://" + profile.path, "--headless", "--norestore",
            "--convert-to", format, path, "--outdir", outdir
        ]
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "soffice не закончил за \(Int(timeout)) с")
        }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let extensionName = String(format.split(separator: ":").first ?? Substring(format))
        let output = outdir + "/" + base + "." + extensionName
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: output) else {
            throw Failure(description: "soffice не сделал \(output) (код \(process.terminationStatus))")
        }
        return output
    }
}
