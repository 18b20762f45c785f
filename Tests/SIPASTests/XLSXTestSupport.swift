import Foundation
import ZIPFoundation

/// A minimal .xlsx written part by part for the cases no fixture tool writes on demand (a 1904 workbook, cells
/// without references, a prefixed namespace, an error cell, a formula saved without its result). The sheet XML
/// is given as the rows' XML; the other parts are the smallest the format allows.
struct HandMadeWorkbook {
    var sheets: [(name: String, rows: String)]
    var sharedStrings: [String]? = nil
    /// Number format codes of the cell styles 1, 2, … (style 0 is General).
    var styleFormats: [String] = []
    var date1904 = false
    /// Positions of the sheets marked hidden.
    var hiddenSheets: Set<Int> = []
    /// The prefix of the main namespace in the sheet parts ("x" gives <x:worksheet>…<x:c>); nil: none.
    var prefix: String? = nil

    init(rows: String, sharedStrings: [String]? = nil) {
        sheets = [("Sheet1", rows)]
        self.sharedStrings = sharedStrings
    }

    init(sheets: [(name: String, rows: String)]) { self.sheets = sheets }

    /// A row's XML from its number and cells given as (reference, type, value): type "n" (number), "s" (shared
    /// string index), "inlineStr", "b", "e", "str".
    static func row(_ number: Int, _ cells: [(String, String, String)]) -> String {
        "<row r=\"\(number)\">" + cells.map { reference, type, value in
            type == "inlineStr" ? "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(escape(value))</t></is></c>"
                : "<c r=\"\(reference)\" t=\"\(type)\"><v>\(escape(value))</v></c>"
        }.joined() + "</row>"
    }

    /// A row of inline strings and numbers: cells of numbers are numbers, others inline strings; "" is no cell.
    static func row(_ number: Int, values: [String], firstColumn: Int = 0) -> String {
        var cells: [(String, String, String)] = []
        for (index, value) in values.enumerated() where !value.isEmpty {
            let reference = letters(firstColumn + index) + String(number)
            cells.append((reference, Double(value) != nil ? "n" : "inlineStr", value))
        }
        return row(number, cells)
    }

    static func letters(_ column: Int) -> String {
        var number = column + 1, result = ""
        while number > 0 {
            result = String(UnicodeScalar(UInt8(65 + (number - 1) % 26))) + result
            number = (number - 1) / 26
        }
        return result
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Writes the workbook to `path`.
    func write(to path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        func add(_ name: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/></Types>
            """)
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        let sheetList = sheets.enumerated().map { index, sheet in
            "<sheet name=\"\(Self.escape(sheet.name))\" sheetId=\"\(index + 1)\"\(hiddenSheets.contains(index) ? " state=\"hidden\"" : "") r:id=\"rId\(index + 1)\"/>"
        }.joined()
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(main)" xmlns:r="\(relationships)">\
            <workbookPr\(date1904 ? " date1904=\"1\"" : "")/><sheets>\(sheetList)</sheets></workbook>
            """)
        var relations = sheets.indices.map { index in
            "<Relationship Id=\"rId\(index + 1)\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        relations.append("<Relationship Id=\"rIdS\" Type=\"\(relationships)/styles\" Target=\"styles.xml\"/>")
        if sharedStrings != nil {
            relations.append("<Relationship Id=\"rIdT\" Type=\"\(relationships)/sharedStrings\" Target=\"sharedStrings.xml\"/>")
        }
        try add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(relations.joined())</Relationships>
            """)
        let formats = styleFormats.enumerated().map { "<numFmt numFmtId=\"\(164 + $0.offset)\" formatCode=\"\(Self.escape($0.element))\"/>" }
        let styles = ["<xf numFmtId=\"0\"/>"] + styleFormats.indices.map { "<xf numFmtId=\"\(164 + $0)\" applyNumberFormat=\"1\"/>" }
        try add("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="\(main)"><numFmts count="\(formats.count)">\(formats.joined())</numFmts>\
            <cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="\(styles.count)">\(styles.joined())</cellXfs></styleSheet>
            """)
        if let sharedStrings {
            let items = sharedStrings.map { $0.hasPrefix("<") ? "<si>\($0)</si>" : "<si><t>\(Self.escape($0))</t></si>" }
            try add("xl/sharedStrings.xml", """
                <?xml version="1.0" encoding="UTF-8"?><sst xmlns="\(main)" count="\(items.count)" uniqueCount="\(items.count)">\(items.joined())</sst>
                """)
        }
        for (index, sheet) in sheets.enumerated() {
            var rows = sheet.rows
            var open = "<worksheet xmlns=\"\(main)\" xmlns:r=\"\(relationships)\">", close = "</worksheet>"
            if let prefix {
                open = "<\(prefix):worksheet xmlns:\(prefix)=\"\(main)\" xmlns:r=\"\(relationships)\">"
                close = "</\(prefix):worksheet>"
                for name in ["sheetData", "row", "c", "v", "is", "t", "f"] {
                    rows = rows.replacingOccurrences(of: "<\(name)>", with: "<\(prefix):\(name)>")
                        .replacingOccurrences(of: "<\(name) ", with: "<\(prefix):\(name) ")
                        .replacingOccurrences(of: "</\(name)>", with: "</\(prefix):\(name)>")
                }
                rows = "<\(prefix):sheetData>\(rows)</\(prefix):sheetData>"
            } else {
                rows = "<sheetData>\(rows)</sheetData>"
            }
            try add("xl/worksheets/sheet\(index + 1).xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\(open)\(rows)\(close)")
        }
    }
}

/// Rows of CSV text as sheet rows: the header in row `headerRow`, each CSV line in the next row; an empty line
/// is a row with no cells (absent from the XML).
func sheetRows(csv: String, headerRow: Int = 1, firstColumn: Int = 0) -> String {
    var rows = ""
    for (offset, line) in csv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
        rows += HandMadeWorkbook.row(headerRow + offset, values: line.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                                     firstColumn: firstColumn)
    }
    return rows
}
