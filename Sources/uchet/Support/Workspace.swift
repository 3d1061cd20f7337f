import ArgumentParser
import Ingest
import Pipeline
import Policy
import Records
import Settings
#if canImport(Glibc)
    import Glibc
#endif

/// The school's working folder as a command sees it: `pipeline.json`, the
/// policy in force, the import profiles and the attestat rules, loaded and
/// checked together. Any problem is a configuration error (exit 2) naming
/// the file and key.
struct Workspace {
    let settings: PipelineSettings
    let policy: Policy
    let profiles: ProfileSet
    /// The inbox's source folders: where a file is put declares its source kind.
    let sources: SourceFolders
    /// `nil` when the schemas folder has no rules file (commands that never read it still run).
    let rules: AttestatRules?

    static func load(config: String?) throws -> Workspace {
        do {
            let settings = try PipelineSettings.load(path: config)
            let policy = try Policy.load(path: settings.policyPath, displayName: relative(settings.policyPath, to: settings.folder))
            let profiles = try ProfileSet.load(folder: settings.profilesPath, policy: policy)
            let sources = try SourceFolders(settings: settings, policy: policy)
            let rulesPath = settings.schemasPath + "/" + AttestatRules.fileName
            let rules =
                access(rulesPath, F_OK) == 0
                ? try AttestatRules.load(path: rulesPath, policy: policy, displayName: relative(rulesPath, to: settings.folder)) : nil
            return Workspace(settings: settings, policy: policy, profiles: profiles, sources: sources, rules: rules)
        } catch {
            throw Failure(error, status: .usage)
        }
    }

    /// Stops a command that reads the ledger when there is none yet (exit 2).
    func requireLedger() throws {
        guard access(settings.ledger, F_OK) == 0 else { throw Failure(usage: "учёт пуст: сначала uchet run") }
    }

    /// The attestat rules, for the commands that read exams or write attestats.
    func attestatRules() throws -> AttestatRules {
        guard let rules else {
            throw Failure(
                ValidationError(
                    "нет файла правил аттестации \(Workspace.relative(settings.schemasPath, to: settings.folder))/\(AttestatRules.fileName): "
                        + "восстановите его из поставки Uchet (schemas/)"), status: .usage)
        }
        return rules
    }

    /// An import context for files arriving today.
    func importContext(inboxRoot: String? = nil) throws -> ImportContext {
        ImportContext(
            policy: policy, profiles: profiles, defaultYear: settings.academicYear, today: Clock.today(), inboxRoot: inboxRoot,
            examNames: try attestatRules().examNames)
    }

    static func relative(_ path: String, to folder: String) -> String {
        path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
    }
}

import CivilDate

/// Today's date in the machine's local time zone (a school works in its own): the pipeline's clock.
enum Clock {
    static func today() -> CivilDate { LocalTime.now().date }
}
