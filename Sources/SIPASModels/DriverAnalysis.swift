import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASSupport

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
    /// Threads for the replicates and refits, and the bootstrap's progress report; the numbers never depend on it.
    public var execution = Execution()

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
    public let notes: [Note]
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
    public let designSummary: LocalizedText?
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
    /// Each factor's score per row, NaN when none of its criteria is answered.
    public static func factorScores(_ table: ResponseTable) -> [(factor: Factor, scores: [Double])] {
        table.instrument.contents.flatMap(\.factors).map { factor in
            let columns = factor.criteria.compactMap { table.column(for: $0.id) }
            let scoreOf = columns.map(scoreTable)
            var scores = [Double](repeating: .nan, count: table.rowCount)
            for row in 0..<table.rowCount {
                var sum = 0.0, count = 0
                for (c, column) in columns.enumerated() where column.values[row] != 0 {
                    sum += scoreOf[c][Int(column.values[row])]; count += 1
                }
                if count > 0 { scores[row] = sum / Double(count) }
            }
            return (factor, scores)
        }
    }

    /// The score of each stored answer code (reversed items scored (top + 1) − answer), NaN for 0 (missing).
    static func scoreTable(_ column: ItemColumn) -> [Double] {
        (0...255).map { $0 == 0 ? .nan : Double(column.item.score($0)) }
    }

    /// The scores of an item column, NaN where missing.
    static func scores(_ column: ItemColumn) -> [Double] {
        let scoreOf = scoreTable(column)
        return column.values.map { scoreOf[Int($0)] }
    }

    /// Runs the analysis.
    ///
    /// - Throws: `ModelError.invalidSpecification` when the instrument has no overall item, the file has no
    ///   column for it, or fewer than two factors; the pooled model's errors (too few rows, collinear factor
    ///   scores); design errors naming file, row and column. A unit's own failure skips that unit with the reason.
    public static func run(table: ResponseTable, options: DriverOptions = .init()) throws -> DriverResult {
        let instrument = table.instrument
        guard let outcome = instrument.overall else {
            throw ModelError.invalidSpecification(vi: "bộ câu hỏi '\(instrument.id)' không có câu hỏi hài lòng chung (trường 'overall'): mô hình động lực cần câu hỏi này làm biến kết quả",
                                                  en: "instrument '\(instrument.id)' has no overall-satisfaction item (field 'overall'): the driver model needs one as its outcome")
        }
        guard let outcomeColumn = table.column(for: outcome.id) else {
            throw ModelError.invalidSpecification(vi: "\(table.source): không có cột cho câu hỏi hài lòng chung '\(outcome.id)' (hãy gán bằng --map \(outcome.id)=CỘT)",
                                                  en: "\(table.source): no column for the overall-satisfaction item '\(outcome.id)' (map it with --map \(outcome.id)=COLUMN)")
        }
        let factorScores = factorScores(table)
        guard factorScores.count >= 2 else {
            throw ModelError.invalidSpecification(vi: "bộ câu hỏi '\(instrument.id)' có \(factorScores.count) yếu tố: mô hình động lực cần ít nhất hai",
                                                  en: "instrument '\(instrument.id)' has \(factorScores.count) factor(s): the driver model needs at least two")
        }
        let p = factorScores.count
        let n = table.rowCount
        let group = try options.groupColumn.map { try table.requireMetadata($0) }

        // Row ledger.
        var ledger = RowLedger(rowCount: n)
        var isEmptyLine = [Bool](repeating: false, count: n)
        let emptyLine = ledger.code(for: ExclusionReason.emptyLine)
        for row in table.emptyLineRows { ledger.exclude(row, code: emptyLine); isEmptyLine[row] = true }
        let blankGroup = group.map { ledger.code(for: ExclusionReason.blankGroup($0.name)) }
        let blankLevel = group.map { $0.levels.map(\.isEmpty) }
        let overallMissing = ledger.code(for: ExclusionReason.overallNotAnswered(outcome.id))
        let factorMissing = factorScores.map { ledger.code(for: ExclusionReason.factorNotAnswered($0.factor.id)) }
        for row in 0..<n where !ledger.isExcluded(row) {
            if let group, blankLevel![Int(group.codes[row])] {
                ledger.exclude(row, code: blankGroup!)
            } else if outcomeColumn.values[row] == 0 {
                ledger.exclude(row, code: overallMissing)
            } else if let j = factorScores.indices.first(where: { factorScores[$0].scores[row].isNaN }) {
                ledger.exclude(row, code: factorMissing[j])
            }
        }
        let usedRows = (0..<n).filter { !ledger.isExcluded($0) }
        let outcomeValues = scores(outcomeColumn)

        // The design over every non-empty row (rows outside a model keep zero influence, as survey's subsets).
        let designRows = (0..<n).filter { !isEmptyLine[$0] }
        let design = options.design.isEmpty ? nil : try options.design.build(table: table, rows: designRows)
        var weights: [Double]?
        if let design {
            var values = [Double](repeating: .nan, count: n)
            for (r, row) in designRows.enumerated() { values[row] = design.weights[r] }
            weights = values
        }
        let clusterLabels = try options.clusterColumn.map { name in
            let column = try table.requireMetadata(name)
            return CodedLabels(name: name, codes: column.codes, labels: column.levels)
        }
        let minimum = options.observationsPerParameter * (p + 1)

        func fitModel(_ groupName: String?, _ rows: [Int]) throws -> DriverModel {
            var inModel = [Bool](repeating: false, count: n)
            for row in rows { inModel[row] = true }
            var outside = ledger
            let outsideModel = outside.code(for: ExclusionReason.outsideModel)
            for row in 0..<n where !inModel[row] && !outside.isExcluded(row) { outside.exclude(row, code: outsideModel) }
            let data = try RegressionData(
                response: Variable(outcome.id, numbers: outcomeValues),
                predictors: factorScores.map { Variable($0.factor.id, numbers: $0.scores) },
                weights: weights.map { Variable(options.design.weight ?? "design weight", numbers: $0) },
                clusters: clusterLabels, excludedBefore: outside)
            var model = LinearRegression(standardErrors: options.standardErrors, confidenceLevel: options.confidenceLevel)
            model.threads = options.execution.threads
            let regression = options.standardErrors == .design && design != nil
                ? try model.fit(data, design: RegressionDesign(design: design!, rows: designRows))
                : try model.fit(data)
            let importance = try RelativeImportance.analyze(data)
            let correlation = try RelativeImportance.correlationMatrix(
                variables: data.predictors + [data.response], weights: data.weights, names: data.predictorNames + [data.responseName])
            let correlations = (0..<p).map { correlation[$0, p] }
            var notes: [Note] = []
            var bootstrap: ImportanceBootstrap?
            if options.design.replicates != nil {
                // The design's replicates are its resampling: the LMG shares are not bootstrapped again.
                if options.replicates > 0 {
                    notes.append(Note(.bootstrap, vi: "không có khoảng tin cậy cho tỷ trọng LMG: thiết kế dùng trọng số lặp (khối replicates) không được bootstrap lại",
                                      en: "no intervals for the LMG shares: a replicate-weight design (replicates block) is not bootstrapped again"))
                }
            } else if options.replicates > 0 {
                do {
                    let resampled = options.design.isEmpty ? SurveyDesign.simpleRandomSample(rows: data.response.count)
                        : try options.design.build(table: table, rows: data.usedRows.map { $0 - 1 }, calibratedOver: designRows)
                    let method = options.bootstrapMethod ?? (options.design.clusters.isEmpty ? .respondent : .raoWu)
                    bootstrap = try RelativeImportance.bootstrap(data, design: resampled, method: method, measure: .lmg,
                                                                 replicates: options.replicates, seed: options.seed,
                                                                 confidenceLevel: options.confidenceLevel, execution: options.execution)
                } catch {
                    notes.append(Note(.bootstrap, vi: "không có khoảng bootstrap cho tỷ trọng LMG: \(error)",
                                      en: "no bootstrap intervals for the LMG shares: \(error)"))
                }
            }
            for (j, factor) in factorScores.map(\.factor).enumerated() {
                let b = regression.coefficients[j + 1]
                if b.estimate * correlations[j] < 0 {
                    let coefficient = String(format: "%+.3f", b.estimate), correlation = String(format: "%+.3f", correlations[j])
                    notes.append(Note(.collinearity,
                        vi: "'\(factor.id)': hệ số (\(Note.vi(coefficient))) ngược dấu với tương quan đơn của nó với biến kết quả (\(Note.vi(correlation))): đọc thận trọng, các yếu tố tương quan với nhau",
                        en: "'\(factor.id)': its coefficient (\(String(format: "%+.3f", b.estimate))) has the opposite sign of its simple correlation with the outcome (\(String(format: "%+.3f", correlations[j]))): read with care, factors are correlated; this does not mean better service lowers satisfaction"))
                }
                if let vif = b.varianceInflation, vif > 5 {
                    let shown = String(format: "%.1f", vif)
                    notes.append(Note(.varianceInflation,
                        vi: "'\(factor.id)': VIF \(Note.vi(shown)) > 5: đọc thận trọng, các yếu tố tương quan với nhau (hệ số kém chính xác; nên xếp hạng theo tỷ trọng LMG)",
                        en: "'\(factor.id)': VIF \(shown) > 5: read with care, factors are correlated (its coefficient is imprecise; prefer the LMG share for ranking)"))
                }
            }
            return DriverModel(group: groupName, regression: regression, importance: importance, bootstrap: bootstrap,
                               correlations: correlations, rows: data.usedRows.map { $0 - 1 }, weights: data.weights, notes: notes + regression.notes.filter { $0.kind != .varianceInflation })
        }

        var models: [DriverModel] = []
        guard usedRows.count >= minimum else {
            throw ModelError.tooFewObservations(observations: usedRows.count, parameters: p + 1)
        }
        models.append(try fitModel(nil, usedRows))
        var skipped: [SkippedGroup] = []
        if let group {
            var rowsOfLevel = [[Int]](repeating: [], count: group.levels.count)
            for row in usedRows { rowsOfLevel[Int(group.codes[row])].append(row) }
            var present = [Bool](repeating: false, count: group.levels.count)
            for row in 0..<n where !isEmptyLine[row] { present[Int(group.codes[row])] = true }
            let levels = group.levels.indices.filter { present[$0] && !blankLevel![$0] }
            for level in levels.sorted(by: { group.levels[$0].compare(group.levels[$1], options: .numeric) == .orderedAscending }) {
                let value = group.levels[level], rows = rowsOfLevel[level]
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
                            minimumObservations: minimum, rows: ledger.accounting,
                            designSummary: design?.description, reliability: reliability(table))
    }

    /// Cronbach's alpha per factor over every non-empty row that answers all of the factor's criteria
    /// (reversed items scored as the instrument says), as `sipas alpha` computes it.
    static func reliability(_ table: ResponseTable) -> [FactorReliability] {
        var emptyLines = RowLedger(rowCount: table.rowCount)
        let emptyLine = emptyLines.code(for: ExclusionReason.emptyLine)
        for row in table.emptyLineRows { emptyLines.exclude(row, code: emptyLine) }
        return table.instrument.contents.flatMap(\.factors).map { factor in
            let items = factor.criteria.compactMap { table.column(for: $0.id) }.map { column in
                Variable(column.item.id, numbers: scores(column))
            }
            guard items.count >= 2 else {
                return FactorReliability(factor: factor, result: nil, note: "fewer than two criteria: no alpha")
            }
            do {
                return FactorReliability(factor: factor, result: try ReliabilityAnalysis.cronbachAlpha(items: items, excludedBefore: emptyLines),
                                         note: nil)
            } catch {
                return FactorReliability(factor: factor, result: nil, note: "\(error)")
            }
        }
    }
}
