import ArgumentParser
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet`: the individual record of students' results, from the files a
/// school already has.
@main
struct Uchet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uchet",
        abstract: "Индивидуальный учёт результатов освоения образовательных программ.",
        discussion: """
            Выгрузки кладут в inbox/, uchet разбирает их, проверяет по положению школы и ведёт \
            учёт в var/ledger.sqlite; результаты — в outbox/.

            Примеры:
              uchet demo && uchet run --now
              uchet status
              uchet check inbox/9А.xlsx
              uchet inspect inbox/9А.xlsx --sheet 1
            """,
        version: "0.1.0",
        subcommands: [
            Run.self, Watch.self, Status.self, Check.self, DossierCommand.self, StatementCommand.self, AttestatCommand.self,
            ConflictsCommand.self, ResolveCommand.self, Withdraw.self, Find.self, ReportCommand.self, ListsCommand.self, FrdoCommand.self,
            Keys.self, Package.self, Verify.self, DemoCommand.self, Rebuild.self, Inspect.self
        ]
    )

    static func main() async {
        // Everything uchet creates may hold personal data: owner-only from the start.
        umask(0o077)
        Logs.bootstrap()
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let failure = ParserText.failure(for: error)
            if failure.toStandardOutput { print(failure.text) } else { printError(failure.text) }
            Glibc.exit(failure.status)
        }
        do {
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch  where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // The parser's own requests and refusals (help, a value a command refused) reach here from `run()` too.
            let failure = ParserText.failure(for: error)
            if failure.toStandardOutput { print(failure.text) } else { printError(failure.text) }
            Glibc.exit(failure.status)
        } catch {
            // The one place errors are printed: `uchet: <what, where, what to do>`, then the exit code for its kind.
            let failure = Failure(error, status: .internalFailure)
            printError("uchet: " + failure.message)
            Glibc.exit(failure.status.rawValue)
        }
    }
}
