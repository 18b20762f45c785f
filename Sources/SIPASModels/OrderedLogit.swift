import SIPASInstrument
import Foundation
import SIPASData
import SIPASEstimation
import SIPASLinearAlgebra
import SIPASSupport

/// One estimated parameter of an ordered logit: a slope or a cut-point.
public struct OrderedLogitParameter: Equatable, Sendable {
    public let term: String
    public let estimate: Double
    /// From the inverse of the observed information (−Hessian of the log-likelihood) at the maximum.
    public let standardError: Double
    public let zStatistic: Double
    /// Two-sided p from the normal distribution (Wald).
    public let pValue: Double
    /// Wald interval estimate ± z·SE.
    public let confidenceLower: Double
    public let confidenceUpper: Double
}

/// A proportional-odds (ordered logit) fit (`OrderedLogit.fit`).
public struct OrderedLogitResult: Sendable {
    public let responseName: String
    /// The ordered response values (categories), smallest first.
    public let categories: [Double]
    /// Rows per category among the rows used.
    public let categoryCounts: [Int]
    /// Slopes β: logit P(Y ≤ k) = ζ_k − xᵀβ, so a positive β shifts answers towards higher categories.
    public let coefficients: [OrderedLogitParameter]
    /// Cut-points ζ_1 < … < ζ_{K−1}, labelled "1|2", "2|3", … as MASS::polr.
    public let thresholds: [OrderedLogitParameter]
    /// Covariance of (β, ζ).
    public let covariance: Matrix
    public let logLikelihood: Double
    /// −2 log-likelihood (polr's `deviance`).
    public let deviance: Double
    /// deviance + 2 · (number of parameters).
    public let aic: Double
    public let observationCount: Int
    public let weightName: String?
    public let iterations: Int
    public let confidenceLevel: Double
    public let rows: RowAccounting
    public let notes: [Note]
}

