import SIPASInstrument
import SIPASData
import SIPASEstimation
import SIPASLinearAlgebra
import SIPASSupport

/// How factors are extracted from the correlation matrix.
public enum FactorExtraction: String, CaseIterable, Sendable {
    /// Principal axis factoring with iterated communalities (`psych::fa(fm = "pa")`).
    case principalAxis = "pa"
    /// Maximum likelihood: uniquenesses minimizing the ML discrepancy (`psych::fa(fm = "ml")`, `stats::factanal`).
    case maximumLikelihood = "ml"
}

/// How extracted factors are rotated. The raw values are the names `--rotation` accepts and the output prints.
public enum FactorRotation: String, CaseIterable, Sendable {
    /// Orthogonal, Kaiser-normalized (`stats::varimax`).
    case varimax
    /// Oblique promax (power 4) with Kaiser normalization, as `psych::fa(rotate = "promax")` and SPSS's PROMAX(4)
    /// (Kaiser normalization on by default): each item's loadings are divided by √h², rotated by varimax and the
    /// power-4 target, and multiplied back, so every item weighs alike in the target.
    /// - Source: Hendrickson & White (1964) promax; Kaiser (1958) normalization; R `psych::kaiser(rotate = "Promax")`.
    case promax
    /// Oblique promax (power 4) on the loadings as they are (the target is built from the de-normalized varimax
    /// loadings, so items with large communalities weigh more): `psych::fa(rotate = "Promax")`, `psych::Promax`,
    /// `stats::promax` applied to the unnormalized loadings.
    /// - Source: Hendrickson & White (1964) promax; R `stats::promax`, `psych::Promax`.
    case promaxRaw = "promax-raw"
    case none
}

/// Bartlett's test that the population correlation matrix is the identity (sphericity).
public struct BartlettSphericityTest: Equatable, Sendable {
    /// χ² = −(n − 1 − (2p + 5)/6) · ln det R.
    public let chiSquared: Double
    /// p(p − 1)/2.
    public let degreesOfFreedom: Int
    /// P(χ²_df > statistic) from libRmath's `pchisq` (upper tail computed directly; 0 when it underflows).
    public let pValue: Double
}

/// Kaiser–Meyer–Olkin measure of sampling adequacy, overall and per item.
public struct SamplingAdequacy: Equatable, Sendable {
    public let overall: Double
    public let items: [Double]
}

/// The result of an exploratory factor analysis (`FactorAnalysis.explore`). Matrices are arrays of rows.
public struct FactorAnalysisResult: Sendable {
    public let items: [String]
    /// Complete rows used (listwise deletion).
    public let observationCount: Int
    public let factorCount: Int
    public let extraction: FactorExtraction
    public let rotation: FactorRotation
    /// Pearson correlations of the items over the complete rows.
    public let correlation: [[Double]]
    /// Eigenvalues of the correlation matrix, largest first (Kaiser's "> 1" rule and scree plots use these).
    public let eigenvalues: [Double]
    /// Eigenvalues of the reduced correlation matrix (communalities on the diagonal) at the last iteration,
    /// largest first (psych's `values`).
    public let reducedEigenvalues: [Double]
    public let samplingAdequacy: SamplingAdequacy
    public let bartlett: BartlettSphericityTest
    /// Rotated pattern loadings, one row per item, one column per factor (ordered by variance, signed so
    /// that each column sums to a positive number).
    public let loadings: [[Double]]
    /// h² = diag(L Lᵀ) of the unrotated solution (rotation does not change it).
    public let communalities: [Double]
    /// u² = 1 − h².
    public let uniquenesses: [Double]
    /// Variance of each factor: column sums of squared loadings, or diag(Φ LᵀL) for an oblique rotation.
    public let sumsOfSquaredLoadings: [Double]
    /// Sums of squared loadings divided by the number of items.
    public let proportionOfVariance: [Double]
    /// Factor correlations Φ for an oblique rotation (promax, promax-raw); nil for orthogonal ones.
    public let factorCorrelations: [[Double]]?
    /// Principal-axis iterations used, and whether the change in total communality fell below the criterion.
    public let iterations: Int
    public let converged: Bool
    public let rows: RowAccounting
    public let notes: [Note]
}

