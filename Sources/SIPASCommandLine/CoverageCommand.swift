import ArgumentParser
import Foundation
import SIPASSupport
import SIPASEstimation
import SIPASReport
import SIPASSynthetic

/// `sipas coverage`: how often each 95% interval method covers the true index, by simulation
/// (`CoverageStudy` does the work; this command parses, calls and renders).
public struct CoverageCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Simulation study: empirical coverage of the 95% interval methods for unit indices (a benchmark, not a test).",
        discussion: """
            Builds synthetic unit populations (30 communes × 300 residents, the generator's answer model) whose \
            true SIPAS ranges from about 75% to 99.8%, draws many samples (simple random samples of 30-200 \
            respondents, or 6-20 communes then residents), and estimates two criteria (q08, the highest-rated, \
            and q06, the lowest), the factor "procedures", the SIPAS and its share satisfied with each candidate \
            interval: t, wilson, logit and beta (Korn-Graubard), the last two with Satterthwaite's effective \
            degrees of freedom (-satt) and with the design's (-design, as R's svyciprop). For each cell it \
            reports coverage with its Monte Carlo standard error, the mean width and the share of degenerate \
            (zero-width or missing) intervals. Seeded: the same numbers on any number of threads. Run it in a \
            release build: swift run -c release sipas coverage --output docs/coverage.md (text after the line \
            "<!-- findings -->" in an existing output file is kept).
            """)

    @Option(name: .long, help: "Samples per scenario (2,000 gives a Monte Carlo SE of about 0.5 points at 95%).")
    public var simulations = 2000
    @Option(name: .long, help: "Random seed (printed).") public var seed: UInt64 = 2024
    @Option(name: .shortAndLong, help: "Write the Markdown tables here (a JSON copy goes next to it).") public var output: String?

    public init() {}

    public func validate() throws {
        try OptionCheck.count(simulations, "--simulations", from: 1, to: 100_000)
    }

    static let findingsMarker = "<!-- findings -->"

    public func run() throws {
        let started = Date()
        let scenarios = CoverageStudy.defaultScenarios
        let result = try CoverageStudy.run(simulations: simulations, seed: seed) { done in
            FileHandle.standardError.write("scenario \(done)/\(scenarios.count) done\n".data(using: .utf8)!)
        }
        let elapsed = Date().timeIntervalSince(started)
        FileHandle.standardError.write("coverage study took \(String(format: "%.0f", elapsed)) s\n".data(using: .utf8)!)
        var markdown = Self.markdown(result)
        if let output {
            if let existing = try? String(contentsOfFile: output, encoding: .utf8), let range = existing.range(of: Self.findingsMarker) {
                markdown += "\n" + existing[range.lowerBound...]
            }
            try OutputFile.write(markdown, to: output)
            try OutputFile.write(Self.json(result).serialized(indent: 1) + "\n",
                                 to: output.replacingOccurrences(of: ".md", with: "") + ".json")
        }
        emit(Self.markdown(result))
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f", x * 100) }

    static func markdown(_ result: CoverageStudy.Result) -> String {
        let names = result.candidates.map(\.name)
        var text = "# Coverage of the 95% interval methods\n\n"
        text += "Produced by `sipas coverage --simulations \(result.simulations) --seed \(result.seed)`. "
        text += "Each cell: percent of \(result.simulations) samples whose 95% interval contained the true value ± its Monte Carlo SE "
        text += "(√(p(1−p)/R)), then the mean width in points of the non-degenerate intervals; `d` gives the share of degenerate "
        text += "(zero-width or missing) intervals when there are any. Target: 94–96 in every cell with n ≥ 30 and design df ≥ 5 "
        text += "(all cells here). Candidates: `t` (design df), `wilson` (normal quantile, effective n), `wilson-kg` (the same with "
        text += "Korn–Graubard's df correction of the effective n, n·(t(n−1)/t(df))²: Dean & Pagano's modified Wilson), `logit-satt` and "
        text += "`beta-satt` (Satterthwaite's effective df: today's `logit` and `beta`), `logit-design` and `beta-design` (the "
        text += "design's df, as R's svyciprop).\n\n"
        text += "## Summary over all cells\n\n"
        text += "Per candidate: cells with coverage in 94–96 / cells, lowest–highest coverage, mean width.\n\n"
        let groups: [(String, [CoverageStudy.Target])] = [("criteria (q08, q06)", [.q08, .q06]), ("composites (factor, SIPAS)", [.factor, .sipas]),
                                                          ("share satisfied", [.share])]
        text += "| candidate | " + groups.map(\.0).joined(separator: " | ") + " |\n|---|" + groups.map { _ in "---" }.joined(separator: "|") + "|\n"
        let summaries = groups.map { CoverageStudy.summary(result, targets: $0.1) }
        for (c, name) in names.enumerated() {
            text += "| \(name) | " + summaries.map { s in
                let x = s[c]
                return "\(x.withinTarget)/\(x.cells), \(percent(x.lowest))–\(percent(x.highest)), w \(String(format: "%.2f", x.meanWidth))"
            }.joined(separator: " | ") + " |\n"
        }
        let titles: [CoverageStudy.Target: String] = [
            .q08: "Criterion q08 (highest-rated, nearest the ceiling)", .q06: "Criterion q06 (lowest-rated)",
            .factor: "Factor “procedures” (q04–q07)", .sipas: "SIPAS", .share: "Share satisfied (SIPAS, answers 4–5)"]
        for target in CoverageStudy.Target.allCases {
            text += "\n## \(titles[target]!)\n\n"
            text += "| true | design | n | df | " + names.joined(separator: " | ") + " |\n|---|---|---|---|" + names.map { _ in "---" }.joined(separator: "|") + "|\n"
            for cell in result.cells where cell.target == target {
                let s = cell.scenario
                text += "| \(String(format: "%.2f", cell.truth)) | \(s.designLabel) | \(s.n) | \(s.designDegreesOfFreedom) | "
                text += cell.tallies.map { t in
                    var entry = "\(percent(t.coverage)) ±\(percent(t.monteCarloStandardError)) · \(String(format: "%.2f", t.meanWidth))"
                    if t.degenerate > 0 { entry += " · d \(percent(t.degenerateShare))" }
                    return entry
                }.joined(separator: " | ") + " |\n"
            }
        }
        return text
    }

    static func json(_ result: CoverageStudy.Result) -> JSONValue {
        .object([
            ("simulations", .integer(result.simulations)), ("seed", .string(String(result.seed))),
            ("candidates", .array(result.candidates.map { .object([("name", .string($0.name)), ("method", .string($0.method.rawValue)),
                                                                   ("degrees_of_freedom", .string($0.degreesOfFreedom.rawValue)),
                                                                   ("wilson_correction", .bool($0.wilsonCorrection))]) })),
            ("cells", .array(result.cells.map { cell in
                .object([("target", .string(cell.target.rawValue)), ("truth", .number(cell.truth)),
                         ("quality", .number(cell.scenario.quality)), ("design", .string(cell.scenario.designLabel)),
                         ("n", .integer(cell.scenario.n)), ("design_df", .integer(cell.scenario.designDegreesOfFreedom)),
                         ("candidates", .object(zip(result.candidates, cell.tallies).map { candidate, t in
                             (candidate.name, .object([("coverage", .number(t.coverage)), ("monte_carlo_se", .number(t.monteCarloStandardError)),
                                                       ("mean_width", .number(t.meanWidth)), ("degenerate", .integer(t.degenerate))]))
                         }))])
            })),
        ])
    }
}
