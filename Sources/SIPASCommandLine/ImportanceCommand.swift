import ArgumentParser
import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASModels
import SIPASReport
import SIPASSupport

extension ImportanceMethod: ExpressibleByArgument {}

/// `sipas importance`: the R² of a regression shared among correlated predictors.
public struct ImportanceCommand: ModelCommand {
    public static let configuration = CommandConfiguration(
        commandName: "importance",
        abstract: "Relative importance of correlated predictors: LMG (Shapley) shares of R², Johnson's relative weights, dominance.",
        discussion: """
            Decomposes the R² of Y on X1..Xp among the predictors, from the (weighted) correlation matrix of the \
            rows used: lmg averages each predictor's R² increment over all orderings (Lindeman, Merenda & Gold \
            1980; Groemping 2007); relweights is Johnson's (2000) eigen-based approximation; dominance adds \
            conditional (per subset size) and complete dominance (Azen & Budescu 2003), whose general dominance \
            equals lmg. value = the R² contribution, share = value / R². With --bootstrap-reps B, percentile \
            intervals from B seeded replicates (respondents resampled; with --cluster, Rao-Wu over PSUs within \
            --strata); the seed is printed and the same seed gives the same intervals. See docs/drivers.md.

            Example:
              sipas importance survey.csv --y overall --x f1,f2,f3,f4,f5 --method lmg \\
                --bootstrap-reps 500 --seed 7 --cluster cluster --strata stratum --weight weight --format json
            """)

    @OptionGroup public var dataOptions: PlainDataOptions

    @Option(name: .customLong("y"), help: ArgumentHelp("The response (outcome) column.", valueName: "column"))
    public var response: String

    @Option(name: .customLong("x"), help: ArgumentHelp("Predictor columns, comma-separated (2 to 15).", valueName: "columns"))
    public var predictors: String

    @Option(name: .long, help: "Measure: lmg, relweights or dominance.")
    public var method: ImportanceMethod = .lmg

    @Option(name: .long, help: "Bootstrap replicates for percentile intervals (0: no intervals).")
    public var bootstrapReps = 0

    @Option(name: .long, help: "Random seed of the bootstrap (printed with the results).")
    public var seed: UInt64 = 2024

    @Option(name: .long, help: "Bootstrap resampling: respondent, cluster or rao-wu (default: rao-wu with --cluster, else respondent).")
    public var bootstrap: BootstrapMethod?

    @OptionGroup(title: "Survey design (weights for the correlations; strata and clusters for the bootstrap)")
    public var designOptions: DesignOptions

    @Option(name: .long, help: "Confidence level of the intervals.")
    public var confidence = 0.95

    @OptionGroup public var outputOptions: ModelOutputOptions

    public init() {}

    public func validate() throws {
        try OptionCheck.confidence(confidence)
        if bootstrapReps != 0 { try OptionCheck.replicates(bootstrapReps, "--bootstrap-reps (0 for none)", minimum: 50) }
        guard nameList(predictors).count >= 2 else { throw OptionRefusal(vi: "--x phải nêu ít nhất hai biến giải thích", en: "--x must name at least two predictors") }
    }

    /// The analysis described by the options.
    public func analyze() throws -> ImportanceReport {
        let xNames = nameList(predictors)
        let spec = try designOptions.specification(for: dataOptions)
        try ReplicatesUnsupported.check(spec, command: "importance", alternative: "--weight alone", vi: "chỉ --weight")
        var seen = Set<String>()
        let columns = ([response] + xNames + spec.columns)
            .filter { seen.insert($0).inserted }
        let table = try dataOptions.load(columns: columns)
        let empty = Set(table.emptyLineRows)
        let candidateRows = (0..<table.rowCount).filter { !empty.contains($0) }
        var weights: Variable?
        if !spec.isEmpty {
            let full = try spec.build(table: table, rows: candidateRows)
            var values = [Double?](repeating: nil, count: table.rowCount)
            for (r, row) in candidateRows.enumerated() { values[row] = full.weights[r] }
            weights = Variable(spec.weight ?? "design weight", values)
        }
        let data = try RegressionData(response: try dataOptions.numbers(table, response),
                                      predictors: try xNames.map { try dataOptions.numbers(table, $0) },
                                      weights: weights, excludedBefore: dataOptions.emptyLineReasons(table))
        let result = try RelativeImportance.analyze(data)
        var intervals: ImportanceBootstrap?
        if bootstrapReps > 0 {
            let usedRows = data.usedRows.map { $0 - 1 }
            let design = spec.isEmpty ? SurveyDesign.simpleRandomSample(rows: usedRows.count)
                : try spec.build(table: table, rows: usedRows, calibratedOver: candidateRows)
            let resampling = bootstrap ?? (spec.clusters.isEmpty ? .respondent : .raoWu)
            intervals = try RelativeImportance.bootstrap(data, design: design, method: resampling, measure: method,
                                                         replicates: bootstrapReps, seed: seed, confidenceLevel: confidence,
                                                         execution: CommandExecution.current)
        }
        return ImportanceReport(method: method, result: result, bootstrap: intervals, rows: data.rows,
                                design: spec.isEmpty ? nil : spec.description)
    }

}

/// What `sipas importance` shows.
public struct ImportanceReport: Sendable {
    public let method: ImportanceMethod
    public let result: RelativeImportanceResult
    public let bootstrap: ImportanceBootstrap?
    public let rows: RowAccounting
    public let design: LocalizedText?

