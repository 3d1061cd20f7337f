/// A name as the parser hands it over: bytes owned by the parser, valid only
/// during the callback that receives them. Compare with `==` against a
/// literal; copy with `string` only when it must be kept.
public struct XMLName {
    public let bytes: UnsafeBufferPointer<UInt8>

    @inline(__always)
    init(_ pointer: UnsafePointer<UInt8>) {
        bytes = UnsafeBufferPointer(start: pointer, count: strlenUInt8(pointer))
    }

    /// True when the name's bytes equal `literal`'s.
    @inline(__always)
    public static func == (name: XMLName, literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard name.bytes.count == count else { return false }
        let other = literal.utf8Start
        for i in 0..<count where name.bytes[i] != other[i] { return false }
        return true
    }

    /// A copy as a Swift string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// The attributes of a start tag, borrowed for the callback's duration.
public struct XMLAttributes {
    /// libxml2's layout: five pointers per attribute (local name, prefix,
    /// namespace URI, value start, value end).
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    public let count: Int

    init(base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int) {
        self.base = base
        self.count = count
    }

    /// The local name of attribute `i`.
    @inline(__always)
    public func name(at i: Int) -> XMLName { XMLName(base![i * 5]!) }

    /// The raw value of attribute `i`: character references and `&lt;`-style
    /// entities are already replaced, but libxml2 (parsing without entity
    /// substitution) leaves `&amp;` as `&#38;`. Use `text(at:)` for the value
    /// as written; the raw form is for values known to hold no `&` (numbers,
    /// cell addresses).
    @inline(__always)
    public func value(at i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = base![i * 5 + 3]!
        let end = base![i * 5 + 4]!
        return UnsafeBufferPointer(start: start, count: end - start)
    }

    /// The namespace URI of attribute `i`, or `nil` when it has none (for
    /// formats where two attributes share a local name, as ODF's
    /// `office:value-type` and `calcext:value-type`).
    @inline(__always)
    public func namespaceURI(at i: Int) -> XMLName? {
        base![i * 5 + 2].map { XMLName($0) }
    }

    /// The value of the attribute whose local name is `name`, ignoring its prefix.
    @inline(__always)
    public func value(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        for i in 0..<count where self.name(at: i) == name { return value(at: i) }
        return nil
    }

    /// The value of attribute `i` as a Swift string, `&#38;` restored to `&`.
    public func text(at i: Int) -> String {
        XMLAttributes.decoded(value(at: i))
    }

    /// The value of attribute `name` as a Swift string, `&#38;` restored to `&`.
    public func string(_ name: StaticString) -> String? {
        value(name).map(XMLAttributes.decoded)
    }

    static func decoded(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: raw, as: UTF8.self)
        guard raw.contains(UInt8(ascii: "&")) else { return text }
        return text.split(separator: "&#38;", omittingEmptySubsequences: false).joined(separator: "&")
    }
}

/// Receives a document's events. Elements are given by local name (the
/// prefix and namespace are ignored: OOXML files from different producers
/// spell them differently, Strict and Transitional differ only there).
public protocol XMLEventHandler: AnyObject {
    func startElement(_ name: XMLName, attributes: XMLAttributes) throws
    func endElement(_ name: XMLName) throws
    /// Text, possibly in several pieces for one text node.
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws
}

@inline(__always)
func strlenUInt8(_ p: UnsafePointer<UInt8>) -> Int {
    var n = 0
    while p[n] != 0 { n += 1 }
    return n
}