/// The proportional-odds model for ordered answers (1–5 satisfaction).
public enum OrderedLogit {
    /// Maximum likelihood for logit P(Y ≤ k | x) = ζ_k − xᵀβ, k = 1 … K − 1, by Newton–Raphson with the analytic
    /// Hessian and step halving, from β = 0 and ζ at the logits of the cumulative shares, until the largest
    /// gradient entry is below 1e-9 (relative to n). Weights (if any) multiply each row's log-likelihood, as
    /// `MASS::polr(weights = )` does. The categories are the distinct response values over the rows used.
    ///
    /// - Throws: `ModelError.invalidSpecification` for fewer than 3 categories, or when the fit does not
    ///   converge (e.g. complete separation: a predictor that sorts the answers perfectly);
    ///   `.tooFewObservations`; `.zeroVariance` for a constant predictor; `.collinear` (by the least-squares
    ///   check of `LinearRegression`).
    /// - Source: McCullagh, "Regression models for ordinal data", *JRSS B* 42 (1980); Agresti, *Analysis of
    ///   Ordinal Categorical Data* (2010), ch. 3; R `MASS::polr` (Venables & Ripley), whose sign convention
    ///   this follows.
    public static func fit(_ data: RegressionData, confidenceLevel: Double = 0.95, maximumIterations: Int = 100) throws
        -> OrderedLogitResult
    {
        let n = data.response.count
        let p = data.predictors.count
        let categories = Array(Set(data.response)).sorted()
        let levels = categories.count
        guard levels >= 3 else {
            throw ModelError.invalidSpecification(
                vi: "'\(data.responseName)' chỉ có \(levels) giá trị khác nhau trong các dòng được dùng; logit thứ bậc cần ít nhất 3 (với 2 giá trị hãy dùng logit nhị phân)",
                en: "'\(data.responseName)' takes \(levels) distinct value(s) over the rows used; an ordered logit needs at least 3 (for 2 use a binary logit)")
        }
        let q = levels - 1, m = p + q
        guard n > m else { throw ModelError.tooFewObservations(observations: n, parameters: m) }
        for (j, column) in data.predictors.enumerated() where column.allSatisfy({ $0 == column[0] }) {
            throw ModelError.zeroVariance(variable: data.predictorNames[j])
        }
        // Collinearity: the same pivoted-QR check as linear regression (predictors plus an intercept).
        _ = try LinearRegression(includesIntercept: true).fit(
            RegressionData(response: Variable(data.responseName, data.response.map { $0 }),
                           predictors: zip(data.predictorNames, data.predictors).map { Variable($0, $1.map { $0 }) }))
        let category = data.response.map { categories.firstIndex(of: $0)! }
        let weights = data.weights ?? [Double](repeating: 1, count: n)
        let totalWeight = weights.reduce(0, +)

        func logistic(_ z: Double) -> Double { z >= 0 ? 1 / (1 + Foundation.exp(-z)) : Foundation.exp(z) / (1 + Foundation.exp(z)) }
        /// Log-likelihood, gradient and Hessian at θ = (β, ζ).
        func evaluate(_ theta: [Double], derivatives: Bool) -> (value: Double, gradient: [Double], hessian: Matrix)? {
            var value = 0.0
            var gradient = [Double](repeating: 0, count: derivatives ? m : 0)
            var hessian = Matrix(rows: derivatives ? m : 0, columns: derivatives ? m : 0)
            var dD = [Double](repeating: 0, count: m)
            for i in 0..<n {
                var eta = 0.0
                for j in 0..<p { eta += data.predictors[j][i] * theta[j] }
                let c = category[i]
                let upper = c < q ? theta[p + c] - eta : Double.infinity
                let lower = c > 0 ? theta[p + c - 1] - eta : -Double.infinity
                let fa = upper.isFinite ? logistic(upper) : 1, fb = lower.isFinite ? logistic(lower) : 0
                // D = F(a) − F(b), computed from the tails that keep digits.
                let d = upper.isFinite && lower.isFinite && lower > 0 ? logistic(-lower) - logistic(-upper) : fa - fb
                guard d > 0 else { return nil }
                value += weights[i] * Foundation.log(d)
                guard derivatives else { continue }
                let da = fa * (1 - fa), db = fb * (1 - fb)              // densities f(a), f(b)
                let sa = da * (1 - 2 * fa), sb = db * (1 - 2 * fb)      // f'(a), f'(b)
                for j in 0..<m { dD[j] = 0 }
                for j in 0..<p { dD[j] = -data.predictors[j][i] * (da - db) }
                if c < q { dD[p + c] = da }
                if c > 0 { dD[p + c - 1] = -db }
                let w = weights[i]
                for a in 0..<m where dD[a] != 0 { gradient[a] += w * dD[a] / d }
                // ∂²ℓ = ∂²D / D − ∂D ∂Dᵀ / D².
                for a in 0..<m { for b in 0..<m where dD[a] != 0 && dD[b] != 0 { hessian[a, b] -= w * dD[a] * dD[b] / (d * d) } }
                for a in 0..<p {
                    for b in 0..<p { hessian[a, b] += w * data.predictors[a][i] * data.predictors[b][i] * (sa - sb) / d }
                    if c < q { let v = w * -data.predictors[a][i] * sa / d; hessian[a, p + c] += v; hessian[p + c, a] += v }
                    if c > 0 { let v = w * data.predictors[a][i] * sb / d; hessian[a, p + c - 1] += v; hessian[p + c - 1, a] += v }
                }
                if c < q { hessian[p + c, p + c] += w * sa / d }
                if c > 0 { hessian[p + c - 1, p + c - 1] -= w * sb / d }
            }
            return (value, gradient, hessian)
        }

        var theta = [Double](repeating: 0, count: p)
        var cumulative = 0.0
        for k in 0..<q {
            cumulative += (0..<n).filter { category[$0] == k }.reduce(0) { $0 + weights[$1] } / totalWeight
            theta.append(Foundation.log(cumulative / (1 - cumulative)))
        }
        guard var current = evaluate(theta, derivatives: true) else {
            throw ModelError.invalidSpecification(vi: "không khởi động được logit thứ bậc (một nhóm câu trả lời không có dòng nào)",
                                                  en: "the ordered logit could not be started (a category has no rows)")
        }
        var iterations = 0, converged = false
        var information = Matrix(rows: m, columns: m)
        while iterations < maximumIterations {
            information = Matrix(rows: m, columns: m, columnMajor: current.hessian.storage.map { -$0 })
            if (current.gradient.map(abs).max() ?? 0) < 1e-9 * max(1, totalWeight) { converged = true; break }
            iterations += 1
            let step: [Double]
            do { step = try information.solvingPositiveDefinite(current.gradient) } catch {
                break
            }
            var scale = 1.0
            var accepted = false
            for _ in 0..<40 {
                let candidate = zip(theta, step).map { $0 + scale * $1 }
                if let next = evaluate(candidate, derivatives: true), next.value >= current.value - 1e-12 * abs(current.value) {
                    theta = candidate; current = next; accepted = true; break
                }
                scale /= 2
            }
            if !accepted { break }
        }
        let slopes = theta.prefix(p)
        // A log-likelihood of ~0 means every answer is predicted with certainty: complete separation.
        guard converged, slopes.allSatisfy({ abs($0) < 50 }), current.value < -1e-6 * totalWeight else {
            let largest = slopes.map(abs).max() ?? 0
            throw ModelError.invalidSpecification(
                vi: "logit thứ bậc không hội tụ sau \(iterations) bước Newton (|β| lớn nhất \(Note.vi("\(largest)"))): "
                    + "có thể một biến giải thích tách hẳn các nhóm câu trả lời, hoặc một nhóm quá hiếm; hãy gộp các nhóm thưa hoặc bỏ biến đó",
                en: "the ordered logit did not converge after \(iterations) Newton steps (largest |β| \(largest)): "
                    + "a predictor may separate the answer categories completely, or a category is too rare; merge sparse categories or drop the predictor")
        }
        let covariance = try information.solvingPositiveDefinite(Matrix.identity(m))
        let z = Distribution.normalQuantile(1 - (1 - confidenceLevel) / 2)
        func parameter(_ term: String, _ index: Int) -> OrderedLogitParameter {
            let se = covariance[index, index].squareRoot()
            let statistic = theta[index] / se
            return OrderedLogitParameter(term: term, estimate: theta[index], standardError: se, zStatistic: statistic,
                                         pValue: 2 * Distribution.normalCDF(-abs(statistic)),
                                         confidenceLower: theta[index] - z * se, confidenceUpper: theta[index] + z * se)
        }
        func label(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)" }
        let counts = (0..<levels).map { k in category.filter { $0 == k }.count }
        var notes: [Note] = []
        for (k, count) in counts.enumerated() where count < 10 {
            let category = label(categories[k])
            notes.append(Note(.smallSample, vi: "mức \(Note.vi(category)) của '\(data.responseName)' chỉ có \(count) dòng: các ngưỡng của nó kém xác định; nên gộp với mức bên cạnh",
                              en: "category \(category) of '\(data.responseName)' has only \(count) row(s): its cut-points are poorly determined; consider merging it with a neighbour"))
        }
        for (index, term) in data.predictorNames.enumerated() where covariance[index, index].squareRoot() > 100 {
            notes.append(Note(.model, vi: "'\(term)' có sai số chuẩn trên 100: các câu trả lời (gần như) bị tách hoàn toàn theo biến này; ước lượng không có ý nghĩa",
                              en: "'\(term)' has a standard error above 100: the answers are (nearly) separated by it; its estimate is not meaningful"))
        }
        notes.append(Note(.model, vi: "giả định tỷ lệ odds tỷ lệ: mỗi biến dịch chuyển mọi logit tích lũy như nhau (không kiểm định ở đây)",
                          en: "proportional odds assumed: each predictor shifts all cumulative logits equally (not tested here)"))
        return OrderedLogitResult(
            responseName: data.responseName, categories: categories, categoryCounts: counts,
            coefficients: data.predictorNames.enumerated().map { parameter($1, $0) },
            thresholds: (0..<q).map { parameter("\(label(categories[$0]))|\(label(categories[$0 + 1]))", p + $0) },
            covariance: covariance, logLikelihood: current.value, deviance: -2 * current.value,
            aic: -2 * current.value + 2 * Double(m), observationCount: n, weightName: data.weightName,
            iterations: iterations, confidenceLevel: confidenceLevel, rows: data.rows, notes: notes)
    }
}
