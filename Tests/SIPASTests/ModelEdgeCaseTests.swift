import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASData
@testable import SIPASModels

@Suite("Regression and alpha edge cases")
struct ModelEdgeCaseTests {
    static let x1: [Double?] = [1, 2, 3, 4, 5, 6, 7, 8]
    static let x2: [Double?] = [2, 1, 4, 3, 6, 5, 8, 7]
    static let y: [Double?] = [1.1, 2.3, 2.9, 4.2, 5.1, 5.8, 7.2, 7.9]

    @Test("an exactly collinear predictor is named in the error")
    func collinear() throws {
        let x3 = zip(Self.x1, Self.x2).map { $0! + 2 * $1! }
        let data = try RegressionData(response: Variable("y", Self.y),
                                      predictors: [Variable("x1", Self.x1), Variable("x2", Self.x2), Variable("x3", x3)])
        #expect(throws: ModelError.collinear(predictors: ["x3"], tolerance: 1e-10)) { try LinearRegression().fit(data) }
        let error = try #require(throws: ModelError.self) { try LinearRegression().fit(data) }
        #expect(error.description.contains("'x3'"))
    }

    @Test("n ≤ p is refused (n = 0, 1, 2 and n = k)")
    func tooFewRows() throws {
        for n in [0, 1, 2, 3] {
            let data = try RegressionData(response: Variable("y", Array(Self.y.prefix(n))),
                                          predictors: [Variable("x1", Array(Self.x1.prefix(n))), Variable("x2", Array(Self.x2.prefix(n)))])
            #expect(throws: ModelError.tooFewObservations(observations: n, parameters: 3)) { try LinearRegression().fit(data) }
        }
    }

    @Test("a zero-variance predictor is named")
    func zeroVariance() throws {
        let data = try RegressionData(response: Variable("y", Self.y),
                                      predictors: [Variable("x1", Self.x1), Variable("const", Array(repeating: 4, count: 8))])
        #expect(throws: ModelError.zeroVariance(variable: "const")) { try LinearRegression().fit(data) }
    }

