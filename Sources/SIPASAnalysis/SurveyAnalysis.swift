import Foundation
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASModels
import SIPASSupport

/// Forms issued, returned and valid, and re-check (phúc tra) outcomes, as the fieldwork team reports them
/// (seed 002, I.7 and I.9). Every field is optional: only what is given is shown.
public struct Fieldwork: Equatable, Sendable {
    public var issued: Int?
    public var returned: Int?
    public var valid: Int?
    public var rechecked: Int?
    public var recheckConfirmed: Int?
    public var recheckUnreachable: Int?
    public var recheckRefused: Int?
    public init(issued: Int? = nil, returned: Int? = nil, valid: Int? = nil, rechecked: Int? = nil,
                recheckConfirmed: Int? = nil, recheckUnreachable: Int? = nil, recheckRefused: Int? = nil) {
        self.issued = issued; self.returned = returned; self.valid = valid; self.rechecked = rechecked
        self.recheckConfirmed = recheckConfirmed; self.recheckUnreachable = recheckUnreachable; self.recheckRefused = recheckRefused
    }
}

/// Choices for `SurveyAnalysis.run`: what is estimated and how it is tested.
public struct SurveyAnalysisOptions: Sendable {
    /// The unit column (e.g. unit_id).
    public var groupColumn: String
    /// The headline index compared between units and years (SIPAS by default).
    public var indexID: String
    /// Interval method, design, confidence level, bootstrap replicates and seed (for --ranks).
    public var index: IndexOptions
    /// p-value adjustment within each family of comparisons (see `IndexComparison`).
    public var adjustment: PValueAdjustment
    /// Threshold for the "units at or above" statement, percent.
    public var threshold: Double
    /// Estimates based on fewer responses are not tested in the province-index changes (Biểu số 6a).
    public var minimumN: Int
    public var pairwise: Bool
    public var ranks: Bool
    /// Fit the driver model and priorities when the instrument has an overall item.
    public var drivers: Bool
    /// Bootstrap replicates (0: none) and seed for the driver-importance intervals.
    public var driverReplicates: Int
    public var driverSeed: UInt64
    /// A column that groups the units into levels (e.g. unit_level: departments, districts, communes).
    public var levelColumn: String?
    /// A column with each unit's display name (default: `unit_name` when the data has it).
    public var unitLabelColumn: String?
    public var fieldwork: Fieldwork

    public init(groupColumn: String, indexID: String = "SIPAS", index: IndexOptions = .init(), adjustment: PValueAdjustment = .holm,
                threshold: Double = 90, minimumN: Int = 1, pairwise: Bool = false, ranks: Bool = false, drivers: Bool = true,
                driverReplicates: Int = 200, driverSeed: UInt64 = 2024, levelColumn: String? = nil, unitLabelColumn: String? = nil,
                fieldwork: Fieldwork = .init()) {
        self.groupColumn = groupColumn; self.indexID = indexID; self.index = index; self.adjustment = adjustment
        self.threshold = threshold; self.minimumN = minimumN; self.pairwise = pairwise; self.ranks = ranks; self.drivers = drivers
        self.driverReplicates = driverReplicates; self.driverSeed = driverSeed; self.levelColumn = levelColumn
        self.unitLabelColumn = unitLabelColumn; self.fieldwork = fieldwork
    }
}

/// The driver model and its priorities, or why there is none.
public enum DriverFindings: Sendable {
    case fitted(DriverResult, [ModelPriorities])
    /// The model could not be fitted: why, in both languages (the error's own texts when it has them).
    case failed(LocalizedText)
}

/// Respondents in one group of a background variable (gender, age group, channel, unit level), unweighted.
public struct RespondentGroup: Equatable, Sendable {
    /// The column, e.g. "gender".
    public var variable: String
    /// The value as in the data ("" for blank).
    public var value: String
    public var count: Int
}

