import Foundation
import SIPASInstrument

/// Number formatting for people: fixed decimals, with a decimal comma in Vietnamese (94,97) and a point in
/// English (94.97). Machine formats (JSON, CSV) never use this.
public struct NumberStyle: Sendable {
    public var language: Language
    public init(language: Language) { self.language = language }

    public func fixed(_ value: Double?, decimals: Int = 2) -> String {
        guard let value, value.isFinite else { return "–" }
        let text = String(format: "%.\(decimals)f", value)
        return language == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    public func integer(_ value: Int) -> String { Note.integer(value, language) }
}

/// Aligned plain-text tables of typed cells. Width is counted in grapheme clusters, so Vietnamese letters with
/// combining marks (NFC or NFD) occupy one column each. The same value is what a `ResultDocument` writes to
/// CSV, Markdown and workbooks.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }
    /// A title shown above the table (and the sheet's title in a workbook).
    public var caption: String?
    /// A short name for the table's sheet in a workbook (default: the caption, cut to 31 characters).
    public var sheetName: String?
    public var headers: [String]
    public var alignments: [Alignment]
    public var cells: [[TableCell]] = []
    public var maximumWidths: [Int?]

    public init(caption: String? = nil, sheetName: String? = nil, headers: [String], alignments: [Alignment], maximumWidths: [Int?]? = nil) {
        self.caption = caption
        self.sheetName = sheetName
        self.headers = headers
        self.alignments = alignments
        self.maximumWidths = maximumWidths ?? Array(repeating: nil, count: headers.count)
    }

    /// A row of text cells (already formatted for people).
    public mutating func append(_ row: [String]) { cells.append(row.map { .text($0) }) }

    /// A row of typed cells.
    public mutating func append(cells row: [TableCell]) { cells.append(row) }

    /// The rows as people read them.
    public func displayRows(style: NumberStyle) -> [[String]] { cells.map { $0.map { $0.display(style) } } }

    /// The aligned text. Without a `width` (pipes, files) label columns are cut at their `maximumWidths`, so the
    /// output does not depend on where it goes. With the terminal's width, labels get the room there is: full
    /// length when the table fits, else the widest label columns are cut (not below 12 characters) until it
    /// fits, numbers staying whole and aligned.
    public func rendered(style: NumberStyle = NumberStyle(language: .en), width: Int? = nil) -> String {
        let display = [headers] + displayRows(style: style)
        var limits: [Int?] = headers.indices.map { $0 < maximumWidths.count ? maximumWidths[$0] : nil }
        if let width {
            var natural = [Int](repeating: 0, count: headers.count)
            for row in display { for (index, text) in row.enumerated() where index < natural.count { natural[index] = max(natural[index], text.count) } }
            var current = natural
            let shrinkable = limits.indices.filter { limits[$0] != nil }
            func total() -> Int { current.reduce(0, +) + 2 * max(0, current.count - 1) }
            while total() > width, let widest = shrinkable.filter({ current[$0] > 12 }).max(by: { current[$0] < current[$1] }) {
                current[widest] = max(12, current[widest] - (total() - width))
            }
            limits = headers.indices.map { shrinkable.contains($0) && current[$0] < natural[$0] ? current[$0] : nil }
        }
        let cells = display.map { row in
            row.enumerated().map { index, text in Self.truncate(text, to: index < limits.count ? limits[index] : nil) }
        }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in cells { for (index, text) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], text.count) } }
        var lines: [String] = []
        for (rowIndex, row) in cells.enumerated() {
            var line = ""
            for (index, text) in row.enumerated() where index < widths.count {
                let padding = String(repeating: " ", count: widths[index] - text.count)
                let last = index == row.count - 1
                line += alignments[index] == .left ? text + (last ? "" : padding) : padding + text
                if !last { line += "  " }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
            if rowIndex == 0 {
                var rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
                while rule.hasSuffix(" ") { rule.removeLast() }
                lines.append(rule)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func truncate(_ text: String, to width: Int?) -> String {
        guard let width, text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }
}
