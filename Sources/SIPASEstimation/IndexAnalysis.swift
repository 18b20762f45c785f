import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASSupport

/// The result of `IndexAnalysis.run`: every index with its interval, and the row ledger.
public struct IndexResult: Sendable {
    public var instrument: Instrument
    public var source: String
    public var groupColumns: [String]
    public var options: IndexOptions
    /// The design as declared and its degrees of freedom (PSUs − strata), or nil for simple random sampling.
    public var design: (summary: LocalizedText, strata: Int, psus: Int, degreesOfFreedom: Int)?
    public var confidenceLevel: Double { options.confidenceLevel }
    /// The replicates behind percentile and BCa intervals (method, count and seed, to reproduce them).
    public var bootstrap: BootstrapSummary?
    /// The sampling structure (declared design, or each respondent its own PSU), for comparisons.
    var structure: SurveyDesign?
    public var estimates: [IndexEstimate]
    /// A replicate-weight design's replicates: type, how many, and the variance's scale.
    public var replicates: (type: String, count: Int, scale: Double)? {
        structure?.replicates.map { ($0.type.rawValue, $0.count, $0.scale) }
    }
    public var rows: RowAccounting
    /// Cells set to missing because they were not valid answers (first `ResponseTable.invalidCellLimit`).
    public var invalidCells: [InvalidCell]
    public var invalidCellCount: Int
    /// Per item: blank cells, missing-code cells and invalid cells.
    public var itemMissingness: [ItemMissingness]
    /// Notes about the analysis as a whole (absent optional items, …).
    public var notes: [Note]
    /// The session's `where` filter the rows passed (its description), or nil: with one, "all rows" are the
    /// filtered rows, not the province.
    public var filter: String? = nil
}

public struct ItemMissingness: Equatable, Sendable {
    public var item: String
    public var answered: Int
    public var blank: Int
    /// Cells holding a missing code or a missing label ("Không biết"): a missing label counts like a code.
    public var missingCodes: Int
    public var invalid: Int
    /// Of `missingCodes`, the cells holding a missing label declared without a code, by label.
    public var missingLabels: [String: Int] = [:]
}

