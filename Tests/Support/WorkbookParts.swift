import ZipIO

/// Builds XLSX packages from raw XML parts, so a test can make exactly the
/// file a producer would (cells without `r`, Strict namespaces, odd
/// relationship targets) without keeping binary fixtures.
public enum WorkbookParts {
    public static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    public static let rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A sheet part around `rows` (the content of `<sheetData>`), with `extra` after it.
    public static func sheet(_ rows: String, extra: String = "", namespace: String = main) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="\#(namespace)" xmlns:r="\#(rels)"><sheetData>\#(rows)</sheetData>\#(extra)</worksheet>"#
    }

    /// A shared string table of plain strings.
    public static func sharedStrings(_ strings: [String]) -> String {
        let items = strings.map { "<si><t xml:space=\"preserve\">\(escape($0))</t></si>" }.joined()
        return #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="\#(main)" count="\#(strings.count)" uniqueCount="\#(strings.count)">\#(items)</sst>"#
    }

    /// A styles part whose `cellXfs` use these number format ids, with these custom formats.
    public static func styles(formats: [Int], custom: [Int: String] = [:]) -> String {
        let numFmts =
            custom.isEmpty
            ? ""
            : "<numFmts count=\"\(custom.count)\">"
                + custom.sorted { $0.key < $1.key }
                .map { "<numFmt numFmtId=\"\($0.key)\" formatCode=\"\(escape($0.value))\"/>" }.joined() + "</numFmts>"
        let xfs = formats.map { "<xf numFmtId=\"\($0)\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>" }.joined()
        return
            #"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="\#(main)">\#(numFmts)<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellXfs count="\#(formats.count)">\#(xfs)</cellXfs></styleSheet>"#
    }

    /// Writes a workbook with `sheets` (name, part XML, state) and optional
    /// shared strings and styles. Sheet parts are named `xl/worksheets/<file>`.
    public static func write(
        to path: String,
        sheets: [(name: String, xml: String)],
        sharedStrings: String? = nil,
        styles: String? = nil,
        workbookPr: String = "",
        states: [String: String] = [:],
        sheetFiles: [String]? = nil,
        sheetTargets: [String]? = nil,
        extraParts: [String: String] = [:]
    ) throws {
        var zip = try ZipWriter(path: path)
        let files = sheetFiles ?? sheets.indices.map { "sheet\($0 + 1).xml" }
        let targets = sheetTargets ?? files.map { "worksheets/\($0)" }
        var rels = ""
        var list = ""
        for (i, sheet) in sheets.enumerated() {
            rels += #"<Relationship Id="rId\#(i + 1)" Type="\#(WorkbookParts.rels)/worksheet" Target="\#(targets[i])"/>"#
            let state = states[sheet.name].map { " state=\"\($0)\"" } ?? ""
            list += #"<sheet name="\#(escape(sheet.name))" sheetId="\#(i + 1)"\#(state) r:id="rId\#(i + 1)"/>"#
            try zip.add("xl/worksheets/\(files[i])", text: sheet.xml)
        }
        if let sharedStrings {
            rels += #"<Relationship Id="rIdS" Type="\#(WorkbookParts.rels)/sharedStrings" Target="sharedStrings.xml"/>"#
            try zip.add("xl/sharedStrings.xml", text: sharedStrings)
        }
        if let styles {
            rels += #"<Relationship Id="rIdT" Type="\#(WorkbookParts.rels)/styles" Target="styles.xml"/>"#
            try zip.add("xl/styles.xml", text: styles)
        }
        try zip.add(
            "[Content_Types].xml",
            text:
                #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#
        )
        try zip.add(
            "_rels/.rels",
            text:
                #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(WorkbookParts.rels)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        )
        try zip.add(
            "xl/workbook.xml",
            text: #"<?xml version="1.0"?><workbook xmlns="\#(main)" xmlns:r="\#(WorkbookParts.rels)">\#(workbookPr)<sheets>\#(list)</sheets></workbook>"#)
        try zip.add(
            "xl/_rels/workbook.xml.rels",
            text: #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#(rels)</Relationships>"#)
        for (name, text) in extraParts { try zip.add(name, text: text) }
        try zip.finish()
    }

    /// One sheet named `Лист1` from rows XML.
    public static func write(to path: String, rows: String, sharedStrings: [String]? = nil, styles: String? = nil) throws {
        try write(to: path, sheets: [("Лист1", sheet(rows))], sharedStrings: sharedStrings.map { WorkbookParts.sharedStrings($0) }, styles: styles)
    }

    /// The stored entries of a one-sheet workbook around `sheet` (its bytes become
    /// `xl/worksheets/sheet1.xml`), for `RawZip.archive`: any bytes at all can
    /// sit in any part, as hostile inputs and the fuzzer need.
    public static func rawEntries(sheet: RawZip.Entry, sharedStrings: [UInt8]? = nil, styles: [UInt8]? = nil) -> [RawZip.Entry] {
        var relations = #"<Relationship Id="rId1" Type="\#(WorkbookParts.rels)/worksheet" Target="worksheets/sheet1.xml"/>"#
        var entries: [RawZip.Entry] = [
            .stored(
                "[Content_Types].xml",
                Array(
                    #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#
                        .utf8)),
            .stored(
                "_rels/.rels",
                Array(
                    #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(WorkbookParts.rels)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                        .utf8)),
            .stored(
                "xl/workbook.xml",
                Array(
                    #"<?xml version="1.0"?><workbook xmlns="\#(WorkbookParts.main)" xmlns:r="\#(WorkbookParts.rels)"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                        .utf8))
        ]
        if let sharedStrings {
            relations += #"<Relationship Id="rIdS" Type="\#(WorkbookParts.rels)/sharedStrings" Target="sharedStrings.xml"/>"#
            entries.append(.stored("xl/sharedStrings.xml", sharedStrings))
        }
        if let styles {
            relations += #"<Relationship Id="rIdT" Type="\#(WorkbookParts.rels)/styles" Target="styles.xml"/>"#
            entries.append(.stored("xl/styles.xml", styles))
        }
        entries.append(
            .stored(
                "xl/_rels/workbook.xml.rels",
                Array(
                    #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#(relations)</Relationships>"#
                        .utf8)))
        var sheetEntry = sheet
        sheetEntry.name = "xl/worksheets/sheet1.xml"
        entries.append(sheetEntry)
        return entries
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
