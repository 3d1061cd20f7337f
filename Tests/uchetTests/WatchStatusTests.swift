import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct WatchStatusTests {
    @Test func watchTakesSettledFilesAndStopsCleanlyOnSIGTERM() throws {
        let school = try workingFolder(extra: ",\n  \"settleSeconds\": 0.3")
        try FileManager.default.createDirectory(atPath: school.file("inbox"), withIntermediateDirectories: true)
        let watch = try UchetProcess(["watch", "--interval", "0.2"], in: school.path)
        try school.write("inbox/roster.csv", text: "Фамилия;Имя;Отчество;Дата рождения;Класс\nИванов;Иван;Иванович;04.03.2010;9А\n")
        try school.write("inbox/marks.csv", text: "ФИО;Класс;Предмет;Период;Отметка\nИванов Иван Иванович;9А;Алгебра;1 четверть;5\n")
        var processed: [String] = []
        for _ in 0..<100 {
            usleep(100_000)
            processed = (try? FileManager.default.subpathsOfDirectory(atPath: school.file("inbox/processed"))) ?? []
            if processed.filter({ $0.hasSuffix(".csv") }).count == 2 { break }
        }
        #expect(processed.filter { $0.hasSuffix(".csv") }.count == 2)
        watch.signal(SIGTERM)
        #expect(watch.wait() == 0)
    }

    @Test func statusShowsClassesByYear() throws {
        let school = try DemoFolder(students: 30, seed: 4)
        let empty = try Uchet.run(["status"], in: school.path)
        #expect(empty.stdout.contains("Учёт пуст"))
        _ = try school.run()
        let status = try Uchet.run(["status"], in: school.path)
        #expect(status.status == 0)
        #expect(status.stdout.contains("Учёт: обучающихся 30"))
        #expect(status.stdout.contains("2025/2026 учебный год"))
        #expect(status.stdout.contains("2024/2025 учебный год") == false, "no class lists for last year: its marks belong to this year's students")
        #expect(status.stdout.split(separator: "\n").contains { $0.hasPrefix("9А ") })
    }
}
