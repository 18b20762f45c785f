import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASDesign
@testable import SIPASModels

/// Fixtures/drivers (make_fixtures.R; see Fixtures/README.md): R 4.2.2 + survey 4.1-1 results.
enum DriverFixtures {
    static let csv = TestPaths.fixture("drivers/drivers.csv")

    static func rResults() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("drivers/r-results.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func numbers(_ value: Any?) -> [Double] { (value as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? [] }

    /// Numbers with JSON strings ("NA") as nil.
    static func optionalNumbers(_ value: Any?) -> [Double?] { (value as? [Any])?.map { ($0 as? NSNumber)?.doubleValue } ?? [] }
}

@Suite("Design-based regression (svyglm) and design covariance")
struct DesignRegressionTests {
    /// svyglm reference, by design variant: the CLI arguments and the key in r-results.json.
    static let variants: [(key: String, arguments: [String])] = [
        ("svyglm_fpc", ["--strata", "stratum", "--cluster", "psu", "--weight", "w", "--fpc", "fpc"]),
        ("svyglm_nofpc", ["--strata", "stratum", "--cluster", "psu", "--weight", "w"]),
        ("svyglm_clusters", ["--cluster", "psu", "--weight", "w"]),
    ]

    /// Coefficients, SEs, t, p, CIs, the whole covariance, df and the Wald F agree with svyglm to 1e-8 relative
    /// (the R values carry 15 significant digits; p-values absolute 1e-12 as they can be tiny).
    @Test("sipas regress --se design matches survey::svyglm", arguments: variants.indices)
    func matchesSvyglm(_ index: Int) throws {
        let (key, arguments) = Self.variants[index]
        let expected = try #require(try DriverFixtures.rResults()[key] as? [String: Any])
        let command = try RegressCommand.parse([DriverFixtures.csv, "--y", "y", "--x", "f1,f2,f3,f4,f5", "--se", "design"] + arguments)
        let result = try command.analyze()
        #expect(result.standardErrorType == .design)
        #expect(result.observationCount == (expected["n"] as! NSNumber).intValue)
        #expect(result.inferenceDegreesOfFreedom == (expected["df_residual"] as! NSNumber).intValue)
        let k = result.coefficients.count
        for (name, values) in [("estimate", \RegressionCoefficient.estimate), ("se", \.standardError), ("t", \.tStatistic),
                               ("ci_lower", \.confidenceLower), ("ci_upper", \.confidenceUpper)] {
            let reference = DriverFixtures.numbers(expected[name])
            for j in 0..<k {
                #expect(close(result.coefficients[j][keyPath: values], reference[j], relative: 1e-8), "\(key) \(name)[\(j)]")
            }
        }
        let p = DriverFixtures.numbers(expected["p"])
        for j in 0..<k { #expect(close(result.coefficients[j].pValue, p[j], relative: 1e-8, absolute: 1e-12), "\(key) p[\(j)]") }
        let vcov = DriverFixtures.numbers(expected["vcov"])
        for c in 0..<k { for r in 0..<k {
            #expect(close(result.covariance[r, c], vcov[r + c * k], relative: 1e-8, absolute: 1e-15), "\(key) vcov[\(r),\(c)]")
        } }
        let wald = try #require(expected["wald"] as? [String: Any])
        let f = ((wald["f"] as? [[NSNumber]])?.first?.first ?? (wald["f"] as? NSNumber))!.doubleValue
        #expect(close(result.robustFStatistic, f, relative: 1e-8))
        #expect((wald["ddf"] as! NSNumber).intValue == result.inferenceDegreesOfFreedom)
    }

    @Test("JSON output names the design and its degrees of freedom")
    func json() throws {
        let text = try RegressCommand.parse([DriverFixtures.csv, "--y", "y", "--x", "f1,f2,f3,f4,f5", "--se", "design",
                                             "--strata", "stratum", "--cluster", "psu", "--weight", "w", "--format", "json"]).render()
        #expect(text.contains("\"se_type\": \"design-based\""))
        #expect(text.contains("\"df_inference\": 10"))
        #expect(text.contains("\"design\": \"strata = stratum; clusters = psu; weights = w; lonely PSU: fail\""))
        #expect(text.contains("\"reason\": \"missing y\""))
    }

    @Test("design flags without --se design are refused; too few PSUs is an error")
    func errors() throws {
        #expect(throws: (any Error).self) {
            try RegressCommand.parse([DriverFixtures.csv, "--y", "y", "--x", "f1", "--strata", "stratum"]).validate()
        }
        // Clusters only, 2 PSUs: degf = 1, fewer than the 5 slopes.
        let rows = (0..<20).map { i in "\(i % 2),\(Double(i % 5)),\(Double((i * 7) % 3)),\(Double(i % 4) + Double(i % 5))" }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", "g,x1,x2,y\n" + rows.joined(separator: "\n") + "\n")
        #expect(throws: ModelError.self) {
            try RegressCommand.parse([path, "--y", "y", "--x", "x1,x2", "--se", "design", "--cluster", "g"]).analyze()
        }
    }

    @Test("covariance: diagonal equals variance, off-diagonal is the polarization identity, every lonely-PSU policy")
    func covarianceMatchesVariance() throws {
        let strata = ["A", "A", "A", "A", "B", "B", "B", "C", "C", "D", "D", "D"]
        let psus = ["1", "1", "2", "3", "1", "2", "2", "1", "1", "1", "2", "3"]
        let second = ["a", "b", "a", "a", "a", "a", "b", "a", "b", "a", "a", "a"]
        let weights = [2.0, 3, 1, 4, 2, 2, 5, 1, 3, 2, 2, 6]
        let z1 = [0.3, -1.2, 0.8, 0.1, 2.2, -0.4, 0.0, 1.1, -0.7, 0.5, -2.0, 0.9]
        let z2 = [1.0, 0.2, -0.3, 0.6, -1.5, 0.4, 0.8, -0.2, 0.3, 1.7, 0.1, -0.6]
        let sum = zip(z1, z2).map { $0 + $1 }
        for policy in LonelyPSUPolicy.allCases where policy != .fail {
            for fpc in [nil, [[Double]](arrayLiteral: [10, 10, 10, 10, 5, 5, 5, 3, 3, 8, 8, 8], Array(repeating: 4, count: 12))] {
                let design = try SurveyDesign(rows: 12, strata: strata, stages: [psus, second], weights: weights,
                                              populationSizes: fpc, lonelyPSU: policy, summary: "")
                let v = try design.covariance([z1, z2])
                let v1 = try design.variance(z1), v2 = try design.variance(z2), v12 = try design.variance(sum)
                #expect(close(v[0][0], v1, relative: 1e-13), "\(policy)")
                #expect(close(v[1][1], v2, relative: 1e-13), "\(policy)")
                #expect(close(v[0][1], (v12 - v1 - v2) / 2, relative: 1e-12, absolute: 1e-14), "\(policy)")
                #expect(v[0][1] == v[1][0])
            }
        }
        let failing = try SurveyDesign(rows: 3, strata: ["A", "A", "B"], stages: [["1", "2", "1"]], weights: nil,
                                       populationSizes: nil, lonelyPSU: .remove, summary: "")
        #expect(try failing.covariance([]) == [])
        #expect(failing.degreesOfFreedom(rows: [0, 1, 2]) == 1)
        #expect(failing.degreesOfFreedom(rows: [0, 2]) == 0)
    }
}
