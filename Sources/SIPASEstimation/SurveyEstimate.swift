import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASSupport

/// A statistic of one variable, estimated under a survey design.
public enum SurveyStatistic: Equatable, Sendable {
    /// Weighted mean Σwy / Σw.
    case mean(String)
    /// Weighted total Σwy.
    case total(String)
    /// Share of respondents whose `variable` equals `level` (a mean of the indicator).
    case proportion(String, level: String)
    /// Ratio of totals Σwy / Σwx.
    case ratio(String, String)

    public var name: String {
        switch self {
        case .mean: return "mean"
        case .total: return "total"
        case .proportion: return "proportion"
        case .ratio: return "ratio"
        }
    }

    public var variable: String {
        switch self {
        case .mean(let v), .total(let v): return v
        case .proportion(let v, let level): return "\(v)=\(level)"
        case .ratio(let y, let x): return "\(y)/\(x)"
        }
    }

    var columns: [String] {
        switch self {
        case .mean(let v), .total(let v), .proportion(let v, _): return [v]
        case .ratio(let y, let x): return [y, x]
        }
    }
}

/// One estimate of `sipas estimate`.
public struct SurveyEstimate: Sendable {
    public var statistic: SurveyStatistic
    public var group: [GroupValue]
    public var estimate: Double?
    public var standardError: Double?
    public var lower: Double?
    public var upper: Double?
    public var degreesOfFreedom: Int
    /// Respondents with a value in the group.
    public var n: Int
    public var designEffect: Double?
    public var method: String
    public var notes: [Note]
}

public struct SurveyEstimationResult: Sendable {
    public var source: String
    public var designSummary: LocalizedText
    /// The `where` filter and how many rows it left out of every estimate (they stay in the design).
    public var filtered: (description: String, count: Int)?
    public var degreesOfFreedom: Int
    public var estimates: [SurveyEstimate]
    /// Per statistic: rows without a usable value (they stay in the design with zero influence).
    public var missing: [(statistic: String, count: Int)]
    public var rowsRead: Int
}

