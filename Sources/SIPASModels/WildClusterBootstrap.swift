import SIPASInstrument
import SIPASData
import SIPASDesign
import SIPASLinearAlgebra
import SIPASSupport

/// Distributions of the cluster multipliers vᵍ of the wild cluster bootstrap (mean 0, variance 1).
public enum WildBootstrapWeights: String, CaseIterable, Sendable {
    /// ±1 with probability 1/2 each (Cameron, Gelbach & Miller 2008). With G clusters there are only 2^G
    /// distinct draws.
    case rademacher
    /// Webb's six-point distribution ±√(3/2), ±1, ±√(1/2), each with probability 1/6 (Webb 2014): 6^G distinct
    /// draws, preferred with fewer than about 12 clusters.
    case webb

    public static let webbPoints = [-(1.5).squareRoot(), -1, -(0.5).squareRoot(), (0.5).squareRoot(), 1, (1.5).squareRoot()]

    func draw(_ random: inout RandomSource) -> Double {
        switch self {
        case .rademacher: return random.next() >> 63 == 0 ? -1 : 1
        case .webb: return Self.webbPoints[random.integer(in: 0...5)]
        }
    }
}

/// One coefficient's wild cluster bootstrap inference.
public struct WildBootstrapCoefficient: Equatable, Sendable {
    public let term: String
    public let estimate: Double
    /// The cluster-robust (CR1) t statistic of the original fit, β̂ / SE.
    public let tStatistic: Double
    /// Restricted (null β = 0 imposed) wild cluster bootstrap-t p-value, symmetric: share of |t*| ≥ |t|.
    public let pValue: Double
    /// Symmetric percentile-t interval from the unrestricted bootstrap: β̂ ± q · SE, q the `confidenceLevel`
    /// quantile (type 1: the ⌈level·B⌉-th smallest) of |t*| = |β* − β̂| / SE*.
    public let confidenceLower: Double
    public let confidenceUpper: Double
}

/// The wild cluster bootstrap-t of a regression (`WildClusterBootstrap.run`).
public struct WildClusterBootstrapResult: Sendable {
    public let weights: WildBootstrapWeights
    /// Replications actually used (2^G when every Rademacher sign pattern was enumerated).
    public let replications: Int
    /// True when all 2^G Rademacher sign patterns were used instead of random draws.
    public let enumerated: Bool
    /// The seed of the multipliers (nil when they were given or enumerated).
    public let seed: UInt64?
    public let clusterName: String
    public let clusterCount: Int
    public let confidenceLevel: Double
    public let coefficients: [WildBootstrapCoefficient]
    public let notes: [Note]
}

/// Wild cluster bootstrap-t for least-squares coefficients with few or unequal clusters.
///
/// For each coefficient j the restricted model (column j dropped, β_j = 0 imposed) gives fitted values ỹᴿ and
/// residuals ũ; each replication multiplies every cluster's residuals by one draw vᵍ, y* = ỹᴿ + vᵍ ũ, refits the
/// full model and computes t*_j = β*_j / SE*_CR1. The p-value is the share of |t*| ≥ |t| (WCR, "restricted").
/// The interval is the symmetric percentile-t of the unrestricted bootstrap (WCU: y* = Xβ̂ + vᵍ ê, t* =
/// (β*_j − β̂_j) / SE*): β̂_j ± q · SE_j. Every replication uses the same multipliers for every coefficient.
/// Weighted fits bootstrap the working model √w y = √w X β + √w e, as `sandwich::vcovCL` sees it.
///
/// The refits never run a least-squares solve: with X̃ = √W X, bread A = (X̃ᵀX̃)⁻¹, cluster sums S_g = X̃_gᵀũ_g
/// and H_g = X̃_gᵀX̃_g, β* − β_R = Σ_g v_g A S_g and the cluster scores are v_g S_g − H_g (β* − β_R).
///
/// - Source: Cameron, Gelbach & Miller, "Bootstrap-based improvements for inference with clustered errors",
///   *Rev. Econ. Stat.* 90 (2008); Webb, "Reworking wild bootstrap based inference for clustered errors",
///   Queen's Economics Dept. WP 1315 (2014/2023); MacKinnon, Nielsen & Webb, "Fast and reliable jackknife and
///   bootstrap methods for cluster-robust inference", *J. Appl. Econometrics* 38 (2023).
public enum WildClusterBootstrap {
    /// Draws the multipliers from `RandomSource(seed:, stream: [0x57_494C_44])` ("WILD"), one row per
    /// replication and one column per cluster (in order of first appearance); with Rademacher weights and
    /// 2^G ≤ `replications`, enumerates all 2^G sign patterns instead.
    public static func run(_ data: RegressionData, includesIntercept: Bool = true, replications: Int,
                           weights: WildBootstrapWeights = .webb, seed: UInt64, confidenceLevel: Double = 0.95) throws
        -> WildClusterBootstrapResult
    {
        guard replications >= 99 else {
            throw ModelError.invalidSpecification(vi: "--wild-bootstrap cần ít nhất 99 lần lặp (nên dùng từ 999 trở lên), đã ghi \(Note.integer(replications, .vi))",
                                                  en: "--wild-bootstrap needs at least 99 replications (999 or more recommended), got \(replications)")
        }
        let groups = try clusterCount(data)
        if weights == .rademacher, groups < 63, 1 << groups <= replications {
            let patterns = (0..<(1 << groups)).map { pattern in (0..<groups).map { pattern >> $0 & 1 == 1 ? 1.0 : -1.0 } }
            return try run(data, includesIntercept: includesIntercept, multipliers: patterns, weights: weights, seed: nil,
                           enumerated: true, confidenceLevel: confidenceLevel)
        }
        var random = RandomSource(seed: seed, stream: [0x57_494C_44])
        let draws = (0..<replications).map { _ in (0..<groups).map { _ in weights.draw(&random) } }
        return try run(data, includesIntercept: includesIntercept, multipliers: draws, weights: weights, seed: seed,
                       enumerated: false, confidenceLevel: confidenceLevel)
    }

