import SIPASData
import SIPASSupport

/// How `SurveyDesign.replicateWeights` builds replicates from a linearization design.
public enum ReplicateMethod: String, CaseIterable, Sendable {
    /// Delete one PSU at a time from an unstratified design; the others × n/(n − 1).
    case jk1
    /// Delete one PSU at a time within its stratum; that stratum's other PSUs × n_h/(n_h − 1).
    case jkn
    /// Canty–Davison bootstrap: within each stratum draw n_h PSUs with replacement (with an FPC, without
    /// replacement from the PSUs repeated to N_h); a PSU's weight × the times it was drawn.
    case bootstrap

    public var type: ReplicateType {
        switch self {
        case .jk1: return .jk1
        case .jkn: return .jkn
        case .bootstrap: return .bootstrap
        }
    }
}

/// Replicate weights built from a design, with the scale and multipliers that make their variance.
public struct BuiltReplicates: Sendable {
    public var method: ReplicateMethod
    /// `weights[r][i]`: replicate r's weight of design row i (calibrated again on a calibrated design).
    public var weights: [[Double]]
    public var scale: Double
    /// One multiplier per replicate (JKn: (1 − f_h)(n_h − 1)/n_h); nil when they are all 1.
    public var rscales: [Double]?
    /// The seed of a bootstrap (nil for the jackknives, which draw nothing).
    public var seed: UInt64?
    /// The degrees of freedom a design reading them back has: their rank − 1 (R's degf).
    public var degreesOfFreedom: Int
    public var count: Int { weights.count }

    /// The `replicates` block that reads these weights back from columns named prefix1, prefix2, ….
    public func specification(prefix: String) -> ReplicateSpecification {
        ReplicateSpecification(columns: .prefix(prefix), type: method.type, scale: method == .jkn && scale == 1 ? nil : scale,
                               rscales: rscales)
    }
}

extension SurveyDesign {
    /// The largest number of jackknife replicates built (one per PSU): beyond it, the columns would outweigh
    /// the data; a bootstrap or clusters are the way.
    public static let jackknifeLimit = 5_000

