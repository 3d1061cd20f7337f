import Foundation
import Policy
import Records
import TestSupport
import Testing
@testable import Attestat
@testable import Ledger

/// A PDF as LibreOffice writes it with stream compression off
/// (`VCL_DEBUG_DISABLE_PDFCOMPRESSION`): the pages and every font size set in a content stream.
struct PrintedPDF {
    var pages: Int
    /// Width and height of each page's media box, in points.
    var mediaBoxes: [(width: Double, height: Double)]
    /// Every size of a `Tf` operator.
    var fontSizes: [Double]

    init(path: String) throws {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        fontSizes = []
        var boxes: [(Double, Double)] = []
        var pageObjects = 0
        // `/F1 10.009 Tf[<01>…] TJ`: the two words before each `Tf`.
        var rest = Substring(text)
        while let r = rest.range(of: " Tf") {
            let before = rest[..<r.lowerBound].suffix(40).split(whereSeparator: \.isWhitespace).suffix(2)
            if before.count == 2, before.first!.hasPrefix("/"), let size = Double(before.last!) { fontSizes.append(size) }
            rest = rest[r.upperBound...]
        }
        rest = Substring(text)
        while let r = rest.range(of: "/Type/Page") ?? rest.range(of: "/Type /Page") {
            if !rest[r.upperBound...].hasPrefix("s") { pageObjects += 1 }
            rest = rest[r.upperBound...]
        }
        rest = Substring(text)
        while let r = rest.range(of: "/MediaBox") {
            let after = rest[r.upperBound...]
            if let open = after.firstIndex(of: "["), let close = after.firstIndex(of: "]") {
                let numbers = after[after.index(after: open)..<close].split(separator: " ").compactMap { Double($0) }
                if numbers.count == 4 { boxes.append((numbers[2] - numbers[0], numbers[3] - numbers[1])) }
            }
            rest = after
        }
        pages = pageObjects
        mediaBoxes = boxes.map { (width: $0.0, height: $0.1) }
    }
}

/// The text of each page, through poppler's `pdftotext` where it is installed.
func pageTexts(_ pdf: String) throws -> [String]? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/pdftotext" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let path else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = ["-enc", "UTF-8", pdf, "-"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).components(separatedBy: "\u{0C}").dropLast().map { $0 }
}

@Suite struct PrintTests {
    /// A 9th class of 30 ready graduates with 19 subjects: the widest register book a school usually has.
    static func wideClass() throws -> ClassGraduates {
        let subjects = [
            "literature", "native-language", "native-literature", "english", "german", "informatics", "social-studies", "geography",
            "chemistry", "art", "music", "technology", "physical-education", "life-safety"
        ]
        let surnames = ["Афанасьев", "Константинопольский", "Ершова", "Иванов", "Петрова", "Смирнов", "Соловьёва", "Тихонов", "Орлова", "Новиков"]
        var pupils: [Pupil] = []
        for i in 0..<30 {
            var p = NinthGradeTests.base("j\(100 + i)")
            p.name = FullName(
                surname: surnames[i % surnames.count] + (i >= 10 ? "-" + surnames[(i / 10) % surnames.count] : ""), name: "Александра",
                patronymic: "Владимировна")
            for s in subjects { p.annual(s, 4 + i % 2) }
            pupils.append(p)
        }
        let calculator = FinalMarkCalculator(rules: try rules(), policy: schoolPolicy)
        return ClassGraduates(graduates: calculator.graduates(pupils.map(\.record), schoolClass: "9А", year: Pupil.year), leavers: [])
    }

    @Test func theRegisterBookAndFinalMarksPrintOnA4LandscapeAtNinePointsOrMore() throws {
        guard LibreOffice.isInstalled else {
            print("PrintTests: LibreOffice (soffice) не установлен — проверка печати ведомости аттестатов пропущена")
            return
        }
        let dir = TemporaryDirectory("uchet-print")
        let result = try PrintTests.wideClass()
        #expect(result.graduates.count == 30)
        for g in result.graduates where g.outcome != .ready { Issue.record("\(g.record.id): \(g.flags.map(\.message)) \(g.failures)") }
        let numbers = Dictionary(uniqueKeysWithValues: result.graduates.enumerated().map { ($1.record.id, $0 + 1) })
        let workbook = dir.file("9А.xlsx")
        try AttestatSheets(rules: try rules(), policy: schoolPolicy, schoolName: "МАОУ СОШ № 134")
            .write(result, schoolClass: "9А", year: Pupil.year, numbers: numbers, kept: [:], to: workbook)
        #expect(AttestatSheets(rules: try rules(), policy: schoolPolicy, schoolName: "").columns(result.graduates).count == 19)

        let pdf = try LibreOffice.convert(workbook, to: "pdf", outdir: dir.path, environment: ["VCL_DEBUG_DISABLE_PDFCOMPRESSION": "1"])
        let printed = try PrintedPDF(path: pdf)
        print("PrintTests: страниц \(printed.pages), кегль от \(printed.fontSizes.min() ?? 0) до \(printed.fontSizes.max() ?? 0) пт")
        // Six sheets, each on pages of its own; every page A4 landscape; nothing smaller than 9 pt.
        #expect(printed.pages >= 6)
        #expect(printed.mediaBoxes.count >= printed.pages)
        #expect(printed.mediaBoxes.allSatisfy { abs($0.width - 841.89) < 1 && abs($0.height - 595.3) < 1 })
        #expect(!printed.fontSizes.isEmpty)
        #expect(printed.fontSizes.allSatisfy { $0 >= 9 }, "\(Set(printed.fontSizes).sorted())")

        guard let pages = try pageTexts(pdf) else {
            print("PrintTests: pdftotext (poppler-utils) не установлен — заголовки на каждой странице не проверены")
            return
        }
        #expect(pages.count == printed.pages)
        // The header rows repeat on every page of a sheet; the book's title says its level rightly; signatures close the forms.
        let book = pages.filter { $0.contains("Книга регистрации выданных аттестатов") }
        #expect(book.count >= 2, "30 graduates take more than one page of the book")
        #expect(book.allSatisfy { $0.contains("об основном общем образовании: 9А класс") && $0.contains("Рег.") })
        #expect(book.last?.contains("Директор") == true && book.last?.contains("М. П.") == true)
        let finals = pages.filter { $0.contains("итоговые отметки выпускников, 9А класс") }
        #expect(!finals.isEmpty && finals.allSatisfy { $0.contains("ФИО") })
        #expect(finals.last?.contains("Классный руководитель") == true && finals.last?.contains("Директор") == true)
        #expect(!pages.joined().contains("об основное"))
    }

    @Test func titlesNameTheLevelInThePrepositional() {
        #expect(AttestatSheets.about("основное общее образование") == "об основном общем образовании")
        #expect(AttestatSheets.about("среднее общее образование") == "о среднем общем образовании")
    }

    @Test func rowsAreAsTallAsTheirWrappedText() {
        #expect(AttestatSheets.height([("Иванов Иван Иванович", 26)]) == 17)
        #expect(AttestatSheets.height([("Константинопольский Александр Владимирович", 15)]) == 47)
        #expect(AttestatSheets.height([("одна\nдве\nтри", 40)]) == 47)
    }
}