    @Test("weights ≤ 0 are rejected with row and column, through the library and the CLI")
    func badWeights() throws {
        #expect(throws: ModelError.invalidWeight(row: 3, column: "w", value: 0)) {
            try RegressionData(response: Variable("y", Self.y), predictors: [Variable("x1", Self.x1)],
                               weights: Variable("w", [1, 1, 0, 1, 1, 1, 1, 1]))
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", "y,x,w\n1,1,1\n2,2.5,2\n3,2,-1\n4,5,1\n")
        let error = try #require(throws: ModelError.self) {
            try RegressCommand.parse([path, "--y", "y", "--x", "x", "--weight", "w"]).render()
        }
        #expect(error == .invalidWeight(row: 3, column: "w", value: -1))
        #expect(error.description.contains("row 3") && error.description.contains("'w'"))
    }

    @Test("a cluster variable with one cluster is refused; two clusters work")
    func singleCluster() throws {
        let one = try RegressionData(response: Variable("y", Self.y), predictors: [Variable("x1", Self.x1)],
                                     clusters: ("g", Array(repeating: "A", count: 8)))
        #expect(throws: ModelError.singleCluster(column: "g")) { try LinearRegression(standardErrors: .cluster).fit(one) }
        let two = try RegressionData(response: Variable("y", Self.y), predictors: [Variable("x1", Self.x1)],
                                     clusters: ("g", ["A", "A", "A", "B", "B", "B", "B", "A"]))
        let result = try LinearRegression(standardErrors: .cluster).fit(two)
        #expect(result.clusterCount == 2)
        #expect(result.coefficients.allSatisfy { $0.standardError.isFinite && $0.standardError > 0 })
    }

    @Test("a non-numeric cell is an error naming file, row and column; blanks and NA are dropped with reasons")
    func nonNumericAndMissing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", "y,x1,x2\n1,1,2\n2,abc,1\n3,3,4\n")
        let error = try #require(throws: DataError.self) {
            try RegressCommand.parse([path, "--y", "y", "--x", "x1,x2"]).render()
        }
        #expect(error.file == path && error.row == 2 && error.column == "x1")
        #expect(error.description.contains("'abc' is not a number"))

        let missing = try folder.file("missing.csv", "y,x1,x2\n1.2,1,2\n,2,1\n3.1,NA,4\n3.9,4,3\n\n5.2,5,6\n5.8,6,5\n7.1,7,8\n")
        let result = try RegressCommand.parse([missing, "--y", "y", "--x", "x1,x2"]).analyze()
        #expect(result.rows.read == 8 && result.rows.used == 5)
        #expect(result.rows.excluded == [.init(reason: "missing y", count: 1), .init(reason: "missing x1", count: 1),
                                         .init(reason: "empty line", count: 1)])
    }

    @Test("HC2/HC3 with a leverage-one row is an error naming the row; HC1 still works")
    func leverageOne() throws {
        // d is 1 only in data row 5, so row 5 alone determines d's coefficient: h₅ = 1.
        let d: [Double?] = [0, 0, 0, 0, 1, 0, 0, 0]
        let data = try RegressionData(response: Variable("y", Self.y), predictors: [Variable("x1", Self.x1), Variable("d", d)])
        for type in [StandardErrorType.hc2, .hc3] {
            let error = try #require(throws: ModelError.self) { try LinearRegression(standardErrors: type).fit(data) }
            #expect(error.description.contains("row(s) 5 have leverage 1"))
        }
        #expect(try LinearRegression(standardErrors: .hc1).fit(data).coefficients.count == 3)
    }

    @Test("--help names every SE type, the JSON format and the missing-value option")
    func help() {
        let help = RegressCommand.helpMessage(columns: 100)
        for phrase in ["--se <type>", "classical, hc0, hc1, hc2, hc3,", "cluster:COLUMN or design", "--weight <weight>", "survey::svyglm", "--no-intercept",
                       "table, json, csv, xlsx", "--lang <lang>", "--na <values>", "sandwich::vcovCL", "docs/regression.md"] {
            #expect(help.contains(phrase), "regress help mentions \(phrase)")
        }
        let alphaHelp = AlphaCommand.helpMessage(columns: 100)
        for phrase in ["--items <columns>", "--reverse <columns>", "(min + max) - x", "psych::alpha"] {
            #expect(alphaHelp.contains(phrase), "alpha help mentions \(phrase)")
        }
    }

    @Test("an unknown column lists the columns the file has")
    func unknownColumn() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", "y,x1\n1,2\n2,3\n3,5\n")
        let error = try #require(throws: DataError.self) { try RegressCommand.parse([path, "--y", "y", "--x", "x9"]).render() }
        #expect(error.column == "x9" && error.message.contains("y, x1"))
    }

    @Test("--se values are validated")
    func standardErrorOption() {
        #expect(throws: (any Error).self) { try RegressCommand.parse(["d.csv", "--y", "y", "--x", "x", "--se", "hc4"]) }
        #expect(throws: (any Error).self) { try RegressCommand.parse(["d.csv", "--y", "y", "--x", "x", "--se", "cluster:"]) }
    }

    @Test("hand-checkable fit: y = 1 + 2x with residuals ±1 (HC0 by hand)")
    func handFit() throws {
        // x = 0…3, y = 2, 2, 4, 8: b = (1, 2), e = (1, −1, −1, 1), (XᵀX)⁻¹ = [0.7 −0.3; −0.3 0.2].
        let data = try RegressionData(response: Variable("y", [2, 2, 4, 8]), predictors: [Variable("x", [0, 1, 2, 3])])
        let classical = try LinearRegression().fit(data)
        #expect(close(classical.coefficients[1].estimate, 2, absolute: 1e-12))
        #expect(close(classical.sigma, 2.0.squareRoot(), relative: 1e-12))  // RSS 4 on 2 df
        #expect(close(classical.coefficients[1].standardError, (2 * 0.2).squareRoot(), relative: 1e-12))
        // HC0: with e² = 1 for every row the meat is XᵀX, so V = (XᵀX)⁻¹: se(slope) = √0.2.
        let hc0 = try LinearRegression(standardErrors: .hc0).fit(data)
        #expect(close(hc0.coefficients[1].standardError, 0.2.squareRoot(), relative: 1e-12))
        #expect(close(classical.rSquared, 1 - 4.0 / 24.0, relative: 1e-12))  // TSS = Σ(y − 4)² = 4 + 4 + 0 + 16
    }

    @Test("alpha: fewer than 2 items, a constant item and unknown reversed items are refused")
    func alphaEdges() throws {
        #expect(throws: ModelError.self) { try ReliabilityAnalysis.cronbachAlpha(items: [Variable("a", [1, 2, 3])]) }
        #expect(throws: ModelError.zeroVariance(variable: "b")) {
            try ReliabilityAnalysis.cronbachAlpha(items: [Variable("a", [1, 2, 3]), Variable("b", [4, 4, 4])])
        }
        #expect(throws: ModelError.self) {
            try ReliabilityAnalysis.cronbachAlpha(items: [Variable("a", [1, 2, 3]), Variable("b", [1, 3, 2])], reversed: ["c"])
        }
        #expect(throws: ModelError.tooFewObservations(observations: 1, parameters: 2)) {
            try ReliabilityAnalysis.cronbachAlpha(items: [Variable("a", [1, nil, 3]), Variable("b", [1, 3, nil])])
        }
        // Two items: alpha = 2·cov/(var₁ + var₂ + 2cov)… by hand for a = (1,2,3), b = (1,3,2): cov 0.5, vars 1, 1.
        let two = try ReliabilityAnalysis.cronbachAlpha(items: [Variable("a", [1, 2, 3]), Variable("b", [1, 3, 2])])
        #expect(close(two.alpha, 2 * (1 - 2 / 3.0), relative: 1e-12))  // k/(k−1)(1 − tr/ΣC) = 2(1 − 2/3)
        #expect(two.items.allSatisfy { $0.alphaIfDropped == nil })
    }
}
