import ArgumentParser
import Ingest
import Policy
import Records
import FileIO

/// `uchet check`: validates files without touching the ledger or moving anything.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Проверить выгрузки по положению школы, ничего не меняя в учёте.",
        discussion: """
            Для каждого файла печатает выбранный профиль импорта, число записей по видам и \
            категориям положения и каждую найденную ошибку с местом (лист и ячейка или строка) \
            и советом, что исправить. Файлы не перемещаются, учёт не меняется.
            Код выхода: 0 — ошибок нет, 1 — есть ошибки, 2 — ошибка настройки.

            Примеры:
              uchet check inbox/9А-отметки.xlsx
              uchet check inbox/*.xlsx inbox/журнал.csv --format json
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Файлы XLSX, ODS, HTML (выгрузка журнала), CSV или JSON-описания сканов.")
    var files: [String]

    @Option(help: "Формат вывода: text или json.")
    var format: Format = .text

    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        let context = try workspace.importContext()
        let sources = workspace.sources
        let inbox = workspace.settings.inbox
        var results = await Check.importAll(files, context: context) { sources.declaration(path: $0, inbox: inbox) }
        Check.pairScans(&results, context: context)

        // Students are resolved against the rosters among the files checked.
        let rosterEntries = results.flatMap { $0.records.compactMap { if case .roster(let r) = $0 { r } else { nil } } }
        let roster = RosterIndex(entries: rosterEntries)
        for i in results.indices {
            let needsRoster = results[i].records.contains { if case .roster = $0 { false } else { true } }
            guard needsRoster else { continue }
            if roster.count == 0 {
                results[i].findings.append(
                    Finding(
                        "I-ROSTER-MISSING", .info, Location(file: results[i].fileName),
                        "контингент не загружен: ученики не сверены; проверьте вместе с выгрузкой контингента"))
            } else {
                StudentResolver.resolve(&results[i], roster: roster)
            }
        }

        let report = CheckReport(results: results, policy: workspace.policy)
        let output = Output()
        switch format {
        case .text: report.printText(to: output)
        case .json: output.line(report.json())
        }
        output.flush()
        if results.contains(where: \.hasErrors) { throw ExitCode(ExitStatus.rejected.rawValue) }
    }

    /// A scan checked beside the sidecar that names it is not waiting: its
    /// note says which sidecar it goes with.
    static func pairScans(_ results: inout [FileImport], context: ImportContext) {
        func normalized(_ path: String) -> String {
            path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        }
        var sidecarOf: [String: String] = [:]
        for result in results where result.format == .sidecar {
            guard let scan = FileImporter.sidecarScan(path: result.path, context: context) else { continue }
            let folder = result.path.contains("/") ? String(result.path[..<result.path.lastIndex(of: "/")!]) : "."
            sidecarOf[normalized(folder + "/" + scan)] = result.fileName
        }
        for i in results.indices where results[i].format == .scan {
            guard let sidecar = sidecarOf[normalized(results[i].path)] else { continue }
            results[i].findings = results[i].findings.map { finding in
                guard finding.code == "I-SCAN-ALONE" else { return finding }
                return Finding("I-SCAN-SIDECAR", .info, finding.location, "скан к файлу-описанию «\(sidecar)»: не таблица, проверяется вместе с ним")
            }
        }
    }

    /// Imports files in parallel, one task per file, as many at once as there are cores.
    static func importAll(
        _ files: [String], context: ImportContext,
        source: @escaping @Sendable (String) -> DeclaredSource = { _ in .handKept }
    ) async -> [FileImport] {
        await Parallel.map(files.count) { i in FileImporter.run(path: files[i], context: context, source: source(files[i])) }
    }
}

/// What `uchet check` prints: per file, the profiles, counts by kind and category, findings.
struct CheckReport {
    let results: [FileImport]
    let policy: Policy

    /// Record counts by kind and, within, by the policy's category (with its section).
    func counts(_ result: FileImport) -> [(kind: String, category: String, count: Int)] {
        var counts: [String: [String: Int]] = [:]
        var order: [String] = []
        // Records of one kind and category come in runs (a journal's current marks): a run is
        // counted first and added once, since hashing Cyrillic keys per record was a tenth of
        // the time `uchet check` took on a journal.
        var run: (kind: String, category: String, count: Int)?
        func flush() {
            guard let r = run else { return }
            if counts[r.kind] == nil { order.append(r.kind) }
            counts[r.kind, default: [:]][r.category, default: 0] += r.count
        }
        func add(_ kind: String, _ category: String) {
            if let r = run, r.kind == kind, r.category == category {
                run!.count += 1
                return
            }
            flush()
            run = (kind, category, 1)
        }
        let markCategory = category(policy.markCategory.group, policy.markCategory.category)
        for record in result.records {
            switch record {
            case .roster: add("контингент", "—")
            case .mark(let m):
                let kind =
                    switch m.kind {
                    case .current: "текущие отметки"
                    case .period: "отметки за периоды"
                    case .annual: "годовые отметки"
                    case .exam: "экзаменационные отметки"
                    case .final: "итоговые отметки"
                    }
                add(kind, markCategory)
            case .exam: add("результаты ГИА", category(policy.examCategory.group, policy.examCategory.category))
            case .achievement(let a): add("достижения", category(a.group, a.category))
            case .encouragement(let e):
                add("поощрения", "п. \(policy.encouragementSection): " + (policy.encouragementKinds.term(id: e.kind)?.label ?? e.kind))
            case .development(let d):
                let group = policy.groups.first { $0.kind == (d.kind == .personal ? .personal : .metasubject) }
                add(d.kind == .personal ? "личностные результаты" : "метапредметные результаты", category(group?.id ?? "", d.category))
            case .attestatIssue: add("выдача аттестатов", "книга регистрации выданных аттестатов")
            }
        }
        flush()
        return order.flatMap { kind in counts[kind]!.sorted { $0.key < $1.key }.map { (kind, $0.key, $0.value) } }
    }

    private func category(_ groupID: String, _ categoryID: String) -> String {
        guard let group = policy.group(id: groupID), let category = group.categories.term(id: categoryID) else {
            return "\(groupID).\(categoryID)"
        }
        return "п. \(category.section ?? group.section ?? "3.2") \(group.label) → \(category.label)"
    }

    func printText(to out: Output) {
        var errors = 0
        var warnings = 0
        for result in results {
            out.line("\(result.fileName) (\(result.format.rawValue))")
            if let reason = result.sourceReason { out.line("  источник: \(reason)") }
            for sheet in result.sheets {
                let place = sheet.sheet.map { "  лист «\($0)»: " } ?? "  "
                switch sheet.status {
                case .imported:
                    out.line(
                        place
                            + "профиль «\(sheet.profileLabel ?? "")» (\(sheet.profile ?? "")), заголовок в строке \(sheet.headerRow.map(String.init) ?? "—"), прочитано записей \(sheet.records)"
                    )
                    out.line("    " + CellAccount.line(sheet.cells))
                case .empty: out.line(place + "пуст")
                case .hidden: out.line(place + "скрыт, пропущен")
                case .unmatched, .ambiguous: out.line(place + "профиль не выбран")
                }
            }
            let counts = counts(result)
            out.line("  записей без ошибок: \(result.records.count)")
            for c in counts { out.line("    \(c.kind): \(c.count)" + (c.category == "—" ? "" : " — \(c.category)")) }
            if result.absences > 0 { out.line("  пропусков уроков («н»): \(result.absences)") }
            let e = result.findings.count { $0.severity == .error }
            let w = result.findings.count { $0.severity == .warning }
            errors += e
            warnings += w
            out.line("  ошибок: \(e), предупреждений: \(w)")
            for finding in result.findings.sorted(by: { ($0.location, $0.code) < ($1.location, $1.code) }) {
                let place = finding.location.place.isEmpty ? "" : finding.location.place + ": "
                out.line("    \(place)\(finding.severity.russian) \(finding.code): \(finding.message)")
            }
        }
        out.line("Итого: файлов \(results.count), с ошибками \(results.count(where: \.hasErrors)); ошибок \(errors), предупреждений \(warnings)")
    }

    func json() -> String {
        var files: [String] = []
        for result in results {
            let sheets = result.sheets.map { s in
                "{\"sheet\":\(s.sheet.map(JSON.string) ?? "null"),\"status\":\"\(s.status.rawValue)\",\"profile\":\(s.profile.map(JSON.string) ?? "null"),\"headerRow\":\(s.headerRow.map(String.init) ?? "null"),\"records\":\(s.records),\"cells\":{\"total\":\(s.cells.cells),\"inRecords\":\(s.cells.inRecords),\"absences\":\(s.cells.absences),\"skipped\":\(s.cells.skipped),\"withErrors\":\(s.cells.withErrors),\"notTaken\":\(s.cells.notTaken),\"noRecord\":\(s.cells.noRecord)}}"
            }
            let counts = counts(result).map { "{\"kind\":\(JSON.string($0.kind)),\"category\":\(JSON.string($0.category)),\"count\":\($0.count)}" }
            let findings = result.findings.sorted(by: { ($0.location, $0.code) < ($1.location, $1.code) }).map { f in
                "{\"code\":\(JSON.string(f.code)),\"severity\":\"\(f.severity.rawValue)\",\"file\":\(JSON.string(f.location.file)),\"sheet\":\(f.location.sheet.map(JSON.string) ?? "null"),\"row\":\(f.location.row.map(String.init) ?? "null"),\"column\":\(f.location.column.map(String.init) ?? "null"),\"place\":\(JSON.string(f.location.place)),\"message\":\(JSON.string(f.message))}"
            }
            files.append(
                "{\"file\":\(JSON.string(result.fileName)),\"source\":\(result.sourceKind.map(JSON.string) ?? "null"),\"sourceReason\":\(result.sourceReason.map(JSON.string) ?? "null"),\"sha256\":\"\(result.fileHash)\",\"format\":\"\(result.format.rawValue)\",\"sheets\":[\(sheets.joined(separator: ","))],\"records\":\(result.records.count),\"counts\":[\(counts.joined(separator: ","))],\"absences\":\(result.absences),\"errors\":\(result.errorCount),\"findings\":[\(findings.joined(separator: ","))]}"
            )
        }
        return "{\"files\":[\(files.joined(separator: ","))],\"errors\":\(results.reduce(0) { $0 + $1.errorCount })}"
    }
}
