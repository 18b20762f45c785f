import SIPASInstrument
/// How a stratum with a single sampled PSU contributes to the variance (R survey's `survey.lonely.psu`).
public enum LonelyPSUPolicy: String, CaseIterable, Sendable {
    /// Stop with an error naming the stratum (the default: the design cannot estimate that stratum's variance).
    case fail
    /// Centre the single PSU at zero, the grand mean of the influence values (R's "adjust"); conservative.
    case adjust
    /// Give the stratum the average variance of the other strata (R's "average").
    case average
    /// The stratum contributes nothing (R's "remove").
    case remove
    /// The single PSU is self-representing: no sampling variance at this stage (R's "certainty").
    case certainty
}

/// A sampling design: strata, one or more stages of clusters, weights and finite-population corrections.
///
/// Rows are respondents. Stage 1 clusters are the PSUs (communes); later stages are nested within them
/// (villages, households). Clusters are nested in strata: the same cluster label in two strata names two
/// different clusters. Without clusters every respondent is its own PSU; without strata there is one stratum.
///
/// Variance of an estimator with influence values zᵢ (Taylor linearization, as R `survey::svyrecvar`):
///
///     V = Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_i (t_hi − t̄_h)²  +  Σ_h Σ_i f_h · V_i(stage 2) …
///
/// with t_hi the total of z over PSU i of stratum h, n_h the PSUs sampled in h, f_h = n_h/N_h the sampling
/// fraction (0 without an FPC: sampling with replacement). The later-stage term appears only when an FPC is
/// given (otherwise the first stage is the ultimate cluster); a later stage without its own FPC is treated as
/// sampled with replacement. Lumley (2010), Complex Surveys, §2.2 and appendix; R survey `multistage`.
public struct SurveyDesign: Sendable {
    public let rowCount: Int
    /// Sampling weight of each row (1 when no weights are given).
    public internal(set) var weights: [Double]
    /// The calibration that gave the weights, if the design was calibrated (`calibrated(_:)`): its
    /// residuals enter every variance.
    public internal(set) var calibration: CalibrationResult?
    /// The replicate weights of a replicate-weight design: every variance comes from re-estimating with each
    /// replicate's weights (`ReplicateWeights.variance`); the linearization formulas refuse such a design.
    public internal(set) var replicates: ReplicateWeights?
    /// Every row as one domain, kept for calibrated designs (whose residuals cover the whole sample).
    var wholeSample: DesignDomain?
    public let lonelyPSU: LonelyPSUPolicy
    /// What the user declared, for output ("strata = stratum, clusters = cluster, weights = weight").
    public internal(set) var summary: String
    /// The same in Vietnamese and English, for people.
    public internal(set) var description: LocalizedText
    /// Whether the design is anything more than an unweighted simple random sample.
    public internal(set) var isSimpleRandomSample: Bool
    /// Number of strata and of stage-1 PSUs.
    public let strataCount: Int
    public let psuCount: Int

    let strataNames: [String]
    /// Per stage: each row's unit index (units are numbered globally within the stage, nested in strata).
    let stageUnits: [[Int]]
    let stageUnitCounts: [Int]
    /// Per stage: each unit's parent (stratum index for stage 1, stage-(s−1) unit for later stages).
    let stageParents: [[Int]]
    /// Per stage: each unit's population size N of its group (Inf = with replacement), or nil without FPC.
    let populationSizes: [[Double]]?
    /// Per stage that enters the variance: its groups' sizes, weights and lonely-PSU bookkeeping.
    let stageStructures: [StageStructure]

    /// Design degrees of freedom: PSUs − strata (R survey's `degf`); for replicate weights, their rank − 1.
    public var degreesOfFreedom: Int { replicates?.degreesOfFreedom ?? (psuCount - strataCount) }

    /// Degrees of freedom of a domain as R survey's `degf` gives them for the subset design: the stage-1 PSUs
    /// with at least one of `rows`, minus the strata with at least one (at least 1).
    public func degreesOfFreedom(domain rows: [Int]) -> Int {
        if let replicates { return replicates.degreesOfFreedom }
        var psus = Set<Int>(), strata = Set<Int>()
        for row in rows {
            let psu = stageUnits[0][row]
            psus.insert(psu)
            strata.insert(stageParents[0][psu])
        }
        return max(1, psus.count - strata.count)
    }

    /// An unweighted simple random sample with replacement of `rows` respondents.
    public static func simpleRandomSample(rows: Int) -> SurveyDesign {
        try! SurveyDesign(rows: rows, strata: nil, stages: [], weights: nil, populationSizes: nil, lonelyPSU: .fail,
                          summary: "simple random sample", summaryVietnamese: "mẫu ngẫu nhiên đơn giản")
    }

