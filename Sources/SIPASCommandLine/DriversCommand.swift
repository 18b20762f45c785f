import ArgumentParser
import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASModels
import SIPASReport
import SIPASSupport

/// `sipas drivers`: what drives overall satisfaction — the overall item regressed on the factor scores.
public struct DriversCommand: ParsableCommand {
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

    @Option(name: .long, help: "Output format: table or json.")
    public var format: ModelOutputFormat = .table

    @Option(name: .long, help: "Language of labels, sentences and number style: vi or en.")
    public var lang: Language = .vi

    @Option(name: .shortAndLong, help: "Write the output to this file instead of standard output.")
    public var output: String?

    public init() {}

    func standardErrorChoice() throws -> (StandardErrorType, String?) {
        let declared = try designOptions.specification
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
        if try type == .design && designOptions.specification.isEmpty {
            throw ValidationError("--se design needs a design: --strata, --cluster, --weight or --fpc")
        }
    }

    func whatIfTargets() throws -> [(factor: String, target: Double)] {
        try whatIf.flatMap { $0.split(separator: ",") }.map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let value = NumberText.decimal(parts[1]) else {
                throw ValidationError("--what-if expects FACTOR=SCORE (e.g. procedures=4.5), got '\(entry)'")
            }
            return (parts[0], value)
        }
    }

    /// The analysis and, with --priorities or --what-if, the priorities of every model.
    public func analyzeWithPriorities() throws -> (DriverResult, [ModelPriorities]?) {
        let table = try dataOptions.load(keeping: try neededColumns(), numbers: try designOptions.specification.numericColumns)
        let result = try analyze(table)
        guard priorities || !whatIf.isEmpty else { return (result, nil) }
        let list = try DriverPriorities.compute(result: result, table: table, importanceCut: importanceCut.map { $0 / 100 },
                                                performanceCut: performanceCut, whatIf: try whatIfTargets())
        return (result, list)
    }

    public func analyze() throws -> DriverResult { try analyze(try dataOptions.load(keeping: try neededColumns(), numbers: try designOptions.specification.numericColumns)) }

    /// The columns besides the items that the analysis reads as text: group, strata and cluster columns
    /// (weights and population sizes are read as numbers).
    func neededColumns() throws -> [String] {
        [by, try standardErrorChoice().1].compactMap { $0 } + (try designOptions.specification.textColumns)
    }

    func analyze(_ table: ResponseTable) throws -> DriverResult {
        let (type, cluster) = try standardErrorChoice()
        let options = DriverOptions(groupColumn: by, design: try designOptions.specification, standardErrors: type,
                                    clusterColumn: cluster, confidenceLevel: confidence, replicates: replicates, seed: seed,
                                    bootstrapMethod: bootstrap, observationsPerParameter: minPerParameter)
        return try DriverAnalysis.run(table: table, options: options)
    }

    public func render() throws -> String {
        let (result, list) = try analyzeWithPriorities()
        switch format {
        case .json:
            guard case .object(var pairs) = result.json(language: lang) else { return "" }
            if let list { pairs.insert(("priorities", .array(list.map { $0.json() })), at: pairs.count - 1) }
            return JSONValue.object(pairs).serialized(indent: 2) + "\n"
        case .table:
            return result.tableText(language: lang) + (list.map { "\n" + $0.map { $0.tableText(language: lang) }.joined(separator: "\n") } ?? "")
        }
    }

    public func run() throws { try deliver(try render(), to: output) }
}

