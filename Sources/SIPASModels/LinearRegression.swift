import SIPASInstrument
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASLinearAlgebra
import SIPASSupport

/// A survey design for a regression: the design over some data rows, and which data row each design row is.
public struct RegressionDesign: Sendable {
    public let design: SurveyDesign
    /// `rows[r]` is the 0-based data row of design row r.
    public let rows: [Int]
    public init(design: SurveyDesign, rows: [Int]) {
        precondition(design.rowCount == rows.count, "the design has \(design.rowCount) rows, the row map \(rows.count)")
        self.design = design
        self.rows = rows
    }
}

/// A linear regression specification: y = Xb + e, fitted by ordinary or weighted least squares.
///
/// The fit goes through `LeastSquares.solve` (column-equilibrated Householder QR with column pivoting, LAPACK
/// `dgeqp3`); normal equations are never formed. Weighted least squares multiplies each row of X and y by √wᵢ.
/// A (numerically) rank-deficient design is an error naming the collinear predictors, never a silent fit.
///
/// Source: Golub & Van Loan, *Matrix Computations* (4th ed.), §5.4–5.5; R `lm` and `summary.lm`.
public struct LinearRegression: Sendable {
    public var includesIntercept: Bool
    public var standardErrors: StandardErrorType
    public var confidenceLevel: Double
    /// Relative pivot tolerance of the rank decision (see `LeastSquares.solve`).
    public var rankTolerance: Double
    /// Threads for refitting on replicate weights; the numbers do not depend on it.
    public var threads = Execution.defaultThreads

    public init(includesIntercept: Bool = true, standardErrors: StandardErrorType = .classical,
                confidenceLevel: Double = 0.95, rankTolerance: Double = 1e-10)
    {
        self.includesIntercept = includesIntercept
        self.standardErrors = standardErrors
        self.confidenceLevel = confidenceLevel
        self.rankTolerance = rankTolerance
    }

    public static let interceptName = "(Intercept)"

    /// Fits the model to complete-case data.
    ///
    /// - Throws: `ModelError.nothingToEstimate` (no columns), `.tooFewObservations` (n ≤ k),
    ///   `.zeroVariance` (a constant predictor beside the intercept), `.collinear` (names the dependent
    ///   predictors), `.singleCluster`, `.invalidSpecification` (cluster SEs without a cluster column, or
    ///   HC2/HC3 with a row of leverage 1, where 1 − hᵢ = 0).
    public func fit(_ data: RegressionData) throws -> RegressionResult {
        if standardErrors == .design {
            throw ModelError.invalidSpecification(vi: "sai số chuẩn theo thiết kế cần một thiết kế khảo sát: hãy dùng fit(_:design:)",
                                                  en: "design-based standard errors need a survey design: use fit(_:design:)")
        }
        return try fit(data, survey: nil)
    }

    /// Fits the model with design-based standard errors, as R `survey::svyglm(y ~ x, design)` (gaussian).
    ///
    /// The fit is weighted least squares with the design's weights; the coefficients' influence values
    /// zᵢ = (XᵀWX)⁻¹ xᵢ wᵢ eᵢ (zero for rows of the design not in the fit) go through
    /// `SurveyDesign.covariance`, and t, p and intervals use degf − k + 1 degrees of freedom, where degf
    /// counts the PSUs and strata that have rows in the fit (svyglm's `df.residual`).
    ///
    /// - Parameters:
    ///   - design: the design over `design.rows`; `design.rows[r]` is the 0-based data row (index into the
    ///     variables of `data`) of design row r. Every used row of `data` must be in the design.
    /// - Throws: the errors of `fit(_:)`; `.invalidSpecification` when `data` carries weights that differ from
    ///   the design's, a used row is not in the design, or the design has fewer degrees of freedom than
    ///   coefficients; `DesignError.lonelyPSU` under the fail policy.
    /// - Source: Lumley (2010), *Complex Surveys*, ch. 5; Binder (1983); R `survey::svyglm`, `svy.varcoef`.
    public func fit(_ data: RegressionData, design: RegressionDesign) throws -> RegressionResult {
        var copy = self
        copy.standardErrors = .design
        return try copy.fit(data, survey: design)
    }

