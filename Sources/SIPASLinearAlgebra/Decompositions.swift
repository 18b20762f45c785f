import CLAPACK

extension Matrix {
    /// The thin singular value decomposition A = U diag(s) Vᵀ from LAPACK `dgesdd` (divide and conquer),
    /// singular values largest first; U is m×min(m, n), Vᵀ is min(m, n)×n.
    ///
    /// Singular vectors are determined only up to a joint sign per pair; products such as U Vᵀ are not.
    ///
    /// - Throws: `nonFinite` for NaN or infinite entries, `noConvergence` when `dgesdd` reports `info > 0`.
    /// - Source: Golub & Van Loan, *Matrix Computations* (4th ed.), §8.6; LAPACK Users' Guide, `xGESDD`
    ///   (the routine behind R's `La.svd`).
    public func singularValueDecomposition() throws -> (u: Matrix, values: [Double], vt: Matrix) {
        let m = rows, n = columns, k = Swift.min(m, n)
        guard m >= 1, n >= 1 else {
            throw LinearAlgebraError.dimensionMismatch(vi: "cần một ma trận khác rỗng, nhận được \(rows)×\(columns)", en: "need a non-empty matrix, got \(rows)×\(columns)")
        }
        guard storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(vi: "ma trận", en: "matrix") }
        let lm = try lapackInt(m), ln = try lapackInt(n), lk = try lapackInt(k)
        var a = storage
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: m * k), vt = [Double](repeating: 0, count: k * n)
        try check(LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), lm, ln, &a, lm, &s, &u, lm, &vt, lk), "dgesdd") {
            LinearAlgebraError.noConvergence(routine: "dgesdd", info: $0)
        }
        return (Matrix(rows: m, columns: k, columnMajor: u), s, Matrix(rows: k, columns: n, columnMajor: vt))
    }

    /// Solves A X = B for a symmetric positive definite A and several right-hand sides (the columns of B)
    /// by Cholesky factorization (LAPACK `dposv`); with B = I this is A⁻¹.
    ///
    /// - Throws: `dimensionMismatch` when A is not square or B does not fit, `nonFinite`, and `singular`
    ///   when A is not positive definite (`info > 0`: the leading minor of that order is not positive).
    public func solvingPositiveDefinite(_ b: Matrix) throws -> Matrix {
        guard rows == columns, rows >= 1 else {
            throw LinearAlgebraError.dimensionMismatch(vi: "cần một ma trận vuông khác rỗng, nhận được \(rows)×\(columns)", en: "need a non-empty square matrix, got \(rows)×\(columns)")
        }
        guard b.rows == rows, b.columns >= 1 else {
            throw LinearAlgebraError.dimensionMismatch(vi: "B có cỡ \(b.rows)×\(b.columns), A có \(rows) dòng", en: "B is \(b.rows)×\(b.columns), A has \(rows) rows")
        }
        guard storage.allSatisfy(\.isFinite), b.storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(vi: "A hoặc B", en: "A or B") }
        let n = try lapackInt(rows), nrhs = try lapackInt(b.columns)
        var a = storage
        var x = b.storage
        try check(LAPACKE_dposv(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), n, nrhs, &a, n, &x, n), "dposv") {
            LinearAlgebraError.singular(routine: "dposv", index: $0)
        }
        return Matrix(rows: rows, columns: b.columns, columnMajor: x)
    }
}