extension DriverResult {
    public func json(language: Language) -> JSONValue {
        func label(_ text: LocalizedText) -> JSONValue { .object([("vi", .string(text.vi)), ("en", .string(text.en))]) }
        let modelsJSON: [JSONValue] = models.map { model in
            let r = model.regression
            let coefficients: [JSONValue] = r.coefficients.enumerated().map { index, c in
                var fields: [(String, JSONValue)] = [("term", .string(c.term))]
                if index > 0 { fields.append(("label", label(factors[index - 1].label))) }
                fields += [("estimate", .number(c.estimate)), ("se", .number(c.standardError)), ("t", .number(c.tStatistic)),
                           ("p", .number(c.pValue)), ("ci_lower", .number(c.confidenceLower)), ("ci_upper", .number(c.confidenceUpper)),
                           ("std_beta", .number(c.standardizedBeta)), ("vif", .number(c.varianceInflation))]
                if index > 0 {
                    let j = index - 1
                    fields += [("correlation", .number(model.correlations[j])),
                               ("lmg", .number(model.importance.lmg[j])),
                               ("lmg_share", .number(model.importance.lmg[j] / model.importance.rSquared)),
                               ("lmg_share_ci_lower", model.bootstrap.map { .number($0.shareIntervals[j].lower) } ?? .null),
                               ("lmg_share_ci_upper", model.bootstrap.map { .number($0.shareIntervals[j].upper) } ?? .null)]
                }
                return .object(fields)
            }
            return .object([
                ("group", model.group.map { .string($0) } ?? .null),
                ("n", .integer(r.observationCount)), ("r_squared", .number(r.rSquared)), ("adj_r_squared", .number(r.adjustedRSquared)),
                ("se_type", .string(r.standardErrorType.description)), ("df_inference", .integer(r.inferenceDegreesOfFreedom)),
                ("f_statistic", .number(r.robustFStatistic ?? r.fStatistic)), ("f_p_value", .number(r.robustFPValue ?? r.fPValue)),
                ("condition_number", .number(r.conditionNumber)),
                ("coefficients", .array(coefficients)),
                ("sentences", .array(sentences(model, language: language).map { .string($0) })),
                ("notes", .array(model.notes.map { .string($0) })),
            ])
        }
        return .object([
            ("instrument", .string(instrument.id)), ("source", .string(source)),
            ("outcome", .object([("id", .string(outcome.id)), ("label", label(outcome.label))])),
            ("predictors", .string("factor score = mean of the factor's answered criteria (reversed items reversed)")),
            ("by", groupColumn.map { .string($0) } ?? .null), ("design", designSummary.map { .string($0) } ?? .null),
            ("confidence_level", .number(options.confidenceLevel)),
            ("minimum_n", .integer(minimumObservations)),
            ("minimum_n_rule", .string("n >= \(options.observationsPerParameter) x (\(factors.count) factors + 1)")),
            ("bootstrap", options.replicates > 0
                ? .object([("replicates", .integer(options.replicates)), ("seed", .integer(Int(truncatingIfNeeded: options.seed))),
                           ("method", .string((options.bootstrapMethod ?? (options.design.clusters.isEmpty ? .respondent : .raoWu)).rawValue)),
                           ("interval", .string("percentile"))])
                : .null),
            ("models", .array(modelsJSON)),
            ("skipped", .array(skipped.map { .object([("group", .string($0.group)), ("n", .integer($0.observations)), ("reason", .string($0.reason))]) })),
            ("reliability", .array(reliability.map(\.json))),
            ("rows", rows.json()),
        ])
    }

    public func tableText(language: Language) -> String {
        let style = NumberStyle(language: language)
        let en = language == .en
        var text = (en ? "Drivers of overall satisfaction (\(outcome.id))" : "Các yếu tố ảnh hưởng đến sự hài lòng chung (\(outcome.id))")
            + " — \(instrument.id), \(source)\n"
        if let designSummary { text += (en ? "Design: " : "Thiết kế mẫu: ") + designSummary + "\n" }
        if options.replicates > 0 {
            text += (en ? "LMG intervals: \(options.replicates) bootstrap replicates, seed \(options.seed)\n"
                        : "Khoảng tin cậy LMG: \(options.replicates) lần lặp bootstrap, seed \(options.seed)\n")
        }
        for model in models {
            let r = model.regression
            text += "\n" + (model.group.map { (en ? "Unit " : "Đơn vị ") + $0 } ?? (en ? "Pooled" : "Toàn bộ mẫu"))
                + " — n = \(r.observationCount), R² = \(style.fixed(r.rSquared, decimals: 3)), \(r.standardErrorType) SE, df = \(r.inferenceDegreesOfFreedom)\n"
            var table = TextTable(headers: [en ? "factor" : "yếu tố", "b", "SE", "95% CI", "p", "beta*", "VIF", "r", en ? "LMG %" : "LMG %", "95% CI"],
                                  alignments: [.left] + Array(repeating: .right, count: 9), maximumWidths: [28] + Array(repeating: nil, count: 9))
            for (j, factor) in factors.enumerated() {
                let c = r.coefficients[j + 1]
                table.append([factor.label.text(language), style.fixed(c.estimate, decimals: 3), style.fixed(c.standardError, decimals: 3),
                              "[\(style.fixed(c.confidenceLower, decimals: 3)); \(style.fixed(c.confidenceUpper, decimals: 3))]",
                              c.pValue < 0.0001 ? "<0,0001".replacingOccurrences(of: ",", with: en ? "." : ",") : style.fixed(c.pValue, decimals: 4),
                              style.fixed(c.standardizedBeta, decimals: 3), style.fixed(c.varianceInflation, decimals: 2),
                              style.fixed(model.correlations[j], decimals: 3),
                              style.fixed(100 * model.importance.lmg[j] / model.importance.rSquared, decimals: 1),
                              model.bootstrap.map { "[\(style.fixed(100 * $0.shareIntervals[j].lower, decimals: 1)); \(style.fixed(100 * $0.shareIntervals[j].upper, decimals: 1))]" } ?? ""])
            }
            text += table.rendered()
            for sentence in sentences(model, language: language) { text += "  • " + sentence + "\n" }
            if !model.notes.isEmpty {
                text += (en ? "  Notes:\n" : "  Ghi chú:\n") + model.notes.enumerated().map { "    \($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
            }
        }
        if !reliability.isEmpty {
            text += "\n" + (en ? "Reliability of the factor scores (Cronbach's alpha, rows answering all of a factor's criteria):\n"
                                : "Độ tin cậy của điểm yếu tố (Cronbach's alpha, các dòng trả lời đủ tiêu chí của yếu tố):\n")
            for entry in reliability {
                let value = entry.result.map { "alpha = \(style.fixed($0.alpha, decimals: 3)), n = \($0.observationCount)" } ?? (entry.note ?? "")
                text += "  \(entry.factor.label.text(language)): \(value)\n"
            }
        }
        if !skipped.isEmpty {
            text += "\n" + (en ? "Units without a model (need n ≥ \(minimumObservations)):\n" : "Đơn vị không ước lượng mô hình (cần n ≥ \(minimumObservations)):\n")
            for s in skipped { text += "  - \(s.group): \(s.reason)\n" }
        }
        return text + "\n" + rows.summaryText() + "\n"
    }
}

extension ModelPriorities {
    public func json() -> JSONValue {
        .object([
            ("group", group.map { .string($0) } ?? .null),
            ("importance", .string("LMG share of R²")), ("performance", .string("factor index (%)")),
            ("importance_cut", .number(importanceCut)), ("performance_cut", .number(performanceCut)),
            ("factors", .array(factors.map { f in
                .object([("factor", .string(f.factor.id)), ("importance", .number(f.importance)),
                         ("performance", .number(f.performance.estimate)), ("performance_ci_lower", .number(f.performance.lower)),
                         ("performance_ci_upper", .number(f.performance.upper)),
                         ("quadrant", .string(f.quadrant.rawValue)),
                         ("quadrant_label", .object([("vi", .string(f.quadrant.label.vi)), ("en", .string(f.quadrant.label.en))])),
                         ("same_quadrant_share", .number(f.stability))])
            })),
            ("what_if", .array(whatIf.map { w in
                .object([("factor", .string(w.factor)), ("target", .number(w.target)), ("current_mean", .number(w.currentMean)),
                         ("current_prediction", .number(w.currentPrediction)), ("prediction", .number(w.prediction)),
                         ("ci_lower", .number(w.lower)), ("ci_upper", .number(w.upper)),
                         ("prediction_index", .number(w.prediction / w.top * 100)),
                         ("ci_lower_index", .number(w.lower / w.top * 100)), ("ci_upper_index", .number(w.upper / w.top * 100))])
            })),
        ])
    }

