import Foundation
import Testing
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
@testable import SIPASInstrument

/// Design-based estimates against R survey 4.1-1 (Fixtures/design/make_fixtures.R, run once; see the
/// fixtures README). Tolerance: 1e-8 relative on estimates, SEs and interval ends unless stated.
@Suite("Survey designs and linearized variance")
struct DesignTests {
    static let folder = TestPaths.fixture("design")
    /// R's figures (a dictionary is not Sendable, so it is read again where used: a few kilobytes).
    static var expected: [String: Any] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func reference(_ path: String) -> [String: Double] {
        var node: Any = Self.expected
        for key in path.split(separator: ".") { node = (node as! [String: Any])[String(key)]! }
        return (node as! [String: Any]).compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    func run(_ file: String, _ statistic: SurveyStatistic, design: DesignSpecification, by: [String] = [],
             method: AnalyticIntervalMethod = .t) throws -> SurveyEstimationResult {
        let table = try CSVReader.read(path: Self.folder + "/" + file, instrument: .none)
        return try SurveyEstimation.run(table: table, statistics: [statistic], by: by, design: design, proportionMethod: method)
    }

    func expectMatch(_ estimate: SurveyEstimate, _ reference: [String: Double], tolerance: Double = 1e-8,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(close(estimate.estimate, reference["estimate"]!, relative: tolerance), "estimate", sourceLocation: sourceLocation)
        #expect(close(estimate.standardError, reference["se"]!, relative: tolerance), "se", sourceLocation: sourceLocation)
        #expect(close(estimate.lower, reference["ci_lower"]!, relative: tolerance), "ci_lower", sourceLocation: sourceLocation)
        #expect(close(estimate.upper, reference["ci_upper"]!, relative: tolerance), "ci_upper", sourceLocation: sourceLocation)
    }

    static let stratified = DesignSpecification(strata: "stype", weight: "pw", fpc: ["fpc"])
    static let cluster1 = DesignSpecification(clusters: ["dnum"], weight: "pw", fpc: ["fpc"])

    @Test("apistrat: stratified with FPC — mean, total, ratio, domains, deff, degrees of freedom")
    func apistrat() throws {
        let mean = try run("apistrat.csv", .mean("api00"), design: Self.stratified)
        #expect(mean.degreesOfFreedom == 197)
        expectMatch(mean.estimates[0], reference("apistrat.mean_api00_fpc"))
        #expect(close(mean.estimates[0].designEffect, reference("apistrat.mean_api00_fpc")["deff"]!, relative: 1e-8))
        expectMatch(try run("apistrat.csv", .mean("api00"), design: DesignSpecification(strata: "stype", weight: "pw")).estimates[0],
                    reference("apistrat.mean_api00_nofpc"))
        expectMatch(try run("apistrat.csv", .total("enroll"), design: Self.stratified).estimates[0],
                    reference("apistrat.total_enroll_fpc"))
        expectMatch(try run("apistrat.csv", .ratio("api00", "api99"), design: Self.stratified).estimates[0],
                    reference("apistrat.ratio_api00_api99"))
        let byType = try run("apistrat.csv", .mean("api00"), design: Self.stratified, by: ["stype"])
        let rows = (Self.expected["apistrat"] as! [String: Any])["by_stype_mean_api00"] as! [[String: Any]]
        #expect(byType.estimates.map { $0.group[0].value } == rows.map { $0["group"] as! String })
        for (estimate, row) in zip(byType.estimates, rows) {
            expectMatch(estimate, row.compactMapValues { ($0 as? NSNumber)?.doubleValue })
        }
    }

    @Test("proportions: svyciprop logit and beta (Korn–Graubard)")
    func proportions() throws {
        for (file, design, key) in [("apistrat.csv", Self.stratified, "apistrat"), ("apiclus1.csv", Self.cluster1, "apiclus1")] {
            let logit = try run(file, .proportion("sch.wide", level: "Yes"), design: design, method: .logit).estimates[0]
            // svyciprop's logit estimate comes from an iterated glm fit (agrees to ~1e-9), hence 1e-8.
            expectMatch(logit, reference("\(key).prop_schwide_logit"))
            #expect(logit.method == "logit")
            let beta = try run(file, .proportion("sch.wide", level: "Yes"), design: design, method: .beta).estimates[0]
            expectMatch(beta, reference("\(key).prop_schwide_beta"))
        }
    }

    @Test("apiclus1: one-stage cluster sample with and without FPC; domains")
    func apiclus1() throws {
        let mean = try run("apiclus1.csv", .mean("api00"), design: Self.cluster1)
        #expect(mean.degreesOfFreedom == 14)
        expectMatch(mean.estimates[0], reference("apiclus1.mean_api00_fpc"))
        expectMatch(try run("apiclus1.csv", .mean("api00"), design: DesignSpecification(clusters: ["dnum"], weight: "pw")).estimates[0],
                    reference("apiclus1.mean_api00_nofpc"))
        expectMatch(try run("apiclus1.csv", .total("enroll"), design: Self.cluster1).estimates[0],
                    reference("apiclus1.total_enroll_fpc"))
        let byType = try run("apiclus1.csv", .mean("api00"), design: Self.cluster1, by: ["stype"])
        let rows = (Self.expected["apiclus1"] as! [String: Any])["by_stype_mean_api00"] as! [[String: Any]]
        for (estimate, row) in zip(byType.estimates, rows) {
            expectMatch(estimate, row.compactMapValues { ($0 as? NSNumber)?.doubleValue })
        }
    }

    @Test("apiclus2: two-stage design with FPC at both stages (weights derived from the FPCs); blank values left out")
    func apiclus2() throws {
        let design = DesignSpecification(clusters: ["dnum", "snum"], fpc: ["fpc1", "fpc2"])
        let mean = try run("apiclus2.csv", .mean("api00"), design: design)
        #expect(mean.degreesOfFreedom == 39)
        expectMatch(mean.estimates[0], reference("apiclus2.mean_api00_fpc"))
        let total = try run("apiclus2.csv", .total("enroll"), design: design)
        expectMatch(total.estimates[0], reference("apiclus2.total_enroll_fpc"))
        #expect(total.missing.map(\.count) == [6])
    }

    @Test("lonely PSUs: fail names the stratum; adjust, average, remove and certainty match R")
    func lonelyPSU() throws {
        #expect {
            try self.run("lonely.csv", .mean("y"), design: DesignSpecification(strata: "stratum", clusters: ["psu"], weight: "weight"))
        } throws: { error in
            String(describing: error).contains("stratum C has only one sampled PSU")
        }
        let lonely = Self.expected["lonely"] as! [String: [String: Any]]
        for policy in [LonelyPSUPolicy.adjust, .average, .remove, .certainty] {
            let design = DesignSpecification(strata: "stratum", clusters: ["psu"], weight: "weight", lonelyPSU: policy)
            let estimate = try run("lonely.csv", .mean("y"), design: design).estimates[0]
            let se = ((lonely[policy.rawValue]!["se"] as! [[NSNumber]])[0][0]).doubleValue
            #expect(close(estimate.standardError, se, relative: 1e-10), "\(policy)")
        }
    }

