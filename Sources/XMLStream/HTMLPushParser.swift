internal import CLibXML2

/// libxml2's HTML parser options (`HTML_PARSE_*`).
public struct HTMLParseOptions: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Go on after errors, as browsers do with the HTML people write.
    public static let recover = HTMLParseOptions(rawValue: Int32(HTML_PARSE_RECOVER.rawValue))
    /// Report no errors or warnings (they would go to stderr).
    public static let noErrors = HTMLParseOptions(rawValue: Int32(HTML_PARSE_NOERROR.rawValue))
    public static let noWarnings = HTMLParseOptions(rawValue: Int32(HTML_PARSE_NOWARNING.rawValue))
    /// Never touch the network.
    public static let noNetwork = HTMLParseOptions(rawValue: Int32(HTML_PARSE_NONET.rawValue))
    /// Ignore `<meta charset>`: the caller has found the encoding and says it.
    public static let ignoreDeclaredEncoding = HTMLParseOptions(rawValue: Int32(HTML_PARSE_IGNORE_ENC.rawValue))

    /// What every reader of untrusted HTML uses.
    public static let safe: HTMLParseOptions = [.recover, .noErrors, .noWarnings, .noNetwork, .ignoreDeclaredEncoding]
}

/// Receives an HTML document's events. libxml2's HTML parser gives element
/// and attribute names in lower case and supplies the end tags HTML leaves
/// out (`</td>`, `</tr>`, `</p>`); the content of `<script>` and `<style>`
/// is not delivered.
public protocol HTMLEventHandler: AnyObject {
    func startElement(_ name: XMLName, attributes: HTMLAttributes) throws
    func endElement(_ name: XMLName) throws
    /// Text (entities replaced, `&nbsp;` as U+00A0), possibly in several pieces for one text node.
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws
}

/// The attributes of an HTML start tag, borrowed for the callback's duration.
public struct HTMLAttributes {
    /// libxml2's layout: name, value, name, value, …, NULL (a value is NULL
    /// for an attribute written without one, as `<td nowrap>`).
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?

    /// The value of attribute `name` (lower case), `""` for one written without a value.
    public func string(_ name: StaticString) -> String? {
        guard let base else { return nil }
        var i = 0
        while let key = base[i] {
            if XMLName(key) == name { return base[i + 1].map { String(cString: $0) } ?? "" }
            i += 2
        }
        return nil
    }
}

/// A streaming parser over libxml2's HTML push interface: the caller feeds
/// bytes in the encoding it names (`windows-1251`, `UTF-8`: it has read the
/// BOM or `<meta charset>` itself), the handler receives SAX events, and
/// nothing of the document is kept. It recovers from the HTML that browsers
/// accept, never uses the network, and prints nothing.
public final class HTMLPushParser {
    final class Box {
        let handler: any HTMLEventHandler
        let document: String
        var context: htmlParserCtxtPtr?
        var failure: (any Error)?
        var depth = 0
        let maxDepth: Int

        init(handler: any HTMLEventHandler, document: String, maxDepth: Int) {
            self.handler = handler
            self.document = document
            self.maxDepth = maxDepth
        }

        func fail(_ error: any Error) {
            if failure == nil { failure = error }
            if let context { xmlStopParser(context) }
        }
    }

    private let box: Box
    private let context: htmlParserCtxtPtr
    private var finished = false

    /// `encoding` is a name libxml2 knows (`UTF-8`, `windows-1251`, `KOI8-R`);
    /// elements nested deeper than `maxDepth` stop the parse.
    public init(
        document: String, handler: any HTMLEventHandler, encoding: String, options: HTMLParseOptions = .safe,
        maxDepth: Int = 1024
    ) throws {
        _ = libxml2Initialised
        let box = Box(handler: handler, document: document, maxDepth: maxDepth)
        var sax = HTMLPushParser.makeHandler()
        let userData = Unmanaged.passUnretained(box).toOpaque()
        guard let context = document.withCString({ htmlCreatePushParserCtxt(&sax, userData, nil, 0, $0, XML_CHAR_ENCODING_NONE) }) else {
            throw XMLError(.malformed, operation: "разбор", document: document, message: "libxml2 не создал парсер HTML (нехватка памяти?)")
        }
        htmlCtxtUseOptions(context, options.rawValue)
        guard let encoder = xmlFindCharEncodingHandler(encoding), xmlSwitchToEncoding(context, encoder) == 0 else {
            htmlFreeParserCtxt(context)
            throw XMLError(
                .malformed, operation: "разбор", document: document,
                message: "кодировка «\(encoding)» не поддерживается; сохраните файл в UTF-8")
        }
        box.context = context
        self.box = box
        self.context = context
    }

