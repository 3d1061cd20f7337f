import TestSupport
import Testing
@testable import XMLStream

/// Records events as text lines.
final class Recorder: XMLEventHandler {
    var events: [String] = []
    var text = ""

    func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
        flush()
        var line = "<" + name.string
        for i in 0..<attributes.count {
            line += " \(attributes.name(at: i).string)=\(attributes.text(at: i))"
        }
        events.append(line + ">")
    }

    func endElement(_ name: XMLName) throws {
        flush()
        events.append("</" + name.string + ">")
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        text += String(decoding: bytes, as: UTF8.self)
    }

    private func flush() {
        if !text.isEmpty { events.append("'" + text + "'") }
        text = ""
    }
}

@Suite struct XMLPushParserTests {
    @Test func deliversElementsAttributesAndTextInOrder() throws {
        let xml = #"<?xml version="1.0"?><x:a xmlns:x="urn:x" k="1 &amp; 2"><b>текст &lt;3</b><![CDATA[<сырой>]]><c/></x:a>"#
        let recorder = Recorder()
        try XMLPushParser.parse(document: "t.xml", handler: recorder, bytes: Array(xml.utf8))
        #expect(recorder.events == ["<a k=1 & 2>", "<b>", "'текст <3'", "</b>", "'<сырой>'", "<c>", "</c>", "</a>"])
    }

    @Test func textSplitAcrossChunksArrivesWhole() throws {
        let xml = "<a>" + String(repeating: "абв", count: 10_000) + "</a>"
        let bytes = Array(xml.utf8)
        let recorder = Recorder()
        var offset = 0
        try XMLPushParser.parse(document: "t.xml", handler: recorder, chunkSize: 7) { buffer in
            let n = min(buffer.count, bytes.count - offset)
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }
        #expect(recorder.events == ["<a>", "'" + String(repeating: "абв", count: 10_000) + "'", "</a>"])
    }

    @Test func billionLaughsIsRefusedAtTheFirstEntity() throws {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for i in 1...9 { xml += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">" }
        xml += "]><lolz>&lol9;</lolz>"
        let recorder = Recorder()
        let error = #expect(throws: XMLError.self) { try XMLPushParser.parse(document: "bomb.xml", handler: recorder, bytes: Array(xml.utf8)) }
        #expect(error?.code == .entityDeclaration)
        #expect(error?.description.contains("bomb.xml") == true)
        #expect(recorder.text.isEmpty)
    }

    @Test func externalEntityIsRefused() throws {
        let xml = #"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>"#
        let error = #expect(throws: XMLError.self) { try XMLPushParser.parse(document: "xxe.xml", handler: Recorder(), bytes: Array(xml.utf8)) }
        #expect(error?.code == .entityDeclaration)
    }

    @Test func externalDTDIsRefused() throws {
        let xml = #"<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.com/evil.dtd"><x/>"#
        let error = #expect(throws: XMLError.self) { try XMLPushParser.parse(document: "dtd.xml", handler: Recorder(), bytes: Array(xml.utf8)) }
        #expect(error?.code == .externalDTD)
    }

    @Test func undefinedEntityIsMalformed() throws {
        let error = #expect(throws: XMLError.self) { try XMLPushParser.parse(document: "u.xml", handler: Recorder(), bytes: Array("<x>&nope;</x>".utf8)) }
        #expect(error?.code == .malformed)
    }

