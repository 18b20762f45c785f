import Foundation
import SIPASDesign
import SIPASSampling
import Testing
import SIPASSupport

/// Sample size: hand calculations from n₀ = (z·SD/e)², n = n′/(1 + (n′ − 1)/N), n′ = n₀·deff.
/// z = 1.959963984540054 (R: qnorm(0.975)). Tolerances: 1e-9 relative on continuous values.
@Suite("Sampling: sample size")
struct SampleSizeTests {
    static let z = 1.959963984540054

    @Test func simpleRandomNoFPC() throws {
        let result = try SampleSize.required(standardDeviation: 15, margin: 2)
        // (1.959964 × 15 / 2)² = 14.69973² = 216.0821
        #expect(close(result.z, Self.z, relative: 1e-12))
        #expect(close(result.simpleRandom, pow(Self.z * 15 / 2, 2), relative: 1e-12))
        #expect(close(result.simpleRandom, 216.0821, absolute: 1e-4))
        #expect(result.required == 217)
    }

    @Test func finitePopulationCorrection() throws {
        let result = try SampleSize.required(standardDeviation: 15, margin: 2, population: 1000)
        let n0 = pow(Self.z * 15 / 2, 2)
        let expected = n0 / (1 + (n0 - 1) / 1000)  // 216.0821 / 1.2150821 = 177.8333
        #expect(close(result.finite, expected, relative: 1e-12))
        #expect(close(result.finite, 177.8333, absolute: 1e-4))
        #expect(result.required == 178)
        // The margin 178 forms buy is just inside the target; the unrounded n buys exactly the target.
        let bought = try SampleSize.margin(sampleSize: 178, standardDeviation: 15, population: 1000)
        #expect(bought <= 2)
        #expect(close(bought, Self.z * 15 * (Double(1000 - 178) / (178.0 * 999)).squareRoot(), relative: 1e-12))
    }

    @Test func designEffectFromICC() throws {
        let deff = SampleSize.designEffect(intraclassCorrelation: 0.05, clusterSize: 30)
        #expect(close(deff, 2.45, relative: 1e-12))  // 1 + 29 × 0.05
        let result = try SampleSize.required(standardDeviation: 15, margin: 2, population: 5000, designEffect: deff)
        let nPrime = pow(Self.z * 15 / 2, 2) * 2.45  // 529.40
        #expect(close(result.withDesignEffect, nPrime, relative: 1e-12))
        #expect(close(result.finite, nPrime / (1 + (nPrime - 1) / 5000), relative: 1e-12))  // 478.76
        #expect(result.required == 479)
    }

    @Test func proportion() throws {
        let sd = SampleSize.proportionStandardDeviation(0.5)
        #expect(sd == 50)
        let result = try SampleSize.required(standardDeviation: sd, margin: 5)
        #expect(close(result.simpleRandom, 384.1459, absolute: 1e-4))  // the textbook 385
        #expect(result.required == 385)
    }

    @Test func pilotStandardDeviationInIndexPoints() throws {
        // Scores 1..5: mean 3, sample SD √2.5; in index points × 100/5 = 20.
        let sd = try SampleSize.indexStandardDeviation(scores: [1, 2, 3, 4, 5], scaleMaximum: 5)
        #expect(close(sd, 2.5.squareRoot() * 20, relative: 1e-12))
        #expect(throws: SamplingError.self) { try SampleSize.indexStandardDeviation(scores: [3], scaleMaximum: 5) }
    }

    @Test func yamane() throws {
        #expect(close(try SampleSize.yamane(population: 1000, precision: 0.05), 1000 / 3.5, relative: 1e-12))
        #expect(close(try SampleSize.yamane(population: 2640, precision: 0.05), 2640 / 7.6, relative: 1e-12))
    }

    @Test func censusBuysZeroMargin() throws {
        #expect(try SampleSize.margin(sampleSize: 50, standardDeviation: 15, population: 50) == 0)
        #expect(try SampleSize.required(standardDeviation: 15, margin: 0.1, population: 40).required == 40)
    }

