import SIPASDesign
import SIPASLinearAlgebra
import SIPASSupport

/// Which relative-importance measure to report.
public enum ImportanceMethod: String, CaseIterable, Sendable {
    /// Lindeman–Merenda–Gold: each predictor's R² increment averaged over all orderings (the Shapley value).
    case lmg
    /// Johnson's (2000) relative weights.
    case relativeWeights = "relweights"
    /// Dominance analysis (Budescu 1993; Azen & Budescu 2003); its general dominance equals LMG.
    case dominance
}

/// Dominance analysis of R² over all subsets of the predictors.
public struct DominanceAnalysis: Equatable, Sendable {
    /// `conditional[j][k]`: mean increment in R² when term j joins a subset of k of the other terms, k = 0…p−1.
    public let conditional: [[Double]]
    /// Mean of `conditional[j]` over k: equals LMG.
    public let general: [Double]
    /// `complete[i][j]`: 1 when term i adds more R² than term j to every subset of the other terms, 0 when
    /// it adds less to every one, 0.5 otherwise (no complete dominance); nil on the diagonal.
    public let complete: [[Double?]]
}

/// The R² of a linear model decomposed among its predictors.
public struct RelativeImportanceResult: Sendable {
    public let terms: [String]
    public let observationCount: Int
    /// R² of the full model (weighted when the data carry weights).
    public let rSquared: Double
    /// LMG R² shares: they sum to `rSquared`.
    public let lmg: [Double]
    /// Johnson's relative weights: they sum to `rSquared`.
    public let relativeWeights: [Double]
    public let dominance: DominanceAnalysis
    /// R² of every subset of the predictors, indexed by bit mask (bit j set = term j in the subset).
    public let subsetRSquared: [Double]

    /// The values of a method (dominance: general dominance).
    public func values(_ method: ImportanceMethod) -> [Double] {
        switch method {
        case .lmg: return lmg
        case .relativeWeights: return relativeWeights
        case .dominance: return dominance.general
        }
    }
}

/// Percentile bootstrap intervals of relative importance.
public struct ImportanceBootstrap: Sendable {
    public let method: BootstrapMethod
    public let replicates: Int
    public let seed: UInt64
    public let confidenceLevel: Double
    /// Per term: the interval of the R² contribution and of the share of R² (percentile, R `quantile` type 7).
    public let valueIntervals: [(lower: Double, upper: Double)]
    public let shareIntervals: [(lower: Double, upper: Double)]
    /// Per usable replicate, each term's R² contribution (for stability summaries such as quadrant agreement).
    public let replicateValues: [[Double]]
    /// Replicates whose correlation matrix was singular (e.g. a predictor constant in the resample), skipped.
    public let skipped: Int
}

/// Relative importance of correlated predictors, computed from the (weighted) correlation matrix of the fitted
/// sample: the R² of a subset S is r_ySᵀ R_SS⁻¹ r_yS (a positive-definite solve), so all 2^p subsets cost p×p
/// solves rather than 2^p refits of the raw data.
///
/// - LMG (Lindeman, Merenda & Gold 1980; Grömping 2007): term j's share is Σ_S |S|!(p−1−|S|)!/p! ·
///   (R²(S ∪ j) − R²(S)) over subsets S of the other terms — its R² increment averaged over all p! orderings.
/// - Relative weights (Johnson 2000): with R_XX = P Λ Pᵀ, Λ½ = P Λ^½ Pᵀ and β = Λ½⁻¹ r_xy, term j's weight
///   is Σ_k (Λ½)_jk² β_k².
/// - Dominance (Budescu 1993; Azen & Budescu 2003): complete, conditional (per subset size) and general
///   (mean of conditional = LMG).
public enum RelativeImportance {
    /// 2^p subsets: beyond 15 predictors the enumeration is too slow to be useful.
    public static let maximumPredictors = 15

