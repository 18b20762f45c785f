import CLAPACK

/// The solution of min ||y - X b|| by Householder QR with column pivoting.
public struct LeastSquaresSolution: Sendable {
    /// Estimated coefficients, in the order of the columns of X.
    public let coefficients: [Double]
    /// y - X b.
    public let residuals: [Double]
    /// Sum of squared residuals.
    public let residualSumOfSquares: Double
    /// Numerical rank of X (equal to the number of columns: rank-deficient problems throw).
    public let rank: Int
    /// (XᵀX)⁻¹, computed from R without forming XᵀX; multiply by σ² for the classical covariance.
    public let unscaledCovariance: Matrix
    /// Reciprocal condition number (1-norm) of the column-equilibrated R factor, from LAPACK `dtrcon`.
    public let reciprocalCondition: Double
}

/// Least squares through LAPACK: columns are equilibrated to unit length, factorized with pivoted QR
/// (`dgeqp3`), rank is decided with a stated relative tolerance on R's diagonal, and the triangular
/// system is solved with `dtrtrs`. Normal equations are never formed.
public enum LeastSquares {
    /// Solves min ||y - X b||₂.
    ///
    /// - Parameters:
    ///   - design: X, `rows >= columns >= 1`, finite.
    ///   - response: y, one value per row of X.
    ///   - rankTolerance: a column k (in pivot order) counts as dependent when |R_kk| ≤ tolerance · |R_11|
    ///     after equilibration. The default 1e-10 flags exact and near-exact collinearity while accepting
    ///     designs with condition numbers up to about 1e10.
    /// - Throws: `LinearAlgebraError.rankDeficient` naming the dependent columns (0-based), or the
    ///   dimension / finiteness errors.
    public static func solve(_ design: Matrix, _ response: [Double], rankTolerance: Double = 1e-10) throws
        -> LeastSquaresSolution
    {
        let m = design.rows, n = design.columns
        guard n >= 1 else { throw LinearAlgebraError.dimensionMismatch("X has no columns") }
        guard m >= n else { throw LinearAlgebraError.dimensionMismatch("X has \(m) rows and \(n) columns; need rows >= columns") }
        guard response.count == m else {
            throw LinearAlgebraError.dimensionMismatch("y has \(response.count) values, X has \(m) rows")
        }
        guard design.storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite("X") }
        guard response.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite("y") }
        let lm = try lapackInt(m), ln = try lapackInt(n)

        // Equilibrate: a = X D⁻¹ with D = diag(column norms). A zero column is dependent by definition.
        var a = design.storage
        var scale = [Double](repeating: 1, count: n)
        for j in 0..<n {
            var sum = 0.0
            for i in 0..<m { sum += a[i + j * m] * a[i + j * m] }
            let norm = sum.squareRoot()
            if norm == 0 { throw LinearAlgebraError.rankDeficient(rank: n - 1, dependentColumns: [j]) }
            scale[j] = norm
            for i in 0..<m { a[i + j * m] /= norm }
        }

        var pivot = [Int32](repeating: 0, count: n)
        var tau = [Double](repeating: 0, count: n)
        try check(LAPACKE_dgeqp3(LAPACK_COL_MAJOR, lm, ln, &a, lm, &pivot, &tau), "dgeqp3") {
            LinearAlgebraError.noConvergence(routine: "dgeqp3", info: $0)
        }
        let order = pivot.map { Int($0) - 1 }  // 0-based original column of each pivot position

        let r11 = abs(a[0])
        var rank = 0
        while rank < n, abs(a[rank + rank * m]) > rankTolerance * r11 { rank += 1 }
        if rank < n {
            throw LinearAlgebraError.rankDeficient(rank: rank, dependentColumns: order[rank...].sorted())
        }

        // Qᵀy, then R z = (Qᵀy)[0..<n].
        var qty = response
        try check(LAPACKE_dormqr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int8(UInt8(ascii: "T")),
                                 lm, 1, ln, &a, lm, &tau, &qty, lm), "dormqr") {
            LinearAlgebraError.noConvergence(routine: "dormqr", info: $0)
        }
        var z = Array(qty[0..<n])
        try check(LAPACKE_dtrtrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")),
                                 Int8(UInt8(ascii: "N")), ln, 1, &a, lm, &z, ln), "dtrtrs") {
            LinearAlgebraError.singular(routine: "dtrtrs", index: $0)
        }
        var coefficients = [Double](repeating: 0, count: n)
        for k in 0..<n { coefficients[order[k]] = z[k] / scale[order[k]] }

        var residuals = response
        for j in 0..<n {
            let b = coefficients[j]
            for i in 0..<m { residuals[i] -= design.storage[i + j * m] * b }
        }
        let rss = residuals.reduce(0) { $0 + $1 * $1 }

        // R (upper n×n) → R⁻¹ → (RᵀR)⁻¹ = R⁻¹R⁻ᵀ, then undo pivoting and equilibration.
        var r = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0...j { r[i + j * n] = a[i + j * m] } }
        var rcond = 0.0
        try check(LAPACKE_dtrcon(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "1")), Int8(UInt8(ascii: "U")),
                                 Int8(UInt8(ascii: "N")), ln, &r, ln, &rcond), "dtrcon") {
            LinearAlgebraError.noConvergence(routine: "dtrcon", info: $0)
        }
        try check(LAPACKE_dtrtri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), ln, &r, ln),
                  "dtrtri") { LinearAlgebraError.singular(routine: "dtrtri", index: $0) }
        var covariance = Matrix(rows: n, columns: n)
        for p in 0..<n {
            for q in p..<n {
                var sum = 0.0
                for k in q..<n { sum += r[p + k * n] * r[q + k * n] }  // row p of R⁻¹ · row q of R⁻¹
                let i = order[p], j = order[q]
                let value = sum / (scale[i] * scale[j])
                covariance[i, j] = value
                covariance[j, i] = value
            }
        }
        return LeastSquaresSolution(coefficients: coefficients, residuals: residuals, residualSumOfSquares: rss,
                                    rank: rank, unscaledCovariance: covariance, reciprocalCondition: rcond)
    }
}
