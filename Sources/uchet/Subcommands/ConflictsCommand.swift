import ArgumentParser
import Ledger
import Pipeline
import Policy
import Records
#if canImport(Glibc)
import Glibc
#endif

/// `uchet conflicts`: the conflicts a person has to decide (or all of them).
struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "Показать конфликты: одна отметка за один период пришла из разных файлов с разными значениями.",
        discussion: """
        По каждому конфликту: номер, обучающийся (ФИО, класс, id), предмет, год, период, каждое \
        значение с файлом, ячейкой и видом источника, и чем конфликт решён (правилом положения или \
        решением человека). Без --all — только нерешённые. Решить: uchet resolve <номер>.

        Примеры:
          uchet conflicts
          uchet conflicts --year 2025/2026 --class 9А
          uchet conflicts --all
        """
    )

    @Option(help: "Учебный год, например 2025/2026 (по умолчанию — все годы).")
    var year: AcademicYear?

    @Option(name: .customLong("class"), help: "Класс, например 9А: конфликты его обучающихся.")
    var schoolClass: String?

    @Flag(help: "Все конфликты, и решённые тоже.")
    var all = false

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        let academicYear = year
        let wanted = try schoolClass.map { text in
            guard let c = SchoolClass(parsing: text) else { throw Failure(usage: "«\(text)» не класс; пишите как 9А") }
            return c.description
        }
        let ledger = try LedgerAccess.open(workspace)
        let items: [ConflictItem]
        do { items = try ledger.conflicts(year: academicYear, schoolClass: wanted, all: all) } catch { throw Failure(error, status: .internalFailure) }
        let scope = [academicYear.map { "\($0) учебный год" }, wanted.map { "класс \($0)" }].compactMap { $0 }.joined(separator: ", ")
        guard !items.isEmpty else {
            print((all ? "Конфликтов нет" : "Нерешённых конфликтов нет") + (scope.isEmpty ? "." : " (\(scope))."))
            return
        }
        let text = ConflictText(policy: workspace.policy)
        let output = Output()
        output.line((all ? "Конфликты" : "Нерешённые конфликты") + (scope.isEmpty ? "" : " (\(scope))") + ": \(items.count)")
        for item in items {
            output.line("")
            for line in text.lines(item) { output.line(line) }
        }
        if items.contains(where: { $0.status == "open" }) {
            output.line("")
            output.line("Решить: uchet resolve <номер> --value <отметка> --reason \"почему\" [--by \"кто решил\"]")
        }
        output.flush()
    }
}

/// `uchet resolve`: a person's decision of a conflict, recorded in the ledger.
struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Решить конфликт: записать в учёт, какая отметка верна, кто решил и почему (или отменить решение).",
        discussion: """
        Решение — источник выше любого файла: отметка берётся из него в досье, в расчёт итоговой \
        отметки (лист «Составляющие» называет решение) и в выписку. Следующие запуски и uchet rebuild \
        решение не теряют; если позже придёт файл с третьим значением, конфликт откроется снова, \
        а uchet conflicts назовёт прежнее решение. --undo отменяет решение (оно остаётся в истории).

        Примеры:
          uchet resolve 12 --value 4 --reason "по классному журналу, подтвердил учитель физики" --by "Петрова А. А."
          uchet resolve 12 --undo --by "Петрова А. А."
        """
    )

    @Argument(help: "Номер конфликта (из uchet conflicts).")
    var conflict: String

    @Option(help: "Верная отметка: 5, 4, 3, 2, зачтено, н/а… — по шкалам положения для этого периода.")
    var value: String?

    @Option(help: "Почему: на чём основано решение (попадает в досье и ведомость аттестатов).")
    var reason: String?

    @Option(help: "Кто решил (по умолчанию — имя пользователя в системе).")
    var by: String?

    @Flag(help: "Отменить действующее решение: конфликт снова решают правила положения или человек.")
    var undo = false

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        guard let id = Int64(conflict.filter { $0 != "№" && $0 != " " }), id > 0 else {
            throw Failure(usage: "«\(conflict)» не номер конфликта; номера показывает uchet conflicts")
        }
        let who = Person.name(by)
        let at = LocalTime.now().iso
        let ledger = try LedgerAccess.open(workspace)
        let item: ConflictItem
        if undo {
            guard value == nil else { throw Failure(usage: "--undo отменяет решение; --value с ним не указывают") }
            item = try LedgerAccess.refusing { try ledger.undoDecision(conflict: id, by: who, at: at, policy: workspace.policy) }
        } else {
            guard let value else { throw Failure(usage: "укажите верную отметку: --value 4 (или --undo, чтобы отменить решение)") }
            guard let reason, !reason.allSatisfy(\.isWhitespace) else {
                throw Failure(usage: "укажите, почему принято это значение: --reason \"…\" (основание попадает в досье)")
            }
            let current = try LedgerAccess.refusing { try ledger.conflicts(ids: [id]) }
            guard let c = current.first else {
                throw Failure(LedgerRefusal("в учёте нет конфликта № \(id); номера открытых конфликтов покажет uchet conflicts (все — uchet conflicts --all)"),
                                   status: .usage)
            }
            let mark = try MarkChoice.read(value, period: c.period, policy: workspace.policy)
            item = try LedgerAccess.refusing { try ledger.decide(conflict: id, value: mark, reason: reason, by: who, at: at) }
        }
        for line in ConflictText(policy: workspace.policy).lines(item) { print(line) }
        try await LedgerAccess.emitPending(workspace, ledger)
    }
}

