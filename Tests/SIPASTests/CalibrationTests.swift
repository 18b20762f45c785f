import Foundation
import SIPASSupport
import Testing
@testable import SIPASCommandLine
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
@testable import SIPASInstrument
@testable import SIPASModels
@testable import SIPASReport

/// Calibrated designs against R survey 4.1-1 (Fixtures/calibration/make_fixtures.R, run once; see the fixtures
/// README): the calibrated weights, svymean/svytotal and svyby domain estimates with their standard errors, on
/// R's api data, and the SIPAS index on the bundled survey raked to gender and age group.
/// Tolerance: 1e-8 relative on weights, estimates and SEs.
@Suite("Calibration: weights from the population")
struct CalibrationTests {
    static let folder = TestPaths.fixture("calibration")
    /// R's figures (a dictionary is not Sendable, so it is read again where used: a few kilobytes).
    static var expected: [String: Any] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static let cases: [(name: String, file: String)] = [
        ("poststratify", "poststratify.yaml"), ("cells", "cells.yaml"), ("rake", "rake.yaml"), ("linear", "linear.yaml"),
        ("linear_bounded", "linear-bounded.yaml"), ("raking_bounded", "raking-bounded.yaml"), ("logit", "logit.json"),
    ]

    func number(_ value: Any?) -> Double { (value as! NSNumber).doubleValue }