    /// Builds a design from per-row labels.
    ///
    /// - Parameters:
    ///   - strata: each row's stratum label, or nil for one stratum.
    ///   - stages: per stage, each row's cluster label (stage 1 = PSU). Empty: each row is its own PSU.
    ///   - weights: sampling weights (> 0), or nil for equal weights.
    ///   - populationSizes: per stage, each row's finite-population size: the number of stage units in its
    ///     stratum (stage 1) or in its parent unit (later stages); values ≤ 1 are sampling fractions. nil
    ///     for sampling with replacement. Fewer entries than stages: the later stages are with replacement.
    public init(rows: Int, strata: [String]?, stages: [[String]], weights: [Double]?, populationSizes: [[Double]]?,
                lonelyPSU: LonelyPSUPolicy, summary: String, summaryVietnamese: String? = nil) throws
    {
        self.rowCount = rows
        self.lonelyPSU = lonelyPSU
        self.summary = summary
        self.description = LocalizedText(vi: summaryVietnamese ?? summary, en: summary)
        if let weights {
            guard weights.count == rows else { throw DesignError.invalid("weights have \(weights.count) values for \(rows) rows") }
            if let bad = weights.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
                throw DesignError.badWeight(row: bad + 1, value: weights[bad])
            }
            self.weights = weights
        } else {
            self.weights = Array(repeating: 1, count: rows)
        }
        // Strata.
        var strataIndex: [String: Int] = [:]
        var names: [String] = []
        var stratum = [Int](repeating: 0, count: rows)
        if let strata {
            for (row, label) in strata.enumerated() {
                if let index = strataIndex[label] { stratum[row] = index } else {
                    strataIndex[label] = names.count; stratum[row] = names.count; names.append(label)
                }
            }
        } else {
            names = ["(all)"]
        }
        strataNames = names
        // Stages: a unit is identified by (parent, label); stage 1 parents are strata.
        var units: [[Int]] = []
        var parentsPerStage: [[Int]] = []
        var counts: [Int] = []
        var parent = stratum
        if stages.isEmpty {
            // Without clusters every row is its own PSU, numbered in row order.
            units.append(Array(0..<rows))
            parentsPerStage.append(stratum)
            counts.append(rows)
        }
        for labels in stages {
            guard labels.count == rows else { throw DesignError.invalid("a cluster column has \(labels.count) values for \(rows) rows") }
            var index: [UnitKey: Int] = [:]
            var unitParents: [Int] = []
            var rowUnit = [Int](repeating: 0, count: rows)
            for row in 0..<rows {
                let key = UnitKey(parent: parent[row], label: labels[row])
                if let unit = index[key] { rowUnit[row] = unit } else {
                    index[key] = unitParents.count; rowUnit[row] = unitParents.count; unitParents.append(parent[row])
                }
            }
            units.append(rowUnit)
            parentsPerStage.append(unitParents)
            counts.append(unitParents.count)
            parent = rowUnit
        }
        stageUnits = units
        stageParents = parentsPerStage
        stageUnitCounts = counts
        strataCount = names.count
        psuCount = counts[0]
        isSimpleRandomSample = strata == nil && stages.isEmpty && weights == nil && populationSizes == nil

