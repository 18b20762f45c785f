import Foundation
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASSupport

/// A simulation study of the 95% interval methods: how often each covers the true index of a synthetic unit,
/// how wide it is, and how often it degenerates, for criteria, a factor, the SIPAS and the share satisfied.
///
/// Each scenario is one population (`SyntheticPopulation`, 30 communes × 300 residents) and one sample
/// design (simple random sampling of residents, or of communes and then residents, both without replacement and
/// analysed with their finite-population corrections); each replicate draws a sample, runs `IndexAnalysis` once per candidate and checks the intervals
/// against the population's own indices. Every scenario draws from its own `RandomSource` stream
/// ([11, scenario]), so the numbers do not depend on the number of threads.
public enum CoverageStudy {
    /// An interval as the study compares it: a method and the degrees of freedom of its quantile.
    public struct Candidate: Sendable, Equatable {
        public var name: String
        public var method: AnalyticIntervalMethod
        public var degreesOfFreedom: IntervalDegreesOfFreedom
        /// Wilson only: Korn–Graubard's df correction of the effective n (`IndexOptions.wilsonDegreesOfFreedomCorrection`).
        public var wilsonCorrection: Bool
        public init(name: String, method: AnalyticIntervalMethod, degreesOfFreedom: IntervalDegreesOfFreedom, wilsonCorrection: Bool = false) {
            self.name = name; self.method = method; self.degreesOfFreedom = degreesOfFreedom; self.wilsonCorrection = wilsonCorrection
        }

        /// t with the design df; Wilson (normal quantile), plain and with Korn–Graubard's df correction of the
        /// effective n (Dean & Pagano 2015's modified Wilson); logit and Korn–Graubard each with Satterthwaite's
        /// effective df (today's) and with the design's df (R svyciprop).
        public static let all: [Candidate] = [
            Candidate(name: "t", method: .t, degreesOfFreedom: .design),
            Candidate(name: "wilson", method: .wilson, degreesOfFreedom: .design),
            Candidate(name: "wilson-kg", method: .wilson, degreesOfFreedom: .design, wilsonCorrection: true),
            Candidate(name: "logit-satt", method: .logit, degreesOfFreedom: .satterthwaite),
            Candidate(name: "logit-design", method: .logit, degreesOfFreedom: .design),
            Candidate(name: "beta-satt", method: .beta, degreesOfFreedom: .satterthwaite),
            Candidate(name: "beta-design", method: .beta, degreesOfFreedom: .design),
        ]
    }

    /// What is estimated and checked.
    public enum Target: String, Sendable, CaseIterable {
        /// Criterion q08, the highest-rated item (nearest the ceiling).
        case q08
        /// Criterion q06, the lowest-rated item.
        case q06
        /// The factor "procedures" (q04–q07).
        case factor
        /// The unit SIPAS.
        case sipas
        /// The SIPAS's share satisfied (mean over criteria of the share answering 4–5).
        case share
    }

    public struct Scenario: Sendable, Equatable {
        /// The population's latent quality (see `SyntheticPopulation`).
        public var quality: Double
        /// nil: a simple random sample of `perCommune` respondents analysed without a design.
        public var communes: Int?
        public var perCommune: Int
        public init(quality: Double, communes: Int?, perCommune: Int) {
            self.quality = quality; self.communes = communes; self.perCommune = perCommune
        }
        public var n: Int { (communes ?? 1) * perCommune }
        /// The design's degrees of freedom: communes − 1, or respondents − 1 (before item nonresponse).
        public var designDegreesOfFreedom: Int { (communes ?? n) - 1 }
        public var designLabel: String { communes.map { "\($0) communes × \(perCommune)" } ?? "SRS" }

        /// The design a sample is analysed with. Samples are drawn without replacement from a finite population
        /// whose own indices are the truth, so the design carries the population sizes: the residents of the
        /// population (SRS), or the communes of the population and the residents of a commune (two stages,
        /// communes then residents, as R's svydesign(id = ~commune + person, fpc = ~N1 + N2)).
        public var design: DesignSpecification {
            communes == nil ? DesignSpecification(fpc: ["N"]) : DesignSpecification(clusters: ["commune", "person"], fpc: ["N1", "N2"])
        }

