import Foundation
import SIPASCommandLine
import Testing
@testable import SIPASData
@testable import SIPASEstimation
@testable import SIPASInstrument
import SIPASSupport

/// Index formulas of Lai Châu §6.2 / Khánh Hòa 2782 Art. 7, checked against hand calculations.
@Suite("Index formulas")
struct IndexFormulaTests {
    static let mini = CSVReaderTests.mini

    func analysis(_ path: String, by: [String] = [], method: IntervalMethod = .t) throws -> IndexResult {
        try IndexAnalysis.run(table: try CSVReader.read(path: path, instrument: Self.mini), by: by,
                              options: IndexOptions(intervalMethod: method))
    }

    func row(_ result: IndexResult, _ kind: IndexKind, _ id: String, group: [GroupValue] = []) throws -> IndexEstimate {
        try #require(result.estimates.first { $0.kind == kind && $0.id == id && $0.group == group })
    }

    @Test("criterion index from the seed's counts c, d, e, g, h: (1c+2d+3e+4g+5h)/((c+d+e+g+h)·5)·100")
    func criterionFromCounts() throws {
        // c = 3, d = 7, e = 20, g = 50, h = 120 → (3 + 14 + 60 + 200 + 600) / (200 · 5) = 877/1000 = 87.7%.
        let counts = [3, 7, 20, 50, 120]
        let answers = counts.enumerated().flatMap { Array(repeating: $0.offset + 1, count: $0.element) }
        let text = "a1,a2,b1,b2,b3\n" + answers.map { "\($0),5,5,5,1" }.joined(separator: "\n") + "\n"
        let result = try IndexAnalysis.run(table: try CSVReader.read(text: text, source: "c.csv", instrument: Self.mini))
        let a1 = try row(result, .criterion, "a1")
        #expect(close(a1.index.estimate, 87.7, relative: 1e-14))
        #expect(a1.answerCounts == counts)
        #expect(a1.n == 200)
        // Share satisfied = (g + h) / n = 170/200 = 85%.
        #expect(close(a1.shareSatisfied?.estimate, 85, relative: 1e-14))
    }

    @Test("interval (1–4) index (1c+2d+3e+4g)/((c+d+e+g)·4)·100 and nominal a/b·100 (Lai Châu §6.2a, §6.2c)")
    func intervalAndNominal() throws {
        let instrument = try Instrument.parse("""
            id: pe
            title: {vi: a, en: b}
            contents:
              - id: c
                label: {vi: a, en: b}
                factors:
                  - id: f
                    label: {vi: a, en: b}
                    criteria:
                      - {id: q, label: {vi: a, en: b}}
            perception:
              - {id: p, label: {vi: a, en: b}, scale: nominal, categories: [{code: 1, label: {vi: Có, en: Yes}}, {code: 2, label: {vi: Không, en: No}}]}
            expectation:
              - {id: e, label: {vi: a, en: b}, scale: interval4}
            """, file: "pe.yaml")
        // c = 10, d = 20, e = 30, g = 40 → (10 + 40 + 90 + 160) / (100 · 4) = 75%. Nominal: 30 of 100 chose "Có".
        let e = [10, 20, 30, 40].enumerated().flatMap { Array(repeating: $0.offset + 1, count: $0.element) }
        var lines = ["q,p,e"]
        for (i, value) in e.enumerated() { lines.append("5,\(i < 30 ? 1 : 2),\(value)") }
        lines.append("5,,")  // a respondent who skipped both: not in b
        let result = try IndexAnalysis.run(table: try CSVReader.read(text: lines.joined(separator: "\n"), source: "pe.csv",
                                                                     instrument: instrument),
                                           options: IndexOptions(intervalMethod: .wilson))
        let expectation = try row(result, .expectation, "e")
        #expect(close(expectation.index.estimate, 75, relative: 1e-14))
        #expect(expectation.n == 100)
        let yes = try row(result, .perception, "p:1"), no = try row(result, .perception, "p:2")
        #expect(close(yes.index.estimate, 30, relative: 1e-14) && yes.n == 100)
        #expect(close(no.index.estimate, 70, relative: 1e-14))
        // Wilson interval for 30/100 with the effective sample size p(1−p)/Var = n − 1 = 99 (the unbiased
        // variance p(1−p)/(n−1), as R survey's svymean): centre (p + z²/2n*)/(1 + z²/n*), z = 1.959963984540054.
        let z = 1.959963984540054, n = 99.0, p = 0.3
        let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        #expect(close(yes.index.lower, (centre - half) * 100, relative: 1e-12))
        #expect(close(yes.index.upper, (centre + half) * 100, relative: 1e-12))
    }

