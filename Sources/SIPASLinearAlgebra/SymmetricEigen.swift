import CLAPACK

extension Matrix {
    /// Eigenvalues (ascending) and orthonormal eigenvectors (as columns, in the same order) of a symmetric
    /// matrix, from LAPACK `dsyev`. Only the upper triangle is read.
    ///
    /// - Throws: `dimensionMismatch` for a non-square matrix, `nonFinite` for NaN or infinite entries,
    ///   `noConvergence` when `dsyev` reports `info > 0`.
    /// - Source: Golub & Van Loan, *Matrix Computations* (4th ed.), §8.3; LAPACK Users' Guide, `xSYEV`.
    public func symmetricEigen() throws -> (values: [Double], vectors: Matrix) {
        guard rows == columns else {
            throw LinearAlgebraError.dimensionMismatch(vi: "cần một ma trận vuông, nhận được \(rows)×\(columns)", en: "need a square matrix, got \(rows)×\(columns)")
        }
        guard rows >= 1 else { return ([], self) }
        guard storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(vi: "ma trận", en: "matrix") }
        let n = try lapackInt(rows)
        var a = storage
        var w = [Double](repeating: 0, count: rows)
        try check(LAPACKE_dsyev(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), n, &a, n, &w), "dsyev") {
            LinearAlgebraError.noConvergence(routine: "dsyev", info: $0)
        }
        return (w, Matrix(rows: rows, columns: rows, columnMajor: a))
    }
}