/// Everything the annual report states, computed once: indices with intervals (province and units), units
/// against the province and against the previous wave, every province index then and now, drivers and
/// priorities, fieldwork and respondent composition. `SurveyReport` only lays this value out, and
/// `sipas compare` prints its `comparison` — so a quantity has one test and one adjusted p wherever it is shown.
public struct SurveyAnalysis: Sendable {
    public var options: SurveyAnalysisOptions
    /// Indices by unit, unit vs province, unit and province vs previous wave (`comparison.current` holds every
    /// index estimate; `comparison.previous` the earlier wave's).
    public var comparison: IndexComparisonResult
    /// Every province index then and now (empty without a previous wave).
    public var provinceChanges: [IndexChange]
    /// `nil` when not asked for or when the instrument has no overall item (or the data lacks its column).
    public var drivers: DriverFindings?
    public var fieldwork: Fieldwork
    /// Unweighted counts of the rows used, by background variable, in the order of `compositionVariables`.
    public var composition: [RespondentGroup]
    /// Rows used by the index analysis.
    public var respondentsUsed: Int
    /// The composition within each level (`levelColumn`), as `composition` is for all rows, with the level's
    /// count of rows used (Biểu số 2 for the departments, 2a for the districts: seed 002 II.1). Empty without levels.
    public var compositionByLevel: [String: (groups: [RespondentGroup], used: Int)] = [:]
    /// Unit code → display name (from `unitLabelColumn`, else a `unit_name` column; for codes neither names,
    /// the file's value labels of the unit column (SPSS/Stata); empty when there are none).
    public var unitNames: [String: String]
    /// The file's value labels (SPSS/Stata) of the level column and the composition variables: column → code →
    /// label, shown instead of a bare code.
    public var valueLabels: [String: [String: String]] = [:]
    /// Unit code → level (from `levelColumn`; empty without one).
    public var unitLevels: [String: String]
    /// The levels in first-seen order.
    public var levels: [String]
    /// Each level's own headline index: all respondents of the level's units pooled, as Sơn La's "Chỉ số SIPAS
    /// nói chung" of the departments and of the districts (seed 002 II.2.1); a domain of the same design.
    public var levelIndices: [String: IndexEstimate]
    /// Every index (SIPAS, contents, factors) of each level, respondents of the level's units pooled, from the
    /// same run as `levelIndices`: the "Chung" figures of the per-factor summaries by level (seed 002 II.2.2).
    public var levelEstimates: [String: [IndexEstimate]] = [:]
    /// Each level's headline index now against the previous wave (both waves' respondents of the level pooled),
    /// tested as the units' changes are (`IndexComparison.unitChanges`: Welch, adjusted together across the
    /// levels); `subject` is `.unit(level)`. Empty without a level column or a previous wave that has it.
    public var levelChanges: [IndexDifference] = []
    /// Units the previous wave has and this one does not (codes, in the previous wave's order): listed, not dropped.
    public var unitsOnlyInPrevious: [String] = []
    /// The survey year: the data's `year` column when it holds one value.
    public var year: Int?
    /// The data set's file name (never a full path).
    public var dataSet: String
    /// The province indices across earlier waves and this one (the report's "across the waves" section), when
    /// asked for; its last wave is this analysis's own `indices`, so the two never disagree.
    public var waves: TrendResult?

    public var indices: IndexResult { comparison.current }
    public var instrument: Instrument { comparison.current.instrument }
    /// 1 − confidence level: a difference is significant when its adjusted p is below this.
    public var significanceLevel: Double { comparison.significanceLevel }

    /// Background variables counted for the composition table.
    public static let compositionVariables = ["gender", "age_group", "channel", "unit_level"]

