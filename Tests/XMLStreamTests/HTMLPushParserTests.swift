import TestSupport
import Testing
@testable import XMLStream

/// Records HTML events as text lines.
final class HTMLRecorder: HTMLEventHandler {
    var events: [String] = []
    var text = ""

    func startElement(_ name: XMLName, attributes: HTMLAttributes) throws {
        flush()
        var line = "<" + name.string
        for key: StaticString in ["colspan", "rowspan", "nowrap", "charset"] {
            if let value = attributes.string(key) { line += " \(key)=\(value)" }
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

    func flush() {
        if !text.isEmpty { events.append("'" + text + "'") }
        text = ""
    }

    static func parse(_ bytes: [UInt8], encoding: String = "UTF-8", chunk: Int = 1 << 20) throws -> [String] {
        let recorder = HTMLRecorder()
        var rest = bytes[...]
        try HTMLPushParser.parse(document: "t.html", handler: recorder, encoding: encoding, chunkSize: chunk) { buffer in
            let n = min(buffer.count, rest.count)
            buffer.copyBytes(from: rest.prefix(n))
            rest = rest.dropFirst(n)
            return n
        }
        recorder.flush()
        return recorder.events
    }
}

@Suite struct HTMLPushParserTests {
    @Test func suppliesOmittedEndTagsAndLowerCasesNames() throws {
        let html = "<TABLE><TR><TD COLSPAN=2 nowrap>а<TD>б<TR><TH>в</TABLE>"
        let events = try HTMLRecorder.parse(Array(html.utf8)).filter {
            !$0.hasPrefix("<html") && !$0.hasPrefix("<body") && !$0.hasPrefix("</html") && !$0.hasPrefix("</body")
        }
        #expect(
            events == [
                "<table>", "<tr>", "<td colspan=2 nowrap=>", "'а'", "</td>", "<td>", "'б'", "</td>", "</tr>",
                "<tr>", "<th>", "'в'", "</th>", "</tr>", "</table>"
            ])
    }

    @Test func decodesTheEncodingItIsToldAndIgnoresTheDeclaredOne() throws {
        // «Отметка» in windows-1251, in a page that claims to be UTF-8.
        let word: [UInt8] = [0xCE, 0xF2, 0xEC, 0xE5, 0xF2, 0xEA, 0xE0]
        let html = Array(#"<html><head><meta charset="utf-8"></head><body><p>"#.utf8) + word + Array("&nbsp;&amp;</p></body></html>".utf8)
        let events = try HTMLRecorder.parse(html, encoding: "windows-1251", chunk: 7)
        #expect(events.contains("'Отметка\u{A0}&'"))
    }

    @Test func scriptAndStyleAreNotText() throws {
        let html = "<html><head><style>td { color: red }</style><script>var x = '<td>';</script></head><body>текст</body></html>"
        let events = try HTMLRecorder.parse(Array(html.utf8))
        #expect(events.filter { $0.hasPrefix("'") } == ["'текст'"])
    }

    @Test func unknownEncodingIsAnError() throws {
        #expect(throws: XMLError.self) { try HTMLRecorder.parse(Array("<p>x</p>".utf8), encoding: "no-such-encoding") }
    }

    @Test func deepNestingStopsCleanly() throws {
        let html = String(repeating: "<div>", count: 100_000) + "x"
        let error = #expect(throws: XMLError.self) { try HTMLRecorder.parse(Array(html.utf8)) }
        #expect(error?.code == .tooLarge)
    }
}