    /// On a replicate-weight design: the coefficients refitted with each replicate's weights, and their
    /// covariance scale · Σ_r rscales_r (b_r − b̄)(b_r − b̄)ᵀ (b̄ the replicates' mean, or b̂ with mse). A
    /// replicate whose fit is singular (its weights leave a category empty) is left out, with a note, as R's
    /// `svrVar` leaves out replicates without a value.
    /// - Source: R survey's `svyglm.svyrep.design` and `svrVar` (Lumley 2010, §2.8, ch. 5).
    static func replicateCovariance(_ replicates: ReplicateWeights, data: RegressionData, rows: [Int], coefficients b: [Double],
                                    intercept: Bool, rankTolerance: Double, threads: Int, notes: inout [Note]) throws -> Matrix {
        let k = b.count
        let fits: [[Double]?] = try replicates.replicate(threads: threads) { weights in
            let root = rows.map { weights[$0].squareRoot() }
            let design = Self.weightedDesign(data.predictors, root: root, intercept: intercept)
            let response = zip(data.response, root).map { $0 * $1 }
            guard let solution = try? LeastSquares.solve(design, response, rankTolerance: rankTolerance) else { return nil }
            return solution.coefficients
        }
        let kept = fits.indices.filter { fits[$0] != nil }
        guard !kept.isEmpty else {
            throw ModelError.invalidSpecification(vi: "không bộ trọng số lặp nào cho ra mô hình ước lượng được (mô hình đều suy biến): không có sai số chuẩn lặp",
                                                  en: "no replicate's weights give a fit (each leaves the model singular): no replicate standard errors")
        }
        if kept.count < fits.count {
            notes.append(Note(.replicatesDropped, vi: "\(fits.count - kept.count) trong \(fits.count) lần lặp cho mô hình suy biến và được bỏ qua khi tính phương sai",
                              en: "\(fits.count - kept.count) of \(fits.count) replicates give a singular fit and are left out of the variance"))
        }
        let centring = kept.filter { replicates.rscales[$0] > 0 }
        var centre = b
        if !replicates.mse {
            centre = (0..<k).map { j in centring.reduce(0) { $0 + fits[$1]![j] } / Double(max(1, centring.count)) }
        }
        var covariance = Matrix(rows: k, columns: k)
        for r in kept {
            let d = (0..<k).map { fits[r]![$0] - centre[$0] }
            for i in 0..<k { for j in 0..<k { covariance[i, j] += replicates.scale * replicates.rscales[r] * d[i] * d[j] } }
        }
        return covariance
    }