/// SIPAS indices as Lai Châu §6.2 and Khánh Hòa 2782 Art. 7 define them, with 95% intervals.
///
/// - Criterion index = (1c + 2d + 3e + 4g + 5h) / ((c + d + e + g + h) · 5) · 100 = mean score / 5 · 100
///   (interval4: / 4), over the respondents who answered that criterion.
/// - Factor index = mean of the factor's criterion indices; content index = mean of the content's criterion
///   indices (not of its factor indices); overall (SIPAS) = mean of all criterion indices.
///
/// Variance: a composite averages criterion means over different respondents, so it is linearized as a whole:
/// respondent i's influence is zᵢ = (1/k) Σⱼ wᵢ (yᵢⱼ − ȳⱼ)/Wⱼ over the criteria j they answered. Without a
/// design (simple random sampling) Var = m/(m−1) Σ zᵢ² over the m respondents who answered at least one of the
/// composite's criteria, which is exactly s²/n for one criterion, with m − 1 degrees of freedom. With a design,
/// Var is the design variance of z (`SurveyDesign.variance`) with the design's degrees of freedom; on a
/// replicate-weight design every index is recomputed with each replicate's weights and Var is the replicates'
/// variance (`ReplicateWeights.variance`, as R survey's svrepdesign), with their degrees of freedom.
/// Intervals follow `IndexOptions.intervalMethod` (default: Korn–Graubard, which stays inside the scale).
public enum IndexAnalysis {
    public static func run(table: ResponseTable, by groupColumns: [String] = [], options: IndexOptions = .init())
        throws -> IndexResult
    {
        let instrument = table.instrument
        let groupingColumns = try groupColumns.map { try table.requireMetadata($0) }

        let reasons = rowReasons(table: table, groupingColumns: groupingColumns)
        let labels = reasonLabels(table: table, groupingColumns: groupingColumns)
        let usedRows = (0..<table.rowCount).filter { reasons[$0] == nil }
        if usedRows.isEmpty { throw table.noUsableRows(reasons: reasons) }

        var grouping: [([GroupValue], [Int])] = [([], usedRows)]
        if !groupingColumns.isEmpty {
            var byKey: [[UInt32]: [Int]] = [:]
            for row in usedRows { byKey[groupingColumns.map { $0.codes[row] }, default: []].append(row) }
            let keyed = byKey.map { key, rows in
                (zip(groupingColumns, key).map { GroupValue(column: $0.name, value: $0.levels[Int($1)]) }, rows)
            }
            grouping += keyed.sorted { lhs, rhs in
                for (a, b) in zip(lhs.0, rhs.0) where a.value != b.value {
                    return a.value.compare(b.value, options: .numeric) == .orderedAscending
                }
                return false
            }
        }

        let groups = grouping

        // The design covers every row except empty lines; excluded rows stay in it with zero influence.
        let emptyLines = Set(table.emptyLineRows)
        let designRows = (0..<table.rowCount).filter { !emptyLines.contains($0) }
        let design = options.design.isEmpty ? nil : try options.design.build(table: table, rows: designRows)
        let structure = design ?? SurveyDesign.simpleRandomSample(rows: designRows.count)
        var calculator = IndexCalculator(table: table, options: options, design: design, structure: structure,
                                         designRows: designRows)
        if let replicates = design?.replicates {
            if options.intervalMethod.isBootstrap {
                throw DesignError.invalid("--ci \(options.intervalMethod.rawValue): a replicate-weight design (the design file's replicates block) "
                                          + "takes its variance from its replicates; use --ci beta, logit or t")
            }
            calculator.replicateValues = try replicateValues(replicates, table: table, options: options, structure: structure,
                                                             designRows: designRows, groups: groups)
        }
        // Groups are independent: computed on `execution.threads` threads, in a fixed order, with the same numbers on any count.
        var estimates = try groups.parallelMap(threads: options.execution.threads) { group, rows in try calculator.estimates(rows: rows, group: group) }
            .flatMap { $0 }
        var bootstrapSummary: BootstrapSummary?
        if options.intervalMethod.isBootstrap {
            let method = options.bootstrap.method ?? (options.design.clusters.isEmpty ? .respondent : .raoWu)
            let bootstrap = Bootstrap(design: structure, method: method, replicates: options.bootstrap.replicates,
                                      seed: options.bootstrap.seed, execution: options.execution)
            let slots = 2 * estimates.count
            let replicates: [[Double?]] = try bootstrap.replicate { weights in
                // A calibrated design's replicate that could not be calibrated again has no estimates.
                if weights.isEmpty { return [Double?](repeating: nil, count: slots) }
                let replicate = IndexCalculator(table: table, options: options, design: nil, structure: structure,
                                                designRows: designRows, replicateWeights: weights)
                var values: [Double?] = []
                for (group, rows) in groups {
                    for estimate in try replicate.estimates(rows: rows, group: group) {
                        values.append(estimate.index.estimate)
                        values.append(estimate.shareSatisfied?.estimate)
                    }
                }
                return values
            }
            for index in estimates.indices {
                estimates[index].index = applyBootstrap(estimates[index].index, replicates.map { $0[2 * index] },
                                                        options: options, notes: &estimates[index].notes)
                if let share = estimates[index].shareSatisfied {
                    var ignored: [Note] = []
                    estimates[index].shareSatisfied = applyBootstrap(share, replicates.map { $0[2 * index + 1] },
                                                                     options: options, notes: &ignored)
                }
            }
            bootstrapSummary = BootstrapSummary(method: method, replicates: options.bootstrap.replicates,
                                                seed: options.bootstrap.seed,
                                                strataWithSinglePSU: bootstrap.strataWithSinglePSU,
                                                indexValues: options.keepReplicates
                                                    ? replicates.map { values in estimates.indices.map { values[2 * $0] } } : nil)
        }

        var notes: [Note] = table.warnings
        for item in table.absentItems {
            notes.append(Note(.notEstimated, vi: "tệp không có cột cho câu \(item.role.rawValue) '\(item.id)': không ước lượng",
                              en: "the file has no column for \(item.role.rawValue) item '\(item.id)'; it is not estimated"))
        }
        let missingness = table.items.map {
            ItemMissingness(item: $0.item.id, answered: $0.answeredCount, blank: $0.blankCount,
                            missingCodes: $0.missingCodeCounts.values.reduce(0, +) + $0.missingLabelCounts.values.reduce(0, +),
                            invalid: $0.invalidCount, missingLabels: $0.missingLabelCounts)
        }
        return IndexResult(instrument: instrument, source: table.source, groupColumns: groupColumns, options: options,
                           design: design.map { ($0.description, $0.strataCount, $0.psuCount, $0.degreesOfFreedom) },
                           bootstrap: bootstrapSummary, structure: structure,
                           estimates: estimates, rows: RowAccounting(reasons: reasons, labels: labels),
                           invalidCells: table.invalidCells, invalidCellCount: table.invalidCellCount,
                           itemMissingness: missingness, notes: notes, filter: table.rowFilter?.description)
    }
}

