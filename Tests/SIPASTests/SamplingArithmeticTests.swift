import Foundation
import SIPASCommandLine
import SIPASDesign
import SIPASSampling
import Testing
import SIPASSupport

/// Extreme sizes and counts end in a `SamplingError` with a sentence, never in a trap (Double → Int conversion or
/// Int overflow): these inputs used to end the process.
@Suite("Sampling: arithmetic never traps")
struct SamplingArithmeticTests {
    static func message(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    @Test(arguments: [
        (15.0, 1e-9, 1.0, "a margin of ±1e-09 with SD 15 and design effect 1"),
        (1e300, 2, 1, "a margin of ±2 with SD 1e+300 and design effect 1"),
        (15, 2, 1e300, "a margin of ±2 with SD 15 and design effect 1e+300"),
        (15, 2, SampleSize.designEffect(intraclassCorrelation: 0.05, clusterSize: 1e300), "design effect 5e+298"),
    ])
    func sampleSizeBeyondAnyUsableNumberOfForms(sd: Double, margin: Double, deff: Double, named: String) throws {
        let message = Self.message { try SampleSize.required(standardDeviation: sd, margin: margin, designEffect: deff) }
        let text = try #require(message, "SD \(sd), margin \(margin), deff \(deff) gave an answer")
        #expect(text.contains(named), "\(text)")
        #expect(text.contains("the margin is too small for the SD"), "\(text)")
        // With a huge N the correction does not help either.
        #expect(throws: SamplingError.self) {
            try SampleSize.required(standardDeviation: sd, margin: margin, population: .max, designEffect: deff)
        }
    }

    /// The command ends in an error (never a trap) for the options of the issue.
    @Test(arguments: [["--margin", "1e-9", "--sd", "15"], ["--margin", "2", "--sd", "1e300"],
                      ["--margin", "2", "--sd", "15", "--deff", "1e300"],
                      ["--margin", "2", "--sd", "15", "--icc", "0.05", "--cluster-size", "1e300"],
                      ["--margin", "1e-9", "--sd", "15", "--population", "9223372036854775807"]])
    func sampleSizeCommand(arguments: [String]) {
        #expect(throws: (any Error).self) { try SampleSizeCommand.parse(arguments).render() }
    }

