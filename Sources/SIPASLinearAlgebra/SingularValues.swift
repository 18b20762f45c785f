import CLAPACK

extension Matrix {
    /// The singular values of the matrix, largest first, from LAPACK `dgesdd` (divide and conquer, values only).
    ///
    /// - Throws: `LinearAlgebraError.nonFinite` for NaN or infinite entries, `noConvergence` when `dgesdd`
    ///   reports `info > 0`.
    /// - Source: Golub & Van Loan, *Matrix Computations* (4th ed.), §8.6; LAPACK Users' Guide, `xGESDD`.
    public func singularValues() throws -> [Double] {
        let m = rows, n = columns
        guard m >= 1, n >= 1 else { return [] }
        guard storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(vi: "ma trận", en: "matrix") }
        let lm = try lapackInt(m), ln = try lapackInt(n)
        var a = storage
        var s = [Double](repeating: 0, count: Swift.min(m, n))
        var u = [Double](repeating: 0, count: 1), vt = [Double](repeating: 0, count: 1)  // not referenced (jobz = N)
        try check(LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), lm, ln, &a, lm, &s,
                                 &u, 1, &vt, 1), "dgesdd") {
            LinearAlgebraError.noConvergence(routine: "dgesdd", info: $0)
        }
        return s
    }

    /// The 2-norm condition number σ_max / σ_min (infinite when the smallest singular value is 0).
    ///
    /// - Parameter scalingColumns: when true, each column is first divided by its Euclidean length, the
    ///   scaling Belsley, Kuh & Welsch recommend for collinearity diagnostics (a zero column stays zero and
    ///   makes the result infinite).
    /// - Source: Belsley, Kuh & Welsch, *Regression Diagnostics* (1980), §3.2.
    public func conditionNumber(scalingColumns: Bool) throws -> Double {
        var scaled = self
        if scalingColumns {
            for j in 0..<columns {
                var sum = 0.0
                for i in 0..<rows { sum += self[i, j] * self[i, j] }
                let norm = sum.squareRoot()
                if norm > 0 { for i in 0..<rows { scaled[i, j] /= norm } }
            }
        }
        let values = try scaled.singularValues()
        guard let largest = values.first, let smallest = values.last else { return .nan }
        return smallest > 0 ? largest / smallest : .infinity
    }

    /// Solves A x = b for a symmetric positive definite A by Cholesky factorization (LAPACK `dposv`).
    ///
    /// - Throws: `dimensionMismatch` when A is not square or b does not fit, `singular` when A is not
    ///   positive definite (`info > 0`: the leading minor of that order is not positive).
    public func solvingPositiveDefinite(_ b: [Double]) throws -> [Double] {
        guard rows == columns, rows >= 1 else {
            throw LinearAlgebraError.dimensionMismatch(vi: "cần một ma trận vuông khác rỗng, nhận được \(rows)×\(columns)", en: "need a non-empty square matrix, got \(rows)×\(columns)")
        }
        guard b.count == rows else { throw LinearAlgebraError.dimensionMismatch(vi: "b có \(b.count) giá trị, A có \(rows) dòng", en: "b has \(b.count) values, A has \(rows) rows") }
        guard storage.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(vi: "A hoặc b", en: "A or b") }
        let n = try lapackInt(rows)
        var a = storage
        var x = b
        try check(LAPACKE_dposv(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), n, 1, &a, n, &x, n), "dposv") {
            LinearAlgebraError.singular(routine: "dposv", index: $0)
        }
        return x
    }
}

extension LeastSquares {
    /// The diagonal of the hat matrix H = X (XᵀX)⁻¹ Xᵀ (the leverages), as the squared row norms of the thin
    /// Q factor of X (LAPACK `dgeqrf` then `dorgqr`), without forming XᵀX.
    ///
    /// - Parameter design: X with `rows >= columns >= 1` and full column rank (check with `solve` first).
    /// - Source: Hoaglin & Welsch, "The Hat Matrix in Regression and ANOVA", *Am. Stat.* 32 (1978).
    public static func leverages(_ design: Matrix) throws -> [Double] {
        let m = design.rows, n = design.columns
        guard n >= 1, m >= n else {
            throw LinearAlgebraError.dimensionMismatch(vi: "X có \(m) dòng và \(n) cột; cần số dòng >= số cột >= 1", en: "X has \(m) rows and \(n) columns; need rows >= columns >= 1")
        }
        guard design.storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(vi: "X", en: "X") }
        if m > compressAbove { return try leveragesFromR(design) }
        let lm = try lapackInt(m), ln = try lapackInt(n)
        var a = design.storage
        var tau = [Double](repeating: 0, count: n)
        try check(LAPACKE_dgeqrf(LAPACK_COL_MAJOR, lm, ln, &a, lm, &tau), "dgeqrf") {
            LinearAlgebraError.noConvergence(routine: "dgeqrf", info: $0)
        }
        try check(LAPACKE_dorgqr(LAPACK_COL_MAJOR, lm, ln, ln, &a, lm, &tau), "dorgqr") {
            LinearAlgebraError.noConvergence(routine: "dorgqr", info: $0)
        }
        var h = [Double](repeating: 0, count: m)
        for j in 0..<n { for i in 0..<m { h[i] += a[i + j * m] * a[i + j * m] } }
        return h
    }

    /// Leverages of a tall design without a QR of all its rows: R from the compressed problem (XᵀX = RᵀR),
    /// then hᵢ = ‖xᵢ R⁻¹‖² row by row.
    static func leveragesFromR(_ design: Matrix) throws -> [Double] {
        let m = design.rows, n = design.columns
        var (s, _) = try compressed(design, [Double](repeating: 0, count: m), blockRows: blockRows)
        let ls = try lapackInt(s.rows), ln = try lapackInt(n)
        var tau = [Double](repeating: 0, count: n)
        try check(LAPACKE_dgeqrf(LAPACK_COL_MAJOR, ls, ln, &s.storage, ls, &tau), "dgeqrf") {
            LinearAlgebraError.noConvergence(routine: "dgeqrf", info: $0)
        }
        var inverse = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0...j { inverse[i + j * n] = s[i, j] } }
        try check(LAPACKE_dtrtri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), ln, &inverse, ln),
                  "dtrtri") { LinearAlgebraError.singular(routine: "dtrtri", index: $0) }
        var h = [Double](repeating: 0, count: m)
        design.storage.withUnsafeBufferPointer { x in
            for i in 0..<m {
                var sum = 0.0
                for j in 0..<n {
                    var z = 0.0
                    for l in 0...j { z += x[i + l * m] * inverse[l + j * n] }
                    sum += z * z
                }
                h[i] = sum
            }
        }
        return h
    }
}