    private func fit(_ data: RegressionData, survey: RegressionDesign?) throws -> RegressionResult {
        guard confidenceLevel > 0 && confidenceLevel < 1 else {
            throw ModelError.invalidSpecification(vi: "độ tin cậy phải nằm giữa 0 và 1, đã ghi \(Note.vi("\(confidenceLevel)"))",
                                                  en: "the confidence level must lie between 0 and 1, got \(confidenceLevel)")
        }
        let n = data.response.count
        let terms = (includesIntercept ? [Self.interceptName] : []) + data.predictorNames
        let k = terms.count
        guard k >= 1 else { throw ModelError.nothingToEstimate(vi: "mô hình không có biến giải thích và không có hệ số chặn",
                                                                  en: "the model has no predictors and no intercept") }
        guard n > k else { throw ModelError.tooFewObservations(observations: n, parameters: k) }
        if standardErrors == .cluster && data.clusters == nil {
            throw ModelError.invalidSpecification(vi: "sai số chuẩn vững theo cụm cần một cột cụm",
                                                  en: "cluster-robust standard errors need a cluster column")
        }

        var weights = data.weights ?? [Double](repeating: 1, count: n)
        // Design row of each used row (design-based SEs).
        var designRowOfUsed: [Int] = []
        if let survey {
            var designRowOfData: [Int: Int] = [:]
            for (r, dataRow) in survey.rows.enumerated() { designRowOfData[dataRow] = r }
            for usedRow in data.usedRows {
                guard let r = designRowOfData[usedRow - 1] else {
                    throw ModelError.invalidSpecification(vi: "hàng dữ liệu \(usedRow) được dùng trong mô hình nhưng không thuộc thiết kế khảo sát",
                                                          en: "data row \(usedRow) is used in the fit but is not part of the survey design")
                }
                designRowOfUsed.append(r)
            }
            let designWeights = designRowOfUsed.map { survey.design.weights[$0] }
            if let given = data.weights,
               let i = given.indices.first(where: { abs(given[$0] - designWeights[$0]) > 1e-12 * max(1, abs(designWeights[$0])) }) {
                throw ModelError.invalidSpecification(
                    vi: "hàng dữ liệu \(data.usedRows[i]): quyền số hồi quy \(Note.vi("\(given[i])")) khác quyền số thiết kế \(Note.vi("\(designWeights[i])"))",
                    en: "row \(data.usedRows[i]): the regression weight \(given[i]) differs from the design weight \(designWeights[i])")
            }
            weights = designWeights
        }
        let root = weights.map { $0.squareRoot() }
        if includesIntercept {
            for (j, column) in data.predictors.enumerated() where column.allSatisfy({ $0 == column[0] }) {
                throw ModelError.zeroVariance(variable: data.predictorNames[j])
            }
        }
        let design = Self.weightedDesign(data.predictors, root: root, intercept: includesIntercept)  // √W X
        let response = zip(data.response, root).map { $0 * $1 }  // √W y

        let solution: LeastSquaresSolution
        do {
            solution = try LeastSquares.solve(design, response, rankTolerance: rankTolerance)
        } catch LinearAlgebraError.rankDeficient(_, let pivoted) {
            // Pivoting names *a* dependent set; name instead the columns that are combinations of columns
            // listed before them, as a reader expects ("x3 = x1 + 2·x2" names x3, not x2).
            let dependent = try Self.dependentInOrder((0..<k).map(design.column), response, rankTolerance: rankTolerance) ?? pivoted
            throw ModelError.collinear(predictors: dependent.map { terms[$0] }, tolerance: rankTolerance)
        }
        let b = solution.coefficients
        let workingResiduals = solution.residuals  // √wᵢ eᵢ
        let rss = solution.residualSumOfSquares
        let df = n - k
        var inferenceDF = df
        if let survey {
            let designDF = survey.design.degreesOfFreedom(rows: designRowOfUsed) - k + 1
            guard designDF >= 1 else {
                if survey.design.replicates != nil {
                    throw ModelError.invalidSpecification(
                        vi: "các trọng số lặp cho \(designDF + k - 1) bậc tự do (hạng của chúng − 1), không nhiều hơn \(k - 1) hệ số góc: "
                            + "sai số chuẩn lặp cần nhiều lần lặp độc lập hơn số hệ số",
                        en: "the replicate weights give \(designDF + k - 1) degrees of freedom (their rank − 1), not more than the \(k - 1) slope(s): "
                            + "replicate standard errors need more independent replicates than coefficients")
                }
                throw ModelError.invalidSpecification(
                    vi: "thiết kế có \(designDF + k - 1) bậc tự do (số PSU − số tầng có dòng trong mô hình), không nhiều hơn "
                        + "\(k - 1) hệ số góc: sai số chuẩn theo thiết kế cần nhiều PSU hơn số hệ số",
                    en: "the design has \(designDF + k - 1) degrees of freedom (PSUs − strata with rows in the fit), not more than the "
                        + "\(k - 1) slope(s): design-based standard errors need more PSUs than coefficients")
            }
            inferenceDF = designDF
        }
        let sigma2 = rss / Double(df)
        let bread = solution.unscaledCovariance  // (XᵀWX)⁻¹
        var notes: [Note] = []

        // Covariance of b.
        var clusterCount: Int?
        let covariance: Matrix
        switch standardErrors {
        case .classical:
            covariance = Matrix(rows: k, columns: k, columnMajor: bread.storage.map { $0 * sigma2 })
        case .hc0, .hc1, .hc2, .hc3:
            var omega = workingResiduals.map { $0 * $0 }
            switch standardErrors {
            case .hc1:
                omega = omega.map { $0 * Double(n) / Double(df) }
            case .hc2, .hc3:
                let h = try LeastSquares.leverages(design)
                let power = standardErrors == .hc2 ? 1.0 : 2.0
                let atOne = h.indices.filter { h[$0] > 1 - 1e-10 }.map { data.usedRows[$0] }
                if !atOne.isEmpty {
                    let rows = atOne.prefix(10).map(String.init).joined(separator: ", ")
                    throw ModelError.invalidSpecification(
                        vi: "sai số chuẩn \(standardErrors) chia cho 1 − đòn bẩy, mà (các) hàng dữ liệu \(rows) có đòn bẩy bằng 1 "
                            + "(mỗi dòng tự quyết định một hệ số, ví dụ dòng duy nhất của một nhóm): hãy dùng hc0 hoặc hc1",
                        en: "\(standardErrors) standard errors divide by 1 − leverage, and data row(s) "
                            + "\(rows) have leverage 1 (each alone "
                            + "determines a coefficient, e.g. the only row of a category): use hc0 or hc1")
                }
                for i in 0..<n { omega[i] /= Self.power(1 - h[i], power) }
            default: break
            }
            var scores = design  // rows √ωᵢ · x̃ᵢ
            for j in 0..<k { for i in 0..<n { scores[i, j] *= omega[i].squareRoot() } }
            covariance = Self.sandwich(bread: bread, meat: scores.transposed * scores)
        case .cluster:
            let cluster = data.clusterCodes!  // numbered in order of first appearance
            let groups = data.clusterLabels.count
            guard groups >= 2 else { throw ModelError.singleCluster(column: data.clusterName ?? "cluster") }
            clusterCount = groups
            var sums = Matrix(rows: groups, columns: k)  // u_g = Σ_{i∈g} x̃ᵢ (√wᵢ eᵢ)
            for i in 0..<n {
                let g = Int(cluster[i])
                for j in 0..<k { sums[g, j] += design[i, j] * workingResiduals[i] }
            }
            let adjustment = Double(groups) / Double(groups - 1) * Double(n - 1) / Double(df)
            let meat = sums.transposed * sums
            covariance = Self.sandwich(bread: bread, meat: Matrix(rows: k, columns: k, columnMajor: meat.storage.map { $0 * adjustment }))
            if groups < 20 {
                notes.append(Note(.fewClusters, vi: "chỉ có \(groups) cụm: sai số chuẩn vững theo cụm kém tin cậy khi ít hơn khoảng 20–50 cụm (Cameron & Miller 2015)",
                                  en: "only \(groups) clusters: cluster-robust standard errors are unreliable with fewer than about 20–50 clusters (Cameron & Miller 2015)"))
            }
        case .design:
            guard let survey else {
                throw ModelError.invalidSpecification(vi: "sai số chuẩn theo thiết kế cần một thiết kế khảo sát",
                                                en: "design-based standard errors need a survey design")
            }
            if let replicates = survey.design.replicates {
                covariance = try Self.replicateCovariance(replicates, data: data, rows: designRowOfUsed, coefficients: b,
                                                          intercept: includesIntercept, rankTolerance: rankTolerance, threads: threads,
                                                          notes: &notes)
                if inferenceDF < 20 {
                    notes.append(Note(.fewDegreesOfFreedom, vi: "chỉ có \(inferenceDF) bậc tự do (hạng của trọng số lặp − 1 − hệ số): khoảng tin cậy dùng t với \(inferenceDF) bậc tự do nên rộng",
                                      en: "only \(inferenceDF) degrees of freedom (rank of the replicate weights − 1 − slopes): intervals use t with \(inferenceDF) df and are wide"))
                }
                break
            }
            // Influence values zᵢ = (XᵀWX)⁻¹ x̃ᵢ ẽᵢ = (XᵀWX)⁻¹ xᵢ wᵢ eᵢ, zero for design rows outside the fit.
            var influence = [[Double]](repeating: [Double](repeating: 0, count: survey.design.rowCount), count: k)
            for i in 0..<n {
                let r = designRowOfUsed[i]
                for j in 0..<k {
                    var z = 0.0
                    for l in 0..<k { z += bread[j, l] * design[i, l] }
                    influence[j][r] = z * workingResiduals[i]
                }
            }
            let v = try survey.design.covariance(influence)
            covariance = Matrix(rows: k, columns: k, columnMajor: (0..<k).flatMap { c in (0..<k).map { r in v[r][c] } })
            if inferenceDF < 20 {
                notes.append(Note(.fewDegreesOfFreedom, vi: "chỉ có \(inferenceDF) bậc tự do của thiết kế (số đơn vị mẫu cấp 1 − số tầng − số hệ số): khoảng tin cậy dùng t với \(inferenceDF) bậc tự do nên rộng",
                                  en: "only \(inferenceDF) design degrees of freedom (PSUs − strata − slopes): intervals use t with \(inferenceDF) df and are wide"))
            }
        }

        // Fit statistics.
        let totalWeight = weights.reduce(0, +)
        let weightedMeanY = zip(weights, data.response).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight
        let tss = zip(weights, data.response).reduce(0) { sum, pair in
            let centred = includesIntercept ? pair.1 - weightedMeanY : pair.1
            return sum + pair.0 * centred * centred
        }
        let rSquared = 1 - rss / tss
        let interceptDF = includesIntercept ? 1 : 0
        let adjusted = 1 - (1 - rSquared) * Double(n - interceptDF) / Double(df)
        let slopes = k - interceptDF
        var fStatistic: Double?, fPValue: Double?
        if slopes > 0 {
            let f = ((tss - rss) / Double(slopes)) / sigma2
            fStatistic = f
            fPValue = Distribution.fUpperTail(f, numerator: Double(slopes), denominator: Double(df))
        }
        var robustF: Double?, robustP: Double?
        if standardErrors != .classical && slopes > 0 {
            let first = interceptDF
            let v = Matrix(rows: slopes, columns: slopes, columnMajor: (0..<slopes).flatMap { c in
                (0..<slopes).map { r in covariance[first + r, first + c] } })
            let bs = Array(b[first...])
            if let solved = try? v.solvingPositiveDefinite(bs) {
                let f = zip(bs, solved).reduce(0) { $0 + $1.0 * $1.1 } / Double(slopes)
                robustF = f
                robustP = Distribution.fUpperTail(f, numerator: Double(slopes), denominator: Double(inferenceDF))
            } else {
                notes.append(Note(.model, vi: "ma trận hiệp phương sai \(standardErrors) của các hệ số suy biến (ví dụ ít cụm hơn số hệ số): không có kiểm định F vững",
                                  en: "the \(standardErrors) covariance of the slopes is singular (e.g. fewer clusters than slopes): no robust F test"))
            }
        }

        // Standardized betas (weighted SDs for WLS) and VIFs.
        let sdY = Self.weightedStandardDeviation(data.response, weights)
        let vif = try includesIntercept ? Self.varianceInflationFactors(data.predictors, weights: weights) : nil
        if !includesIntercept && !data.predictors.isEmpty {
            notes.append(Note(.model, vi: "không có hệ số chặn: R² không trừ trung bình (1 − RSS/Σwy²) và không báo VIF",
                              en: "no intercept: R² is uncentred (1 − RSS/Σwy²) and VIFs are not reported"))
        }

        // Inference per coefficient.
        let quantile = Distribution.studentTQuantile(1 - (1 - confidenceLevel) / 2, degreesOfFreedom: Double(inferenceDF))
        var coefficients: [RegressionCoefficient] = []
        for j in 0..<k {
            let se = covariance[j, j].squareRoot()
            let t = b[j] / se
            let isIntercept = includesIntercept && j == 0
            let predictor = j - interceptDF
            coefficients.append(RegressionCoefficient(
                term: terms[j], estimate: b[j], standardError: se, tStatistic: t,
                pValue: Distribution.studentTTwoSidedPValue(t, degreesOfFreedom: Double(inferenceDF)),
                confidenceLower: b[j] - quantile * se, confidenceUpper: b[j] + quantile * se,
                standardizedBeta: isIntercept ? nil
                    : b[j] * Self.weightedStandardDeviation(data.predictors[predictor], weights) / sdY,
                varianceInflation: isIntercept ? nil : vif?[predictor]))
        }
        for coefficient in coefficients {
            if let value = coefficient.varianceInflation, value > 10 {
                notes.append(Note(.varianceInflation, vi: "VIF của '\(coefficient.term)' là \(Note.vi(Self.short(value))) (> 10): hệ số của nó kém xác định và có thể đổi dấu",
                                  en: "VIF of '\(coefficient.term)' is \(Self.short(value)) (> 10): its coefficient is poorly determined and may flip sign"))
            }
        }

        let scaledCondition = try solution.conditionNumber(scalingColumns: true)
        if scaledCondition > 30 {
            notes.append(Note(.collinearity, vi: "số điều kiện \(Note.vi(Self.short(scaledCondition))) (> 30, ma trận đã chuẩn hóa): đa cộng tuyến mạnh, diễn giải từng hệ số một cách thận trọng",
                              en: "condition number \(Self.short(scaledCondition)) (> 30, scaled design): strong collinearity, interpret single coefficients with care"))
        }
        return RegressionResult(
            responseName: data.responseName, coefficients: coefficients, covariance: covariance,
            standardErrorType: standardErrors, confidenceLevel: confidenceLevel, includesIntercept: includesIntercept,
            weightName: data.weightName, clusterName: standardErrors == .cluster ? data.clusterName : nil,
            clusterCount: clusterCount, observationCount: n, residualDegreesOfFreedom: df,
            inferenceDegreesOfFreedom: inferenceDF, designSummary: survey?.design.description, residualSumOfSquares: rss,
            rSquared: rSquared, adjustedRSquared: adjusted, sigma: sigma2.squareRoot(),
            fStatistic: fStatistic, fPValue: fPValue,
            fDegreesOfFreedom: slopes > 0 ? (slopes, df) : nil,
            robustFStatistic: robustF, robustFPValue: robustP,
            conditionNumber: scaledCondition, unscaledConditionNumber: try solution.conditionNumber(scalingColumns: false),
            rows: data.rows, notes: notes)
    }