/// Exploratory factor analysis of Likert items.
public enum FactorAnalysis {
    /// A correlation matrix whose smallest eigenvalue is at most this fraction of the largest counts as singular.
    public static let singularityTolerance = 1e-10

    /// Correlation matrix, KMO, Bartlett's test, principal-axis extraction and rotation, on the rows where
    /// every item is answered (other rows are counted with the first missing item, as `ReliabilityAnalysis`).
    ///
    /// Conventions follow R `psych::fa` 2.2.9 so results can be compared number for number: squared multiple
    /// correlations as starting communalities; iteration until the total communality changes by less than
    /// `minimumError` (psych's `min.err = 0.001`) or `maximumIterations` (50) is reached; unrotated columns
    /// signed to positive sums; after rotation, columns signed to positive sums and ordered by their variance.
    ///
    /// - Throws: `ModelError.invalidSpecification` for fewer than 3 items, a factor count outside
    ///   1…(items − 1), items of different lengths or a singular correlation matrix (smallest eigenvalue
    ///   ≤ `singularityTolerance` × largest: an item that is a linear combination of others, named); `.tooFewObservations` when complete rows do not exceed the item count;
    ///   `.zeroVariance` for an item answered the same in every complete row.
    /// - Source: Revelle, R package psych (`fa`, `KMO`, `cortest.bartlett`, `smc`, `kaiser`); Kaiser (1958) varimax
    ///   and row normalization; Hendrickson & White (1964) promax; Kaiser (1970, 1974) KMO; Bartlett (1951).
    public static func explore(items: [Variable], factors: Int, extraction: FactorExtraction = .principalAxis,
                               rotation: FactorRotation = .varimax, excludedBefore: [String?]? = nil,
                               minimumError: Double = 0.001, maximumIterations: Int = 50) throws -> FactorAnalysisResult
    {
        let p = items.count
        let names = items.map(\.name)
        guard p >= 3 else { throw ModelError.invalidSpecification(vi: "phân tích nhân tố cần ít nhất 3 câu hỏi, mới có \(p)",
                                                                  en: "factor analysis needs at least 3 items, got \(p)") }
        guard factors >= 1, factors < p else {
            throw ModelError.invalidSpecification(vi: "--factors phải từ 1 đến \(p - 1) (số câu hỏi trừ một), đã ghi \(factors)",
                                                  en: "--factors must be between 1 and \(p - 1) (the number of items minus one), got \(factors)")
        }
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ModelError.invalidSpecification(vi: "câu hỏi '\(duplicate)' được ghi hai lần", en: "item '\(duplicate)' is listed twice")
        }
        let (data, ledger) = try ReliabilityAnalysis.completeRows(items, excludedBefore: excludedBefore.map(RowLedger.init(reasons:)))
        let n = data[0].count
        guard n > p else { throw ModelError.tooFewObservations(observations: n, parameters: p + 1) }
        let r = try correlationMatrix(data, names: names)

        var notes: [Note] = []
        let (rawValues, vectors) = try r.symmetricEigen()
        let eigenvalues = Array(rawValues.reversed())
        // A (near-)zero eigenvalue: the eigenvector's large entries name the items that are linearly dependent.
        if rawValues[0] <= singularityTolerance * eigenvalues[0] {
            let involved = (0..<p).filter { abs(vectors[$0, 0]) > 0.1 }.map { "'\(names[$0])'" }
            throw ModelError.invalidSpecification(
                vi: "ma trận tương quan của các câu hỏi suy biến (trị riêng nhỏ nhất \(Note.vi("\(rawValues[0])")) ≤ \(Note.vi("\(singularityTolerance)")) × trị riêng lớn nhất): "
                    + "\(involved.joined(separator: ", ")) phụ thuộc tuyến tính trên các dòng đầy đủ; hãy bỏ một trong số đó",
                en: "the items' correlation matrix is singular (smallest eigenvalue \(rawValues[0]) ≤ \(singularityTolerance) × largest): "
                    + "\(involved.joined(separator: ", ")) are linearly dependent over the complete rows; drop one of them")
        }
        let inverse = try invert(r)
        let adequacy = samplingAdequacy(correlation: r, inverse: inverse)
        let bartlett = bartlettSphericity(eigenvalues: eigenvalues, observations: n)

