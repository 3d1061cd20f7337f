/// The RFC 4180 state machine behind `CSVReader`, fed chunk by chunk.
///
/// Lenient where exports are sloppy and explicit about it: a quote inside
/// an unquoted field is kept as a character; text after a closing quote is
/// kept and reported; a quote left open to the end of the file is reported
/// and its record re-read from its first line with quotes as plain
/// characters, so nothing after it is lost; a record past the size limit is
/// skipped to the next line break and reported.
struct CSVParser {
    enum Outcome {
        case more
        case stop
        /// Read again from this byte offset.
        case rewind(Int)
    }

    private enum State { case fieldStart, unquoted, quoted, quoteSeen }

    private static let quote = UInt8(ascii: "\"")
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D

    let separator: UInt8
    let encoding: TextEncoding
    let limits: CSVLimits
    var findings: [CSVFinding] = []
    /// Bytes to skip before parsing (a BOM).
    var skip = 0

    private var offset = 0
    private var line = 1
    private var recordLine = 1
    private var recordOffset = 0
    private var recordBytes = 0
    private var recordHasContent = false
    private var column = 0
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var pendingCR = false
    /// The last byte inside quotes was a CR (a LF after it ends the same line).
    private var quotedCR = false
    private var literalQuotes = false
    /// Separators met inside the open quotes after a line break in them: two or
    /// more mean the quotes swallowed whole records (a stray `"` in a value).
    private var separatorsAfterBreak = -1
    private var reportedSpan = false
    private var skippingRecord = false
    private var reportedLine = 0

    init(dialect: CSVDialect, limits: CSVLimits) {
        separator = dialect.separator
        encoding = dialect.encoding
        self.limits = limits
        field.reserveCapacity(256)
    }

    mutating func consume(
        _ chunk: UnsafeBufferPointer<UInt8>, final: Bool, storage: RowStorage,
        visit: (RowView) throws -> ScanDecision
    ) throws -> Outcome {
        var i = 0
        if skip > 0 {
            let k = min(skip, chunk.count)
            i = k
            skip -= k
            offset += k
            recordOffset = offset
        }
        let sep = separator
        while i < chunk.count {
            let b = chunk[i]
            i += 1
            offset += 1
            if pendingCR {
                pendingCR = false
                if b == CSVParser.lf {
                    if recordBytes == 0 { recordOffset = offset }
                    continue
                }
            }
            if skippingRecord {
                if b == CSVParser.lf || b == CSVParser.cr {
                    pendingCR = b == CSVParser.cr
                    skippingRecord = false
                    line += 1
                    startRecord(storage)
                }
                continue
            }
            if b == 0 {
                report(.nulByte, "нулевой байт (символ NUL): строка повреждена, её значениям нельзя доверять; выгрузите файл заново")
                continue
            }
            recordBytes += 1
            if recordBytes > limits.maxRecordBytes {
                findings.append(
                    CSVFinding(
                        code: .recordTooLong, line: recordLine,
                        message: "запись длиннее \(limits.maxRecordBytes >> 20) МБ пропущена; проверьте, что файл — это таблица CSV"))
                if state == .quoted { line = recordLine }
                skippingRecord = true
                field.removeAll(keepingCapacity: true)
                storage.reset(row: recordLine)
                continue
            }
            switch state {
            case .fieldStart:
                if b == CSVParser.quote && !literalQuotes {
                    state = .quoted
                    recordHasContent = true
                } else if b == sep {
                    endField(storage)
                    recordHasContent = true
                } else if b == CSVParser.lf || b == CSVParser.cr {
                    if try endLine(b, storage, visit) { return .stop }
                } else {
                    field.append(b)
                    state = .unquoted
                    recordHasContent = true
                }
            case .unquoted:
                if b == sep {
                    endField(storage)
                    state = .fieldStart
                } else if b == CSVParser.lf || b == CSVParser.cr {
                    if try endLine(b, storage, visit) { return .stop }
                } else {
                    field.append(b)
                }
            case .quoted:
                // Line breaks inside quotes are part of the value, kept as
                // written (CR LF stays CR LF); a CR LF counts as one line.
                if b == CSVParser.quote {
                    state = .quoteSeen
                    separatorsAfterBreak = -1
                } else if b == CSVParser.lf {
                    field.append(b)
                    if !quotedCR { line += 1 }
                    quotedCR = false
                    if separatorsAfterBreak < 0 { separatorsAfterBreak = 0 }
                    continue
                } else if b == CSVParser.cr {
                    field.append(b)
                    line += 1
                    quotedCR = true
                    if separatorsAfterBreak < 0 { separatorsAfterBreak = 0 }
                    continue
                } else {
                    field.append(b)
                    if b == sep, separatorsAfterBreak >= 0 {
                        separatorsAfterBreak += 1
                        if separatorsAfterBreak == 2, !reportedSpan {
                            reportedSpan = true
                            findings.append(
                                CSVFinding(
                                    code: .quoteSpansRecords, line: recordLine,
                                    message:
                                        "кавычка, открытая в поле \(column + 1), захватывает строку \(line) и дальше: строки стали одним значением, хотя в них поля через разделитель; "
                                        + "уберите лишнюю кавычку в строке \(recordLine) (или закройте её) и выгрузите файл снова"))
                        }
                    }
                }
                quotedCR = false
            case .quoteSeen:
                if b == CSVParser.quote {
                    field.append(b)
                    state = .quoted
                } else if b == sep {
                    endField(storage)
                    state = .fieldStart
                } else if b == CSVParser.lf || b == CSVParser.cr {
                    if try endLine(b, storage, visit) { return .stop }
                } else {
                    report(.textAfterQuote, "после закрывающей кавычки в поле \(column + 1) идут ещё символы; они оставлены в поле")
                    field.append(b)
                    state = .unquoted
                }
            }
        }
        guard final else { return .more }
        if state == .quoted {
            // Re-read with quotes as plain characters: the records the quote swallowed come back.
            findings.removeAll { $0.code == .quoteSpansRecords && $0.line == recordLine }
            findings.append(
                CSVFinding(
                    code: .unterminatedQuote, line: recordLine,
                    message: "кавычка в поле \(column + 1) открыта и не закрыта до конца файла; строка прочитана с кавычками как обычными символами"))
            let target = recordOffset
            line = recordLine
            offset = target
            field.removeAll(keepingCapacity: true)
            startRecord(storage)
            literalQuotes = true
            return .rewind(target)
        }
        if recordHasContent || !field.isEmpty {
            endField(storage)
            if storage.count > 0, try visit(RowView(storage: storage)) == .stop { return .stop }
        }
        return .more
    }