        // Finite-population sizes per stage unit, constant within each group, ≥ the number sampled.
        if let populationSizes {
            var sizes: [[Double]] = []
            for (stage, values) in populationSizes.enumerated() where stage < units.count {
                guard values.count == rows else { throw DesignError.invalid("an FPC column has \(values.count) values for \(rows) rows") }
                let groupCount = stage == 0 ? names.count : counts[stage - 1]
                var sampled = [Int](repeating: 0, count: groupCount)
                for p in parentsPerStage[stage] { sampled[p] += 1 }
                var groupSize = [Double?](repeating: nil, count: groupCount)
                for row in 0..<rows {
                    let group = stage == 0 ? stratum[row] : units[stage - 1][row]
                    let value = values[row]
                    guard value.isFinite, value > 0 else { throw DesignError.badFPC(stage: stage + 1, row: row + 1, message: "'\(value)' is not a positive number") }
                    let size = value <= 1 ? Double(sampled[group]) / value : value
                    if let known = groupSize[group], abs(known - size) > 1e-9 * max(1, size) {
                        throw DesignError.badFPC(stage: stage + 1, row: row + 1,
                                                 message: "differs within its \(stage == 0 ? "stratum" : "stage-\(stage) cluster") (\(known) and \(size))")
                    }
                    if size + 1e-9 < Double(sampled[group]) {
                        throw DesignError.badFPC(stage: stage + 1, row: row + 1,
                                                 message: "population size \(size) is smaller than the \(sampled[group]) units sampled")
                    }
                    groupSize[group] = size
                }
                sizes.append(groupSize.map { $0 ?? .infinity })
            }
            while sizes.count < units.count { sizes.append(Array(repeating: .infinity, count: sizes.isEmpty ? names.count : counts[sizes.count - 1])) }
            self.populationSizes = sizes
        } else {
            self.populationSizes = nil
        }
        // Without weights but with an FPC at every stage, the weights are the inverse selection probabilities
        // Π_s n_s/N_s, as R's svydesign derives them.
        if weights == nil, let sizes = self.populationSizes, sizes.allSatisfy({ $0.allSatisfy(\.isFinite) }) {
            var sampled: [[Int]] = []
            for stage in units.indices {
                var count = [Int](repeating: 0, count: stage == 0 ? names.count : counts[stage - 1])
                for p in parentsPerStage[stage] { count[p] += 1 }
                sampled.append(count)
            }
            for row in 0..<rows {
                var probability = 1.0
                for stage in units.indices {
                    let group = stage == 0 ? stratum[row] : units[stage - 1][row]
                    probability *= Double(sampled[stage][group]) / sizes[stage][group]
                }
                self.weights[row] = 1 / probability
            }
        }
        stageStructures = Self.stageStructures(strataCount: names.count, stageParents: parentsPerStage, stageUnitCounts: counts,
                                               populationSizes: self.populationSizes, lonelyPSU: lonelyPSU)
        // Lonely PSUs under the default policy fail now, naming the strata, rather than at the first estimate.
        if lonelyPSU == .fail {
            var perStratum = [Int](repeating: 0, count: names.count)
            for p in parentsPerStage[0] { perStratum[p] += 1 }
            let lonely = perStratum.indices.filter { perStratum[$0] == 1 && !isCertainty(stratum: $0) }
            if !lonely.isEmpty && !(strata == nil && stages.isEmpty) {
                throw DesignError.lonelyPSU(strata: lonely.map { names[$0] })
            }
        }
    }

    /// A stratum whose population size equals its sample size (f = 1): self-representing units.
    func isCertainty(stratum: Int) -> Bool {
        guard let sizes = populationSizes?.first else { return false }
        let sampled = stageParents[0].filter { $0 == stratum }.count
        return sizes[stratum] <= Double(sampled) + 1e-9
    }

    /// The design variance of an estimator with influence values `z` (one per row, zero outside a domain):
    /// the formula in the type's documentation, computed as the 1 × 1 case of `covariance(_:)`.
    public func variance(_ z: [Double]) throws -> Double {
        precondition(z.count == rowCount, "influence values must have one value per row")
        return try covariance([z])[0][0]
    }
}

/// A stage unit: its label within its parent (stratum or unit of the stage above).
private struct UnitKey: Hashable {
    let parent: Int
    let label: String
}

/// Problems with a declared design.
public enum DesignError: Error, Equatable, CustomStringConvertible, LocalizedFailure {
    case invalid(String)
    case badWeight(row: Int, value: Double)
    case badFPC(stage: Int, row: Int, message: String)
    case lonelyPSU(strata: [String])
    /// A linearization formula was asked of a replicate-weight design.
    case replicatesUnsupported

    public var description: String {
        switch self {
        case .invalid(let text): return text
        case .badWeight(let row, let value): return "row \(row): weight \(value) is not a positive number"
        case .badFPC(let stage, let row, let message): return "row \(row): stage-\(stage) FPC \(message)"
        case .replicatesUnsupported:
            return "this analysis does not use replicate weights yet (the replicates block of the --design file); "
                + "declare the design by strata/cluster/weight (--strata, --cluster, --weight) for it"
        case .lonelyPSU(let strata):
            let shown = strata.prefix(10).joined(separator: ", ") + (strata.count > 10 ? ", …" : "")
            return "stratum \(shown) has only one sampled PSU, so its variance cannot be estimated. "
                + "Choose a policy with --lonely-psu adjust|average|remove|certainty (see docs/design.md), "
                + "or merge the stratum with a similar one."
        }
    }
}

extension DesignError {
    /// The message in `language` (Vietnamese where it has been written; otherwise the English).
    public func text(_ language: Language) -> String {
        if language == .vi, self == .replicatesUnsupported {
            return "phân tích này chưa dùng được trọng số lặp (khối replicates trong tệp --design); "
                + "hãy khai báo thiết kế bằng tầng/cụm/quyền số (--strata, --cluster, --weight)"
        }
        return description
    }
}

