import ArgumentParser

/// The argument parser's own words (help headings, usage errors) in Russian:
/// users read Russian, and a command line that does not parse is a usage
/// error (exit 2), as the README promises.
enum ParserText {
    /// What to print and the exit status for an error thrown while parsing
    /// the command line: help and version go to standard output with 0,
    /// anything else is a usage error.
    static func failure(for error: any Error) -> (text: String, toStandardOutput: Bool, status: Int32) {
        if Uchet.exitCode(for: error) == .success {
            return (translateHelp(Uchet.fullMessage(for: error)), true, 0)
        }
        if let failure = error as? Failure { return ("uchet: " + failure.message, false, failure.status.rawValue) }
        let message = translateError(Uchet.message(for: error))
        var text = "uchet: " + message
        let usage = translateHelp(Uchet.fullMessage(for: error))
        // The full message repeats the error first, then the usage lines: keep the usage lines.
        if let range = usage.range(of: "\nИспользование: ") {
            text += "\n" + usage[usage.index(after: range.lowerBound)...]
        }
        return (text, false, ExitStatus.usage.rawValue)
    }

    /// One error sentence of the parser, in Russian; a sentence not in the
    /// table (a new version's wording) is kept as it is rather than lost.
    static func translateError(_ message: String) -> String {
        var text = message
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        for (pattern, replacement) in errorPatterns {
            if let match = text.wholeMatch(of: pattern) {
                return replacement(match.output.map { $0.substring.map(String.init) ?? "" })
            }
        }
        return text
    }

    /// Help text with its headings and the parser's own lines in Russian.
    static func translateHelp(_ text: String) -> String {
        var lines: [String] = []
        for var line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            for (english, russian) in headings where line.hasPrefix(english) {
                line = russian + line.dropFirst(english.count)
                break
            }
            for (english, russian) in phrases { line = line.replacing(english, with: russian) }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private static let headings: [(String, String)] = [
        ("OVERVIEW: ", "О ПРОГРАММЕ: "), ("USAGE: ", "ИСПОЛЬЗОВАНИЕ: "), ("ARGUMENTS:", "АРГУМЕНТЫ:"), ("OPTIONS:", "ПАРАМЕТРЫ:"),
        ("SUBCOMMANDS:", "КОМАНДЫ:"), ("Usage: ", "Использование: "), ("Help:  ", "Справка:  "), ("Error: ", "Ошибка: ")
    ]

    private static let phrases: [(String, String)] = [
        ("Show help information.", "Показать эту справку."),
        ("Show the version.", "Показать версию."),
        ("(default: ", "(по умолчанию: "),
        ("<subcommand>' for detailed help.", "<команда>' — подробная справка по команде."),
        ("' for more information.", "' — подробнее."),
        ("  See '", "  Смотрите '"),
        ("See '", "Смотрите '"),
        ("<options>", "<параметры>"),
        ("<subcommand>", "<команда>")
    ]

    /// Made when an error is told (once a process at most), not kept: a regex is not `Sendable`.
    private static var errorPatterns: [(Regex<AnyRegexOutput>, ([String]) -> String)] {
        [
            (try! Regex(#"Unknown option '(.+)'\. Did you mean '(.+)'\?"#), { "неизвестный параметр «\($0[1])»; может быть, «\($0[2])»?" }),
            (try! Regex(#"Unknown option '(.+)'"#), { "неизвестный параметр «\($0[1])»" }),
            (try! Regex(#"Missing value for '(.+)'"#), { "не указано значение параметра «\($0[1])»" }),
            (try! Regex(#"Missing expected argument '(.+)'"#), { "не хватает аргумента «\($0[1])»" }),
            (try! Regex(#"Missing one of: (.+)"#), { "нужен один из аргументов: \($0[1])" }),
            (try! Regex(#"Unexpected argument '(.+)'"#), { "лишний аргумент «\($0[1])»" }),
            (try! Regex(#"(\d+) unexpected arguments: (.+)"#), { "лишние аргументы (\($0[1])): \($0[2])" }),
            (try! Regex(#"Missing required subcommand\."#), { _ in "не указана команда" }),
            (try! Regex(#"Invalid option: (.+)"#), { "неверный параметр «\($0[1])»" }),
            (
                try! Regex(#"The option '(.+)' does not take any value, but '(.+)' was specified\."#),
                { "параметр «\($0[1])» не принимает значения, а указано «\($0[2])»" }
            ),
            (
                try! Regex(#"The value '(.*)' is invalid for '(.+?)'(?:: (.+)|\. Please provide one of (.+)\.)?"#),
                { parts in
                    var text = "значение «\(parts[1])» не подходит для «\(parts[2])»"
                    if parts.count > 3, !parts[3].isEmpty { text += ": " + parts[3] }
                    if parts.count > 4, !parts[4].isEmpty {
                        text += "; допустимо: " + parts[4].replacing(" or ", with: " или ").replacing(" and ", with: " и ")
                    }
                    if parts[2].hasSuffix("<year>") { text += "; учебный год пишут как 2025/2026" }
                    if parts[2].hasSuffix("<date>") { text += "; дату пишут как 2026-06-30" }
                    return text
                }
            ),
            (try! Regex(#"Value to be set with (.+) had already been set with (.+)"#), { "параметр \($0[1]) повторяет уже заданный \($0[2])" })
        ]
    }
}