    @Test func malformedDocumentNamesTheLine() throws {
        let xml = "<a>\n<b>\n</a>"
        let error = #expect(throws: XMLError.self) { try XMLPushParser.parse(document: "bad.xml", handler: Recorder(), bytes: Array(xml.utf8)) }
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("разбор bad.xml, строка 3:") == true)
        #expect(error?.cause?.isEmpty == false)
    }

    @Test func deepNestingStopsCleanly() throws {
        let xml = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        let error = #expect(throws: XMLError.self) { try XMLPushParser.parse(document: "deep.xml", handler: Recorder(), bytes: Array(xml.utf8)) }
        #expect(error?.code == .tooLarge)
        let fine = String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
        #expect(throws: Never.self) { try XMLPushParser.parse(document: "ok.xml", handler: Recorder(), bytes: Array(fine.utf8)) }
    }

    @Test func handlerErrorStopsTheParse() throws {
        struct Enough: Error {}
        final class Stopper: XMLEventHandler {
            var seen = 0
            func startElement(_ name: XMLName, attributes: XMLAttributes) throws {
                seen += 1
                if seen == 3 { throw Enough() }
            }
            func endElement(_ name: XMLName) throws {}
            func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
        }
        let stopper = Stopper()
        #expect(throws: Enough.self) {
            try XMLPushParser.parse(document: "t.xml", handler: stopper, bytes: Array(("<r>" + String(repeating: "<i/>", count: 100) + "</r>").utf8))
        }
        #expect(stopper.seen == 3)
    }
}

@Suite struct XMLWriterTests {
    @Test func writesEscapedTextThatParsesBack() throws {
        let bytes = try XMLWriter.bytes { w in
            try w.startDocument()
            try w.startElement("дело")
            try w.attribute("id", "a\"<b>&\n")
            try w.element("имя", text: "Ёлкина & <Мария>\u{1}")
            try w.endElement()
            try w.endDocument()
        }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"))
        let recorder = Recorder()
        try XMLPushParser.parse(document: "w.xml", handler: recorder, bytes: bytes)
        #expect(recorder.events == ["<дело id=a\"<b>&\n>", "<имя>", "'Ёлкина & <Мария>\u{FFFD}'", "</имя>", "</дело>"])
    }

    @Test func failedFileWriteLeavesNothing() throws {
        struct Broken: Error {}
        let dir = TemporaryDirectory()
        let path = dir.file("x.xml")
        #expect(throws: Broken.self) {
            try XMLWriter.file(path) { w in
                try w.startDocument()
                try w.startElement("a")
                throw Broken()
            }
        }
        #expect((try? readBytes(path)) == nil)
    }
}

@Suite struct XMLSchemaTests {
    static let xsd = """
        <?xml version="1.0"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t" elementFormDefault="qualified">
          <xs:element name="a"><xs:complexType><xs:sequence><xs:element name="b" type="xs:date" maxOccurs="2"/></xs:sequence>
            <xs:attribute name="n" type="xs:integer" use="required"/></xs:complexType></xs:element>
        </xs:schema>
        """

    @Test func validDocumentsPassAndInvalidOnesNameTheProblem() throws {
        let dir = TemporaryDirectory()
        let schema = try XMLSchema(path: try dir.write("t.xsd", text: XMLSchemaTests.xsd))
        try schema.validate(Array(#"<a xmlns="urn:t" n="1"><b>2025-09-01</b></a>"#.utf8), document: "ok.xml")
        let bad = #expect(throws: XMLError.self) {
            try schema.validate(Array("<a xmlns=\"urn:t\" n=\"1\">\n<b>01.09.2025</b></a>".utf8), document: "bad.xml")
        }
        #expect(bad?.code == .notValid)
        #expect(bad?.line == 2)
        #expect(bad?.cause?.contains("01.09.2025") == true)
        #expect(throws: XMLError.self) { try schema.validate(Array(#"<a xmlns="urn:t"><b>2025-09-01</b></a>"#.utf8), document: "no-n.xml") }
        #expect(throws: XMLError.self) { try schema.validate(Array(#"<a xmlns="urn:t" n="1"><b>"#.utf8), document: "cut.xml") }
    }

    @Test func aSchemaThatDoesNotCompileIsAnError() throws {
        let dir = TemporaryDirectory()
        #expect(throws: XMLError.self) {
            _ = try XMLSchema(path: try dir.write("broken.xsd", text: "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element/></xs:schema>"))
        }
        #expect(throws: XMLError.self) { _ = try XMLSchema(path: dir.file("missing.xsd")) }
    }
}
