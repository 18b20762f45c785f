import ArgumentParser
import Foundation
import SIPASReport
import SIPASSampling
import SIPASSupport

/// `sipas sample`: plan a survey (size, allocation), draw the lists (main, reserve, re-check) and account for
/// the fieldwork. See docs/sampling.md.
public struct SampleCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sampling and fieldwork: sample size, allocation, systematic selection, reserves, re-checks, accounting.",
        discussion: """
            Frames (lists of people or units) are CSV files. Names, addresses and phone numbers in a frame go only \
            into the list files you ask for with --output / --reserve-output; summaries and messages never show them. \
            Every random draw comes from the seeded xoshiro256** stream (--seed, default 2024); the seed is printed.

            Examples:
              sipas sample size --margin 2 --sd 15 --population 1500 --deff 1.5
              sipas sample allocate --rules sonla-2024
              sipas sample select frame.csv --group-by unit,field --allocation alloc.csv --sort-by name --output sample.csv
              sipas sample recheck returned.csv --fraction 0.2 --by enumerator --output recheck.csv
              sipas sample accounting outcomes.csv
            """,
        subcommands: [SampleSizeCommand.self, SampleAllocateCommand.self, SampleSelectCommand.self,
                      SampleReserveCommand.self, SampleRecheckCommand.self, SampleAccountingCommand.self])

    public init() {}
}

// MARK: - size

