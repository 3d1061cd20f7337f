internal import CLibXML2

/// Initialises libxml2 once per process before any parser runs on any thread.
let libxml2Initialised: Void = { xmlInitParser() }()

/// A streaming SAX2 parser over libxml2's push interface: the caller feeds
/// bytes as they come (from a zip entry, a file) and the handler receives
/// events; nothing of the document is kept.
///
/// Safe by construction: no DTD is loaded, no entity is substituted, no
/// network is used. A DOCTYPE that declares entities or names an external
/// DTD is refused with `XMLError` (`entityDeclaration`, `externalDTD`), which
/// stops billion-laughs, quadratic-blowup and external-entity documents
/// before they expand. libxml2's own limits (10 MB text nodes, depth 256)
/// stay on.
public final class XMLPushParser {
    /// The handler, the first failure and the context, reached from the C callbacks.
    final class Box {
        let handler: any XMLEventHandler
        let document: String
        var context: xmlParserCtxtPtr?
        var failure: (any Error)?
        var depth = 0
        let maxDepth: Int
        var libxmlMessage: (text: String, line: Int)?

        init(handler: any XMLEventHandler, document: String, maxDepth: Int) {
            self.handler = handler
            self.document = document
            self.maxDepth = maxDepth
        }

        func fail(_ error: any Error) {
            if failure == nil { failure = error }
            if let context { xmlStopParser(context) }
        }

        var line: Int {
            guard let context else { return 0 }
            return Int(xmlSAX2GetLineNumber(context))
        }
    }

    private let box: Box
    private let context: xmlParserCtxtPtr
    private var finished = false

    /// `document` names the document in errors (`9А.xlsx → xl/worksheets/sheet1.xml`);
    /// elements nested deeper than `maxDepth` stop the parse.
    public init(document: String, handler: any XMLEventHandler, maxDepth: Int = 256) throws {
        _ = libxml2Initialised
        let box = Box(handler: handler, document: document, maxDepth: maxDepth)
        var sax = XMLPushParser.makeHandler()
        let userData = Unmanaged.passUnretained(box).toOpaque()
        guard let context = document.withCString({ xmlCreatePushParserCtxt(&sax, userData, nil, 0, $0) }) else {
            throw XMLError(.malformed, operation: "разбор", document: document, message: "libxml2 не создал парсер (нехватка памяти?)")
        }
        // No DTD loading, no entity substitution, no network; keep whitespace text.
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        box.context = context
        self.box = box
        self.context = context
    }

    deinit {
        xmlFreeParserCtxt(context)
    }

    /// Parses the next piece of the document.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        let chunkSize = 1 << 30
        var offset = 0
        while offset < bytes.count {
            let n = min(chunkSize, bytes.count - offset)
            let rc = xmlParseChunk(context, bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(n), 0)
            try check(rc)
            offset += n
        }
    }

    /// Ends the document; throws if it was not well-formed.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        let rc = xmlParseChunk(context, nil, 0, 1)
        try check(rc)
        if context.pointee.wellFormed == 0 {
            throw libxmlError(fallback: "документ XML повреждён")
        }
    }

    private func check(_ rc: Int32) throws {
        if let failure = box.failure { throw failure }
        if rc != 0 {
            throw libxmlError(fallback: "документ XML повреждён (код \(rc))")
        }
    }

    private func libxmlError(fallback: String) -> XMLError {
        if let failure = box.failure as? XMLError { return failure }
        let detail = box.libxmlMessage
        return XMLError(
            .malformed, operation: "разбор", document: box.document, line: detail?.line ?? box.line,
            message: "XML не разбирается: файл повреждён или это не тот формат", cause: detail?.text ?? fallback)
    }

    /// Parses a whole document read through `read` (which fills its buffer
    /// and returns the byte count, 0 at the end).
    public static func parse(
        document: String,
        handler: any XMLEventHandler,
        chunkSize: Int = 256 * 1024,
        read: (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws {
        let parser = try XMLPushParser(document: document, handler: handler)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try read(buffer)
            if n == 0 { break }
            try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        try parser.finish()
    }

    /// Parses a document held in memory.
    public static func parse(document: String, handler: any XMLEventHandler, bytes: [UInt8]) throws {
        let parser = try XMLPushParser(document: document, handler: handler)
        try bytes.withUnsafeBytes { try parser.feed($0) }
        try parser.finish()
    }

    // MARK: - The SAX2 callbacks

    private static func box(_ ctx: UnsafeMutableRawPointer?) -> Unmanaged<Box> {
        Unmanaged<Box>.fromOpaque(ctx!)
    }

    private static func makeHandler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = uchet_sax2Magic()
        sax.startElementNs = { ctx, localname, _, _, _, _, nbAttributes, _, attributes in
            XMLPushParser.box(ctx)._withUnsafeGuaranteedRef { box in
                guard box.failure == nil else { return }
                box.depth += 1
                if box.depth > box.maxDepth {
                    box.fail(
                        XMLError(
                            .tooLarge, operation: "разбор", document: box.document, line: box.line,
                            message: "элементы вложены глубже \(box.maxDepth) уровней; файл повреждён или составлен злонамеренно"))
                    return
                }
                do {
                    try box.handler.startElement(XMLName(localname!), attributes: XMLAttributes(base: attributes, count: Int(nbAttributes)))
                } catch {
                    box.fail(error)
                }
            }
        }
        sax.endElementNs = { ctx, localname, _, _ in
            XMLPushParser.box(ctx)._withUnsafeGuaranteedRef { box in
                guard box.failure == nil else { return }
                box.depth -= 1
                do { try box.handler.endElement(XMLName(localname!)) } catch { box.fail(error) }
            }
        }
        let text: charactersSAXFunc = { ctx, chars, len in
            XMLPushParser.box(ctx)._withUnsafeGuaranteedRef { box in
                guard box.failure == nil, let chars else { return }
                do { try box.handler.characters(UnsafeBufferPointer(start: chars, count: Int(len))) } catch { box.fail(error) }
            }
        }
        sax.characters = text
        sax.ignorableWhitespace = text
        sax.cdataBlock = text
        sax.internalSubset = { ctx, name, externalID, systemID in
            XMLPushParser.box(ctx)._withUnsafeGuaranteedRef { box in
                guard externalID != nil || systemID != nil else { return }
                let target = systemID.map { String(cString: $0) } ?? externalID.map { String(cString: $0) } ?? ""
                box.fail(
                    XMLError(
                        .externalDTD, operation: "разбор", document: box.document, line: box.line,
                        message: "документ ссылается на внешний DTD «\(target)»; такие файлы не принимаются"))
            }
        }
        sax.entityDecl = { ctx, name, _, _, _, _ in
            XMLPushParser.box(ctx)._withUnsafeGuaranteedRef { box in
                let entity = name.map { String(cString: $0) } ?? "?"
                box.fail(
                    XMLError(
                        .entityDeclaration, operation: "разбор", document: box.document, line: box.line,
                        message: "документ объявляет сущность «\(entity)» в DOCTYPE; такие файлы не принимаются (защита от XML-бомб и внешних сущностей)"))
            }
        }
        sax.serror = { ctx, error in
            guard let ctx, let error else { return }
            XMLPushParser.box(ctx)._withUnsafeGuaranteedRef { box in
                guard box.libxmlMessage == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
                var message = error.pointee.message.map { String(cString: $0) } ?? ""
                while message.last == "\n" { message.removeLast() }
                box.libxmlMessage = (message, Int(error.pointee.line))
            }
        }
        return sax
    }
}
