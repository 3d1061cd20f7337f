internal import CLibXML2
#if canImport(Glibc)
    import Glibc
#endif

/// A compiled W3C XML Schema (XSD), to validate documents against with
/// libxml2. Compile once; validate from any thread (each validation has its
/// own context; the compiled schema is only read).
public final class XMLSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    public let name: String

    /// Compiles the schema at `path`; a schema that does not compile is an error naming it.
    public init(path: String) throws {
        _ = XMLSchema.initialised
        name = path.split(separator: "/").last.map(String.init) ?? path
        guard access(path, R_OK) == 0 else {
            throw XMLError(.schemaInvalid, operation: "чтение схемы", document: path, message: "файл схемы не найден или не читается")
        }
        guard let parser = xmlSchemaNewParserCtxt(path) else {
            throw XMLError(.schemaInvalid, operation: "чтение схемы", document: name, message: "схема не открывается")
        }
        defer { xmlSchemaFreeParserCtxt(parser) }
        let box = Collector()
        xmlSchemaSetParserStructuredErrors(
            parser,
            { ctx, error in
                guard let ctx, let error else { return }
                Unmanaged<Collector>.fromOpaque(ctx).takeUnretainedValue().add(error)
            }, Unmanaged.passUnretained(box).toOpaque())
        guard let compiled = xmlSchemaParse(parser) else {
            throw XMLError(
                .schemaInvalid, operation: "чтение схемы", document: name, line: box.first?.line,
                message: "схема XSD не компилируется", cause: box.first?.text)
        }
        schema = compiled
    }

    deinit { xmlSchemaFree(schema) }

    /// libxml2 2.9 builds its table of the built-in XSD types on the first schema it parses,
    /// unguarded: two schemas compiled at once by threads of a fresh process (the packages of
    /// several classes) could each see the other's half-built table and fail with «the QName
    /// value '{…XMLSchema}string' does not resolve to a simple type definition». Built once here.
    private static let initialised: Void = {
        xmlInitParser()
        xmlSchemaInitTypes()
    }()

    /// Checks `bytes` (a whole document) against the schema; throws the first
    /// violation with its line.
    public func validate(_ bytes: [UInt8], document: String) throws {
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            throw XMLError(.notValid, operation: "проверка по схеме", document: document, message: "нехватка памяти")
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        let box = Collector()
        xmlSchemaSetValidStructuredErrors(
            context,
            { ctx, error in
                guard let ctx, let error else { return }
                Unmanaged<Collector>.fromOpaque(ctx).takeUnretainedValue().add(error)
            }, Unmanaged.passUnretained(box).toOpaque())
        // Validated as it is parsed (SAX), without building a tree.
        let rc: Int32 = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base -> Int32 in
                guard let input = xmlParserInputBufferCreateMem(base, Int32(buffer.count), XML_CHAR_ENCODING_UTF8) else { return -1 }
                // xmlSchemaValidateStream takes the input buffer and frees it.
                return xmlSchemaValidateStream(context, input, XML_CHAR_ENCODING_UTF8, nil, nil)
            }
        }
        if rc != 0 {
            throw XMLError(
                .notValid, operation: "проверка по схеме \(name)", document: document, line: box.first?.line,
                message: "документ не соответствует схеме", cause: box.first?.text ?? "код \(rc)")
        }
    }

    /// The first error libxml2 reports.
    private final class Collector {
        var first: (text: String, line: Int)?

        func add(_ error: UnsafeMutablePointer<xmlError>) {
            guard first == nil else { return }
            var text = error.pointee.message.map { String(cString: $0) } ?? ""
            while text.last == "\n" { text.removeLast() }
            first = (text, Int(error.pointee.line))
        }
    }
}