    public func json() -> JSONValue {
        let values = result.values(method)
        var importance: [JSONValue] = []
        for (j, term) in result.terms.enumerated() {
            var fields: [(String, JSONValue)] = [("term", .string(term)), ("value", .number(values[j])),
                                                 ("share", .number(values[j] / result.rSquared))]
            fields.append(("ci_lower", bootstrap.map { .number($0.valueIntervals[j].lower) } ?? .null))
            fields.append(("ci_upper", bootstrap.map { .number($0.valueIntervals[j].upper) } ?? .null))
            fields.append(("share_ci_lower", bootstrap.map { .number($0.shareIntervals[j].lower) } ?? .null))
            fields.append(("share_ci_upper", bootstrap.map { .number($0.shareIntervals[j].upper) } ?? .null))
            if method == .dominance {
                fields.append(("conditional", .array(result.dominance.conditional[j].map { .number($0) })))
                fields.append(("complete", .object(result.terms.enumerated().compactMap { i, other in
                    result.dominance.complete[j][i].map { (other, .number($0)) } })))
            }
            importance.append(.object(fields))
        }
        var pairs: [(String, JSONValue)] = [
            ("method", .string(method.rawValue)), ("r_squared", .number(result.rSquared)), ("n", .integer(result.observationCount)),
            ("design", design.map { .string($0.en) } ?? .null),
            ("importance", .array(importance)),
        ]
        if let bootstrap {
            pairs += [("seed", .integer(Int(truncatingIfNeeded: bootstrap.seed))), ("replicates", .integer(bootstrap.replicates)),
                      ("bootstrap", .string(bootstrap.method.rawValue)), ("interval", .string("percentile")),
                      ("confidence_level", .number(bootstrap.confidenceLevel)), ("replicates_skipped", .integer(bootstrap.skipped))]
        } else {
            pairs += [("seed", .null)]
        }
        pairs.append(("rows", rows.json()))
        return .object(pairs)
    }

    /// The shares of R², their bootstrap intervals and (for dominance) the dominance tables.
    public func document(language: Language) -> ResultDocument {
        let style = NumberStyle(language: language)
        let vi = language == .vi
        let values = result.values(method)
        let level = Int(((bootstrap?.confidenceLevel ?? 0.95) * 100).rounded())
        var table = TextTable(headers: (vi ? ["biến", "phần R²", "% R²"] : ["term", "R² share", "% of R²"])
                                + (bootstrap == nil ? [] : [vi ? "KTC \(level)% của %" : "\(level)% CI of %"]),
                              alignments: [.left, .right, .right, .left])
        for (j, term) in result.terms.enumerated() {
            var row: [TableCell] = [.text(term), .number(values[j], decimals: 4), .number(100 * values[j] / result.rSquared, decimals: 1)]
            if let b = bootstrap { row.append(.interval(100 * b.shareIntervals[j].lower, 100 * b.shareIntervals[j].upper, decimals: 1)) }
            table.append(cells: row)
        }
        let names: [String: (vi: String, en: String)] = [
            "lmg": ("phân rã R² theo LMG (Shapley)", "LMG (Shapley) decomposition of R²"),
            "relweights": ("trọng số tương đối của Johnson", "Johnson's relative weights"),
            "dominance": ("trội tổng quát (= LMG)", "general dominance (= LMG)")]
        let name = names[method.rawValue].map { vi ? $0.vi : $0.en } ?? method.rawValue
        var document = ResultDocument(title: "\(name): R² = \(style.fixed(result.rSquared, decimals: 4)), n = \(style.integer(result.observationCount))"
                                          + (design.map { " (\($0.text(language)))" } ?? ""), language: language, json: json())
        document.table(table)
        if let b = bootstrap {
            document.paragraph(vi
                ? "Khoảng phân vị từ \(b.replicates) lần lặp bootstrap \(b.method.rawValue), seed \(b.seed)" + (b.skipped > 0 ? " (bỏ \(b.skipped) lần: mẫu lặp suy biến)" : "") + "."
                : "Percentile intervals from \(b.replicates) \(b.method.rawValue) bootstrap replicates, seed \(b.seed)" + (b.skipped > 0 ? " (\(b.skipped) skipped: singular resample)" : "") + ".")
        }
        if method == .dominance {
            var conditional = TextTable(
                caption: vi ? "Trội có điều kiện (mức tăng R² trung bình khi thêm vào k biến khác)" : "Conditional dominance (mean R² increment when joining k other predictors)",
                headers: [vi ? "biến" : "term"] + (0..<result.terms.count).map { "k=\($0)" },
                alignments: [.left] + Array(repeating: .right, count: result.terms.count))
            for (j, term) in result.terms.enumerated() {
                conditional.append(cells: [.text(term)] + result.dominance.conditional[j].map { .number($0, decimals: 4) })
            }
            document.table(conditional)
            var dominating: [String] = []
            for i in result.terms.indices { for j in result.terms.indices where result.dominance.complete[i][j] == 1 {
                dominating.append("\(result.terms[i]) > \(result.terms[j])")
            } }
            document.paragraph((vi ? "Trội hoàn toàn: " : "Complete dominance: ")
                               + (dominating.isEmpty ? (vi ? "không có" : "none") : dominating.joined(separator: ", ")))
        }
        document.paragraph(rows.summaryText(language: language))
        return document
    }
}
