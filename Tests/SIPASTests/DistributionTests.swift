import Foundation
import Testing
@testable import SIPASEstimation
import SIPASSupport

@Suite("Distributions (libRmath): t, F and chi-square tails and quantiles")
struct DistributionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let function: String, x: Double, df1: Double, df2: Double?, lower: Bool, value: Double
        var testDescription: String { "\(function)(\(x), \(df1)\(df2.map { ", \($0)" } ?? ""), lower = \(lower))" }
    }

    /// The reference values computed once by R 4.2.2 (make_fixtures.R, `distributions` in r-results.json).
    static let cases: [Case] = {
        guard let results = try? ModelFixtures.rResults(), let list = results["distributions"] as? [[String: Any]] else {
            return []
        }
        return list.map {
            Case(function: $0["fn"] as! String, x: $0["x"] as! Double, df1: $0["df1"] as! Double, df2: $0["df2"] as? Double,
                 lower: $0["lower"] as! Bool, value: $0["value"] as! Double)
        }
    }()

    @Test("the fixture lists the far-tail and small-df cases")
    func fixturePresent() {
        #expect(Self.cases.count >= 20)
    }

    // Tolerance: 1e-12 relative. R wrote 15 significant digits, so rounding alone is below 5e-15; the same
    // libRmath algorithms run here, so any larger difference would be a wrong argument or tail.
    @Test("agrees with R to 1e-12 relative", arguments: cases)
    func agreesWithR(_ c: Case) {
        let computed: Double
        switch c.function {
        case "pt": computed = c.lower ? Distribution.studentTCDF(c.x, degreesOfFreedom: c.df1)
                                      : Distribution.studentTUpperTail(c.x, degreesOfFreedom: c.df1)
        case "pt2": computed = Distribution.studentTTwoSidedPValue(c.x, degreesOfFreedom: c.df1)
        case "qt": computed = Distribution.studentTQuantile(c.x, degreesOfFreedom: c.df1, upperTail: !c.lower)
        case "pf": computed = c.lower ? Distribution.fCDF(c.x, numerator: c.df1, denominator: c.df2!)
                                      : Distribution.fUpperTail(c.x, numerator: c.df1, denominator: c.df2!)
        case "qf": computed = Distribution.fQuantile(c.x, numerator: c.df1, denominator: c.df2!, upperTail: !c.lower)
        case "pchisq": computed = c.lower ? Distribution.chiSquaredCDF(c.x, degreesOfFreedom: c.df1)
                                          : Distribution.chiSquaredUpperTail(c.x, degreesOfFreedom: c.df1)
        case "qchisq": computed = Distribution.chiSquaredQuantile(c.x, degreesOfFreedom: c.df1, upperTail: !c.lower)
        default: Issue.record("unknown function \(c.function)"); return
        }
        #expect(close(computed, c.value, relative: 1e-12), "\(computed) vs R \(c.value)")
    }

    @Test("upper tails keep relative accuracy where 1 − cdf would cancel")
    func farTails() {
        // pchisq(400, 2, lower = FALSE) = exp(−200) exactly (chi-square with 2 df is exponential with mean 2).
        #expect(close(Distribution.chiSquaredUpperTail(400, degreesOfFreedom: 2), exp(-200), relative: 1e-13))
        #expect(1 - Distribution.chiSquaredCDF(400, degreesOfFreedom: 2) == 0)  // the cancellation avoided above
        // Two-sided p of t = ±40 with 3 df is symmetric and tiny but not zero.
        let p = Distribution.studentTTwoSidedPValue(-40, degreesOfFreedom: 3)
        #expect(p == Distribution.studentTTwoSidedPValue(40, degreesOfFreedom: 3))
        #expect(p > 0 && p < 1e-4)
        // The F quantile inverts the upper tail.
        let q = Distribution.fQuantile(1e-10, numerator: 2, denominator: 5, upperTail: true)
        #expect(close(Distribution.fUpperTail(q, numerator: 2, denominator: 5), 1e-10, relative: 1e-10))
    }
}
