import Foundation
import SIPASData
import SIPASDesign
import SIPASEstimation
import Testing

/// `svyciprop` beta (Korn–Graubard) and logit against R survey 4.1-1, with missing values, for the whole sample
/// and for domains: a domain is a subset design (svyby), so its Korn–Graubard n is the domain's rows and its
/// degrees of freedom the domain's PSUs minus strata (fixture: Fixtures/design/make_proportion_fixture.R).
@Suite("Proportion intervals against R's svyciprop, domains and missing values")
struct ProportionIntervalTests {
    struct Expected: Decodable {
        var sample: String
        var method: String
        var group: String
        var estimate: Double
        var lower: Double
        var upper: Double
        var df: Int
    }

    @Test func betaAndLogitEqualSvyciprop() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let text = try String(contentsOfFile: TestPaths.fixture("design/proportions.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let expected = try JSONDecoder().decode([Expected].self,
                                                from: Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("design/proportions-expected.json"))))
        let designs = ["strat": DesignSpecification(strata: "stratum", weight: "pw", fpc: ["fpc"]),
                       "clus1": DesignSpecification(clusters: ["dnum"], weight: "pw", fpc: ["fpc"])]
        var compared = 0
        for (sample, design) in designs {
            let rows = lines.dropFirst().filter { $0.hasPrefix("\"\(sample)\"") }
            let path = try folder.file("\(sample).csv", ([lines[0]] + rows).joined(separator: "\n") + "\n")
            let table = try CSVReader.read(path: path, instrument: .none)
            for method in [AnalyticIntervalMethod.beta, .logit] {
                let pooled = try SurveyEstimation.run(table: table, statistics: [.proportion("x", level: "1")],
                                                      design: design, proportionMethod: method)
                let domains = try SurveyEstimation.run(table: table, statistics: [.proportion("x", level: "1")], by: ["stype"],
                                                       design: design, proportionMethod: method)
                for reference in expected where reference.sample == sample && reference.method == method.rawValue {
                    let estimates = pooled.estimates + domains.estimates
                    let estimate = try #require(estimates.first { ($0.group.first?.value ?? "") == reference.group })
                    // Beta is closed-form in R: 1e-12. R's logit comes from svyglm's IRLS, which stops at
                    // glm.control(epsilon = 1e-8): its estimate and limits are off by up to ~3e-9, so 1e-8 there.
                    let tolerance = method == .beta ? 1e-12 : 1e-8
                    #expect(close(estimate.estimate, reference.estimate, absolute: tolerance), "\(sample) \(reference.group)")
                    #expect(close(estimate.lower, reference.lower, absolute: tolerance), "\(sample) \(method) \(reference.group) lower")
                    #expect(close(estimate.upper, reference.upper, absolute: tolerance), "\(sample) \(method) \(reference.group) upper")
                    #expect(estimate.degreesOfFreedom == reference.df, "\(sample) \(reference.group) df")
                    compared += 1
                }
            }
        }
        #expect(compared == 16)
    }
}
