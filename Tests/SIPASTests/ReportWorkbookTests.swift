import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import SIPASReport
import ZIPFoundation

/// An independent reader of the report workbook: ZIPFoundation unzips it, XMLParser reads the parts
/// (not libxlsxwriter, which wrote it, nor the project's own XLSX reader).
struct ReportWorkbookReader {
    struct Cell { var reference: String; var style: Int; var type: String?; var value: String? }
    struct Sheet {
        var name: String
        var cells: [String: Cell] = [:]
        /// (first column, last column, width), 1-based columns.
        var columns: [(min: Int, max: Int, width: Double)] = []
        var frozenRows: Int?
        var paperSize: String?
        var orientation: String?
        var fitToWidth: String?
        var fitToHeight: String?
        var fitToPage: String?
    }
    var sheets: [Sheet] = []
    var sharedStrings: [String] = []
    /// Style index → number format code.
    var formats: [Int: String] = [:]
    var definedNames: [String] = []

    init(path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        func part(_ name: String) throws -> Data {
            guard let entry = archive[name] else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: name]) }
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return data
        }
        let workbook = try Self.elements(try part("xl/workbook.xml"))
        let names = workbook.filter { $0.name == "sheet" }.compactMap { $0.attributes["name"] }
        definedNames = workbook.filter { $0.name == "definedName" }.compactMap { $0.attributes["name"] }
        if archive["xl/sharedStrings.xml"] != nil {
            var strings: [String] = []
            for element in try Self.elements(try part("xl/sharedStrings.xml")) where element.name == "si" { strings.append(element.text) }
            sharedStrings = strings
        }
        // styles: custom numFmts, then cellXfs in order.
        let styles = try Self.elements(try part("xl/styles.xml"))
        var codes: [Int: String] = [0: "General", 3: "#,##0", 2: "0.00", 1: "0"]
        for element in styles where element.name == "numFmt" {
            if let id = element.attributes["numFmtId"].flatMap(Int.init), let code = element.attributes["formatCode"] { codes[id] = code }
        }
        var inCellXfs = false, xf = 0
        for element in styles {
            if element.name == "cellXfs" { inCellXfs = true; continue }
            if element.name == "cellStyles" || element.name == "cellStyleXfs" && inCellXfs { inCellXfs = false }
            if inCellXfs && element.name == "xf" {
                formats[xf] = codes[element.attributes["numFmtId"].flatMap(Int.init) ?? 0] ?? "?"
                xf += 1
            }
        }
        for (index, name) in names.enumerated() {
            var sheet = Sheet(name: name)
            var current: Cell?
            for element in try Self.elements(try part("xl/worksheets/sheet\(index + 1).xml")) {
                switch element.name {
                case "c":
                    if let cell = current { sheet.cells[cell.reference] = cell }
                    current = Cell(reference: element.attributes["r"] ?? "", style: Int(element.attributes["s"] ?? "0") ?? 0,
                                   type: element.attributes["t"], value: nil)
                case "v": current?.value = element.text
                case "col":
                    sheet.columns.append((Int(element.attributes["min"] ?? "0") ?? 0, Int(element.attributes["max"] ?? "0") ?? 0,
                                          Double(element.attributes["width"] ?? "0") ?? 0))
                case "pane": if element.attributes["state"] == "frozen" { sheet.frozenRows = Int(element.attributes["ySplit"] ?? "") }
                case "pageSetup":
                    sheet.paperSize = element.attributes["paperSize"]; sheet.orientation = element.attributes["orientation"]
                    sheet.fitToWidth = element.attributes["fitToWidth"]; sheet.fitToHeight = element.attributes["fitToHeight"]
                case "pageSetUpPr": sheet.fitToPage = element.attributes["fitToPage"]
                default: break
                }
            }
            if let cell = current { sheet.cells[cell.reference] = cell }
            sheets.append(sheet)
        }
    }

    /// A cell's text (shared string resolved) or number as written.
    func text(_ sheet: Sheet, _ reference: String) -> String? {
        guard let cell = sheet.cells[reference], let value = cell.value else { return nil }
        return cell.type == "s" ? Int(value).map { sharedStrings[$0] } : value
    }

    struct Element { var name: String; var attributes: [String: String]; var text: String }

    /// Every element in document order with its attributes and its text (all text below it).
    static func elements(_ data: Data) throws -> [Element] {
        final class Delegate: NSObject, XMLParserDelegate {
            var elements: [Element] = []
            var open: [Int] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                open.append(elements.count)
                elements.append(Element(name: name, attributes: attributes, text: ""))
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { _ = open.popLast() }
            func parser(_ parser: XMLParser, foundCharacters string: String) { for index in open { elements[index].text += string } }
        }
        let parser = XMLParser(data: data)
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        return delegate.elements
    }

    static func column(_ index: Int) -> String {
        var n = index + 1, letters = ""
        while n > 0 { let r = (n - 1) % 26; letters = String(UnicodeScalar(UInt8(65 + r))) + letters; n = (n - 1) / 26 }
        return letters
    }
}