/// Means, totals, proportions and ratios with design-based standard errors (Taylor linearization), overall
/// and by domain, as R `survey::svymean`, `svytotal`, `svyciprop`, `svyratio` and `svyby` compute them.
///
/// Influence values: mean zᵢ = wᵢ(yᵢ − ȳ)/Σw; total zᵢ = wᵢyᵢ; ratio zᵢ = wᵢ(yᵢ − R̂xᵢ)/Σwx; a domain uses
/// only its rows (others have zᵢ = 0), so domains are subpopulations of the whole design. Intervals for
/// means, totals and ratios are estimate ± t(df)·SE with the design's degrees of freedom; proportions also
/// offer the logit and Korn–Graubard (beta) intervals of `svyciprop`. On a replicate-weight design the variance
/// is the replicates' (each replicate's estimate recomputed with its weights, as `svrepdesign`), with their
/// degrees of freedom. Lumley (2010), §2.3–2.4, §2.8, §3.
public enum SurveyEstimation {
    public static func run(table: ResponseTable, statistics: [SurveyStatistic], by groupColumns: [String] = [],
                           design specification: DesignSpecification, proportionMethod: AnalyticIntervalMethod = .t,
                           confidenceLevel: Double = 0.95, threads: Int = Execution.defaultThreads) throws -> SurveyEstimationResult
    {
        let emptyLines = Set(table.emptyLineRows)
        let rows = (0..<table.rowCount).filter { !emptyLines.contains($0) }
        let design = specification.isEmpty ? SurveyDesign.simpleRandomSample(rows: rows.count)
            : try specification.build(table: table, rows: rows)
        let groupingColumns = try groupColumns.map { try table.requireMetadata($0) }
        var groups: [([GroupValue], [Int])] = [([], Array(rows.indices))]
        if !groupingColumns.isEmpty {
            var byKey: [[UInt32]: [Int]] = [:]
            for (index, row) in rows.enumerated() where !groupingColumns.contains(where: { $0[row].isEmpty }) {
                byKey[groupingColumns.map { $0.codes[row] }, default: []].append(index)
            }
            groups = byKey.map { key, members in
                (zip(groupingColumns, key).map { GroupValue(column: $0.name, value: $0.levels[Int($1)]) }, members)
            }.sorted { lhs, rhs in
                for (a, b) in zip(lhs.0, rhs.0) where a.value != b.value {
                    return a.value.compare(b.value, options: .numeric) == .orderedAscending
                }
                return false
            }
        }
        var estimates: [SurveyEstimate] = []
        var missing: [(String, Int)] = []
        for statistic in statistics {
            // Per design row: y (and x for ratios), nil when missing.
            var y = [Double?](repeating: nil, count: rows.count)
            var x = [Double?](repeating: 1, count: rows.count)
            switch statistic {
            case .mean(let name), .total(let name):
                let values = try table.requireMetadata(name).numbers(file: table.source, decimal: table.decimalRule)
                y = rows.map { values[$0] }
            case .proportion(let name, let level):
                let column = try table.requireMetadata(name)
                guard column.levels.contains(level) else {
                    throw DataError(file: table.source, column: name,
                                    message: "no row has the value '\(level)' (the column has \(column.levels.filter { !$0.isEmpty }.count) "
                                        + "distinct values; they are not listed, as the column may hold personal data): check the spelling")
                }
                y = rows.map { column[$0].isEmpty ? nil : (column[$0] == level ? 1 : 0) }
            case .ratio(let numerator, let denominator):
                let top = try table.requireMetadata(numerator).numbers(file: table.source, decimal: table.decimalRule)
                let bottom = try table.requireMetadata(denominator).numbers(file: table.source, decimal: table.decimalRule)
                y = rows.map { top[$0] }
                x = rows.map { bottom[$0] }
            }
            let usable = (0..<rows.count).map { y[$0] != nil && x[$0] != nil && table.passesFilter(rows[$0]) }
            missing.append((statistic.variable, (0..<rows.count).filter { y[$0] == nil || x[$0] == nil }.count))
            for (group, members) in groups {
                // The domain as R's svyby sees it (subset(design, group)): its rows, with or without a value,
                // and its degrees of freedom; svyciprop's beta and logit intervals use both.
                let domain = group.isEmpty && table.rowFilter == nil ? nil : members.filter { table.passesFilter(rows[$0]) }
                estimates.append(try estimate(statistic, group: group, members: members.filter { usable[$0] },
                                              y: y, x: x, design: design, proportionMethod: proportionMethod,
                                              level: confidenceLevel, threads: threads,
                                              domain: domain.map { (rows: $0.count, df: design.degreesOfFreedom(domain: $0)) }))
            }
        }
        let filtered = table.rowFilter.map { filter in (filter.description, rows.filter { !filter.keep[$0] }.count) }
        return SurveyEstimationResult(source: table.source, designSummary: design.description,
                                      filtered: filtered.map { (description: $0.0, count: $0.1) },
                                      degreesOfFreedom: design.degreesOfFreedom, estimates: estimates,
                                      missing: missing, rowsRead: table.rowCount)
    }

