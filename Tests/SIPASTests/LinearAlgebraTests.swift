import Foundation
import Testing
@testable import SIPASLinearAlgebra

@Suite("Linear algebra (LAPACK wrapper)")
struct LinearAlgebraTests {
    @Test("column-major storage and products on a non-square, non-symmetric matrix")
    func layout() {
        let a = Matrix(rows: 2, columns: 3, rowMajor: [1, 2, 3, 4, 5, 6])
        #expect(a.storage == [1, 4, 2, 5, 3, 6])
        #expect(a[1, 2] == 6)
        #expect(a.transposed[2, 1] == 6)
        let b = Matrix(rows: 3, columns: 2, rowMajor: [1, 0, 0, 1, 1, 1])
        // [1 2 3; 4 5 6] · [1 0; 0 1; 1 1] = [4 5; 10 11], by hand.
        #expect((a * b) == Matrix(rows: 2, columns: 2, rowMajor: [4, 5, 10, 11]))
        #expect(a * [1, 1, 1] == [6, 15])
    }

    @Test("Longley (NIST StRD): coefficients and standard deviations to the certified values",
          .requires(TestPaths.hasShared("reference/nist"), "needs ../shared/reference/nist"))
    func longley() throws {
        let folder = try TestPaths.sharedFile("reference/nist/nist_longley")
        let rows = try String(contentsOfFile: folder + "/data.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        let x = Matrix(columns: [Array(repeating: 1.0, count: rows.count)] + (1...6).map { j in rows.map { $0[j] } })
        let y = rows.map { $0[0] }
        let fit = try LeastSquares.solve(x, y)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json")))
            as! [String: Any]
        let certified = (expected["certified"] as! [String: Any])["coefficients"] as! [[String: Any]]
        let sigma = (fit.residualSumOfSquares / Double(rows.count - 7)).squareRoot()
        for (j, entry) in certified.enumerated() {
            let estimate = entry["estimate"] as! Double, sd = entry["sd"] as! Double
            // NIST asks for agreement to the digits a careful QR attains; 1e-9 relative is 9 significant digits.
            #expect(close(fit.coefficients[j], estimate, relative: 1e-9), "B\(j): \(fit.coefficients[j]) vs \(estimate)")
            let se = sigma * fit.unscaledCovariance[j, j].squareRoot()
            #expect(close(se, sd, relative: 1e-9), "sd B\(j): \(se) vs \(sd)")
        }
    }

    @Test("an exactly collinear column is named, not silently fitted")
    func rankDeficiency() {
        let x1: [Double] = [1, 2, 3, 4, 5, 6]
        let x2: [Double] = [2, 1, 4, 3, 6, 5]
        let x = Matrix(columns: [Array(repeating: 1, count: 6), x1, x2, zip(x1, x2).map { $0 + 2 * $1 }])
        #expect(throws: LinearAlgebraError.rankDeficient(rank: 3, dependentColumns: [3])) {
            try LeastSquares.solve(x, [1, 3, 2, 5, 4, 6])
        }
        #expect(throws: LinearAlgebraError.rankDeficient(rank: 1, dependentColumns: [1])) {
            try LeastSquares.solve(Matrix(columns: [Array(repeating: 1, count: 6), Array(repeating: 0, count: 6)]), x1)
        }
    }

    @Test("bad dimensions and non-finite input are rejected before LAPACK is called")
    func dimensions() {
        #expect(throws: LinearAlgebraError.self) { try LeastSquares.solve(Matrix(rows: 2, columns: 3), [1, 2]) }
        #expect(throws: LinearAlgebraError.self) { try LeastSquares.solve(Matrix(rows: 3, columns: 1, repeating: 1), [1, 2]) }
        #expect(throws: LinearAlgebraError.nonFinite(vi: "y", en: "y")) {
            try LeastSquares.solve(Matrix(rows: 3, columns: 1, repeating: 1), [1, .nan, 2])
        }
    }

    @Test("a small fit matches the hand calculation")
    func handFit() throws {
        // y = 1 + 2x exactly on x = 0…3 plus residuals (+1, −1, −1, +1): slope stays 2, intercept 1.
        let fit = try LeastSquares.solve(Matrix(columns: [[1, 1, 1, 1], [0, 1, 2, 3]]), [2, 2, 4, 8])
        #expect(close(fit.coefficients[0], 1, absolute: 1e-12))
        #expect(close(fit.coefficients[1], 2, absolute: 1e-12))
        #expect(close(fit.residualSumOfSquares, 4, absolute: 1e-12))
        // (XᵀX)⁻¹ for x = 0…3: XᵀX = [4 6; 6 14], det 20 → [0.7 −0.3; −0.3 0.2].
        #expect(close(fit.unscaledCovariance[0, 0], 0.7, absolute: 1e-12))
        #expect(close(fit.unscaledCovariance[0, 1], -0.3, absolute: 1e-12))
        #expect(close(fit.unscaledCovariance[1, 1], 0.2, absolute: 1e-12))
    }

    @Test("streaming QR in blocks, and merged accumulators, equal the one-shot fit")
    func streaming() throws {
        var state: UInt64 = 7
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) * 0x1p-53 }
        let n = 3000
        let x = (0..<n).map { _ in [1.0, next() * 4 + 1, next() * 4 + 1, next()] }
        let y = x.map { 0.5 + 0.3 * $0[1] - 0.2 * $0[2] + 2 * $0[3] + next() - 0.5 }
        let batch = try LeastSquares.solve(Matrix(columns: (0..<4).map { j in x.map { $0[j] } }), y)
        var whole = StreamingLeastSquares(predictors: 4)
        var first = StreamingLeastSquares(predictors: 4), second = StreamingLeastSquares(predictors: 4)
        for i in 0..<n {
            try whole.append(x[i], y[i])
            if i < 1700 { try first.append(x[i], y[i]) } else { try second.append(x[i], y[i]) }
        }
        try first.merge(second)
        let streamed = try whole.solve(), merged = try first.solve()
        #expect(first.rowCount == n)
        for j in 0..<4 {
            #expect(close(streamed[j], batch.coefficients[j], relative: 1e-12, absolute: 1e-13))
            #expect(close(merged[j], batch.coefficients[j], relative: 1e-12, absolute: 1e-13))
        }
    }
}