    /// √W X in column-major storage: a column of √wᵢ for the intercept, then each predictor times √wᵢ.
    static func weightedDesign(_ predictors: [[Double]], root: [Double], intercept: Bool) -> Matrix {
        let n = root.count, k = predictors.count + (intercept ? 1 : 0)
        var storage = [Double](repeating: 0, count: n * k)
        storage.withUnsafeMutableBufferPointer { target in
            var offset = 0
            if intercept {
                for i in 0..<n { target[i] = root[i] }
                offset = n
            }
            for column in predictors {
                for i in 0..<n { target[offset + i] = column[i] * root[i] }
                offset += n
            }
        }
        return Matrix(rows: n, columns: k, columnMajor: storage)
    }

    /// Columns that are (numerically) combinations of the columns before them, found by adding columns in
    /// order and keeping those that leave the design of full rank. Nil when the walk finds none.
    static func dependentInOrder(_ columns: [[Double]], _ response: [Double], rankTolerance: Double) throws -> [Int]? {
        var kept: [Int] = [], dependent: [Int] = []
        for j in columns.indices {
            do {
                _ = try LeastSquares.solve(Matrix(columns: (kept + [j]).map { columns[$0] }), response, rankTolerance: rankTolerance)
                kept.append(j)
            } catch LinearAlgebraError.rankDeficient {
                dependent.append(j)
            }
        }
        return dependent.isEmpty ? nil : dependent
    }