    /// Runs every analysis the report needs once.
    ///
    /// - Throws: the analyses' errors (missing columns, design errors naming file, row and column), and
    ///   `DesignError.invalid` for a `levelColumn` or `unitLabelColumn` the data does not have. A driver
    ///   model that cannot be fitted is not an error: it becomes `.failed` and the report says why.
    public static func run(table: ResponseTable, previous: ResponseTable? = nil, options: SurveyAnalysisOptions) throws -> SurveyAnalysis {
        for (flag, column) in [("--level", options.levelColumn), ("--unit-label", options.unitLabelColumn)] {
            if let column, table.metadata(named: column) == nil {
                throw DesignError.invalid("\(flag): no column '\(column)' in the data")
            }
        }
        let comparison = try IndexComparison.run(current: table, previous: previous, by: options.groupColumn, indexID: options.indexID,
                                                 options: options.index, adjustment: options.adjustment, pairwise: options.pairwise,
                                                 ranks: options.ranks, threshold: options.threshold)
        let changes = comparison.previous.map {
            IndexComparison.provinceChanges(current: comparison.current, previous: $0, primaryID: options.indexID,
                                            adjustment: options.adjustment, minimumN: options.minimumN)
        } ?? []
        var drivers: DriverFindings?
        if options.drivers, let overall = table.instrument.overall, table.column(for: overall.id) != nil {
            var driverOptions = DriverOptions(groupColumn: options.groupColumn, design: options.index.design,
                                              standardErrors: options.index.design.isEmpty ? .hc3 : .design,
                                              replicates: options.driverReplicates, seed: options.driverSeed)
            driverOptions.execution = options.index.execution
            do {
                let result = try DriverAnalysis.run(table: table, options: driverOptions)
                drivers = .fitted(result, try DriverPriorities.compute(result: result, table: table))
            } catch {
                drivers = .failed(Self.reason(error))
            }
        }
        let rows = usedRows(table, groupColumn: options.groupColumn)
        let composition = Self.composition(table, rows: rows)
        var levels: [String] = []
        var unitLevels: [String: String] = [:]
        var levelIndices: [String: IndexEstimate] = [:]
        var levelEstimates: [String: [IndexEstimate]] = [:]
        var levelChanges: [IndexDifference] = []
        if let levelColumn = options.levelColumn {
            (unitLevels, levels) = try firstValues(table, key: options.groupColumn, value: levelColumn, flag: "--level")
            var levelOptions = options.index
            if levelOptions.intervalMethod.isBootstrap { levelOptions.intervalMethod = .beta }
            let byLevel = try IndexAnalysis.run(table: table, by: [levelColumn], options: levelOptions)
            for e in byLevel.estimates {
                guard let level = e.group.first?.value else { continue }
                levelEstimates[level, default: []].append(e)
                if e.id == options.indexID { levelIndices[level] = e }
            }
            if let previous, previous.metadata(named: levelColumn) != nil {
                let before = try IndexAnalysis.run(table: previous, by: [levelColumn], options: levelOptions)
                levelChanges = IndexComparison.unitChanges(current: byLevel, previous: before, indexID: options.indexID,
                                                           adjustment: options.adjustment)
            }
        }
        // An explicit --unit-label must be one value per unit; the default unit_name column is used only when it is.
        let names = table.namingCodes(of: options.groupColumn,
                                      try firstValues(table, key: options.groupColumn, value: options.unitLabelColumn ?? "unit_name",
                                                      flag: options.unitLabelColumn == nil ? nil : "--unit-label").map)
        let currentUnits = Set(comparison.units.map { $0.group[0].value })
        var onlyBefore: [String] = []
        for e in comparison.previous?.estimates ?? [] where e.id == options.indexID && e.group.count == 1 {
            let unit = e.group[0].value
            if !currentUnits.contains(unit) && !onlyBefore.contains(unit) { onlyBefore.append(unit) }
        }
        var analysis = SurveyAnalysis(options: options, comparison: comparison, provinceChanges: changes, drivers: drivers,
                                      fieldwork: options.fieldwork, composition: composition, respondentsUsed: rows.count,
                                      unitNames: names, unitLevels: unitLevels, levels: levels, levelIndices: levelIndices, year: year(table),
                                      dataSet: (comparison.current.source as NSString).lastPathComponent)
        analysis.levelChanges = levelChanges
        analysis.levelEstimates = levelEstimates
        for column in compositionVariables + [options.levelColumn].compactMap({ $0 }) {
            if let labels = table.valueLabels[column], !labels.isEmpty { analysis.valueLabels[column] = labels }
        }
        if let levelColumn = options.levelColumn, let column = table.metadata(named: levelColumn) {
            for level in levels {
                let inLevel = rows.filter { column[$0] == level }
                analysis.compositionByLevel[level] = (Self.composition(table, rows: inLevel, leaving: levelColumn), inLevel.count)
            }
        }
        analysis.unitsOnlyInPrevious = onlyBefore
        return analysis
    }

