import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASSupport

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

/// Whose difference an `IndexDifference` is: the province as a whole, one unit, or a pair of units. Renderers
/// tell rows apart by this, never by parsing `label`.
public enum ComparisonSubject: Hashable, Sendable {
    case province
    case unit(String)
    case pair(String, String)

    /// The unit's code (`nil` for the province and for pairs).
    public var unit: String? { if case .unit(let id) = self { return id } else { return nil } }
    public var isProvince: Bool { self == .province }
}

/// One difference between two index estimates.
public struct IndexDifference: Sendable {
    /// Whose difference this is (typed; use it instead of parsing `label`).
    public var subject: ComparisonSubject
    /// What is compared, e.g. "U05 − province", "U05: current − previous", "U05 − U07".
    public var label: String
    public var first: String
    public var second: String
    public var estimate: Double
    public var standardError: Double
    public var lower: Double
    public var upper: Double
    public var degreesOfFreedom: Double
    /// The test's own two-sided p-value.
    public var pValue: Double
    /// The p-value adjusted within the comparison's family (equal to `pValue` for a family of one). Every
    /// "significant" statement in every output uses this one: `isSignificant(at:)`.
    public var adjustedPValue: Double

    /// Whether the difference is statistically significant: adjusted p < `alpha` (0.05 for 95% intervals).
    public func isSignificant(at alpha: Double) -> Bool { adjustedPValue < alpha }
}

/// One province index then and now (Biểu số 6a): the two estimates and their difference.
public struct IndexChange: Sendable {
    public var kind: IndexKind
    public var id: String
    public var label: LocalizedText
    public var previous: IndexEstimate
    public var current: IndexEstimate
    /// now − then, with its Welch test; `adjustedPValue` is adjusted within the family the change belongs to.
    public var difference: IndexDifference
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
    /// The earlier wave's analysis (by the same unit column, same options), when there is one.
    public var previous: IndexResult?
    /// 1 − confidence level: a difference is significant when its adjusted p is below this.
    public var significanceLevel: Double { 1 - current.confidenceLevel }

