import Foundation
import SIPASData
import SIPASDesign

/// Adjustment of p-values across a family of comparisons.
public enum PValueAdjustment: String, CaseIterable, Sendable {
    /// Holm (1979): controls the family-wise error rate; never less powerful than Bonferroni.
    case holm
    /// Benjamini & Hochberg (1995): controls the false discovery rate.
    case bh
    case none

    /// Adjusted p-values in the input order (R's `p.adjust`).
    public func adjust(_ p: [Double]) -> [Double] {
        let m = p.count
        guard m > 1, self != .none else { return p }
        var adjusted = [Double](repeating: 0, count: m)
        switch self {
        case .holm:
            let order = p.indices.sorted { p[$0] < p[$1] }
            var running = 0.0
            for (rank, index) in order.enumerated() {
                running = max(running, min(1, Double(m - rank) * p[index]))
                adjusted[index] = running
            }
        case .bh:
            let order = p.indices.sorted { p[$0] > p[$1] }
            var running = 1.0
            for (position, index) in order.enumerated() {
                let rank = m - position
                running = min(running, min(1, Double(m) / Double(rank) * p[index]))
                adjusted[index] = running
            }
        case .none:
            return p
        }
        return adjusted
    }
}

/// One difference between two index estimates.
public struct IndexDifference: Sendable {
    /// What is compared, e.g. "U05 − province", "U05: 2024 − 2023", "U05 − U07".
    public var label: String
    public var first: String
    public var second: String
    public var estimate: Double
    public var standardError: Double
    public var lower: Double
    public var upper: Double
    public var degreesOfFreedom: Double
    public var pValue: Double
    public var adjustedPValue: Double
}

/// A unit's rank (1 = highest index) with a bootstrap interval.
public struct RankInterval: Sendable {
    public var unit: String
    public var estimate: Double
    public var rank: Int
    public var lower: Int
    public var upper: Int
}

/// Sơn La–style statements about the units (seed 002, II.2), each with how many are statistically significant.
public struct UnitSummary: Sendable {
    public var units: Int
    public var threshold: Double
    public var atLeastThreshold: Int
    /// Units whose interval lies entirely at or above the threshold.
    public var significantlyAtLeastThreshold: Int
    public var aboveProvince: Int
    public var significantlyAboveProvince: Int
    public var belowProvince: Int
    public var significantlyBelowProvince: Int
    public var betterThanPrevious: Int?
    public var significantlyBetter: Int?
    public var worseThanPrevious: Int?
    public var significantlyWorse: Int?
    public var highest: (unit: String, value: Double)?
    public var lowest: (unit: String, value: Double)?
    public var median: Double?
}

public struct IndexComparisonResult: Sendable {
    public var indexID: String
    public var groupColumn: String
    public var adjustment: PValueAdjustment
    public var province: IndexEstimate
    public var units: [IndexEstimate]
    public var unitsVersusProvince: [IndexDifference]
    public var versusPrevious: [IndexDifference]
    public var pairwise: [IndexDifference]
    public var ranks: [RankInterval]
    public var rankBootstrap: BootstrapSummary?
    public var summary: UnitSummary
    public var current: IndexResult
}

