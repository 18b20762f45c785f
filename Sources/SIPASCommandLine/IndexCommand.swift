import ArgumentParser
import Foundation
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASReport
import SIPASSupport


/// `sipas index`: criterion, factor, content and overall indices with 95% intervals.
public struct IndexCommand: DocumentCommand {
    public static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Compute criterion, factor, content and overall (SIPAS) indices with confidence intervals.",
        discussion: """
            Formulas (Lai Châu methodology §6.2, Khánh Hòa 2782 Art. 7): a criterion index is the mean score over \
            the respondents who answered it, divided by the top score (5, or 4 on interval scales), times 100. \
            Factor, content and overall indices are means of criterion indices. Composites' standard errors are \
            linearized; the interval methods are described below. The share satisfied (answers \
            4-5) is a separate statistic. Every row read is accounted for: used, or excluded with its reason. \
            Answer cells may hold codes or the instrument's answer labels ("Rất hài lòng", any case); numbers \
            such as weights use a decimal comma in ';'-files and a point otherwise (--decimal overrides).

            With design flags the indices are weighted and their variances are design-based (Taylor \
            linearization, as R survey): --strata, --cluster (stages), --weight, --fpc. Groups given with --by \
            are estimated as domains of the whole design. A design file with a replicates block (replicate \
            weights shipped with the data, or made by sipas weights --replicates) gives replicate variances \
            instead: every index recomputed with each replicate's weights, as R's svrepdesign, with the \
            replicates' degrees of freedom (bootstrap intervals are not offered with it). The default interval (--ci beta, Korn-Graubard) \
            stays inside the scale (20-100% on likert5) and keeps a positive width when everyone answered 5; \
            --ci t gives the plain t-interval. See docs/index-command.md and docs/design.md.
            """)

    @OptionGroup public var dataOptions: DataOptions

    @OptionGroup(title: "Survey design") public var designOptions: DesignOptions

    @Option(name: .long, help: "Interval method: beta (default, Korn-Graubard), logit, wilson, t, percentile or bca (bootstrap).")
    public var ci: IntervalMethod = .beta

    @Option(name: .long, help: "Bootstrap resampling for --ci percentile|bca: respondent, cluster or rao-wu (default: rao-wu with --cluster, else respondent).")
    public var bootstrap: BootstrapMethod?

    @Option(name: .long, help: "Bootstrap replicates.") public var replicates = 1000

    @Option(name: .long, help: "Random seed of the bootstrap (printed with the results).") public var seed: UInt64 = 2024

    @Option(name: .long, help: "Flag estimates based on fewer respondents than this.")
    public var smallN = 30

    @Option(name: .long, help: "Group columns, comma-separated (e.g. unit_id or unit_level,unit_id).")
    public var by: String?

    @Option(name: .long, help: "Language of labels and number style in the table: vi or en.")
    public var lang: Language = .vi

    @Option(name: .long, help: "Confidence level of the intervals.")
    public var confidence: Double = 0.95

    @OptionGroup public var resultOutput: ResultOutputOptions

    public init() {}

    @Option(name: .long, help: ArgumentHelp("A column with each unit's name, shown beside the code of the --by column (default: unit_name when the data has it and --by is one column).", valueName: "column"))
    public var unitLabel: String?

    public func validate() throws {
        if unitLabel?.isEmpty == true { throw OptionRefusal(vi: "--unit-label cần tên một cột", en: "--unit-label needs a column name") }
        try OptionCheck.replicates(replicates, "--replicates", minimum: 50)
        try OptionCheck.confidence(confidence)
        try OptionCheck.count(smallN, "--small-n", from: 0, to: 1_000_000)
    }

    /// The result as a document (every output format renders from it).
    public func document() throws -> ResultDocument {
        let groups = by?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        let design = try designOptions.specification(for: dataOptions)
        let labelColumn = unitLabel ?? (groups.count == 1 ? "unit_name" : nil)
        let table = try dataOptions.load(keeping: groups + design.textColumns + [labelColumn].compactMap { $0 },
                                         numbers: design.numericColumns)
        var options = IndexOptions(confidenceLevel: confidence, intervalMethod: ci, design: design,
                                   smallSample: smallN,
                                   bootstrap: BootstrapOptions(method: bootstrap, replicates: replicates, seed: seed))
        options.execution = CommandExecution.current
        let result = try IndexAnalysis.run(table: table, by: groups, options: options)
        return result.document(language: lang, unitNames: try unitNames(table, groups: groups, column: labelColumn))
    }

    /// Code → name for a single `--by` column: from the name column (`--unit-label`, else unit_name), and for
    /// codes it does not name, from the file's value labels (SPSS/Stata).
    func unitNames(_ table: ResponseTable, groups: [String], column: String?) throws -> [String: String] {
        guard groups.count == 1 else { return [:] }
        return table.namingCodes(of: groups[0], try namesFromColumn(table, group: groups[0], column: column))
    }

    /// Unit code → name from the label column: one name per unit, else an error naming the unit (never the
    /// names, which may be personal data) when the column was asked for, or no names when it is the default.
    func namesFromColumn(_ table: ResponseTable, group: String, column: String?) throws -> [String: String] {
        guard let column, let codes = table.metadata(named: group) else { return [:] }
        guard let labels = table.metadata(named: column) else {
            if unitLabel != nil { _ = try table.requireMetadata(column) }
            return [:]
        }
        var names: [String: String] = [:]
        for row in 0..<table.rowCount {
            let code = codes[row], name = labels[row].trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty, !name.isEmpty else { continue }
            if let known = names[code], known != name {
                if unitLabel == nil { return [:] }
                throw DataError(file: table.source, row: row + 1, column: column,
                                message: "unit \(code) has more than one value in this column; --unit-label needs one name per unit")
            }
            names[code] = name
        }
        return names
    }
}