    deinit {
        htmlFreeParserCtxt(context)
    }

    /// True when libxml2 can decode `encoding` (its built-in encodings, or
    /// iconv's and ICU's).
    public static func supports(encoding: String) -> Bool {
        _ = libxml2Initialised
        guard let handler = xmlFindCharEncodingHandler(encoding) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    /// Parses the next piece of the document.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0, box.failure == nil else {
            try rethrow()
            return
        }
        let chunkSize = 1 << 30
        var offset = 0
        while offset < bytes.count {
            let n = min(chunkSize, bytes.count - offset)
            // The return value is libxml2's last error code, which recovery makes harmless.
            _ = htmlParseChunk(context, bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(n), 0)
            try rethrow()
            offset += n
        }
    }

    /// Ends the document.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        if box.failure == nil { _ = htmlParseChunk(context, nil, 0, 1) }
        try rethrow()
    }

    private func rethrow() throws {
        if let failure = box.failure { throw failure }
    }

    /// Parses a whole document read through `read` (which fills its buffer
    /// and returns the byte count, 0 at the end).
    public static func parse(
        document: String,
        handler: any HTMLEventHandler,
        encoding: String,
        chunkSize: Int = 256 * 1024,
        read: (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws {
        let parser = try HTMLPushParser(document: document, handler: handler, encoding: encoding)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try read(buffer)
            if n == 0 { break }
            try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        try parser.finish()
    }

    // MARK: - The SAX callbacks

    private static func box(_ ctx: UnsafeMutableRawPointer?) -> Unmanaged<Box> {
        Unmanaged<Box>.fromOpaque(ctx!)
    }

    private static func makeHandler() -> htmlSAXHandler {
        var sax = htmlSAXHandler()
        // SAX2 magic so that libxml2 hands its (suppressed) errors to `serror`
        // instead of its default of printing them; the HTML parser calls the
        // SAX1 `startElement` either way.
        sax.initialized = uchet_sax2Magic()
        sax.startElement = { ctx, name, attributes in
            HTMLPushParser.box(ctx)._withUnsafeGuaranteedRef { box in
                guard box.failure == nil, let name else { return }
                box.depth += 1
                if box.depth > box.maxDepth {
                    box.fail(
                        XMLError(
                            .tooLarge, operation: "разбор", document: box.document,
                            message: "элементы вложены глубже \(box.maxDepth) уровней; файл повреждён или составлен злонамеренно"))
                    return
                }
                do { try box.handler.startElement(XMLName(name), attributes: HTMLAttributes(base: attributes)) } catch { box.fail(error) }
            }
        }
        sax.endElement = { ctx, name in
            HTMLPushParser.box(ctx)._withUnsafeGuaranteedRef { box in
                guard box.failure == nil, let name else { return }
                box.depth -= 1
                do { try box.handler.endElement(XMLName(name)) } catch { box.fail(error) }
            }
        }
        let text: charactersSAXFunc = { ctx, chars, len in
            HTMLPushParser.box(ctx)._withUnsafeGuaranteedRef { box in
                guard box.failure == nil, let chars, len > 0 else { return }
                do { try box.handler.characters(UnsafeBufferPointer(start: chars, count: Int(len))) } catch { box.fail(error) }
            }
        }
        sax.characters = text
        sax.ignorableWhitespace = text
        // `<script>` and `<style>` arrive here: not text of the page.
        sax.cdataBlock = { _, _, _ in }
        sax.serror = { _, _ in }
        return sax
    }
}