    static func estimate(_ statistic: SurveyStatistic, group: [GroupValue], members: [Int], y: [Double?], x: [Double?],
                         design: SurveyDesign, proportionMethod: AnalyticIntervalMethod, level: Double, threads: Int = 1,
                         domain: (rows: Int, df: Int)? = nil) throws -> SurveyEstimate
    {
        let df = design.degreesOfFreedom
        var result = SurveyEstimate(statistic: statistic, group: group, estimate: nil, standardError: nil, lower: nil,
                                    upper: nil, degreesOfFreedom: df, n: members.count, designEffect: nil, method: "t",
                                    notes: [])
        guard !members.isEmpty else { result.notes = [Note(.notEstimated, vi: "không có người trả lời nào có giá trị", en: "no respondents with a value")]; return result }
        let w = design.weights
        var z = [Double](repeating: 0, count: design.rowCount)
        let weightSum = members.reduce(0) { $0 + w[$1] }
        let value: Double
        var srsResiduals: [Double] = []
        switch statistic {
        case .total:
            value = members.reduce(0) { $0 + w[$1] * y[$1]! }
            for i in members { z[i] = w[i] * y[i]! }
        case .mean, .proportion:
            value = members.reduce(0) { $0 + w[$1] * y[$1]! } / weightSum
            for i in members { z[i] = w[i] * (y[i]! - value) / weightSum }
            srsResiduals = members.map { y[$0]! - value }
        case .ratio:
            let denominator = members.reduce(0) { $0 + w[$1] * x[$1]! }
            guard denominator != 0 else { result.notes = [Note(.notEstimated, vi: "tổng của mẫu số bằng 0", en: "the denominator total is zero")]; return result }
            value = members.reduce(0) { $0 + w[$1] * y[$1]! } / denominator
            for i in members { z[i] = w[i] * (y[i]! - value * x[i]!) / denominator }
        }
        // An interval is never given without its estimate (sums that overflow give neither).
        guard value.isFinite else { result.notes = [Note(.notEstimated, vi: "các tổng có trọng số không phải là số hữu hạn", en: "the weighted sums are not finite numbers")]; return result }
        let variance: Double
        if let replicates = design.replicates {
            // Each replicate's estimate with that replicate's weights (R survey's svrVar over svrepdesign).
            let values = try replicates.replicate(threads: threads) { weights in
                Self.pointEstimate(statistic, members: members, y: y, x: x, weights: weights)
            }
            let replicated = replicates.variance(estimate: value, values: values)
            variance = replicated.variance
            if let note = replicates.droppedNote(replicated.dropped) { result.notes.append(note) }
            if !variance.isFinite {
                result.estimate = value
                return result
            }
        } else {
            variance = try design.variance(z)
        }
        let se = variance.squareRoot()
        result.estimate = value
        guard variance.isFinite else { result.notes = [Note(.noStandardError, vi: "phương sai không phải là số hữu hạn", en: "the variance is not a finite number")]; return result }
        result.standardError = se
        if !srsResiduals.isEmpty && members.count > 1 {
            // R's deff: variance under simple random sampling without replacement of the same size,
            // s²_w (N̂ − n)/(N̂ n) with s²_w the weighted variance with the n/(n − 1) correction.
            let n = Double(members.count)
            let weighted = zip(members, srsResiduals).reduce(0) { $0 + w[$1.0] * $1.1 * $1.1 } / weightSum * n / (n - 1)
            let srs = weighted / n * (weightSum > n ? (weightSum - n) / weightSum : 1)
            if srs > 0 { result.designEffect = variance / srs }
        }
        let t = Distribution.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: Double(max(1, df)))
        if case .proportion = statistic, proportionMethod != .t {
            let interval = Interval.compute(proportionMethod, IntervalInput(
                estimate: value, variance: variance, lowerBound: 0, upperBound: 1, degreesOfFreedom: domain?.df ?? df,
                respondents: members.count, designRows: domain?.rows ?? design.rowCount, level: level))
            result.degreesOfFreedom = domain?.df ?? df
            result.lower = interval.lower
            result.upper = interval.upper
            result.method = interval.method.rawValue
            result.notes += interval.notes
        } else {
            result.lower = value - t * se
            result.upper = value + t * se
        }
        return result
    }
}

extension SurveyEstimation {
    /// The statistic over `members` with `weights` (one per design row): NaN when its denominator is zero.
    static func pointEstimate(_ statistic: SurveyStatistic, members: [Int], y: [Double?], x: [Double?], weights w: [Double]) -> Double {
        switch statistic {
        case .total:
            return members.reduce(0) { $0 + w[$1] * y[$1]! }
        case .mean, .proportion:
            let weightSum = members.reduce(0) { $0 + w[$1] }
            return weightSum > 0 ? members.reduce(0) { $0 + w[$1] * y[$1]! } / weightSum : .nan
        case .ratio:
            let denominator = members.reduce(0) { $0 + w[$1] * x[$1]! }
            return denominator != 0 ? members.reduce(0) { $0 + w[$1] * y[$1]! } / denominator : .nan
        }
    }
}

extension Instrument {
    /// An instrument with no items: every column of a file is read as text (for generic estimation).
    public static let none = Instrument(id: "none", title: LocalizedText(vi: "Không có bộ câu hỏi", en: "No instrument"), contents: [])
}