@Suite("Report workbook")
struct ReportWorkbookTests {
    @Test("the published report (levels, the year change): a sheet per table, read back as written")
    func publishedWorkbook() throws {
        let report = try ReportFixture.publishedVietnamese.get()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("report.xlsx")
        try report.writeXLSX(to: path)
        let book = try ReportWorkbookReader(path: path)
        #expect(book.sheets.count == report.tables.count && report.tables.contains { $0.id == "bieu-4a" })
        for (table, sheet) in zip(report.tables, book.sheets) {
            #expect(book.text(sheet, "A1") == table.title && sheet.frozenRows == 3, "\(sheet.name)")
            for (c, name) in table.machineColumns(language: report.language).enumerated() {
                #expect(book.text(sheet, ReportWorkbookReader.column(c) + "3") == name, "\(sheet.name)")
            }
        }
        // Biểu số 5a by level: the scope column and each row's label as the report has them.
        let index = try #require(report.tables.firstIndex { $0.id == "bieu-5a" })
        for (r, row) in report.tables[index].rows.enumerated() {
            guard case .text(let scope) = row[1] else { Issue.record("no scope in row \(r)"); continue }
            #expect(book.text(book.sheets[index], "B\(4 + r)") == scope)
        }
    }

    @Test func workbookIsFitForOfficeUse() throws {
        let (report, _) = try ReportFixture.vietnamese.get()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("report.xlsx")
        try report.writeXLSX(to: path)
        let book = try ReportWorkbookReader(path: path)
        #expect(book.sheets.count == report.tables.count)
        for (table, sheet) in zip(report.tables, book.sheets) {
            // A sheet per table, its title in A1, the header row frozen, A4 landscape one page wide.
            #expect(book.text(sheet, "A1") == table.title, "\(sheet.name)")
            #expect(sheet.frozenRows == 3, "\(sheet.name)")
            #expect(sheet.paperSize == "9" && sheet.orientation == "landscape", "\(sheet.name)")
            // One page wide (fitToWidth defaults to 1 in SpreadsheetML), as many pages tall as needed.
            #expect(sheet.fitToPage == "1" && (sheet.fitToWidth ?? "1") == "1" && sheet.fitToHeight == "0", "\(sheet.name)")
            // Widths from content: every header column has a width, and the widest is at least its longest text.
            let columns = table.machineColumns(language: report.language)
            #expect(sheet.columns.count == columns.count, "\(sheet.name)")
            for (c, name) in columns.enumerated() {
                #expect(book.text(sheet, ReportWorkbookReader.column(c) + "3") == name)
                let width = sheet.columns.first { $0.min == c + 1 }?.width ?? 0
                #expect(width >= 6 && width <= 61, "\(sheet.name) \(name) \(width)")
            }
        }
        #expect(book.definedNames.contains("_xlnm.Print_Titles"))

        // Biểu số 4: the unit-name column is wider than the rank column; percentages as 0.00; p as 0.000 / "< 0,001" (the Vietnamese report).
        let rankingIndex = try #require(report.tables.firstIndex { $0.id == "bieu-4" })
        let ranking = book.sheets[rankingIndex]
        let widthOf = { (c: Int) in ranking.columns.first { $0.min == c }?.width ?? 0 }
        let longestName = report.tables[rankingIndex].rows.compactMap { row -> Int? in if case .text(let s) = row[2] { return s.count } else { return nil } }.max() ?? 0
        #expect(widthOf(3) >= Double(min(60, longestName)) && widthOf(3) > widthOf(1))
        #expect(book.formats[ranking.cells["E4"]!.style] == "0.00")
        #expect(book.formats[ranking.cells["F4"]!.style] == "0.00" && book.formats[ranking.cells["G4"]!.style] == "0.00")
        let pCell = try #require(ranking.cells["I4"])
        #expect(book.formats[pCell.style] == "[<0.001]\"< 0,001\";0.000")
        #expect(pCell.type == nil && Double(pCell.value ?? "") != nil, "p stays a number")

        // Biểu số 7: b and both ends of its interval carry one format (3 decimals).
        let driversIndex = try #require(report.tables.firstIndex { $0.id == "bieu-7" })
        let drivers = book.sheets[driversIndex]
        for row in 4...8 {
            let formats = ["B", "C", "D"].map { book.formats[drivers.cells["\($0)\(row)"]!.style] }
            #expect(formats == ["0.000", "0.000", "0.000"], "row \(row)")
        }
        // The footer (summary rows) follows the body: "Cao nhất" right after the last unit.
        let footerRow = 4 + report.tables[rankingIndex].rows.count
        #expect(book.text(ranking, "C\(footerRow)")?.hasPrefix("Cao nhất") == true)
    }
}
