import Foundation
import SIPASInstrument

/// The formats every command that prints a table offers: `table` (aligned text for people), `json` (the
/// result's machine document), `csv`, `xlsx` (a workbook with numbers as numbers) and `md` (Markdown).
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv, xlsx, md

    /// The format an output file's extension names (.txt and unknown extensions: nil).
    public static func implied(byPath path: String) -> OutputFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "json": return .json
        case "csv": return .csv
        case "xlsx": return .xlsx
        case "md", "markdown": return .md
        case "txt", "text": return .table
        default: return nil
        }
    }
}

/// One cell of a result table. Numbers stay numbers until a renderer formats them: in the language's style
/// for people (94,97 / 94.97), plain in CSV and JSON, as numbers with a display format in a workbook.
public enum TableCell: Equatable, Sendable {
    case text(String)
    case integer(Int?)
    /// A number with a fixed count of decimals.
    case number(Double?, decimals: Int)
    /// A number with `digits` significant digits (coefficients, whose scale is unknown in advance).
    case significant(Double?, digits: Int)
    /// An interval [lower; upper] with fixed decimals: one cell for people, two columns for machines.
    case interval(Double?, Double?, decimals: Int)
    /// A p value with `decimals` decimals; below 10^-decimals it reads "< 0,001" (or "< 0.001").
    case pValue(Double?, decimals: Int)

    var isInterval: Bool { if case .interval = self { return true } else { return false } }

    /// The text people read.
    public func display(_ style: NumberStyle) -> String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return value.map(style.integer) ?? "–"
        case .number(let value, let decimals): return style.fixed(value, decimals: decimals)
        case .significant(let value, let digits): return style.significant(value, digits: digits)
        case .interval(let lower, let upper, let decimals):
            guard lower != nil || upper != nil else { return "–" }
            return "[\(style.fixed(lower, decimals: decimals)); \(style.fixed(upper, decimals: decimals))]"
        case .pValue(let p, let decimals): return style.pValue(p, decimals: decimals)
        }
    }

    /// The fields a machine reads: plain numbers with a decimal point and full precision, empty when absent;
    /// an interval gives two fields.
    public var machineFields: [String] {
        func plain(_ value: Double?) -> String { value.flatMap { $0.isFinite ? "\($0)" : nil } ?? "" }
        switch self {
        case .text(let text): return [text]
        case .integer(let value): return [value.map(String.init) ?? ""]
        case .number(let value, _), .significant(let value, _), .pValue(let value, _): return [plain(value)]
        case .interval(let lower, let upper, _): return [plain(lower), plain(upper)]
        }
    }
}

extension NumberStyle {
    /// `digits` significant digits, as C's %g, with the language's decimal mark.
    public func significant(_ value: Double?, digits: Int = 5) -> String {
        guard let value, value.isFinite else { return "–" }
        let text = String(format: "%.\(max(1, min(17, digits)))g", value)
        return language == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// "p = 0,033" or "p < 0,001": a p value in a sentence.
    public func pStatement(_ p: Double?, decimals: Int = 3) -> String {
        let text = pValue(p, decimals: decimals)
        return text.hasPrefix("<") ? "p " + text : "p = " + text
    }

    /// A p value: "0,033"; below the smallest value shown, "< 0,001" instead of a misleading 0,000.
    public func pValue(_ p: Double?, decimals: Int = 3) -> String {
        guard let p, p.isFinite else { return "–" }
        let places = max(1, min(8, decimals))
        let floor = pow(10, -Double(places))
        if p < floor { return "< " + fixed(floor, decimals: places) }
        return fixed(p, decimals: places)
    }

    /// The spreadsheet number format of a p value: the number stays a number, shown with `decimals` places, and
    /// below the smallest value shown as "< 0,001" ("< 0.001" in English) as `pValue` prints it. The format's own
    /// decimal point follows the spreadsheet's locale; the text part is written in this style's language.
    public func pValueFormatCode(decimals: Int = 3) -> String {
        let places = max(1, min(8, decimals))
        let floor = "0." + String(repeating: "0", count: places - 1) + "1"
        return "[<\(floor)]\"< \(fixed(pow(10, -Double(places)), decimals: places))\";0." + String(repeating: "0", count: places)
    }
}

/// What a command shows: a title, paragraphs and tables in order, plus the machine document (JSON). One value
/// renders to every `OutputFormat`, so the screen, the CSV and the workbook never disagree.
public struct ResultDocument: Sendable {
    public enum Block: Sendable {
        case paragraph(String)
        case table(TextTable)
    }

