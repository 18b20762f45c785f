import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument

/// How `DriverAnalysis.run` fits and summarizes the driver models.
public struct DriverOptions: Sendable {
    /// A column whose values define units (e.g. unit_id): one model per unit besides the pooled one.
    public var groupColumn: String?
    public var design: DesignSpecification
    /// `.design` uses `design`; `.cluster` uses `clusterColumn`.
    public var standardErrors: StandardErrorType
    public var clusterColumn: String?
    public var confidenceLevel: Double
    /// Bootstrap replicates for the LMG intervals (0: none), their seed and resampling (nil: Rao–Wu with
    /// clusters, respondents otherwise).
    public var replicates: Int
    public var seed: UInt64
    public var bootstrapMethod: BootstrapMethod?
    /// A model is fitted when n ≥ `observationsPerParameter` · (p + 1) (10 per parameter by default).
    public var observationsPerParameter: Int

    public init(groupColumn: String? = nil, design: DesignSpecification = DesignSpecification(),
                standardErrors: StandardErrorType = .hc3, clusterColumn: String? = nil, confidenceLevel: Double = 0.95,
                replicates: Int = 200, seed: UInt64 = 2024, bootstrapMethod: BootstrapMethod? = nil,
                observationsPerParameter: Int = 10)
    {
        self.groupColumn = groupColumn; self.design = design; self.standardErrors = standardErrors
        self.clusterColumn = clusterColumn; self.confidenceLevel = confidenceLevel; self.replicates = replicates
        self.seed = seed; self.bootstrapMethod = bootstrapMethod; self.observationsPerParameter = observationsPerParameter
    }
}

/// One fitted driver model (pooled or one unit).
public struct DriverModel: Sendable {
    /// The unit, or nil for the pooled model.
    public let group: String?
    public let regression: RegressionResult
    public let importance: RelativeImportanceResult
    /// LMG bootstrap intervals, nil without replicates (or when the unit's design cannot be resampled).
    public let bootstrap: ImportanceBootstrap?
    /// The simple (weighted) correlation of each factor score with the outcome.
    public let correlations: [Double]
    /// 0-based data rows used.
    public let rows: [Int]
    /// The weights of those rows (design weights), or nil when unweighted.
    public let weights: [Double]?
    /// Caveats: sign flips against the simple correlation, VIF > 5, and the regression's own notes.
    public let notes: [String]
}

/// A unit for which no model was fitted, and why.
public struct SkippedGroup: Equatable, Sendable {
    public let group: String
    public let observations: Int
    public let reason: String
}

/// The driver analysis: overall satisfaction regressed on the factor scores, pooled and per unit.
public struct DriverResult: Sendable {
    public let instrument: Instrument
    public let source: String
    public let factors: [Factor]
    public let outcome: Item
    public let groupColumn: String?
    public let options: DriverOptions
    public let models: [DriverModel]
    public let skipped: [SkippedGroup]
    /// n ≥ this many rows for a model (observationsPerParameter · (p + 1)).
    public let minimumObservations: Int
    public let rows: RowAccounting
    public let designSummary: String?
    /// Cronbach's alpha of each factor's criteria: how consistently the items behind a factor score agree.
    public let reliability: [FactorReliability]
}

/// The internal consistency of one factor's criteria (unweighted, rows answering all of them).
public struct FactorReliability: Sendable {
    public let factor: Factor
    /// nil when the factor has fewer than two criteria in the file or too few complete rows (see `note`).
    public let result: ReliabilityResult?
    public let note: String?
}

/// Driver analysis (Khánh Hòa 2782 Art. 8.3: "xác định các nhân tố ảnh hưởng đến sự hài lòng … và lượng hóa tác
/// động của từng nhân tố").
///
/// Outcome: the instrument's overall-satisfaction item. Predictors: the factor scores, each respondent's mean
/// score over the factor's answered criteria (reversed items scored (top + 1) − answer, as the instrument says).
/// A row without the overall item, or with a factor none of whose criteria is answered, is excluded with that
/// reason. Models: pooled, and per unit when n ≥ 10 · (p + 1) (units below are listed with the reason).
public enum DriverAnalysis {
    /// Each factor's score per row (nil when none of its criteria is answered).
    public static func factorScores(_ table: ResponseTable) -> [(factor: Factor, scores: [Double?])] {
        table.instrument.contents.flatMap(\.factors).map { factor in
            let columns = factor.criteria.compactMap { table.column(for: $0.id) }
            let scores = (0..<table.rowCount).map { row -> Double? in
                var sum = 0.0, count = 0
                for column in columns where column.values[row] != 0 {
                    sum += Double(column.item.score(Int(column.values[row]))); count += 1
                }
                return count == 0 ? nil : sum / Double(count)
            }
            return (factor, scores)
        }
    }