    /// Replicate weights for this design, as R survey's `as.svrepdesign` builds them (types "JK1", "JKn",
    /// "bootstrap"): JK1 scale (1 − f)(n − 1)/n; JKn scale 1 with rscales (1 − f_h)(n_h − 1)/n_h, strata sampled
    /// completely giving no replicate; bootstrap scale n̄/((n̄ − 1)(R − 1)) with n̄ the harmonic mean of the PSUs
    /// per stratum. Bootstrap replicate b draws from its own random stream (seed, b): the same weights on any
    /// number of threads. A stratum with a single PSU follows `lonelyPSU` as `jknweights` does (fail: an error;
    /// remove, certainty: no replicate; average: none, and the scale × PSUs/replicates; adjust: one replicate
    /// that deletes the stratum and multiplies the others by H/(H − 1), rscale (H − 1)/H). On a calibrated design
    /// each replicate is calibrated again.
    /// - Source: R survey's `jk1weights`, `jknweights`, `bootweights` (Lumley 2010, §2.8); Canty & Davison (1999),
    ///   "Resampling-based variance estimation for labour force surveys", *The Statistician* 48.
    public func replicateWeights(_ method: ReplicateMethod, count: Int = 50, seed: UInt64 = 2024) throws -> BuiltReplicates {
        if replicates != nil {
            throw DesignError.invalid("the design already has replicate weights (its replicates block): there is nothing to build")
        }
        let psuOfRow = stageUnits[0], stratumOfPSU = stageParents[0]
        var members = [[Int]](repeating: [], count: strataCount)
        for psu in 0..<psuCount { members[stratumOfPSU[psu]].append(psu) }
        let sizes = populationSizes?.first
        var multipliers: [[Double]] = []   // per replicate, per PSU
        var scale = 1.0
        var rscales: [Double]?
        switch method {
        case .jk1:
            guard strataCount == 1 else {
                throw DesignError.invalid("--replicates jk1 is for an unstratified design (as R's JK1); this design has \(strataCount) strata: use --replicates jkn")
            }
            let n = psuCount
            guard n >= 2 else { throw DesignError.invalid("a jackknife needs at least two PSUs; this design has \(n)") }
            guard n <= Self.jackknifeLimit else {
                throw DesignError.invalid("a jackknife here would have \(n) replicates (one per PSU, more than \(Self.jackknifeLimit)): use --replicates bootstrap or declare clusters")
            }
            let f = sizes.map { Double(n) / $0[0] } ?? 0
            guard f < 1 - 1e-12 else { throw DesignError.invalid("every PSU was sampled (a census): there is no sampling variance to replicate") }
            scale = (1 - f) * Double(n - 1) / Double(n)
            for deleted in 0..<n {
                var m = [Double](repeating: Double(n) / Double(n - 1), count: n)
                m[deleted] = 0
                multipliers.append(m)
            }
        case .jkn:
            var scales: [Double] = []
            var lonely: [String] = []
            var averaged = false
            let total = psuCount
            guard total <= Self.jackknifeLimit else {
                throw DesignError.invalid("a jackknife here would have \(total) replicates (one per PSU, more than \(Self.jackknifeLimit)): use --replicates bootstrap")
            }
            for (stratum, units) in members.enumerated() {
                let n = units.count
                if n == 1 {
                    switch lonelyPSU {
                    case .fail: lonely.append(strataNames[stratum]); continue
                    case .remove, .certainty: continue
                    case .average: averaged = true; continue
                    case .adjust:
                        let h = Double(strataCount)
                        guard strataCount > 1 else { continue }
                        var m = [Double](repeating: h / (h - 1), count: psuCount)
                        for unit in units { m[unit] = 0 }
                        multipliers.append(m)
                        scales.append((h - 1) / h)
                        continue
                    }
                }
                let f = sizes.map { Double(n) / $0[stratum] } ?? 0
                if f >= 1 - 1e-12 { continue }   // a stratum sampled completely has no variance (R drops its replicates)
                for deleted in units {
                    var m = [Double](repeating: 1, count: psuCount)
                    for unit in units { m[unit] = unit == deleted ? 0 : Double(n) / Double(n - 1) }
                    multipliers.append(m)
                    scales.append((1 - f) * Double(n - 1) / Double(n))
                }
            }
            if !lonely.isEmpty { throw DesignError.lonelyPSU(strata: lonely) }
            guard !multipliers.isEmpty else {
                throw DesignError.invalid("every stratum was sampled completely: there is no sampling variance to replicate")
            }
            if averaged { scale = Double(total) / Double(multipliers.count) }
            rscales = scales
        case .bootstrap:
            guard count >= 2 else { throw DesignError.invalid("a bootstrap needs at least 2 replicates") }
            let harmonic = Double(strataCount) / members.reduce(0) { $0 + 1 / Double(max(1, $1.count)) }
            guard harmonic > 1 else {
                throw DesignError.invalid("every stratum has a single PSU: a bootstrap cannot resample them")
            }
            scale = harmonic / ((harmonic - 1) * Double(count - 1))
            multipliers = (0..<count).map { b in
                var rng = RandomSource(seed: seed, stream: [0x5EED_4E9, UInt64(b)])
                var m = [Double](repeating: 0, count: psuCount)
                for (stratum, units) in members.enumerated() {
                    let n = units.count
                    let population = sizes.map { $0[stratum] }.flatMap { $0.isFinite && $0 < 1e9 ? Int($0.rounded()) : nil }
                    if let population, population > n {
                        // Without replacement from the PSUs (in random order) repeated to the population size.
                        var order = units
                        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, rng.integer(in: 0...i)) }
                        var chosen = Set<Int>()
                        for j in (population - n)..<population {
                            let t = rng.integer(in: 0...j)
                            chosen.insert(chosen.contains(t) ? j : t)
                        }
                        for position in chosen { m[order[position % n]] += 1 }
                    } else if let population, population <= n {
                        for unit in units { m[unit] = 1 }   // a census stratum: every PSU once
                    } else {
                        for _ in 0..<n { m[units[rng.integer(in: 0...(n - 1))]] += 1 }
                    }
                }
                return m
            }
        }
        let base = weights
        let calibration = self.calibration
        let rowWeights: [[Double]] = try multipliers.enumerated().map { r, unit in
            let rowMultipliers = psuOfRow.map { unit[$0] }
            if let calibration {
                guard let calibrated = calibration.recalibrated(multipliers: rowMultipliers) else {
                    throw DesignError.invalid("replicate \(r + 1) cannot be calibrated to the margins again (a category is left without weight): "
                                              + "build the replicates from the design without its calibration block, or merge small categories")
                }
                return calibrated
            }
            return zip(base, rowMultipliers).map { $0 * $1 }
        }
        return BuiltReplicates(method: method, weights: rowWeights, scale: scale,
                               rscales: rscales.flatMap { $0.allSatisfy { $0 == 1 } ? nil : $0 },
                               seed: method == .bootstrap ? seed : nil,
                               degreesOfFreedom: max(1, ReplicateWeights.rank(rowWeights) - 1))
    }
}
