import Foundation
import SIPASSupport
import Testing
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
@testable import SIPASInstrument

@Suite("Bootstrap")
struct BootstrapTests {
    static let bundled = GeneratorAndCLITests.bundled
    static let design = DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight")

    func design(strata: [String], psus: [String]) throws -> SurveyDesign {
        try SurveyDesign(rows: strata.count, strata: strata, stages: [psus], weights: nil, populationSizes: nil,
                         lonelyPSU: .remove, summary: "")
    }

    @Test("Rao–Wu with two PSUs per stratum: one PSU drawn, multipliers 2 and 0 (n/(n−1)·k); one PSU: multiplier 1")
    func raoWuMultipliers() throws {
        let d = try design(strata: ["A", "A", "A", "B", "C", "C"], psus: ["1", "1", "2", "1", "1", "2"])
        let bootstrap = Bootstrap(design: d, method: .raoWu, replicates: 10, seed: 1)
        for b in 0..<10 {
            let m = bootstrap.multipliers(b)
            #expect(m[0] == m[1], "rows of one PSU share a multiplier")
            #expect(Set([m[0], m[2]]) == [0, 2])
            #expect(m[3] == 1)
            #expect(Set([m[4], m[5]]) == [0, 2])
        }
        #expect(bootstrap.strataWithSinglePSU == 1)
    }

    @Test("respondent and naive cluster bootstraps resample n out of n within strata")
    func naiveMultipliers() throws {
        let d = try design(strata: ["A", "A", "A", "A", "B", "B"], psus: ["1", "2", "3", "3", "1", "2"])
        for b in 0..<20 {
            let rows = Bootstrap(design: d, method: .respondent, replicates: 20, seed: 3).multipliers(b)
            #expect(rows[0..<4].reduce(0, +) == 4 && rows[4..<6].reduce(0, +) == 2)
            let clusters = Bootstrap(design: d, method: .cluster, replicates: 20, seed: 3).multipliers(b)
            #expect(clusters[2] == clusters[3])
            #expect(clusters[0] + clusters[1] + clusters[2] == 3)
        }
    }

    @Test("replicates are the same on any number of threads and in any order: each comes from (seed, b)")
    func reproducible() throws {
        let d = try design(strata: Array(repeating: "A", count: 40), psus: (0..<40).map { String($0 % 10) })
        let bootstrap = Bootstrap(design: d, method: .raoWu, replicates: 64, seed: 99)
        let parallel = try bootstrap.replicate { weights in weights.enumerated().reduce(0) { $0 + $1.element * Double($1.offset) } }
        let serial = (0..<64).map { b in zip(d.weights, bootstrap.multipliers(b)).enumerated().reduce(0) { $0 + $1.element.0 * $1.element.1 * Double($1.offset) } }
        #expect(parallel == serial)
        #expect(Bootstrap(design: d, method: .raoWu, replicates: 64, seed: 100).multipliers(0) != bootstrap.multipliers(0))
    }

    @Test("percentile quantiles interpolate like R's quantile(type = 7)")
    func quantiles() {
        let sorted: [Double] = [1, 2, 3, 4, 10]
        // R: quantile(c(1,2,3,4,10), c(0.025, 0.975)) = 1.1, 9.4
        #expect(close(OrderStatistics.quantile(sorted: sorted, 0.025), 1.1, relative: 1e-14))
        #expect(close(OrderStatistics.quantile(sorted: sorted, 0.975), 9.4, relative: 1e-14))
    }

    @Test("bundled data: the Rao–Wu bootstrap SE of the SIPAS agrees with the linearized SE; the seed reproduces it")
    func bundledAgreement() throws {
        let table = try CSVReader.read(path: Self.bundled, instrument: try #require(try InstrumentPreset.named("khanhhoa-admin")))
        func run(_ method: IntervalMethod, seed: UInt64 = 2024) throws -> IndexResult {
            try IndexAnalysis.run(table: table, options: IndexOptions(intervalMethod: method, design: Self.design,
                                                                      bootstrap: BootstrapOptions(replicates: 400, seed: seed)))
        }
        let linear = try run(.t), percentile = try run(.percentile), bca = try run(.bca), again = try run(.bca)
        #expect(percentile.bootstrap?.method == .raoWu && percentile.bootstrap?.seed == 2024)
        for (a, b) in zip(linear.estimates, percentile.estimates) where a.kind == .overall || a.kind == .factor {
            // 400 replicates estimate an SE to about ±7% (1/√(2·400) ≈ 3.5% per SD); allow 15%.
            #expect(close(b.index.standardError, a.index.standardError!, relative: 0.15), "\(a.id)")
            #expect(b.index.lower! < b.index.estimate! && b.index.estimate! < b.index.upper!)
        }
        #expect(zip(bca.estimates, again.estimates).allSatisfy { $0.index.lower == $1.index.lower && $0.index.upper == $1.index.upper })
        #expect(bca.estimates.contains { $0.index.method == "bca" })
    }
}
