import ArgumentParser
import Archive
import CivilDate
import Ledger
import Pipeline
import Records
#if canImport(Glibc)
    import Glibc
#endif

/// `uchet keys`: the school's sealing key.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ключ школы для опечатывания архивных пакетов (Ed25519).",
        discussion: """
            Примеры:
              uchet keys init     (создать ключ в keys/: закрытый — только владельцу, открытый — для архивистов)
              uchet keys show     (отпечаток открытого ключа)
            """,
        subcommands: [Init.self, Show.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Создать пару ключей школы; существующий ключ не заменяется.")
        @OptionGroup var settings: SettingsOption

        func run() async throws {
            let workspace = try settings.workspace()
            do {
                let fingerprint = try SchoolKey.create(in: workspace.settings.keys)
                let folder = Workspace.relative(workspace.settings.keys, to: workspace.settings.folder)
                print(
                    "Ключ создан: \(folder)/\(SchoolKey.privateName) (закрытый, только владельцу), \(folder)/\(SchoolKey.publicName) (открытый: передайте архивистам)."
                )
                print("Отпечаток: \(fingerprint)")
            } catch {
                throw Failure(error, status: .usage)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Показать отпечаток открытого ключа школы.")
        @OptionGroup var settings: SettingsOption

        func run() async throws {
            let workspace = try settings.workspace()
            do {
                let key = try SchoolKey.loadPublic(path: workspace.settings.keys + "/" + SchoolKey.publicName)
                print(SchoolKey.fingerprint(key))
            } catch {
                throw Failure(error, status: .usage)
            }
        }
    }
}

/// `uchet package`: sealed archive packages per class and year.
struct Package: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Собрать опечатанные архивные пакеты BagIt: по пакету на класс и учебный год.",
        discussion: """
            Пакет outbox/archive/<год>/<школа>-<год>-<класс>.zip: досье класса, сканы грамот и дипломов, \
            ведомость аттестатов (для выпускных классов), опись data/inventory.xml, bag-info.txt со сроками \
            хранения, манифесты SHA-512 и SHA-256, подпись Ed25519 манифеста служебных файлов. \
            Тот же учёт и та же дата упаковки дают те же байты.

            Примеры:
              uchet package --year 2025/2026
              uchet package --year 2025/2026 --class 9А --date 2026-06-30
            """
    )

    @OptionGroup var schoolYear: YearOption
    @Option(name: .customLong("class"), help: "Только этот класс.") var schoolClass: String?
    @Option(help: "Дата упаковки (Bagging-Date), ГГГГ-ММ-ДД; по умолчанию сегодня.") var date: CivilDate?
    @OptionGroup var settings: SettingsOption

    func run() async throws {
        let workspace = try settings.workspace()
        _ = try workspace.attestatRules()
        let academicYear = schoolYear.resolved(in: workspace)
        let bagging = date ?? Clock.today()
        try workspace.requireLedger()
        let key: Curve25519Key
        do { key = Curve25519Key(try SchoolKey.loadPrivate(folder: workspace.settings.keys)) } catch { throw Failure(error, status: .usage) }
        do {
            let ledger = try Ledger(path: workspace.settings.ledger)
            let classes = try ledger.classes(year: academicYear).map(\.schoolClass)
            guard !classes.isEmpty else {
                let years = try ledger.enrolmentYears().map(\.description)
                throw Failure(
                    ValidationError(
                        "в учёте нет обучающихся за \(academicYear) учебный год; "
                            + (years.isEmpty ? "учёт пуст: сначала uchet run" : "годы в учёте: \(years.joined(separator: ", "))")), status: .usage)
            }
            let wanted = schoolClass.map { c in classes.filter { $0.lowercased() == (SchoolClass(parsing: c)?.description ?? c).lowercased() } } ?? classes
            guard !wanted.isEmpty else {
                throw Failure(usage: "в \(academicYear) нет класса \(schoolClass.map { "«\($0)»" } ?? ""); классы: \(classes.joined(separator: ", "))")
            }
            let missing = [("school.address", workspace.settings.school.address), ("school.contact", workspace.settings.school.contact)].filter { $0.1.isEmpty }
                .map(\.0)
            if !missing.isEmpty {
                printError(
                    "внимание: в pipeline.json не заполнено \(missing.joined(separator: ", ")): в bag-info.txt пакета будет пометка «не указан»; архиву нужны адрес школы и ответственное лицо"
                )
            }
            let builder = PackageBuilder(ledger: ledger, policy: workspace.policy, settings: workspace.settings, key: key.key)
            var failed = 0
            let results = try await ledger.withOutputsLock {
                Leftovers.sweep(workspace.settings.outbox + "/archive", libzip: true)
                return try await builder.build(year: academicYear, classes: wanted, date: bagging)
            }
            for (c, result) in zip(wanted, results) {
                switch result {
                case .success(let r):
                    print("  \(c): \(r.name) — обучающихся \(r.students), документов \(r.documents) → outbox/\(r.path)")
                case .failure(let error):
                    failed += 1
                    printError("\(c): пакет не собран: \(error)")
                }
            }
            guard failed == 0 else {
                throw Failure(ValidationError("не собрано пакетов: \(failed) из \(wanted.count); остальные записаны"), status: .internalFailure)
            }
            print(
                "Пакетов: \(wanted.count) в outbox/archive/\(academicYear.fileName); проверка: uchet verify ПАКЕТ.zip --key \(Workspace.relative(workspace.settings.keys, to: workspace.settings.folder))/\(SchoolKey.publicName)"
            )
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }
}

/// `uchet verify`: checks a package with the school's public key.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Проверить архивный пакет: целостность BagIt, контрольные суммы, Payload-Oxum, подпись.",
        discussion: """
            Печатает первое расхождение в каждом пакете с именем файла и завершается с кодом 1, если \
            хоть один пакет не цел; --all — все расхождения. Можно указать несколько пакетов.

            Примеры:
              uchet verify outbox/archive/2025-2026/sosh134-2025-2026-9a.zip --key keys/school.pub.pem
              uchet verify outbox/archive/2025-2026/*.zip --key keys/school.pub.pem
            """
    )

    @Argument(help: "Пакеты .zip.") var packages: [String]
    @Option(help: "Открытый ключ школы (PEM).") var key: String
    @Flag(help: "Перечислить все расхождения, а не только первое.") var all = false

    func run() async throws {
        let publicKey: Curve25519PublicKey
        do { publicKey = Curve25519PublicKey(try SchoolKey.loadPublic(path: key)) } catch { throw Failure(error, status: .usage) }
        let verifier = PackageVerifier(key: publicKey.key)
        var failed = 0
        // Each package on its own: one that cannot be read does not stop the others.
        for package in packages {
            let mismatches: [Mismatch]
            do {
                mismatches = try verifier.verify(path: package, stopAtFirst: !all)
            } catch {
                failed += 1
                printError("\(package): \(error)")
                continue
            }
            if mismatches.isEmpty {
                print("\(package): пакет цел и опечатан ключом \(SchoolKey.fingerprint(publicKey.key))")
            } else {
                failed += 1
                for m in mismatches { print("\(package): \(m)") }
            }
        }
        if packages.count > 1 {
            print("Проверено пакетов: \(packages.count); целы: \(packages.count - failed); не целы: \(failed)")
        }
        if failed > 0 { throw ExitCode(ExitStatus.rejected.rawValue) }
    }
}