    /// Runs the analysis.
    ///
    /// - Throws: `ModelError.invalidSpecification` when the instrument has no overall item, the file has no
    ///   column for it, or fewer than two factors; the pooled model's errors (too few rows, collinear factor
    ///   scores); design errors naming file, row and column. A unit's own failure skips that unit with the reason.
    public static func run(table: ResponseTable, options: DriverOptions = .init()) throws -> DriverResult {
        let instrument = table.instrument
        guard let outcome = instrument.overall else {
            throw ModelError.invalidSpecification("instrument '\(instrument.id)' has no overall-satisfaction item (field 'overall'): the driver model needs one as its outcome")
        }
        guard let outcomeColumn = table.column(for: outcome.id) else {
            throw ModelError.invalidSpecification("\(table.source): no column for the overall-satisfaction item '\(outcome.id)' (map it with --map \(outcome.id)=COLUMN)")
        }
        let factorScores = factorScores(table)
        guard factorScores.count >= 2 else {
            throw ModelError.invalidSpecification("instrument '\(instrument.id)' has \(factorScores.count) factor(s): the driver model needs at least two")
        }
        let p = factorScores.count
        let group = try options.groupColumn.map { try table.requireMetadata($0) }

        // Row ledger.
        var reasons = [String?](repeating: nil, count: table.rowCount)
        for row in table.emptyLineRows { reasons[row] = "empty line" }
        for row in 0..<table.rowCount where reasons[row] == nil {
            if let group, group[row].isEmpty {
                reasons[row] = "blank \(group.name) (needed for --by)"
            } else if outcomeColumn.values[row] == 0 {
                reasons[row] = "overall item '\(outcome.id)' not answered"
            } else if let missing = factorScores.first(where: { $0.scores[row] == nil }) {
                reasons[row] = "no criterion of factor '\(missing.factor.id)' answered"
            }
        }
        let usedRows = (0..<table.rowCount).filter { reasons[$0] == nil }
        let outcomeValues: [Double?] = (0..<table.rowCount).map { row in
            let v = outcomeColumn.values[row]
            return v == 0 ? nil : Double(outcome.score(Int(v)))
        }

        // The design over every non-empty row (rows outside a model keep zero influence, as survey's subsets).
        let empty = Set(table.emptyLineRows)
        let designRows = (0..<table.rowCount).filter { !empty.contains($0) }
        let design = options.design.isEmpty ? nil : try options.design.build(table: table, rows: designRows)
        var weights: [Double?]?
        if let design {
            var values = [Double?](repeating: nil, count: table.rowCount)
            for (r, row) in designRows.enumerated() { values[row] = design.weights[r] }
            weights = values
        }
        let clusterLabels: [String?]? = try options.clusterColumn.map { name in
            let column = try table.requireMetadata(name)
            return (0..<table.rowCount).map { column[$0].isEmpty ? nil : column[$0] }
        }
        let minimum = options.observationsPerParameter * (p + 1)

        func fitModel(_ groupName: String?, _ rows: [Int]) throws -> DriverModel {
            var inModel = [Bool](repeating: false, count: table.rowCount)
            for row in rows { inModel[row] = true }
            let outside = (0..<table.rowCount).map { inModel[$0] ? nil : (reasons[$0] ?? "outside the model") }
            let data = try RegressionData(
                response: Variable(outcome.id, outcomeValues),
                predictors: factorScores.map { Variable($0.factor.id, $0.scores) },
                weights: weights.map { Variable(options.design.weight ?? "design weight", $0) },
                clusters: clusterLabels.map { (options.clusterColumn!, $0) }, excludedBefore: outside)
            let model = LinearRegression(standardErrors: options.standardErrors, confidenceLevel: options.confidenceLevel)
            let regression = options.standardErrors == .design && design != nil
                ? try model.fit(data, design: RegressionDesign(design: design!, rows: designRows))
                : try model.fit(data)
            let importance = try RelativeImportance.analyze(data)
            let correlation = try RelativeImportance.correlationMatrix(
                variables: data.predictors + [data.response], weights: data.weights, names: data.predictorNames + [data.responseName])
            let correlations = (0..<p).map { correlation[$0, p] }
            var notes: [String] = []
            var bootstrap: ImportanceBootstrap?
            if options.replicates > 0 {
                do {
                    let resampled = options.design.isEmpty ? SurveyDesign.simpleRandomSample(rows: data.response.count)
                        : try options.design.build(table: table, rows: data.usedRows.map { $0 - 1 })
                    let method = options.bootstrapMethod ?? (options.design.clusters.isEmpty ? .respondent : .raoWu)
                    bootstrap = try RelativeImportance.bootstrap(data, design: resampled, method: method, measure: .lmg,
                                                                 replicates: options.replicates, seed: options.seed,
                                                                 confidenceLevel: options.confidenceLevel)
                } catch {
                    notes.append("no bootstrap intervals for the LMG shares: \(error)")
                }
            }
            for (j, factor) in factorScores.map(\.factor).enumerated() {
                let b = regression.coefficients[j + 1]
                if b.estimate * correlations[j] < 0 {
                    notes.append("'\(factor.id)': its coefficient (\(String(format: "%+.3f", b.estimate))) has the opposite sign of its simple correlation with the outcome (\(String(format: "%+.3f", correlations[j]))): read with care, factors are correlated; this does not mean better service lowers satisfaction")
                }
                if let vif = b.varianceInflation, vif > 5 {
                    notes.append("'\(factor.id)': VIF \(String(format: "%.1f", vif)) > 5: read with care, factors are correlated (its coefficient is imprecise; prefer the LMG share for ranking)")
                }
            }
            return DriverModel(group: groupName, regression: regression, importance: importance, bootstrap: bootstrap,
                               correlations: correlations, rows: data.usedRows.map { $0 - 1 }, weights: data.weights, notes: notes + regression.notes.filter { !$0.hasPrefix("VIF") })
        }

        var models: [DriverModel] = []
        guard usedRows.count >= minimum else {
            throw ModelError.tooFewObservations(observations: usedRows.count, parameters: p + 1)
        }
        models.append(try fitModel(nil, usedRows))
        var skipped: [SkippedGroup] = []
        if let group {
            var byValue: [String: [Int]] = [:]
            for row in usedRows { byValue[group[row], default: []].append(row) }
            let allGroups = Set((0..<table.rowCount).filter { !empty.contains($0) && !group[$0].isEmpty }.map { group[$0] })
            for value in allGroups.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }) {
                let rows = byValue[value] ?? []
                guard rows.count >= minimum else {
                    skipped.append(SkippedGroup(group: value, observations: rows.count,
                                                reason: "n = \(rows.count) < \(minimum) (\(options.observationsPerParameter) per parameter × \(p + 1) parameters)"))
                    continue
                }
                do {
                    models.append(try fitModel(value, rows))
                } catch {
                    skipped.append(SkippedGroup(group: value, observations: rows.count, reason: "\(error)"))
                }
            }
        }
        return DriverResult(instrument: instrument, source: table.source, factors: factorScores.map(\.factor), outcome: outcome,
                            groupColumn: options.groupColumn, options: options, models: models, skipped: skipped,
                            minimumObservations: minimum, rows: RowAccounting(reasons: reasons),
                            designSummary: design?.summary, reliability: reliability(table))
    }

    /// Cronbach's alpha per factor over every non-empty row that answers all of the factor's criteria
    /// (reversed items scored as the instrument says), as `sipas alpha` computes it.
    static func reliability(_ table: ResponseTable) -> [FactorReliability] {
        let emptyLines = Set(table.emptyLineRows)
        let before = (0..<table.rowCount).map { emptyLines.contains($0) ? "empty line" : nil as String? }
        return table.instrument.contents.flatMap(\.factors).map { factor in
            let items = factor.criteria.compactMap { table.column(for: $0.id) }.map { column in
                Variable(column.item.id, column.values.map { $0 == 0 ? nil : Double(column.item.score(Int($0))) })
            }
            guard items.count >= 2 else {
                return FactorReliability(factor: factor, result: nil, note: "fewer than two criteria: no alpha")
            }
            do {
                return FactorReliability(factor: factor, result: try ReliabilityAnalysis.cronbachAlpha(items: items, excludedBefore: before),
                                         note: nil)
            } catch {
                return FactorReliability(factor: factor, result: nil, note: "\(error)")
            }
        }
    }
}