    public func tableText(language: Language) -> String {
        let style = NumberStyle(language: language)
        let en = language == .en
        var text = (en ? "Priorities — " : "Ưu tiên — ") + (group.map { (en ? "unit " : "đơn vị ") + $0 } ?? (en ? "pooled" : "toàn bộ mẫu"))
            + (en ? " (cut lines: importance \(style.fixed(100 * importanceCut, decimals: 1))% of R², performance \(style.fixed(performanceCut))%)\n"
                  : " (ngưỡng: tầm quan trọng \(style.fixed(100 * importanceCut, decimals: 1))% R², chỉ số \(style.fixed(performanceCut))%)\n")
        var table = TextTable(headers: [en ? "factor" : "yếu tố", en ? "importance %" : "tầm quan trọng %", en ? "index %" : "chỉ số %",
                                        "95% CI", en ? "quadrant" : "nhóm", en ? "same in replicates" : "ổn định"],
                              alignments: [.left, .right, .right, .left, .left, .right], maximumWidths: [28, nil, nil, nil, nil, nil])
        for f in factors {
            table.append([f.factor.label.text(language), style.fixed(100 * f.importance, decimals: 1), style.fixed(f.performance.estimate),
                          "[\(style.fixed(f.performance.lower)); \(style.fixed(f.performance.upper))]", f.quadrant.label.text(language),
                          f.stability.map { style.fixed(100 * $0, decimals: 0) + "%" } ?? "–"])
        }
        text += table.rendered()
        for w in whatIf {
            text += en
                ? "  What if '\(w.factor)' reached \(style.fixed(w.target)) (now \(style.fixed(w.currentMean))): overall \(style.fixed(w.currentPrediction)) → \(style.fixed(w.prediction)) (95% CI \(style.fixed(w.lower)) to \(style.fixed(w.upper))), index \(style.fixed(w.prediction / w.top * 100))%\n"
                : "  Nếu '\(w.factor)' đạt \(style.fixed(w.target)) (hiện \(style.fixed(w.currentMean))): hài lòng chung \(style.fixed(w.currentPrediction)) → \(style.fixed(w.prediction)) (KTC 95%: \(style.fixed(w.lower)) đến \(style.fixed(w.upper))), chỉ số \(style.fixed(w.prediction / w.top * 100))%\n"
        }
        return text
    }
}

extension FactorReliability {
    var json: JSONValue {
        let items: [JSONValue] = factor.criteria.map { JSONValue.string($0.id) }
        var fields: [(String, JSONValue)] = [("factor", .string(factor.id)), ("items", .array(items))]
        if let result {
            fields += [("n", .integer(result.observationCount)), ("alpha", .number(result.alpha)),
                       ("standardized_alpha", .number(result.standardizedAlpha))]
        } else {
            fields += [("n", .null), ("alpha", .null), ("standardized_alpha", .null)]
        }
        fields.append(("note", note.map(JSONValue.string) ?? .null))
        return .object(fields)
    }
}
