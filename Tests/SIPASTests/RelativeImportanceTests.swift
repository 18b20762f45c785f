import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASDesign
@testable import SIPASLinearAlgebra
@testable import SIPASModels

@Suite("Relative importance (LMG, relative weights, dominance) against R")
struct RelativeImportanceTests {
    static func data(weighted: Bool) throws -> RegressionData {
        let columns = try ModelFixtures.columns(of: DriverFixtures.csv)
        func variable(_ name: String) -> Variable { Variable(name, columns[name]!.map { Double($0) }) }
        return try RegressionData(response: variable("y"), predictors: ["f1", "f2", "f3", "f4", "f5"].map(variable),
                                  weights: weighted ? variable("w") : nil)
    }

    /// All quantities to 1e-10 relative (R: lm over all subsets and orderings, 15 significant digits); conditional
    /// dominance also 1e-14 absolute, since an increment of 5e-7 is a difference of two R² near 0.5.
    @Test("LMG, subset R², conditional/complete dominance and relative weights match R", arguments: [false, true])
    func matchesR(weighted: Bool) throws {
        let expected = try #require(try DriverFixtures.rResults()[weighted ? "importance_weighted" : "importance_unweighted"] as? [String: Any])
        let result = try RelativeImportance.analyze(try Self.data(weighted: weighted))
        #expect(result.observationCount == 198)
        #expect(close(result.rSquared, (expected["r_squared"] as! NSNumber).doubleValue, relative: 1e-10))
        let lmg = DriverFixtures.numbers(expected["lmg"])
        let weights = DriverFixtures.numbers(expected["relative_weights"])
        for j in 0..<5 {
            #expect(close(result.lmg[j], lmg[j], relative: 1e-10), "lmg[\(j)]")
            #expect(close(result.dominance.general[j], lmg[j], relative: 1e-10), "general[\(j)]")
            #expect(close(result.relativeWeights[j], weights[j], relative: 1e-10), "relative weight[\(j)]")
        }
        #expect(close(result.lmg.reduce(0, +), result.rSquared, relative: 1e-12))
        #expect(close(result.relativeWeights.reduce(0, +), result.rSquared, relative: 1e-12))
        let conditional = try #require(expected["conditional"] as? [[NSNumber]])
        for j in 0..<5 { for k in 0..<5 {
            #expect(close(result.dominance.conditional[j][k], conditional[j][k].doubleValue, relative: 1e-10, absolute: 1e-14), "conditional[\(j)][\(k)]")
        } }
        let complete = DriverFixtures.optionalNumbers(expected["complete"])
        for i in 0..<5 { for j in 0..<5 { #expect(result.dominance.complete[i][j] == complete[i + 5 * j], "complete[\(i)][\(j)]") } }
        let subsets = try #require(expected["all_subsets_r2"] as? [String: NSNumber])
        for (key, value) in subsets {
            let mask = key.split(separator: "+").reduce(0) { $0 | (1 << (Int(String($1.dropFirst()))! - 1)) }
            #expect(close(result.subsetRSquared[mask], value.doubleValue, relative: 1e-10), "R² of \(key)")
        }
    }

    @Test("one predictor: LMG = relative weight = R² = r²; two uncorrelated predictors split exactly")
    func handCases() throws {
        let x = [1.0, 2, 3, 4, 5, 6], y = [2.0, 1, 4, 3, 6, 5]
        let one = try RelativeImportance.analyze(try RegressionData(response: Variable("y", y), predictors: [Variable("x", x)]))
        // r = 0.8285714 → r² = 0.6865306 (hand: Sxy = 14.5, Sxx = Syy = 17.5).
        #expect(close(one.rSquared, pow(14.5 / 17.5, 2), relative: 1e-12))
        #expect(close(one.lmg[0], one.rSquared, relative: 1e-12) && close(one.relativeWeights[0], one.rSquared, relative: 1e-12))
        // Orthogonal predictors: each share is its own r².
        let a = [1.0, -1, 1, -1], b = [1.0, 1, -1, -1], yy = [3.0, 1, 2, -2]
        let two = try RelativeImportance.analyze(try RegressionData(response: Variable("y", yy + [0]), predictors: [Variable("a", a + [0]), Variable("b", b + [0])]))
        let ra = try RelativeImportance.analyze(try RegressionData(response: Variable("y", yy + [0]), predictors: [Variable("a", a + [0])]))
        #expect(close(two.lmg[0], ra.rSquared, relative: 1e-12))
        #expect(close(two.relativeWeights[0], ra.rSquared, relative: 1e-12))
    }

    @Test("collinear and constant predictors are errors naming them")
    func errors() throws {
        let x1 = [1.0, 2, 3, 4, 5, 6, 7], x2 = [2.0, 1, 2, 5, 3, 1, 2]
        let x3 = zip(x1, x2).map { $0 + 2 * $1 }
        let y = [1.0, 3, 2, 5, 4, 6, 5]
        let collinear = try RegressionData(response: Variable("y", y), predictors: [Variable("x1", x1), Variable("x2", x2), Variable("x3", x3)])
        let error = try #require(throws: ModelError.self) { try RelativeImportance.analyze(collinear) }
        #expect(error.description.contains("'x3'"))
        let constant = try RegressionData(response: Variable("y", y), predictors: [Variable("x1", x1), Variable("c", Array(repeating: 3, count: 7))])
        #expect(throws: ModelError.zeroVariance(variable: "c")) { try RelativeImportance.analyze(constant) }
    }

    @Test("symmetric eigen: A v = λ v for a non-diagonal matrix")
    func eigen() throws {
        let a = Matrix(rows: 3, columns: 3, rowMajor: [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2])
        let (values, vectors) = try a.symmetricEigen()
        #expect(values == values.sorted())
        for k in 0..<3 {
            let v = vectors.column(k)
            let av = a * v
            for i in 0..<3 { #expect(close(av[i], values[k] * v[i], absolute: 1e-13)) }
        }
        #expect(close(values.reduce(0, +), 9, relative: 1e-14))  // trace
    }

    @Test("sipas importance: JSON shape, shares, seeded bootstrap identical across runs")
    func command() throws {
        let arguments = [DriverFixtures.csv, "--y", "y", "--x", "f1,f2,f3,f4,f5", "--method", "lmg", "--bootstrap-reps", "200",
                         "--seed", "11", "--cluster", "psu", "--strata", "stratum", "--weight", "w", "--format", "json"]
        let first = try ImportanceCommand.parse(arguments).render()
        let second = try ImportanceCommand.parse(arguments).render()
        #expect(first == second)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(json["method"] as? String == "lmg")
        #expect((json["seed"] as? NSNumber)?.intValue == 11)
        let expected = try #require(try DriverFixtures.rResults()["importance_weighted"] as? [String: Any])
        let r2 = (json["r_squared"] as! NSNumber).doubleValue
        #expect(close(r2, (expected["r_squared"] as! NSNumber).doubleValue, relative: 1e-10))
        let rows = try #require(json["importance"] as? [[String: Any]])
        let lmg = DriverFixtures.numbers(expected["lmg"])
        for (j, row) in rows.enumerated() {
            let value = (row["value"] as! NSNumber).doubleValue
            #expect(close(value, lmg[j], relative: 1e-10))
            #expect(close((row["share"] as! NSNumber).doubleValue, value / r2, relative: 1e-12))
            let lower = (row["ci_lower"] as! NSNumber).doubleValue, upper = (row["ci_upper"] as! NSNumber).doubleValue
            #expect(lower < value && value < upper)
        }
        let other = try ImportanceCommand.parse(arguments.map { $0 == "11" ? "12" : $0 }).render()
        #expect(other != first)
    }
}
