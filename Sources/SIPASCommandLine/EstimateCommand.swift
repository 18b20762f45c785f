import ArgumentParser
import Foundation
import SIPASData
import SIPASStore
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASReport

/// `sipas estimate`: means, totals, proportions and ratios of any column under a survey design.
public struct EstimateCommand: DocumentCommand {
    public static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Estimate means, totals, proportions or ratios of any column, with design-based 95% intervals.",
        discussion: """
            Standard errors come from Taylor linearization over the declared design, as R's survey package \
            computes them (svymean, svytotal, svyciprop, svyratio, svyby). --by estimates each group as a domain \
            of the whole design. Rows with a blank value are left out of that estimate and counted. A design \
            file with a replicates block (replicate weight columns, e.g. "rw*", and their type JK1, JKn, BRR, Fay, \
            bootstrap or successive-difference) gives replicate SEs instead: each estimate recomputed with every \
            replicate's weights, as R's svrepdesign, with the replicates' degrees of freedom.

            Example (R survey's apistrat data): sipas estimate apistrat.csv --mean api00 --strata stype \
            --weight pw --fpc fpc --by stype --format json
            """)

    @Argument(help: "A CSV file, an Excel workbook (.xlsx, .xlsm), an SPSS (.sav, .zsav) or a Stata (.dta) file with one row per respondent.") public var data: String
    @Option(name: .long, help: "Mean of a numeric column (repeatable).") public var mean: [String] = []
    @Option(name: .long, help: "Total of a numeric column (repeatable).") public var total: [String] = []
    @Option(name: .long, help: ArgumentHelp("Share of rows where a column equals a value (repeatable).", valueName: "col=value"))
    public var proportion: [String] = []
    @Option(name: .long, help: ArgumentHelp("Ratio of two column totals (repeatable).", valueName: "y/x")) public var ratio: [String] = []
    @Option(name: .long, help: "Group columns, comma-separated.") public var by: String?
    @OptionGroup(title: "Survey design") public var designOptions: DesignOptions
    @Option(name: .long, help: "Interval for proportions: t (default, as svymean), logit, beta (Korn-Graubard) as svyciprop, or wilson. No bootstrap here.")
    public var ciMethod: AnalyticIntervalMethod = .t
    @OptionGroup public var resultOutput: ResultOutputOptions
    @Option(name: .long, help: "Language of the table: vi or en.") public var lang: Language = .vi
    @Option(name: .long, help: "Confidence level.") public var confidence = 0.95
    @Option(name: .long, help: "Field delimiter: ',' or ';' (default: detected).") public var delimiter: String?
    @Option(name: .long, help: ArgumentHelp("Decimal mark of numbers in the file (weights, fpc, numeric columns): comma or point (default: comma when the delimiter is ';', else point, a quoted \"36,5\" reading as 36.5)."))
    public var decimal: DecimalMark?
    @OptionGroup public var sheetOptions: SheetOptions

    @Option(name: .long, help: ArgumentHelp("A wave of the store named by DATA (sipas store import): its design is the default.", valueName: "wave"))
    public var wave: String?

    public init() {}

    public func validate() throws {
        if mean.isEmpty && total.isEmpty && proportion.isEmpty && ratio.isEmpty {
            throw OptionRefusal(vi: "hãy nêu ít nhất một trong --mean, --total, --proportion hoặc --ratio", en: "name at least one of --mean, --total, --proportion or --ratio")
        }
        try OptionCheck.confidence(confidence)
    }

    func statistics() throws -> [SurveyStatistic] {
        var result = mean.map(SurveyStatistic.mean) + total.map(SurveyStatistic.total)
        for entry in proportion {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw OptionRefusal(vi: "--proportion cần dạng CỘT=GIÁ_TRỊ, đã ghi '\(entry)'", en: "--proportion expects COLUMN=VALUE, got '\(entry)'") }
            result.append(.proportion(parts[0], level: parts[1]))
        }
        for entry in ratio {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw OptionRefusal(vi: "--ratio cần dạng Y/X, đã ghi '\(entry)'", en: "--ratio expects Y/X, got '\(entry)'") }
            result.append(.ratio(parts[0], parts[1]))
        }
        return result
    }

    public func document() throws -> ResultDocument {
        var options = CSVReadOptions(decimal: decimal)
        if let delimiter { options.delimiter = delimiter == "tab" ? UInt8(ascii: "\t") : delimiter.utf8.first }
        let groups = by?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        // In a workbook, the header is the first row naming the estimated and grouping columns.
        var table: ResponseTable
        if let wave {
            table = try SurveyStore(path: data).readColumns(wave: wave)
        } else {
            table = try DataFile.read(path: data, instrument: .none, options: options, selection: sheetOptions.selection,
                                      neededColumns: try statistics().flatMap(\.columns) + groups)
        }
        table = try CommandSession.current.filtered(table)
        let result = try SurveyEstimation.run(table: table, statistics: try statistics(), by: groups,
                                              design: try designOptions.specification(for: self), proportionMethod: ciMethod,
                                              confidenceLevel: confidence)
        return result.document(language: lang)
    }
}