    /// Relative importance on complete-case data (weighted when `data.weights` is set).
    ///
    /// - Throws: `ModelError.nothingToEstimate` for no predictors or more than `maximumPredictors`,
    ///   `.tooFewObservations` (n ≤ p + 1), `.zeroVariance`, `.collinear` (names the first predictor that is a
    ///   combination of those before it).
    public static func analyze(_ data: RegressionData) throws -> RelativeImportanceResult {
        let p = data.predictors.count
        guard p >= 1 else { throw ModelError.nothingToEstimate(vi: "tầm quan trọng tương đối cần ít nhất một biến giải thích",
                                                           en: "relative importance needs at least one predictor") }
        guard p <= maximumPredictors else {
            throw ModelError.nothingToEstimate(vi: "tầm quan trọng tương đối duyệt 2^p tập con; tối đa \(maximumPredictors) biến giải thích, đã có \(p)",
                                               en: "relative importance enumerates 2^p subsets; at most \(maximumPredictors) predictors, got \(p)")
        }
        let n = data.response.count
        guard n > p + 1 else { throw ModelError.tooFewObservations(observations: n, parameters: p + 1) }
        let correlation = try correlationMatrix(variables: data.predictors + [data.response], weights: data.weights,
                                                names: data.predictorNames + [data.responseName])
        return try analyze(correlation: correlation, terms: data.predictorNames, observationCount: n)
    }

    /// Relative importance from a (p + 1) × (p + 1) correlation matrix whose last row and column are the response.
    public static func analyze(correlation: Matrix, terms: [String], observationCount: Int) throws -> RelativeImportanceResult {
        let p = terms.count
        let r2 = try subsetRSquared(correlation, terms: terms)
        let (conditional, complete) = dominance(r2, p: p)
        let general = conditional.map { $0.reduce(0, +) / Double(p) }
        return RelativeImportanceResult(
            terms: terms, observationCount: observationCount, rSquared: r2[(1 << p) - 1], lmg: lmg(r2, p: p),
            relativeWeights: try relativeWeights(correlation),
            dominance: DominanceAnalysis(conditional: conditional, general: general, complete: complete), subsetRSquared: r2)
    }

    /// The (weighted) Pearson correlation matrix of the variables (two-pass, weights wᵢ ≥ 0; nil = equal).
    ///
    /// - Throws: `ModelError.zeroVariance` naming a variable with no variation (among rows of positive weight).
    public static func correlationMatrix(variables: [[Double]], weights: [Double]?, names: [String]) throws -> Matrix {
        let m = variables.count
        let n = variables.first?.count ?? 0
        let w = weights ?? [Double](repeating: 1, count: n)
        let total = w.reduce(0, +)
        let means = variables.map { v in zip(v, w).reduce(0) { $0 + $1.0 * $1.1 } / total }
        let centred = variables.indices.map { j in variables[j].map { $0 - means[j] } }
        var c = Matrix(rows: m, columns: m)
        for a in 0..<m {
            for b in a..<m {
                var sum = 0.0
                for i in 0..<n { sum += w[i] * centred[a][i] * centred[b][i] }
                c[a, b] = sum; c[b, a] = sum
            }
        }
        for j in 0..<m where !(c[j, j] > 1e-14 * max(1, total)) { throw ModelError.zeroVariance(variable: names[j]) }
        var r = c
        for a in 0..<m { for b in 0..<m { r[a, b] = a == b ? 1 : c[a, b] / (c[a, a] * c[b, b]).squareRoot() } }
        return r
    }

    /// R² of every subset of the predictors (index = bit mask), from the correlation matrix (response last).
    public static func subsetRSquared(_ correlation: Matrix, terms: [String]) throws -> [Double] {
        let p = correlation.rows - 1
        var result = [Double](repeating: 0, count: 1 << p)
        for mask in 1..<(1 << p) {
            let members = (0..<p).filter { mask & (1 << $0) != 0 }
            let q = members.count
            var rss = Matrix(rows: q, columns: q)
            for (a, i) in members.enumerated() { for (b, j) in members.enumerated() { rss[a, b] = correlation[i, j] } }
            let ry = members.map { correlation[$0, p] }
            do {
                let solved = try rss.solvingPositiveDefinite(ry)
                result[mask] = zip(ry, solved).reduce(0) { $0 + $1.0 * $1.1 }
            } catch {
                throw ModelError.collinear(predictors: [firstDependent(correlation, p: p, terms: terms)], tolerance: 0)
            }
        }
        return result
    }