    /// The bootstrap with given multipliers (rows: replications; columns: clusters in order of first appearance).
    /// - Throws: `ModelError.invalidSpecification` without a cluster column or for multipliers of the wrong
    ///   width; `.singleCluster`; the errors of `LinearRegression.fit` for the model itself.
    public static func run(_ data: RegressionData, includesIntercept: Bool = true, multipliers: [[Double]],
                           weights: WildBootstrapWeights, seed: UInt64? = nil, enumerated: Bool = false,
                           confidenceLevel: Double = 0.95) throws -> WildClusterBootstrapResult
    {
        let fit = try LinearRegression(includesIntercept: includesIntercept, standardErrors: .cluster,
                                       confidenceLevel: confidenceLevel).fit(data)
        let groups = try clusterCount(data)
        guard multipliers.allSatisfy({ $0.count == groups }), !multipliers.isEmpty else {
            throw ModelError.invalidSpecification(vi: "ma trận hệ số nhân bootstrap phải có đúng một cột cho mỗi cụm (\(groups))",
                                                  en: "the bootstrap multipliers must have one column per cluster (\(groups))")
        }
        let n = data.response.count
        let root = (data.weights ?? [Double](repeating: 1, count: n)).map { $0.squareRoot() }
        let x = LinearRegression.weightedDesign(data.predictors, root: root, intercept: includesIntercept)
        let k = x.columns
        let y = zip(data.response, root).map(*)
        let full = try LeastSquares.solve(x, y)
        let bread = full.unscaledCovariance
        let cluster = data.clusterCodes!.map(Int.init)
        let adjustment = Double(groups) / Double(groups - 1) * Double(n - 1) / Double(n - k)
        // H_g = X̃_gᵀ X̃_g, shared by every coefficient.
        var h = [Matrix](repeating: Matrix(rows: k, columns: k), count: groups)
        for i in 0..<n { for a in 0..<k { for b in 0..<k { h[cluster[i]][a, b] += x[i, a] * x[i, b] } } }

        /// t*_j for every replication from residuals `residuals` and centre `centre` (0 under the null).
        func bootstrapT(_ j: Int, residuals: [Double]) -> [Double] {
            var s = Matrix(rows: k, columns: groups)  // S_g as columns
            for i in 0..<n { for a in 0..<k { s[a, cluster[i]] += x[i, a] * residuals[i] } }
            let c = bread * s  // c_g = A S_g
            let breadRow = (0..<k).map { bread[j, $0] }
            let sj = (0..<groups).map { g in (0..<k).reduce(0) { $0 + breadRow[$1] * s[$1, g] } }
            let r = (0..<groups).map { g in (0..<k).map { b in (0..<k).reduce(0) { $0 + breadRow[$1] * h[g][$1, b] } } }
            return multipliers.map { v in
                var delta = [Double](repeating: 0, count: k)
                for g in 0..<groups where v[g] != 0 { for a in 0..<k { delta[a] += v[g] * c[a, g] } }
                var variance = 0.0
                for g in 0..<groups {
                    var score = v[g] * sj[g]
                    for a in 0..<k { score -= r[g][a] * delta[a] }
                    variance += score * score
                }
                return delta[j] / (adjustment * variance).squareRoot()
            }
        }

        var coefficients: [WildBootstrapCoefficient] = []
        let replications = multipliers.count
        let rank = max(1, min(replications, Int((confidenceLevel * Double(replications) - 1e-9).rounded(.up))))
        for j in 0..<k {
            let original = fit.coefficients[j]
            let t = original.tStatistic
            // Restricted fit: drop column j (β_j = 0); with no column left the residuals are y itself.
            var restricted = y
            if k > 1 {
                var others = (0..<k).map(x.column)
                others.remove(at: j)
                restricted = try LeastSquares.solve(Matrix(columns: others), y).residuals
            }
            let nullT = bootstrapT(j, residuals: restricted)
            let p = Double(nullT.filter { $0.isNaN ? false : abs($0) >= abs(t) * (1 - 1e-12) }.count) / Double(replications)
            let unrestrictedT = bootstrapT(j, residuals: full.residuals).map { $0.isNaN ? .infinity : abs($0) }.sorted()
            let q = unrestrictedT[rank - 1]
            coefficients.append(WildBootstrapCoefficient(
                term: original.term, estimate: original.estimate, tStatistic: t, pValue: p,
                confidenceLower: original.estimate - q * original.standardError,
                confidenceUpper: original.estimate + q * original.standardError))
        }
        var notes: [Note] = []
        if enumerated {
            notes.append(Note(.bootstrap, vi: "đã liệt kê đủ 2^\(groups) = \(replications) tổ hợp dấu Rademacher (không rút ngẫu nhiên): p là bội số của 1/\(replications)",
                              en: "all 2^\(groups) = \(replications) Rademacher sign patterns were enumerated (no random draws): p-values are multiples of 1/\(replications)"))
        }
        if weights == .rademacher && groups < 12 && !enumerated {
            notes.append(Note(.fewClusters, vi: "chỉ có \(groups) cụm: trọng số Rademacher chỉ cho 2^\(groups) lần rút khác nhau; nên dùng --weights webb",
                              en: "only \(groups) clusters: Rademacher weights allow just 2^\(groups) distinct draws; prefer --weights webb"))
        }
        if groups < 6 {
            notes.append(Note(.fewClusters, vi: "chỉ có \(groups) cụm: ngay cả bootstrap cụm hoang dã cũng kém tin cậy khi dưới khoảng 6 cụm (MacKinnon & Webb 2017); coi p là gần đúng",
                              en: "only \(groups) clusters: even the wild cluster bootstrap is unreliable below about 6 clusters (MacKinnon & Webb 2017); treat p-values as rough"))
        }
        if replications < 999 && !enumerated {
            notes.append(Note(.bootstrap, vi: "\(replications) lần lặp: p gần 0,05 cần từ 999 lần trở lên (sai số Monte Carlo của p khoảng √(p(1−p)/B))",
                              en: "\(replications) replications: p-values near 0.05 need 999 or more (p has a Monte Carlo error of about √(p(1−p)/B))"))
        }
        return WildClusterBootstrapResult(
            weights: weights, replications: replications, enumerated: enumerated, seed: seed,
            clusterName: data.clusterName ?? "cluster", clusterCount: groups, confidenceLevel: confidenceLevel,
            coefficients: coefficients, notes: notes)
    }

    /// The number of clusters among the rows used (codes 0..<count in order of first appearance).
    static func clusterCount(_ data: RegressionData) throws -> Int {
        guard data.clusterCodes != nil else {
            throw ModelError.invalidSpecification(vi: "wild cluster bootstrap cần một cột cụm (--se cluster:CỘT)",
                                                  en: "the wild cluster bootstrap needs a cluster column (--se cluster:COLUMN)")
        }
        guard data.clusterLabels.count >= 2 else { throw ModelError.singleCluster(column: data.clusterName ?? "cluster") }
        return data.clusterLabels.count
    }
}