extension SurveyEstimationResult {
    public func json() -> JSONValue {
        .object([
            ("source", .string(source)), ("design", .string(designSummary.en)), ("df", .integer(degreesOfFreedom)),
            ("estimates", .array(estimates.map { e in
                .object([
                    ("variable", .string(e.statistic.variable)), ("statistic", .string(e.statistic.name)),
                    ("group", .object(e.group.map { ($0.column, .string($0.value)) })),
                    ("estimate", .number(e.estimate)), ("se", .number(e.standardError)),
                    ("ci_lower", .number(e.lower)), ("ci_upper", .number(e.upper)), ("df", .integer(e.degreesOfFreedom)),
                    ("n", .integer(e.n)), ("deff", .number(e.designEffect)), ("method", .string(e.method)),
                    ("notes", .array(e.notes.map { .string($0.en) })),
                ])
            })),
            ("filter", filtered.map { .object([("where", .string($0.description)), ("excluded", .integer($0.count))]) } ?? .null),
            ("rows", .object([("read", .integer(rowsRead)),
                              ("missing", .array(missing.map { .object([("variable", .string($0.statistic)), ("count", .integer($0.count))]) }))])),
        ])
    }

    /// The estimates as a document: one row per statistic and group, numbers in the language's style.
    public func document(language: Language) -> ResultDocument {
        let vi = language == .vi
        var table = TextTable(headers: vi ? ["biến", "thống kê", "nhóm", "n", "ước lượng", "SE", "KTC 95%", "deff"]
                                 : ["variable", "statistic", "group", "n", "estimate", "SE", "95% CI", "deff"],
                              alignments: [.left, .left, .left, .right, .right, .right, .left, .right])
        // Four decimals, or six significant digits for large values (totals).
        func number(_ value: Double?) -> TableCell {
            guard let value, value.isFinite else { return .number(nil, decimals: 4) }
            return abs(value) >= 1e6 ? .significant(value, digits: 6) : .number(value, decimals: 4)
        }
        func statisticName(_ statistic: SurveyStatistic) -> String {
            guard vi else { return statistic.name }
            switch statistic {
            case .mean: return "trung bình"
            case .total: return "tổng"
            case .proportion: return "tỷ lệ"
            case .ratio: return "tỷ số"
            }
        }
        for e in estimates {
            let large = [e.estimate, e.lower, e.upper].contains { abs($0 ?? 0) >= 1e6 }
            let interval: TableCell = large ? .text("[\(NumberStyle(language: language).significant(e.lower, digits: 6)); "
                                                        + "\(NumberStyle(language: language).significant(e.upper, digits: 6))]")
                : .interval(e.lower, e.upper, decimals: 4)
            table.append(cells: [.text(e.statistic.variable), .text(statisticName(e.statistic)),
                                 .text(e.group.isEmpty ? (vi ? "toàn bộ" : "all") : e.group.map(\.value).joined(separator: " / ")),
                                 .integer(e.n), number(e.estimate), number(e.standardError), interval, number(e.designEffect)])
        }
        var document = ResultDocument(title: "", language: language, json: json())
        let style = NumberStyle(language: language)
        var lines = (vi ? "Dữ liệu: \(source) · thiết kế: \(designSummary.vi) · bậc tự do = \(degreesOfFreedom)"
                        : "Data: \(source) · design: \(designSummary.en) · df = \(degreesOfFreedom)") + "\n"
        lines += (vi ? "Số dòng đọc: " : "Rows read: ") + style.integer(rowsRead)
        if let filtered {
            lines += vi ? "; loại theo where \(filtered.description): \(style.integer(filtered.count))"
                : "; excluded by where \(filtered.description): \(style.integer(filtered.count))"
        }
        for blank in missing where blank.count > 0 {
            lines += vi ? "; trống \(blank.statistic): \(style.integer(blank.count)) (không tính)"
                : "; blank \(blank.statistic): \(style.integer(blank.count)) (left out)"
        }
        document.paragraph(lines)
        document.table(table)
        let notes = estimates.flatMap { e in
            e.notes.map { "  \(e.statistic.variable)" + (e.group.isEmpty ? "" : " (\(e.group.map(\.value).joined(separator: " / ")))") + ": " + $0.text(language) }
        }
        if !notes.isEmpty { document.paragraph((vi ? "Ghi chú:\n" : "Notes:\n") + notes.joined(separator: "\n")) }
        return document
    }
}