    /// The first predictor whose correlation block with the ones before it is not positive definite.
    static func firstDependent(_ correlation: Matrix, p: Int, terms: [String]) -> String {
        for last in 1..<p {
            var block = Matrix(rows: last + 1, columns: last + 1)
            for a in 0...last { for b in 0...last { block[a, b] = correlation[a, b] } }
            if (try? block.solvingPositiveDefinite([Double](repeating: 1, count: last + 1))) == nil { return terms[last] }
        }
        return terms[p - 1]
    }

    /// LMG shares from the subset R² table.
    public static func lmg(_ r2: [Double], p: Int) -> [Double] {
        var factorial = [1.0]
        for i in 1...max(1, p) { factorial.append(factorial[i - 1] * Double(i)) }
        return (0..<p).map { j in
            var sum = 0.0
            for mask in 0..<(1 << p) where mask & (1 << j) == 0 {
                let size = mask.nonzeroBitCount
                sum += factorial[size] * factorial[p - 1 - size] / factorial[p] * (r2[mask | (1 << j)] - r2[mask])
            }
            return sum
        }
    }

    /// Conditional dominance (mean increment per subset size) and complete dominance from the subset R² table.
    public static func dominance(_ r2: [Double], p: Int) -> (conditional: [[Double]], complete: [[Double?]]) {
        var conditional = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: p), count: p)
        for j in 0..<p {
            for mask in 0..<(1 << p) where mask & (1 << j) == 0 {
                let size = mask.nonzeroBitCount
                conditional[j][size] += r2[mask | (1 << j)] - r2[mask]
                counts[j][size] += 1
            }
            for k in 0..<p { conditional[j][k] /= Double(counts[j][k]) }
        }
        var complete = [[Double?]](repeating: [Double?](repeating: nil, count: p), count: p)
        for i in 0..<p {
            for j in 0..<p where i != j {
                var allGreater = true, allLess = true
                for mask in 0..<(1 << p) where mask & (1 << i) == 0 && mask & (1 << j) == 0 {
                    let difference = r2[mask | (1 << i)] - r2[mask | (1 << j)]
                    if !(difference > 0) { allGreater = false }
                    if !(difference < 0) { allLess = false }
                }
                complete[i][j] = allGreater ? 1 : (allLess ? 0 : 0.5)
            }
        }
        return (conditional, complete)
    }

    /// Johnson's relative weights from the correlation matrix (response last).
    public static func relativeWeights(_ correlation: Matrix) throws -> [Double] {
        let p = correlation.rows - 1
        var rxx = Matrix(rows: p, columns: p)
        for a in 0..<p { for b in 0..<p { rxx[a, b] = correlation[a, b] } }
        let rxy = (0..<p).map { correlation[$0, p] }
        let (values, vectors) = try rxx.symmetricEigen()
        guard let smallest = values.first, smallest > 1e-12 else {
            throw ModelError.collinear(predictors: [], tolerance: 1e-12)
        }
        // Λ½ = P diag(√λ) Pᵀ and its inverse P diag(1/√λ) Pᵀ.
        var half = Matrix(rows: p, columns: p), inverseHalf = Matrix(rows: p, columns: p)
        for a in 0..<p {
            for b in 0..<p {
                var s = 0.0, t = 0.0
                for k in 0..<p {
                    let product = vectors[a, k] * vectors[b, k]
                    s += product * values[k].squareRoot()
                    t += product / values[k].squareRoot()
                }
                half[a, b] = s; inverseHalf[a, b] = t
            }
        }
        let beta = inverseHalf * rxy
        return (0..<p).map { j in (0..<p).reduce(0) { $0 + half[j, $1] * half[j, $1] * beta[$1] * beta[$1] } }
    }

    /// Percentile bootstrap intervals of the chosen measure's R² contributions and shares.
    ///
    /// Each replicate recomputes the weighted correlation matrix with the replicate weights (base weight ×
    /// multiplier from `Bootstrap`, respondent-level or Rao–Wu over PSUs), then the measure; replicates are
    /// reproducible from `seed` and independent of thread count. The matrix comes from sufficient statistics
    /// (`Bootstrap.replicateSums`): per-PSU sums, or for respondents the counts of classes of equal answers.
    ///
    /// - Parameter design: a design over exactly the rows of `data` (its weights are the base weights).
    public static func bootstrap(_ data: RegressionData, design: SurveyDesign, method: BootstrapMethod, measure: ImportanceMethod,
                                 replicates: Int, seed: UInt64, confidenceLevel: Double = 0.95,
                                 execution: Execution = Execution()) throws -> ImportanceBootstrap
    {
        precondition(design.rowCount == data.response.count, "the design must cover exactly the rows of the data")
        let variables = data.predictors + [data.response]
        let names = data.predictorNames + [data.responseName]
        let p = data.predictors.count
        let runner = Bootstrap(design: design, method: method, replicates: replicates, seed: seed, execution: execution)
        let moments = CrossProducts(variables: variables, weights: design.weights)
        let terms = data.predictorNames
        let results: [[Double]?] = try runner.replicateSums(width: moments.width, vector: moments.vector) { sums in
            guard let correlation = try? moments.correlation(sums, names: names),
                  let result = try? analyze(correlation: correlation, terms: terms, observationCount: 0)
            else { return nil }
            return result.values(measure) + [result.rSquared]
        }
        let usable = results.compactMap { $0 }
        func interval(_ values: [Double]) -> (lower: Double, upper: Double) {
            let sorted = values.filter(\.isFinite).sorted()
            guard !sorted.isEmpty else { return (.nan, .nan) }
            let alpha = 1 - confidenceLevel
            return (OrderStatistics.quantile(sorted: sorted, alpha / 2), OrderStatistics.quantile(sorted: sorted, 1 - alpha / 2))
        }
        return ImportanceBootstrap(
            method: method, replicates: replicates, seed: seed, confidenceLevel: confidenceLevel,
            valueIntervals: (0..<p).map { j in interval(usable.map { $0[j] }) },
            shareIntervals: (0..<p).map { j in interval(usable.map { $0[j] / $0[p] }) },
            replicateValues: usable.map { Array($0[0..<p]) }, skipped: results.count - usable.count)
    }

    /// The vectors whose weighted sums give a weighted correlation matrix: (1, cⱼ, cₐ·c_b for a ≤ b) per row,
    /// with c the variables centred at their full-sample weighted means, so that a replicate's covariances
    /// Σ w cₐ c_b − W c̄ₐ c̄_b subtract only small numbers.
    struct CrossProducts: Sendable {
        let variableCount: Int
        let width: Int
        let variables: [[Double]]
        let means: [Double]

        init(variables: [[Double]], weights: [Double]) {
            let m = variables.count
            variableCount = m
            width = 1 + m + m * (m + 1) / 2
            self.variables = variables
            let total = weights.reduce(0, +)
            means = variables.map { v in zip(v, weights).reduce(0) { $0 + $1.0 * $1.1 } / total }
        }

        /// Row i's vector.
        func vector(_ i: Int, _ values: inout [Double]) {
            let m = variableCount
            values[0] = 1
            var position = 1 + m
            for a in 0..<m {
                let ca = variables[a][i] - means[a]
                values[1 + a] = ca
                for b in a..<m {
                    values[position] = ca * (variables[b][i] - means[b])
                    position += 1
                }
            }
        }

        /// The correlation matrix from a replicate's sums.
        func correlation(_ sums: [Double], names: [String]) throws -> Matrix {
            let m = variableCount
            let total = sums[0]
            let means = (0..<m).map { sums[1 + $0] / total }
            var c = Matrix(rows: m, columns: m)
            var position = 1 + m
            for a in 0..<m {
                for b in a..<m {
                    let value = sums[position] - total * means[a] * means[b]
                    c[a, b] = value; c[b, a] = value
                    position += 1
                }
            }
            for j in 0..<m where !(c[j, j] > 1e-14 * max(1, total)) { throw ModelError.zeroVariance(variable: names[j]) }
            var r = c
            for a in 0..<m { for b in 0..<m { r[a, b] = a == b ? 1 : c[a, b] / (c[a, a] * c[b, b]).squareRoot() } }
            return r
        }
    }
}
