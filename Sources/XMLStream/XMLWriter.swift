internal import CLibXML2
#if canImport(Glibc)
    import Glibc
#endif

/// Writes XML through libxml2's xmlTextWriter, to a file or to memory.
///
/// Text and attribute values are escaped by libxml2; characters XML 1.0
/// cannot carry (control characters other than tab, LF, CR) are replaced by
/// U+FFFD so the output always parses. Use `XMLWriter.file` or
/// `XMLWriter.bytes`, which close the writer on every path and discard a
/// partial file on failure.
public final class XMLWriter {
    private let writer: xmlTextWriterPtr
    private let buffer: xmlBufferPtr?
    private let document: String
    private var closed = false

    private init(writer: xmlTextWriterPtr, buffer: xmlBufferPtr?, document: String) {
        self.writer = writer
        self.buffer = buffer
        self.document = document
    }

    deinit {
        if !closed { xmlFreeTextWriter(writer) }
        if let buffer { xmlBufferFree(buffer) }
    }

    /// Opens `path` for a document written over several calls; `finish()`
    /// completes it. Prefer `file(_:_:)` when one scope writes it all.
    public convenience init(path: String, indent: Bool = false) throws {
        guard let w = xmlNewTextWriterFilename(path, 0) else {
            throw XMLError(.writeFailed, operation: "запись", document: path, message: "не удалось создать файл")
        }
        self.init(writer: w, buffer: nil, document: path)
        try setIndent(indent)
    }

    /// Flushes and closes a writer made with `init(path:)`.
    public func finish() throws {
        try close()
    }

    /// Writes a document to `path` through `body`. A failure removes the partial file.
    public static func file(_ path: String, indent: Bool = false, _ body: (XMLWriter) throws -> Void) throws {
        guard let w = xmlNewTextWriterFilename(path, 0) else {
            throw XMLError(.writeFailed, operation: "запись", document: path, message: "не удалось создать файл")
        }
        let writer = XMLWriter(writer: w, buffer: nil, document: path)
        do {
            try writer.setIndent(indent)
            try body(writer)
            try writer.close()
        } catch {
            if !writer.closed {
                xmlFreeTextWriter(w)
                writer.closed = true
            }
            _ = path.withCString { unlink($0) }
            throw error
        }
    }

    /// Writes a document into memory through `body` and returns its bytes.
    public static func bytes(document: String = "XML", indent: Bool = false, _ body: (XMLWriter) throws -> Void) throws -> [UInt8] {
        guard let buffer = xmlBufferCreate() else {
            throw XMLError(.writeFailed, operation: "запись", document: document, message: "нехватка памяти")
        }
        guard let w = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw XMLError(.writeFailed, operation: "запись", document: document, message: "нехватка памяти")
        }
        let writer = XMLWriter(writer: w, buffer: buffer, document: document)
        try writer.setIndent(indent)
        try body(writer)
        try writer.close()
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }

    private func close() throws {
        guard !closed else { return }
        let rc = xmlTextWriterFlush(writer)
        xmlFreeTextWriter(writer)
        closed = true
        if rc < 0 { throw failure("не удалось дописать документ (место на диске?)") }
    }

    private func setIndent(_ on: Bool) throws {
        guard on else { return }
        try check(xmlTextWriterSetIndent(writer, 1), "отступы")
        try check("  ".withCString { xmlTextWriterSetIndentString(writer, $0) }, "отступы")
    }

    // MARK: - Writing

    /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`
    public func startDocument(standalone: Bool = true) throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", standalone ? "yes" : nil), "начало документа")
    }

    public func endDocument() throws {
        try check(xmlTextWriterEndDocument(writer), "конец документа")
    }

    public func startElement(_ name: String) throws {
        try check(XMLWriter.chars(name) { xmlTextWriterStartElement(writer, $0) }, "элемент \(name)")
    }

    /// Ends the innermost element (`<a/>` when it has no content).
    public func endElement() throws {
        try check(xmlTextWriterEndElement(writer), "конец элемента")
    }

    /// Ends the innermost element with an explicit end tag even when empty.
    public func fullEndElement() throws {
        try check(xmlTextWriterFullEndElement(writer), "конец элемента")
    }

    public func attribute(_ name: String, _ value: String) throws {
        let rc = XMLWriter.chars(name) { n in XMLWriter.chars(XMLWriter.clean(value)) { v in xmlTextWriterWriteAttribute(writer, n, v) } }
        try check(rc, "атрибут \(name)")
    }

    public func text(_ value: String) throws {
        try check(XMLWriter.chars(XMLWriter.clean(value)) { xmlTextWriterWriteString(writer, $0) }, "текст")
    }

    /// Writes bytes that are already well-formed XML (a fragment the caller built).
    public func raw(_ xml: String) throws {
        try check(XMLWriter.chars(xml) { xmlTextWriterWriteRaw(writer, $0) }, "фрагмент")
    }

    /// A string as libxml2's `xmlChar *`, NUL-terminated, without a copy: passing a Swift
    /// string where C wants unsigned chars made an array of it on every call.
    private static func chars(_ s: String, _ body: (UnsafePointer<xmlChar>) -> Int32) -> Int32 {
        s.withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }

    /// `<name attr="…">text</name>` in one call.
    public func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text: String? = nil) throws {
        try startElement(name)
        for (key, value) in attributes { try attribute(key, value) }
        if let text { try self.text(text) }
        try endElement()
    }

    /// `what` is worded only on failure: a dossier makes tens of thousands of calls.
    private func check(_ rc: Int32, _ what: @autoclosure () -> String) throws {
        if rc < 0 { throw failure("ошибка записи (\(what()))") }
    }

    private func failure(_ message: String) -> XMLError {
        var error = XMLError(.writeFailed, operation: "запись", document: document, message: message)
        // A writer to a file fails when a write(2) does: keep its errno (a full disk).
        if buffer == nil { error.systemErrno = errno }
        return error
    }

    /// Replaces what XML 1.0 cannot carry with U+FFFD.
    static func clean(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else { return value }
        return String(
            String.UnicodeScalarView(
                value.unicodeScalars.map {
                    $0.value < 0x20 && $0.value != 0x09 && $0.value != 0x0A && $0.value != 0x0D ? "\u{FFFD}" : $0
                }))
    }
}