    @Test func invalidInputs() {
        #expect(throws: SamplingError.self) { try SampleSize.required(standardDeviation: 15, margin: 0) }
        #expect(throws: SamplingError.self) { try SampleSize.required(standardDeviation: 0, margin: 2) }
        #expect(throws: SamplingError.self) { try SampleSize.required(standardDeviation: 15, margin: 2, designEffect: 0.5) }
        #expect(throws: SamplingError.self) { try SampleSize.margin(sampleSize: 0, standardDeviation: 15) }
    }

    /// Seed 003, II.3: < 100 → all; 100–999 → 100; 1,000–4,999 → 200; ≥ 5,000 → 500.
    @Test(arguments: [
        (0, 0), (1, 1), (99, 99), (100, 100), (101, 100), (999, 100), (1000, 200), (4999, 200), (5000, 500),
        (120_000, 500),
    ])
    func hueSchedule(transactions: Int, minimum: Int) throws {
        #expect(try SampleSize.hueMinimumReturns(transactions: transactions) == minimum)
    }

    @Test func hueRequirementKinds() throws {
        #expect(try SampleSize.hueRequirement(transactions: 99) == .census)
        #expect(try SampleSize.hueRequirement(transactions: 100) == .atLeast(100))
        #expect(throws: SamplingError.self) { try SampleSize.hueRequirement(transactions: -1) }
    }
}

@Suite("Sampling: systematic selection and reserves")
struct SystematicSelectionTests {
    /// Seed 001, III.1.b, Step 2: N = 1,500, n = 20, k = 75 → 01, 76, 151, 226, …, 1,426.
    @Test func workedExampleOfSeed001() {
        let positions = SystematicSelection.positions(populationSize: 1500, sampleSize: 20)
        #expect(positions.count == 20)
        #expect(Array(positions.prefix(4)) == [1, 76, 151, 226])
        #expect(positions.last == 1426)
        #expect(positions == (0..<20).map { 1 + $0 * 75 })
    }

    @Test func fractionalInterval() {
        // k = 10/3: ⌊1 + 0⌋, ⌊1 + 3.33⌋, ⌊1 + 6.67⌋ = 1, 4, 7
        #expect(SystematicSelection.positions(populationSize: 10, sampleSize: 3) == [1, 4, 7])
        // k = 7/3: 1, ⌊3.33⌋, ⌊5.67⌋ = 1, 3, 5
        #expect(SystematicSelection.positions(populationSize: 7, sampleSize: 3) == [1, 3, 5])
        // k = 1.5: 1, 2, 4, 5, 7, 8 — gaps ⌊k⌋ or ⌈k⌉, never past N
        #expect(SystematicSelection.positions(populationSize: 9, sampleSize: 6) == [1, 2, 4, 5, 7, 8])
    }

    @Test(arguments: [0, 1, 2, 5])
    func censusWhenFrameIsSmall(size: Int) {
        #expect(SystematicSelection.positions(populationSize: size, sampleSize: 5) == Array(1...max(size, 1)).filter { $0 <= size })
        let draw = SystematicSelection.draw(populationSize: size, allocated: 5)
        #expect(draw.census == (size <= 5))
        #expect(draw.reserve.isEmpty)
        #expect(draw.reserveShortfall == 3)  // ⌈2.5⌉ reserves wanted, none left
    }

    @Test func randomStartGivesEqualInclusionProbabilities() {
        // Every start t = 0 … N − 1 picks n people; over all starts each person is picked n times: P = n/N.
        for (size, n) in [(10, 3), (7, 3), (1500, 20), (11, 4)] {
            var hits = [Int](repeating: 0, count: size + 1)
            for t in 0..<size {
                let positions = SystematicSelection.positions(populationSize: size, sampleSize: n, startOffset: t)
                #expect(Set(positions).count == n)
                #expect(positions.allSatisfy { $0 >= 1 && $0 <= size })
                for p in positions { hits[p] += 1 }
            }
            #expect(hits.dropFirst().allSatisfy { $0 == n })
        }
    }

