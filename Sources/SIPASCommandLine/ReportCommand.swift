import ArgumentParser
import Foundation
import SIPASSupport
import SIPASAnalysis
import SIPASData
import SIPASEstimation
import SIPASInstrument
import SIPASReport
import SIPASStore

extension ReportFormat: ExpressibleByArgument {}

/// `sipas report`: the publishable SIPAS report (seed 000 §8) in HTML, Markdown, XLSX, JSON or CSV.
public struct ReportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the publishable SIPAS report: HTML (charts, offline), Markdown, XLSX tables, JSON or CSV.",
        discussion: """
            Contents (seed 000 §8): title and short name, basis and method, forms issued / returned / valid and \
            re-check outcomes (--issued, --returned, --valid, --rechecked, --recheck-confirmed, \
            --recheck-unreachable, --recheck-refused), rows used and excluded, respondent composition, indices \
            with 95% CIs and share satisfied, units ranked with highest / lowest / median and how many are >= 90% \
            or above the province (and how many significantly), change since --previous, drivers and priorities \
            when the instrument has an overall item, appendix tables and the questionnaire. Figures based on \
            fewer than --min-n responses are shown as "—". With --level COLUMN each level (e.g. departments, \
            districts) is ranked in its own table against the whole province (all respondents pooled).

            One analysis: every difference has one test and one adjusted p, the same in the key findings, the \
            tables, the charts and `sipas compare` on the same inputs; "significant" always means adjusted \
            p < 0.05. Families: units vs province; units vs last year; the province's SIPAS vs last year (a \
            family of one: adjusted p = p); the province's other indices vs last year. See docs/report.md.

            Example:
              sipas report DATA.csv -i khanhhoa-admin --by unit_id \\
                --strata stratum --cluster cluster --weight weight \\
                --province "Sơn La" --previous 2023.csv \\
                --format html --output sipas-2024.html
            """)

    @OptionGroup public var dataOptions: DataOptions
    @OptionGroup(title: "Survey design") public var designOptions: DesignOptions
    @Option(name: .long, help: "The unit column (e.g. unit_id).") public var by: String
    @Option(name: .long, help: "A column grouping the units into levels (e.g. unit_level): each level is ranked in its own table (Biểu số 4, 4a, …).")
    public var level: String?
    @Option(name: .long, help: "A column with the units' names, shown beside the codes (default: unit_name when the data has it).")
    public var unitLabel: String?
    @Option(name: .long, help: "An earlier wave's data file (same instrument and columns) for year-over-year changes.") public var previous: String?
    @Option(name: .long, help: ArgumentHelp("An earlier wave of the same store (with DATA a store and --wave), instead of --previous.", valueName: "wave"))
    public var previousWave: String?
    @Option(name: .long, help: ArgumentHelp("Earlier waves of the same store, oldest first (with DATA a store and --wave): the report gains a section of the province's indices across them and this wave, with the change from wave to wave (each computed with this wave's instrument and design).", valueName: "w1,w2,…"))
    public var trendWaves: String?
    @Option(name: .long, help: "Survey year for the title (default: the data's year column).") public var year: Int?
    @Option(name: .long, help: "Province name for the title, e.g. \"Sơn La\".") public var province: String?
    @Option(name: .long, help: "Language: vi (default) or en.") public var lang: Language = .vi
    @Option(name: .long, help: "Figures based on fewer responses are suppressed.") public var minN = 10
    @Option(name: .long, help: "Bootstrap replicates for the driver-importance intervals.") public var replicates = 200
    @Option(name: .long, help: "Random seed of the bootstrap (printed in the report).") public var seed: UInt64 = 2024
    @Option(name: .long, help: ArgumentHelp("The fieldwork outcome file `sipas sample accounting` reads (one row per issued form: returned, excluded_reason, recheck): the fieldwork table's counts come from it.", valueName: "file"))
    public var fieldwork: String?
    @Option(name: .long, help: "Forms issued (phiếu phát ra).") public var issued: Int?
    @Option(name: .long, help: "Forms returned (phiếu thu về).") public var returned: Int?
    @Option(name: .long, help: "Valid forms (phiếu hợp lệ).") public var valid: Int?
    @Option(name: .long, help: "Forms re-checked (phúc tra).") public var rechecked: Int?
    @Option(name: .long, help: "Re-checks that confirmed the interview.") public var recheckConfirmed: Int?
    @Option(name: .long, help: "Re-checks that could not reach the respondent.") public var recheckUnreachable: Int?
    @Option(name: .long, help: "Re-checks the respondent refused.") public var recheckRefused: Int?
    @Option(name: .long, help: "Output format: html, md, xlsx, json or csv (one file per table in the --output folder).")
    public var format: ReportFormat = .html
    @Option(name: .shortAndLong, help: "Output file (a folder for csv); html, md and json go to standard output without it.")
    public var output: String?

    public init() {}

    public func validate() throws {
        try OptionCheck.count(minN, "--min-n", from: 1, to: 1_000_000)
        if replicates != 0 { try OptionCheck.replicates(replicates, "--replicates (0 for none)", minimum: 50) }
        try OptionCheck.count(year, "--year", from: 1900, to: 2200)
        if let trendWaves, nameList(trendWaves).isEmpty { throw OptionRefusal(vi: "--trend-waves không nêu đợt nào", en: "--trend-waves names no wave") }
        for (option, value) in [("--level", level), ("--unit-label", unitLabel)] where value?.isEmpty == true {
            throw OptionRefusal(vi: "\(option) cần tên một cột", en: "\(option) needs a column name")
        }
        let counts = [("--issued", issued), ("--returned", returned), ("--valid", valid), ("--rechecked", rechecked),
                      ("--recheck-confirmed", recheckConfirmed), ("--recheck-unreachable", recheckUnreachable),
                      ("--recheck-refused", recheckRefused)]
        for (option, value) in counts { try OptionCheck.count(value, option, from: 0, to: 1_000_000_000) }
        if fieldwork != nil, let given = counts.first(where: { $0.1 != nil }) {
            throw OptionRefusal(vi: "--fieldwork đã cho các số liệu điều tra thực địa: hãy bỏ \(given.0)", en: "--fieldwork gives the fieldwork counts: drop \(given.0)")
        }
        if (format == .xlsx || format == .csv) && output == nil { throw OptionRefusal(vi: "--format \(format.rawValue) cần --output ĐƯỜNG_DẪN", en: "--format \(format.rawValue) needs --output PATH") }
    }

    /// The fieldwork table's counts: from the outcome file (as `sample accounting` counts them), or the options.
    /// A stored wave's own counts are the default when neither the file nor a count is given.
    public func fieldworkCounts() throws -> Fieldwork {
        guard let fieldwork else {
            let given = Fieldwork(issued: issued, returned: returned, valid: valid, rechecked: rechecked,
                                  recheckConfirmed: recheckConfirmed, recheckUnreachable: recheckUnreachable, recheckRefused: recheckRefused)
            if given == Fieldwork(), let wave = dataOptions.wave, let stored = try SurveyStore(path: dataOptions.data).wave(wave).fieldwork {
                return Fieldwork(stored: stored)
            }
            return given
        }
        return try Self.fieldworkCounts(file: fieldwork)
    }

    /// The counts of a fieldwork outcome file, as `sample accounting` counts them.
    static func fieldworkCounts(file fieldwork: String) throws -> Fieldwork {
        let counts = try SampleAccountingCommand.parse([fieldwork]).counts()
        return Fieldwork(issued: counts.issued, returned: counts.returned, valid: counts.valid, rechecked: counts.recheckContacted,
                         recheckConfirmed: counts.recheckConfirmed, recheckUnreachable: counts.recheckUnreachable,
                         recheckRefused: counts.recheckRefused)
    }

    /// The report model.
    public func makeReport() throws -> SurveyReport {
        let (table, earlier) = try dataOptions.loadWaves(previous: previous, previousWave: previousWave)
        let fieldwork = try fieldworkCounts()
        var options = ReportOptions(language: lang, groupColumn: by, minimumN: minN, year: year, province: province,
                                    design: try designOptions.specification(for: dataOptions), replicates: replicates, seed: seed, fieldwork: fieldwork,
                                    levelColumn: level, unitLabelColumn: unitLabel)
        options.execution = CommandExecution.current
        var analysis = try SurveyAnalysis.run(table: table, previous: earlier, options: options.analysisOptions)
        if let trendWaves {
            guard let wave = dataOptions.wave else {
                throw DataError(file: StoreLocation.redacted(dataOptions.data), message: "--trend-waves shows earlier waves of a store: give the store and --wave too",
                                vi: "--trend-waves trình bày các đợt trước trong một kho: hãy ghi cả kho và --wave")
            }
            let names = nameList(trendWaves)
            if names.contains(wave) {
                throw OptionRefusal(vi: "--trend-waves liệt kê các đợt trước; đợt \(wave) của báo cáo được thêm vào cuối", en: "--trend-waves lists the earlier waves; the report's wave \(wave) is added last")
            }
            var earlierWaves: [TrendResult.Wave] = []
            for name in names {
                var other = dataOptions
                other.wave = name
                earlierWaves.append(TrendResult.Wave(name: name, result: try IndexAnalysis.run(table: try other.load(), options: options.analysisOptions.index)))
            }
            analysis = analysis.across(earlier: earlierWaves, current: wave)
        }
        return SurveyReport.build(analysis: analysis, options: options)
    }

    /// Writes the report; returns what to show (the document itself without --output, else a one-line receipt).
    public func render() throws -> String { try render(try makeReport()) }

    /// Writes or returns an already built report in the chosen format.
    public func render(_ report: SurveyReport) throws -> String {
        let vi = lang == .vi
        switch format {
        case .html, .md, .json:
            let text = format == .html ? report.html() : format == .md ? report.markdown() : report.json().serialized(indent: 2) + "\n"
            guard let output else { return text }
            try deliver(text, to: output)
            return (vi ? "đã ghi \(output)" : "wrote \(output)") + "\n"
        case .xlsx:
            try OutputFile.writing(to: output!) { try report.writeXLSX(to: $0) }
            return (vi ? "đã ghi \(output!) (\(report.tables.count) trang tính)" : "wrote \(output!) (\(report.tables.count) sheets)") + "\n"
        case .csv:
            let folder = output!
            for file in report.csvFiles() { try deliver(file.text, to: folder + "/" + file.name) }
            return (vi ? "đã ghi \(report.tables.count) tệp CSV vào \(folder)" : "wrote \(report.tables.count) CSV files to \(folder)") + "\n"
        }
    }

    public func run() throws { emit(try render()) }
}