    @Test("SIPAS composites: the linearized index equals R's delta method on survey totals (svycontrast)")
    func sipasComposite() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: Self.folder + "/sipas-subset.csv", instrument: instrument)
        let design = DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight")
        let result = try IndexAnalysis.run(table: table, by: ["unit_id"], options: IndexOptions(intervalMethod: .t, design: design))
        #expect(result.design?.degreesOfFreedom == 94)
        func row(_ kind: IndexKind, _ id: String, unit: String? = nil) throws -> IndexEstimate {
            try #require(result.estimates.first {
                $0.kind == kind && $0.id == id && $0.group == (unit.map { [GroupValue(column: "unit_id", value: $0)] } ?? [])
            })
        }
        for (key, estimate) in [("overall", try row(.overall, "SIPAS")), ("feedback", try row(.factor, "feedback")),
                                ("q14", try row(.criterion, "q14")), ("U05_overall", try row(.overall, "SIPAS", unit: "U05")),
                                ("U05_procedures", try row(.factor, "procedures", unit: "U05"))] {
            let reference = self.reference("sipas.\(key)")
            #expect(close(estimate.index.estimate, reference["estimate"]!, relative: 1e-10), "\(key) estimate")
            #expect(close(estimate.index.standardError, reference["se"]!, relative: 1e-8), "\(key) se")
            #expect(close(estimate.index.lower, reference["ci_lower"]!, relative: 1e-8), "\(key) lower")
            #expect(estimate.index.degreesOfFreedom == 94)
            #expect(estimate.index.designEffect != nil)
        }
    }

    @Test("design structure: strata, nested clusters, degrees of freedom, FPC as fractions, bad inputs")
    func structure() throws {
        // Clusters are nested in strata: label 1 in stratum A and in stratum B are two PSUs.
        let design = try SurveyDesign(rows: 6, strata: ["A", "A", "A", "B", "B", "B"], stages: [["1", "1", "2", "1", "2", "2"]],
                                      weights: nil, populationSizes: nil, lonelyPSU: .fail, summary: "")
        #expect(design.psuCount == 4 && design.strataCount == 2 && design.degreesOfFreedom == 2)
        // Hand calculation: z = (1, 2, 3, 4, 5, 6); PSU totals A: 3, 3 → 0; B: 4, 11 → 2·(3.5²)·2/1 = 49.
        #expect(close(try design.variance([1, 2, 3, 4, 5, 6]), 49, relative: 1e-14))
        // FPC as a sampling fraction 0.5 halves each stratum's term.
        let halved = try SurveyDesign(rows: 6, strata: ["A", "A", "A", "B", "B", "B"], stages: [["1", "1", "2", "1", "2", "2"]],
                                      weights: nil, populationSizes: [Array(repeating: 0.5, count: 6)], lonelyPSU: .fail, summary: "")
        #expect(close(try halved.variance([1, 2, 3, 4, 5, 6]), 24.5, relative: 1e-14))
        // A certainty stratum (population = sample) contributes nothing.
        let certain = try SurveyDesign(rows: 6, strata: ["A", "A", "A", "B", "B", "B"], stages: [["1", "1", "2", "1", "2", "2"]],
                                       weights: nil, populationSizes: [[2, 2, 2, 10, 10, 10]], lonelyPSU: .fail, summary: "")
        #expect(close(try certain.variance([1, 2, 3, 4, 5, 6]), 49 * 0.8, relative: 1e-14))
        #expect(throws: DesignError.badWeight(row: 2, value: 0)) {
            try SurveyDesign(rows: 2, strata: nil, stages: [], weights: [1, 0], populationSizes: nil, lonelyPSU: .fail, summary: "")
        }
        #expect(throws: DesignError.self) {
            try SurveyDesign(rows: 4, strata: ["A", "A", "A", "A"], stages: [["1", "2", "3", "4"]], weights: nil,
                             populationSizes: [[3, 3, 3, 3]], lonelyPSU: .fail, summary: "")
        }
    }

    @Test("blank design variables and weights name the file, row and column")
    func blankDesignValues() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        var lines = try String(contentsOfFile: Self.folder + "/sipas-subset.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        let weightColumn = try #require(header.firstIndex(of: "weight"))
        var fields = lines[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        try #require(fields.count == header.count, "row 3 has no quoted commas, so splitting is safe")
        fields[weightColumn] = ""
        lines[3] = fields.joined(separator: ",")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", lines.joined(separator: "\n") + "\n")
        let table = try CSVReader.read(path: path, instrument: instrument)
        #expect {
            try IndexAnalysis.run(table: table, options: IndexOptions(design: DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight")))
        } throws: { error in
            String(describing: error) == "\(path) (row 3, column 'weight'): blank weight (every respondent needs one)"
        }
    }
}

@Suite("Design files and tables built in code")
struct DesignFileTests {
    @Test("a design file gives the same design as the flags; flags override it; errors name file, line and key")
    func designFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("design.yaml", "strata: stratum\ncluster: [cluster]\nweight: weight\nlonely_psu: adjust\n")
        let specification = try DesignSpecification.load(path: path)
        #expect(specification == DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight", lonelyPSU: .adjust))
        let bad = try folder.file("bad.yaml", "strata: stratum\nclusters: [cluster]\n")
        #expect {
            try DesignSpecification.load(path: bad)
        } throws: { error in
            String(describing: error) == "\(bad):2: clusters: unknown key (expected one of: strata, cluster, weight, fpc, lonely_psu, calibration, replicates)"
        }
        let policy = try folder.file("policy.yaml", "lonely_psu: sometimes\n")
        #expect(throws: DesignFileError.self) { try DesignSpecification.load(path: policy) }
    }

    @Test("a table built in code validates answers like the reader and analyses the same")
    func builtTable() throws {
        let instrument = CSVReaderTests.mini
        let table = try ResponseTable(source: "code", instrument: instrument,
                                      answers: ["a1": [5, 4, 3, 5, 2], "a2": [4, 4, 5, 9, 3], "b1": [5, 3, 4, 5, 4],
                                                "b2": [4, nil, 5, 5, 4], "b3": [1, 2, 1, 2, 3], "overall": [5, 4, 4, 5, 3]],
                                      metadata: [("unit", ["A", "A", "B", "B", "C"])])
        let fromFile = try CSVReader.read(path: TestPaths.fixture("good-csv/plain.csv"), instrument: instrument)
        let a = try IndexAnalysis.run(table: table), b = try IndexAnalysis.run(table: fromFile)
        #expect(a.estimates.map(\.index.estimate) == b.estimates.map(\.index.estimate))
        #expect(a.estimates.map(\.index.lower) == b.estimates.map(\.index.lower))
        #expect(throws: DataError.self) {
            try ResponseTable(source: "code", instrument: instrument, answers: ["a1": [7], "a2": [1], "b1": [1], "b2": [1], "b3": [1]])
        }
    }
}
