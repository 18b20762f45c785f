import Foundation
import Testing
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASLinearAlgebra
@testable import SIPASModels
import SIPASSupport

/// Least squares on tall designs: above `LeastSquares.compressAbove` rows the problem is first reduced block by
/// block to stacked R factors (TSQR). The reduction must give the certified NIST answers, the same fit as a direct
/// QR where a direct QR is right, and the right fit at millions of rows, where OpenBLAS 0.3.21's direct QR is not.
@Suite("Tall least squares (block QR)")
struct TallLeastSquaresTests {
    /// √W-free design [1 x₁ … x_p] of a NIST set, as `LinearRegression` builds it.
    static func design(_ data: RegressionData, intercept: Bool) -> Matrix {
        LinearRegression.weightedDesign(data.predictors, root: [Double](repeating: 1, count: data.response.count), intercept: intercept)
    }

    @Test("every NIST StRD set through the smallest blocks meets its certified tolerances",
          .requires(TestPaths.hasShared("reference/nist"), "needs ../shared/reference/nist"), arguments: NISTRegressionTests.sets)
    func nistThroughBlocks(_ name: String) throws {
        let (data, reference) = try NISTRegressionTests.load(name)
        let x = Self.design(data, intercept: reference.intercept)
        let (smallX, smallY) = try LeastSquares.compressed(x, data.response, blockRows: 1)
        #expect(smallX.rows < x.rows || x.rows <= 4 * (x.columns + 1))
        let solution: LeastSquaresSolution
        do {
            solution = try LeastSquares.solve(smallX, smallY)
        } catch LinearAlgebraError.rankDeficient {
            #expect(name == "nist_filip", "only Filip may be refused")
            return
        }
        let residuals = LeastSquares.residuals(x, data.response, solution.coefficients)
        let rss = residuals.reduce(0) { $0 + $1 * $1 }
        let sigma2 = rss / Double(x.rows - x.columns)
        for j in 0..<x.columns {
            #expect(NISTRegressionTests.within(solution.coefficients[j], reference.estimates[j], reference.tolerance["coefficients"]),
                    "\(name) b\(j): \(solution.coefficients[j]) vs \(reference.estimates[j])")
            #expect(NISTRegressionTests.within((sigma2 * solution.unscaledCovariance[j, j]).squareRoot(), reference.sds[j],
                                               reference.tolerance["sd"]), "\(name) sd\(j)")
        }
        #expect(NISTRegressionTests.within(sigma2.squareRoot(), reference.residualSD, reference.tolerance["residual_sd"]))
        // The compressed residual (last stacked column beyond X's span) carries the same RSS.
        let smallResiduals = LeastSquares.residuals(smallX, smallY, solution.coefficients)
        let scale = data.response.reduce(0) { $0 + $1 * $1 }
        #expect(close(smallResiduals.reduce(0) { $0 + $1 * $1 }, rss, relative: 1e-6, absolute: 1e-14 * scale))
    }

    /// A reproducible tall design: an intercept and five Likert-like means, y with known slopes and noise.
    static func tallProblem(rows: Int, seed: UInt64) -> (Matrix, [Double]) {
        var random = RandomSource(seed: seed)
        let k = 6
        var x = [Double](repeating: 1, count: rows * k)
        var y = [Double](repeating: 0, count: rows)
        let slopes = [0.5, 0.1, 0.25, 0.2, 0.3, 0.1]
        for i in 0..<rows {
            let common = random.uniform()
            var value = slopes[0]
            for j in 1..<k {
                let score = 1 + (4 * (0.6 * common + 0.4 * random.uniform())).rounded()
                x[i + j * rows] = score
                value += slopes[j] * score
            }
            y[i] = value + 0.45 * random.normal()
        }
        return (Matrix(rows: rows, columns: k, columnMajor: x), y)
    }

    @Test("blocks give the direct QR's fit, condition numbers and leverages (20,000 rows in 20 blocks)")
    func blocksEqualDirect() throws {
        let (x, y) = Self.tallProblem(rows: 20_000, seed: 7)
        let direct = try LeastSquares.solve(x, y)
        let (smallX, smallY) = try LeastSquares.compressed(x, y, blockRows: 1_000)
        #expect(smallX.rows == 20 * 7)
        let small = try LeastSquares.solve(smallX, smallY)
        for j in 0..<x.columns {
            #expect(close(small.coefficients[j], direct.coefficients[j], relative: 1e-12))
            for l in 0..<x.columns {
                #expect(close(small.unscaledCovariance[j, l], direct.unscaledCovariance[j, l], relative: 1e-11))
            }
        }
        // (rcond is a 1-norm estimate that depends on the pivot order, which ties in equilibrated norms can change.)
        let rss = LeastSquares.residuals(x, y, small.coefficients).reduce(0) { $0 + $1 * $1 }
        #expect(close(rss, direct.residualSumOfSquares, relative: 1e-12))
        for scaling in [true, false] {
            let full = try x.conditionNumber(scalingColumns: scaling)
            #expect(close(try direct.conditionNumber(scalingColumns: scaling), full, relative: 1e-12))
            #expect(close(try small.conditionNumber(scalingColumns: scaling), full, relative: 1e-12))
        }
        let leverages = try LeastSquares.leverages(x)
        let fromR = try LeastSquares.leveragesFromR(x)
        #expect(leverages.count == fromR.count)
        #expect(zip(leverages, fromR).allSatisfy { close($1, $0, relative: 1e-10) })
        #expect(close(fromR.reduce(0, +), Double(x.columns), relative: 1e-12))  // trace of the hat matrix
    }

    @Test("2,500,000 rows: the fit equals the centred normal equations (a direct QR through OpenBLAS 0.3.21 is wrong there)")
    func millionsOfRows() throws {
        // y = 2 + 0.5 x₁ − 0.25 x₂ + e: the reference solves the centred 2 × 2 normal equations with two-pass sums,
        // accurate to ~1e-13 for these well-conditioned columns.
        let m = 2_500_000
        var random = RandomSource(seed: 11)
        var storage = [Double](repeating: 1, count: 3 * m)
        var y = [Double](repeating: 0, count: m)
        for i in 0..<m {
            let x1 = 1 + 4 * random.uniform(), x2 = 0.5 * x1 + 3 * random.uniform()
            storage[m + i] = x1; storage[2 * m + i] = x2
            y[i] = 2 + 0.5 * x1 - 0.25 * x2 + 0.3 * random.normal()
        }
        let x = Matrix(rows: m, columns: 3, columnMajor: storage)
        let solution = try LeastSquares.solve(x, y)

        let n = Double(m)
        let x1 = Array(storage[m..<(2 * m)]), x2 = Array(storage[(2 * m)...])
        let mean1 = x1.reduce(0, +) / n, mean2 = x2.reduce(0, +) / n, meanY = y.reduce(0, +) / n
        var s11 = 0.0, s12 = 0.0, s22 = 0.0, s1y = 0.0, s2y = 0.0
        for i in 0..<m {
            let a = x1[i] - mean1, b = x2[i] - mean2, c = y[i] - meanY
            s11 += a * a; s12 += a * b; s22 += b * b; s1y += a * c; s2y += b * c
        }
        let determinant = s11 * s22 - s12 * s12
        let b1 = (s22 * s1y - s12 * s2y) / determinant, b2 = (s11 * s2y - s12 * s1y) / determinant
        let b0 = meanY - b1 * mean1 - b2 * mean2
        #expect(close(solution.coefficients[1], b1, relative: 1e-10), "\(solution.coefficients[1]) vs \(b1)")
        #expect(close(solution.coefficients[2], b2, relative: 1e-10), "\(solution.coefficients[2]) vs \(b2)")
        #expect(close(solution.coefficients[0], b0, relative: 1e-10), "\(solution.coefficients[0]) vs \(b0)")
        // (XᵀX)⁻¹ for the slopes is the inverse of the centred cross-products.
        #expect(close(solution.unscaledCovariance[1, 1], s22 / determinant, relative: 1e-9))
        #expect(close(solution.unscaledCovariance[1, 2], -s12 / determinant, relative: 1e-9))
        #expect(solution.residuals.count == m)
        let h = try LeastSquares.leverages(x)
        #expect(close(h.reduce(0, +), 3, relative: 1e-9))
    }

    @Test("a ledger of codes counts exclusions exactly as per-row reasons do")
    func ledgerMatchesReasons() {
        var random = RandomSource(seed: 3)
        let choices: [String?] = [nil, nil, nil, "empty line", "missing x", "missing y", "outside the model"]
        let reasons = (0..<5_000).map { _ in choices[Int(random.next() % UInt64(choices.count))] }
        let ledger = RowLedger(reasons: reasons)
        #expect(ledger.accounting == RowAccounting(reasons: reasons))
        #expect((0..<reasons.count).allSatisfy { ledger.reason(of: $0) == reasons[$0] })
        var grown = RowLedger(rowCount: 4)
        let late = grown.code(for: "late"), early = grown.code(for: "early")
        grown.exclude(3, code: late); grown.exclude(1, code: early)
        // Listed in the order of the first row each excludes, not the order the reasons were named.
        #expect(grown.accounting == RowAccounting(reasons: [nil, "early", nil, "late"]))
    }

    @Test("regression data: NaN numbers and nil values, coded and text cluster labels give the same rows")
    func missingAsNaNAndCodedClusters() throws {
        let y: [Double?] = [1, 2, nil, 4, 5, 6, 7]
        let x: [Double?] = [1, nil, 3, 4, 5, 6, 7]
        let labels: [String?] = ["b", "a", "a", nil, "b", "", "c"]
        let fromValues = try RegressionData(response: Variable("y", y), predictors: [Variable("x", x)],
                                            clusters: ("g", labels), excludedBefore: [nil, nil, nil, nil, nil, nil, "empty line"])
        let codes: [UInt32] = [2, 1, 1, 0, 2, 0, 3]
        var before = RowLedger(rowCount: 7)
        before.exclude(6, code: before.code(for: "empty line"))
        let fromCodes = try RegressionData(
            response: Variable("y", numbers: y.map { $0 ?? .nan }), predictors: [Variable("x", numbers: x.map { $0 ?? .nan })],
            clusters: CodedLabels(name: "g", codes: codes, labels: ["", "a", "b", "c"]), excludedBefore: before)
        for data in [fromValues, fromCodes] {
            #expect(data.usedRows == [1, 5])
            #expect(data.response == [1, 5])
            #expect(data.clusters == ["b", "b"])
            #expect(data.clusterCodes == [0, 0])
            #expect(data.rows.excluded.map(\.reason) == ["missing x", "missing y", "missing g", "empty line"])
            #expect(data.rows.used == 2)
        }
        #expect(Variable("v", [nil, 2]).values == [nil, 2])
    }
}
