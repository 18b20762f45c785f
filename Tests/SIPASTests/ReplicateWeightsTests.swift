import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
@testable import SIPASInstrument
import SIPASSupport

/// Replicate-weight designs against R survey 4.1-1 (Fixtures/replicates/make_replicate_fixtures.R, run once; see
/// the fixtures README): svymean/svytotal and svyby domain estimates with their standard errors and degf on R's
/// api data with JK1, JKn, BRR, Fay, bootstrap and successive-difference replicates made by as.svrepdesign, and
/// the SIPAS index of the bundled survey with bootstrap replicates. Tolerance: 1e-8 relative.
@Suite("Replicate-weight designs")
struct ReplicateWeightsTests {
    static let folder = TestPaths.fixture("replicates")
    /// R's figures (a dictionary is not Sendable, so it is read again where used: a few kilobytes).
    static var expected: [String: Any] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
    static let cases = ["jk1", "jk1_default", "jk1_mse", "bootstrap", "jkn", "brr", "fay", "sdr"]

    func number(_ value: Any?) -> Double { (value as! NSNumber).doubleValue }

    @Test("means, totals and domain estimates with replicate SEs and degf agree with R's svrepdesign", arguments: cases)
    func agreesWithR(name: String) throws {
        let reference = Self.expected[name] as! [String: Any]
        let specification = try DesignSpecification.load(path: Self.folder + "/" + (reference["file"] as! String))
        let table = try CSVReader.read(path: Self.folder + "/\(reference["data"] as! String).csv", instrument: .none)
        let design = try specification.build(table: table, rows: Array(0..<table.rowCount))
        let replicates = try #require(design.replicates)
        #expect(replicates.count == Int(number(reference["replicates"])))
        #expect(close(replicates.scale, number(reference["scale"]), relative: 1e-12), "\(name) scale")
        #expect(design.degreesOfFreedom == Int(number(reference["df"])), "\(name) df \(design.degreesOfFreedom)")
        for (key, statistic) in [("mean_api00", SurveyStatistic.mean("api00")), ("mean_enroll", .mean("enroll")),
                                 ("total_api00", .total("api00")), ("total_enroll", .total("enroll"))] {
            let run = try SurveyEstimation.run(table: table, statistics: [statistic], design: specification)
            let expected = reference[key] as! [String: Any]
            let estimate = run.estimates[0]
            #expect(close(estimate.estimate, number(expected["estimate"]), relative: 1e-8), "\(name) \(key) estimate")
            #expect(close(estimate.standardError, number(expected["se"]), relative: 1e-8),
                    "\(name) \(key) se \(estimate.standardError ?? .nan) vs \(number(expected["se"]))")
            #expect(run.degreesOfFreedom == Int(number(reference["df"])))
            #expect(estimate.degreesOfFreedom == Int(number(reference["df"])))
        }
        for (key, statistic) in [("by_stype_mean_api00", SurveyStatistic.mean("api00")), ("by_stype_total_enroll", .total("enroll"))] {
            let run = try SurveyEstimation.run(table: table, statistics: [statistic], by: ["stype"], design: specification)
            let rows = reference[key] as! [[String: Any]]
            #expect(run.estimates.map { $0.group[0].value } == rows.map { $0["group"] as! String })
            for (estimate, row) in zip(run.estimates, rows) {
                #expect(close(estimate.estimate, number(row["estimate"]), relative: 1e-8), "\(name) \(key) \(row["group"]!) estimate")
                #expect(close(estimate.standardError, number(row["se"]), relative: 1e-8),
                        "\(name) \(key) \(row["group"]!) se \(estimate.standardError ?? .nan) vs \(number(row["se"]))")
            }
        }
    }

    @Test("sipas regress --se design on a replicate design refits per replicate as R's svyglm on svrepdesign", arguments: cases)
    func regressionAgreesWithR(name: String) throws {
        let reference = Self.expected[name] as! [String: Any]
        let expected = reference["svyglm"] as! [String: Any]
        let command = try RegressCommand.parse([Self.folder + "/\(reference["data"] as! String).csv", "--y", "api00", "--x", "enroll,api99",
                                                "--se", "design", "--design", Self.folder + "/" + (reference["file"] as! String)])
        let result = try command.analyze()
        #expect(result.inferenceDegreesOfFreedom == Int(number(expected["df_residual"])))
        let estimates = expected["estimate"] as! [NSNumber], errors = expected["se"] as! [NSNumber]
        for j in result.coefficients.indices {
            #expect(close(result.coefficients[j].estimate, estimates[j].doubleValue, relative: 1e-8), "\(name) coefficient \(j)")
            #expect(close(result.coefficients[j].standardError, errors[j].doubleValue, relative: 1e-8),
                    "\(name) se \(j): \(result.coefficients[j].standardError) vs \(errors[j])")
        }
    }

    @Test("the SIPAS index on a bootstrap-replicate design is 20 × R's svymean, overall and by domain, with the replicates' df")
    func sipasIndex() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/sipas-expected.json"))
        let reference = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: Self.folder + "/sipas-replicates.csv", instrument: instrument)
        let design = try DesignSpecification.load(path: Self.folder + "/sipas-bootstrap.yaml")
        for by in [[], ["unit_level"]] {
            for method in [IntervalMethod.t, .beta] {
                let result = try IndexAnalysis.run(table: table, by: by, options: IndexOptions(intervalMethod: method, design: design))
                #expect(result.design?.degreesOfFreedom == Int(number(reference["df"])))
                for item in ["q01", "q14"] {
                    let rows: [[String: Any]] = by.isEmpty ? [reference[item] as! [String: Any]]
                        : reference["\(item)_by_unit_level"] as! [[String: Any]]
                    for row in rows {
                        let group = by.isEmpty ? [] : [GroupValue(column: "unit_level", value: row["group"] as! String)]
                        let estimate = try #require(result.estimates.first { $0.kind == .criterion && $0.id == item && $0.group == group })
                        #expect(close(estimate.index.estimate, 20 * number(row["estimate"]), relative: 1e-8), "\(item) \(group) estimate")
                        #expect(close(estimate.index.standardError, 20 * number(row["se"]), relative: 1e-8),
                                "\(item) \(group) se \(estimate.index.standardError ?? .nan) vs \(20 * number(row["se"]))")
                        #expect(estimate.index.degreesOfFreedom == Int(number(reference["df"])))
                        if method == .t {
                            // A t interval with the replicates' df: estimate ± t(19) SE.
                            let t = Distribution.studentTQuantile(0.975, degreesOfFreedom: number(reference["df"]))
                            #expect(close(estimate.index.lower, estimate.index.estimate! - t * estimate.index.standardError!, relative: 1e-12))
                        }
                    }
                }
            }
        }
    }

    @Test("a replicate variance by hand: JK1 on four rows, a replicate without weight in a domain is left out as R does")
    func handCalculation() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let data = try folder.file("data.csv", "g,y,w,r1,r2,r3\na,1,1,0,1.5,1.5\na,3,1,1.5,0,1.5\nb,5,2,3,3,0\nb,7,2,3,3,0\n")
        let file = try folder.file("design.yaml", "weight: w\nreplicates:\n  columns: [r1, r2, r3]\n  type: JK1\n")
        let specification = try DesignSpecification.load(path: file)
        let table = try CSVReader.read(path: data, instrument: .none)
        let run = try SurveyEstimation.run(table: table, statistics: [.mean("y")], design: specification)
        // θ̂ = (1 + 3 + 10 + 14)/6; θ_1 = (4.5 + 15 + 21)/7.5, θ_2 = (1.5 + 15 + 21)/7.5, θ_3 = (1.5 + 4.5)/3.
        let thetas = [40.5 / 7.5, 37.5 / 7.5, 2.0], mean = thetas.reduce(0, +) / 3
        let variance = 2.0 / 3 * thetas.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        #expect(close(run.estimates[0].estimate, 28.0 / 6, relative: 1e-14))
        #expect(close(run.estimates[0].standardError, variance.squareRoot(), relative: 1e-12))
        // Domain b has no weight in replicate 3: R's svrVar drops it (scale unchanged).
        let byGroup = try SurveyEstimation.run(table: table, statistics: [.mean("y")], by: ["g"], design: specification)
        let b = try #require(byGroup.estimates.first { $0.group.first?.value == "b" })
        #expect(close(b.standardError, 0, absolute: 1e-12))
        #expect(b.notes.contains { $0.kind == .replicatesDropped })
        // The rank of three JK1 columns over two PSUs' pattern: r1, r2, r3 are independent → df 2.
        #expect(byGroup.degreesOfFreedom == 2)
    }

    @Test("bad replicate blocks and columns are errors naming the file, field, row and column", arguments: [
        ("replicates:\n  type: JK1\n", "columns: missing"),
        ("replicates:\n  columns: \"r*\"\n  type: JKX\n", "'JKX' is not a replicate type"),
        ("replicates:\n  columns: \"r*\"\n  type: Fay\n", "type Fay needs rho"),
        ("replicates:\n  columns: \"r*\"\n  type: BRR\n  scale: 2\n", "fixes the variance multiplier"),
        ("replicates:\n  columns: \"r*\"\n  type: JK1\n  rho: 1.5\n", "rho must be at least 0 and below 1"),
        ("replicates:\n  columns: \"r*\"\n  type: JK1\n  mse: maybe\n", "expected true or false"),
        ("replicates:\n  columns: \"r*\"\n  type: JK1\n  scale: -1\n", "positive number"),
        ("replicates:\n  columns: \"*\"\n  type: JK1\n", "give a prefix"),
        ("replicates:\n  columns: [r1, r1]\n  type: JK1\n", "listed twice"),
        ("replicates:\n  columns: \"r*\"\n  type: JK1\n  colour: red\n", "unknown key"),
    ])
    func fileErrors(block: String, message: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.file("design.yaml", "weight: w\n" + block)
        let error = #expect(throws: DesignFileError.self) { try DesignSpecification.load(path: file) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
        #expect(error?.field.hasPrefix("replicates") == true)
    }

    @Test("replicate columns that are missing, blank, not numbers or negative are located errors in both languages", arguments: [
        ("w,r1,r2\n1,1,1\n1,1,1\n", "columns: \"q*\"\n  type: JK1", nil as Int?, "no column matches the replicate weights 'q*'", "không có cột nào khớp"),
        ("w,r1,r2\n1,1,1\n1,1,1\n", "columns: [r1, r3]\n  type: JK1", nil, "the replicate weight column is missing", "thiếu cột trọng số lặp"),
        ("w,r1,r2\n1,1,1\n1,,1\n", "columns: \"r*\"\n  type: JK1", 2, "blank replicate weight", "trọng số lặp để trống"),
        ("w,r1,r2\n1,1,x\n1,1,1\n", "columns: \"r*\"\n  type: JK1", 1, "not a number", "không phải là số"),
        ("w,r1,r2\n1,1,1\n1,-0.5,1\n", "columns: \"r*\"\n  type: JK1", 2, "replicate weight -0.5 is not a non-negative number", "trọng số lặp -0,5 không phải là số không âm"),
        ("w,r1,r2\n1,0,1\n1,0,1\n", "columns: \"r*\"\n  type: JK1", nil, "every replicate weight in this column is 0", "đều bằng 0"),
        ("w,r1,x\n1,1,1\n1,1,1\n", "columns: \"r*\"\n  type: JK1", nil, "at least two replicate weight columns", "ít nhất hai cột"),
    ])
    func columnErrors(csv: String, block: String, row: Int?, english: String, vietnamese: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let data = try folder.file("data.csv", csv)
        let file = try folder.file("design.yaml", "weight: w\nreplicates:\n  " + block + "\n")
        let specification = try DesignSpecification.load(path: file)
        let table = try CSVReader.read(path: data, instrument: .none)
        let error = #expect(throws: DataError.self) { try specification.build(table: table, rows: Array(0..<table.rowCount)) }
        #expect(error?.row == row)
        #expect(error?.text(.en).contains(english) == true, "\(error?.text(.en) ?? "")")
        #expect(error?.text(.vi).contains(vietnamese) == true, "\(error?.text(.vi) ?? "")")
    }

    @Test("JKn without rscales, rscales of the wrong length, and strata beside replicates are refused")
    func designErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let data = try folder.file("data.csv", "s,w,r1,r2\na,1,1,2\nb,1,2,1\n")
        let table = try CSVReader.read(path: data, instrument: .none)
        for (block, message) in [("replicates:\n  columns: \"r*\"\n  type: JKn\n", "JKn replicate weights need rscales"),
                                 ("replicates:\n  columns: \"r*\"\n  type: JK1\n  rscales: [1, 1, 1]\n", "3 rscales for 2 replicate columns"),
                                 ("strata: s\nreplicates:\n  columns: \"r*\"\n  type: JK1\n", "remove strata")] {
            let file = try folder.file("design.yaml", "weight: w\n" + block)
            let specification = try DesignSpecification.load(path: file)
            let error = #expect(throws: DesignError.self) { try specification.build(table: table, rows: [0, 1]) }
            #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
        }
    }

    @Test("compare on a replicate design: each unit − province difference recomputed per replicate, as R (× 20 for the index)")
    func compareAgreesWithR() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/sipas-expected.json"))
        let reference = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: Self.folder + "/sipas-replicates.csv", instrument: instrument)
        let design = try DesignSpecification.load(path: Self.folder + "/sipas-bootstrap.yaml")
        let result = try IndexComparison.run(current: table, previous: nil, by: "unit_level", indexID: "q01",
                                             options: IndexOptions(design: design))
        for row in reference["q01_unit_minus_province"] as! [[String: Any]] {
            let difference = try #require(result.unitsVersusProvince.first { $0.first == row["group"] as! String })
            #expect(close(difference.estimate, 20 * number(row["estimate"]), relative: 1e-8))
            #expect(close(difference.standardError, 20 * number(row["se"]), relative: 1e-8),
                    "\(row["group"]!): \(difference.standardError) vs \(20 * number(row["se"]))")
            #expect(difference.degreesOfFreedom == number(reference["df"]))
        }
    }

    @Test("commands: estimate and index read the replicate columns by prefix; bootstrap intervals, regress --se hc3 and importance are refused by name; drivers uses the replicates")
    func commands() throws {
        let reference = Self.expected["jk1"] as! [String: Any]
        let data = Self.folder + "/apiclus1-replicates.csv", design = Self.folder + "/jk1.yaml"
        let estimate = try EstimateCommand.parse([data, "--mean", "api00", "--design", design, "--format", "json"])
        let text = try estimate.document().rendered(as: .json)
        #expect(text.contains("JK1 replicate weights (jk*)"), "\(text)")
        #expect(text.contains(String(String(number((reference["mean_api00"] as! [String: Any])["se"])).prefix(8))), "\(text)")
        let sipas = Self.folder + "/sipas-replicates.csv", sipasDesign = Self.folder + "/sipas-bootstrap.yaml"
        let index = try IndexCommand.parse([sipas, "-i", "khanhhoa-admin", "--design", sipasDesign, "--format", "json"])
        let indexJSON = try index.document().rendered(as: .json)
        #expect(indexJSON.contains("\"type\": \"bootstrap\"") && indexJSON.contains("\"count\": 20"), "\(indexJSON.prefix(600))")
        let indexText = try IndexCommand.parse([sipas, "-i", "khanhhoa-admin", "--design", sipasDesign, "--lang", "en"]).document()
            .rendered(as: .table)
        #expect(indexText.contains("20 replicates, df = 19"), "\(indexText.prefix(600))")
        let bootstrap = try IndexCommand.parse([sipas, "-i", "khanhhoa-admin", "--design", sipasDesign, "--ci", "percentile"])
        #expect(throws: DesignError.self) { try bootstrap.document() }
        #expect(throws: (any Error).self) { try RegressCommand.parse([data, "--y", "api00", "--x", "enroll", "--se", "hc3", "--design", design]) }
        // drivers: design SEs from the replicates (df = rank − 1 + 1 − 6 coefficients), no LMG bootstrap on top.
        let drivers = try DriversCommand.parse([sipas, "-i", "khanhhoa-admin", "--design", sipasDesign])
        let pooled = try #require(try drivers.analyze().models.first)
        #expect(pooled.regression.inferenceDegreesOfFreedom == 19 + 1 - 6)
        #expect(pooled.bootstrap == nil)
        #expect(pooled.notes.contains { $0.en.contains("replicate-weight design (replicates block) is not bootstrapped again") })
        let importance = try ImportanceCommand.parse([data, "--y", "api00", "--x", "enroll,api99", "--design", design])
        let refused = #expect(throws: ReplicatesUnsupported.self) { try importance.analyze() }
        #expect(refused?.text(.en).contains("sipas importance does not use replicate weights") == true)
        #expect(refused?.text(.vi).contains("sipas importance chưa dùng được trọng số lặp") == true)
        // A store keeps strata, clusters, weight and FPC: it refuses replicates rather than drop them.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try StoreImportCommand.parse([folder.path("survey.db"), sipas, "--wave", "2024", "-i", "khanhhoa-admin",
                                                  "--design", sipasDesign])
        #expect(throws: ReplicatesUnsupported.self) { try store.summary() }
        // Linearization formulas refuse a replicate design rather than ignore its replicates.
        let table = try CSVReader.read(path: data, instrument: .none)
        let built = try DesignSpecification.load(path: design).build(table: table, rows: Array(0..<table.rowCount))
        #expect(throws: DesignError.replicatesUnsupported) { try built.variance([Double](repeating: 1, count: built.rowCount)) }
    }

    // MARK: - Building replicate weights from a linearization design

    /// Runs `sipas weights --replicates …` into `folder` and reads the written data and design file back.
    func build(_ arguments: [String], folder: TemporaryFolder) throws -> (table: ResponseTable, specification: DesignSpecification, text: String) {
        let output = folder.path("built.csv")
        let command = try WeightsCommand.parse(arguments + ["--output", output, "--lang", "en"])
        let text = try command.render()
        let specification = try DesignSpecification.load(path: folder.path("built-design.yaml"))
        return (try CSVReader.read(path: output, instrument: .none), specification, text)
    }

    @Test("JK1 and JKn replicates built from apiclus1 and apistrat are R's as.svrepdesign weights, SEs and df", arguments: [
        ("jk1", "apiclus1", ["--cluster", "dnum", "--weight", "pw", "--fpc", "fpc"], "jk", "apiclus1-replicates"),
        ("jkn", "apistrat", ["--strata", "stype", "--weight", "pw", "--fpc", "fpc"], "jkn", "apistrat-jkn"),
    ])
    func builtJackknifeAgreesWithR(method: String, data: String, design: [String], prefix: String, rFile: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let built = try build([TestPaths.fixture("calibration/\(data).csv"), "--replicates", method] + design, folder: folder)
        let reference = Self.expected[method] as! [String: Any]
        let replicates = try #require(built.specification.replicates)
        #expect(replicates.type == (method == "jk1" ? .jk1 : .jkn))
        // The columns equal R's (written there to 8 significant digits).
        let r = try CSVReader.read(path: Self.folder + "/\(rFile).csv", instrument: .none)
        let count = Int(number(reference["replicates"]))
        #expect(built.table.columnNames.filter { $0.hasPrefix("rw") }.count == count)
        var worst = 0.0
        for k in 1...count {
            let ours = try built.table.numbers(named: "rw\(k)"), theirs = try r.numbers(named: "\(prefix)\(k)")
            for (a, b) in zip(ours, theirs) { worst = max(worst, abs(a - b) / max(abs(b), 1e-300)) }
        }
        #expect(worst < 1e-7, "largest relative difference from R's replicate weights: \(worst)")
        let run = try SurveyEstimation.run(table: built.table, statistics: [.mean("api00")], design: built.specification)
        #expect(close(run.estimates[0].standardError, number(reference["unrounded_se_mean_api00"]), relative: 1e-8),
                "\(method) se \(run.estimates[0].standardError ?? .nan) vs \(number(reference["unrounded_se_mean_api00"]))")
        #expect(run.degreesOfFreedom == Int(number(reference["df"])))
        #expect(built.text.contains("df \(Int(number(reference["df"])))"))
    }

    @Test("bootstrap replicates: the seed reproduces them, R's scale n̄/((n̄ − 1)(R − 1)), an SE near the jackknife's")
    func builtBootstrap() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let data = TestPaths.fixture("calibration/apiclus1.csv")
        let design = ["--cluster", "dnum", "--weight", "pw", "--fpc", "fpc"]
        let first = try build([data, "--replicates", "bootstrap", "--count", "400", "--seed", "11"] + design, folder: folder)
        let again = try build([data, "--replicates", "bootstrap", "--count", "400", "--seed", "11"] + design, folder: folder)
        let other = try build([data, "--replicates", "bootstrap", "--count", "400", "--seed", "12"] + design, folder: folder)
        #expect(first.text.contains("seed 11"))
        #expect(try first.table.numbers(named: "rw17") == again.table.numbers(named: "rw17"))
        #expect(try first.table.numbers(named: "rw17") != other.table.numbers(named: "rw17"))
        let replicates = try #require(first.specification.replicates)
        #expect(close(replicates.scale, 15.0 / (14 * 399), relative: 1e-12))
        // Each PSU's weight is pw × the times drawn, which sum to the 15 PSUs within the stratum.
        let table = first.table
        let pw = try table.numbers(named: "pw"), dnum = try table.requireMetadata("dnum")
        var times: [String: Double] = [:]
        let rw = try table.numbers(named: "rw3")
        for row in 0..<table.rowCount { times[dnum[row]] = rw[row] / pw[row] }
        #expect(times.values.allSatisfy { abs($0 - $0.rounded()) < 1e-9 })
        #expect(abs(times.values.reduce(0, +) - 15) < 1e-9)
        let boot = try SurveyEstimation.run(table: table, statistics: [.mean("api00")], design: first.specification)
        let jackknife = number(((Self.expected["jk1"] as! [String: Any])["mean_api00"] as! [String: Any])["se"])
        let se = try #require(boot.estimates[0].standardError)
        #expect(se > 0.7 * jackknife && se < 1.3 * jackknife, "bootstrap SE \(se) vs jackknife \(jackknife)")
    }

    @Test("replicates of a raked design are raked again: every replicate meets the margins")
    func builtFromCalibratedDesign() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let built = try build([TestPaths.fixture("calibration/apiclus1.csv"), "--replicates", "jk1", "--design",
                               TestPaths.fixture("calibration/rake.yaml")], folder: folder)
        let population = (CalibrationTests.expected["population"] as! [String: Any])["stype"] as! [String: Any]
        let stype = try built.table.requireMetadata("stype")
        for k in [1, 8, 15] {
            let weights = try built.table.numbers(named: "rw\(k)")
            for (category, count) in population {
                let total = (0..<built.table.rowCount).filter { stype[$0] == category }.reduce(0) { $0 + weights[$1] }
                #expect(close(total, number(count), relative: 1e-8), "replicate \(k) stype \(category): \(total)")
            }
        }
    }

    @Test("sipas weights --replicates refuses what it cannot build, by option", arguments: [
        (["--replicates", "jk1", "--strata", "stype", "--weight", "pw"], "jkn"),
        (["--replicates", "jkn", "--weight", "pw", "--count", "10"], "--count and --seed are for --replicates bootstrap"),
        (["--replicates", "bootstrap", "--weight", "pw", "--count", "1"], "--count must be a whole number from 2"),
        (["--replicates", "bootstrap", "--weight", "pw", "--prefix", "a b"], "--prefix must be"),
        (["--replicates", "bootstrap", "--weight", "pw", "--count", "99", "--prefix", "api9"], "already has a column 'api99'"),
        (["--replicates", "bootstrap", "--strata", "cds", "--weight", "pw", "--lonely-psu", "remove"], "every stratum has a single PSU"),
        (["--replicates", "jkn", "--strata", "cds", "--weight", "pw"], "has only one sampled PSU"),
        (["--weight", "pw", "--seed", "3"], "are for --replicates"),
    ])
    func buildErrors(arguments: [String], message: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let base = [TestPaths.fixture("calibration/apiclus1.csv"), "--output", folder.path("out.csv")]
        // The refusals in English, as a command line given --lang en writes them.
        CommandLanguage.$current.withValue(.en) {
            do {
                let command = try WeightsCommand.parse(base + arguments)
                _ = try command.render()
                Issue.record("no error for \(arguments)")
            } catch {
                let text = (error as? LocalizedFailure)?.text(.en) ?? WeightsCommand.message(for: error)
                #expect(text.contains(message), "\(text)")
            }
        }
    }
}
