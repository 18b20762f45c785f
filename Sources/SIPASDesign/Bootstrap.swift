import SIPASData
import Dispatch
import SIPASSupport

/// How bootstrap replicates resample a design.
public enum BootstrapMethod: String, CaseIterable, Sendable {
    /// Resample respondents with replacement (within strata when strata are declared), ignoring clusters.
    /// Right for simple random samples; too narrow when answers cluster within communes.
    case respondent
    /// Resample PSUs with replacement within strata, n_h out of n_h (the naive cluster bootstrap). Its
    /// variance is biased low by the factor (n_h − 1)/n_h, which matters with few PSUs per stratum.
    case cluster
    /// Rao & Wu (1988) rescaling bootstrap: draw n_h − 1 PSUs with replacement within each stratum and
    /// rescale, multiplier 1 − λ + λ·n_h/(n_h − 1)·k with λ = √(1 − f_h) (k = times drawn, f_h the sampling
    /// fraction): unbiased for the linear case even with 2 PSUs per stratum (R survey's "subbootstrap"
    /// when f_h = 0). The default for clustered designs.
    case raoWu = "rao-wu"
}

/// Replicate weight multipliers for a design, reproducible from a seed.
///
/// Replicate b draws from its own random stream (seed, b), so the replicates — and every number computed
/// from them — are the same whether they are computed on one thread or many, in any order.
public struct Bootstrap: Sendable {
    public let design: SurveyDesign
    public let method: BootstrapMethod
    public let replicates: Int
    public let seed: UInt64
    /// Threads for the replicates and whom to tell how many are done.
    public let execution: Execution

    public init(design: SurveyDesign, method: BootstrapMethod, replicates: Int, seed: UInt64, execution: Execution = Execution()) {
        self.design = design
        self.method = method
        self.replicates = replicates
        self.seed = seed
        self.execution = execution
    }

    /// Strata that have a single PSU get multiplier 1 in every replicate (no resampling variance).
    public var strataWithSinglePSU: Int {
        var count = [Int](repeating: 0, count: design.strataCount)
        for p in design.stageParents[0] { count[p] += 1 }
        return count.filter { $0 == 1 }.count
    }

    /// The weight multiplier of every design row in replicate `b` (0-based).
    public func multipliers(_ b: Int) -> [Double] {
        let (unitOfRow, unitMultiplier) = unitMultipliers(b)
        return unitOfRow.map { unitMultiplier[$0] }
    }

    /// The resampling units' multipliers in replicate `b`, and each row's unit: respondents or stage-1 PSUs,
    /// drawn within strata.
    func unitMultipliers(_ b: Int) -> (unitOfRow: [Int], multipliers: [Double]) {
        var rng = RandomSource(seed: seed, stream: [0x5EED_B007, UInt64(b)])
        let rows = design.rowCount
        let unitOfRow: [Int]
        let stratumOfUnit: [Int]
        let unitCount: Int
        if method == .respondent {
            unitOfRow = Array(0..<rows)
            var stratumOfRow = [Int](repeating: 0, count: rows)
            for row in 0..<rows { stratumOfRow[row] = design.stageParents[0][design.stageUnits[0][row]] }
            stratumOfUnit = stratumOfRow
            unitCount = rows
        } else {
            unitOfRow = design.stageUnits[0]
            stratumOfUnit = design.stageParents[0]
            unitCount = design.psuCount
        }
        var members = [[Int]](repeating: [], count: design.strataCount)
        for unit in 0..<unitCount { members[stratumOfUnit[unit]].append(unit) }
        var unitMultiplier = [Double](repeating: 1, count: unitCount)
        for (stratum, units) in members.enumerated() where units.count > 1 {
            let n = units.count
            let draws = method == .raoWu ? n - 1 : n
            var times = [Int](repeating: 0, count: n)
            for _ in 0..<draws { times[rng.integer(in: 0...(n - 1))] += 1 }
            if method == .raoWu {
                let size = design.populationSizes?[0][stratum] ?? .infinity
                let f = size.isFinite ? Double(n) / size : 0
                let lambda = (1 - f).squareRoot()
                for (index, unit) in units.enumerated() {
                    unitMultiplier[unit] = 1 - lambda + lambda * Double(n) / Double(n - 1) * Double(times[index])
                }
            } else {
                for (index, unit) in units.enumerated() { unitMultiplier[unit] = Double(times[index]) }
            }
        }
        return (unitOfRow, unitMultiplier)
    }

    /// Computes `statistic` on every replicate's weights (base weight × multiplier), on `execution.threads`
    /// threads, and returns the results in replicate order; `execution.progress` is told after each one (an
    /// error it throws stops the replicates).
    /// On a calibrated design each replicate's weights are calibrated again (`CalibrationResult.recalibrated`);
    /// a replicate that cannot be is given as an empty array.
    public func replicate<T: Sendable>(_ statistic: @Sendable ([Double]) throws -> T) throws -> [T] {
        let report = execution.progress
        let counter = Counter()
        let total = replicates
        let base = design.weights
        let calibration = design.calibration
        return try Array(0..<replicates).parallelMap(threads: execution.threads) { b in
            let multipliers = self.multipliers(b)
            // A calibrated design's replicate is calibrated again from its design weights × multipliers; one that
            // cannot be (a category left without weight) is passed as no weights at all.
            let weights = calibration.map { $0.recalibrated(multipliers: multipliers) ?? [] } ?? zip(base, multipliers).map { $0 * $1 }
            let result = try statistic(weights)
            if let report { try report(counter.increment(), total) }
            return result
        }
    }
}
