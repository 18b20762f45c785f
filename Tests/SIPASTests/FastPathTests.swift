import Foundation
import Testing
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
import SIPASInstrument

/// The shortcuts behind issue 7's speed must not change a number: a domain's variance from the units it
/// touches equals the variance over every row with zeros outside the domain, and results do not depend on
/// the number of threads.
@Suite("Fast paths give the same numbers")
struct FastPathTests {
    /// A reproducible design: `strata` strata, clusters of villages, FPCs at both stages, some lonely PSUs.
    func randomDesign(rows: Int, seed: UInt64, lonely: LonelyPSUPolicy, fpc: Bool) throws -> SurveyDesign {
        var rng = RandomSource(seed: seed, stream: [1])
        var strata: [String] = [], psus: [String] = [], villages: [String] = [], weights: [Double] = []
        var psuSizes: [Double] = [], villageSizes: [Double] = []
        for row in 0..<rows {
            let stratum = rng.integer(in: 0...5)
            // Stratum 5 has a single PSU (a lonely PSU unless the policy fails).
            let psu = stratum == 5 ? 0 : rng.integer(in: 0...(2 + stratum))
            strata.append("S\(stratum)"); psus.append("P\(psu)"); villages.append("V\(rng.integer(in: 0...2))")
            weights.append(1 + Double(rng.integer(in: 0...40)) / 4)
            psuSizes.append(Double(10 + stratum)); villageSizes.append(6)
            _ = row
        }
        return try SurveyDesign(rows: rows, strata: strata, stages: [psus, villages], weights: weights,
                                populationSizes: fpc ? [psuSizes, villageSizes] : nil, lonelyPSU: lonely, summary: "test")
    }

    @Test("a domain's covariance, effective df and acceleration equal the all-rows computation with zeros outside",
          arguments: [LonelyPSUPolicy.adjust, .average, .remove, .certainty])
    func domainEqualsDense(policy: LonelyPSUPolicy) throws {
        for fpc in [false, true] {
            let design = try randomDesign(rows: 400, seed: 7, lonely: policy, fpc: fpc)
            var rng = RandomSource(seed: 11, stream: [2])
            // A domain that misses whole strata and some PSUs of the strata it touches.
            let rows = (0..<400).filter { _ in rng.integer(in: 0...3) == 0 }.filter { $0 % 7 != 0 }
            let columns = (0..<3).map { _ in rows.map { _ in Double(rng.integer(in: -50...50)) / 7 } }
            var dense = [[Double]](repeating: [Double](repeating: 0, count: 400), count: 3)
            for (j, column) in columns.enumerated() { for (position, row) in rows.enumerated() { dense[j][row] = column[position] } }
            let domain = design.domain(rows: rows)
            let fast = try design.covariance(domain, columns), full = try design.covariance(dense)
            for a in 0..<3 {
                for b in 0..<3 { #expect(close(fast[a][b], full[a][b], relative: 1e-12, absolute: 1e-12), "\(policy) fpc \(fpc) [\(a),\(b)]") }
            }
            #expect(full[0][0] > 0)
            let fastDF = try #require(design.effectiveDegreesOfFreedom(domain, columns[0]))
            #expect(close(fastDF, try #require(design.effectiveDegreesOfFreedom(dense[0])), relative: 1e-12))
            let fastA = try #require(design.acceleration(domain, columns[1]))
            #expect(close(fastA, try #require(design.acceleration(dense[1])), relative: 1e-10))
        }
    }

    @Test("the one-stage formula by brute force: Σ_h n_h/(n_h−1) Σ_i (t_hi − t̄_h)² over every PSU, domain rows only")
    func bruteForceOneStage() throws {
        let strata = ["A", "A", "A", "A", "B", "B", "B", "C", "C", "C", "C", "C"]
        let psus = ["1", "1", "2", "3", "1", "2", "2", "1", "2", "3", "4", "4"]
        let design = try SurveyDesign(rows: 12, strata: strata, stages: [psus], weights: nil, populationSizes: nil,
                                      lonelyPSU: .fail, summary: "")
        // Domain: rows 0, 2 (stratum A) and 8 (stratum C); stratum B untouched.
        let values = [1.5, -2.0, 4.0]
        let domainVariance = try design.variance(design.domain(rows: [0, 2, 8]), values)
        // A: PSU totals 1.5, −2, 0 → mean −1/6; C: totals 0, 4, 0, 0 → mean 1. B: zeros.
        let totalsA: [Double] = [1.5, -2.0, 0], totalsC: [Double] = [0, 4.0, 0, 0]
        let meanA = -1.0 / 6, meanC = 1.0
        var a = 0.0, c = 0.0
        for t in totalsA { a += (t - meanA) * (t - meanA) }
        for t in totalsC { c += (t - meanC) * (t - meanC) }
        let expected: Double = a * 3 / 2 + c * 4 / 3
        #expect(close(domainVariance, expected, relative: 1e-14))
    }

    @Test("index results are identical on one thread and on several")
    func threadCountDoesNotChangeResults() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path,
                                       instrument: instrument)
        let options = IndexOptions(design: DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight"))
        let saved = Parallelism.threads
        defer { Parallelism.threads = saved }
        Parallelism.threads = 1
        let one = try IndexAnalysis.run(table: table, by: ["unit_id"], options: options)
        Parallelism.threads = 3
        let several = try IndexAnalysis.run(table: table, by: ["unit_id"], options: options)
        #expect(one.estimates.count == several.estimates.count && one.estimates.count > 500)
        for (x, y) in zip(one.estimates, several.estimates) {
            #expect(x.id == y.id && x.group == y.group)
            #expect(x.index.estimate == y.index.estimate && x.index.standardError == y.index.standardError)
            #expect(x.index.lower == y.index.lower && x.index.upper == y.index.upper)
        }
    }
}