        /// The columns `design` reads, for a sample whose respondents live in `communes`.
        public func designColumns(communes labels: [String], population: SyntheticPopulation) -> [(String, [String])] {
            let count = labels.count
            func repeated(_ value: Int) -> [String] { Array(repeating: String(value), count: count) }
            guard communes != nil else { return [("commune", labels), ("N", repeated(population.communes * population.residentsPerCommune))] }
            return [("commune", labels), ("person", (0..<count).map { String($0) }),
                    ("N1", repeated(population.communes)), ("N2", repeated(population.residentsPerCommune))]
        }
    }

    /// Counts for one candidate in one cell.
    public struct Tally: Sendable, Equatable {
        public var replicates = 0
        public var covered = 0
        /// Intervals of zero width (a point mass) or missing.
        public var degenerate = 0
        public var widthSum = 0.0
        public var coverage: Double { replicates > 0 ? Double(covered) / Double(replicates) : .nan }
        /// Monte Carlo standard error of the coverage, √(p(1 − p)/R).
        public var monteCarloStandardError: Double { (coverage * (1 - coverage) / Double(replicates)).squareRoot() }
        public var meanWidth: Double { widthSum / Double(max(1, replicates - degenerate)) }
        public var degenerateShare: Double { Double(degenerate) / Double(max(1, replicates)) }
    }

    /// One scenario × target: the true value and a tally per candidate (in `Candidate.all`'s order).
    public struct Cell: Sendable {
        public var scenario: Scenario
        public var target: Target
        public var truth: Double
        public var tallies: [Tally]
    }

    public struct Result: Sendable {
        public var simulations: Int
        public var seed: UInt64
        public var candidates: [Candidate]
        public var cells: [Cell]
    }

    /// The default grid: true SIPAS from about 75% to 99.8%; SRS of 30, 60, 120 and 200; 6 communes × 5 and
    /// × 10, 10 × 12 and 20 × 6 (design df 5, 5, 9, 19).
    public static let defaultScenarios: [Scenario] = {
        var scenarios: [Scenario] = []
        for quality in [-0.8, 0.0, 0.9, 1.45, 2.0] {
            for n in [30, 60, 120, 200] { scenarios.append(Scenario(quality: quality, communes: nil, perCommune: n)) }
            for (communes, perCommune) in [(6, 5), (6, 10), (10, 12), (20, 6)] {
                scenarios.append(Scenario(quality: quality, communes: communes, perCommune: perCommune))
            }
        }
        return scenarios
    }()