    public var title: String
    public var language: Language
    public var blocks: [Block] = []
    /// The result's JSON document (the `json` format).
    public var json: JSONValue
    /// A documented long-format CSV that replaces the generic one (e.g. `index`: one row per estimate).
    public var csv: String?

    public init(title: String, language: Language, json: JSONValue, csv: String? = nil) {
        self.title = title; self.language = language; self.json = json; self.csv = csv
    }

    public mutating func paragraph(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .newlines)
        if !trimmed.isEmpty { blocks.append(.paragraph(trimmed)) }
    }

    public mutating func table(_ table: TextTable) { blocks.append(.table(table)) }

    public var tables: [TextTable] { blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } } }

    var style: NumberStyle { NumberStyle(language: language) }

    /// The text for a terminal: the title line, then the blocks separated by blank lines; tables fit `width`
    /// columns when it is given (see `TextTable.rendered`).
    public func text(width: Int? = nil) -> String {
        var parts: [String] = []
        for block in blocks {
            switch block {
            case .paragraph(let text): parts.append(text)
            case .table(let table):
                var rendered = table.caption.map { $0 + "\n" } ?? ""
                rendered += table.rendered(style: style, width: width)
                parts.append(rendered.trimmingCharacters(in: .newlines))
            }
        }
        return (title.isEmpty ? "" : title + "\n") + parts.joined(separator: "\n\n") + "\n"
    }

    /// Markdown: the title as a heading, paragraphs as text, tables as pipe tables.
    public func markdown() -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var parts = title.isEmpty ? [] : ["# " + escape(title)]
        for block in blocks {
            switch block {
            case .paragraph(let text):
                // Lines of a paragraph stay lines (two trailing spaces make a Markdown line break).
                parts.append(text.components(separatedBy: "\n").map { line -> String in
                    guard line.hasPrefix("  ") else { return escape(line) }
                    let item = line.trimmingCharacters(in: .whitespaces)
                    if item.hasPrefix("- ") { return escape(item) }
                    if item.hasPrefix("• ") { return "- " + escape(String(item.dropFirst(2))) }
                    return "- " + escape(item)
                }.joined(separator: "  \n"))
            case .table(let table):
                var out = table.caption.map { "## " + escape($0) + "\n\n" } ?? ""
                out += "| " + table.headers.map { escape($0.isEmpty ? " " : $0) }.joined(separator: " | ") + " |\n"
                out += "|" + table.alignments.map { $0 == .right ? " ---: |" : " --- |" }.joined() + "\n"
                for row in table.cells {
                    out += "| " + row.map { escape($0.display(style)) }.joined(separator: " | ") + " |\n"
                }
                parts.append(out.trimmingCharacters(in: .newlines))
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// CSV: the documented long format when the result has one; else its tables as machine fields (intervals
    /// as two columns, numbers with a decimal point), several tables one after another with their caption.
    public func csvText() -> String {
        if let csv { return csv }
        let tables = self.tables
        var out: [String] = []
        for table in tables {
            var lines: [String] = []
            if tables.count > 1 { lines.append(csvField(table.caption ?? title)) }
            lines.append(table.machineHeaders(language: language).map(csvField).joined(separator: ","))
            lines += table.machineRows().map { $0.map(csvField).joined(separator: ",") }
            out.append(lines.joined(separator: "\n"))
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    /// The text of a format; `xlsx` is binary and goes through `writeWorkbook`. `width`: the terminal's, for
    /// the table format on a screen.
    public func rendered(as format: OutputFormat, width: Int? = nil) -> String {
        switch format {
        case .table: return text(width: width)
        case .json: return json.serialized(indent: 2) + "\n"
        case .csv: return csvText()
        case .md: return markdown()
        case .xlsx: return text()
        }
    }
}

extension TextTable {
    /// Headers for machines: an interval column becomes two, "(cận dưới)"/"(cận trên)" or "(lower)"/"(upper)".
    public func machineHeaders(language: Language) -> [String] {
        let intervals = intervalColumns
        return headers.enumerated().flatMap { index, name -> [String] in
            guard intervals.contains(index) else { return [name] }
            return language == .vi ? [name + " (cận dưới)", name + " (cận trên)"] : [name + " (lower)", name + " (upper)"]
        }
    }

    /// Rows as machine fields aligned with `machineHeaders`.
    public func machineRows() -> [[String]] {
        let intervals = intervalColumns
        return cells.map { row in
            row.enumerated().flatMap { index, cell -> [String] in
                let fields = cell.machineFields
                if intervals.contains(index) && fields.count == 1 { return fields + [""] }
                return fields
            }
        }
    }

    var intervalColumns: Set<Int> { Set(cells.flatMap { row in row.indices.filter { row[$0].isInterval } }) }
}