    @Test("calibrated weights, means, totals and domains agree with R survey", arguments: cases)
    func agreesWithR(name: String, file: String) throws {
        let reference = Self.expected[name] as! [String: Any]
        let data = Self.folder + "/\(reference["data"] as! String).csv"
        let specification = try DesignSpecification.load(path: Self.folder + "/" + file)
        let table = try CSVReader.read(path: data, instrument: .none)
        let design = try specification.build(table: table, rows: Array(0..<table.rowCount))
        #expect(design.isCalibrated)
        let weights = reference["weights"] as! [NSNumber]
        #expect(weights.count == design.rowCount)
        for (ours, theirs) in zip(design.weights, weights) {
            #expect(close(ours, theirs.doubleValue, relative: 1e-8), "\(name): weight \(ours) vs \(theirs)")
        }
        let result = try #require(design.calibration)
        #expect(result.maxRelativeError < 1e-9, "\(name): targets met")
        for (key, statistic) in [("mean_api00", SurveyStatistic.mean("api00")), ("mean_enroll", .mean("enroll")),
                                 ("total_api00", .total("api00")), ("total_enroll", .total("enroll"))] {
            let run = try SurveyEstimation.run(table: table, statistics: [statistic], design: specification)
            let expected = reference[key] as! [String: Any]
            let estimate = run.estimates[0]
            #expect(close(estimate.estimate, number(expected["estimate"]), relative: 1e-8), "\(name) \(key) estimate")
            #expect(close(estimate.standardError, number(expected["se"]), relative: 1e-8),
                    "\(name) \(key) se \(estimate.standardError ?? .nan) vs \(number(expected["se"]))")
            #expect(run.degreesOfFreedom == Int(number(reference["df"])))
        }
        for (key, statistic, by) in [("by_stype_mean_api00", SurveyStatistic.mean("api00"), "stype"),
                                     ("by_schwide_mean_enroll", .mean("enroll"), "sch.wide"),
                                     ("by_schwide_total_enroll", .total("enroll"), "sch.wide")] {
            let run = try SurveyEstimation.run(table: table, statistics: [statistic], by: [by], design: specification)
            let rows = reference[key] as! [[String: Any]]
            #expect(run.estimates.map { $0.group[0].value } == rows.map { $0["group"] as! String })
            for (estimate, row) in zip(run.estimates, rows) {
                #expect(close(estimate.estimate, number(row["estimate"]), relative: 1e-8), "\(name) \(key) \(row["group"]!) estimate")
                #expect(close(estimate.standardError, number(row["se"]), relative: 1e-8),
                        "\(name) \(key) \(row["group"]!) se \(estimate.standardError ?? .nan) vs \(number(row["se"]))")
            }
        }
    }

    @Test("sipas regress --se design on a calibrated design matches svyglm", arguments: cases)
    func regressionAgreesWithR(name: String, file: String) throws {
        let reference = Self.expected[name] as! [String: Any]
        let expected = reference["svyglm"] as! [String: Any]
        let command = try RegressCommand.parse([Self.folder + "/\(reference["data"] as! String).csv", "--y", "api00", "--x", "enroll,api99",
                                                "--se", "design", "--design", Self.folder + "/" + file])
        let result = try command.analyze()
        #expect(result.inferenceDegreesOfFreedom == Int(number(expected["df_residual"])))
        let estimates = expected["estimate"] as! [NSNumber], errors = expected["se"] as! [NSNumber]
        for j in result.coefficients.indices {
            #expect(close(result.coefficients[j].estimate, estimates[j].doubleValue, relative: 1e-8), "\(name) coefficient \(j)")
            #expect(close(result.coefficients[j].standardError, errors[j].doubleValue, relative: 1e-8),
                    "\(name) se \(j): \(result.coefficients[j].standardError) vs \(errors[j])")
        }
    }

    @Test("the index of a raked SIPAS survey is 20 × R's svymean of the item on the raked design, overall and by domain")
    func sipasIndexOnRakedDesign() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/sipas-expected.json"))
        let reference = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path,
                                       instrument: instrument)
        let design = try DesignSpecification.load(path: Self.folder + "/sipas-rake.yaml")
        for by in [[], ["unit_level"]] {
            let result = try IndexAnalysis.run(table: table, by: by, options: IndexOptions(intervalMethod: .t, design: design))
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
                }
            }
        }
        // The calibrated weights themselves.
        let built = try design.build(table: table, rows: Array(0..<table.rowCount))
        for (ours, theirs) in zip(built.weights.prefix(10), reference["weights_first10"] as! [NSNumber]) {
            #expect(close(ours, theirs.doubleValue, relative: 1e-8))
        }
    }

    // MARK: - Errors name the variable, category and what was expected

    func calibrate(_ csv: String, _ calibration: String, extra: String = "") throws -> SurveyDesign {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let data = try folder.file("data.csv", csv)
        let designFile = try folder.file("design.yaml", extra + "calibration:\n" + calibration)
        let specification = try DesignSpecification.load(path: designFile)
        let table = try CSVReader.read(path: data, instrument: .none)
        return try specification.build(table: table, rows: Array(0..<table.rowCount))
    }

    static let small = "g,a,x\nnam,1,3\nnu,1,4\nnam,2,5\nnu,2,6\nnam,1,7\n"

    @Test("post-stratification of a tiny sample by hand; codes match as text or as numbers")
    func handCalculation() throws {
        // Cells: nam (3 rows, weight 1 each) → 60 / 3 = 20; nu (2 rows) → 40 / 2 = 20.
        let design = try calibrate(Self.small, "  method: post-stratify\n  margins:\n    g: {nam: 60, nu: 40}\n")
        #expect(design.weights == [20, 20, 20, 20, 20])
        // a is written 1/2 in the data and 1.0/2.0 in the margins: matched as numbers.
        let byCode = try calibrate(Self.small, "  method: post-stratify\n  margins:\n    a: {1.0: 30, 2.0: 20}\n")
        #expect(byCode.weights == [10, 10, 10, 10, 10])
        // Two rows, two cells: each row carries its cell's count.
        let two = try calibrate("g\nnam\nnu\n", "  method: rake\n  margins:\n    g: {nam: 7, nu: 3}\n")
        #expect(two.weights == [7, 3])
        // A total with a population: linear calibration of 5 rows to N = 10 and Σx = 60 by hand:
        // g = 1 + λ₀ + λ₁x solves Σ(1 + λ₀ + λ₁x)(1, x) = (10, 60).
        let linear = try calibrate(Self.small, "  method: linear\n  population: 10\n  totals: {x: 60}\n")
        #expect(close(linear.weights.reduce(0, +), 10, relative: 1e-12))
        #expect(close(zip(linear.weights, [3.0, 4, 5, 6, 7]).reduce(0) { $0 + $1.0 * $1.1 }, 60, relative: 1e-12))
    }

    @Test("bad margins and data give errors naming the variable and category", arguments: [
        ("  method: rake\n  margins:\n    g: {nam: 60}\n", "calibration variable g has the value 'nu' (2 respondents) that the margins do not list"),
        ("  method: rake\n  margins:\n    g: {nam: 60, nu: 40, khac: 5}\n", "calibration margin g: category 'khac' (population 5): no respondent has this value"),
        ("  method: post-stratify\n  cells:\n    - {g: nam, a: 1, count: 10}\n    - {g: nam, a: 2, count: 10}\n    - {g: nu, a: 1, count: 10}\n"
            + "    - {g: nu, a: 2, count: 10}\n    - {g: nu, a: 3, count: 10}\n",
         "category 'nu × 3' (population 10): no respondent has this value"),
        ("  method: rake\n  margins:\n    g: {nam: 60, nu: 40}\n    a: {1: 50, 2: 60}\n", "a sums to 110 but g (100): every margin must count the same population"),
        ("  method: rake\n  margins:\n    g: {nam: 60, nu: 40}\n  bounds: [0.99, 1.01]\n", "is outside the bounds [0.99, 1.01]"),
        ("  method: logit\n  margins:\n    g: {nam: 60, nu: 40}\n", "logit calibration needs finite bounds"),
        ("  method: magic\n  margins:\n    g: {nam: 60, nu: 40}\n", "'magic' is not a method"),
        ("  method: rake\n  totals: {x: 5}\n", "rake adjusts to category counts only"),
        ("  method: rake\n  margins:\n    g: {nam: -1, nu: 40}\n", "g = nam: count -1.0 is not a positive number"),
        ("  method: rake\n  margins:\n    g: {nam: 60, nu: 40}\n  trim: {upper: 0.5}\n", "must be a number above 1"),
    ])
    func errors(calibration: String, message: String) throws {
        #expect {
            _ = try calibrate(Self.small, calibration)
        } throws: { error in
            let text = String(describing: error)
            if !text.contains(message) { Issue.record("\(text)\n does not contain \(message)") }
            return text.contains(message)
        }
    }

    @Test("an empty cell of crossed categories whose values occur elsewhere is named as such")
    func emptyCell() throws {
        let csv = "g,a\nnam,1\nnam,2\nnu,1\n"
        #expect {
            _ = try calibrate(csv, "  method: post-stratify\n  cells:\n    - {g: nam, a: 1, count: 10}\n    - {g: nam, a: 2, count: 10}\n"
                + "    - {g: nu, a: 1, count: 10}\n    - {g: nu, a: 2, count: 10}\n")
        } throws: { error in
            String(describing: error).contains("category 'nu × 2' (population 10): no respondent falls in this cell")
        }
    }

    @Test("blank calibration values and unreachable bounded targets are errors")
    func blankAndNonConvergence() throws {
        #expect {
            _ = try calibrate("g,x\nnam,1\n,2\n", "  method: rake\n  margins:\n    g: {nam: 6, nu: 4}\n")
        } throws: { error in
            String(describing: error).hasSuffix("row 2: blank calibration variable g (every respondent needs one to be weighted to the population)")
        }
        // R: calibrate(clus1, ~stype + sch.wide, calfun = "raking", bounds = c(0.9, 1.6)) fails to converge too.
        let table = try CSVReader.read(path: Self.folder + "/apiclus1.csv", instrument: .none)
        var specification = try DesignSpecification.load(path: Self.folder + "/raking-bounded.yaml")
        specification.calibration?.bounds = (0.9, 1.6)
        #expect {
            _ = try specification.build(table: table, rows: Array(0..<table.rowCount))
        } throws: { error in
            String(describing: error).contains("calibration (raking) did not converge in 100 iterations")
        }
    }

    @Test("trimming caps the weights at upper × median and re-calibrates so the margins still hold")
    func trimming() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path,
                                       instrument: instrument)
        var specification = try DesignSpecification.load(path: Self.folder + "/sipas-rake.yaml")
        specification.calibration?.trimUpper = 3
        let design = try specification.build(table: table, rows: Array(0..<table.rowCount))
        let result = try #require(design.calibration)
        let cap = try #require(result.trimCap)
        #expect(result.trimRounds > 0)
        #expect(design.weights.max()! <= cap * (1 + 1e-6))
        #expect(result.maxRelativeError < 1e-9)
        #expect(result.notes.isEmpty)
        // apiclus1 has equal weights within each stype × sch.wide cell: the margins need weights above 1.5 × the
        // median, so trimming stops and says so.
        let api = try CSVReader.read(path: Self.folder + "/apiclus1.csv", instrument: .none)
        var raked = try DesignSpecification.load(path: Self.folder + "/rake.yaml")
        raked.calibration?.trimUpper = 1.5
        let stopped = try #require(try raked.build(table: api, rows: Array(0..<api.rowCount)).calibration)
        #expect(stopped.trimRounds == 50)
        #expect(stopped.notes.first?.en.hasPrefix("trimming stopped after 50 rounds") == true && stopped.notes.first?.vi.hasPrefix("việc cắt trọng số dừng sau 50 vòng") == true)
        #expect(stopped.maxRelativeError < 1e-9)
    }

    @Test("bootstrap replicates of a calibrated design are calibrated again: their SE is close to the linearized one")
    func bootstrapRecalibrates() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path,
                                       instrument: instrument)
        let design = try DesignSpecification.load(path: Self.folder + "/sipas-rake.yaml")
        let linearized = try IndexAnalysis.run(table: table, options: IndexOptions(intervalMethod: .t, design: design))
        var options = IndexOptions(intervalMethod: .percentile, design: design)
        options.bootstrap.replicates = 200
        options.bootstrap.seed = 7
        let bootstrapped = try IndexAnalysis.run(table: table, options: options)
        for id in ["SIPAS", "q01"] {
            let a = try #require(linearized.estimates.first { $0.id == id }?.index.standardError)
            let b = try #require(bootstrapped.estimates.first { $0.id == id }?.index.standardError)
            // 200 Rao–Wu replicates: the SE itself is estimated to about ±10%.
            #expect(b / a > 0.75 && b / a < 1.33, "\(id): bootstrap SE \(b), linearized \(a)")
        }
        // Every replicate's weights meet the margins again.
        let built = try design.build(table: table, rows: Array(0..<table.rowCount))
        let multipliers = Bootstrap(design: built, method: .raoWu, replicates: 1, seed: 7).multipliers(0)
        let weights = try #require(built.calibration?.recalibrated(multipliers: multipliers))
        let gender = try table.requireMetadata("gender")
        let men = (0..<table.rowCount).filter { gender[$0] == "nam" }.reduce(0) { $0 + weights[$1] }
        #expect(close(men, 402310, relative: 1e-9))
    }

    @Test("sipas weights: the CSV reproduces the calibrated weights exactly; JSON diagnostics; a design without calibration is refused")
    func weightsCommand() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let data = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path
        let output = folder.path("weights.csv")
        let command = try WeightsCommand.parse([data, "--design", Self.folder + "/sipas-rake.yaml", "--id", "respondent_id",
                                                "--output", output, "--format", "json", "--largest", "3"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try command.render().utf8)) as? [String: Any])
        #expect(json["method"] as? String == "rake")
        #expect((json["targets"] as? [Any])?.count == 6)
        #expect((json["largest"] as? [Any])?.count == 3)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "row,respondent_id,design_weight,g,weight")
        #expect(lines.count == 2641)
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: data, instrument: instrument)
        let design = try DesignSpecification.load(path: Self.folder + "/sipas-rake.yaml").build(table: table, rows: Array(0..<table.rowCount))
        for (line, weight) in zip(lines.dropFirst(), design.weights) {
            #expect(Double(line.split(separator: ",").last!) == weight)
        }
        let text = try WeightsCommand.parse([data, "--design", Self.folder + "/sipas-rake.yaml", "--lang", "en"]).render()
        #expect(text.contains("Targets met") && text.contains("Kish deff") && text.contains("Largest calibrated weights"))
        // The default, Vietnamese: the same tables with Vietnamese headings and decimal commas, no English words.
        let vietnamese = try WeightsCommand.parse([data, "--design", Self.folder + "/sipas-rake.yaml", "--output", folder.path("w2.csv")]).render()
        #expect(vietnamese.contains("Các tổng mục tiêu") && vietnamese.contains("deff Kish") && vietnamese.contains("Các quyền số hiệu chỉnh lớn nhất"))
        #expect(vietnamese.contains("Đã ghi 2.640 quyền số hiệu chỉnh vào "))
        for english in ["Targets", "Weights", "Largest", "respondents", "design:", "Wrote", "before", "after", "strata"] {
            #expect(!vietnamese.contains(english), "\(english) in: \(vietnamese)")
        }
        let plain = try folder.file("plain.yaml", "strata: stratum\nweight: weight\n")
        #expect(throws: (any Error).self) { _ = try WeightsCommand.parse([data, "--design", plain]) }
        #expect(throws: (any Error).self) { _ = try WeightsCommand.parse([data, "--design", Self.folder + "/sipas-rake.yaml", "--trim", "1"]) }
    }

    @Test("Kish's design effect and effective n, and type-7 quantiles, by hand")
    func kish() {
        let summary = WeightDiagnostics.summary([1, 1, 2])
        // n Σw² / (Σw)² = 3 · 6 / 16; effective n = 16 / 6.
        #expect(close(summary.kishDesignEffect, 1.125, relative: 1e-15))
        #expect(close(summary.effectiveSampleSize, 16.0 / 6, relative: 1e-15))
        // R: quantile(c(1, 2, 4, 8), c(0, 0.25, 0.5, 0.9, 1)) = 1, 1.75, 3, 6.8, 8.
        let sorted: [Double] = [1, 2, 4, 8]
        #expect([0, 0.25, 0.5, 0.9, 1].map { OrderStatistics.quantile(sorted: sorted, $0) }.enumerated().allSatisfy { index, value in
            close(value, [1, 1.75, 3, 6.8, 8][index], relative: 1e-14)
        })
    }
    @Test("the residuals' unit totals formed from category sums equal the row-by-row residuals, for a domain", arguments: cases)
    func residualTotalsMatchRows(name: String, file: String) throws {
        let reference = Self.expected[name] as! [String: Any]
        let table = try CSVReader.read(path: Self.folder + "/\(reference["data"] as! String).csv", instrument: .none)
        let design = try DesignSpecification.load(path: Self.folder + "/" + file).build(table: table, rows: Array(0..<table.rowCount))
        let stype = try table.requireMetadata("stype")
        let api00 = try table.numbers(named: "api00")
        let rows = (0..<table.rowCount).filter { stype[$0] == "H" || $0 % 3 == 0 }
        let domain = design.domain(rows: rows)
        let values = rows.map { design.weights[$0] * (api00[$0] - 600) / 1000 }
        let (whole, dense) = design.residualised(domain, [values])
        let byRows = whole.stageTotals(dense[0])
        let (_, bySums) = design.varianceTotals(domain, [values])
        for stage in byRows.indices {
            let scale = byRows[stage].map(abs).max()!
            for (a, b) in zip(byRows[stage], bySums[stage]) { #expect(abs(a - b) <= 1e-11 * scale, "\(name) stage \(stage)") }
        }
    }
    @Test("linear calibration that needs negative weights says so on the result and in the design's description")
    func negativeWeights() throws {
        // g = 1 + a + b·x with Σg = 4 and Σg·x = 4.5 over x = 1…4: a = 2.75, b = −1.1, so g(4) = −0.65.
        let design = try calibrate("x\n1\n2\n3\n4\n", "  method: linear\n  population: 4\n  totals: {x: 4.5}\n")
        #expect(zip(design.weights, [2.65, 1.55, 0.45, -0.65]).allSatisfy { close($0, $1, relative: 1e-12) })
        #expect(design.calibration?.notes.first?.en.hasPrefix("1 calibrated weight is zero or negative") == true)
        #expect(design.summary.contains("— calibration: 1 calibrated weight is zero or negative"))
    }
}