/// `sipas sample size`: forms needed for a margin of error, beside the rules of thumb and what each buys.
public struct SampleSizeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "size",
        abstract: "Sample size for a margin of error of an index (or a share) at 95% confidence, with FPC and design effect.",
        discussion: """
            n₀ = (z·SD/e)², n′ = n₀·deff, n = n′/(1 + (n′ − 1)/N), rounded up. SD and margin are in index points \
            (0–100; an index is score/5 × 100) or, with --proportion, in percentage points. Beside it: Yamane \
            n = N/(1 + N·e²) and the Huế schedule (seed 003, II.3), each with the margin it buys under the same SD \
            and design effect.

            Examples:
              sipas sample size --margin 2 --sd 15 --population 1500
              sipas sample size --margin 3 --pilot pilot.csv --column q05 --icc 0.05 --cluster-size 30
              sipas sample size --margin 5 --proportion 0.5 --population 2640 --transactions 2640 --compare 60,100
            """)

    @Option(name: .long, help: "Target margin of error e (half-width of the 95% interval), in index or percentage points.")
    public var margin: Double

    @Option(name: .long, help: "Assumed SD of the index in index points (an SD of 0.75 on a 1–5 scale is 15).")
    public var sd: Double?

    @Option(name: .long, help: "Pilot data: a CSV whose --column holds scores; its SD (n − 1) is used.")
    public var pilot: String?

    @Option(name: .long, help: "The pilot column.")
    public var column: String?

    @Option(name: .long, help: "Top of the pilot's score scale (5 for Likert 1–5; 100 if the column is already an index).")
    public var scaleMax: Double = 5

    @Option(name: .long, help: "Plan for a share p (0–1) instead of an index; SD = 100·√(p(1 − p)).")
    public var proportion: Double?

    @Option(name: .long, help: "Population N for the finite-population correction (default: --transactions, if given).")
    public var population: Int?

    @Option(name: .long, help: "Design effect (≥ 1).")
    public var deff: Double?

    @Option(name: .long, help: "Intraclass correlation; with --cluster-size gives deff = 1 + (m − 1)·ICC.")
    public var icc: Double?

    @Option(name: .long, help: "Average cluster size m (e.g. 30 households per village).")
    public var clusterSize: Double?

    @Option(name: .long, help: "Confidence level.")
    public var confidence: Double = 0.95

    @Option(name: .long, help: "Precision e of Yamane's rule, as a fraction.")
    public var yamaneE: Double = 0.05

    @Option(name: .long, help: "Yearly transactions of the unit, for the Huế schedule.")
    public var transactions: Int?

    @Option(name: .long, help: ArgumentHelp("Other sample sizes to show the margin of (e.g. an allocation of 60).", valueName: "n,n"))
    public var compare: String?

    @OptionGroup var output: SamplingOutputOptions

    public init() {}

    public func validate() throws {
        let sources = [sd != nil, pilot != nil, proportion != nil].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --sd, --pilot (with --column) or --proportion") }
        if pilot != nil, column == nil { throw ValidationError("--pilot needs --column") }
        if deff != nil, icc != nil { throw ValidationError("give --deff or --icc with --cluster-size, not both") }
        if (icc == nil) != (clusterSize == nil) { throw ValidationError("--icc and --cluster-size go together") }
        if let proportion, !(proportion > 0 && proportion < 1) { throw ValidationError("--proportion must be between 0 and 1") }
        try OptionCheck.number(margin, "--margin", from: 0.01, to: 50)
        try OptionCheck.number(sd, "--sd", from: 0, to: 100, exclusiveLower: true)
        try OptionCheck.number(scaleMax, "--scale-max", from: 1, to: 1_000)
        try OptionCheck.number(deff, "--deff", from: 1, to: 100)
        try OptionCheck.number(icc, "--icc", from: 0, to: 1)
        try OptionCheck.number(clusterSize, "--cluster-size", from: 1, to: 100_000)
        try OptionCheck.confidence(confidence)
        try OptionCheck.number(yamaneE, "--yamane-e", from: 0.001, to: 0.5)
        try OptionCheck.count(population, "--population", from: 1, to: 1_000_000_000)
        try OptionCheck.count(transactions, "--transactions", from: 0, to: 1_000_000_000)
    }

    public func render() throws -> String {
        let sdValue: Double
        var sdSource: String
        if let proportion {
            sdValue = SampleSize.proportionStandardDeviation(proportion)
            sdSource = "share p = \(proportion): 100·√(p(1 − p))"
        } else if let pilot, let column {
            let file = try SamplingFile(path: pilot, columns: [column])
            let index = try file.index(column)
            var values: [Double] = []
            for (row, cells) in file.rows.enumerated() {
                let text = cells[index].trimmingCharacters(in: .whitespaces)
                if text.isEmpty || text == "NA" { continue }
                guard let value = NumberText.decimal(text) ?? NumberText.decimal(text, decimalComma: true) else {
                    throw SamplingError(file: pilot, row: file.rowNumbers[row], column: column, message: "expected a number (blank or NA means missing)")
                }
                values.append(value)
            }
            sdValue = try SampleSize.indexStandardDeviation(scores: values, scaleMaximum: scaleMax)
            sdSource = "pilot \(pilot), column \(column): \(values.count) answers, SD × 100/\(output.style.fixed(scaleMax, decimals: 0))"
        } else {
            sdValue = sd!
            sdSource = "given"
        }
        let designEffect = deff ?? icc.map { SampleSize.designEffect(intraclassCorrelation: $0, clusterSize: clusterSize!) } ?? 1
        let deffSource = deff != nil ? "given" : icc != nil ? "1 + (\(clusterSize!) − 1) × \(icc!)" : "simple random sampling"
        let populationSize = population ?? transactions
        let result = try SampleSize.required(standardDeviation: sdValue, margin: margin, confidence: confidence,
                                             population: populationSize, designEffect: designEffect)
        func bought(_ n: Int) throws -> Double {
            try SampleSize.margin(sampleSize: n, standardDeviation: sdValue, confidence: confidence,
                                  population: populationSize, designEffect: designEffect)
        }
        var rows = [SampleSizeComparison(rule: "formula: margin ±\(output.style.fixed(margin, decimals: 1))",
                                         sampleSize: result.required, margin: try bought(result.required))]
        if let populationSize {
            let yamane = try SampleSize.yamaneSampleSize(population: populationSize, precision: yamaneE)
            rows.append(SampleSizeComparison(rule: "Yamane N/(1 + N·e²), e = \(yamaneE)", sampleSize: yamane, margin: try bought(yamane)))
        }
        if let transactions {
            let hue = min(try SampleSize.hueMinimumReturns(transactions: transactions), populationSize ?? Int.max)
            let label = try SampleSize.hueRequirement(transactions: transactions) == .census ? "all" : "≥ \(hue)"
            rows.append(SampleSizeComparison(rule: "Huế schedule, \(output.style.integer(transactions)) transactions/year: \(label)",
                                             sampleSize: max(hue, 1), margin: try bought(max(hue, 1))))
        }
        for text in nameList(compare ?? "") {
            guard let n = Int(text), n >= 1, n <= 1_000_000_000 else {
                throw ValidationError("--compare takes whole numbers from 1 to 1,000,000,000 (got '\(text)')")
            }
            rows.append(SampleSizeComparison(rule: "given n = \(n)", sampleSize: n, margin: try bought(n)))
        }
        let style = output.style
        switch output.format {
        case .json:
            let json = JSONValue.object([
                ("confidence", .number(confidence)), ("z", .number(result.z)),
                ("standard_deviation", .number(sdValue)), ("standard_deviation_source", .string(sdSource)),
                ("margin", .number(margin)), ("n0", .number(result.simpleRandom)),
                ("design_effect", .number(designEffect)), ("n_with_design_effect", .number(result.withDesignEffect)),
                ("population", populationSize.map { .integer($0) } ?? .null), ("n_finite", .number(result.finite)),
                ("required", .integer(result.required)),
                ("comparison", .array(rows.map { .object([("rule", .string($0.rule)), ("n", .integer($0.sampleSize)),
                                                            ("margin", .number($0.margin))]) })),
            ])
            return json.serialized(indent: 2) + "\n"
        case .table:
            var lines = [
                "Sample size (cỡ mẫu) at \(style.fixed(confidence * 100, decimals: 0))% confidence: z = \(style.fixed(result.z, decimals: 6))",
                "  SD = \(style.fixed(sdValue, decimals: 3)) (\(sdSource))",
                "  n₀ = (z·SD/e)² = \(style.fixed(result.simpleRandom, decimals: 2))",
                "  deff = \(style.fixed(designEffect, decimals: 3)) (\(deffSource)); n′ = n₀·deff = \(style.fixed(result.withDesignEffect, decimals: 2))",
            ]
            if let populationSize {
                lines.append("  N = \(style.integer(populationSize)); n = n′/(1 + (n′ − 1)/N) = \(style.fixed(result.finite, decimals: 2))")
            } else {
                lines.append("  no population size: no finite-population correction")
            }
            lines.append("  forms needed: \(style.integer(result.required))")
            lines.append("")
            var table = TextTable(headers: ["rule", "n", "margin ±"], alignments: [.left, .right, .right])
            for row in rows { table.append([row.rule, style.integer(row.sampleSize), style.fixed(row.margin, decimals: 2)]) }
            return lines.joined(separator: "\n") + "\n" + table.rendered()
                + "(margins use the same SD, design effect and N; a census buys ±0)\n"
        }
    }

    public func run() throws { emit(try render()) }
}

