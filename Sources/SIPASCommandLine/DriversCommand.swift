import ArgumentParser
import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASModels
import SIPASReport
import SIPASSupport

/// `sipas drivers`: what drives overall satisfaction — the overall item regressed on the factor scores.
public struct DriversCommand: DocumentCommand {
    public static let configuration = CommandConfiguration(
        commandName: "drivers",
        abstract: "Driver analysis: overall satisfaction regressed on the factor scores, with LMG importance shares, pooled and per unit.",
        discussion: """
            Outcome: the instrument's overall-satisfaction item. Predictors: each factor's score, a respondent's \
            mean over the factor's answered criteria (reversed items scored as the instrument says). Rows without \
            the overall item or with a factor left entirely unanswered are excluded and counted. With --by, one \
            model per unit when n >= 10 x (factors + 1) (--min-per-parameter); smaller units are listed with the \
            reason. Each model reports coefficients with SE, 95% CI and p, standardized betas, VIF, R², the simple \
            correlation of each factor with the outcome, LMG shares of R² with percentile bootstrap intervals \
            (--replicates, --seed), notes on sign flips and VIF > 5, and one sentence per factor for planners. \
            Standard errors: --se design with the design flags (as R survey::svyglm), otherwise hc3 by default. \
            See docs/drivers.md.

            Example:
              sipas drivers datasets/sipas-2024-synthetic.csv --instrument khanhhoa-admin --by unit_id \\
                --strata stratum --cluster cluster --weight weight --lang en
            """)

    @OptionGroup public var dataOptions: DataOptions

    @Option(name: .long, help: "Unit column: a model per unit besides the pooled one (e.g. unit_id).")
    public var by: String?

    @OptionGroup(title: "Survey design") public var designOptions: DesignOptions

    @Option(name: .customLong("se"),
            help: ArgumentHelp("Standard errors: classical, hc0, hc1, hc2, hc3, cluster:COLUMN or design (default: design with design flags, else hc3).",
                               valueName: "type"))
    public var standardErrors: String?

    @Option(name: .long, help: "Bootstrap replicates for the LMG intervals (0: none).")
    public var replicates = 200

    @Option(name: .long, help: "Random seed of the bootstrap (printed with the results).")
    public var seed: UInt64 = 2024

    @Option(name: .long, help: "Bootstrap resampling: respondent, cluster or rao-wu (default: rao-wu with --cluster, else respondent).")
    public var bootstrap: BootstrapMethod?

    @Option(name: .long, help: "Rows needed per parameter for a model (n >= this x (factors + 1)).")
    public var minPerParameter = 10

    @Option(name: .long, help: "Confidence level of the intervals.")
    public var confidence = 0.95

    @Flag(name: .long, help: "Add the importance x performance matrix (LMG share x factor index) and quadrants.")
    public var priorities = false

    @Option(name: .long, help: "Importance cut line in % of R² (default: the mean share across factors, 100/p).")
    public var importanceCut: Double?

    @Option(name: .long, help: "Performance cut line as a factor index in % (default: the mean factor index).")
    public var performanceCut: Double?

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("Predicted overall score if a factor's mean score reached a target, FACTOR=SCORE (repeatable; implies --priorities).",
                               valueName: "factor=score"))
    public var whatIf: [String] = []

    @Option(name: .long, help: "Language of labels, sentences and number style: vi or en.")
    public var lang: Language = .vi

    @OptionGroup public var resultOutput: ResultOutputOptions

    public init() {}

    func standardErrorChoice() throws -> (StandardErrorType, String?) {
        let declared = try designOptions.specification(for: dataOptions)
        let text = (standardErrors ?? (declared.isEmpty ? "hc3" : "design")).trimmingCharacters(in: .whitespaces)
        return try parseStandardErrors(text)
    }

    public func validate() throws {
        try OptionCheck.confidence(confidence)
        if replicates != 0 { try OptionCheck.replicates(replicates, "--replicates (0 for none)", minimum: 50) }
        try OptionCheck.count(minPerParameter, "--min-per-parameter", from: 1, to: 1_000)
        try OptionCheck.number(importanceCut, "--importance-cut", from: 0, to: 100)
        try OptionCheck.number(performanceCut, "--performance-cut", from: 0, to: 100)
        let (type, _) = try standardErrorChoice()
        if try type == .design && designOptions.specification(for: dataOptions).isEmpty {
            throw OptionRefusal(vi: "--se design cần một thiết kế mẫu: --strata, --cluster, --weight hoặc --fpc", en: "--se design needs a design: --strata, --cluster, --weight or --fpc")
        }
    }

    func whatIfTargets() throws -> [(factor: String, target: Double)] {
        try whatIf.flatMap { $0.split(separator: ",") }.map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let value = NumberText.decimal(parts[1]) else {
                throw OptionRefusal(vi: "--what-if cần dạng NHÂN_TỐ=ĐIỂM (ví dụ procedures=4.5), đã ghi '\(entry)'", en: "--what-if expects FACTOR=SCORE (e.g. procedures=4.5), got '\(entry)'")
            }
            return (parts[0], value)
        }
    }

    /// The analysis and, with --priorities or --what-if, the priorities of every model.
    public func analyzeWithPriorities() throws -> (DriverResult, [ModelPriorities]?) {
        let table = try dataOptions.load(keeping: try neededColumns(), numbers: try designOptions.specification(for: dataOptions).numericColumns)
        let result = try analyze(table)
        guard priorities || !whatIf.isEmpty else { return (result, nil) }
        let list = try DriverPriorities.compute(result: result, table: table, importanceCut: importanceCut.map { $0 / 100 },
                                                performanceCut: performanceCut, whatIf: try whatIfTargets())
        return (result, list)
    }

    public func analyze() throws -> DriverResult { try analyze(try dataOptions.load(keeping: try neededColumns(), numbers: try designOptions.specification(for: dataOptions).numericColumns)) }

    /// The columns besides the items that the analysis reads as text: group, strata and cluster columns
    /// (weights and population sizes are read as numbers).
    func neededColumns() throws -> [String] {
        [by, try standardErrorChoice().1].compactMap { $0 } + (try designOptions.specification(for: dataOptions).textColumns)
    }

    func analyze(_ table: ResponseTable) throws -> DriverResult {
        let (type, cluster) = try standardErrorChoice()
        var options = DriverOptions(groupColumn: by, design: try designOptions.specification(for: dataOptions), standardErrors: type,
                                    clusterColumn: cluster, confidenceLevel: confidence, replicates: replicates, seed: seed,
                                    bootstrapMethod: bootstrap, observationsPerParameter: minPerParameter)
        options.execution = CommandExecution.current
        return try DriverAnalysis.run(table: table, options: options)
    }

    public func document() throws -> ResultDocument {
        let (result, list) = try analyzeWithPriorities()
        return result.document(language: lang, priorities: list)
    }
}