        let extracted: (loadings: Matrix, reducedEigenvalues: [Double], iterations: Int, converged: Bool)
        switch extraction {
        case .principalAxis:
            extracted = try principalAxis(correlation: r, inverse: inverse, factors: factors,
                                          minimumError: minimumError, maximumIterations: maximumIterations)
        case .maximumLikelihood:
            let ml = try maximumLikelihood(correlation: r, inverse: inverse, factors: factors)
            // psych's `values` for ML: eigenvalues of R with the communalities on the diagonal.
            var reduced = r
            for i in 0..<p { reduced[i, i] = 1 - ml.uniquenesses[i] }
            extracted = (ml.loadings, Array(try reduced.symmetricEigen().values.reversed()), ml.iterations, ml.converged)
            for (j, u) in ml.uniquenesses.enumerated() where u <= maximumLikelihoodLowerBound * (1 + 1e-9) {
                notes.append(Note(.model, vi: "trường hợp Heywood: phương sai riêng của '\(names[j])' nằm ở cận dưới \(Note.vi("\(maximumLikelihoodLowerBound)")) (communality gần 1): nghiệm ML không hợp lệ — thử ít nhân tố hơn hoặc trích trục chính",
                                  en: "Heywood case: the uniqueness of '\(names[j])' sits at the lower bound \(maximumLikelihoodLowerBound) (communality near 1): the ML solution is improper — try fewer factors or principal axis"))
            }
        }
        var loadings = extracted.loadings
        var phi: Matrix?
        signColumnsPositive(&loadings, &phi)
        let communalities = (0..<p).map { i in (0..<factors).reduce(0) { $0 + loadings[i, $1] * loadings[i, $1] } }

