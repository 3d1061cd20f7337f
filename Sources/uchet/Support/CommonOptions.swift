public import ArgumentParser
public import CivilDate
public import Records

/// `--config`, which every command that reads the school's folder takes.
struct SettingsOption: ParsableArguments {
    @Option(help: "Файл настроек (по умолчанию pipeline.json в текущей папке).")
    var config: String?

    /// The school's folder as the settings file describes it, checked.
    func workspace() throws -> Workspace { try Workspace.load(config: config) }
}

/// `--year 2025/2026` and `--year 2025-2026`, parsed once for every command.
extension AcademicYear: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// `--date 2026-06-30` (or 30.06.2026).
extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
