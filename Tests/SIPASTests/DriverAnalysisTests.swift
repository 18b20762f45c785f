import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASModels

@Suite("sipas drivers: factor-score regression against R")
struct DriverAnalysisTests {
    static let subset = TestPaths.fixture("design/sipas-subset.csv")

    static func run(_ extra: [String]) throws -> DriverResult {
        try DriversCommand.parse([subset, "-i", "khanhhoa-admin", "--replicates", "0"] + extra).analyze()
    }

    /// Pooled svyglm (strata, clusters, weights), pooled lm and lm for unit U04: 1e-8 relative.
    @Test("pooled design-based model, pooled and per-unit OLS match R")
    func matchesR() throws {
        let r = try DriverFixtures.rResults()
        let design = try Self.run(["--strata", "stratum", "--cluster", "cluster", "--weight", "weight"]).models[0].regression
        let expected = r["drivers_pooled_design"] as! [String: Any]
        #expect(design.inferenceDegreesOfFreedom == (expected["df_residual"] as! NSNumber).intValue)
        for (j, c) in design.coefficients.enumerated() {
            #expect(close(c.estimate, DriverFixtures.numbers(expected["estimate"])[j], relative: 1e-8))
            #expect(close(c.standardError, DriverFixtures.numbers(expected["se"])[j], relative: 1e-8))
            #expect(close(c.pValue, DriverFixtures.numbers(expected["p"])[j], relative: 1e-8, absolute: 1e-12))
        }
        let ols = try Self.run(["--se", "classical", "--by", "unit_id"])
        for (model, key) in [(ols.models[0], "drivers_pooled_lm"), (ols.models.first { $0.group == "U04" }!, "drivers_u04_lm")] {
            let e = r[key] as! [String: Any]
            #expect(model.regression.observationCount == (e["n"] as! NSNumber).intValue)
            #expect(close(model.regression.rSquared, (e["r_squared"] as! NSNumber).doubleValue, relative: 1e-10))
            for (j, c) in model.regression.coefficients.enumerated() {
                #expect(close(c.estimate, DriverFixtures.numbers(e["estimate"])[j], relative: 1e-8), "\(key) b[\(j)]")
                #expect(close(c.standardError, DriverFixtures.numbers(e["se"])[j], relative: 1e-8), "\(key) se[\(j)]")
            }
        }
        let lmg = DriverFixtures.numbers(r["drivers_pooled_lmg"])
        for j in 0..<5 { #expect(close(ols.models[0].importance.lmg[j], lmg[j], relative: 1e-10)) }
    }

    @Test("rows and units are accounted for: 10 per parameter, skipped units with reasons")
    func accounting() throws {
        let result = try Self.run(["--by", "unit_id"])
        let rows = try DriverFixtures.rResults()["drivers_rows"] as! [String: Any]
        #expect(result.rows.read == 562)
        #expect(result.rows.used == (rows["used"] as! NSNumber).intValue)
        #expect(result.rows.excluded.first { $0.reason == "overall item 'overall' not answered" }?.count
            == (rows["missing_overall"] as! NSNumber).intValue)
        #expect(result.minimumObservations == 60)
        #expect(result.models.map(\.group) == [nil, "U04", "U06"])
        #expect(result.skipped.map(\.group) == ["U01", "U02", "U03", "U05", "U07", "U08"])
        #expect(result.skipped.first { $0.group == "U05" }?.reason.contains("n = 57 < 60") == true)
        let perUnit = rows["per_unit_used"] as! [String: NSNumber]
        for skipped in result.skipped { #expect(skipped.observations == perUnit[skipped.group]!.intValue) }
    }

    @Test("sentences in Vietnamese (decimal comma) and English; sign-flip note; seeded JSON is reproducible")
    func sentencesAndNotes() throws {
        let arguments = [Self.subset, "-i", "khanhhoa-admin", "--by", "unit_id", "--replicates", "100", "--seed", "5", "--format", "json"]
        let first = try DriversCommand.parse(arguments).render()
        #expect(first == (try DriversCommand.parse(arguments).render()))
        #expect(first.contains("\"seed\": 5"))
        let result = try Self.run(["--by", "unit_id"])
        let vi = result.sentences(result.models[0], language: .vi)
        #expect(vi[1].hasPrefix("Mỗi điểm tăng thêm về Thủ tục hành chính đi kèm mức hài lòng chung cao hơn 0,"))
        #expect(vi[1].contains("phần biến thiên được giải thích"))
        let en = result.sentences(result.models[0], language: .en)
        #expect(en[1].hasPrefix("One point more on Administrative procedures goes with +0."))
        #expect(en[1].contains("% of the explained variation"))
        let u06 = try #require(result.models.first { $0.group == "U06" })
        #expect(u06.notes.contains { $0.en.contains("'feedback'") && $0.en.contains("opposite sign") && $0.vi.contains("ngược dấu") })
        let table = try DriversCommand.parse([Self.subset, "-i", "khanhhoa-admin", "--replicates", "0", "--lang", "vi"]).render()
        #expect(table.contains("Toàn bộ mẫu") && table.contains("Số dòng: đọc 562"))
    }

    @Test("errors: an instrument without an overall column, --se design without a design")
    func errors() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", "q01,q02\n5,4\n")
        #expect(throws: (any Error).self) { try DriversCommand.parse([path, "-i", "khanhhoa-admin"]).analyze() }
        #expect(throws: (any Error).self) { try DriversCommand.parse([Self.subset, "-i", "khanhhoa-admin", "--se", "design"]).validate() }
    }
}