    @Test func seededStartIsReproducible() {
        var a = RandomSource(seed: 2024), b = RandomSource(seed: 2024)
        let first = SystematicSelection.draw(populationSize: 1500, allocated: 20, randomStart: true, using: &a)
        let second = SystematicSelection.draw(populationSize: 1500, allocated: 20, randomStart: true, using: &b)
        #expect(first == second)
        #expect(first.startOffset >= 0 && first.startOffset < 1500)
    }

    /// Seed 001, Step 3: reserve of 50% of n from the rest, same method (start 1 on the rest).
    @Test func reserveFromTheRest() {
        let draw = SystematicSelection.draw(populationSize: 1500, allocated: 20)
        #expect(draw.reserveTarget == 10)
        #expect(draw.reserve.count == 10)
        #expect(Set(draw.reserve).isDisjoint(with: draw.sample))
        // The rest has 1,480 people and k = 148; rest position 1 is person 2.
        #expect(draw.reserve[0] == 2)
        // rest position 1 + 148 = 149: persons 2…75 are rest 1…74, 77…150 are rest 75…148, so 149 is person 152
        #expect(draw.reserve[1] == 152)
        #expect(SystematicSelection.reserveSize(allocated: 25) == 13)
        #expect(SystematicSelection.reserveSize(allocated: 20) == 10)
    }

    @Test func borrowingReservesAcrossFields() {
        // Field A: 12 people for 10 forms → rest 2, reserve wanted 5, short by 3. Field B lends 3 from its leftovers.
        var draws = [SystematicSelection.draw(populationSize: 12, allocated: 10),
                     SystematicSelection.draw(populationSize: 100, allocated: 20),
                     SystematicSelection.draw(populationSize: 3, allocated: 10)]
        #expect(draws[0].reserveShortfall == 3)
        SystematicSelection.borrowReserves(&draws, sets: ["Mai Sơn", "Mai Sơn", "Yên Châu"])
        #expect(draws[0].reserveShortfall == 0)
        #expect(draws[0].borrowed.count == 3)
        #expect(draws[0].borrowed.allSatisfy { $0.list == 1 })
        let usedB = Set(draws[1].sample).union(draws[1].reserve)
        #expect(draws[0].borrowed.allSatisfy { !usedB.contains($0.position) })
        // Yên Châu has no other field to borrow from: the shortfall stays.
        #expect(draws[2].reserveShortfall == 5)
    }
}

@Suite("Sampling: Vietnamese alphabetical order")
struct CollationTests {
    @Test func alphabetOrder() {
        let names = ["Đặng Văn Bình", "Dương Thị Lan", "Ánh", "Anh", "Ăn", "Ân", "An Bình", "Bùi Ư", "Bùi U", "ốc", "Ôn", "Ơn", "Ong"]
        let sorted = VietnameseCollation.sortedIndices(names.map { [$0] }).map { names[$0] }
        #expect(sorted == ["An Bình", "Anh", "Ánh", "Ăn", "Ân", "Bùi U", "Bùi Ư", "Dương Thị Lan", "Đặng Văn Bình", "Ong", "ốc", "Ôn", "Ơn"])
    }

    @Test func tonesInDictionaryOrder() {
        // ngang < huyền < hỏi < ngã < sắc < nặng
        let names = ["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"]
        let sorted = VietnameseCollation.sortedIndices(names.map { [$0] }).map { names[$0] }
        #expect(sorted == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"])
    }

    @Test func normalizationAndCaseDoNotMatter() {
        let nfc = "Nguyễn Thị Ánh".precomposedStringWithCanonicalMapping
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(!VietnameseCollation.precedes(nfc, nfd) && !VietnameseCollation.precedes(nfd, nfc))
        #expect(VietnameseCollation.precedes("nguyễn", "Nguyễn"))  // lowercase first, only as a last resort
        #expect(VietnameseCollation.precedes("Nguyễn", "nguyệt"))
        #expect(VietnameseCollation.givenNameFirst("Nguyễn Văn An") == "An Nguyễn Văn")
    }

