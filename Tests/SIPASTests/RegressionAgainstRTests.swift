import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASModels

/// The fixture (Fixtures/models/regression.csv, 200 rows, 15 clusters, 5 rows with a missing y or x2) against
/// R: `lm`, `summary.lm`, `confint`, `sandwich::vcovHC` (HC0–HC3), `sandwich::vcovCL(fit, cluster = ~g)`, VIFs by
/// auxiliary regressions and `psych::alpha`, all from make_fixtures.R.
///
/// Tolerance: 1e-10 relative for every statistic (R printed 15 significant digits; both sides use Householder
/// QR on the same doubles, so agreement is ~1e-13 in practice).
@Suite("Regression and reliability against R (sandwich, psych)")
struct RegressionAgainstRTests {
    static let tolerance = 1e-10

    static func compare(_ result: RegressionResult, _ r: [String: Any], _ label: String) {
        #expect(result.observationCount == r["n"] as? Int, "\(label) n")
        #expect(result.residualDegreesOfFreedom == r["df_residual"] as? Int, "\(label) df")
        let terms = (r["terms"] as! [String])
        #expect(result.coefficients.map(\.term) == terms, "\(label) terms")
        let columns: [(String, (RegressionCoefficient) -> Double?)] = [
            ("estimate", { $0.estimate }), ("se", { $0.standardError }), ("t", { $0.tStatistic }), ("p", { $0.pValue }),
            ("ci_lower", { $0.confidenceLower }), ("ci_upper", { $0.confidenceUpper }),
            ("std_beta", { $0.standardizedBeta }), ("vif", { $0.varianceInflation }),
        ]
        for (key, value) in columns {
            for (coefficient, expected) in zip(result.coefficients, ModelFixtures.numbers(r[key])) {
                if let expected {
                    #expect(close(value(coefficient), expected, relative: tolerance), "\(label) \(key) \(coefficient.term): \(String(describing: value(coefficient))) vs R \(expected)")
                } else {
                    #expect(value(coefficient) == nil, "\(label) \(key) \(coefficient.term) should be absent")
                }
            }
        }
        let scalars: [(String, Double?)] = [
            ("r_squared", result.rSquared), ("adj_r_squared", result.adjustedRSquared), ("sigma", result.sigma),
            ("f_statistic", result.fStatistic), ("f_p_value", result.fPValue),
            ("condition_number_scaled", result.conditionNumber), ("condition_number_unscaled", result.unscaledConditionNumber),
        ]
        for (key, value) in scalars {
            #expect(close(value, r[key] as! Double, relative: tolerance), "\(label) \(key): \(String(describing: value)) vs R \(r[key]!)")
        }
    }

    static func standardErrors(_ data: RegressionData, _ type: StandardErrorType) throws -> [Double] {
        try LinearRegression(standardErrors: type).fit(data).coefficients.map(\.standardError)
    }

    @Test("OLS: lm/summary.lm/confint, standardized betas, VIFs and condition numbers")
    func ordinary() throws {
        let r = try ModelFixtures.rResults()["ols"] as! [String: Any]
        let data = try ModelFixtures.regressionData()
        #expect(data.rows.read == 200 && data.rows.used == 195)
        Self.compare(try LinearRegression().fit(data), r, "OLS")
    }

    @Test("WLS: lm(weights = w) with weighted standardized betas and weighted VIFs")
    func weighted() throws {
        let r = try ModelFixtures.rResults()["wls"] as! [String: Any]
        Self.compare(try LinearRegression().fit(try ModelFixtures.regressionData(weighted: true)), r, "WLS")
    }

    @Test("HC0–HC3 and cluster SEs equal sandwich::vcovHC / vcovCL, unweighted and weighted",
          arguments: [("ols", false), ("wls", true)])
    func sandwichStandardErrors(_ fit: String, _ weighted: Bool) throws {
        let r = try ModelFixtures.rResults()[fit] as! [String: Any]
        let data = try ModelFixtures.regressionData(weighted: weighted, clustered: true)
        let types: [(String, StandardErrorType)] = [("se_hc0", .hc0), ("se_hc1", .hc1), ("se_hc2", .hc2), ("se_hc3", .hc3),
                                                     ("se_cluster", .cluster), ("se", .classical)]
        for (key, type) in types {
            let computed = try Self.standardErrors(data, type)
            for (index, (value, expected)) in zip(computed, ModelFixtures.numbers(r[key])).enumerated() {
                #expect(close(value, expected!, relative: Self.tolerance), "\(fit) \(key) [\(index)]: \(value) vs R \(expected!)")
            }
        }
        let cluster = try LinearRegression(standardErrors: .cluster).fit(data)
        #expect(cluster.clusterCount == 15)
        for (coefficient, expected) in zip(cluster.coefficients, ModelFixtures.numbers(r["p_cluster"])) {
            #expect(close(coefficient.pValue, expected!, relative: Self.tolerance), "\(fit) cluster p \(coefficient.term)")
        }
        #expect(close(cluster.robustFStatistic, r["wald_f_cluster"] as! Double, relative: Self.tolerance))
        #expect(close(cluster.robustFPValue, r["wald_p_cluster"] as! Double, relative: Self.tolerance))
        let hc3 = try LinearRegression(standardErrors: .hc3).fit(data)
        #expect(close(hc3.robustFStatistic, r["wald_f_hc3"] as! Double, relative: Self.tolerance))
        #expect(close(hc3.robustFPValue, r["wald_p_hc3"] as! Double, relative: Self.tolerance))
    }