extension IndexAnalysis {
    /// Every estimate's value in every replicate of a replicate-weight design (point estimates with that
    /// replicate's weights; NaN where a replicate leaves an estimate without answers), by
    /// `IndexCalculator.replicateKey`.
    static func replicateValues(_ replicates: ReplicateWeights, table: ResponseTable, options: IndexOptions, structure: SurveyDesign,
                                designRows: [Int], groups: [([GroupValue], [Int])]) throws -> [String: [Double]] {
        let runs: [[(String, Double)]] = try replicates.replicate(threads: options.execution.threads) { weights in
            let replicate = IndexCalculator(table: table, options: options, design: nil, structure: structure,
                                            designRows: designRows, replicateWeights: weights)
            var values: [(String, Double)] = []
            for (group, rows) in groups {
                for estimate in try replicate.estimates(rows: rows, group: group) {
                    values.append((IndexCalculator.replicateKey(group: group, id: estimate.id, share: false), estimate.index.estimate ?? .nan))
                    if let share = estimate.shareSatisfied {
                        values.append((IndexCalculator.replicateKey(group: group, id: estimate.id, share: true), share.estimate ?? .nan))
                    }
                }
            }
            return values
        }
        var result: [String: [Double]] = [:]
        for run in runs {
            for (key, value) in run { result[key, default: []].append(value) }
        }
        // An estimate missing from some replicate (a share not formed there) has no replicate variance.
        return result.filter { $0.value.count == replicates.count }
    }

    /// Why each row is left out of the indices (nil: used), in this order: an empty line, a `where` filter, a
    /// blank group value (`--by`), no criterion answered (all blank, missing codes or invalid).
    public static func rowReasons(table: ResponseTable, groupingColumns: [TextColumn] = []) -> [String?] {
        let criterionColumns = table.instrument.criteria.compactMap { table.column(for: $0.id) }
        var reasons = [String?](repeating: nil, count: table.rowCount)
        for row in table.emptyLineRows { reasons[row] = ExclusionReason.emptyLine.en }
        if let filter = table.rowFilter {
            let filtered = ExclusionReason.filtered(filter.description).en
            for row in 0..<table.rowCount where reasons[row] == nil && !filter.keep[row] { reasons[row] = filtered }
        }
        let blankGroups = groupingColumns.map { ExclusionReason.blankGroup($0.name).en }
        for row in 0..<table.rowCount where reasons[row] == nil {
            if let blank = groupingColumns.indices.first(where: { groupingColumns[$0][row].isEmpty }) {
                reasons[row] = blankGroups[blank]
            } else if !criterionColumns.contains(where: { $0.values[row] != 0 }) {
                reasons[row] = ExclusionReason.noCriterionAnswered.en
            }
        }
        return reasons
    }

    /// The reasons `rowReasons` can give, in both languages (for the ledger's Vietnamese texts).
    public static func reasonLabels(table: ResponseTable, groupingColumns: [TextColumn] = []) -> [LocalizedText] {
        [ExclusionReason.emptyLine, ExclusionReason.noCriterionAnswered]
            + (table.rowFilter.map { [ExclusionReason.filtered($0.description)] } ?? [])
            + groupingColumns.map { ExclusionReason.blankGroup($0.name) }
    }
}

/// What a bootstrap run used.
public struct BootstrapSummary: Sendable {
    public var method: BootstrapMethod
    public var replicates: Int
    public var seed: UInt64
    public var strataWithSinglePSU: Int
    /// Per replicate, each estimate's index value (kept when `IndexOptions.keepReplicates` is set).
    var indexValues: [[Double?]]?
}

extension IndexAnalysis {
    /// Replaces the provisional interval by the bootstrap one; the standard error becomes the replicates' SD.
    static func applyBootstrap(_ estimate: PercentEstimate, _ replicates: [Double?], options: IndexOptions,
                               notes: inout [Note]) -> PercentEstimate {
        guard let value = estimate.estimate, estimate.standardError != nil,
              let interval = BootstrapInterval.compute(options.intervalMethod, estimate: value, replicates: replicates,
                                                       acceleration: estimate.acceleration, level: options.confidenceLevel)
        else { return estimate }
        var result = estimate
        result.lower = interval.lower
        result.upper = interval.upper
        result.standardError = interval.standardError
        result.degreesOfFreedom = nil
        result.method = options.intervalMethod.rawValue
        notes = notes.filter { $0.kind != .effectiveSampleSize && $0.kind != .logitFallback } + interval.notes
        return result
    }
}
