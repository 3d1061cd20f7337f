import ArgumentParser
import Ledger
import Pipeline
import Policy
import Records
#if canImport(Glibc)
    import Glibc
#endif

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
                throw Failure(
                    LedgerRefusal("в учёте нет конфликта № \(id); номера открытых конфликтов покажет uchet conflicts (все — uchet conflicts --all)"),
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
            throw Failure(
                ValidationError(
                    "«\(text)» не отметка по шкале положения для периода «\(details?.label ?? period)»; допустимо: "
                        + spellings.joined(separator: ", ")), status: .usage)
        }
        return value
    }
}
