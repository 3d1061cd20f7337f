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

/// `--year`, which the commands of one school year take; the year of pipeline.json when not given.
struct YearOption: ParsableArguments {
    @Option(help: "Учебный год, например 2025/2026 (по умолчанию — год из pipeline.json).")
    var year: AcademicYear?

    func resolved(in workspace: Workspace) -> AcademicYear { year ?? workspace.settings.academicYear }
}

/// `--year 2025/2026` and `--year 2025-2026`, parsed once for every command.
extension AcademicYear: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// `--date 2026-06-30` (or 30.06.2026).
extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
