import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
@testable import SIPASInstrument

@Suite("Comparisons between units and years")
struct ComparisonTests {
    static let design = DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight")

    @Test("Holm and Benjamini–Hochberg equal R's p.adjust")
    func adjustments() throws {
        let reference = DesignTests.expected["p_adjust"] as! [String: [NSNumber]]
        let p = reference["p"]!.map(\.doubleValue)
        for (method, key) in [(PValueAdjustment.holm, "holm"), (.bh, "bh")] {
            let expected = reference[key]!.map(\.doubleValue)
            #expect(zip(method.adjust(p), expected).allSatisfy { close($0, $1, relative: 1e-12) }, "\(key)")
        }
        #expect(PValueAdjustment.none.adjust(p) == p)
    }

    @Test("unit minus province: the overlap is accounted for (R: delta method on the joint totals)")
    func unitVersusProvince() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: DesignTests.folder + "/sipas-subset.csv", instrument: instrument)
        let result = try IndexComparison.run(current: table, previous: nil, by: "unit_id",
                                             options: IndexOptions(intervalMethod: .t, design: Self.design))
        let u05 = try #require(result.unitsVersusProvince.first { $0.first == "U05" })
        let reference = (DesignTests.expected["sipas"] as! [String: Any])["U05_minus_province"] as! [String: Double]
        #expect(close(u05.estimate, reference["estimate"]!, relative: 1e-10))
        #expect(close(u05.standardError, reference["se"]!, relative: 1e-8))
        #expect(u05.degreesOfFreedom == 94)
        // Treating the two as independent would give a different (wrong) SE.
        let unit = try #require(result.units.first { $0.group[0].value == "U05" })
        let naive = (pow(unit.index.standardError!, 2) + pow(result.province.index.standardError!, 2)).squareRoot()
        #expect(abs(naive - u05.standardError) > 0.01)
        #expect(result.unitsVersusProvince.count == 8)
    }

    @Test("year against year: independent samples, Var = V1 + V2 with Welch–Satterthwaite df; summary counts agree")
    func yearOverYear() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let now = try CSVReader.read(path: GeneratorAndCLITests.bundled, instrument: instrument)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("2023.csv")
        try SIPASSyntheticSupport.write(path: path, seed: 2023, year: 2023)
        let before = try CSVReader.read(path: path, instrument: instrument)
        let result = try IndexComparison.run(current: now, previous: before, by: "unit_id",
                                             options: IndexOptions(intervalMethod: .t, design: Self.design), threshold: 90)
        let province = try #require(result.versusPrevious.first { $0.label.hasPrefix("province") })
        let a = try IndexAnalysis.run(table: now, options: IndexOptions(intervalMethod: .t, design: Self.design))
        let b = try IndexAnalysis.run(table: before, options: IndexOptions(intervalMethod: .t, design: Self.design))
        let (x, y) = (a.estimates[0].index, b.estimates[0].index)
        let v1 = x.standardError! * x.standardError!, v2 = y.standardError! * y.standardError!
        #expect(close(province.estimate, x.estimate! - y.estimate!, relative: 1e-12))
        #expect(close(province.standardError, (v1 + v2).squareRoot(), relative: 1e-12))
        let welch = (v1 + v2) * (v1 + v2) / (v1 * v1 / Double(x.degreesOfFreedom!) + v2 * v2 / Double(y.degreesOfFreedom!))
        #expect(close(province.degreesOfFreedom, welch, relative: 1e-12))
        let s = result.summary
        #expect(s.units == 32)
        #expect(s.atLeastThreshold == result.units.filter { $0.index.estimate! >= 90 }.count)
        #expect(s.significantlyAtLeastThreshold <= s.atLeastThreshold)
        #expect(s.aboveProvince + s.belowProvince == 32)
        #expect((s.betterThanPrevious ?? 0) + (s.worseThanPrevious ?? 0) == 32)
        #expect((s.significantlyBetter ?? 0) <= (s.betterThanPrevious ?? 0))
    }

    @Test("rank intervals contain the point rank and come from the seeded bootstrap")
    func ranks() throws {
        let output = try CompareCommand.parse([GeneratorAndCLITests.bundled, "-i", "khanhhoa-admin", "--by", "unit_id",
                                               "--strata", "stratum", "--cluster", "cluster", "--weight", "weight",
                                               "--ranks", "--replicates", "100", "--format", "json"]).render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let ranks = try #require(object["ranks"] as? [[String: Any]])
        #expect(ranks.count == 32)
        for rank in ranks {
            let r = rank["rank"] as! Int, low = rank["rank_lower"] as! Int, high = rank["rank_upper"] as! Int
            #expect(low <= r && r <= high && low >= 1 && high <= 32)
        }
        #expect((object["rank_bootstrap"] as? [String: Any])?["seed"] as? String == "2024")
    }
}

import SIPASSynthetic

enum SIPASSyntheticSupport {
    static func write(path: String, seed: UInt64, year: Int) throws {
        try SyntheticSurvey(.init(respondents: 2640, seed: seed, year: year)).write(to: path)
    }
}