    @Test("factor = mean of its criterion indices; content and overall = mean of all criterion indices, not of factors")
    func composites() throws {
        let result = try analysis(TestPaths.fixture("good-csv/plain.csv"))
        // By hand from plain.csv: a1 = 19/5 = 3.8 → 76%; a2 = 16/4 = 4.0 → 80% (9 = missing code);
        // b1 = 21/5 → 84%; b2 = 18/4 → 90% (one blank); b3 reversed: 5,4,5,4,3 → 21/5 → 84%.
        let expected: [(String, Double, Int)] = [("a1", 76, 5), ("a2", 80, 4), ("b1", 84, 5), ("b2", 90, 4), ("b3", 84, 5)]
        for (id, value, n) in expected {
            let criterion = try row(result, .criterion, id)
            #expect(close(criterion.index.estimate, value, relative: 1e-14), "\(id)")
            #expect(criterion.n == n, "\(id)")
        }
        #expect(close(try row(result, .factor, "access").index.estimate, 78, relative: 1e-14))
        #expect(close(try row(result, .factor, "staff").index.estimate, 86, relative: 1e-14))
        // (76 + 80 + 84 + 90 + 84) / 5 = 82.8, whereas the mean of the factor indices would be 82.
        #expect(close(try row(result, .content, "service").index.estimate, 82.8, relative: 1e-14))
        #expect(close(try row(result, .overall, "SIPAS").index.estimate, 82.8, relative: 1e-14))
        #expect(close(try row(result, .overallItem, "overall").index.estimate, 84, relative: 1e-14))
    }

    @Test("criterion interval is the classical t-interval mean ± t(n−1)·s/√n, by hand")
    func criterionInterval() throws {
        let a1 = try row(try analysis(TestPaths.fixture("good-csv/plain.csv")), .criterion, "a1")
        // a1 = 5,4,3,5,2: Σ(x − 3.8)² = 6.8, s² = 1.7, se = √(1.7/5) · 20 = 11.661903789690601 points.
        let se = (1.7 / 5).squareRoot() * 20
        #expect(close(a1.index.standardError, se, relative: 1e-13))
        let t = 2.7764451051977934  // qt(0.975, 4), R and scipy.stats.t.ppf agree
        #expect(close(a1.index.lower, 76 - t * se, relative: 1e-12))
        #expect(close(a1.index.upper, 76 + t * se, relative: 1e-12))
        #expect(a1.index.degreesOfFreedom == 4)
        #expect(a1.index.method == "t")
    }

    @Test("composite standard error by linearization over respondents with different items answered, by hand")
    func compositeInterval() throws {
        let access = try row(try analysis(TestPaths.fixture("good-csv/plain.csv")), .factor, "access")
        // zᵢ = ½[(a1ᵢ − 3.8)/5·20 + (a2ᵢ − 4)/4·20] over answered items: 2.4, 0.4, 0.9, 2.4, −6.1;
        // Σz² = 49.7, Var = 5/4 · 49.7 = 62.125.
        #expect(close(access.index.standardError, 62.125.squareRoot(), relative: 1e-12))
        #expect(access.n == 5)
        #expect(access.index.degreesOfFreedom == 4)
        #expect(access.criteriaCount == 2)
    }

    @Test("t and normal quantiles equal R's (libRmath) to 1e-12")
    func quantiles() {
        // Reference: R qt(0.975, df) / qnorm(0.975); the same digits from scipy.stats 1.17.1.
        let cases: [(Double, Double)] = [(1, 12.706204736174694), (4, 2.7764451051977934), (30, 2.0422724563012378),
                                         (2639, 1.9608633180492492)]
        for (df, value) in cases {
            #expect(close(Distribution.studentTQuantile(0.975, degreesOfFreedom: df), value, relative: 1e-12), "df \(df)")
        }
        #expect(close(Distribution.normalQuantile(0.975), 1.959963984540054, relative: 1e-14))
    }

    @Test("row accounting: read = used + excluded, each exclusion with its reason")
    func rowAccounting() throws {
        let result = try analysis(TestPaths.fixture("invalid-values.csv"))
        // Row 4 is all blank; row 5 answers only with invalid / missing codes on a1, b1 → 0, 9; a2..b3 blank.
        #expect(result.rows.read == 5)
        #expect(result.rows.excluded == [RowAccounting.Exclusion(reason: "no criterion answered (all blank, missing codes or invalid)", count: 2)])
        #expect(result.rows.used == 3)
        #expect(result.invalidCellCount == 3)
        let grouped = try IndexAnalysis.run(
            table: try CSVReader.read(text: "unit,a1,a2,b1,b2,b3\nU1,5,5,5,5,5\n,4,4,4,4,4\nU2,3,3,3,3,3\n\n",
                                      source: "g.csv", instrument: Self.mini), by: ["unit"])
        #expect(grouped.rows.excluded.map(\.reason) == ["blank unit (needed for --by)", "empty line"])
        #expect(grouped.rows.used == 2)
        let u2 = try row(grouped, .overall, "SIPAS", group: [GroupValue(column: "unit", value: "U2")])
        #expect(close(u2.index.estimate, 60, relative: 1e-14))
        #expect(u2.n == 1 && u2.index.standardError == nil)
        #expect(throws: DataError.self) { try IndexAnalysis.run(table: try CSVReader.read(text: "a1,a2,b1,b2,b3\n5,5,5,5,5\n", source: "x.csv", instrument: Self.mini), by: ["unit_id"]) }
    }

