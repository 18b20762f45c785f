import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASModels
@testable import SIPASReport

@Suite("Ordered logit (proportional odds) against MASS::polr")
struct OrderedLogitTests {
    static let csv = TestPaths.fixture("ologit/data.csv")

    static func rResults() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("ologit/r-results.json")))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// polr was run with optim reltol 1e-15 and a Hessian step of 1e-5; sipas uses Newton with the analytic
    /// Hessian. Estimates and log-likelihood agree to 1e-7 relative; SEs (polr: finite differences of its
    /// gradient) to 1e-5 relative.
    @Test("slopes, cut-points, SEs, log-likelihood and AIC match polr", arguments: [false, true])
    func matchesPolr(weighted: Bool) throws {
        let r = try Self.rResults()[weighted ? "weighted" : "unweighted"] as! [String: Any]
        let result = try OrderedLogitCommand.parse([Self.csv, "--y", "overall", "--x", "q01,q05,q09,q13", "--na", "9,99,0,6"]
                                                   + (weighted ? ["--weight", "weight"] : [])).analyze()
        #expect(result.observationCount == 738)
        #expect(result.categoryCounts == (r["counts"] as! [NSNumber]).map(\.intValue))
        let estimates = (r["coefficients"] as! [NSNumber]).map(\.doubleValue) + (r["zeta"] as! [NSNumber]).map(\.doubleValue)
        let ses = (r["se"] as! [NSNumber]).map(\.doubleValue)
        let parameters = result.coefficients + result.thresholds
        #expect(parameters.map(\.term).suffix(3) == (r["zeta_names"] as! [String]))
        for (index, parameter) in parameters.enumerated() {
            #expect(close(parameter.estimate, estimates[index], relative: 1e-7), "\(parameter.term) estimate")
            #expect(close(parameter.standardError, ses[index], relative: 1e-5), "\(parameter.term) SE")
        }
        #expect(close(result.logLikelihood, (r["loglik"] as! NSNumber).doubleValue, relative: 1e-10))
        #expect(close(result.aic, (r["aic"] as! NSNumber).doubleValue, relative: 1e-10))
        #expect(result.notes.contains { $0.en.contains("category 2") })
    }

    @Test("output formats, and errors: two categories, separation, constant predictor, bad cell")
    func edgeCases() throws {
        let json = try OrderedLogitCommand.parse([Self.csv, "--y", "overall", "--x", "q01,q05", "--na", "9,99,0,6", "--format", "json"]).render()
        #expect(json.contains("\"odds_ratio\"") && json.contains("\"thresholds\"") && json.contains("\"rows\""))
        let two = try RegressionData(response: Variable("y", [1, 2, 1, 2, 1, 2]), predictors: [Variable("x", [1, 2, 3, 4, 5, 7])])
        #expect { try OrderedLogit.fit(two) } throws: { String(describing: $0).contains("at least 3") }
        // x sorts y perfectly: the likelihood keeps rising as β grows.
        let separated = try RegressionData(response: Variable("y", [1, 1, 2, 2, 3, 3, 1, 2, 3]),
                                           predictors: [Variable("x", [1, 2, 3, 4, 5, 6, 1.5, 3.5, 5.5])])
        #expect { try OrderedLogit.fit(separated) } throws: { String(describing: $0).contains("separate") }
        let constant = try RegressionData(response: Variable("y", [1, 2, 3, 1, 2, 3]), predictors: [Variable("k", [2, 2, 2, 2, 2, 2])])
        #expect(throws: ModelError.zeroVariance(variable: "k")) { try OrderedLogit.fit(constant) }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", "y,x\n1,1\n2,2\n3,zz\n")
        #expect { try OrderedLogitCommand.parse([path, "--y", "y", "--x", "x"]).analyze() } throws: { error in
            let text = String(describing: error)
            return text.contains(path) && text.contains("row 3") && text.contains("'x'")
        }
        let repl = REPLSession(workingDirectory: TestPaths.packageRoot.path)
        _ = repl.execute("open \(Self.csv)")
        let outcome = repl.execute("ologit --y overall --x q01,q05 --na 9,99,0,6 --lang en")
        #expect(!outcome.failed, "\(outcome.output)")
        #expect(outcome.output.contains("Ordered logit"))
    }
}