    @Test func stableForEqualNames() {
        #expect(VietnameseCollation.sortedIndices([["Lan"], ["An"], ["Lan"], ["An"]]) == [1, 3, 0, 2])
    }
}

@Suite("Sampling: allocation")
struct AllocationTests {
    @Test func largestRemainder() throws {
        #expect(try Apportionment.largestRemainder(total: 10, weights: [1, 1, 1]) == [4, 3, 3])  // ties: first listed
        #expect(try Apportionment.proportional(total: 100, sizes: [500, 300, 200]) == [50, 30, 20])
        // 7 over 1:1:1:1 → quotas 1.75 each → 2, 2, 2, 1
        #expect(try Apportionment.proportional(total: 7, sizes: [10, 10, 10, 10]) == [2, 2, 2, 1])
        // quotas 600 × (123, 456, 789)/1368 = 53.947, 200, 346.05 → 54, 200, 346
        #expect(try Apportionment.proportional(total: 600, sizes: [123, 456, 789]) == [54, 200, 346])
        #expect(try Apportionment.proportional(total: 0, sizes: [3, 4]) == [0, 0])
    }

    @Test func capacities() throws {
        // Stratum 1 would get 9.9 of 10 but holds 5: fixed at 5, the other 5 go to stratum 2.
        #expect(try Apportionment.largestRemainder(total: 10, weights: [100, 1], capacities: [5, 10]) == [5, 5])
        #expect(throws: SamplingError.self) { try Apportionment.proportional(total: 10, sizes: [3, 4]) }
    }

    @Test func neyman() throws {
        // Nₕ·Sₕ = 1000, 3000 → 10, 30 of 40
        #expect(try Apportionment.neyman(total: 40, sizes: [100, 100], standardDeviations: [10, 30]) == [10, 30])
        // 100·10 : 200·15 : 50·20 = 1000 : 3000 : 1000 → 12, 36, 12 of 60
        #expect(try Apportionment.neyman(total: 60, sizes: [100, 200, 50], standardDeviations: [10, 15, 20]) == [12, 36, 12])
    }

    /// Seed 001, II.3 and III.1.a.
    @Test func sonLaPreset() throws {
        let rules = try #require(AllocationRules.preset("sonla-2024"))
        let rows = try rules.allocate(rules.namedUnits)
        let districtForms = rows.filter { $0.level == "district" }.reduce(0) { $0 + $1.forms }
        #expect(districtForms == 5 * 100 + 7 * 80)  // 1,060
        let maiSon = rows.filter { $0.unit == "Mai Sơn" && $0.level == "district" }
        #expect(maiSon.map(\.forms) == [30, 40, 30])
        let yenChau = rows.filter { $0.unit == "Yên Châu" && $0.level == "district" }
        #expect(yenChau.map(\.forms) == [30, 30, 20])
        #expect(rows.filter { $0.level == "commune" }.map(\.forms) == Array(repeating: 50, count: 12))

        let departments = try rules.allocate([
            PlanUnit(level: "department", unit: "Sở Tư pháp", transactions: 45),
            PlanUnit(level: "department", unit: "Sở Xây dựng", transactions: 60),
            PlanUnit(level: "department", unit: "văn phòng ubnd tỉnh"),
            PlanUnit(level: "department", unit: "Sở Ngoại vụ"),
            PlanUnit(level: "department", unit: "Ban Quản lý các khu công nghiệp", transactions: 7),
        ])
        #expect(departments.map(\.forms) == [45, 60, 50, 30, 27])
        #expect(departments.map(\.census) == [true, false, false, false, true])
    }

