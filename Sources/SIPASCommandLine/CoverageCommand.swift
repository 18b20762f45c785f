import ArgumentParser
import Foundation
import SIPASSupport
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
        var markdown = result.markdown()
        if let output {
            if let existing = try? String(contentsOfFile: output, encoding: .utf8), let range = existing.range(of: Self.findingsMarker) {
                markdown += "\n" + existing[range.lowerBound...]
            }
            try OutputFile.write(markdown, to: output)
            try OutputFile.write(result.json.serialized(indent: 1) + "\n",
                                 to: output.replacingOccurrences(of: ".md", with: "") + ".json")
        }
        emit(result.markdown())
    }
}
