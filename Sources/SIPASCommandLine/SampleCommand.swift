import ArgumentParser
import Foundation
import SIPASInstrument
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

    /// The --pilot workbook's sheet and header row.
    @OptionGroup var sheet: SheetOptions
    @OptionGroup var output: SamplingOutputOptions

    public init() {}

    public func validate() throws {
        let sources = [sd != nil, pilot != nil, proportion != nil].filter { $0 }.count
        guard sources == 1 else { throw OptionRefusal(vi: "hãy ghi đúng một trong --sd, --pilot (kèm --column) hoặc --proportion", en: "give exactly one of --sd, --pilot (with --column) or --proportion") }
        if pilot != nil, column == nil { throw OptionRefusal(vi: "--pilot cần --column", en: "--pilot needs --column") }
        if deff != nil, icc != nil { throw OptionRefusal(vi: "hãy ghi --deff hoặc --icc kèm --cluster-size, không ghi cả hai", en: "give --deff or --icc with --cluster-size, not both") }
        if (icc == nil) != (clusterSize == nil) { throw OptionRefusal(vi: "--icc và --cluster-size phải đi cùng nhau", en: "--icc and --cluster-size go together") }
        if let proportion, !(proportion > 0 && proportion < 1) { throw OptionRefusal(vi: "--proportion phải nằm giữa 0 và 1", en: "--proportion must be between 0 and 1") }
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
        let style = output.style
        /// A raw number (an option as given) in the Vietnamese text: 0.05 → 0,05.
        func viNumber(_ value: Double) -> String { Note.vi("\(value)") }
        let sdValue: Double
        let sdSource: LocalizedText
        if let proportion {
            sdValue = SampleSize.proportionStandardDeviation(proportion)
            sdSource = LocalizedText(vi: "tỷ lệ p = \(viNumber(proportion)): 100·√(p(1 − p))", en: "share p = \(proportion): 100·√(p(1 − p))")
        } else if let pilot, let column {
            let file = try SamplingFile(path: pilot, columns: [column], sheet: sheet.selection)
            let index = try file.index(column)
            var values: [Double] = []
            for (row, cells) in file.rows.enumerated() {
                let text = cells[index].trimmingCharacters(in: .whitespaces)
                if text.isEmpty || text == "NA" { continue }
                guard let value = NumberText.decimal(text) ?? NumberText.decimal(text, decimalComma: true) else {
                    throw SamplingError(file: pilot, row: file.rowNumbers[row], column: column, vi: "cần một số (để trống hoặc NA là thiếu)",
                                        en: "expected a number (blank or NA means missing)")
                }
                values.append(value)
            }
            sdValue = try SampleSize.indexStandardDeviation(scores: values, scaleMaximum: scaleMax)
            let top = style.fixed(scaleMax, decimals: 0)
            sdSource = LocalizedText(vi: "khảo sát thử \(pilot), cột \(column): \(style.integer(values.count)) câu trả lời, SD × 100/\(top)",
                                     en: "pilot \(pilot), column \(column): \(values.count) answers, SD × 100/\(top)")
        } else {
            sdValue = sd!
            sdSource = LocalizedText(vi: "cho trước", en: "given")
        }
        let designEffect = deff ?? icc.map { SampleSize.designEffect(intraclassCorrelation: $0, clusterSize: clusterSize!) } ?? 1
        let deffSource = deff != nil ? LocalizedText(vi: "cho trước", en: "given")
            : icc != nil ? LocalizedText(vi: "1 + (\(viNumber(clusterSize!)) − 1) × \(viNumber(icc!))", en: "1 + (\(clusterSize!) − 1) × \(icc!)")
            : LocalizedText(vi: "mẫu ngẫu nhiên đơn giản", en: "simple random sampling")
        let populationSize = population ?? transactions
        let result = try SampleSize.required(standardDeviation: sdValue, margin: margin, confidence: confidence,
                                             population: populationSize, designEffect: designEffect)
        func bought(_ n: Int) throws -> Double {
            try SampleSize.margin(sampleSize: n, standardDeviation: sdValue, confidence: confidence,
                                  population: populationSize, designEffect: designEffect)
        }
        // Each rule with its label in both languages (the JSON keeps the English one).
        var rows: [(comparison: SampleSizeComparison, label: LocalizedText)] = []
        func add(_ label: LocalizedText, _ n: Int) throws {
            rows.append((SampleSizeComparison(rule: label.en, sampleSize: n, margin: try bought(n)), label))
        }
        try add(LocalizedText(vi: "công thức: sai số ±\(style.fixed(margin, decimals: 1))",
                              en: "formula: margin ±\(style.fixed(margin, decimals: 1))"), result.required)
        if let populationSize {
            let yamane = try SampleSize.yamaneSampleSize(population: populationSize, precision: yamaneE)
            try add(LocalizedText(vi: "Yamane N/(1 + N·e²), e = \(viNumber(yamaneE))", en: "Yamane N/(1 + N·e²), e = \(yamaneE)"), yamane)
        }
        if let transactions {
            let hue = min(try SampleSize.hueMinimumReturns(transactions: transactions), populationSize ?? Int.max)
            let census = try SampleSize.hueRequirement(transactions: transactions) == .census
            try add(LocalizedText(vi: "mức của Huế, \(style.integer(transactions)) hồ sơ/năm: \(census ? "tất cả" : "≥ \(hue)")",
                                  en: "Huế schedule, \(style.integer(transactions)) transactions/year: \(census ? "all" : "≥ \(hue)")"),
                    max(hue, 1))
        }
        for text in nameList(compare ?? "") {
            guard let n = Int(text), n >= 1, n <= 1_000_000_000 else {
                throw OptionRefusal(vi: "--compare nhận các số nguyên từ 1 đến 1.000.000.000 (đã ghi '\(text)')", en: "--compare takes whole numbers from 1 to 1,000,000,000 (got '\(text)')")
            }
            try add(LocalizedText(vi: "n cho trước = \(n)", en: "given n = \(n)"), n)
        }
        switch output.format {
        case .json:
            let json = JSONValue.object([
                ("confidence", .number(confidence)), ("z", .number(result.z)),
                ("standard_deviation", .number(sdValue)), ("standard_deviation_source", .string(sdSource.en)),
                ("margin", .number(margin)), ("n0", .number(result.simpleRandom)),
                ("design_effect", .number(designEffect)), ("n_with_design_effect", .number(result.withDesignEffect)),
                ("population", populationSize.map { .integer($0) } ?? .null), ("n_finite", .number(result.finite)),
                ("required", .integer(result.required)),
                ("comparison", .array(rows.map(\.comparison).map { .object([("rule", .string($0.rule)), ("n", .integer($0.sampleSize)),
                                                                             ("margin", .number($0.margin))]) })),
            ])
            return json.serialized(indent: 2) + "\n"
        case .table:
            let vi = output.lang == .vi
            let level = style.fixed(confidence * 100, decimals: 0)
            var lines = [
                vi ? "Cỡ mẫu ở độ tin cậy \(level)%: z = \(style.fixed(result.z, decimals: 6))"
                    : "Sample size at \(level)% confidence: z = \(style.fixed(result.z, decimals: 6))",
                "  SD = \(style.fixed(sdValue, decimals: 3)) (\(sdSource.text(output.lang)))",
                "  n₀ = (z·SD/e)² = \(style.fixed(result.simpleRandom, decimals: 2))",
                "  deff = \(style.fixed(designEffect, decimals: 3)) (\(deffSource.text(output.lang))); n′ = n₀·deff = \(style.fixed(result.withDesignEffect, decimals: 2))",
            ]
            if let populationSize {
                lines.append("  N = \(style.integer(populationSize)); n = n′/(1 + (n′ − 1)/N) = \(style.fixed(result.finite, decimals: 2))")
            } else {
                lines.append(vi ? "  không có quy mô tổng thể N: không hiệu chỉnh tổng thể hữu hạn"
                                : "  no population size: no finite-population correction")
            }
            lines.append(vi ? "  số phiếu cần: \(style.integer(result.required))" : "  forms needed: \(style.integer(result.required))")
            lines.append("")
            var table = TextTable(headers: vi ? ["quy tắc", "n", "sai số ±"] : ["rule", "n", "margin ±"], alignments: [.left, .right, .right])
            for row in rows {
                table.append([row.label.text(output.lang), style.integer(row.comparison.sampleSize), style.fixed(row.comparison.margin, decimals: 2)])
            }
            return lines.joined(separator: "\n") + "\n" + table.rendered()
                + (vi ? "(sai số tính với cùng SD, hiệu ứng thiết kế và N; điều tra toàn bộ có sai số ±0)\n"
                      : "(margins use the same SD, design effect and N; a census buys ±0)\n")
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

    /// The --strata or --units workbook's sheet and header row.
    @OptionGroup var sheet: SheetOptions
    @OptionGroup var options: SamplingOutputOptions

    public init() {}

    public func validate() throws {
        let modes = [rules != nil, showRules != nil, strata != nil].filter { $0 }.count
        guard modes == 1 else { throw OptionRefusal(vi: "hãy ghi một trong --rules, --show-rules hoặc --strata", en: "give one of --rules, --show-rules or --strata") }
        if strata != nil, total == nil { throw OptionRefusal(vi: "--strata cần --total", en: "--strata needs --total") }
        guard ["proportional", "neyman"].contains(method) else { throw OptionRefusal(vi: "--method phải là proportional hoặc neyman", en: "--method must be proportional or neyman") }
        if method == "neyman", sdColumn == nil { throw OptionRefusal(vi: "--method neyman cần --sd-column", en: "--method neyman needs --sd-column") }
        try OptionCheck.count(total, "--total", from: 1, to: 100_000_000)
    }

    public func render() throws -> String {
        if let showRules {
            guard let text = AllocationRules.presetText(showRules) else {
                throw OptionRefusal(vi: "không có bộ quy định '\(showRules)'; các bộ có sẵn: \(AllocationRules.presetIDs.joined(separator: ", "))", en: "no preset '\(showRules)'; presets: \(AllocationRules.presetIDs.joined(separator: ", "))")
            }
            return text
        }
        let style = options.style
        let vi = options.lang == .vi
        if let strata, let total {
            let file = try SamplingFile(path: strata, columns: nameList(stratumColumn) + [sizeColumn] + (sdColumn.map { [$0] } ?? []), sheet: sheet.selection)
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
            let populationTotal = try SamplingArithmetic.sum(sizes, LocalizedText(vi: "các cỡ tầng trong cột '\(sizeColumn)'",
                                                                                       en: "the stratum sizes in column '\(sizeColumn)'"))
            switch options.format {
            case .json:
                return JSONValue.object([
                    ("method", .string(method)), ("total", .integer(total)),
                    ("rule", .string("largest remainder, ties to the stratum listed first, capped at Nₕ")),
                    ("strata", .array(keys.indices.map { .object([("stratum", .string(keys[$0])), ("N", .integer(sizes[$0])),
                                                                    ("n", .integer(allocation[$0]))]) })),
                ]).serialized(indent: 2) + "\n"
            case .table:
                var table = TextTable(headers: vi ? ["tầng", "N", "tỷ trọng", "n"] : ["stratum", "N", "share", "n"],
                                      alignments: [.left, .right, .right, .right])
                for index in keys.indices {
                    table.append([keys[index], style.integer(sizes[index]),
                                  percentText(populationTotal > 0 ? Double(sizes[index]) / Double(populationTotal) * 100 : nil, style),
                                  style.integer(allocation[index])])
                }
                table.append([vi ? "tổng" : "total", style.integer(populationTotal), "", style.integer(allocation.reduce(0, +))])
                let heading = vi
                    ? "Phân bổ \(method == "neyman" ? "Neyman (nₕ ∝ Nₕ·Sₕ)" : "tỷ lệ (nₕ ∝ Nₕ)") \(style.integer(total)) phiếu; "
                        + "phương pháp số dư lớn nhất, bằng nhau thì ưu tiên tầng liệt kê trước, không vượt quá Nₕ\n"
                    : "\(method == "neyman" ? "Neyman (nₕ ∝ Nₕ·Sₕ)" : "Proportional (nₕ ∝ Nₕ)") allocation of \(style.integer(total)) forms; "
                        + "largest remainder, ties to the stratum listed first, capped at Nₕ\n"
                return heading + table.rendered() + (output.map { Self.written($0, options.lang) } ?? "")
            }
        }
        let ruleSet = try AllocationRules.load(rules!)
        var planUnits = ruleSet.namedUnits
        if let units {
            let file = try SamplingFile(path: units, columns: ["unit", "level"], sheet: sheet.selection)
            let names = try file.texts("unit"), levels = try file.texts("level")
            let classes = file.header.contains("class") ? try file.texts("class") : nil
            var transactions: [Int?]? = nil
            if file.header.contains("transactions") {
                let index = try file.index("transactions")
                transactions = try file.rows.indices.map { row in
                    let text = file.rows[row][index].trimmingCharacters(in: .whitespaces)
                    if text.isEmpty { return nil }
                    guard let value = Int(text.replacingOccurrences(of: ".", with: "")), value >= 0 else {
                        throw SamplingError(file: units, row: file.rowNumbers[row], column: "transactions",
                                            vi: "cần một số nguyên ≥ 0", en: "expected a whole number ≥ 0")
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
            throw OptionRefusal(vi: "bộ quy định '\(ruleSet.id)' không nêu đơn vị nào: hãy ghi --units TỆP (các cột unit, level[, class, transactions])", en: "rules '\(ruleSet.id)' name no units: give --units FILE (columns unit, level[, class, transactions])")
        }
        let rows = try ruleSet.allocate(planUnits)
        if let output {
            try writeList(CSVList.text(header: ["level", "unit", "field", "n", "census", "note"],
                                       rows: rows.map { [$0.level, $0.unit, $0.field, String($0.forms), $0.census ? "yes" : "no",
                                                         $0.note.text(options.lang)] }),
                          to: output)
        }
        let totals = try AllocationRules.totals(rows)
        switch options.format {
        case .json:
            return JSONValue.object([
                ("rules", .string(ruleSet.id)), ("source", .string(ruleSet.source)),
                ("allocation", .array(rows.map { .object([("level", .string($0.level)), ("unit", .string($0.unit)),
                                                            ("field", .string($0.field)), ("n", .integer($0.forms)),
                                                            ("census", .bool($0.census)), ("note", .string($0.note.en))]) })),
                ("totals", .object(totals.map { ($0.0, .integer($0.1)) })),
            ]).serialized(indent: 2) + "\n"
        case .table:
            var table = TextTable(headers: vi ? ["cấp", "đơn vị", "lĩnh vực", "n", "ghi chú"] : ["level", "unit", "field", "n", "note"],
                                  alignments: [.left, .left, .left, .right, .left])
            for row in rows {
                table.append([Self.levelName(row.level, options.lang), row.unit, row.field, style.integer(row.forms), row.note.text(options.lang)])
            }
            return "\(ruleSet.title)\n\(vi ? "nguồn" : "source"): \(ruleSet.source)\n" + table.rendered()
                + totals.map { "\(vi ? "tổng" : "total") \(Self.levelName($0.0, options.lang)): \(style.integer($0.1))" }.joined(separator: "\n") + "\n"
                + (output.map { Self.written($0, options.lang) } ?? "")
        }
    }

    public func run() throws { emit(try render()) }

    /// A plan level in words: the key (department, district, commune, households) in English, its name in Vietnamese.
    static func levelName(_ level: String, _ language: Language) -> String {
        guard language == .vi else { return level }
        switch level {
        case "department": return "sở, ban, ngành"
        case "district": return "huyện"
        case "commune": return "xã"
        case "households": return "hộ gia đình"
        default: return level
        }
    }

    static func written(_ path: String, _ language: Language) -> String {
        language == .vi ? "đã ghi bảng phân bổ vào \(path)\n" : "allocation written to \(path)\n"
    }
}