    /// Runs the study, scenarios on up to `threads` threads (the numbers do not depend on it); `progress` is called
    /// after each scenario (from any thread) with the number done.
    public static func run(scenarios: [Scenario] = defaultScenarios, candidates: [Candidate] = Candidate.all,
                           simulations: Int, seed: UInt64, threads: Int = Execution.defaultThreads,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> Result {
        let instrument = try InstrumentPreset.named("khanhhoa-admin")!
        let items = instrument.criteria.map(\.id)
        let factorItems = instrument.contents.flatMap(\.factors).first { $0.id == "procedures" }?.criteria.map(\.id) ?? ["q04", "q05", "q06", "q07"]
        let done = Counter()
        let perScenario: [[Cell]] = try Array(scenarios.enumerated()).parallelMap(threads: threads) { index, scenario in
            let population = SyntheticPopulation(quality: scenario.quality, seed: seed)
            let truth: [Target: Double] = {
                let indices = population.trueCriterionIndices
                func position(_ id: String) -> Int { items.firstIndex(of: id)! }
                let share = population.answers.map { column in Double(column.filter { $0 >= 4 }.count) / Double(column.count) * 100 }
                return [.q08: indices[position("q08")], .q06: indices[position("q06")],
                        .factor: factorItems.map { indices[position($0)] }.reduce(0, +) / Double(factorItems.count),
                        .sipas: population.trueSIPAS, .share: share.reduce(0, +) / Double(share.count)]
            }()
            var tallies = [Target: [Tally]]()
            for target in Target.allCases { tallies[target] = Array(repeating: Tally(), count: candidates.count) }
            var rng = RandomSource(seed: seed, stream: [11, UInt64(index)])
            for _ in 0..<simulations {
                var answers: [[Int?]]
                var communes: [String]
                if let sampled = scenario.communes {
                    (answers, communes) = population.sample(communes: sampled, perCommune: scenario.perCommune, rng: &rng)
                } else {
                    answers = population.sampleRespondents(scenario.perCommune, rng: &rng)
                    communes = Array(repeating: "all", count: scenario.perCommune)
                }
                var columns: [String: [Int?]] = [:]
                for (j, item) in items.enumerated() { columns[item] = answers[j] }
                let table = try ResponseTable(source: "simulation", instrument: instrument, answers: columns,
                                              metadata: scenario.designColumns(communes: communes, population: population))
                let design = scenario.design
                for (c, candidate) in candidates.enumerated() {
                    var options = IndexOptions(intervalMethod: candidate.method.method, design: design, smallSample: 0)
                    options.intervalDegreesOfFreedom = candidate.degreesOfFreedom
                    options.wilsonDegreesOfFreedomCorrection = candidate.wilsonCorrection
                    options.execution.threads = 1  // the scenarios already use the threads
                    let estimates = try IndexAnalysis.run(table: table, options: options).estimates
                    func estimate(_ target: Target) -> PercentEstimate? {
                        switch target {
                        case .q08: return estimates.first { $0.id == "q08" }?.index
                        case .q06: return estimates.first { $0.id == "q06" }?.index
                        case .factor: return estimates.first { $0.kind == .factor && $0.id == "procedures" }?.index
                        case .sipas: return estimates.first { $0.kind == .overall }?.index
                        case .share: return estimates.first { $0.kind == .overall }?.shareSatisfied
                        }
                    }
                    for target in Target.allCases {
                        var tally = tallies[target]![c]
                        tally.replicates += 1
                        if let value = estimate(target), let lower = value.lower, let upper = value.upper {
                            if lower <= truth[target]! && truth[target]! <= upper { tally.covered += 1 }
                            if upper - lower < 1e-9 { tally.degenerate += 1 } else { tally.widthSum += upper - lower }
                        } else {
                            tally.degenerate += 1
                        }
                        tallies[target]![c] = tally
                    }
                }
            }
            progress?(done.increment())
            return Target.allCases.map { Cell(scenario: scenario, target: $0, truth: truth[$0]!, tallies: tallies[$0]!) }
        }
        return Result(simulations: simulations, seed: seed, candidates: candidates, cells: perScenario.flatMap { $0 })
    }

    /// Per candidate over the cells with n ≥ 30 and design df ≥ 5 (optionally of some targets only): how many
    /// cells have coverage within 94–96%, the lowest and highest coverage, and the mean width.
    public struct Summary: Sendable {
        public var candidate: Candidate
        public var cells: Int
        public var withinTarget: Int
        public var lowest: Double
        public var highest: Double
        public var meanWidth: Double
    }

    public static func summary(_ result: Result, targets: [Target]) -> [Summary] {
        let cells = result.cells.filter { targets.contains($0.target) && $0.scenario.n >= 30 && $0.scenario.designDegreesOfFreedom >= 5 }
        return result.candidates.enumerated().map { c, candidate in
            let coverages = cells.map { $0.tallies[c].coverage }
            return Summary(candidate: candidate, cells: cells.count,
                           withinTarget: coverages.filter { $0 >= 0.94 && $0 <= 0.96 }.count,
                           lowest: coverages.min() ?? .nan, highest: coverages.max() ?? .nan,
                           meanWidth: cells.map { $0.tallies[c].meanWidth }.reduce(0, +) / Double(max(1, cells.count)))
        }
    }
}

