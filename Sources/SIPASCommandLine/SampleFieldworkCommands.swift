import ArgumentParser
import Foundation
import SIPASInstrument
import SIPASReport
import SIPASSampling

/// The outcome columns of a file with one row per form, read the same way by `sample accounting` and
/// `sample recheck` (one definition of the options; the cells are read by the SIPASSampling library).
struct OutcomeColumnOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Column saying whether the form came back: yes/no (default: returned).", valueName: "column"))
    var returnedColumn: String?

    @Option(name: .long, help: ArgumentHelp("Column with the reason a returned form was excluded; blank = valid (default: excluded_reason, used when present).",
                                            valueName: "column"))
    var excludedColumn: String?

    var returned: String { returnedColumn ?? "returned" }
    var excluded: String { excludedColumn ?? "excluded_reason" }

    /// The cells of the returned and excluded-reason columns of `file`; nil for a column the file lacks and the user
    /// did not name (a column named with the option must exist).
    func cells(of file: SamplingFile) throws -> (returned: [String]?, excluded: [String]?) {
        func read(_ column: String, named: Bool) throws -> [String]? {
            named || file.header.contains(column) ? try file.texts(column) : nil
        }
        return (try read(returned, named: returnedColumn != nil), try read(excluded, named: excludedColumn != nil))
    }
}

/// `sipas sample recheck`: the seeded re-check (phúc tra) draw from the returned, valid forms.
public struct SampleRecheckCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "recheck",
        abstract: "Draw a seeded fraction of returned, valid forms to re-check (phúc tra), stratified by enumerator or unit.",
        discussion: """
            Eligible forms are the returned (returned = yes) and valid (excluded_reason blank) ones, read as \
            `sipas sample accounting` reads them; a file without a returned column is a list of returned forms. \
            Total round(f·N) of the N eligible forms (half up), or ⌊f·N⌋ with --at-most (Khánh Hòa Art. 6.4: at most \
            10%); allocated to the strata in proportion to their eligible forms by largest remainder; simple random \
            sampling within each stratum, one seeded stream per stratum. Lai Châu §7.4 asks for 20%.

            Example:
              sipas sample recheck outcomes.csv --fraction 0.2 --by enumerator --output recheck.csv
            """)

    @Argument(help: "The forms: a CSV or an Excel workbook with one row per form (returned = yes/no, excluded_reason), or per returned form.")
    public var returned: String

    @Option(name: .long, help: "Fraction to re-check (0.2 = 20%).")
    public var fraction: Double

    @Option(name: .long, help: ArgumentHelp("Stratify by these columns (e.g. enumerator or unit).", valueName: "columns"))
    public var by: String?

    @Flag(name: .long, help: "Never exceed the fraction: ⌊f·N⌋ instead of rounding.")
    public var atMost = false

    @Option(name: .long, help: "Seed of the draw.")
    public var seed: UInt64 = 2024

    @Option(name: .shortAndLong, help: "Write the forms to re-check (all their columns) to this CSV file.")
    public var output: String?

    @OptionGroup var columns: OutcomeColumnOptions
    /// The forms workbook's sheet and header row.
    @OptionGroup var sheet: SheetOptions

    @OptionGroup var options: SamplingOutputOptions

    public init() {}

    public func validate() throws {
        try OptionCheck.number(fraction, "--fraction", from: 0, to: 1, exclusiveLower: true)
    }

    public func render() throws -> String {
        let strataColumns = nameList(by ?? "")
        let file = try SamplingFile(path: returned, columns: strataColumns, sheet: sheet.selection)
        let keys = try file.groupKeys(strataColumns)
        let cells = try columns.cells(of: file)
        let eligibility = try RecheckEligibility(file: returned, rows: file.rows.count, returned: cells.returned,
                                                 returnedColumn: columns.returned, excludedReason: cells.excluded,
                                                 excludedColumn: columns.excluded, rowNumbers: file.rowNumbers)
        let strata = try RecheckDraw.draw(strata: keys, eligibility: eligibility, fraction: fraction, atMost: atMost, seed: seed)
        let total = strata.reduce(0) { $0 + $1.drawn.count }
        if let output {
            var rows: [[String]] = []
            for stratum in strata { for row in stratum.drawn { rows.append(file.rows[row] + [stratum.name]) } }
            try writeList(CSVList.text(header: file.header + ["recheck_stratum"], rows: rows), to: output)
        }
        let style = options.style
        let e = eligibility
        switch options.format {
        case .json:
            return JSONValue.object([
                ("seed", .integer(Int(truncatingIfNeeded: seed))), ("fraction", .number(fraction)), ("at_most", .bool(atMost)),
                ("returned_column", e.returnedColumn.map { .string($0) } ?? .null),
                ("excluded_column", e.excludedColumn.map { .string($0) } ?? .null),
                ("rows_read", .integer(e.rowsRead)), ("not_returned", .integer(e.notReturned)), ("excluded", .integer(e.excluded)),
                ("eligible", .integer(e.eligible)), ("drawn", .integer(total)),
                ("strata", .array(strata.map { .object([("stratum", .string($0.name)), ("rows", .integer($0.rows)),
                                                          ("not_returned", .integer($0.notReturned)), ("excluded", .integer($0.excluded)),
                                                          ("eligible", .integer($0.eligible)), ("drawn", .integer($0.drawn.count))]) })),
                ("notes", .array(e.notes.map { .string($0.en) })),
            ]).serialized(indent: 2) + "\n"
        case .table:
            let lang = options.lang, vi = lang == .vi
            var table = TextTable(headers: vi ? ["tầng", "số dòng", "không thu về", "phiếu loại", "hợp lệ", "phúc tra"]
                                              : ["stratum", "rows", "not returned", "excluded", "eligible", "re-check"],
                                  alignments: [.left, .right, .right, .right, .right, .right])
            for s in strata {
                table.append([s.name.isEmpty ? (vi ? "(tất cả)" : "(all)") : s.name, style.integer(s.rows), style.integer(s.notReturned),
                              style.integer(s.excluded), style.integer(s.eligible), style.integer(s.drawn.count)])
            }
            table.append([vi ? "tổng" : "total", style.integer(e.rowsRead), style.integer(e.notReturned), style.integer(e.excluded),
                          style.integer(e.eligible), style.integer(total)])
            let percent = style.fixed(fraction * 100, decimals: 1)
            if vi {
                let rule = [e.returnedColumn.map { "thu về ('\($0)' = yes/có)" }, e.excludedColumn.map { "hợp lệ ('\($0)' để trống)" }]
                    .compactMap { $0 }
                return "Rút mẫu phúc tra: \(percent)% số phiếu hợp lệ" + (atMost ? ", không vượt quá" : ", làm tròn")
                    + "; hạt giống (seed) \(seed) (xoshiro256**, mỗi tầng một dòng số ngẫu nhiên)\n"
                    + "số dòng đọc: \(style.integer(e.rowsRead)); không thu về: \(style.integer(e.notReturned)); "
                    + "phiếu loại: \(style.integer(e.excluded)); hợp lệ: \(style.integer(e.eligible))"
                    + (rule.isEmpty ? "" : " (\(rule.joined(separator: " và ")))") + "\n"
                    + table.rendered()
                    + e.notes.map { "ghi chú: \($0.vi)\n" }.joined()
                    + (output.map { "đã ghi danh sách phúc tra vào \($0)\n" } ?? "chưa ghi danh sách: thêm --output TỆP để ghi các phiếu\n")
            }
            let rule = [e.returnedColumn.map { "returned ('\($0)' = yes)" }, e.excludedColumn.map { "valid ('\($0)' blank)" }]
                .compactMap { $0 }
            return "Re-check draw: \(percent)% of eligible forms"
                + (atMost ? ", at most" : ", rounded") + "; seed \(seed) (xoshiro256**, one stream per stratum)\n"
                + "rows read: \(style.integer(e.rowsRead)); not returned: \(style.integer(e.notReturned)); "
                + "excluded: \(style.integer(e.excluded)); eligible: \(style.integer(e.eligible))"
                + (rule.isEmpty ? "" : " (\(rule.joined(separator: " and ")))") + "\n"
                + table.rendered()
                + e.notes.map { "note: \($0.en)\n" }.joined()
                + (output.map { "re-check list written to \($0)\n" } ?? "no list written: give --output FILE to write the forms\n")
        }
    }

    public func run() throws { emit(try render()) }
}