    /// A line break outside quotes: ends the record. True when the visitor stopped.
    private mutating func endLine(_ b: UInt8, _ storage: RowStorage, _ visit: (RowView) throws -> ScanDecision) throws -> Bool {
        if recordHasContent { endField(storage) }
        pendingCR = b == CSVParser.cr
        if storage.count > 0, try visit(RowView(storage: storage)) == .stop { return true }
        line += 1
        startRecord(storage)
        return false
    }

    private mutating func startRecord(_ storage: RowStorage) {
        recordLine = line
        recordOffset = offset
        recordBytes = 0
        recordHasContent = false
        column = 0
        state = .fieldStart
        literalQuotes = false
        quotedCR = false
        separatorsAfterBreak = -1
        reportedSpan = false
        storage.reset(row: line)
    }

    private mutating func endField(_ storage: RowStorage) {
        column += 1
        defer { field.removeAll(keepingCapacity: true) }
        guard !field.isEmpty else { return }
        if column > limits.maxFields {
            if column == limits.maxFields + 1 {
                report(.recordTooLong, "в записи больше \(limits.maxFields) полей; лишние пропущены")
            }
            return
        }
        let text: String = field.withUnsafeBufferPointer { bytes in
            switch encoding {
            case .windows1251:
                return Windows1251.decode(bytes)
            case .utf8, .utf8BOM:
                var census = UTF8Census()
                census.feed(bytes)
                if census.invalid > 0 {
                    report(
                        .invalidUTF8,
                        "байты, недопустимые в UTF-8 (показаны знаком «\u{FFFD}»): строка повреждена или файл в смешанной кодировке; пересохраните файл в UTF-8"
                    )
                }
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        storage.appendText(column: column, text, kind: .string)
    }

    /// One finding of a kind per line.
    private mutating func report(_ code: CSVFinding.Code, _ message: String) {
        if let last = findings.last, last.line == line, last.code == code { return }
        findings.append(CSVFinding(code: code, line: line, message: message))
    }
}