    @Test func sampleSizeLibraryThrowsSamplingError() throws {
        #expect(throws: SamplingError.self) { try SampleSize.required(standardDeviation: 15, margin: 1e-9) }
        #expect(throws: SamplingError.self) { try SampleSize.required(standardDeviation: 15, margin: 2, designEffect: .infinity) }
        // With N the correction keeps n ≤ N: a tiny margin asks for everyone (a census), which is a usable answer.
        #expect(try SampleSize.required(standardDeviation: 15, margin: 1e-9, population: 1500).required == 1500)
        // The margin n forms buy must be a finite number.
        #expect(throws: SamplingError.self) {
            try SampleSize.margin(sampleSize: 1, standardDeviation: 1e308, designEffect: 1e308)
        }
    }

    @Test func yamaneOnAHugePopulation() throws {
        // N/(1 + N·e²) ≈ N when e is tiny: more forms than any survey can hold (the command used to trap).
        #expect(throws: (any Error).self) {
            try SampleSizeCommand.parse(["--margin", "2", "--sd", "15", "--population", "9223372036854775807",
                                         "--yamane-e", "1e-300"]).render()
        }
        // The largest N the option takes still works: Yamane 10⁹/(1 + 10⁹·0.05²) = 399.99984 → 400.
        let text = try SampleSizeCommand.parse(["--margin", "2", "--sd", "15", "--population", "1000000000",
                                                "--lang", "en"]).render()
        #expect(text.contains("forms needed: 217") && text.contains(" 400 "))
    }

    @Test func allocationWithHugeSizes() throws {
        // Σ Nₕ overflows an Int.
        #expect(throws: SamplingError.self) { try Apportionment.proportional(total: 10, sizes: [.max, 1]) }
        // A total beyond any usable number of forms.
        #expect(throws: SamplingError.self) {
            try Apportionment.largestRemainder(total: .max, weights: [1], capacities: [.max])
        }
        // Weights whose sum is beyond the largest Double (the quotas were NaN).
        #expect(throws: SamplingError.self) { try Apportionment.largestRemainder(total: 10, weights: [1.5e308, 1.5e308]) }
        #expect(throws: SamplingError.self) {
            try Apportionment.neyman(total: 10, sizes: [.max / 2, .max / 2], standardDeviations: [1e300, 1e300])
        }
        // One weight near the largest Double: the quota product overflowed to infinity.
        #expect(try Apportionment.largestRemainder(total: 100_000_000, weights: [1e301, 0]) == [100_000_000, 0])
    }

    @Test func allocationRulesWithHugeCounts() throws {
        let communes = """
            id: big
            title: big
            source: test
            districts:
              classes:
                - name: I
                  forms: 1
                  fields: [{field: a, forms: 1}]
            communes:
              perDistrict: 9223372036854775807
              formsPerCommune: 2
              quotas: [{group: seat, count: 1}]
            """
        let rules = try AllocationRules.decode(communes, source: "big.yaml")
        #expect(throws: SamplingError.self) { try rules.allocate([PlanUnit(level: "district", unit: "Mai Sơn", unitClass: "I")]) }
        let households = """
            id: big
            title: big
            source: test
            multistage:
              communesPerDistrict: 3
              villagesPerCommune: 3
              householdsPerVillage: 9223372036854775807
              administrativeCentreByDefault: true
            """
        let multistage = try AllocationRules.decode(households, source: "big.yaml")
        #expect(throws: SamplingError.self) { try multistage.allocate([PlanUnit(level: "district", unit: "Mai Sơn")]) }
        // The totals by level add forms of many units.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.file("rules.yaml", """
            id: big
            title: big
            source: test
            districts:
              classes:
                - name: I
                  forms: 1
                  fields: [{field: a, forms: 5000000000000000000}]
                  members: [Mai Sơn, Yên Châu]
            """ + "\n")
        let message = Self.message { try SampleAllocateCommand.parse(["--rules", file]).render() }
        #expect(message?.contains("district") == true, "\(message ?? "no error")")
    }

    @Test func reserveOfAHugeAllocation() throws {
        #expect(SystematicSelection.reserveSize(allocated: .max, fraction: 1) == .max)
        #expect(SystematicSelection.reserveSize(allocated: .max) == 4_611_686_018_427_387_904)
        // The command used to trap here; a range check on --n may refuse it instead, which is fine too.
        if let text = try? SampleSelectCommand.parse([SamplingCommandTests.fixture("frame.csv"), "--n", "9223372036854775807",
                                                      "--group-by", "unit", "--reserve-fraction", "1"]).render() {
            #expect(text.contains("census"))
        }
    }

    @Test func ppsWithHugeSizes() throws {
        // Sizes adding up past the largest Double drew nothing (the interval was infinite): now an error.
        var random = RandomSource(seed: 1)
        #expect(throws: SamplingError.self) {
            try UnitSelector.select(listSize: 3, count: 1, method: .pps, sizes: [1e308, 1e308, 1e308], random: &random)
        }
    }

    @Test(arguments: [
        // Beyond the option's range: refused where options are parsed, naming the option.
        (["--contacted", "10", "--confirmed", "9223372036854775807", "--unreachable", "1"], ["--confirmed", "1.000.000.000"]),
        (["--contacted", "10", "--confirmed", "11"], ["--confirmed", "--contacted"]),
        (["--contacted", "10", "--confirmed", "6", "--refused", "5"], ["--refused", "--contacted"]),
        (["--contacted", "91"], ["--contacted", "--returned-count"]),
        (["--excluded", "91"], ["--excluded", "--returned-count"]),
        (["--excluded=-1"], ["--excluded"]),
    ])
    func accountingCountsBeyondTheirParent(extra: [String], named: [String]) throws {
        let message = Self.message {
            try SampleAccountingCommand.parse(["--issued", "100", "--returned-count", "90"] + extra).render()
        }
        let text = try #require(message, "\(extra) gave a table")
        for option in named { #expect(text.contains(option), "\(text)") }
    }

    @Test func countsCheckedAgainstTheirParents() throws {
        #expect(throws: SamplingError(vi: "phiếu thu về (3) nhiều hơn phiếu phát ra (2): số phiếu thu về nhiều hơn số phiếu phát ra",
                                      en: "forms returned (3) is more than forms issued (2): more forms returned than issued")) {
            try FieldworkCounts(issued: 2, returned: 3).checkParts()
        }
        #expect(throws: SamplingError.self) {
            try FieldworkCounts(issued: 9, returned: 9, excluded: [ReasonCount("a", .max), ReasonCount("b", 1)]).checkParts()
        }
        #expect(throws: SamplingError.self) {
            try FieldworkAccounting.funnel(FieldworkCounts(issued: 9, returned: 9, recheckContacted: 1, recheckConfirmed: .max,
                                                           recheckUnreachable: .max))
        }
        try FieldworkCounts(issued: 2667, returned: 2640, recheckContacted: 810, recheckConfirmed: 703, recheckUnreachable: 103,
                            recheckRefused: 4).checkParts()
    }

    @Test func accountingReturnedBeyondIssued() throws {
        for arguments in [["--issued", "100", "--returned-count", "101"], ["--issued=-9223372036854775808", "--returned-count", "1"]] {
            let message = Self.message { try SampleAccountingCommand.parse(arguments).render() }
            let text = try #require(message, "\(arguments) gave a table")
            #expect(text.contains("--issued"), "\(text)")
        }
        #expect(Self.message { try SampleAccountingCommand.parse(["--issued", "100", "--returned-count", "101"]).render() }
                == "--returned-count (101) is more than --issued (100): more forms returned than issued")
        // Counts at the top of the range that fit their parents are a table.
        let text = try SampleAccountingCommand.parse(["--issued", "1000000000", "--returned-count", "1000000000",
                                                      "--contacted", "1000000000",
                                                      "--confirmed", "1000000000", "--lang", "en"]).render()
        #expect(text.contains("1,000,000,000"))
    }
}