/// Comparisons of one index between units, with the province and with an earlier wave.
///
/// - Unit vs province: the unit is part of the province, so the two estimates are correlated. The variance of
///   the difference is the design variance of the difference of their influence values, zᵤ − z_P, which
///   accounts for the overlap exactly (Lumley 2010, §3.3 on domain contrasts).
/// - Unit vs unit: domains of one design; the variance is the design variance of zₐ − z_b (covariance
///   through shared strata is included).
/// - Year vs year: independent samples, Var = V₁ + V₂, with Welch–Satterthwaite degrees of freedom
///   (V₁ + V₂)² / (V₁²/df₁ + V₂²/df₂).
/// p-values are two-sided from Student's t; adjusted across each family with Holm or Benjamini–Hochberg.
public enum IndexComparison {
    public static func run(current table: ResponseTable, previous: ResponseTable?, by groupColumn: String,
                           indexID: String = "SIPAS", options: IndexOptions, adjustment: PValueAdjustment = .holm,
                           pairwise: Bool = false, ranks: Bool = false, threshold: Double = 90) throws -> IndexComparisonResult
    {
        var analytic = options
        analytic.keepInfluence = true
        if analytic.intervalMethod.isBootstrap { analytic.intervalMethod = .beta }
        let current = try IndexAnalysis.run(table: table, by: [groupColumn], options: analytic)
        guard let structure = current.structure else { throw DesignError.invalid("internal: no sampling structure") }
        let rows = current.estimates.filter { $0.id == indexID }
        guard let province = rows.first(where: { $0.group.isEmpty }) else {
            let ids = Set(current.estimates.map(\.id)).sorted().joined(separator: ", ")
            throw DesignError.invalid("no index '\(indexID)'; choose one of: \(ids)")
        }
        let units = rows.filter { !$0.group.isEmpty }
        let df = Double(current.design?.degreesOfFreedom ?? max(1, (province.n) - 1))
        let level = options.confidenceLevel

        func difference(_ label: String, _ a: IndexEstimate, _ b: IndexEstimate, first: String, second: String) throws -> IndexDifference? {
            guard let x = a.index.estimate, let y = b.index.estimate, let za = a.influence, let zb = b.influence else { return nil }
            let variance = try structure.variance(zip(za, zb).map { $0 - $1 })
            return make(label, first: first, second: second, estimate: x - y, variance: variance, df: df, level: level)
        }
        var versusProvince: [IndexDifference] = []
        for unit in units {
            let name = unit.group[0].value
            if let d = try difference("\(name) − province", unit, province, first: name, second: "province") { versusProvince.append(d) }
        }
        adjust(&versusProvince, adjustment)

        var pairs: [IndexDifference] = []
        if pairwise {
            for i in units.indices {
                for j in units.indices where j > i {
                    let a = units[i].group[0].value, b = units[j].group[0].value
                    if let d = try difference("\(a) − \(b)", units[i], units[j], first: a, second: b) { pairs.append(d) }
                }
            }
            adjust(&pairs, adjustment)
        }

        var versusPrevious: [IndexDifference] = []
        if let previous {
            let earlier = try IndexAnalysis.run(table: previous, by: [groupColumn], options: analytic)
            let earlierRows = earlier.estimates.filter { $0.id == indexID }
            let earlierDF = Double(earlier.design?.degreesOfFreedom ?? max(1, (earlierRows.first?.n ?? 2) - 1))
            for now in [province] + units {
                let name = now.group.first?.value ?? "province"
                guard let before = earlierRows.first(where: { $0.group.map(\.value) == now.group.map(\.value) }),
                      let x = now.index.estimate, let y = before.index.estimate,
                      let v1 = now.index.standardError.map({ $0 * $0 }), let v2 = before.index.standardError.map({ $0 * $0 })
                else { continue }
                let df1 = Double(now.index.degreesOfFreedom ?? Int(df)), df2 = Double(before.index.degreesOfFreedom ?? Int(earlierDF))
                let welch = (v1 + v2) * (v1 + v2) / (v1 * v1 / df1 + v2 * v2 / df2)
                versusPrevious.append(make("\(name): current − previous", first: "current", second: "previous",
                                           estimate: x - y, variance: v1 + v2, df: welch.isFinite ? welch : min(df1, df2), level: level))
            }
            adjust(&versusPrevious, adjustment)
        }

        var rankIntervals: [RankInterval] = []
        var rankBootstrap: BootstrapSummary?
        if ranks {
            var resampled = options
            resampled.intervalMethod = .percentile
            resampled.keepReplicates = true
            let bootstrapped = try IndexAnalysis.run(table: table, by: [groupColumn], options: resampled)
            let positions = bootstrapped.estimates.indices.filter {
                bootstrapped.estimates[$0].id == indexID && !bootstrapped.estimates[$0].group.isEmpty
            }
            let values = bootstrapped.bootstrap?.indexValues ?? []
            var rankDraws = [[Int]](repeating: [], count: positions.count)
            for replicate in values {
                let scores = positions.map { replicate[$0] ?? -.infinity }
                for (k, score) in scores.enumerated() { rankDraws[k].append(1 + scores.filter { $0 > score }.count) }
            }
            let pointScores = positions.map { bootstrapped.estimates[$0].index.estimate ?? -.infinity }
            for (k, position) in positions.enumerated() {
                let sorted = rankDraws[k].sorted().map(Double.init)
                guard !sorted.isEmpty else { continue }
                rankIntervals.append(RankInterval(
                    unit: bootstrapped.estimates[position].group[0].value, estimate: pointScores[k],
                    rank: 1 + pointScores.filter { $0 > pointScores[k] }.count,
                    lower: Int(BootstrapInterval.quantile(sorted, (1 - level) / 2).rounded(.down)),
                    upper: Int(BootstrapInterval.quantile(sorted, 1 - (1 - level) / 2).rounded(.up))))
            }
            rankIntervals.sort { $0.rank < $1.rank }
            rankBootstrap = bootstrapped.bootstrap
            rankBootstrap?.indexValues = nil
        }

        // Sơn La–style summary.
        let values = units.compactMap { unit in unit.index.estimate.map { (unit.group[0].value, $0, unit) } }
        let sortedValues = values.map(\.1).sorted()
        let median = sortedValues.isEmpty ? nil : sortedValues.count % 2 == 1 ? sortedValues[sortedValues.count / 2]
            : (sortedValues[sortedValues.count / 2 - 1] + sortedValues[sortedValues.count / 2]) / 2
        let provinceValue = province.index.estimate ?? .nan
        var summary = UnitSummary(
            units: values.count, threshold: threshold,
            atLeastThreshold: values.filter { $0.1 >= threshold }.count,
            significantlyAtLeastThreshold: values.filter { ($0.2.index.lower ?? -.infinity) >= threshold }.count,
            aboveProvince: values.filter { $0.1 > provinceValue }.count,
            significantlyAboveProvince: versusProvince.filter { $0.estimate > 0 && $0.adjustedPValue < 1 - level }.count,
            belowProvince: values.filter { $0.1 < provinceValue }.count,
            significantlyBelowProvince: versusProvince.filter { $0.estimate < 0 && $0.adjustedPValue < 1 - level }.count,
            highest: values.max { $0.1 < $1.1 }.map { ($0.0, $0.1) }, lowest: values.min { $0.1 < $1.1 }.map { ($0.0, $0.1) },
            median: median)
        if previous != nil {
            let unitChanges = versusPrevious.filter { !$0.label.hasPrefix("province:") }
            summary.betterThanPrevious = unitChanges.filter { $0.estimate > 0 }.count
            summary.worseThanPrevious = unitChanges.filter { $0.estimate < 0 }.count
            summary.significantlyBetter = unitChanges.filter { $0.estimate > 0 && $0.adjustedPValue < 1 - level }.count
            summary.significantlyWorse = unitChanges.filter { $0.estimate < 0 && $0.adjustedPValue < 1 - level }.count
        }
        return IndexComparisonResult(indexID: indexID, groupColumn: groupColumn, adjustment: adjustment, province: province,
                                units: units, unitsVersusProvince: versusProvince, versusPrevious: versusPrevious,
                                pairwise: pairs, ranks: rankIntervals, rankBootstrap: rankBootstrap, summary: summary,
                                current: current)
    }

    static func make(_ label: String, first: String, second: String, estimate: Double, variance: Double, df: Double,
                     level: Double) -> IndexDifference {
        let se = variance.squareRoot()
        let t = Distribution.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: df)
        let p = se > 0 ? 2 * Distribution.studentTCDF(-abs(estimate) / se, degreesOfFreedom: df) : (estimate == 0 ? 1 : 0)
        return IndexDifference(label: label, first: first, second: second, estimate: estimate, standardError: se,
                               lower: estimate - t * se, upper: estimate + t * se, degreesOfFreedom: df, pValue: p,
                               adjustedPValue: p)
    }

    static func adjust(_ differences: inout [IndexDifference], _ method: PValueAdjustment) {
        let adjusted = method.adjust(differences.map(\.pValue))
        for index in differences.indices { differences[index].adjustedPValue = adjusted[index] }
    }
}
