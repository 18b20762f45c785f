import Foundation
import Testing
@testable import SIPASLinearAlgebra

@Suite("Linear algebra: SVD, condition numbers, SPD solve, leverages")
struct LinearAlgebraAdditionsTests {
    @Test("singular values of a non-square, non-symmetric matrix (by hand)")
    func singularValues() throws {
        // A = [3 0; 4 5; 0 0]: AᵀA = [25 20; 20 25], eigenvalues 45 and 5 → σ = √45, √5.
        let a = Matrix(rows: 3, columns: 2, rowMajor: [3, 0, 4, 5, 0, 0])
        let s = try a.singularValues()
        #expect(s.count == 2)
        #expect(close(s[0], 45.0.squareRoot(), relative: 1e-14))
        #expect(close(s[1], 5.0.squareRoot(), relative: 1e-14))
        #expect(close(try a.conditionNumber(scalingColumns: false), 3, relative: 1e-14))  // √(45/5)
        // Columns scaled to unit length: [0.6 0; 0.8 1; 0 0], AᵀA = [1 0.8; 0.8 1] → σ² = 1.8, 0.2 → κ = 3.
        #expect(close(try a.conditionNumber(scalingColumns: true), 3, relative: 1e-14))
        #expect(try Matrix(columns: [[1, 0], [0, 0]]).conditionNumber(scalingColumns: true) == .infinity)
        #expect(throws: LinearAlgebraError.nonFinite(vi: "ma trận", en: "matrix")) { try Matrix(columns: [[1, .nan]]).singularValues() }
    }

    @Test("positive definite solve, and a clear error for an indefinite matrix")
    func positiveDefinite() throws {
        // [4 2; 2 3] x = [2, 1] → x = [0.5, 0] (det 8: x = [3·2 − 2·1, 4·1 − 2·2]/8).
        let x = try Matrix(rows: 2, columns: 2, rowMajor: [4, 2, 2, 3]).solvingPositiveDefinite([2, 1])
        #expect(close(x[0], 0.5, absolute: 1e-15) && close(x[1], 0, absolute: 1e-15))
        #expect(throws: LinearAlgebraError.singular(routine: "dposv", index: 2)) {
            try Matrix(rows: 2, columns: 2, rowMajor: [1, 2, 2, 1]).solvingPositiveDefinite([1, 1])
        }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 3).solvingPositiveDefinite([1, 1]) }
    }

    @Test("leverages: the hat diagonal sums to the number of columns and matches the hand formula")
    func leverages() throws {
        // Simple regression on x = 0…3: hᵢ = 1/n + (xᵢ − x̄)²/Sxx = 0.25 + (xᵢ − 1.5)²/5.
        let h = try LeastSquares.leverages(Matrix(columns: [[1, 1, 1, 1], [0, 1, 2, 3]]))
        for (i, value) in h.enumerated() {
            let expected = 0.25 + (Double(i) - 1.5) * (Double(i) - 1.5) / 5
            #expect(close(value, expected, relative: 1e-14))
        }
        #expect(close(h.reduce(0, +), 2, relative: 1e-14))
        #expect(throws: LinearAlgebraError.self) { try LeastSquares.leverages(Matrix(rows: 1, columns: 2)) }
    }
}
