import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASModels
import SIPASEstimation
import SIPASSupport

@Suite("sipas drivers --priorities: quadrants and what-if")
struct DriverPrioritiesTests {
    @Test("quadrants by the cut lines, with the Vietnamese labels")
    func quadrants() {
        #expect(PriorityQuadrant.of(importance: 0.3, performance: 80, importanceCut: 0.2, performanceCut: 85) == .concentrateHere)
        #expect(PriorityQuadrant.of(importance: 0.3, performance: 90, importanceCut: 0.2, performanceCut: 85) == .keepUpTheGoodWork)
        #expect(PriorityQuadrant.of(importance: 0.1, performance: 80, importanceCut: 0.2, performanceCut: 85) == .lowPriority)
        #expect(PriorityQuadrant.of(importance: 0.1, performance: 90, importanceCut: 0.2, performanceCut: 85) == .possibleOverkill)
        #expect(PriorityQuadrant.allCases.map(\.label.vi) == ["Tập trung cải thiện", "Tiếp tục duy trì", "Ưu tiên thấp", "Có thể dư thừa"])
    }

    /// At the current mean the what-if prediction is the fitted value at the means, which for OLS with an
    /// intercept is the mean outcome (1e-12); its CI is then ȳ ± t·σ/√n (classical SEs, 1e-10).
    @Test("what-if at the current mean gives the mean outcome; cut lines are the means")
    func whatIf() throws {
        let subset = TestPaths.fixture("design/sipas-subset.csv")
        let command = try DriversCommand.parse([subset, "-i", "khanhhoa-admin", "--se", "classical", "--replicates", "60", "--priorities"])
        let table = try command.dataOptions.load()
        let result = try command.analyze(table)
        let model = result.models[0]
        let scores = DriverAnalysis.factorScores(table)
        let mean = model.rows.reduce(0) { $0 + scores[1].scores[$1] } / Double(model.rows.count)
        let list = try DriverPriorities.compute(result: result, table: table, whatIf: [("procedures", mean), ("procedures", 5)])
        let at = list[0].whatIf[0]
        let columns = try ModelFixtures.columns(of: subset)
        let y = model.rows.map { Double(columns["overall"]![$0])! }
        let yBar = y.reduce(0, +) / Double(y.count)
        #expect(close(at.prediction, yBar, relative: 1e-12))
        let halfWidth = (at.upper - at.lower) / 2
        let t = Distribution.studentTQuantile(0.975, degreesOfFreedom: Double(model.regression.residualDegreesOfFreedom))
        #expect(close(halfWidth, t * model.regression.sigma / Double(y.count).squareRoot(), relative: 1e-10))
        let b = model.regression.coefficient("procedures")!.estimate
        #expect(close(list[0].whatIf[1].prediction - at.prediction, b * (5 - mean), relative: 1e-12))
        #expect(close(list[0].importanceCut, 0.2, relative: 1e-12))
        let performance = list[0].factors.map { $0.performance.estimate! }
        #expect(close(list[0].performanceCut, performance.reduce(0, +) / 5, relative: 1e-12))
        #expect(list[0].factors.allSatisfy { ($0.stability ?? -1) >= 0 && $0.stability! <= 1 })
        #expect(throws: ModelError.self) { try DriverPriorities.compute(result: result, table: table, whatIf: [("nope", 4)]) }
        let json = try command.render()
        #expect(json.contains("Tập trung cải thiện") || json.contains("Tiếp tục duy trì"))
    }
}