    /// Seed 000 §7.1: 3 communes (5 in Sìn Hồ, Phong Thổ) × 3 villages × 30 households.
    @Test func laiChauPreset() throws {
        let rules = try #require(AllocationRules.preset("laichau-2024"))
        let rows = try rules.allocate([PlanUnit(level: "district", unit: "Tam Đường"),
                                       PlanUnit(level: "district", unit: "Sìn Hồ"),
                                       PlanUnit(level: "district", unit: "Phong Thổ")])
        #expect(rows.map(\.forms) == [270, 450, 450])
    }

    @Test func rulesFilesRoundTrip() throws {
        for id in AllocationRules.presetIDs {
            let text = try #require(AllocationRules.presetText(id))
            #expect(try AllocationRules.decode(text, source: id) == AllocationRules.preset(id))
        }
        #expect(throws: SamplingError.self) { try AllocationRules.decode("id: x\ntitle: y\n", source: "bad.yaml") }
    }
}

@Suite("Sampling: units, re-check and accounting")
struct UnitSelectionTests {
    @Test func defaultUnitAndAdjacentReplacement() throws {
        var random = RandomSource(seed: 2024)
        // 10 communes, the seat at position 4 by default, 3 wanted: the other 9 give 2 by systematic (k = 4.5):
        // candidate positions 1 and ⌊1 + 4.5⌋ = 5 → communes 1 and 6.
        let plain = try UnitSelector.select(listSize: 10, count: 3, method: .systematic, byDefault: [4], random: &random)
        #expect(plain.selected.map(\.position) == [1, 4, 6])
        #expect(plain.selected[1].reason == .byDefault)
        // Commune 6 is in the national sample: the next one after it (7) replaces it.
        let collided = try UnitSelector.select(listSize: 10, count: 3, method: .systematic, byDefault: [4], excluded: [6],
                                               random: &random)
        #expect(collided.selected.map(\.position) == [1, 4, 7])
        #expect(collided.selected[2].reason == .adjacent(replacing: 6))
        // 6 and 7 both national: the one before (5) is taken.
        let both = try UnitSelector.select(listSize: 10, count: 3, method: .systematic, byDefault: [4], excluded: [6, 7],
                                           random: &random)
        #expect(both.selected.map(\.position) == [1, 4, 5])
    }

    @Test func simpleRandomIsSeeded() throws {
        var a = RandomSource(seed: 7), b = RandomSource(seed: 7)
        let first = try UnitSelector.select(listSize: 40, count: 5, method: .random, random: &a)
        let second = try UnitSelector.select(listSize: 40, count: 5, method: .random, random: &b)
        #expect(first == second)
        #expect(Set(first.selected.map(\.position)).count == 5)
    }

