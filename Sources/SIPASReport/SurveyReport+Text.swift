import SIPASInstrument

/// Output formats of `sipas report`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case html, md, xlsx, json, csv
}

extension ReportCell {
    /// The text people read: decimal comma in Vietnamese, "—" for suppressed cells, "[a; b]" for intervals.
    public func display(_ style: NumberStyle) -> String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return style.integer(value)
        case .percent(let value): return value == nil ? "" : style.fixed(value)
        case .interval(let lower, let upper):
            guard lower != nil || upper != nil else { return "" }
            return "[\(style.fixed(lower)); \(style.fixed(upper))]"
        case .number(let value, let decimals): return value == nil ? "" : style.fixed(value, decimals: decimals)
        case .range(let lower, let upper, let decimals):
            guard lower != nil || upper != nil else { return "" }
            return "[\(style.fixed(lower, decimals: decimals)); \(style.fixed(upper, decimals: decimals))]"
        case .pValue(let value):
            guard let value, value.isFinite else { return "" }
            return value < 0.001 ? "< " + style.fixed(0.001, decimals: 3) : style.fixed(value, decimals: 3)
        case .suppressed: return "—"
        }
    }

    /// Machine fields: one per column, two for an interval (lower, upper); plain numbers, empty when missing.
    var machineFields: [String] {
        func number(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "" } ?? "" }
        switch self {
        case .text(let text): return [text]
        case .integer(let value): return [String(value)]
        case .percent(let value): return [number(value)]
        case .interval(let lower, let upper): return [number(lower), number(upper)]
        case .number(let value, _): return [number(value)]
        case .range(let lower, let upper, _): return [number(lower), number(upper)]
        case .pValue(let value): return [number(value)]
        case .suppressed: return [""]
        }
    }

    var json: JSONValue {
        switch self {
        case .text(let text): return .string(text)
        case .integer(let value): return .integer(value)
        case .percent(let value): return .number(value)
        case .interval(let lower, let upper): return .object([("lower", .number(lower)), ("upper", .number(upper))])
        case .number(let value, _): return .number(value)
        case .range(let lower, let upper, _): return .object([("lower", .number(lower)), ("upper", .number(upper))])
        case .pValue(let value): return .number(value)
        case .suppressed(let n): return .object([("suppressed", .bool(true)), ("n", .integer(n))])
        }
    }
}

extension ReportTable {
    /// Machine column names: an interval column becomes "NAME (lower)" and "NAME (upper)".
    public func machineColumns(language: Language) -> [String] {
        let intervalColumns = Set(allRows.flatMap { row in row.indices.filter { row[$0].isInterval } })
        return columns.enumerated().flatMap { index, name -> [String] in
            intervalColumns.contains(index)
                ? [name + (language == .vi ? " (cận dưới)" : " (lower)"), name + (language == .vi ? " (cận trên)" : " (upper)")] : [name]
        }
    }

    /// Rows as machine fields aligned with `machineColumns` (a non-interval cell in an interval column fills both).
    func machineRows() -> [[String]] {
        let intervalColumns = Set(allRows.flatMap { row in row.indices.filter { row[$0].isInterval } })
        return allRows.map { row in
            row.enumerated().flatMap { index, cell -> [String] in
                let fields = cell.machineFields
                return intervalColumns.contains(index) && fields.count == 1 ? fields + fields : fields
            }
        }
    }

    /// The table as CSV (RFC 4180 quoting, plain numbers, empty field for suppressed cells).
    public func csv(language: Language) -> String {
        ([machineColumns(language: language)] + machineRows()).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    public func json() -> JSONValue {
        .object([("id", .string(id)), ("title", .string(title)), ("columns", .array(columns.map { .string($0) })),
                 ("rows", .array(rows.map { .array($0.map(\.json)) })), ("footer", .array(footer.map { .array($0.map(\.json)) })), ("notes", .array(notes.map { .string($0) }))])
    }
}

extension SurveyReport {
    /// The whole report as one JSON document: every table with plain numbers; suppressed cells are
    /// `{"suppressed": true, "n": …}`, never a number.
    public func json() -> JSONValue {
        .object([
            ("title", .string(title)), ("short_title", .string(shortTitle)), ("language", .string(language.rawValue)),
            ("minimum_n", .integer(minimumN)), ("highlights", .array(highlights.map { .string($0) })),
            ("sections", .array(sections.map { section in
                .object([("id", .string(section.id)), ("heading", .string(section.heading)),
                         ("paragraphs", .array(section.paragraphs.map { .string($0) })),
                         ("tables", .array(section.tables.map { $0.json() }))])
            })),
            ("suppression_note", .string(suppressionNote)),
        ])
    }

    /// Every table as CSV, keyed by file name (`<table id>.csv`).
    public func csvFiles() -> [(name: String, text: String)] {
        tables.map { ("\($0.id).csv", $0.csv(language: language)) }
    }

    /// Markdown for pasting into documents: headings, paragraphs, pipe tables; charts are described by their tables.
    public func markdown() -> String {
        let style = NumberStyle(language: language)
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var out = "# \(title)\n\n**\(shortTitle)**\n\n"
        out += "## " + (language == .vi ? "Kết quả chính" : "Key findings") + "\n\n"
        for highlight in highlights { out += "- \(highlight)\n" }
        for (number, section) in sections.enumerated() {
            out += "\n## \(number + 1). \(section.heading)\n\n"
            for paragraph in section.paragraphs { out += paragraph + "\n\n" }
            for table in section.tables {
                out += "### \(table.title)\n\n"
                out += "| " + table.columns.map(escape).joined(separator: " | ") + " |\n"
                let alignment = table.columns.indices.map { index -> String in
                    guard let cell = table.rows.first?[index] else { return "---" }
                    if case .text = cell { return "---" }
                    return "---:"
                }
                out += "|" + alignment.joined(separator: "|") + "|\n"
                for row in table.rows { out += "| " + row.map { escape($0.display(style)) }.joined(separator: " | ") + " |\n" }
                for row in table.footer {
                    out += "| " + row.map { cell -> String in
                        let text = escape(cell.display(style))
                        return text.isEmpty ? "" : "**\(text)**"
                    }.joined(separator: " | ") + " |\n"
                }
                if table.rows.isEmpty { out += "| " + table.columns.map { _ in "" }.joined(separator: " | ") + " |\n" }
                out += "\n"
                for note in table.notes { out += "> \(note)\n" }
                if table.hasSuppressedCells { out += "> \(suppressionNote)\n" }
                if !table.notes.isEmpty || table.hasSuppressedCells { out += "\n" }
            }
        }
        return out
    }
}
