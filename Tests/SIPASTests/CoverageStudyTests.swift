import Foundation
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASSynthetic
import Testing
import SIPASSupport

@Suite("Coverage study and the bounded intervals' degrees of freedom")
struct CoverageStudyTests {
    /// A unit like U13's q04 on the bundled data: 40 respondents, 39 answers of 5 and one 3, no design (df 39).
    /// Index = (39·5 + 3)/40/5·100 = 99.0, SE = 1.0 (sample variance of the scores 0.1, /40, ×20²).
    ///
    /// Korn–Graubard by hand, on θ = (99 − 20)/80 = 0.9875 with Var θ = (1/80)²: n = θ(1−θ)/Var θ = 79.0, the
    /// df correction (t(39)/t(39))² = 1, x = nθ = 78.0125; lower = qbeta(0.025, x, n − x + 1) = 0.931743,
    /// upper = qbeta(0.975, x + 1, n − x) = 0.999696, so [20 + 80·lower, 20 + 80·upper] = [94.5394; 99.9757]
    /// (scipy 1.17 `beta.ppf`; R: svyciprop(method = "beta") with df = 39).
    @Test("U13-q04-like: design-df Korn–Graubard gives [94.54; 99.98]; Satterthwaite's df widens it")
    func nearCeilingCriterionWithDesignDegreesOfFreedom() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let answers: [Int?] = Array(repeating: 5, count: 39) + [3]
        var columns: [String: [Int?]] = [:]
        for item in instrument.criteria { columns[item.id] = answers }
        let table = try ResponseTable(source: "code", instrument: instrument, answers: columns)
        var options = IndexOptions(intervalMethod: .beta)
        options.intervalDegreesOfFreedom = .design
        let design = try IndexAnalysis.run(table: table, options: options)
        let q04 = try #require(design.estimates.first { $0.id == "q04" }).index
        #expect(close(q04.estimate, 99.0, absolute: 1e-10))
        #expect(close(q04.standardError, 1.0, absolute: 1e-10))
        #expect(q04.degreesOfFreedom == 39)
        #expect(q04.effectiveDegreesOfFreedom == nil)
        #expect(close(q04.lower, 94.539434, absolute: 1e-4))
        #expect(close(q04.upper, 99.975680, absolute: 1e-4))
        #expect(q04.lower! < q04.estimate! && q04.estimate! < q04.upper!)

        options.intervalDegreesOfFreedom = .satterthwaite
        let satterthwaite = try #require(try IndexAnalysis.run(table: table, options: options).estimates.first { $0.id == "q04" }).index
        #expect(satterthwaite.effectiveDegreesOfFreedom.map { $0 < 39 } == true)
        #expect(satterthwaite.lower! < q04.lower!)
    }

    @Test("the coverage study is seeded per scenario: the same tallies on one thread and on two")
    func coverageStudyIsDeterministic() throws {
        let scenarios = [CoverageStudy.Scenario(quality: 1.45, communes: 6, perCommune: 5),
                         CoverageStudy.Scenario(quality: 0.0, communes: nil, perCommune: 30)]
        let one = try CoverageStudy.run(scenarios: scenarios, simulations: 4, seed: 7, threads: 1)
        let two = try CoverageStudy.run(scenarios: scenarios, simulations: 4, seed: 7, threads: 2)
        #expect(one.cells.count == scenarios.count * CoverageStudy.Target.allCases.count)
        #expect(one.cells.map(\.tallies) == two.cells.map(\.tallies))
        for cell in one.cells {
            #expect(cell.tallies.count == CoverageStudy.Candidate.all.count)
            for tally in cell.tallies {
                #expect(tally.replicates == 4 && tally.covered <= 4 && tally.degenerate <= 4)
            }
        }
        #expect(one.cells[0].scenario.designDegreesOfFreedom == 5 && one.cells.last!.scenario.designDegreesOfFreedom == 29)
    }

    @Test("the study analyses each sample with the finite-population corrections of how it was drawn")
    func coverageStudyUsesFPC() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let population = SyntheticPopulation(quality: 1.45, seed: 3)
        var rng = RandomSource(seed: 3, stream: [1])
        func standardErrors(_ scenario: CoverageStudy.Scenario) throws -> (fpc: Double, none: Double) {
            var columns: [String: [Int?]] = [:]
            let communes: [String]
            if let sampled = scenario.communes {
                let (answers, labels) = population.sample(communes: sampled, perCommune: scenario.perCommune, rng: &rng)
                for (j, item) in instrument.criteria.map(\.id).enumerated() { columns[item] = answers[j] }
                communes = labels
            } else {
                let answers = population.sampleRespondents(scenario.perCommune, rng: &rng)
                for (j, item) in instrument.criteria.map(\.id).enumerated() { columns[item] = answers[j] }
                communes = Array(repeating: "all", count: scenario.perCommune)
            }
            let table = try ResponseTable(source: "t", instrument: instrument, answers: columns,
                                          metadata: scenario.designColumns(communes: communes, population: population))
            var without = scenario.design
            without.fpc = []
            func se(_ design: DesignSpecification) throws -> Double {
                let estimates = try IndexAnalysis.run(table: table, options: IndexOptions(intervalMethod: .t, design: design)).estimates
                return try #require(estimates.first { $0.id == "q08" }?.index.standardError)
            }
            return (try se(scenario.design), try se(without))
        }
        // SRS of 200 of the 9,000 residents: the SE shrinks by √(1 − 200/9000) (to 1e-4: without a design the
        // variance's n/(n − 1) counts the residents who answered q08, with one it counts the sample).
        let srs = CoverageStudy.Scenario(quality: 1.45, communes: nil, perCommune: 200)
        #expect(srs.design.fpc == ["N"])
        let simple = try standardErrors(srs)
        #expect(close(simple.fpc / simple.none, (1 - 200.0 / 9000).squareRoot(), relative: 1e-4))
        // 20 of the 30 communes, 6 of 300 residents in each: the variance becomes (1 − f1)·s1²/n1 plus the second
        // stage's f1·(1 − f2)·s2²/(n1·m), no longer s1²/n1 alone (in one sample either may be the larger).
        let clustered = CoverageStudy.Scenario(quality: 1.45, communes: 20, perCommune: 6)
        #expect(clustered.design.clusters == ["commune", "person"] && clustered.design.fpc == ["N1", "N2"])
        let twoStage = try standardErrors(clustered)
        let ratio = twoStage.fpc / twoStage.none
        #expect(ratio > (1 - 20.0 / 30).squareRoot() && abs(ratio - 1) > 0.01, "SE ratio \(ratio)")
    }
}
