import ArgumentParser
import Attestat
import Ledger
import Pipeline
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet withdraw`: takes a file accepted by mistake back out of the ledger.
struct Withdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Отозвать принятый по ошибке файл: убрать его записи из учёта (сам файл остаётся в inbox/processed/).",
        discussion: """
            Записи файла уходят из учёта; запись, которую несёт и другой файл, остаётся и ссылается \
            на него. Конфликты, в которых участвовал файл, пересматриваются; досье и ведомости \
            аттестатов его обучающихся выпускаются заново. Уже присвоенные регистрационные номера \
            остаются за обучающимися. Отзыв записывается в учёт: кто, когда, почему. Тот же файл, \
            положенный в inbox снова, — повтор: отозванное не возвращается.

            Примеры:
              uchet withdraw "Ведомость 9А.xlsx" --reason "ведомость другой школы" --by "Петрова А. А."
              uchet withdraw 3f2a9c41 --reason "выгрузка за прошлый год"
            """
    )

    @Argument(help: "Имя принятого файла (как в inbox/processed/) или его SHA-256 (первые 8 знаков и больше).")
    var file: String

    @Option(help: "Почему файл отзывается (записывается в учёт).")
    var reason: String

    @Option(help: "Кто отзывает (по умолчанию — имя пользователя в системе).")
    var by: String?

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        guard !reason.allSatisfy(\.isWhitespace) else {
            throw Failure(usage: "укажите, почему файл отзывается: --reason \"…\"")
        }
        let ledger = try LedgerAccess.open(workspace)
        let candidates = try LedgerAccess.refusing { try ledger.acceptedFiles(matching: file) }
        guard candidates.count == 1, let target = candidates.first else {
            if candidates.isEmpty {
                throw Failure(LedgerRefusal(try LedgerAccess.refusing { try ledger.whyNotAccepted(file) }), status: .usage)
            }
            var lines = ["«\(file)» называет несколько принятых файлов; укажите SHA-256 нужного:"]
            for c in candidates { lines.append("  \(c.sha256)  \(c.storedAs)  (принят \(c.received.prefix(16)))") }
            throw Failure(LedgerRefusal(lines.joined(separator: "\n")), status: .usage)
        }
        if let why = try LedgerAccess.refusing({ try ledger.rosterWithdrawalRefusal(target) }) {
            throw Failure(LedgerRefusal(why), status: .usage)
        }
        let outcome = try LedgerAccess.refusing {
            try ledger.withdraw(target, reason: reason, by: Person.name(by), at: LocalTime.now().iso, policy: workspace.policy)
        }
        for path in outcome.outputsRemoved { _ = unlink(workspace.settings.outbox + "/" + path) }
        print(
            "Отозван \(target.name) (SHA-256 \(target.sha256.prefix(12))…, лежит в \(target.storedAs)): записей убрано из учёта \(outcome.removed), "
                + "остались по другим файлам \(outcome.kept)" + (outcome.enrolments > 0 ? ", из них зачислений \(outcome.enrolments)" : "")
                + (outcome.studentsRemoved.isEmpty ? "" : ", обучающихся, о которых в учёте больше ничего нет, убрано \(outcome.studentsRemoved.count)"))
        if !outcome.conflicts.isEmpty {
            print("Конфликты, в которых участвовал файл:")
            for item in try LedgerAccess.refusing({ try ledger.conflicts(ids: outcome.conflicts) }) {
                for line in ConflictText(policy: workspace.policy).lines(item, indent: "  ") { print(line) }
            }
        }
        try await LedgerAccess.emitPending(workspace, ledger)
        try await rewriteClasses(outcome.classes, workspace: workspace, ledger: ledger)
    }

    /// A roster withdrawn takes students out of their classes: each graduating class's workbook
    /// is written again for those still in it, or removed when nobody is left.
    private func rewriteClasses(_ classes: [ClassOfYear], workspace: Workspace, ledger: Ledger) async throws {
        guard !classes.isEmpty else { return }
        do {
            let book = try AttestatBook(ledger: ledger, policy: workspace.policy, settings: workspace.settings)
            try await ledger.withOutputsLock {
                for c in classes {
                    let path = "attestat/\(c.year.fileName)/\(c.schoolClass).xlsx"
                    if try ledger.students(year: c.year, schoolClass: c.schoolClass).isEmpty {
                        if unlink(workspace.settings.outbox + "/" + path) == 0 { print("Убрана ведомость аттестатов \(path): в классе никого не осталось") }
                    } else if try book.classes(year: c.year).contains(c.schoolClass) {
                        _ = try book.write(year: c.year, schoolClass: c.schoolClass)
                    }
                }
            }
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }
}