    @Test("edge cases: all answers 5 gives a zero-width interval with a note; a criterion nobody answered leaves its composites empty")
    func edges() throws {
        let text = "a1,a2,b1,b2,b3\n5,5,5,,1\n5,5,5,,1\n"
        let result = try IndexAnalysis.run(table: try CSVReader.read(text: text, source: "e.csv", instrument: Self.mini),
                                           options: IndexOptions(intervalMethod: .t))
        let a1 = try row(result, .criterion, "a1")
        #expect(a1.index.estimate == 100 && a1.index.standardError == 0)
        #expect(a1.notes.contains { $0.en.contains("zero width") && $0.kind == .zeroVariance })
        let staff = try row(result, .factor, "staff")
        #expect(staff.index.estimate == nil)
        #expect(staff.notes.map(\.en) == ["not estimated: nobody in this group answered b2"])
        #expect(staff.notes.map(\.vi) == ["không ước lượng: không ai trong nhóm này trả lời b2"])
        #expect(try row(result, .overall, "SIPAS").index.estimate == nil)
        #expect(try row(result, .factor, "access").index.estimate == 100)
    }

    @Test("a numerically zero standard error gives the t-interval the zero-width note, as it gives the bounded methods theirs")
    func numericallyZeroStandardErrorUnderT() throws {
        // A weighted, clustered sum of identical answers leaves floating-point residue: SE 2.3e-15 on a 0–100 scale.
        let input = IntervalInput(estimate: 100 - 3e-14, variance: 2.282934766917607e-15 * 2.282934766917607e-15,
                                  lowerBound: 0, upperBound: 100, degreesOfFreedom: 402, respondents: 135, designRows: 2640,
                                  level: 0.95)
        let t = Interval.compute(.t, input)
        #expect(t.lower == input.estimate && t.upper == input.estimate)
        #expect(t.notes.map(\.kind) == [.zeroVariance])
        #expect(t.notes.map(\.vi) == ["phương sai mẫu bằng 0: khoảng t có độ rộng 0"])
        #expect(Interval.compute(.beta, input).notes.map(\.kind) == [.effectiveSampleSize])
        // A small but real standard error (1e-6 of the scale) keeps its width and has no note.
        var small = input
        small.estimate = 50
        small.variance = 1e-4 * 1e-4
        let real = Interval.compute(.t, small)
        #expect(real.upper > real.lower && real.notes.isEmpty)
    }

    @Test("modified Wilson (Dean & Pagano 2015): the effective n times (t(n−1)/t(df))², only when asked for")
    func wilsonWithKornGraubardCorrection() {
        // θ = 0.3 with an effective n of 50 (Var θ = 0.21/50), design df 5 from 60 rows. Reference values from
        // scipy (t.ppf, norm.ppf) and the Wilson formula by hand: n* = 50 · (t(59)/t(5))² = 30.296978.
        var input = IntervalInput(estimate: 30, variance: 0.21 / 50 * 10_000, lowerBound: 0, upperBound: 100,
                                  degreesOfFreedom: 5, respondents: 60, designRows: 60, level: 0.95)
        let plain = Interval.compute(.wilson, input)
        #expect(abs(plain.lower - 19.103553500880952) < 1e-6 && abs(plain.upper - 43.750350464453405) < 1e-6)
        input.wilsonCorrection = true
        let corrected = Interval.compute(.wilson, input)
        #expect(abs(corrected.lower - 16.714455251882818) < 1e-6 && abs(corrected.upper - 47.78658137148707) < 1e-6)
        // Without a design (df = n − 1) the correction is 1: the same interval.
        input.degreesOfFreedom = 59
        let srs = Interval.compute(.wilson, input)
        #expect(abs(srs.lower - plain.lower) < 1e-9 && abs(srs.upper - plain.upper) < 1e-9)
    }

    @Test("sipas index with weights, strata and clusters under --ci t: U22 q02 (everyone answered 5) carries the zero-width note")
    func weightedZeroWidthTIntervalHasItsNote() throws {
        let data = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path
        let text = try IndexCommand.parse([data, "-i", "khanhhoa-admin", "--by", "unit_id", "--strata", "stratum",
                                           "--cluster", "cluster", "--weight", "weight", "--ci", "t", "--format", "json"]).render()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let rows = try #require(json["indices"] as? [[String: Any]])
        let q02 = try #require(rows.first { ($0["group"] as? [String: String])?["unit_id"] == "U22" && $0["id"] as? String == "q02" })
        let se = try #require(q02["se"] as? Double)
        #expect(se > 0 && se < 1e-10)  // residue, not an exact zero: the case the t path used to miss
        #expect(q02["ci_lower"] as? Double == q02["ci_upper"] as? Double)
        let notes = try #require(q02["notes"] as? [Any])
        #expect("\(notes)".contains("zero width"), "notes: \(notes)")
    }
}