    /// An error as a reason in both languages: a `LocalizedFailure`'s own texts; any other error's description
    /// behind a Vietnamese sentence that says the technical detail is in English.
    static func reason(_ error: Error) -> LocalizedText {
        if let failure = error as? LocalizedFailure { return LocalizedText(vi: failure.text(.vi), en: failure.text(.en)) }
        return LocalizedText(vi: "lỗi kỹ thuật của phép tính (chi tiết bằng tiếng Anh: \(error))", en: "\(error)")
    }

    /// Unweighted counts of `rows` by each background variable present (`compositionVariables`, but `leaving`).
    static func composition(_ table: ResponseTable, rows: [Int], leaving: String? = nil) -> [RespondentGroup] {
        var composition: [RespondentGroup] = []
        for name in compositionVariables where name != leaving {
            guard let column = table.metadata(named: name) else { continue }
            var counts: [String: Int] = [:]
            for row in rows { counts[column[row], default: 0] += 1 }
            for value in counts.keys.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }) {
                composition.append(RespondentGroup(variable: name, value: value, count: counts[value]!))
            }
        }
        return composition
    }

    /// Rows the index analysis uses: not an empty line, in the filter, unit given, at least one criterion answered.
    static func usedRows(_ table: ResponseTable, groupColumn: String) -> [Int] {
        let empty = Set(table.emptyLineRows)
        let group = table.metadata(named: groupColumn)
        let criteria = table.instrument.criteria.compactMap { table.column(for: $0.id) }
        return (0..<table.rowCount).filter { row in
            !empty.contains(row) && table.passesFilter(row) && !(group?[row].isEmpty ?? false)
                && criteria.contains { $0.values[row] != 0 }
        }
    }

    /// key → the value of `value` on its rows (blank rows ignored), and the values in first-seen order.
    /// The value must be the same on every row of a key (a unit's name or level): a column that varies within a
    /// unit — respondents' own answers, possibly personal data — is refused, and the error names the column
    /// and the unit but prints none of its values.
    static func firstValues(_ table: ResponseTable, key: String, value: String, flag: String? = nil) throws -> (map: [String: String], order: [String]) {
        guard let keys = table.metadata(named: key), let values = table.metadata(named: value) else { return ([:], []) }
        var map: [String: String] = [:]
        var order: [String] = []
        var seen = Set<String>()
        for row in 0..<table.rowCount where table.passesFilter(row) && !keys[row].isEmpty && !values[row].isEmpty {
            if let known = map[keys[row]] {
                if known != values[row] {
                    guard let flag else { return ([:], []) }
                    throw DesignError.invalid("\(flag) \(value): unit \(keys[row]) has more than one value in this column (row \(row + 2)); "
                                              + "the column must hold one value per unit (its values are not shown)")
                }
                continue
            }
            map[keys[row]] = values[row]
            if seen.insert(values[row]).inserted { order.append(values[row]) }
        }
        return (map, order)
    }

    static func year(_ table: ResponseTable) -> Int? {
        guard let column = table.metadata(named: "year") else { return nil }
        let values = Set(column.levels.filter { !$0.isEmpty })
        return values.count == 1 ? Int(values.first!) : nil
    }

    /// The units of one level (all units without `levelColumn`), in the comparison's order.
    public func units(inLevel level: String?) -> [IndexEstimate] {
        guard let level else { return comparison.units }
        return comparison.units.filter { unitLevels[$0.group[0].value] == level }
    }

    /// The display name of a unit: "Name (code)", or the code alone when there is no name.
    public func displayName(_ unit: String) -> String { unitNames[unit].map { "\($0) (\(unit))" } ?? unit }
}
