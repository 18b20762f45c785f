import Foundation
import SIPASSynthetic

/// Renders the interval coverage study (`sipas coverage`).
extension CoverageStudy.Result {
    private static func percent(_ x: Double) -> String { String(format: "%.1f", x * 100) }

    /// The study as Markdown: a summary per candidate and group of targets, then one table per target
    /// (docs/coverage.md).
    public func markdown() -> String {
        let result = self
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
                return "\(x.withinTarget)/\(x.cells), \(Self.percent(x.lowest))–\(Self.percent(x.highest)), w \(String(format: "%.2f", x.meanWidth))"
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
                    var entry = "\(Self.percent(t.coverage)) ±\(Self.percent(t.monteCarloStandardError)) · \(String(format: "%.2f", t.meanWidth))"
                    if t.degenerate > 0 { entry += " · d \(Self.percent(t.degenerateShare))" }
                    return entry
                }.joined(separator: " | ") + " |\n"
            }
        }
        return text
    }

    /// The study's numbers as JSON (docs/coverage.json).
    public var json: JSONValue {
        let result = self
        return .object([
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