    /// The province's change since the previous wave (`nil` without one).
    public var provinceChange: IndexDifference? { versusPrevious.first { $0.subject == .province } }
    /// Each unit's change since the previous wave.
    public var unitChanges: [IndexDifference] { versusPrevious.filter { $0.subject.unit != nil } }
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
/// On a replicate-weight design each difference is recomputed in every replicate and its variance is the
/// replicates' (`ReplicateWeights.variance`, as R's svycontrast on an svrepdesign), with their df.
/// p-values are two-sided from Student's t; adjusted across each family with Holm or Benjamini–Hochberg.
///
/// Families (each difference belongs to exactly one, and its `adjustedPValue` is adjusted within it):
/// - units against the province: all units;
/// - pairs of units: all pairs;
/// - units against the previous wave: all units;
/// - the province against the previous wave: a family of one (the pre-specified headline comparison), so its
///   adjusted p equals its own p;
/// - the province's other indices against the previous wave (`provinceChanges`): every index but the headline one.
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
            if let replicates = structure.replicates {
                // A replicate-weight design: the difference recomputed in every replicate.
                guard let ra = a.replicateValues, let rb = b.replicateValues else { return nil }
                let variance = replicates.variance(estimate: x - y, values: zip(ra, rb).map { $0 - $1 }).variance
                guard variance.isFinite else { return nil }
                return make(label, first: first, second: second, estimate: x - y, variance: variance, df: df, level: level)
            }
            let variance = try structure.variance(zip(za, zb).map { $0 - $1 })
            return make(label, first: first, second: second, estimate: x - y, variance: variance, df: df, level: level)
        }
        var versusProvince: [IndexDifference] = []
        for unit in units {
            let name = unit.group[0].value
            if var d = try difference("\(name) − province", unit, province, first: name, second: "province") {
                d.subject = .unit(name)
                versusProvince.append(d)
            }
        }
        adjust(&versusProvince, adjustment)

        var pairs: [IndexDifference] = []
        if pairwise {
            for i in units.indices {
                for j in units.indices where j > i {
                    let a = units[i].group[0].value, b = units[j].group[0].value
                    if var d = try difference("\(a) − \(b)", units[i], units[j], first: a, second: b) {
                        d.subject = .pair(a, b)
                        pairs.append(d)
                    }
                }
            }
            adjust(&pairs, adjustment)
        }

        var versusPrevious: [IndexDifference] = []
        var earlier: IndexResult?
        if let previous {
            let before = try IndexAnalysis.run(table: previous, by: [groupColumn], options: analytic)
            earlier = before
            // The province's change is its own family (adjusted p = p); the units' changes are one family.
            if let then = before.estimates.first(where: { $0.id == indexID && $0.group.isEmpty }),
               let d = change(now: province, before: then, current: current, previous: before) {
                versusPrevious.append(d)
            }
            versusPrevious += unitChanges(current: current, previous: before, indexID: indexID, adjustment: adjustment)
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
                    lower: Int(OrderStatistics.quantile(sorted: sorted, (1 - level) / 2).rounded(.down)),
                    upper: Int(OrderStatistics.quantile(sorted: sorted, 1 - (1 - level) / 2).rounded(.up))))
            }
            rankIntervals.sort { $0.rank < $1.rank }
            rankBootstrap = bootstrapped.bootstrap
            rankBootstrap?.indexValues = nil
        }

        // Sơn La–style summary.
        let values = units.compactMap { unit in unit.index.estimate.map { (unit.group[0].value, $0, unit) } }
        let median = OrderStatistics.median(values.map(\.1))
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
            let unitChanges = versusPrevious.filter { $0.subject.unit != nil }
            summary.betterThanPrevious = unitChanges.filter { $0.estimate > 0 }.count
            summary.worseThanPrevious = unitChanges.filter { $0.estimate < 0 }.count
            summary.significantlyBetter = unitChanges.filter { $0.estimate > 0 && $0.adjustedPValue < 1 - level }.count
            summary.significantlyWorse = unitChanges.filter { $0.estimate < 0 && $0.adjustedPValue < 1 - level }.count
        }
        return IndexComparisonResult(indexID: indexID, groupColumn: groupColumn, adjustment: adjustment, province: province,
                                units: units, unitsVersusProvince: versusProvince, versusPrevious: versusPrevious,
                                pairwise: pairs, ranks: rankIntervals, rankBootstrap: rankBootstrap, summary: summary,
                                current: current, previous: earlier)
    }

    /// One estimate now against the same estimate in an independent earlier wave: difference now − then,
    /// Var = V₁ + V₂, Welch–Satterthwaite df (V₁ + V₂)² / (V₁²/df₁ + V₂²/df₂), where dfᵢ is the estimate's own
    /// df, else the wave's design df, else n − 1. The one implementation of the year-over-year test: `run` and
    /// `provinceChanges` both call it. Returns `nil` when either estimate or standard error is missing.
    /// Source: Lumley (2010) §3.3; Satterthwaite (1946).
    public static func change(now: IndexEstimate, before: IndexEstimate, current: IndexResult, previous: IndexResult) -> IndexDifference? {
        guard let x = now.index.estimate, let y = before.index.estimate,
              let s1 = now.index.standardError, let s2 = before.index.standardError else { return nil }
        let v1 = s1 * s1, v2 = s2 * s2
        func df(_ e: IndexEstimate, _ wave: IndexResult) -> Double {
            Double(e.index.degreesOfFreedom ?? wave.design?.degreesOfFreedom ?? max(1, e.n - 1))
        }
        let df1 = df(now, current), df2 = df(before, previous)
        let welch = Welch.degreesOfFreedom([(v1, df1), (v2, df2)])
        let name = now.group.first?.value ?? "province"
        return make("\(name): current − previous", first: "current", second: "previous", estimate: x - y, variance: v1 + v2,
                    df: welch ?? min(df1, df2), level: current.confidenceLevel)
    }

    /// Each unit's change of index `indexID` between two waves analysed by the same unit column, for the units
    /// both waves have (in `current`'s order), each tested with `change(now:before:…)` and adjusted together as one
    /// family — the units' year-over-year changes of `run` (Biểu số 6) and of `sipas trend --by`.
    public static func unitChanges(current: IndexResult, previous: IndexResult, indexID: String,
                                   adjustment: PValueAdjustment) -> [IndexDifference] {
        let earlier = previous.estimates.filter { $0.id == indexID && !$0.group.isEmpty }
        var changes: [IndexDifference] = []
        for now in current.estimates where now.id == indexID && !now.group.isEmpty {
            guard let then = earlier.first(where: { $0.group.map(\.value) == now.group.map(\.value) }),
                  var d = change(now: now, before: then, current: current, previous: previous) else { continue }
            let unit = now.group.map(\.value).joined(separator: " · ")
            d.subject = .unit(unit)
            d.label = "\(unit): current − previous"
            changes.append(d)
        }
        adjust(&changes, adjustment)
        return changes
    }

    /// Every province index then and now (Biểu số 6a), each tested with `change(now:before:…)`. The headline
    /// index (`primaryID`, e.g. SIPAS) is its own family, so its adjusted p is its p — the same number as
    /// `IndexComparisonResult.provinceChange`; the other indices are adjusted together with `adjustment`.
    /// Indices based on fewer than `minimumN` responses in either wave are left out (and not counted in the family).
    public static func provinceChanges(current: IndexResult, previous: IndexResult, primaryID: String = "SIPAS",
                                       adjustment: PValueAdjustment, minimumN: Int = 1) -> [IndexChange] {
        var changes: [IndexChange] = []
        for now in current.estimates where now.group.isEmpty && now.n >= minimumN {
            guard let before = previous.estimates.first(where: { $0.group.isEmpty && $0.kind == now.kind && $0.id == now.id }),
                  before.n >= minimumN, var d = change(now: now, before: before, current: current, previous: previous) else { continue }
            d.label = "province \(now.id): current − previous"
            changes.append(IndexChange(kind: now.kind, id: now.id, label: now.label, previous: before, current: now, difference: d))
        }
        let secondary = changes.indices.filter { changes[$0].id != primaryID }
        let adjusted = adjustment.adjust(secondary.map { changes[$0].difference.pValue })
        for (index, p) in zip(secondary, adjusted) { changes[index].difference.adjustedPValue = p }
        return changes
    }

    static func make(_ label: String, first: String, second: String, estimate: Double, variance: Double, df: Double,
                     level: Double) -> IndexDifference {
        let se = variance.squareRoot()
        let t = Distribution.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: df)
        let p = se > 0 ? 2 * Distribution.studentTCDF(-abs(estimate) / se, degreesOfFreedom: df) : (estimate == 0 ? 1 : 0)
        return IndexDifference(subject: .province, label: label, first: first, second: second, estimate: estimate, standardError: se,
                               lower: estimate - t * se, upper: estimate + t * se, degreesOfFreedom: df, pValue: p,
                               adjustedPValue: p)
    }

    static func adjust(_ differences: inout [IndexDifference], _ method: PValueAdjustment) {
        let adjusted = method.adjust(differences.map(\.pValue))
        for index in differences.indices { differences[index].adjustedPValue = adjusted[index] }
    }
}
