import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASModels

/// All eleven NIST StRD linear-regression datasets (../shared/reference/nist) through `LinearRegression`, at the
/// tolerances each expected.json recommends (coefficients, their SDs, residual SD, R²; `abs` where the certified
/// value is 0 or 1). Filip (cond ≈ 1.8e15) must either meet its tolerance (≥ 6 digits) or fail with a typed
/// `ModelError.collinear`: a silently wrong fit is the one outcome not allowed.
@Suite("NIST StRD linear regression")
struct NISTRegressionTests {
    static let sets = ["nist_norris", "nist_pontius", "nist_noint1", "nist_noint2", "nist_filip", "nist_longley",
                       "nist_wampler1", "nist_wampler2", "nist_wampler3", "nist_wampler4", "nist_wampler5"]

    struct Reference {
        let intercept: Bool
        let design: [String]
        let estimates: [Double], sds: [Double]
        let residualSD: Double, rSquared: Double
        let tolerance: [String: [String: Double]]
    }

    static func load(_ name: String) throws -> (RegressionData, Reference) {
        let folder = try TestPaths.sharedFile("reference/nist/\(name)")
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))) as? [String: Any])
        let model = expected["model"] as! [String: Any], certified = expected["certified"] as! [String: Any]
        let coefficients = certified["coefficients"] as! [[String: Any]]
        let reference = Reference(
            intercept: model["intercept"] as! Bool, design: model["design_columns_in_order"] as! [String],
            estimates: coefficients.map { $0["estimate"] as! Double }, sds: coefficients.map { $0["sd"] as! Double },
            residualSD: certified["residual_sd"] as! Double, rSquared: certified["r_squared"] as! Double,
            tolerance: expected["tolerance"] as! [String: [String: Double]])
        let columns = try ModelFixtures.columns(of: folder + "/data.csv")
        let x = columns["x"]?.map { Double($0)! }
        let predictors = reference.design.filter { $0 != "(Intercept)" }.map { term -> Variable in
            if let power = term.split(separator: "^").last.flatMap({ Int($0) }), term.hasPrefix("x^") {
                return Variable(term, x!.map { pow($0, Double(power)) })
            }
            return Variable(term, columns[term]!.map { Double($0) })
        }
        let data = try RegressionData(response: Variable("y", columns["y"]!.map { Double($0) }), predictors: predictors)
        return (data, reference)
    }

    /// |computed − certified| within the set's tolerance for `key` (rel, or abs when the certified value is 0/1).
    static func within(_ computed: Double, _ certified: Double, _ tolerance: [String: Double]?) -> Bool {
        guard let tolerance else { return false }
        return close(computed, certified, relative: tolerance["rel"] ?? 0, absolute: tolerance["abs"] ?? 0)
    }

    @Test("every StRD set meets its recommended tolerances", .requires(TestPaths.hasShared("reference/nist"), "needs ../shared/reference/nist"),
          arguments: sets)
    func certifiedValues(_ name: String) throws {
        let (data, reference) = try Self.load(name)
        let result: RegressionResult
        do {
            result = try LinearRegression(includesIntercept: reference.intercept).fit(data)
        } catch let error as ModelError {
            // Only Filip may be refused, and only with the typed collinearity / ill-conditioning error.
            guard name == "nist_filip", case .collinear(let predictors, _) = error else { throw error }
            #expect(!predictors.isEmpty)
            return
        }
        #expect(result.coefficients.map(\.term) == reference.design)
        for (j, coefficient) in result.coefficients.enumerated() {
            #expect(Self.within(coefficient.estimate, reference.estimates[j], reference.tolerance["coefficients"]),
                    "\(name) \(coefficient.term): \(coefficient.estimate) vs \(reference.estimates[j]) (LRE \(logRelativeError(coefficient.estimate, reference.estimates[j])))")
            #expect(Self.within(coefficient.standardError, reference.sds[j], reference.tolerance["sd"]),
                    "\(name) sd \(coefficient.term): \(coefficient.standardError) vs \(reference.sds[j])")
        }
        #expect(Self.within(result.sigma, reference.residualSD, reference.tolerance["residual_sd"]),
                "\(name) residual sd \(result.sigma) vs \(reference.residualSD)")
        #expect(Self.within(result.rSquared, reference.rSquared, reference.tolerance["r_squared"]),
                "\(name) R² \(result.rSquared) vs \(reference.rSquared)")
    }

    @Test("Longley through `sipas regress --format json`", .requires(TestPaths.hasShared("reference/nist"), "needs ../shared/reference/nist"))
    func longleyThroughCLI() throws {
        let folder = try TestPaths.sharedFile("reference/nist/nist_longley")
        let (_, reference) = try Self.load("nist_longley")
        let text = try RegressCommand.parse([folder + "/data.csv", "--y", "y", "--x", "x1,x2,x3,x4,x5,x6", "--format", "json"]).render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let coefficients = try #require(object["coefficients"] as? [[String: Any]])
        #expect(coefficients.count == 7)
        for (j, coefficient) in coefficients.enumerated() {
            #expect(Self.within(coefficient["estimate"] as! Double, reference.estimates[j], reference.tolerance["coefficients"]))
            #expect(Self.within(coefficient["se"] as! Double, reference.sds[j], reference.tolerance["sd"]))
        }
        #expect(Self.within(object["sigma"] as! Double, reference.residualSD, reference.tolerance["residual_sd"]))
        #expect(Self.within(object["r_squared"] as! Double, reference.rSquared, reference.tolerance["r_squared"]))
        #expect(object["n"] as? Int == 16 && object["df_residual"] as? Int == 9)
        // NIST certifies F = 330.285339234588 for Longley.
        #expect(close(object["f_statistic"] as? Double, 330.285339234588, relative: 1e-9))
        #expect((object["rows"] as? [String: Any])?["used"] as? Int == 16)
    }
}
