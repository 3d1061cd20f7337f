import ZipIO

/// Builds OpenDocument spreadsheets from raw `content.xml` pieces, so a test
/// can make exactly the file LibreOffice (or a stranger producer) would,
/// without keeping binary fixtures.
public enum ODSParts {
    public static let namespaces = [
        #"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0""#,
        #"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0""#,
        #"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#,
        #"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#,
        #"xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0""#,
        #"xmlns:xlink="http://www.w3.org/1999/xlink""#,
        #"xmlns:dc="http://purl.org/dc/elements/1.1/""#,
        #"xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0""#
    ].joined(separator: " ")

    /// A `table:table` named `name` around `rows` (its `table:table-row`s).
    public static func table(_ name: String, style: String = "ta1", _ rows: String) -> String {
        #"<table:table table:name="\#(WorkbookParts.escape(name))" table:style-name="\#(style)"><table:table-column table:number-columns-repeated="1024"/>\#(rows)</table:table>"#
    }

    /// `content.xml` with table styles `ta1` (shown) and `ta2` (hidden), and these tables.
    public static func content(_ tables: [String], styles: String? = nil) -> String {
        let automatic =
            styles ?? #"""
                <style:style style:name="ta1" style:family="table" style:master-page-name="Default"><style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style><style:style style:name="ta2" style:family="table" style:master-page-name="Default"><style:table-properties table:display="false" style:writing-mode="lr-tb"/></style:style>
                """#
        return
            #"<?xml version="1.0" encoding="UTF-8"?><office:document-content \#(namespaces) office:version="1.3"><office:automatic-styles>\#(automatic)</office:automatic-styles><office:body><office:spreadsheet>\#(tables.joined())</office:spreadsheet></office:body></office:document-content>"#
    }

    /// Writes an ODS package: `mimetype` first and stored, as ODF requires,
    /// then the manifest and `content.xml`.
    public static func write(
        to path: String, content: String, mimetype: String = "application/vnd.oasis.opendocument.spreadsheet",
        manifestExtra: String = ""
    ) throws {
        var zip = try ZipWriter(path: path)
        try zip.add("mimetype", text: mimetype, compression: .stored)
        try zip.add(
            "META-INF/manifest.xml",
            text:
                #"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="\#(mimetype)"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">\#(manifestExtra)</manifest:file-entry></manifest:manifest>"#
        )
        try zip.add("content.xml", text: content)
        try zip.finish()
    }

    /// One sheet named `Лист1` from rows XML.
    public static func write(to path: String, rows: String) throws {
        try write(to: path, content: content([table("Лист1", rows)]))
    }
}
