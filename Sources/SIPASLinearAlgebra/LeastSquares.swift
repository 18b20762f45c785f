import CLAPACK
import Foundation
import SIPASSupport

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
    /// R of the QR factorization of X with columns scaled to unit length, in pivot order (n × n, upper).
    public let equilibratedR: Matrix
    /// The Euclidean length of each column of X (original order).
    public let columnLengths: [Double]
    /// The original column at each pivot position.
    public let pivotOrder: [Int]

    /// The 2-norm condition number of X (or of X with unit-length columns) from the singular values of the
    /// n × n factor R: X D⁻¹ P = Q R has the singular values of R, and X P = Q R (Pᵀ D P). Equal to
    /// `Matrix.conditionNumber(scalingColumns:)` of X up to rounding, without a copy or an SVD of X.
    /// - Source: Golub & Van Loan, *Matrix Computations* (4th ed.), §5.4.5 (R-bidiagonalization); Belsley, Kuh
    ///   & Welsch (1980), §3.2 for the column scaling.
    public func conditionNumber(scalingColumns: Bool) throws -> Double {
        // R's columns already have unit length (those of X D⁻¹ P); unscaled, they get X's lengths back.
        var r = equilibratedR
        if !scalingColumns {
            for p in 0..<r.columns { for i in 0...p { r[i, p] *= columnLengths[pivotOrder[p]] } }
        }
        return try r.conditionNumber(scalingColumns: false)
    }
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
        guard n >= 1 else { throw LinearAlgebraError.dimensionMismatch(vi: "X không có cột nào", en: "X has no columns") }
        guard m >= n else { throw LinearAlgebraError.dimensionMismatch(vi: "X có \(m) dòng và \(n) cột; cần số dòng >= số cột", en: "X has \(m) rows and \(n) columns; need rows >= columns") }
        guard response.count == m else {
            throw LinearAlgebraError.dimensionMismatch(vi: "y có \(response.count) giá trị, X có \(m) dòng", en: "y has \(response.count) values, X has \(m) rows")
        }
        guard design.storage.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(vi: "X", en: "X") }
        guard response.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite(vi: "y", en: "y") }
        if m > compressAbove {
            // Solve the equivalent small problem, then take residuals on the full data.
            let (smallDesign, smallResponse) = try compressed(design, response, blockRows: blockRows)
            let small = try solve(smallDesign, smallResponse, rankTolerance: rankTolerance)
            let residuals = residuals(design, response, small.coefficients)
            return LeastSquaresSolution(
                coefficients: small.coefficients, residuals: residuals, residualSumOfSquares: residuals.reduce(0) { $0 + $1 * $1 },
                rank: small.rank, unscaledCovariance: small.unscaledCovariance, reciprocalCondition: small.reciprocalCondition,
                equilibratedR: small.equilibratedR, columnLengths: small.columnLengths, pivotOrder: small.pivotOrder)
        }
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

        let residuals = residuals(design, response, coefficients)
        let rss = residuals.reduce(0) { $0 + $1 * $1 }

        // R (upper n×n) → R⁻¹ → (RᵀR)⁻¹ = R⁻¹R⁻ᵀ, then undo pivoting and equilibration.
        var r = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0...j { r[i + j * n] = a[i + j * m] } }
        let factor = Matrix(rows: n, columns: n, columnMajor: r)
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
                                    rank: rank, unscaledCovariance: covariance, reciprocalCondition: rcond,
                                    equilibratedR: factor, columnLengths: scale, pivotOrder: order)
    }

    /// y − X b, column by column.
    static func residuals(_ design: Matrix, _ response: [Double], _ coefficients: [Double]) -> [Double] {
        let m = design.rows
        var residuals = response
        design.storage.withUnsafeBufferPointer { x in
            residuals.withUnsafeMutableBufferPointer { r in
                for (j, b) in coefficients.enumerated() {
                    for i in 0..<m { r[i] -= x[i + j * m] * b }
                }
            }
        }
        return residuals
    }

    /// Above this many rows `solve` first compresses the problem block by block (`compressed`).
    ///
    /// Besides saving a copy of X, this keeps every LAPACK call on at most `2 · blockRows` rows: OpenBLAS
    /// 0.3.21 (Debian 12) returns wrong transposed matrix–vector products (`dgemv`, relative errors of 1e-4 and more)
    /// on columns of more than about 2.1 million rows that do not start on an aligned address, which is what
    /// Householder QR does below the first row, so a direct QR of a multi-million-row design is wrong.
    public static let compressAbove = 1 << 18
    public static let blockRows = 1 << 16

    /// An n-row-per-block problem with the same least-squares solution: [X y] is split into blocks of
    /// `blockRows` rows (the last one takes the remainder), each block is reduced to the (n + 1) × (n + 1)
    /// triangle R_c of its QR factorization (LAPACK `dgeqrf`), and the triangles are stacked: [X y] = Q S with
    /// Q orthonormal columns, so ‖X b − y‖ = ‖S_X b − s_y‖ for every b, XᵀX = S_XᵀS_X and the column lengths
    /// of X are those of S_X. Blocks run on all cores; each fills its own rows of S, so the result does not
    /// depend on the thread count.
    ///
    /// - Source: Demmel, Grigori, Hoemmen & Langou, "Communication-optimal parallel and sequential QR and LU
    ///   factorizations", *SIAM J. Sci. Comput.* 34 (2012) (TSQR); Golub & Van Loan (4th ed.), §5.6.
    public static func compressed(_ design: Matrix, _ response: [Double], blockRows: Int) throws -> (Matrix, [Double]) {
        let m = design.rows, n = design.columns, width = n + 1
        let rowsPerBlock = max(blockRows, 4 * width)
        let blocks = max(1, m / rowsPerBlock)
        let stacked = blocks * width
        var s = [Double](repeating: 0, count: stacked * width)
        var status = [Int32](repeating: 0, count: blocks)  // dgeqrf's info per block
        s.withUnsafeMutableBufferPointer { target in
            status.withUnsafeMutableBufferPointer { status in
                let target = UncheckedBuffer(target), status = UncheckedBuffer(status)
                DispatchQueue.concurrentPerform(iterations: blocks) { block in
                    let first = block * rowsPerBlock
                    let rows = block == blocks - 1 ? m - first : rowsPerBlock
                    var a = [Double](repeating: 0, count: rows * width)
                    design.storage.withUnsafeBufferPointer { x in
                        for j in 0..<n { for i in 0..<rows { a[i + j * rows] = x[first + i + j * m] } }
                    }
                    for i in 0..<rows { a[i + n * rows] = response[first + i] }
                    var tau = [Double](repeating: 0, count: width)
                    status.pointer[block] = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, Int32(rows), Int32(width), &a, Int32(rows), &tau)
                    for j in 0..<width {
                        for i in 0...min(j, rows - 1) { target.pointer[block * width + i + j * stacked] = a[i + j * rows] }
                    }
                }
            }
        }
        if let info = status.first(where: { $0 != 0 }) {
            throw LinearAlgebraError.noConvergence(routine: "dgeqrf", info: Int(info))
        }
        let sx = Matrix(rows: stacked, columns: n, columnMajor: Array(s[0..<(stacked * n)]))
        return (sx, Array(s[(stacked * n)...]))
    }
}
