import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASModels
@testable import SIPASReport

@Suite("Wild cluster bootstrap-t")
struct WildClusterBootstrapTests {
    static func multipliers(_ name: String) throws -> [[Double]] {
        try String(contentsOfFile: TestPaths.fixture("wild/multipliers-\(name).csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! } }
    }

    static func rResults() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("wild/r-results.json")))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// R refits lm() and sandwich::vcovCL for every replication with the same committed multipliers, so the
    /// comparison has no Monte Carlo error: t, CI bounds to 1e-11 relative; p-values (counts / 199) exactly.
    @Test("p-values and percentile-t CIs match a brute-force R reference",
          arguments: [("ols_rademacher", "rademacher", false), ("ols_webb", "webb", false), ("wls_webb", "webb", true)])
    func matchesR(key: String, weights: String, weighted: Bool) throws {
        let r = try Self.rResults()
        let expected = r[key] as! [String: [String: NSNumber]]
        let data = try ModelFixtures.regressionData(weighted: weighted, clustered: true)
        // sipas numbers clusters by first appearance among the rows used; so does the R script.
        var order: [String] = []
        for label in data.clusters! where !order.contains(label) { order.append(label) }
        #expect(order == r["clusters"] as! [String])
        let result = try WildClusterBootstrap.run(data, multipliers: try Self.multipliers(weights),
                                                  weights: WildBootstrapWeights(rawValue: weights)!)
        #expect(result.replications == 199)
        for c in result.coefficients {
            let e = try #require(expected[c.term])
            #expect(close(c.tStatistic, e["t"]!.doubleValue, relative: 1e-11), "\(key) \(c.term) t")
            #expect(abs(c.pValue - e["p"]!.doubleValue) < 1e-12, "\(key) \(c.term) p \(c.pValue) vs \(e["p"]!)")
            #expect(close(c.confidenceLower, e["ci_lower"]!.doubleValue, relative: 1e-11), "\(key) \(c.term) lower")
            #expect(close(c.confidenceUpper, e["ci_upper"]!.doubleValue, relative: 1e-11), "\(key) \(c.term) upper")
        }
    }

    /// Intercept only, y = 1, 2, 3 in three one-row clusters, all 8 Rademacher sign patterns. By hand: β̂ = 2,
    /// CR1 variance 1.5 · (1/9) · (1 + 0 + 1) = 1/3, t = 2√3 ≈ 3.4641. Under the null y* = v ⊙ y; |t*| = |t| for
    /// v = ±(1, 1, 1), and the six other patterns give |t*| = 0, 0.4588 or 1.1094 (e.g. v = (1, −1, 1):
    /// y* = (1, −2, 3), mean 2/3, CR1 variance 1.5 · 114/81 / 9 · … = 171/81, t* = 0.4588). So p = 2/8 = 0.25.
    @Test("a hand-computed three-cluster case with full enumeration")
    func handComputed() throws {
        let data = try RegressionData(response: Variable("y", [1, 2, 3]), predictors: [], clusters: ("g", ["a", "b", "c"]))
        let patterns = (0..<8).map { p in (0..<3).map { p >> $0 & 1 == 1 ? 1.0 : -1.0 } }
        let result = try WildClusterBootstrap.run(data, multipliers: patterns, weights: .rademacher, enumerated: true)
        let c = result.coefficients[0]
        #expect(close(c.tStatistic, 2 * 3.0.squareRoot(), relative: 1e-12))
        #expect(c.pValue == 0.25)
        // Unrestricted |t*| over the 8 patterns: 2 zeros (v = ±(1, 1, 1) reproduce ê exactly, t* = 0) and six
        // positive values; the 95% type-1 quantile is the 8th smallest = the largest.
        #expect(c.confidenceUpper > c.estimate && c.confidenceLower < c.estimate)
        #expect(close(c.confidenceUpper - c.estimate, c.estimate - c.confidenceLower, relative: 1e-12))
        #expect(result.notes.contains { $0.en.contains("enumerated") })
        #expect(result.notes.contains { $0.en.contains("only 3 clusters") })
    }

    @Test("the CLI is seeded and reproducible, prints the seed, and enumerates Rademacher signs for few clusters")
    func command() throws {
        let path = ModelFixtures.csv
        func run(_ extra: [String]) throws -> String {
            try RegressCommand.parse([path, "--y", "y", "--x", "x1,x2,x3,x4", "--se", "cluster:g", "--wild-bootstrap", "199"] + extra).render()
        }
        let first = try run(["--seed", "11"]), again = try run(["--seed", "11"]), other = try run(["--seed", "12"])
        #expect(first == again)
        #expect(first != other)
        #expect(first.contains("seed 11"))
        let json = try run(["--seed", "11", "--format", "json"])
        #expect(json.contains("\"wild_bootstrap\"") && json.contains("\"seed\": \"11\""))
        // 15 clusters: 2^15 = 32768 > 199 so Rademacher draws at random; with a tiny data set it enumerates.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let tiny = try folder.file("data.csv", "y,x,g\n1,1,a\n2,3,a\n2,2,b\n4,5,b\n3,1,c\n5,4,c\n6,6,d\n5,5,d\n")
        let enumerated = try RegressCommand.parse([tiny, "--y", "y", "--x", "x", "--se", "cluster:g", "--wild-bootstrap", "999",
                                                   "--weights", "rademacher", "--lang", "en"]).render()
        #expect(enumerated.contains("16 replications, all sign patterns"))
        #expect(throws: (any Error).self) { try RegressCommand.parse([path, "--y", "y", "--x", "x1", "--wild-bootstrap", "999"]) }
        #expect(throws: (any Error).self) { try RegressCommand.parse([path, "--y", "y", "--x", "x1", "--se", "cluster:g", "--wild-bootstrap", "10"]) }
        #expect(throws: ModelError.self) {
            try WildClusterBootstrap.run(try ModelFixtures.regressionData(clustered: false), replications: 999, seed: 1)
        }
    }
}
