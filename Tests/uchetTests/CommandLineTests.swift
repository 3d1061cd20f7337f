import Foundation
import TestSupport
import Testing

/// The command line as a user meets it: the parser's refusals in Russian with
/// the command's usage and exit 2 (as the README promises), help with Russian
/// headings and exit 0, a year that is not a year refused before anything runs.
@Suite struct CommandLineTests {
    @Test(arguments: [
        (["--bogus"], "неизвестный параметр «--bogus»"),
        (["run", "--bogus"], "неизвестный параметр «--bogus»"),
        (["dossier"], "не хватает аргумента «<student>»"),
        (["statement", "x", "--year", "2025"], "значение «2025» не подходит для «--year <year>»; учебный год пишут как 2025/2026"),
        (["package", "--date", "31.02.2026"], "значение «31.02.2026» не подходит для «--date <date>»; дату пишут как 2026-06-30"),
        (["status", "лишнее"], "лишний аргумент «лишнее»"),
        (["run", "--config"], "не указано значение параметра «--config <config>»")
    ])
    func aLineThatDoesNotParseIsAUsageErrorInRussian(_ args: [String], words: String) throws {
        let dir = TemporaryDirectory()
        let run = try Uchet.run(args, in: dir.path)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("uchet: " + words), "\(run.stderr)")
        #expect(run.stderr.contains("Использование: uchet"), "\(run.stderr)")
        for english in ["Error:", "Usage:", "Missing", "Unknown option", "is invalid"] {
            #expect(!run.stderr.contains(english), "\(run.stderr)")
        }
    }

    @Test func helpIsInRussianAndExitsZero() throws {
        let dir = TemporaryDirectory()
        let root = try Uchet.run(["--help"], in: dir.path)
        #expect(root.status == 0)
        #expect(root.stdout.contains("ИСПОЛЬЗОВАНИЕ: uchet <команда>"))
        #expect(root.stdout.contains("КОМАНДЫ:"))
        #expect(root.stdout.contains("Показать эту справку."))
        let run = try Uchet.run(["run", "--help"], in: dir.path)
        #expect(run.status == 0)
        #expect(run.stdout.contains("ПАРАМЕТРЫ:"))
        #expect(run.stdout.contains("--config <config>"))
        for english in ["OVERVIEW", "USAGE", "OPTIONS", "SUBCOMMANDS", "Show help information"] {
            #expect(!root.stdout.contains(english) && !run.stdout.contains(english), "\(english)")
        }
    }
}