    @Test func ppsTakesLargeUnitsWithCertainty() throws {
        var random = RandomSource(seed: 2024)
        // sizes 10, 10, 10, 70; n = 2 → I = 50, unit 4 (70 ≥ 50) is certain; then one of the three from I = 30.
        let result = try UnitSelector.select(listSize: 4, count: 2, method: .pps, sizes: [10, 10, 10, 70], random: &random)
        #expect(result.selected.count == 2)
        #expect(result.selected.contains(SelectedUnit(position: 4, reason: .largeUnit)))
        #expect(close(result.ppsInterval, 30, relative: 1e-12))
        // Inclusion ∝ size: over many seeds each small unit is hit about 1/3 of the time (tolerance 0.03).
        var hits = [0, 0, 0]
        for seed in 0..<3000 {
            var r = RandomSource(seed: UInt64(seed))
            let s = try UnitSelector.select(listSize: 4, count: 2, method: .pps, sizes: [10, 10, 10, 70], random: &r)
            for unit in s.selected where unit.position < 4 { hits[unit.position - 1] += 1 }
        }
        #expect(hits.allSatisfy { abs(Double($0) / 3000 - 1.0 / 3) < 0.03 })
        #expect(throws: SamplingError.self) {
            try UnitSelector.select(listSize: 3, count: 1, method: .pps, sizes: [1, 0, 2], random: &random)
        }
    }

    @Test func recheckFractions() throws {
        let strata = Array(repeating: "A", count: 50) + Array(repeating: "B", count: 30) + Array(repeating: "C", count: 20)
        let draw = try RecheckDraw.draw(strata: strata, fraction: 0.2, seed: 2024)
        #expect(draw.map(\.drawn.count) == [10, 6, 4])
        #expect(draw[1].drawn.allSatisfy { $0 >= 50 && $0 < 80 })
        #expect(try RecheckDraw.draw(strata: strata, fraction: 0.2, seed: 2024) == draw)
        // 95 forms at 10%: 9.5 → 10 rounded, 9 with at most (Khánh Hòa Art. 6.4).
        let ninetyFive = Array(strata.prefix(95))
        #expect(try RecheckDraw.draw(strata: ninetyFive, fraction: 0.1, seed: 1).reduce(0) { $0 + $1.drawn.count } == 10)
        #expect(try RecheckDraw.draw(strata: ninetyFive, fraction: 0.1, atMost: true, seed: 1).reduce(0) { $0 + $1.drawn.count } == 9)
        #expect(throws: SamplingError.self) { try RecheckDraw.draw(strata: strata, fraction: 0, seed: 1) }
    }

    /// Seed 002, I.7 and I.9: 2,640/2,667 returned (report: 98,9%), 2,640/2,640 valid; 810/2,640 re-checked (30,7%),
    /// 703 confirmed (86,8%), 103 unreachable, 4 refused.
    @Test func sonLaFunnel() throws {
        let counts = FieldworkCounts(issued: 2667, returned: 2640, recheckContacted: 810, recheckConfirmed: 703,
                                     recheckUnreachable: 103, recheckRefused: 4)
        let (rows, notes) = try FieldworkAccounting.funnel(counts)
        #expect(notes.isEmpty)
        func row(_ key: String) -> FunnelRow? { rows.first { $0.key == key } }
        #expect(row("returned")?.count == 2640)
        #expect(close(row("returned")?.percent, 2640.0 / 2667 * 100, relative: 1e-12))  // 98.99 (the report truncates to 98,9)
        #expect(row("not_returned")?.count == 27)
        #expect(row("valid")?.count == 2640)
        #expect(row("valid")?.percent == 100)
        #expect(close(row("recheck_contacted")?.percent, 30.68, absolute: 0.005))
        #expect(close(row("recheck_confirmed")?.percent, 86.79, absolute: 0.005))
        #expect(close(row("recheck_unreachable")?.percent, 12.72, absolute: 0.005))
        #expect(close(row("recheck_refused")?.percent, 0.49, absolute: 0.005))
        var broken = counts
        broken.recheckRefused = 5
        #expect(try FieldworkAccounting.funnel(broken).notes.count == 1)
    }

    @Test func countsFromOneRowPerForm() throws {
        let counts = try FieldworkAccounting.counts(
            file: "f.csv", returned: ["yes", "no", "có", "1", "0"], returnedColumn: "returned",
            notReturnedReason: ["", "moved", "", "", "moved"],
            excludedReason: ["", "", "filled_by_official", "", ""], excludedColumn: "excluded",
            recheck: ["confirmed", "", "unreachable", "", ""], recheckColumn: "recheck")
        #expect(counts.issued == 5 && counts.returned == 3 && counts.valid == 2)
        #expect(counts.notReturnedReasons == [ReasonCount("moved", 2)])
        #expect(counts.excluded == [ReasonCount("filled_by_official", 1)])
        #expect(counts.recheckContacted == 2 && counts.recheckConfirmed == 1 && counts.recheckUnreachable == 1)
        #expect(throws: SamplingError(file: "f.csv", row: 2, column: "returned",
                                      vi: "cần yes hoặc no (hoặc 1/0, true/false, có/không)", en: "expected yes or no (also 1/0, true/false, có/không)")) {
            try FieldworkAccounting.counts(file: "f.csv", returned: ["yes", "0912 555 777"], returnedColumn: "returned")
        }
    }
}
