import CLAPACK

/// Least squares over rows that arrive in blocks, without keeping the rows: the R factor of the augmented
/// matrix [X | y] is updated block by block with LAPACK `dgeqrf` (stacking the old R on the new rows), so the
/// result equals a QR fit of all rows at once. Two accumulators merge the same way, so blocks can be
/// processed by different threads or machines.
public struct StreamingLeastSquares: Sendable {
    /// Number of predictors (columns of X).
    public let predictors: Int
    /// Upper-triangular (p+1)×(p+1) factor of [X | y], column-major.
    private var r: [Double]
    /// Rows absorbed so far.
    public private(set) var rowCount = 0
    private var pending: [[Double]] = []

    public init(predictors: Int) {
        precondition(predictors >= 1)
        self.predictors = predictors
        self.r = [Double](repeating: 0, count: (predictors + 1) * (predictors + 1))
    }

    /// Adds one row (x, y). Rows are buffered and absorbed 1,024 at a time.
    public mutating func append(_ x: [Double], _ y: Double) throws {
        guard x.count == predictors else {
            throw LinearAlgebraError.dimensionMismatch(vi: "dòng có \(x.count) biến giải thích, cần \(predictors)", en: "row has \(x.count) predictors, expected \(predictors)")
        }
        pending.append(x + [y])
        if pending.count == 1024 { try flush() }
    }

    /// Absorbs another accumulator's rows.
    public mutating func merge(_ other: StreamingLeastSquares) throws {
        guard other.predictors == predictors else { throw LinearAlgebraError.dimensionMismatch(vi: "số biến giải thích khác nhau", en: "different predictor counts") }
        var other = other
        try other.flush()
        try flush()
        let q = predictors + 1
        try absorb((0..<q).map { i in (0..<q).map { j in other.r[i + j * q] } })
        rowCount += other.rowCount - q  // absorb counted the q rows of R itself
    }

    private mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let rows = pending
        pending.removeAll(keepingCapacity: true)
        try absorb(rows)
    }

    /// Stacks R over `rows` (each of length p+1) and refactorizes.
    private mutating func absorb(_ rows: [[Double]]) throws {
        let q = predictors + 1
        let m = q + rows.count
        var a = [Double](repeating: 0, count: m * q)
        for j in 0..<q {
            for i in 0...j { a[i + j * m] = r[i + j * q] }
            for (k, row) in rows.enumerated() {
                guard row[j].isFinite else { throw LinearAlgebraError.nonFinite(vi: "dòng \(rowCount + k + 1)", en: "row \(rowCount + k + 1)") }
                a[q + k + j * m] = row[j]
            }
        }
        var tau = [Double](repeating: 0, count: q)
        let lm = try lapackInt(m), lq = try lapackInt(q)
        try check(LAPACKE_dgeqrf(LAPACK_COL_MAJOR, lm, lq, &a, lm, &tau), "dgeqrf") {
            LinearAlgebraError.noConvergence(routine: "dgeqrf", info: $0)
        }
        for j in 0..<q { for i in 0..<q { r[i + j * q] = i <= j ? a[i + j * m] : 0 } }
        rowCount += rows.count
    }

    /// Coefficients b minimizing ||y − Xb|| over all rows appended.
    /// - Throws: `rankDeficient` when a diagonal element of R is ≤ `rankTolerance` × the largest.
    public mutating func solve(rankTolerance: Double = 1e-10) throws -> [Double] {
        try flush()
        let p = predictors, q = p + 1
        guard rowCount >= p else { throw LinearAlgebraError.dimensionMismatch(vi: "\(rowCount) dòng cho \(p) biến giải thích", en: "\(rowCount) rows for \(p) predictors") }
        let largest = (0..<p).map { abs(r[$0 + $0 * q]) }.max() ?? 0
        let dependent = (0..<p).filter { abs(r[$0 + $0 * q]) <= rankTolerance * largest }
        if !dependent.isEmpty { throw LinearAlgebraError.rankDeficient(rank: p - dependent.count, dependentColumns: dependent) }
        var upper = [Double](repeating: 0, count: p * p)
        for j in 0..<p { for i in 0...j { upper[i + j * p] = r[i + j * q] } }
        var rhs = (0..<p).map { r[$0 + p * q] }
        let lp = try lapackInt(p)
        try check(LAPACKE_dtrtrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")),
                                 Int8(UInt8(ascii: "N")), lp, 1, &upper, lp, &rhs, lp), "dtrtrs") {
            LinearAlgebraError.singular(routine: "dtrtrs", index: $0)
        }
        return rhs
    }
}