    @Test("no intercept: coefficients, SEs, uncentred R², adjusted R² and F as summary.lm")
    func noIntercept() throws {
        let r = try ModelFixtures.rResults()["no_intercept"] as! [String: Any]
        let result = try LinearRegression(includesIntercept: false).fit(try ModelFixtures.regressionData())
        for (coefficient, (estimate, se)) in zip(result.coefficients, zip(ModelFixtures.numbers(r["estimate"]), ModelFixtures.numbers(r["se"]))) {
            #expect(close(coefficient.estimate, estimate!, relative: Self.tolerance))
            #expect(close(coefficient.standardError, se!, relative: Self.tolerance))
            #expect(coefficient.varianceInflation == nil)
        }
        #expect(close(result.rSquared, r["r_squared"] as! Double, relative: Self.tolerance))
        #expect(close(result.adjustedRSquared, r["adj_r_squared"] as! Double, relative: Self.tolerance))
        #expect(close(result.fStatistic, r["f_statistic"] as! Double, relative: Self.tolerance))
    }

    @Test("`sipas regress --format json` keeps the documented shape and R's numbers")
    func regressCommandJSON() throws {
        let r = try ModelFixtures.rResults()["ols"] as! [String: Any]
        let text = try RegressCommand.parse([ModelFixtures.csv, "--y", "y", "--x", "x1,x2,x3,x4", "--se", "cluster:g",
                                             "--format", "json"]).render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for key in ["n", "df_residual", "r_squared", "adj_r_squared", "sigma", "f_statistic", "f_p_value", "condition_number",
                    "coefficients", "rows"] {
            #expect(object[key] != nil, "top-level \(key)")
        }
        #expect(object["n"] as? Int == 195)
        let coefficients = try #require(object["coefficients"] as? [[String: Any]])
        #expect(coefficients.map { $0["term"] as? String } == ["(Intercept)", "x1", "x2", "x3", "x4"])
        for key in ["term", "estimate", "se", "t", "p", "ci_lower", "ci_upper", "std_beta", "vif"] {
            #expect(coefficients.allSatisfy { $0.keys.contains(key) }, "coefficient key \(key)")
        }
        for (coefficient, expected) in zip(coefficients, ModelFixtures.numbers(r["se_cluster"])) {
            #expect(close(coefficient["se"] as? Double, expected!, relative: Self.tolerance))
        }
        let rows = try #require(object["rows"] as? [String: Any])
        #expect(rows["read"] as? Int == 200)
        #expect(rows["used"] as? Int == 195)
        let excluded = try #require(rows["excluded"] as? [[String: Any]])
        let counts = Dictionary(uniqueKeysWithValues: excluded.map { ($0["reason"] as! String, $0["count"] as! Int) })
        #expect(counts == ["missing y": 2, "missing x2": 3])
        let table = try RegressCommand.parse([ModelFixtures.csv, "--y", "y", "--x", "x1,x2,x3,x4", "--weight", "w", "--lang", "en"]).render()
        #expect(table.contains("weighted by w") && table.contains("missing x2: 3"))
        let vietnamese = try RegressCommand.parse([ModelFixtures.csv, "--y", "y", "--x", "x1,x2,x3,x4", "--weight", "w"]).render()
        #expect(vietnamese.contains("trọng số w") && vietnamese.contains("Số dòng: đọc 200 = dùng 195 + loại 5"))
    }

    @Test("Cronbach's alpha equals psych::alpha (raw, standardized, r.drop, alpha if dropped)")
    func alpha() throws {
        let r = try ModelFixtures.rResults()["alpha"] as! [String: Any]
        let columns = try ModelFixtures.columns(of: ModelFixtures.csv)
        let items = ["a1", "a2", "a3", "a4"].map { Variable($0, columns[$0]!.map { Double($0) }) }
        let result = try ReliabilityAnalysis.cronbachAlpha(items: items, reversed: ["a3"])
        #expect(result.observationCount == r["n"] as? Int)
        #expect(result.rows.excluded == [.init(reason: "missing a2", count: 2)])
        #expect(close(result.alpha, r["raw_alpha"] as! Double, relative: Self.tolerance))
        #expect(close(result.standardizedAlpha, r["std_alpha"] as! Double, relative: Self.tolerance))
        let rDrop = ModelFixtures.numbers(r["r_drop"]), dropped = ModelFixtures.numbers(r["alpha_if_dropped"])
        let stdDropped = ModelFixtures.numbers(r["std_alpha_if_dropped"])
        for (j, item) in result.items.enumerated() {
            #expect(close(item.itemRestCorrelation, rDrop[j]!, relative: Self.tolerance), "r.drop \(item.item)")
            #expect(close(item.alphaIfDropped, dropped[j]!, relative: Self.tolerance), "alpha.drop \(item.item)")
            #expect(close(item.standardizedAlphaIfDropped, stdDropped[j]!, relative: Self.tolerance), "std alpha.drop \(item.item)")
        }
        // The same through the command.
        let text = try AlphaCommand.parse([ModelFixtures.csv, "--items", "a1,a2,a3,a4", "--reverse", "a3", "--format", "json"]).render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(close(object["alpha"] as? Double, r["raw_alpha"] as! Double, relative: Self.tolerance))
        #expect(close(object["std_alpha"] as? Double, r["std_alpha"] as! Double, relative: Self.tolerance))
        #expect(object["n"] as? Int == 198)
        let listed = try #require(object["items"] as? [[String: Any]])
        #expect(listed.map { $0["item"] as? String } == ["a1", "a2", "a3", "a4"])
        #expect(listed.allSatisfy { $0["item_rest_r"] is Double && $0["alpha_if_dropped"] is Double })
        #expect((object["rows"] as? [String: Any])?["used"] as? Int == 198)
    }
}
