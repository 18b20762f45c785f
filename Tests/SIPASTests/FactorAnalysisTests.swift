import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASLinearAlgebra
@testable import SIPASModels
@testable import SIPASReport

enum EFAFixtures {
    static let items = (1...10).map { String(format: "q%02ld", $0) }
    static let csv = TestPaths.fixture("efa/items.csv")

    static func rResults() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("efa/r-results.json")))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// An array of numbers; jsonlite's auto_unbox writes a one-element vector (1 factor) as a bare number.
    static func numbers(_ value: Any?) -> [Double] {
        if let single = value as? NSNumber { return [single.doubleValue] }
        return (value as! [NSNumber]).map(\.doubleValue)
    }
    static func matrix(_ value: Any?) -> [[Double]] { (value as! [[NSNumber]]).map { $0.map(\.doubleValue) } }

    static func run(_ factors: Int, _ rotation: String, extraction: String = "pa", items: [String] = items) throws -> FactorAnalysisResult {
        try FactorsCommand.parse([csv, "--items", items.joined(separator: ","), "--factors", String(factors),
                                  "--rotation", rotation, "--extraction", extraction, "--na", "9,99,0,6"]).analyze()
    }
}

@Suite("Exploratory factor analysis against R psych")
struct FactorAnalysisTests {
    /// Correlations, eigenvalues, KMO and Bartlett are closed-form: 1e-10 relative (R wrote 15 significant digits).
    @Test("correlations, eigenvalues, KMO, Bartlett and row accounting match R")
    func closedForm() throws {
        let r = try EFAFixtures.rResults()
        let result = try EFAFixtures.run(3, "varimax")
        #expect(result.observationCount == (r["n"] as! NSNumber).intValue)
        #expect(result.rows.read == 2640)
        let excluded = r["excluded_first_missing"] as! [String: NSNumber]
        for exclusion in result.rows.excluded {
            let item = String(exclusion.reason.dropFirst("missing ".count))
            #expect(exclusion.count == excluded[item]?.intValue, "\(exclusion.reason)")
        }
        #expect(result.rows.excluded.count == excluded.count)
        let correlation = EFAFixtures.matrix(r["correlation"])
        for a in 0..<10 { for b in 0..<10 { #expect(close(result.correlation[a][b], correlation[a][b], relative: 1e-12, absolute: 1e-14)) } }
        for (value, expected) in zip(result.eigenvalues, EFAFixtures.numbers(r["eigenvalues"])) { #expect(close(value, expected, relative: 1e-10)) }
        #expect(close(result.samplingAdequacy.overall, (r["kmo"] as! NSNumber).doubleValue, relative: 1e-10))
        for (value, expected) in zip(result.samplingAdequacy.items, EFAFixtures.numbers(r["kmo_items"])) { #expect(close(value, expected, relative: 1e-10)) }
        #expect(close(result.bartlett.chiSquared, (r["bartlett_chisq"] as! NSNumber).doubleValue, relative: 1e-10))
        #expect(result.bartlett.degreesOfFreedom == 45)
        #expect(result.bartlett.pValue == 0)  // R's pchisq underflows too
    }

    /// A small case whose Bartlett p-value is not 0: the first 25 complete rows of q01–q05. 1e-10 relative.
    @Test("KMO and Bartlett on 25 rows match R")
    func smallSample() throws {
        let small = try EFAFixtures.rResults()["small"] as! [String: Any]
        // Rebuild the first 25 complete rows of the ten items, then keep q01–q05 (as the R script does).
        let columns = try ModelFixtures.columns(of: EFAFixtures.csv)
        let missing: Set<String> = ["", "0", "6", "9", "99"]
        var rows: [[Double]] = []
        for i in 0..<columns["q01"]!.count where rows.count < 25 {
            let cells = EFAFixtures.items.map { columns[$0]![i] }
            if cells.allSatisfy({ !missing.contains($0) }) { rows.append(cells.prefix(5).map { Double($0)! }) }
        }
        let r = try FactorAnalysis.correlationMatrix((0..<5).map { j in rows.map { $0[j] } }, names: Array(EFAFixtures.items.prefix(5)))
        let kmo = FactorAnalysis.samplingAdequacy(correlation: r, inverse: try FactorAnalysis.invert(r))
        #expect(close(kmo.overall, (small["kmo"] as! NSNumber).doubleValue, relative: 1e-10))
        for (value, expected) in zip(kmo.items, EFAFixtures.numbers(small["kmo_items"])) { #expect(close(value, expected, relative: 1e-10)) }
        let bartlett = FactorAnalysis.bartlettSphericity(eigenvalues: try r.symmetricEigen().values, observations: 25)
        #expect(close(bartlett.chiSquared, (small["bartlett_chisq"] as! NSNumber).doubleValue, relative: 1e-10))
        #expect(bartlett.degreesOfFreedom == 10)
        #expect(close(bartlett.pValue, (small["bartlett_p"] as! NSNumber).doubleValue, relative: 1e-9))
    }

    /// Principal axis + rotation replicate psych's iteration and stopping rules, so the agreement is far tighter than
    /// the 1e-3 convergence criterion: loadings, communalities, variances and Φ to 1e-10 absolute (observed ~1e-13).
    /// `promax` is psych::fa(rotate = "promax") (Kaiser-normalized, psych::kaiser), `promax-raw` is rotate = "Promax".
    @Test("PA loadings, communalities, variance and factor correlations match psych::fa",
          arguments: [("pa3_varimax", 3, "varimax"), ("pa3_promax", 3, "promax"), ("pa3_promax_raw", 3, "promax-raw"),
                      ("pa3_none", 3, "none"), ("pa2_varimax", 2, "varimax"), ("pa2_promax", 2, "promax"),
                      ("pa2_promax_raw", 2, "promax-raw")])
    func loadings(key: String, factors: Int, rotation: String) throws {
        let r = try EFAFixtures.rResults()[key] as! [String: Any]
        let result = try EFAFixtures.run(factors, rotation)
        #expect(result.iterations == (r["iterations"] as! NSNumber).intValue)
        let loadings = EFAFixtures.matrix(r["loadings"])
        for i in 0..<10 { for f in 0..<factors { #expect(close(result.loadings[i][f], loadings[i][f], absolute: 1e-10), "\(key) [\(i)][\(f)]") } }
        for (value, expected) in zip(result.communalities, EFAFixtures.numbers(r["communality"])) { #expect(close(value, expected, absolute: 1e-10)) }
        for (value, expected) in zip(result.uniquenesses, EFAFixtures.numbers(r["uniquenesses"])) { #expect(close(value, expected, absolute: 1e-10)) }
        for (value, expected) in zip(result.sumsOfSquaredLoadings, EFAFixtures.numbers(r["ss_loadings"])) { #expect(close(value, expected, absolute: 1e-10)) }
        for (value, expected) in zip(result.proportionOfVariance, EFAFixtures.numbers(r["proportion_var"])) { #expect(close(value, expected, absolute: 1e-10)) }
        for (value, expected) in zip(result.reducedEigenvalues, EFAFixtures.numbers(r["values"])) { #expect(close(value, expected, absolute: 1e-10)) }
        if rotation.hasPrefix("promax") {
            let phi = EFAFixtures.matrix(r["phi"])
            let computed = try #require(result.factorCorrelations)
            for a in 0..<factors { for b in 0..<factors { #expect(close(computed[a][b], phi[a][b], absolute: 1e-10)) } }
        } else {
            #expect(result.factorCorrelations == nil)
        }
        for f in 0..<factors { #expect(result.loadings.map { $0[f] }.reduce(0, +) > 0) }
    }

    /// ML: sipas optimizes to a projected gradient below 1e-9; the tight R reference (psych's FAfn/FAgr with optim
    /// factr = 1, pgtol = 0, then psych's post-processing) agrees to ~1e-8, so loadings, communalities, variances and
    /// Φ are held to 1e-6 absolute. psych::fa(fm = "ml") itself stops early (factr 1e7): 1e-5 absolute.
    @Test("ML loadings match psych's ML steps run to convergence",
          arguments: [("ml3_varimax", 3, "varimax"), ("ml3_promax", 3, "promax"), ("ml3_promax_raw", 3, "promax-raw"),
                      ("ml3_none", 3, "none"), ("ml2_varimax", 2, "varimax"), ("ml2_promax", 2, "promax"),
                      ("ml2_promax_raw", 2, "promax-raw"), ("ml1_none", 1, "none")])
    func maximumLikelihood(key: String, factors: Int, rotation: String) throws {
        let all = try EFAFixtures.rResults()
        let r = all[key] as! [String: Any]
        let result = try EFAFixtures.run(factors, rotation, extraction: "ml")
        #expect(result.converged)
        let loadings = EFAFixtures.matrix(r["loadings"])
        for i in 0..<10 { for f in 0..<factors { #expect(close(result.loadings[i][f], loadings[i][f], absolute: 1e-6), "\(key) [\(i)][\(f)]") } }
        for (value, expected) in zip(result.communalities, EFAFixtures.numbers(r["communality"])) { #expect(close(value, expected, absolute: 1e-6)) }
        for (value, expected) in zip(result.uniquenesses, EFAFixtures.numbers(r["uniquenesses"])) { #expect(close(value, expected, absolute: 1e-6)) }
        for (value, expected) in zip(result.sumsOfSquaredLoadings, EFAFixtures.numbers(r["ss_loadings"])) { #expect(close(value, expected, absolute: 1e-6)) }
        if let phi = r["phi"] {
            let expected = EFAFixtures.matrix(phi), computed = try #require(result.factorCorrelations)
            for a in 0..<factors { for b in 0..<factors { #expect(close(computed[a][b], expected[a][b], absolute: 1e-6)) } }
        }
        if key == "ml3_varimax" || key == "ml3_promax" {
            let psych = all[key + "_default"] as! [String: Any]
            let expected = EFAFixtures.matrix(psych["loadings"])
            for i in 0..<10 { for f in 0..<3 { #expect(close(result.loadings[i][f], expected[i][f], absolute: 1e-5)) } }
            if let phi = psych["phi"] {
                let expected = EFAFixtures.matrix(phi), computed = try #require(result.factorCorrelations)
                for a in 0..<3 { for b in 0..<3 { #expect(close(computed[a][b], expected[a][b], absolute: 1e-5)) } }
            }
        }
    }

    /// psych::fa's `rot.mat` is the transformation T of the unrotated, column-signed loadings (before fa signs and
    /// orders the rotated columns): for "promax" the one psych::kaiser takes from Promax on the row-normalized
    /// loadings, which also rotates the loadings themselves. sipas's `promax` returns the same T: 1e-10 absolute.
    @Test("the promax transformation matrices match psych::fa's rot.mat",
          arguments: [("pa3_promax", 3, true), ("pa3_promax_raw", 3, false), ("pa2_promax", 2, true), ("pa2_promax_raw", 2, false)])
    func rotationMatrix(key: String, factors: Int, kaiserNormalized: Bool) throws {
        let expected = EFAFixtures.matrix((try EFAFixtures.rResults()[key] as! [String: Any])["rot_mat"])
        // Unrotated PA loadings come out in eigenvalue order, so "none" is fa's pre-rotation matrix.
        let unrotated = try EFAFixtures.run(factors, "none").loadings
        let x = Matrix(rows: 10, columns: factors, rowMajor: unrotated.flatMap { $0 })
        let rotated = try FactorAnalysis.promax(x, kaiserNormalized: kaiserNormalized)
        for a in 0..<factors { for b in 0..<factors { #expect(close(rotated.rotation[a, b], expected[a][b], absolute: 1e-10), "\(key) [\(a)][\(b)]") } }
        let product = x * rotated.rotation
        for i in 0..<10 { for f in 0..<factors { #expect(close(product[i, f], rotated.loadings[i, f], absolute: 1e-12)) } }
    }

    /// The README example on the bundled data (`--na 9,99`: blanks, 9 and 99 missing; the invalid 0 and 6 stay
    /// numbers, as sipas reads them), 3 factors, against psych::fa(fm = "pa") on the same 2,115 rows: the default
    /// promax is rotate = "promax" (q01's loading 0.6095, q03's 0.6897), promax-raw is rotate = "Promax" (0.6098,
    /// 0.6900). Both to 1e-10 absolute; the two differ by ~3e-4, so the old unnormalized promax fails this test.
    @Test("bundled data, q01–q10, 3 factors: promax is psych::fa(rotate = \"promax\"), promax-raw is \"Promax\"")
    func bundledPromax() throws {
        let bundled = try EFAFixtures.rResults()["bundled"] as! [String: Any]
        let data = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path
        let na = (bundled["na"] as! [String]).joined(separator: ",")
        var primary: [String: [Double]] = [:]
        for (rotation, key) in [("promax", "promax"), ("promax-raw", "promax_raw")] {
            let r = bundled[key] as! [String: Any]
            let result = try FactorsCommand.parse([data, "--items", EFAFixtures.items.joined(separator: ","), "--factors", "3",
                                                   "--rotation", rotation, "--na", na]).analyze()
            #expect(result.rotation.rawValue == rotation)
            #expect(result.observationCount == (bundled["n"] as! NSNumber).intValue)
            let loadings = EFAFixtures.matrix(r["loadings"]), phi = EFAFixtures.matrix(r["phi"])
            // q01 and q03 load mainly on the second factor (by variance): the issue's numbers.
            for i in [0, 2] {
                let f = try #require(loadings[i].indices.max { abs(loadings[i][$0]) < abs(loadings[i][$1]) })
                #expect(close(result.loadings[i][f], loadings[i][f], absolute: 1e-10), "\(rotation) \(EFAFixtures.items[i]): \(result.loadings[i][f]) vs psych \(loadings[i][f])")
                primary[rotation, default: []].append(loadings[i][f])
            }
            for i in 0..<10 { for f in 0..<3 { #expect(close(result.loadings[i][f], loadings[i][f], absolute: 1e-10), "\(rotation) [\(i)][\(f)]") } }
            let computed = try #require(result.factorCorrelations)
            for a in 0..<3 { for b in 0..<3 { #expect(close(computed[a][b], phi[a][b], absolute: 1e-10)) } }
            for (value, expected) in zip(result.communalities, EFAFixtures.numbers(r["communality"])) { #expect(close(value, expected, absolute: 1e-10)) }
        }
        // The two variants are far apart compared with the tolerance, so the test tells them apart.
        for (kaiser, raw) in zip(primary["promax"]!, primary["promax-raw"]!) { #expect(abs(kaiser - raw) > 1e-4) }
    }

    @Test("JSON and table output carry loadings, KMO, Bartlett and rows")
    func rendering() throws {
        let command = try FactorsCommand.parse([EFAFixtures.csv, "--items", EFAFixtures.items.joined(separator: ","), "--factors", "3",
                                                "--na", "9,99,0,6", "--format", "json"])
        let json = try command.render()
        for key in ["\"kmo\"", "\"bartlett\"", "\"loadings\"", "\"communality\"", "\"variance\"", "\"rows\""] { #expect(json.contains(key)) }
        let table = try FactorsCommand.parse([EFAFixtures.csv, "--items", EFAFixtures.items.joined(separator: ","), "--factors", "2",
                                              "--rotation", "promax", "--na", "9,99,0,6", "--lang", "en"]).render()
        #expect(table.contains("factor correlations"))
        #expect(table.contains("Rows: read 2,640 = used 2,102 + excluded 538"))
        let vietnamese = try FactorsCommand.parse([EFAFixtures.csv, "--items", EFAFixtures.items.joined(separator: ","), "--factors", "2",
                                                   "--rotation", "promax", "--na", "9,99,0,6"]).render()
        #expect(vietnamese.contains("tương quan giữa các nhân tố"))
        #expect(vietnamese.contains("Số dòng: đọc 2.640 = dùng 2.102 + loại 538"))
    }

    @Test("edge cases: too few items or rows, constant item, collinear items, factor count")
    func edgeCases() throws {
        let a = Variable("a", [1, 2, 3, 4, 5, 2]), b = Variable("b", [2, 2, 3, 5, 4, 1]), c = Variable("c", [5, 4, 4, 2, 1, 3])
        #expect(throws: ModelError.self) { try FactorAnalysis.explore(items: [a, b], factors: 1) }
        #expect(throws: ModelError.self) { try FactorAnalysis.explore(items: [a, b, c], factors: 3) }
        #expect(throws: ModelError.self) { try FactorAnalysis.explore(items: [a, b, c], factors: 0) }
        let constant = Variable("k", [5, 5, 5, 5, 5, 5])
        #expect(throws: ModelError.zeroVariance(variable: "k")) { try FactorAnalysis.explore(items: [a, b, constant], factors: 1) }
        let sum = Variable("s", zip(a.values, b.values).map { $0! + $1! })
        #expect { try FactorAnalysis.explore(items: [a, b, sum], factors: 1) } throws: { error in
            let text = String(describing: error)
            return text.contains("singular") && text.contains("'a', 'b', 's'")
        }
        let sparse = Variable("m", [1, nil, nil, nil, nil, 2])
        #expect(throws: ModelError.tooFewObservations(observations: 2, parameters: 4)) {
            try FactorAnalysis.explore(items: [a, b, sparse], factors: 1)
        }
        let empty = Variable("e", [])
        #expect(throws: ModelError.self) { try FactorAnalysis.explore(items: [empty, empty, empty], factors: 1) }
    }

    @Test("a bad cell is reported with file, row and column")
    func badCell() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", "a,b,c\n1,2,3\n2,x,4\n3,3,3\n4,4,5\n")
        #expect { try FactorsCommand.parse([path, "--items", "a,b,c", "--factors", "1"]).analyze() } throws: { error in
            let text = String(describing: error)
            return text.contains(path) && text.contains("'b'") && text.contains("row 2")
        }
        #expect(throws: (any Error).self) { try FactorsCommand.parse([path, "--items", "a,b", "--factors", "1"]) }
        #expect(throws: (any Error).self) { try FactorsCommand.parse([path, "--items", "a,b,c", "--factors", "3"]) }
    }

    /// Varimax keeps communalities; promax's Φ has a unit diagonal; the eigenvalues sum to the number of items.
    @Test("invariants of rotations")
    func invariants() throws {
        let varimax = try EFAFixtures.run(3, "varimax"), none = try EFAFixtures.run(3, "none"), promax = try EFAFixtures.run(3, "promax")
        for i in 0..<10 {
            let h2 = varimax.loadings[i].reduce(0) { $0 + $1 * $1 }
            #expect(close(h2, none.communalities[i], absolute: 1e-12))
            #expect(close(promax.communalities[i], none.communalities[i], absolute: 1e-15))
        }
        for f in 0..<3 { #expect(close(promax.factorCorrelations![f][f], 1, absolute: 1e-12)) }
        #expect(close(varimax.eigenvalues.reduce(0, +), 10, relative: 1e-12))
    }

    @Test("the REPL runs factors and regress --wild-bootstrap on the open data set")
    func repl() throws {
        let s = REPLSession(workingDirectory: TestPaths.packageRoot.path)
        #expect(!s.execute("open datasets/sipas-2024-synthetic.csv as d").failed)
        let factors = s.execute("factors --items q01,q02,q03,q04,q05,q06 --factors 2 --rotation promax --na 9,99,0,6 --lang en")
        #expect(!factors.failed, "\(factors.output)")
        #expect(factors.output.contains("factor correlations"))
        let wild = s.execute("regress --y overall --x q01,q02 --se cluster:cluster --wild-bootstrap 199 --na 9,99,0,6 --lang en")
        #expect(!wild.failed, "\(wild.output)")
        #expect(wild.output.contains("Wild cluster bootstrap-t"))
    }
}