// MARK: - allocate

/// `sipas sample allocate`: forms per unit from a province's rules, or proportional/Neyman across strata.
public struct SampleAllocateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "allocate",
        abstract: "Allocate forms: a province's rules (presets sonla-2024, laichau-2024 or a YAML file), or proportional/Neyman.",
        discussion: """
            Rules: --rules ID-or-FILE, with --units FILE (columns unit, level = department|district, and optionally \
            class, transactions); without --units the districts named in the rules are used. --show-rules ID prints \
            a preset as YAML to copy and edit.

            Strata: --strata FILE --stratum-column C --size-column N --total n [--method neyman --sd-column S]. \
            Largest remainder: each stratum gets ⌊quota⌋, the rest go to the largest fractional parts (ties: the \
            stratum listed first); no stratum gets more than its size. --output writes the allocation as CSV \
            (stratum columns + n) for `sipas sample select --allocation`.

            Examples:
              sipas sample allocate --rules sonla-2024
              sipas sample allocate --rules laichau-2024 --units districts.csv
              sipas sample allocate --strata frames.csv --stratum-column unit --size-column N --total 600 --output alloc.csv
            """)

    @Option(name: .long, help: "Rules: a preset id (sonla-2024, laichau-2024) or a YAML/JSON file.")
    public var rules: String?

    @Option(name: .long, help: "Units CSV for --rules: unit, level, [class], [transactions].")
    public var units: String?

    @Option(name: .long, help: "Print a preset's rules as YAML.")
    public var showRules: String?

    @Option(name: .long, help: "Strata CSV for proportional or Neyman allocation.")
    public var strata: String?

    @Option(name: .long, help: ArgumentHelp("Column(s) naming the stratum, comma-separated.", valueName: "columns"))
    public var stratumColumn: String = "stratum"

    @Option(name: .long, help: "Column holding the stratum size Nₕ.")
    public var sizeColumn: String = "N"

    @Option(name: .long, help: "Column holding the stratum SD Sₕ (Neyman).")
    public var sdColumn: String?

    @Option(name: .long, help: "Total forms to allocate.")
    public var total: Int?

    @Option(name: .long, help: "proportional or neyman.")
    public var method: String = "proportional"

    @Option(name: .shortAndLong, help: "Write the allocation as CSV to this file.")
    public var output: String?

    @OptionGroup var options: SamplingOutputOptions

    public init() {}

    public func validate() throws {
        let modes = [rules != nil, showRules != nil, strata != nil].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give one of --rules, --show-rules or --strata") }
        if strata != nil, total == nil { throw ValidationError("--strata needs --total") }
        guard ["proportional", "neyman"].contains(method) else { throw ValidationError("--method must be proportional or neyman") }
        if method == "neyman", sdColumn == nil { throw ValidationError("--method neyman needs --sd-column") }
        try OptionCheck.count(total, "--total", from: 1, to: 100_000_000)
    }

    public func render() throws -> String {
        if let showRules {
            guard let text = AllocationRules.presetText(showRules) else {
                throw ValidationError("no preset '\(showRules)'; presets: \(AllocationRules.presetIDs.joined(separator: ", "))")
            }
            return text
        }
        let style = options.style
        if let strata, let total {
            let file = try SamplingFile(path: strata, columns: nameList(stratumColumn) + [sizeColumn] + (sdColumn.map { [$0] } ?? []))
            let keys = try file.groupKeys(nameList(stratumColumn))
            let sizes = try file.counts(sizeColumn)
            let allocation: [Int]
            if method == "neyman", let sdColumn {
                allocation = try Apportionment.neyman(total: total, sizes: sizes, standardDeviations: try file.numbers(sdColumn))
            } else {
                allocation = try Apportionment.proportional(total: total, sizes: sizes)
            }
            if let output {
                let stratumIndices = try nameList(stratumColumn).map(file.index)
                try writeList(CSVList.text(header: nameList(stratumColumn) + ["n"],
                                           rows: file.rows.indices.map { row in stratumIndices.map { file.rows[row][$0] } + [String(allocation[row])] }),
                              to: output)
            }
            let populationTotal = try SamplingArithmetic.sum(sizes, "the stratum sizes in column '\(sizeColumn)'")
            switch options.format {
            case .json:
                return JSONValue.object([
                    ("method", .string(method)), ("total", .integer(total)),
                    ("rule", .string("largest remainder, ties to the stratum listed first, capped at Nₕ")),
                    ("strata", .array(keys.indices.map { .object([("stratum", .string(keys[$0])), ("N", .integer(sizes[$0])),
                                                                    ("n", .integer(allocation[$0]))]) })),
                ]).serialized(indent: 2) + "\n"
            case .table:
                var table = TextTable(headers: ["stratum", "N", "share", "n"], alignments: [.left, .right, .right, .right])
                for index in keys.indices {
                    table.append([keys[index], style.integer(sizes[index]),
                                  percentText(populationTotal > 0 ? Double(sizes[index]) / Double(populationTotal) * 100 : nil, style),
                                  style.integer(allocation[index])])
                }
                table.append(["total", style.integer(populationTotal), "", style.integer(allocation.reduce(0, +))])
                return "\(method == "neyman" ? "Neyman (nₕ ∝ Nₕ·Sₕ)" : "Proportional (nₕ ∝ Nₕ)") allocation of \(style.integer(total)) forms; "
                    + "largest remainder, ties to the stratum listed first, capped at Nₕ\n" + table.rendered()
                    + (output.map { "allocation written to \($0)\n" } ?? "")
            }
        }
        let ruleSet = try AllocationRules.load(rules!)
        var planUnits = ruleSet.namedUnits
        if let units {
            let file = try SamplingFile(path: units, columns: ["unit", "level"])
            let names = try file.texts("unit"), levels = try file.texts("level")
            let classes = file.header.contains("class") ? try file.texts("class") : nil
            var transactions: [Int?]? = nil
            if file.header.contains("transactions") {
                let index = try file.index("transactions")
                transactions = try file.rows.indices.map { row in
                    let text = file.rows[row][index].trimmingCharacters(in: .whitespaces)
                    if text.isEmpty { return nil }
                    guard let value = Int(text.replacingOccurrences(of: ".", with: "")), value >= 0 else {
                        throw SamplingError(file: units, row: file.rowNumbers[row], column: "transactions", message: "expected a whole number ≥ 0")
                    }
                    return value
                }
            }
            planUnits = names.indices.map { row in
                let unitClass = classes.map { $0[row].trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
                return PlanUnit(level: levels[row].trimmingCharacters(in: .whitespaces).lowercased(), unit: names[row],
                                unitClass: unitClass, transactions: transactions?[row] ?? nil)
            }
        }
        guard !planUnits.isEmpty else {
            throw ValidationError("rules '\(ruleSet.id)' name no units: give --units FILE (columns unit, level[, class, transactions])")
        }
        let rows = try ruleSet.allocate(planUnits)
        if let output {
            try writeList(CSVList.text(header: ["level", "unit", "field", "n", "census", "note"],
                                       rows: rows.map { [$0.level, $0.unit, $0.field, String($0.forms), $0.census ? "yes" : "no", $0.note] }),
                          to: output)
        }
        let totals = try AllocationRules.totals(rows)
        switch options.format {
        case .json:
            return JSONValue.object([
                ("rules", .string(ruleSet.id)), ("source", .string(ruleSet.source)),
                ("allocation", .array(rows.map { .object([("level", .string($0.level)), ("unit", .string($0.unit)),
                                                            ("field", .string($0.field)), ("n", .integer($0.forms)),
                                                            ("census", .bool($0.census)), ("note", .string($0.note))]) })),
                ("totals", .object(totals.map { ($0.0, .integer($0.1)) })),
            ]).serialized(indent: 2) + "\n"
        case .table:
            var table = TextTable(headers: ["level", "unit", "field", "n", "note"], alignments: [.left, .left, .left, .right, .left])
            for row in rows { table.append([row.level, row.unit, row.field, style.integer(row.forms), row.note]) }
            return "\(ruleSet.title)\nsource: \(ruleSet.source)\n" + table.rendered()
                + totals.map { "total \($0.0): \(style.integer($0.1))" }.joined(separator: "\n") + "\n"
                + (output.map { "allocation written to \($0)\n" } ?? "")
        }
    }

    public func run() throws { emit(try render()) }
}
