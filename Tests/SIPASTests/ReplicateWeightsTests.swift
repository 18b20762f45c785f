import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
@testable import SIPASInstrument

/// Replicate-weight designs against R survey 4.1-1 (Fixtures/replicates/make_replicate_fixtures.R, run once; see
/// the fixtures README): svymean/svytotal and svyby domain estimates with their standard errors and degf on R's
/// api data with JK1, JKn, BRR, Fay, bootstrap and successive-difference replicates made by as.svrepdesign, and
/// the SIPAS index of the bundled survey with bootstrap replicates. Tolerance: 1e-8 relative.
@Suite("Replicate-weight designs")
struct ReplicateWeightsTests {
    static let folder = TestPaths.fixture("replicates")
    static let expected: [String: Any] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()
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

    @Test("commands: estimate and index read the replicate columns by prefix; bootstrap intervals and comparisons are refused by name")
    func commands() throws {
        let reference = Self.expected["jk1"] as! [String: Any]
        let data = Self.folder + "/apiclus1-replicates.csv", design = Self.folder + "/jk1.yaml"
        let estimate = try EstimateCommand.parse([data, "--mean", "api00", "--design", design, "--format", "json"])
        let text = try estimate.document().rendered(as: .json)
        #expect(text.contains("JK1 replicate weights (jk*)"), "\(text)")
        #expect(text.contains(String(String(number((reference["mean_api00"] as! [String: Any])["se"])).prefix(8))), "\(text)")
        let sipas = Self.folder + "/sipas-replicates.csv", sipasDesign = Self.folder + "/sipas-bootstrap.yaml"
        let index = try IndexCommand.parse([sipas, "-i", "khanhhoa-admin", "--design", sipasDesign, "--format", "json"])
        _ = try index.document()
        let bootstrap = try IndexCommand.parse([sipas, "-i", "khanhhoa-admin", "--design", sipasDesign, "--ci", "percentile"])
        #expect(throws: DesignError.self) { try bootstrap.document() }
        let compare = try CompareCommand.parse([sipas, "-i", "khanhhoa-admin", "--design", sipasDesign, "--by", "unit_level"])
        let error = #expect(throws: (any Error).self) { try compare.document() }
        #expect("\(error!)".contains("replicates"), "\(error!)")
    }
}