    /// V = B M B for bread B = (XᵀWX)⁻¹ and meat M; symmetrized against rounding.
    static func sandwich(bread: Matrix, meat: Matrix) -> Matrix {
        var v = bread * meat * bread
        for i in 0..<v.rows { for j in 0..<i { let s = (v[i, j] + v[j, i]) / 2; v[i, j] = s; v[j, i] = s } }
        return v
    }

    static func power(_ x: Double, _ p: Double) -> Double { p == 1 ? x : x * x }

    /// √(Σw(x − x̄_w)² / Σw): the normalization cancels in b·sd(x)/sd(y).
    static func weightedStandardDeviation(_ x: [Double], _ w: [Double]) -> Double {
        let total = w.reduce(0, +)
        let mean = zip(w, x).reduce(0) { $0 + $1.0 * $1.1 } / total
        return (zip(w, x).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) } / total).squareRoot()
    }

    /// VIFⱼ = 1/(1 − R²ⱼ) from the weighted regression of predictor j on an intercept and the other predictors.
    /// Source: Marquardt (1970); Fox & Monette (1992) for the definition via auxiliary regressions.
    static func varianceInflationFactors(_ predictors: [[Double]], weights: [Double]) throws -> [Double] {
        let p = predictors.count
        guard p > 1 else { return [Double](repeating: 1, count: p) }
        // 1/(1 − R²ⱼ) is the j-th diagonal element of the inverse of the predictors' (weighted) correlation
        // matrix: one pass over the rows instead of p auxiliary regressions. Near-singular matrices fall back
        // to the auxiliary regressions by QR.
        if let correlation = try? RelativeImportance.correlationMatrix(variables: predictors, weights: weights,
                                                                       names: predictors.indices.map { "x\($0)" }),
           let inverse = try? correlation.solvingPositiveDefinite(.identity(p)),
           (0..<p).allSatisfy({ inverse[$0, $0] >= 1 && inverse[$0, $0] < 1e6 }) {
            return (0..<p).map { inverse[$0, $0] }
        }
        let root = weights.map { $0.squareRoot() }
        let n = weights.count
        return try (0..<p).map { j in
            let others = [[Double](repeating: 1, count: n)] + predictors.enumerated().filter { $0.offset != j }.map(\.element)
            let design = Matrix(columns: others.map { column in zip(column, root).map { $0 * $1 } })
            let target = zip(predictors[j], root).map { $0 * $1 }
            let rss = try LeastSquares.solve(design, target, rankTolerance: 1e-12).residualSumOfSquares
            let sd = weightedStandardDeviation(predictors[j], weights)
            let tss = sd * sd * weights.reduce(0, +)
            return tss / rss  // 1 / (1 − R²) = TSS / RSS
        }
    }

    static func short(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded >= 1e6 ? "\(Int(value.rounded()))" : "\(rounded)"
    }
}