/// `sipas sample accounting`: the fieldwork funnel (issued → returned → valid; re-check outcomes).
public struct SampleAccountingCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "accounting",
        abstract: "The fieldwork funnel: forms issued, returned, valid, excluded by reason; re-check outcomes.",
        discussion: """
            From a file with one row per issued form (columns: returned = yes/no; optional not_returned_reason, \
            excluded_reason (blank = valid) and recheck = confirmed/unreachable/refused/not_confirmed/blank), or from \
            counts given as options. Percentages are of the parent line (returned of issued, valid of returned, \
            re-check outcomes of those contacted).

            Examples:
              sipas sample accounting outcomes.csv
              sipas sample accounting --issued 2667 --returned 2640 --contacted 810 --confirmed 703 --unreachable 103 --refused 4
            """)

    @Argument(help: "Outcome file (CSV or Excel workbook): one row per issued form.")
    public var outcomes: String?

    @OptionGroup var columns: OutcomeColumnOptions
    /// The outcome workbook's sheet and header row.
    @OptionGroup var sheet: SheetOptions
    @Option(name: .long, help: "Column with the reason a form did not come back (used when present).")
    public var reasonColumn = "not_returned_reason"
    @Option(name: .long, help: "Column with the re-check outcome (used when present).")
    public var recheckColumn = "recheck"

    @Option(name: .long, help: "Counts instead of a file: forms issued.") public var issued: Int?
    @Option(name: .long, help: "Forms returned.") public var returnedCount: Int?
    @Option(name: .long, help: "Returned forms excluded (no reason recorded).") public var excluded: Int = 0
    @Option(name: .long, help: "Re-check: people contacted.") public var contacted: Int = 0
    @Option(name: .long, help: "Re-check: confirmed they answered.") public var confirmed: Int = 0
    @Option(name: .long, help: "Re-check: wrong number or unreachable.") public var unreachable: Int = 0
    @Option(name: .long, help: "Re-check: refused to answer.") public var refused: Int = 0
    @Option(name: .long, help: "Re-check: said they had not answered.") public var notConfirmed: Int = 0

    @OptionGroup var options: SamplingOutputOptions

    public init() {}

    public func validate() throws {
        guard (outcomes == nil) != (issued == nil) else { throw OptionRefusal(vi: "hãy ghi một tệp kết quả điều tra hoặc --issued kèm --returned-count", en: "give an outcome file or --issued with --returned-count") }
        if issued != nil, returnedCount == nil { throw OptionRefusal(vi: "--issued cần --returned-count", en: "--issued needs --returned-count") }
        let counts = [("--issued", issued), ("--returned-count", returnedCount), ("--excluded", excluded),
                      ("--contacted", contacted), ("--confirmed", confirmed), ("--unreachable", unreachable),
                      ("--refused", refused), ("--not-confirmed", notConfirmed)]
        for (option, value) in counts { try OptionCheck.count(value, option, from: 0, to: 1_000_000_000) }
    }

    public func counts() throws -> FieldworkCounts {
        if let outcomes {
            let file = try SamplingFile(path: outcomes, columns: [columns.returned], sheet: sheet.selection)
            func optional(_ column: String) throws -> [String]? { file.header.contains(column) ? try file.texts(column) : nil }
            let cells = try columns.cells(of: file)
            var counts = try FieldworkAccounting.counts(
                file: outcomes, returned: cells.returned ?? [], returnedColumn: columns.returned,
                notReturnedReason: try optional(reasonColumn), excludedReason: cells.excluded,
                excludedColumn: columns.excluded, recheck: try optional(recheckColumn), recheckColumn: recheckColumn)
            // Rows are numbered in the file; SamplingFile skipped empty lines, which are not forms.
            counts.issued = file.rows.count
            return counts
        }
        let counts = FieldworkCounts(issued: issued!, returned: returnedCount!,
                                     excluded: excluded != 0 ? [ReasonCount("(no reason recorded)", excluded)] : [],
                                     recheckContacted: contacted, recheckConfirmed: confirmed, recheckUnreachable: unreachable,
                                     recheckRefused: refused, recheckNotConfirmed: notConfirmed)
        try counts.checkParts(naming: Self.option)
        return counts
    }

    /// The option that gives each count, for messages.
    static func option(_ count: FieldworkCounts.Count) -> String {
        switch count {
        case .issued: return "--issued"
        case .returned: return "--returned-count"
        case .excluded: return "--excluded"
        case .contacted: return "--contacted"
        case .confirmed: return "--confirmed"
        case .unreachable: return "--unreachable"
        case .refused: return "--refused"
        case .notConfirmed: return "--not-confirmed"
        }
    }

    public func render() throws -> String {
        let (rows, notes) = try FieldworkAccounting.funnel(try counts())
        let style = options.style
        switch options.format {
        case .json:
            return JSONValue.object([
                ("funnel", .array(rows.map { row in
                    .object([("key", .string(row.key)), ("label", .string(row.label)), ("vi", .string(row.vietnamese)),
                             ("count", .integer(row.count)), ("of", row.base.map { .string($0) } ?? .null),
                             ("percent", .number(row.percent))])
                })),
                ("notes", .array(notes.map { .string($0.en) })),
            ]).serialized(indent: 2) + "\n"
        case .table:
            let vi = options.lang == .vi
            /// A line's label in the table's language; a reason written in the file is shown as written.
            func label(_ row: FunnelRow) -> String {
                guard vi else { return row.label }
                if !row.vietnamese.isEmpty { return row.vietnamese }
                return ["(no reason given)": "(không ghi lý do)", "(no reason recorded)": "(không ghi lý do)"][row.label] ?? row.label
            }
            var table = TextTable(headers: vi ? ["", "số phiếu", "%", "so với"] : ["", "count", "%", "of"],
                                  alignments: [.left, .right, .right, .left])
            let labels = Dictionary(rows.map { ($0.key, label($0)) }, uniquingKeysWith: { a, _ in a })
            for row in rows {
                table.append([String(repeating: "  ", count: row.depth) + label(row), style.integer(row.count), percentText(row.percent, style),
                              row.base.flatMap { labels[$0] }.map { $0.lowercased() } ?? ""])
            }
            return (vi ? "Kết quả phát, thu phiếu và phúc tra\n" : "Fieldwork accounting\n") + table.rendered()
                + notes.map { vi ? "ghi chú: \($0.vi)\n" : "note: \($0.en)\n" }.joined()
        }
    }

    public func run() throws { emit(try render()) }
}