        switch rotation {
        case .none: break
        case .varimax: loadings = try varimax(loadings).loadings
        case .promax, .promaxRaw:
            let rotated = try promax(loadings, kaiserNormalized: rotation == .promax)
            loadings = rotated.loadings
            phi = rotated.factorCorrelations
        }
        signColumnsPositive(&loadings, &phi)
        // Variance per factor, then order columns by it (stable for ties, as R's order).
        func variances(_ l: Matrix, _ phi: Matrix?) -> [Double] {
            let cross = l.transposed * l
            guard let phi else { return (0..<factors).map { cross[$0, $0] } }
            let product = phi * cross
            return (0..<factors).map { product[$0, $0] }
        }
        let order = variances(loadings, phi).enumerated().sorted { $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset) }.map(\.offset)
        loadings = Matrix(columns: order.map { loadings.column($0) })
        if let current = phi {
            var reordered = Matrix(rows: factors, columns: factors)
            for a in 0..<factors { for b in 0..<factors { reordered[a, b] = current[order[a], order[b]] } }
            phi = reordered
        }
        let ss = variances(loadings, phi)

        if !extracted.converged {
            notes.append(extraction == .maximumLikelihood
                ? Note(.model, vi: "tối ưu hợp lý cực đại dừng ở giới hạn số vòng lặp trước khi gradient triệt tiêu",
                       en: "maximum-likelihood optimization stopped at its iteration limit before the gradient vanished")
                : Note(.model, vi: "vòng lặp trục chính dừng ở giới hạn \(maximumIterations) trước khi tổng communality ổn định (thay đổi ≥ \(Note.vi("\(minimumError)")))",
                       en: "principal-axis iterations stopped at the limit of \(maximumIterations) before the total communality settled (change ≥ \(minimumError))"))
        }
        for (j, h2) in communalities.enumerated() where h2 >= 1 {
            notes.append(Note(.model, vi: "trường hợp Heywood: '\(names[j])' có communality \(Note.vi("\(h2)")) ≥ 1 (phương sai riêng ≤ 0); nghiệm không hợp lệ — thử ít nhân tố hơn hoặc bỏ câu này",
                              en: "Heywood case: '\(names[j])' has communality \(h2) ≥ 1 (uniqueness ≤ 0); the solution is improper — try fewer factors or drop the item"))
        }
        if adequacy.overall < 0.6 {
            notes.append(Note(.model, vi: "KMO \(Note.vi("\(adequacy.overall)")) dưới 0,6: các câu hỏi có quá ít phương sai chung để phân tích nhân tố hữu ích",
                              en: "KMO \(adequacy.overall) is below 0.6: the items share too little common variance for a useful factor analysis"))
        }
        if bartlett.pValue > 0.05 {
            notes.append(Note(.model, vi: "kiểm định Bartlett không bác bỏ tính cầu (p = \(Note.vi("\(bartlett.pValue)"))): các câu hỏi có thể không tương quan",
                              en: "Bartlett's test does not reject sphericity (p = \(bartlett.pValue)): the items may be uncorrelated"))
        }
        let kaiserCount = eigenvalues.filter { $0 > 1 }.count
        if kaiserCount != factors {
            notes.append(Note(.model, vi: "\(kaiserCount) giá trị riêng của ma trận tương quan lớn hơn 1 (quy tắc Kaiser), đã trích \(factors) nhân tố",
                              en: "\(kaiserCount) eigenvalue(s) of the correlation matrix exceed 1 (Kaiser's rule), \(factors) factor(s) were extracted"))
        }
        func rowsOf(_ m: Matrix) -> [[Double]] { (0..<m.rows).map { i in (0..<m.columns).map { m[i, $0] } } }
        return FactorAnalysisResult(
            items: names, observationCount: n, factorCount: factors, extraction: extraction, rotation: rotation,
            correlation: rowsOf(r), eigenvalues: eigenvalues, reducedEigenvalues: extracted.reducedEigenvalues,
            samplingAdequacy: adequacy, bartlett: bartlett, loadings: rowsOf(loadings), communalities: communalities,
            uniquenesses: communalities.map { 1 - $0 }, sumsOfSquaredLoadings: ss, proportionOfVariance: ss.map { $0 / Double(p) },
            factorCorrelations: phi.map(rowsOf), iterations: extracted.iterations, converged: extracted.converged,
            rows: ledger.accounting, notes: notes)
    }

    /// Pearson correlations of equally long columns (two-pass sums).
    /// - Throws: `ModelError.zeroVariance` naming a constant column.
    public static func correlationMatrix(_ columns: [[Double]], names: [String]) throws -> Matrix {
        let p = columns.count, n = columns.first?.count ?? 0
        let centred = columns.map { column -> [Double] in
            let mean = column.reduce(0, +) / Double(n)
            return column.map { $0 - mean }
        }
        var r = Matrix(rows: p, columns: p)
        var scale = [Double](repeating: 0, count: p)
        for j in 0..<p {
            scale[j] = centred[j].reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard scale[j] > 0 else { throw ModelError.zeroVariance(variable: names[j]) }
        }
        for a in 0..<p {
            r[a, a] = 1
            for b in (a + 1)..<max(a + 1, p) {
                var sum = 0.0
                for i in 0..<n { sum += centred[a][i] * centred[b][i] }
                r[a, b] = sum / (scale[a] * scale[b]); r[b, a] = r[a, b]
            }
        }
        return r
    }

    static func invert(_ r: Matrix) throws -> Matrix {
        do { return try r.solvingPositiveDefinite(Matrix.identity(r.rows)) } catch LinearAlgebraError.singular {
            throw ModelError.invalidSpecification(
                vi: "ma trận tương quan của các câu hỏi suy biến (không xác định dương): một câu hỏi là tổ hợp tuyến tính của các câu khác, hoặc số kiểu trả lời khác nhau ít hơn số câu hỏi; hãy bỏ một trong các câu hỏi cộng tuyến",
                en: "the items' correlation matrix is singular (not positive definite): an item is a linear combination of others, or there are fewer distinct answer patterns than items; drop one of the collinear items")
        }
    }

    /// KMO = Σ r²ᵢⱼ / (Σ r²ᵢⱼ + Σ q²ᵢⱼ) over i ≠ j, with q the partial correlations from R⁻¹ (cov2cor of R⁻¹);
    /// per item the sums run over one column.
    /// - Source: Kaiser & Rice, "Little Jiffy, Mark IV", *Educ. Psychol. Meas.* 34 (1974); `psych::KMO`.
    public static func samplingAdequacy(correlation r: Matrix, inverse: Matrix) -> SamplingAdequacy {
        let p = r.rows
        var rColumn = [Double](repeating: 0, count: p), qColumn = [Double](repeating: 0, count: p)
        for j in 0..<p {
            for i in 0..<p where i != j {
                rColumn[j] += r[i, j] * r[i, j]
                let q = inverse[i, j] / (inverse[i, i] * inverse[j, j]).squareRoot()
                qColumn[j] += q * q
            }
        }
        let r2 = rColumn.reduce(0, +), q2 = qColumn.reduce(0, +)
        return SamplingAdequacy(overall: r2 / (r2 + q2), items: (0..<p).map { rColumn[$0] / (rColumn[$0] + qColumn[$0]) })
    }

    /// Bartlett's sphericity test from the correlation matrix's eigenvalues (ln det R = Σ ln λ).
    /// - Source: Bartlett, "The effect of standardization on a χ² approximation in factor analysis",
    ///   *Biometrika* 38 (1951); `psych::cortest.bartlett`.
    public static func bartlettSphericity(eigenvalues: [Double], observations n: Int) -> BartlettSphericityTest {
        let p = Double(eigenvalues.count)
        let logDeterminant = eigenvalues.reduce(0) { $0 + Foundation_log($1) }
        let statistic = -logDeterminant * (Double(n) - 1 - (2 * p + 5) / 6)
        let df = eigenvalues.count * (eigenvalues.count - 1) / 2
        return BartlettSphericityTest(chiSquared: statistic, degreesOfFreedom: df,
                                      pValue: Distribution.chiSquaredUpperTail(statistic, degreesOfFreedom: Double(df)))
    }

    /// Principal axis factoring: start from squared multiple correlations 1 − 1/(R⁻¹)ᵢᵢ on the diagonal, take
    /// the leading `factors` eigenpairs L = V √Λ, put diag(L Lᵀ) on the diagonal and repeat until the total
    /// communality changes by less than `minimumError` (psych's rule, so results match it exactly).
    /// - Throws: `ModelError.invalidSpecification` when a retained eigenvalue of the reduced matrix is negative.
    /// - Source: `psych::fa(fm = "pa")`; Harman, *Modern Factor Analysis* (1976), ch. 8.
    public static func principalAxis(correlation r: Matrix, inverse: Matrix, factors: Int, minimumError: Double = 0.001,
                                     maximumIterations: Int = 50) throws
        -> (loadings: Matrix, reducedEigenvalues: [Double], iterations: Int, converged: Bool)
    {
        let p = r.rows
        var reduced = r
        for i in 0..<p { reduced[i, i] = 1 - 1 / inverse[i, i] }
        var communality = (0..<p).reduce(0) { $0 + reduced[$1, $1] }
        var change = communality
        var iterations = 0, converged = true
        var loadings = Matrix(rows: p, columns: factors)
        var values: [Double] = []
        while change > minimumError {
            let (ascending, vectors) = try reduced.symmetricEigen()
            values = ascending.reversed()
            for f in 0..<factors {
                guard values[f] >= 0 else {
                    throw ModelError.invalidSpecification(
                        vi: "trích nhân tố theo trục chính gặp trị riêng âm (\(Note.vi("\(values[f])"))) ở nhân tố \(f + 1): hãy trích ít nhân tố hơn",
                        en: "principal-axis extraction met a negative eigenvalue (\(values[f])) for factor \(f + 1): extract fewer factors")
                }
                let root = values[f].squareRoot()
                for i in 0..<p { loadings[i, f] = vectors[i, p - 1 - f] * root }
            }
            var total = 0.0
            for i in 0..<p {
                let h2 = (0..<factors).reduce(0) { $0 + loadings[i, $1] * loadings[i, $1] }
                reduced[i, i] = h2
                total += h2
            }
            change = abs(communality - total)
            communality = total
            iterations += 1
            if iterations >= maximumIterations { if change > minimumError { converged = false }; break }
        }
        return (loadings, values, iterations, converged)
    }

    /// Lower and upper bounds of the ML uniquenesses (psych: `lower = 0.005`, `upper = max(smc, 1)` = 1).
    public static let maximumLikelihoodLowerBound = 0.005

    /// The ML discrepancy F(Ψ) = −Σ_{j>q} (ln eⱼ − eⱼ) − q + p over the smallest p − q eigenvalues e of
    /// Ψ^(−1/2) R Ψ^(−1/2), and its gradient ((L Lᵀ)ᵢᵢ + Ψᵢ − 1) / Ψᵢ² with L = Ψ^(1/2) V_q (Λ_q − 1)^(1/2).
    /// - Source: Jöreskog (1967); R `stats:::factanal.fit.mle` (FAfn, FAgr, FAout), copied by psych.
    static func maximumLikelihoodObjective(_ r: Matrix, _ psi: [Double], factors q: Int) throws
        -> (value: Double, gradient: [Double], loadings: Matrix)
    {
        let p = r.rows
        var scaled = r
        for i in 0..<p { for j in 0..<p { scaled[i, j] = r[i, j] / (psi[i] * psi[j]).squareRoot() } }
        let (ascending, vectors) = try scaled.symmetricEigen()
        var sum = 0.0
        for e in ascending.prefix(p - q) { sum += Foundation_log(e) - e }
        let value = -(sum - Double(q) + Double(p))
        var loadings = Matrix(rows: p, columns: q)
        for f in 0..<q {
            let root = max(ascending[p - 1 - f] - 1, 0).squareRoot()
            for i in 0..<p { loadings[i, f] = psi[i].squareRoot() * vectors[i, p - 1 - f] * root }
        }
        let gradient = (0..<p).map { i in
            ((0..<q).reduce(0) { $0 + loadings[i, $1] * loadings[i, $1] } + psi[i] - 1) / (psi[i] * psi[i])
        }
        return (value, gradient, loadings)
    }

    /// Maximum-likelihood factor extraction: minimizes the ML discrepancy over the uniquenesses Ψ in
    /// [0.005, 1], starting (as psych) from 1 − SMC, by projected BFGS with an Armijo line search, until the projected
    /// gradient is below `tolerance` or (below 1e-6) F stops decreasing in double precision — tighter than psych's `optim` (factr 1e7), whose loadings stop ~1e-7 short.
    /// - Source: Jöreskog, "Some contributions to maximum likelihood factor analysis", *Psychometrika* 32
    ///   (1967); Lawley & Maxwell, *Factor Analysis as a Statistical Method* (1971); `psych::fa(fm = "ml")`.
    public static func maximumLikelihood(correlation r: Matrix, inverse: Matrix, factors q: Int, tolerance: Double = 1e-9,
                                         maximumIterations: Int = 1000) throws
        -> (loadings: Matrix, uniquenesses: [Double], objective: Double, iterations: Int, converged: Bool)
    {
        let p = r.rows
        let low = maximumLikelihoodLowerBound, high = 1.0
        func project(_ x: [Double]) -> [Double] { x.map { min(high, max(low, $0)) } }
        var psi = project((0..<p).map { 1 / inverse[$0, $0] })  // 1 − SMC
        var current = try maximumLikelihoodObjective(r, psi, factors: q)
        var h = Matrix.identity(p)  // inverse-Hessian approximation on the free variables
        var previousActive: [Bool] = []
        var iterations = 0, converged = false
        while iterations < maximumIterations {
            let g = current.gradient
            let active = (0..<p).map { i in (psi[i] <= low && g[i] > 0) || (psi[i] >= high && g[i] < 0) }
            let projectedNorm = (0..<p).filter { !active[$0] }.map { abs(g[$0]) }.max() ?? 0
            if projectedNorm < tolerance { converged = true; break }
            if active != previousActive { h = Matrix.identity(p); previousActive = active }
            var direction = [Double](repeating: 0, count: p)
            for i in 0..<p where !active[i] {
                for j in 0..<p where !active[j] { direction[i] -= h[i, j] * g[j] }
            }
            if zip(direction, g).reduce(0, { $0 + $1.0 * $1.1 }) >= 0 {
                h = Matrix.identity(p)
                direction = (0..<p).map { active[$0] ? 0 : -g[$0] }
            }
            var step = 1.0
            var candidate = psi, next = current
            var accepted = false
            for _ in 0..<60 {
                candidate = project(zip(psi, direction).map { $0 + step * $1 })
                next = try maximumLikelihoodObjective(r, candidate, factors: q)
                let decrease = zip(g, zip(candidate, psi)).reduce(0) { $0 + $1.0 * ($1.1.0 - $1.1.1) }
                if next.value <= current.value + 1e-4 * decrease { accepted = true; break }
                step /= 2
            }
            iterations += 1
            // No descent left (F no longer changes in double precision): at the optimum to rounding.
            guard accepted, next.value < current.value || projectedNorm >= 1e-6 else { converged = projectedNorm < 1e-6; break }
            let s = zip(candidate, psi).map { $0 - $1 }, y = zip(next.gradient, g).map { $0 - $1 }
            let sy = zip(s, y).reduce(0) { $0 + $1.0 * $1.1 }
            if sy > 1e-14 {
                // BFGS update of the inverse Hessian: H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ.
                let rho = 1 / sy
                let hy = (0..<p).map { i in (0..<p).reduce(0) { $0 + h[i, $1] * y[$1] } }
                let yhy = zip(y, hy).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<p { for j in 0..<p {
                    h[i, j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j]
                } }
            }
            psi = candidate
            current = next
        }
        return (current.loadings, psi, current.value, iterations, converged)
    }

    /// Multiplies columns by ±1 so each sums to a positive number (zero sums keep their sign), and Φ alike.
    static func signColumnsPositive(_ loadings: inout Matrix, _ phi: inout Matrix?) {
        var signs = [Double](repeating: 1, count: loadings.columns)
        for j in 0..<loadings.columns where loadings.column(j).reduce(0, +) < 0 {
            signs[j] = -1
            for i in 0..<loadings.rows { loadings[i, j] = -loadings[i, j] }
        }
        guard var matrix = phi else { return }
        for a in 0..<matrix.rows { for b in 0..<matrix.columns { matrix[a, b] *= signs[a] * signs[b] } }
        phi = matrix
    }

    /// Kaiser-normalized varimax exactly as R's `stats::varimax(x, normalize = TRUE, eps = 1e-5)`: rows are
    /// scaled to unit length, the rotation T = U Vᵀ from the SVD of Xᵀ(Z³ − Z diag(ΣZ²)/p) is iterated until
    /// the criterion Σs grows by less than a factor 1 + eps, and rows are scaled back.
    /// - Source: Kaiser, "The varimax criterion for analytic rotation in factor analysis", *Psychometrika* 23
    ///   (1958); R `stats::varimax`.
    public static func varimax(_ x: Matrix, epsilon: Double = 1e-5) throws -> (loadings: Matrix, rotation: Matrix) {
        let p = x.rows, k = x.columns
        guard k >= 2 else { return (x, Matrix.identity(k)) }
        var normalized = x
        var scale = [Double](repeating: 1, count: p)
        for i in 0..<p {
            scale[i] = (0..<k).reduce(0) { $0 + x[i, $1] * x[i, $1] }.squareRoot()
            if scale[i] > 0 { for j in 0..<k { normalized[i, j] /= scale[i] } }
        }
        var rotation = Matrix.identity(k)
        var criterion = 0.0
        for _ in 0..<1000 {
            let z = normalized * rotation
            var target = Matrix(rows: p, columns: k)
            for j in 0..<k {
                let columnSquares = (0..<p).reduce(0) { $0 + z[$1, j] * z[$1, j] }
                for i in 0..<p { target[i, j] = z[i, j] * z[i, j] * z[i, j] - z[i, j] * columnSquares / Double(p) }
            }
            let svd = try (normalized.transposed * target).singularValueDecomposition()
            rotation = svd.u * svd.vt
            let previous = criterion
            criterion = svd.values.reduce(0, +)
            if criterion < previous * (1 + epsilon) { break }
        }
        var z = normalized * rotation
        for i in 0..<p { for j in 0..<k { z[i, j] *= scale[i] } }
        return (z, rotation)
    }

    /// Promax with power m. With `kaiserNormalized` (the default, `--rotation promax`) exactly as
    /// `psych::fa(rotate = "promax")`, i.e. `psych::kaiser(x, rotate = "Promax")`: each row is divided by
    /// √h² (h² = the row's sum of squares, its communality), the rows are rotated as below, and the rotated rows are
    /// multiplied by √h² again. Without it (`--rotation promax-raw`) exactly as `psych::Promax` / `stats::promax` on
    /// x itself. The rotation proper: Kaiser-normalized varimax (`stats::varimax`), then the target
    /// Q = V∘|V|^(m−1) of the varimax loadings V is approximated by least squares V U ≈ Q (`lm.fit`), U's columns
    /// are rescaled by √diag((UᵀU)⁻¹), and the factor correlations are Φ = (TᵀT)⁻¹ for the total transformation
    /// T = T_varimax U. Row scaling commutes with T, so in both variants the rotated loadings are x T (psych's
    /// `rot.mat`, before `fa` signs and orders the columns).
    /// - Source: Hendrickson & White, "Promax: a quick method for rotation to oblique simple structure",
    ///   *Br. J. Stat. Psychol.* 17 (1964); Kaiser, "The varimax criterion for analytic rotation in factor
    ///   analysis", *Psychometrika* 23 (1958) (row normalization); R `stats::promax`, `psych::Promax`, `psych::kaiser`.
    public static func promax(_ x: Matrix, power m: Double = 4, kaiserNormalized: Bool = true) throws
        -> (loadings: Matrix, rotation: Matrix, factorCorrelations: Matrix)
    {
        let k = x.columns
        guard k >= 2 else { return (x, Matrix.identity(k), Matrix.identity(k)) }
        var input = x
        var rowScale = [Double](repeating: 1, count: x.rows)
        if kaiserNormalized {
            for i in 0..<x.rows {
                rowScale[i] = (0..<k).reduce(0) { $0 + x[i, $1] * x[i, $1] }.squareRoot()
                if rowScale[i] > 0 { for j in 0..<k { input[i, j] /= rowScale[i] } } else { rowScale[i] = 1 }
            }
        }
        let (v, varimaxRotation) = try varimax(input)
        var u = Matrix(rows: k, columns: k)
        for j in 0..<k {
            let target = (0..<v.rows).map { i in v[i, j] * Foundation_pow(abs(v[i, j]), m - 1) }
            let solution = try LeastSquares.solve(v, target)
            for a in 0..<k { u[a, j] = solution.coefficients[a] }
        }
        let d = try (u.transposed * u).solvingPositiveDefinite(Matrix.identity(k))
        for j in 0..<k { let s = d[j, j].squareRoot(); for a in 0..<k { u[a, j] *= s } }
        var loadings = v * u
        for i in 0..<x.rows { for j in 0..<k { loadings[i, j] *= rowScale[i] } }
        let total = varimaxRotation * u
        let phi = try (total.transposed * total).solvingPositiveDefinite(Matrix.identity(k))
        return (loadings, total, phi)
    }
}

import Foundation
@inline(__always) private func Foundation_log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func Foundation_pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