extension SurveyDesign {
    /// The BCa acceleration â = Σ t³ / (6 (Σ t²)^{3/2}) from influence values aggregated to stage-1 PSUs and
    /// centred within strata (the infinitesimal jackknife; Efron & Tibshirani 1993, §14.3).
    public func acceleration(_ z: [Double]) -> Double? { acceleration(allRows, z) }

    /// `acceleration(_:)` for influence values given on the rows of `domain` (zero elsewhere).
    public func acceleration(_ domain: DesignDomain, _ values: [Double]) -> Double? {
        let (domain, totals) = varianceTotals(domain, [values])
        return acceleration(domain, psuTotals: totals[0])
    }

    /// `acceleration(_:_:)` from the totals of the influence values over the PSUs `domain` touches.
    public func acceleration(_ domain: DesignDomain, psuTotals totals: [Double]) -> Double? {
        var second = 0.0, third = 0.0
        forEachCentredPSUTotal(domain, totals) { centred, count, _ in
            second += count * centred * centred
            third += count * centred * centred * centred
        }
        guard second > 0 else { return nil }
        return third / (6 * pow(second, 1.5))
    }

    /// Calls `body(centred total, number of PSUs with that value, PSUs in the stratum)` for every stage-1 PSU's
    /// total of `values` centred within its stratum; the PSUs a domain does not touch share one call per stratum
    /// (in a stratum it does not touch at all, their centred total is 0).
    func forEachCentredPSUTotal(_ domain: DesignDomain, _ totals: [Double], _ body: (Double, Double, Double) -> Void) {
        let sizes = stageStructures[0].groupSizes
        let parents = stageParents[0]
        var sums = [Double](repeating: 0, count: strataCount), touched = [Double](repeating: 0, count: strataCount)
        for (slot, psu) in domain.units[0].enumerated() { sums[parents[psu]] += totals[slot]; touched[parents[psu]] += 1 }
        for (slot, psu) in domain.units[0].enumerated() {
            let stratum = parents[psu]
            body(totals[slot] - sums[stratum] / Double(sizes[stratum]), 1, Double(sizes[stratum]))
        }
        for stratum in 0..<strataCount where touched[stratum] < Double(sizes[stratum]) {
            let n = Double(sizes[stratum])
            body(-sums[stratum] / n, n - touched[stratum], n)
        }
    }
}

import Foundation

extension SurveyDesign {
    /// Satterthwaite's effective degrees of freedom of the variance estimate of Σ z: with uᵢ the stage-1 PSU
    /// totals of z centred within strata, df* = 2 (Σ uᵢ²)² / Var̂(Σ uᵢ²), Var̂ estimated from the spread of the
    /// uᵢ² (n/(n − 1) Σ (uᵢ² − ū²)²). Equals about n for normal data and falls when a few PSUs (or, near the
    /// ceiling, a few dissatisfied respondents) carry most of the variance — exactly when a t-interval with
    /// n − 1 degrees of freedom is too narrow. Satterthwaite (1946); Kott (1994) for survey variances.
    public func effectiveDegreesOfFreedom(_ z: [Double]) -> Double? { effectiveDegreesOfFreedom(allRows, z) }

    /// `effectiveDegreesOfFreedom(_:)` for influence values given on the rows of `domain` (zero elsewhere).
    /// Strata with one PSU give no squares; strata the domain does not touch give squares of zero.
    public func effectiveDegreesOfFreedom(_ domain: DesignDomain, _ values: [Double]) -> Double? {
        let (domain, totals) = varianceTotals(domain, [values])
        return effectiveDegreesOfFreedom(domain, psuTotals: totals[0])
    }

    /// `effectiveDegreesOfFreedom(_:_:)` from the totals of the influence values over the PSUs `domain` touches.
    public func effectiveDegreesOfFreedom(_ domain: DesignDomain, psuTotals totals: [Double]) -> Double? {
        var squares: [(value: Double, count: Double)] = []
        forEachCentredPSUTotal(domain, totals) { centred, count, size in
            guard size > 1 else { return }
            squares.append((centred * centred * size / (size - 1), count))
        }
        let n = squares.reduce(0) { $0 + $1.count }
        guard n > 1 else { return nil }
        let total = squares.reduce(0) { $0 + $1.value * $1.count }
        let mean = total / n
        let spread = squares.reduce(0) { $0 + $1.count * ($1.value - mean) * ($1.value - mean) } * n / (n - 1)
        guard total > 0, spread > 0 else { return nil }
        return 2 * total * total / spread
    }
}