/// A mark a person gives, checked against the scales the policy allows for the period.
enum MarkChoice {
    static func read(_ text: String, period: String, policy: Policy) throws -> MarkValue {
        let details = policy.period(id: period)
        let allowed = details?.scales ?? policy.markScales.map(\.id)
        var spellings: [String] = []
        for scale in allowed.compactMap({ policy.scale(id: $0) }) {
            for v in scale.values where !spellings.contains(v.value.description) { spellings.append(v.value.description) }
        }
        guard let (value, scale) = policy.markValue(text), allowed.contains(scale) else {
            throw Failure(ValidationError("«\(text)» не отметка по шкале положения для периода «\(details?.label ?? period)»; допустимо: "
                                               + spellings.joined(separator: ", ")), status: .usage)
        }
        return value
    }
}

/// Who does something a person decides: `--by`, else the login name.
enum Person {
    static func name(_ given: String?) -> String {
        if let given, !given.allSatisfy(\.isWhitespace) { return given }
        if let user = getenv("USER").map({ String(cString: $0) }), !user.isEmpty { return user }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}

/// The ledger for the commands that change it by a person's word.
enum LedgerAccess {
    /// The workspace's ledger; one that does not exist yet is a usage error (nothing to act on).
    static func open(_ workspace: Workspace) throws -> Ledger {
        guard access(workspace.settings.ledger, F_OK) == 0 else {
            throw Failure(ValidationError("учёт пуст: \(Workspace.relative(workspace.settings.ledger, to: workspace.settings.folder)) ещё не создан; сначала uchet run"),
                               status: .usage)
        }
        do { return try Ledger(path: workspace.settings.ledger) } catch { throw Failure(error, status: .internalFailure) }
    }

    /// Runs a ledger change: a refusal is a usage error (exit 2, nothing changed), anything else uchet's own.
    static func refusing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let refusal as LedgerRefusal {
            throw Failure(refusal, status: .usage)
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }

    /// Writes the outputs of the students a change asked for (dossiers, attestat workbooks), as a run's emit does.
    static func emitPending(_ workspace: Workspace, _ ledger: Ledger) async throws {
        _ = try workspace.attestatRules()
        do {
            let context = EmitContext(ledger: ledger, policy: workspace.policy, settings: workspace.settings, runID: "decision")
            let written = try await ledger.withOutputsLock {
                let pending = try ledger.pendingEmits()
                guard !pending.isEmpty else { return [String]() }
                var lines: [String] = []
                for emitter in Emitters.all {
                    let count = try await emitter.emit(students: pending.students, context: context)
                    lines.append("\(emitter.name) \(count)")
                }
                try ledger.clearPending(pending)
                return lines
            }
            if !written.isEmpty { print("Выпущено заново: " + written.joined(separator: ", ")) }
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }
}
