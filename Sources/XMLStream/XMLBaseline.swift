internal import CLibXML2

/// Baselines for the benchmark: how fast libxml2 alone gets through a
/// document, with no handler work, through its two streaming interfaces.
/// `make bench` prints them beside the real reader so the reader's own cost
/// is visible.
public enum XMLBaseline {
    /// Push-parses with SAX2 callbacks that do nothing; returns start tags seen.
    public static func saxNoop(read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        final class Counter { var elements = 0 }
        let counter = Counter()
        var sax = xmlSAXHandler()
        sax.initialized = uchet_sax2Magic()
        sax.startElementNs = { ctx, _, _, _, _, _, _, _, _ in
            Unmanaged<Counter>.fromOpaque(ctx!).takeUnretainedValue().elements += 1
        }
        guard let context = xmlCreatePushParserCtxt(&sax, Unmanaged.passUnretained(counter).toOpaque(), nil, 0, "baseline") else {
            throw XMLError(.malformed, operation: "разбор", document: "baseline", message: "парсер не создан")
        }
        defer { xmlFreeParserCtxt(context) }
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try read(buffer)
            let rc = xmlParseChunk(context, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(n), n == 0 ? 1 : 0)
            if rc != 0 { throw XMLError(.malformed, operation: "разбор", document: "baseline", message: "ошибка \(rc)") }
            if n == 0 { break }
        }
        return counter.elements
    }

    /// Pulls every node through xmlTextReader; returns element nodes seen.
    public static func textReaderNoop(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        final class Source {
            let read: (UnsafeMutableRawBufferPointer) throws -> Int
            init(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) { self.read = read }
        }
        let source = Source(read: read)
        let context = Unmanaged.passRetained(source).toOpaque()
        guard
            let reader = xmlReaderForIO(
                { ctx, buffer, length in
                    let source = Unmanaged<Source>.fromOpaque(ctx!).takeUnretainedValue()
                    return Int32((try? source.read(UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))) ?? -1)
                },
                { ctx in
                    Unmanaged<Source>.fromOpaque(ctx!).release()
                    return 0
                }, context, "baseline", nil, Int32(XML_PARSE_NONET.rawValue))
        else {
            Unmanaged<Source>.fromOpaque(context).release()
            throw XMLError(.malformed, operation: "разбор", document: "baseline", message: "xmlTextReader не создан")
        }
        defer { xmlFreeTextReader(reader) }
        var elements = 0
        while true {
            let rc = xmlTextReaderRead(reader)
            if rc == 0 { break }
            if rc < 0 { throw XMLError(.malformed, operation: "разбор", document: "baseline", message: "ошибка xmlTextReader") }
            if xmlTextReaderNodeType(reader) == 1 { elements += 1 }
        }
        return elements
    }
}
