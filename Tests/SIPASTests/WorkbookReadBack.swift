import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// A workbook read back the way another program would: the ZIP opened with ZIPFoundation, the parts parsed
/// with Foundation's XMLParser (neither libxlsxwriter, which writes sipas's workbooks, nor sipas's own expat
/// reader). Cells are numbers (`<v>` without a type), shared strings (t="s") or inline strings.
struct WorkbookReadBack {
    enum Cell: Equatable {
        case number(Double)
        case text(String)

        var number: Double? { if case .number(let v) = self { return v } else { return nil } }
        var text: String? { if case .text(let t) = self { return t } else { return nil } }
    }

    struct Sheet {
        var name: String
        /// Rows by their 1-based number, cells by their 0-based column.
        var rows: [Int: [Int: Cell]] = [:]
        /// The top-left cell of the frozen pane's bottom-right part (e.g. "A7"), if the sheet freezes rows.
        var frozenAt: String?
        /// Column widths set on the sheet (`<col width=…>`), by 0-based column.
        var widths: [Int: Double] = [:]
        var landscape = false

        func cell(_ row: Int, _ column: Int) -> Cell? { rows[row]?[column] }
        /// The row number whose cells start with these texts.
        func row(startingWith texts: [String]) -> Int? {
            rows.keys.sorted().first { number in texts.enumerated().allSatisfy { rows[number]?[$0.offset]?.text == $0.element } }
        }
        var allNumbers: [Double] { rows.values.flatMap { $0.values.compactMap(\.number) } }
        var allTexts: [String] { rows.values.flatMap { $0.values.compactMap(\.text) } }
    }

    var sheets: [Sheet] = []

    init(path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        func part(_ name: String) throws -> Data? {
            guard let entry = archive[name] else { return nil }
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return data
        }
        let strings = try part("xl/sharedStrings.xml").map { SharedStringsParser.parse($0) } ?? []
        guard let workbook = try part("xl/workbook.xml") else { throw CocoaError(.fileReadCorruptFile) }
        for (index, name) in SheetListParser.parse(workbook).enumerated() {
            guard let data = try part("xl/worksheets/sheet\(index + 1).xml") else { continue }
            sheets.append(SheetParser.parse(data, name: name, strings: strings))
        }
    }

    subscript(name: String) -> Sheet? { sheets.first { $0.name == name } }
}

private final class SheetListParser: NSObject, XMLParserDelegate {
    var names: [String] = []
    static func parse(_ data: Data) -> [String] {
        let delegate = SheetListParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        _ = parser.parse()
        return delegate.names
    }
    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if element == "sheet", let name = attributes["name"] { names.append(name) }
    }
}

private final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current: String?
    var inText = false
    static func parse(_ data: Data) -> [String] {
        let delegate = SharedStringsParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        _ = parser.parse()
        return delegate.strings
    }
    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if element == "si" { current = "" }
        if element == "t" { inText = true }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current? += string } }
    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "t" { inText = false }
        if element == "si" { strings.append(current ?? ""); current = nil }
    }
}

private final class SheetParser: NSObject, XMLParserDelegate {
    var sheet: WorkbookReadBack.Sheet
    let strings: [String]
    var reference = "", type = "", value = "", inValue = false
    init(name: String, strings: [String]) {
        sheet = WorkbookReadBack.Sheet(name: name)
        self.strings = strings
    }
    static func parse(_ data: Data, name: String, strings: [String]) -> WorkbookReadBack.Sheet {
        let delegate = SheetParser(name: name, strings: strings)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        _ = parser.parse()
        return delegate.sheet
    }
    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch element {
        case "c": reference = attributes["r"] ?? ""; type = attributes["t"] ?? ""; value = ""
        case "v", "t": inValue = true
        case "pane": sheet.frozenAt = attributes["topLeftCell"]
        case "pageSetup": sheet.landscape = attributes["orientation"] == "landscape"
        case "col":
            if let min = Int(attributes["min"] ?? ""), let max = Int(attributes["max"] ?? ""), let width = Double(attributes["width"] ?? "") {
                for column in min...max { sheet.widths[column - 1] = width }
            }
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { value += string } }
    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "v" || element == "t" { inValue = false }
        guard element == "c" else { return }
        let letters = reference.prefix { $0.isLetter }
        guard let row = Int(reference.dropFirst(letters.count)) else { return }
        let column = letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
        let cell: WorkbookReadBack.Cell?
        switch type {
        case "s": cell = Int(value).flatMap { $0 < strings.count ? .text(strings[$0]) : nil }
        case "inlineStr", "str": cell = .text(value)
        default: cell = Double(value).map { .number($0) }
        }
        if let cell { sheet.rows[row, default: [:]][column] = cell }
    }
}
