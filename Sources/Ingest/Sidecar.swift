import Policy
import Records
import Spreadsheet
import StrictJSON
#if canImport(Glibc)
    import Glibc
    import FileIO
    import Digest
#endif

/// A scanned certificate's JSON description, lying beside the scan:
/// `{"ФИО": "…", "category": "олимпиада", "event": "…", "document": "диплом", "scan": "диплом.pdf", "sha256": "…"}`.
/// Keys are matched through the sidecar profile's spellings. The scan must
/// be a regular file inside the inbox, and match its SHA-256 when one is given.
enum SidecarImporter {
    static func run(path: String, source: SourceFile, context: ImportContext, diagnostics: Diagnostics) -> ([Record], SheetReport) {
        let fileLocation = Location(file: source.name)
        guard let profile = context.profiles.profiles.first(where: { $0.layout == .sidecar }) else {
            diagnostics.error("E-PROFILE-NONE", fileLocation, "нет профиля импорта для файлов-описаний сканов (layout: sidecar)")
            return ([], SheetReport(sheet: nil, status: .unmatched, records: 0))
        }
        let report = { (status: SheetReport.Status, records: Int, explanation: String?) in
            SheetReport(
                sheet: nil, status: status, profile: profile.id, profileLabel: profile.label, headerRow: nil, records: records, explanation: explanation)
        }
        let object: [(key: String, value: JSONValue)]
        do {
            let bytes = try Files.read(path, limit: 1 << 20)
            guard case .object(let members) = try JSONParser.parse(bytes) else {
                diagnostics.error("E-SIDECAR-JSON", fileLocation, "файл-описание должен быть объектом JSON {…}")
                return ([], report(.unmatched, 0, nil))
            }
            object = members
        } catch let error as JSONSyntaxError {
            diagnostics.error("E-SIDECAR-JSON", fileLocation, "файл-описание скана не JSON (\(error)); сохраните его заново в UTF-8")
            return ([], report(.unmatched, 0, nil))
        } catch let error as FileError where error.errno == .fileTooLarge {
            diagnostics.error("E-SIDECAR-JSON", fileLocation, "файл-описание больше 1 МБ: это не описание скана")
            return ([], report(.unmatched, 0, nil))
        } catch let error as FileError {
            diagnostics.error("E-FILE-UNREADABLE", fileLocation, "файл не читается: \(error.reason)")
            return ([], report(.unmatched, 0, nil))
        } catch {
            diagnostics.error("E-FILE-UNREADABLE", fileLocation, "файл не читается: \(error)")
            return ([], report(.unmatched, 0, nil))
        }

        var values = RowValues(row: nil, sheet: nil)
        let keyToField = Dictionary(profile.fields.flatMap { f in f.keys.map { ($0, f.name) } }, uniquingKeysWith: { a, _ in a })
        // The keys a sidecar may use, for messages: required first, each with its other spellings.
        let expected = (profile.fields.filter(\.required) + profile.fields.filter { !$0.required }).map { f in
            "«\(f.headers[0])»" + (f.required ? " (обязательный)" : "")
                + (f.headers.count > 1 ? " или " + f.headers.dropFirst().map { "«\($0)»" }.joined(separator: ", ") : "")
        }.joined(separator: "; ")
        let unknown = object.map(\.key).filter { keyToField[TextKey.compact($0)] == nil }
        if !unknown.isEmpty {
            diagnostics.warning(
                "W-SIDECAR-KEY", fileLocation,
                "\(unknown.count == 1 ? "ключ" : "ключи") \(unknown.prefix(20).map { "«\($0.prefix(40))»" }.joined(separator: ", ")) не \(unknown.count == 1 ? "известен" : "известны"), их значения не внесены. Ожидаемые ключи: \(expected). Пример — в README, «Файлы-описания сканов»"
            )
        }
        for (key, value) in object {
            guard let field = keyToField[TextKey.compact(key)] else { continue }
            let cell: CellValue
            switch value {
            case .string(let s): cell = .string(s)
            case .number(let n): cell = .number(n)
            case .bool(let b): cell = .bool(b)
            case .null: continue
            default:
                diagnostics.error("E-SIDECAR-FIELD", fileLocation, "значение ключа «\(key)» должно быть строкой, числом или true/false, а не \(value.kindName)")
                return ([], report(.imported, 0, nil))
            }
            values.fields[field] = RowValues.Value(value: cell, column: nil)
        }
        for field in profile.fields where field.required && values[field.name] == nil {
            diagnostics.error(
                "E-FIELD-MISSING", fileLocation,
                "нет обязательного ключа «\(field.headers[0])»\(field.headers.count > 1 ? " (или " + field.headers.dropFirst().map { "«\($0)»" }.joined(separator: ", ") + ")" : ""). Ожидаемые ключи: \(expected)"
            )
        }
        if diagnostics.hasErrors { return ([], report(.imported, 0, nil)) }

        let reader = FieldReader(env: ReaderEnvironment(context: context, source: source, title: .empty, diagnostics: diagnostics), values: values)
        guard var achievement = RecordBuilder.achievement(reader), let scan = achievement.certificate?.scanFile else {
            return ([], report(.imported, 0, nil))
        }
        guard
            let digest = checkScan(
                scan, given: achievement.certificate?.sha256, folder: source.folder,
                root: context.inboxRoot ?? source.folder, dropFolder: context.dropFolder,
                location: fileLocation, diagnostics: diagnostics)
        else {
            return ([], report(.imported, 0, nil))
        }
        achievement.certificate?.sha256 = digest
        return ([.achievement(achievement)], report(.imported, 1, nil))
    }

