import Foundation
import TestSupport
import Testing

/// A small school made in code whose dossier bytes are committed: any change
/// of a dossier's bytes (order, attributes, provenance, escaping) shows here
/// as a diff to read, not only as a schema check. After a deliberate change,
/// `UCHET_UPDATE_GOLDEN=1 swift test --filter GoldenDossier` writes the new
/// bytes, and the diff goes into the commit.
@Suite struct GoldenDossierTests {
    static let golden = RepoPaths.root + "/Tests/uchetTests/Golden/dossier-ivanov.xml"

    @Test func aSmallSchoolsDossierIsByteForByteTheCommittedOne() throws {
        let dir = try workingFolder()
        try dir.write(
            "inbox/roster.csv",
            text: """
                Фамилия;Имя;Отчество;Дата рождения;Класс
                Иванов;Иван;Иванович;04.03.2010;9А
                Петрова;Анна;Сергеевна;12.07.2010;9А

                """)
        // Period marks from two files that disagree once (an open conflict), an annual mark.
        try dir.write(
            "inbox/periods.csv",
            text: """
                ФИО;Класс;Предмет;Период;Отметка;Учебный год
                Иванов Иван Иванович;9А;Алгебра;1 четверть;5;2025/2026
                Иванов Иван Иванович;9А;Алгебра;2 четверть;4;2025/2026
                Иванов Иван Иванович;9А;Русский язык;1 четверть;4;2025/2026
                Иванов Иван Иванович;9А;Физика;Год;5;2025/2026
                Петрова Анна Сергеевна;9А;Алгебра;1 четверть;4;2025/2026

                """)
        try dir.write(
            "inbox/periods-teacher.csv",
            text: """
                ФИО;Класс;Предмет;Период;Отметка;Учебный год
                Иванов Иван Иванович;9А;Русский язык;1 четверть;3;2025/2026

                """)
        // Current marks: a signed one, two fives on one day, a work with quotes and an ampersand.
        try dir.write(
            "inbox/current.csv",
            text: """
                ФИО;Класс;Учебный год;Предмет;Дата;Отметка;Вид работы
                Иванов Иван Иванович;9А;2025/2026;Алгебра;10.09.2025;5-;Контрольная работа
                Иванов Иван Иванович;9А;2025/2026;Алгебра;12.09.2025;5;Ответ на уроке
                Иванов Иван Иванович;9А;2025/2026;Алгебра;12.09.2025;5;Ответ на уроке
                Иванов Иван Иванович;9А;2025/2026;Русский язык;15.09.2025;4;Диктант «Осень» & изложение
                Иванов Иван Иванович;9А;2025/2026;Русский язык;16.09.2025;н;

                """)
        let run = try Uchet.run(["run", "--now"], in: dir.path)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let found =
            FileManager.default.enumerator(atPath: dir.path + "/outbox/dossiers")?.allObjects.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".xml") } ?? []
        #expect(found.count == 2)
        let ivanov = try #require(
            found.first { path in
                let text = (try? String(contentsOfFile: dir.path + "/outbox/dossiers/" + path, encoding: .utf8)) ?? ""
                return text.contains("Физика")
            })
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/outbox/dossiers/" + ivanov))
        if ProcessInfo.processInfo.environment["UCHET_UPDATE_GOLDEN"] == "1" {
            try bytes.write(to: URL(fileURLWithPath: GoldenDossierTests.golden))
        }
        let expected = try Data(contentsOf: URL(fileURLWithPath: GoldenDossierTests.golden))
        #expect(bytes == expected, "the dossier differs from Tests/uchetTests/Golden/dossier-ivanov.xml: diff \(dir.path)/outbox/dossiers/\(ivanov) against it")
    }
}