    /// The scan's SHA-256 when the scan is a regular file inside `root` and
    /// matches `given`; else a finding and `nil`.
    static func checkScan(
        _ name: String, given: String?, folder: String, root: String, dropFolder: String? = nil,
        location: Location, diagnostics: Diagnostics
    ) -> String? {
        if let problem = ScanPath.problem(name) {
            diagnostics.error("E-SCAN-PATH", location, "путь к скану «\(name.prefix(80))» \(problem); укажите имя файла скана, лежащего рядом с описанием")
            return nil
        }
        let path = folder + "/" + name
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if let dropFolder, lstat(dropFolder + "/" + name, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
                let what = info.st_mode & S_IFMT == S_IFDIR ? "папка, а не файл скана" : "не обычный файл"
                diagnostics.error("E-SCAN-PATH", location, "«\(name)» в inbox — \(what); положите рядом с описанием сам файл скана")
                return nil
            }
            diagnostics.error("E-SCAN-MISSING", location, "скан «\(name)» не найден рядом с файлом-описанием; положите его в ту же папку")
            return nil
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR {
            diagnostics.error("E-SCAN-PATH", location, "«\(name)» — папка, а не файл скана")
            return nil
        }
        if type == S_IFLNK {
            guard let real = realpath(path, nil), let base = realpath(root, nil) else {
                diagnostics.error("E-SCAN-MISSING", location, "скан «\(name)» — ссылка на несуществующий файл")
                return nil
            }
            let target = String(cString: real)
            let inside = String(cString: base)
            free(real)
            free(base)
            guard target.hasPrefix(inside + "/") else {
                diagnostics.error("E-SCAN-PATH", location, "скан «\(name)» — ссылка на файл вне папки inbox; такие ссылки не принимаются")
                return nil
            }
        } else if type != S_IFREG {
            diagnostics.error("E-SCAN-PATH", location, "«\(name)» не обычный файл")
            return nil
        }
        let digest: String
        do { digest = try SHA256Hex.of(file: path) } catch {
            diagnostics.error("E-SCAN-MISSING", location, "скан «\(name)» не читается: \(error.reason)")
            return nil
        }
        if let given, !given.isEmpty, given.lowercased() != digest {
            diagnostics.error(
                "E-SCAN-HASH", location,
                "SHA-256 скана «\(name)» не совпадает с указанным в описании (указано \(given.prefix(16))…, у файла \(digest.prefix(16))…): скан заменён или повреждён; пересканируйте или исправьте описание"
            )
            return nil
        }
        return digest
    }
}

/// Scan names must stay in the sidecar's folder.
enum ScanPath {
    static func problem(_ name: String) -> String? {
        if name.isEmpty { return "пуст" }
        if name.hasPrefix("/") || name.hasPrefix("\\") || name.hasPrefix("~") { return "абсолютный" }
        if name.contains("\0") { return "содержит нулевой байт" }
        let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if parts.contains("..") { return "выходит за пределы папки inbox («..»)" }
        if parts.count > 1 { return "указывает во вложенную папку" }
        return nil
    }
}
