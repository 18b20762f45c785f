import ArgumentParser
import Foundation
import SIPASDesign
import SIPASInstrument
import SIPASReport
import SIPASSampling
import SIPASSupport

/// Options of `sipas sample select` and `sipas sample reserve` (both run the same draw).
struct SelectionOptions: ParsableArguments {
    @Argument(help: "The frame: a CSV or an Excel workbook with one row per person (or unit) and a header line.")
    var frame: String
    /// The frame workbook's sheet and header row (an --allocation workbook is read from its first sheet).
    @OptionGroup var sheet: SheetOptions

    @Option(name: .long, help: ArgumentHelp("Column(s) that split the frame into lists (e.g. unit,field).", valueName: "columns"))
    var groupBy: String?

    @Option(name: .long, help: "Forms per list (the same for every list).")
    var n: Int?

    @Option(name: .long, help: "Allocation CSV: the --group-by columns and n (as written by `sipas sample allocate --output`).")
    var allocation: String?

    @Option(name: .long, help: ArgumentHelp("Sort each list alphabetically (Vietnamese order) by these columns.", valueName: "columns"))
    var sortBy: String?

    @Flag(name: .long, help: "Sort by the given name first (the last word of the first --sort-by column), as Vietnamese lists do.")
    var givenNameFirst = false

    @Option(name: .long, help: "systematic (the seed's rule), random (simple random) or pps (systematic PPS; units).")
    var method: String = "systematic"

    @Flag(name: .long, help: "Systematic: a seeded random start instead of position 1.")
    var randomStart = false

    @Option(name: .long, help: "Reserve list size as a fraction of n (seed 001 Step 3: 0.5).")
    var reserveFraction: Double = 0.5

    @Option(name: .long, help: ArgumentHelp("Lists sharing these columns lend each other reserves (e.g. unit).", valueName: "columns"))
    var borrowWithin: String?

    @Option(name: .long, help: "PPS: the column holding each unit's size (e.g. households).")
    var sizeColumn: String?

    @Option(name: .long, help: "Column marking units chosen by default (yes/1/x), e.g. the administrative centre.")
    var defaultColumn: String?

    @Option(name: .long, help: ArgumentHelp("Units already in the national sample; the adjacent unit is taken instead.", valueName: "names"))
    var exclude: String?

    @Option(name: .long, help: "A file of excluded unit names, one per line.")
    var excludeFile: String?

    @Option(name: .long, help: "The column holding unit names, matched against --exclude.")
    var unitColumn: String?

    @Option(name: .long, help: "Seed of every random draw.")
    var seed: UInt64 = 2024

    var unitMode: Bool { method != "systematic" || defaultColumn != nil || exclude != nil || excludeFile != nil }

    func validate() throws {
        guard (n == nil) != (allocation == nil) else { throw OptionRefusal(vi: "hãy ghi --n hoặc --allocation", en: "give --n or --allocation") }
        try OptionCheck.count(n, "--n", from: 1, to: 10_000_000)
        guard ["systematic", "random", "pps"].contains(method) else { throw OptionRefusal(vi: "--method phải là systematic, random hoặc pps", en: "--method must be systematic, random or pps") }
        if method == "pps", sizeColumn == nil { throw OptionRefusal(vi: "--method pps cần --size-column", en: "--method pps needs --size-column") }
        if (exclude != nil || excludeFile != nil), unitColumn == nil { throw OptionRefusal(vi: "--exclude cần --unit-column", en: "--exclude needs --unit-column") }
        if !(reserveFraction >= 0 && reserveFraction <= 1) { throw OptionRefusal(vi: "--reserve-fraction phải nằm giữa 0 và 1", en: "--reserve-fraction must be between 0 and 1") }
    }
}

/// The draw behind `select` and `reserve`: per list, the summary and the rows of each output list.
struct SelectionRun {
    struct ListSummary {
        var group: String
        var size: Int
        var allocated: Int
        var taken: Int
        var census: Bool
        var start: LocalizedText
        var reserve: Int
        var borrowed: Int
        var shortfall: Int
        var notes: [Note]
    }

    var summaries: [ListSummary] = []
    var header: [String] = []
    var sampleRows: [[String]] = []
    var reserveRows: [[String]] = []
    var notes: [Note] = []

    static let extraColumns = ["sample_group", "sample_list_position", "sample_order", "sample_role", "sample_note"]

    /// - Parameter language: the language of the lists' `sample_note` column (and of the summary's notes).
    init(_ options: SelectionOptions, language: Language = .vi) throws {
        let vi = language == .vi
        let groupColumns = nameList(options.groupBy ?? "")
        let sortColumns = nameList(options.sortBy ?? "")
        var needed = groupColumns + sortColumns
        if let c = options.sizeColumn { needed.append(c) }
        if let c = options.defaultColumn { needed.append(c) }
        if let c = options.unitColumn { needed.append(c) }
        let file = try SamplingFile(path: options.frame, columns: needed, sheet: options.sheet.selection)
        header = file.header + Self.extraColumns
        if file.emptyLines > 0 {
            notes.append(Note(.data, vi: "bỏ qua \(file.emptyLines) dòng trống trong danh sách tổng thể",
                              en: "\(file.emptyLines) empty line(s) in the frame skipped"))
        }
        if sortColumns.isEmpty {
            notes.append(Note(vi: "không có --sort-by: dùng thứ tự sẵn có của danh sách (kế hoạch yêu cầu xếp theo vần abc)",
                              en: "no --sort-by: the frame's own order is used (the seed asks for alphabetical order)"))
        }

        // Allocation per list.
        var allocated: [String: Int] = [:]
        if let path = options.allocation {
            let table = try SamplingFile(path: path, columns: groupColumns + ["n"])
            let keys = try table.groupKeys(groupColumns), counts = try table.counts("n")
            for (key, count) in zip(keys, counts) { allocated[key] = count }
        }
        let keys = try file.groupKeys(groupColumns)
        let groups = groupedRows(keys)
        let sortIndices = try sortColumns.map(file.index)
        let sizes = try options.sizeColumn.map { try file.numbers($0) }
        let defaults: [Bool]? = try options.defaultColumn.map { column in
            try file.texts(column).map { ["yes", "1", "x", "true", "có"].contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }
        }
        var excludedNames = nameList(options.exclude ?? "")
        if let path = options.excludeFile {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw SamplingError(file: path, vi: "không đọc được tệp các đơn vị loại trừ", en: "cannot read the excluded-units file")
            }
            excludedNames += text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let unitNames = try options.unitColumn.map { try file.texts($0) }
        let borrowKeys = try file.groupKeys(nameList(options.borrowWithin ?? ""))

        var draws: [SystematicDraw] = []
        var ordered: [[Int]] = []  // per list: file rows in list order
        for (groupIndex, group) in groups.enumerated() {
            var rows = group.rows
            if !sortIndices.isEmpty {
                let keysForSort = rows.map { row in
                    sortIndices.enumerated().map { position, column in
                        position == 0 && options.givenNameFirst
                            ? VietnameseCollation.givenNameFirst(file.rows[row][column]) + " " : file.rows[row][column]
                    }
                }
                rows = VietnameseCollation.sortedIndices(keysForSort).map { rows[$0] }
            }
            ordered.append(rows)
            guard let n = options.n ?? allocated[group.key] else {
                throw SamplingError(file: options.allocation, vi: "bảng phân bổ không có n cho danh sách '\(group.key)'",
                                    en: "the allocation has no n for list '\(group.key)'")
            }
            var random = RandomSource(seed: options.seed, stream: [0x5341_4D50, UInt64(groupIndex)])
            if options.unitMode {
                let method = UnitSelectionMethod(rawValue: options.method)!
                let byDefault = Set(rows.indices.filter { defaults?[rows[$0]] == true }.map { $0 + 1 })
                let excluded = Set(rows.indices.filter { index in
                    excludedNames.contains { sameName($0, unitNames?[rows[index]] ?? "") }
                }.map { $0 + 1 })
                let selection: UnitSelection
                do {
                    selection = try UnitSelector.select(listSize: rows.count, count: n, method: method,
                                                        sizes: sizes.map { all in rows.map { all[$0] } },
                                                        byDefault: byDefault, excluded: excluded, random: &random)
                } catch var error as SamplingError {
                    // The library numbers rows by list position: name the frame's row and the size column instead.
                    if let position = error.row, rows.indices.contains(position - 1) {
                        error.file = options.frame; error.row = file.rowNumbers[rows[position - 1]]; error.column = options.sizeColumn
                    }
                    throw error
                }
                for (order, unit) in selection.selected.enumerated() {
                    let note: String
                    switch unit.reason {
                    case .byDefault: note = vi ? "chọn mặc định" : "chosen by default"
                    case .drawn: note = vi ? "được rút" : "drawn"
                    case .largeUnit: note = vi ? "PPS: quy mô ≥ khoảng cách, chắc chắn được chọn" : "PPS: size ≥ interval, taken with certainty"
                    case .adjacent(let replaced):
                        note = vi ? "liền kề vị trí \(replaced) của danh sách (đơn vị đó thuộc danh sách loại trừ)"
                            : "adjacent to list position \(replaced) (in the excluded list)"
                    }
                    sampleRows.append(file.rows[rows[unit.position - 1]]
                                      + [group.key, String(unit.position), String(order + 1), "main", note])
                }
                var start = SelectionRun.methodName(options.method)
                if let interval = selection.ppsInterval, let pps = selection.ppsStart {
                    let en = "pps I = \(String(format: "%.3f", interval)), r = \(String(format: "%.3f", pps))"
                    start = LocalizedText(vi: Note.vi(en), en: en)
                }
                summaries.append(ListSummary(group: group.key, size: rows.count, allocated: n, taken: selection.selected.count,
                                             census: rows.count <= n, start: start, reserve: 0, borrowed: 0, shortfall: 0,
                                             notes: selection.notes))
                draws.append(SystematicDraw(populationSize: rows.count, allocated: n))
            } else {
                draws.append(SystematicSelection.draw(populationSize: rows.count, allocated: n,
                                                      reserveFraction: options.reserveFraction,
                                                      randomStart: options.randomStart, using: &random))
            }
        }
        guard !options.unitMode else { return }
        let sets = groups.map { group in options.borrowWithin == nil ? "\u{0}" + group.key : borrowKeys[group.rows[0]] }
        SystematicSelection.borrowReserves(&draws, sets: sets)
        for (index, draw) in draws.enumerated() {
            let group = groups[index], rows = ordered[index]
            for (order, position) in draw.sample.enumerated() {
                sampleRows.append(file.rows[rows[position - 1]] + [group.key, String(position), String(order + 1), "main",
                                                                  draw.census ? (vi ? "điều tra toàn bộ (N ≤ n)" : "census (N ≤ n)") : ""])
            }
            for (order, position) in draw.reserve.enumerated() {
                reserveRows.append(file.rows[rows[position - 1]] + [group.key, String(position), String(order + 1), "reserve", ""])
            }
            for (order, lent) in draw.borrowed.enumerated() {
                let lender = groups[lent.list].key
                reserveRows.append(file.rows[ordered[lent.list][lent.position - 1]]
                                   + [group.key, String(lent.position), String(draw.reserve.count + order + 1), "reserve",
                                      vi ? "mượn từ danh sách '\(lender)'" : "borrowed from list '\(lender)'"])
            }
            let formula = options.randomStart && !draw.census ? "1 + ⌊(\(draw.startOffset) + j·N)/n⌋" : "1"
            let start = LocalizedText(vi: formula, en: formula)
            summaries.append(ListSummary(group: group.key, size: draw.populationSize, allocated: draw.allocated,
                                         taken: draw.sample.count, census: draw.census, start: start,
                                         reserve: draw.reserve.count, borrowed: draw.borrowed.count,
                                         shortfall: draw.reserveShortfall, notes: []))
        }
    }

    /// The selection method in words.
    static func methodName(_ method: String) -> LocalizedText {
        switch method {
        case "systematic": return LocalizedText(vi: "hệ thống", en: "systematic")
        case "random": return LocalizedText(vi: "ngẫu nhiên đơn giản", en: "random")
        case "pps": return LocalizedText(vi: "PPS (xác suất tỷ lệ với quy mô)", en: "pps")
        default: return LocalizedText(vi: method, en: method)
        }
    }

    /// The summary on standard output; `reserveOnly` for `sample reserve` (the same draw, only the reserve list written).
    func summary(_ options: SelectionOptions, output: SamplingOutputOptions, written: [LocalizedText], reserveOnly: Bool = false) -> String {
        let style = output.style
        let lang = output.lang, vi = lang == .vi
        let seedNote = options.unitMode || options.randomStart
            ? (vi ? "hạt giống (seed) \(options.seed) (xoshiro256**, mỗi danh sách một dòng số ngẫu nhiên)"
                  : "seed \(options.seed) (xoshiro256**, one stream per list)")
            : (vi ? "hạt giống (seed) \(options.seed) (không dùng: chọn hệ thống từ vị trí 1 không rút ngẫu nhiên)"
                  : "seed \(options.seed) (not used: systematic selection from position 1 draws nothing at random)")
        switch output.format {
        case .json:
            return JSONValue.object([
                ("seed", .integer(Int(truncatingIfNeeded: options.seed))), ("method", .string(options.method)),
                ("random_start", .bool(options.randomStart)),
                ("lists", .array(summaries.map { s in
                    .object([("list", .string(s.group)), ("N", .integer(s.size)), ("n", .integer(s.allocated)),
                             ("k", .number(s.allocated > 0 ? Double(s.size) / Double(s.allocated) : nil)),
                             ("start", .string(s.start.en)), ("taken", .integer(s.taken)), ("census", .bool(s.census)),
                             ("reserve", .integer(s.reserve)), ("reserve_borrowed", .integer(s.borrowed)),
                             ("reserve_shortfall", .integer(s.shortfall)), ("notes", .array(s.notes.map { .string($0.en) }))])
                })),
                ("notes", .array(notes.map { .string($0.en) })), ("written", .array(written.map { .string($0.en) })),
            ]).serialized(indent: 2) + "\n"
        case .table:
            var table = TextTable(headers: vi ? ["danh sách", "N", "n", "k", "bắt đầu", "chọn", "dự phòng", "mượn", "thiếu"]
                                              : ["list", "N", "n", "k", "start", "taken", "reserve", "borrowed", "short"],
                                  alignments: [.left, .right, .right, .right, .left, .right, .right, .right, .right])
            for s in summaries {
                table.append([s.group.isEmpty ? (vi ? "(tất cả)" : "(all)") : s.group, style.integer(s.size), style.integer(s.allocated),
                              s.allocated > 0 ? style.fixed(Double(s.size) / Double(s.allocated), decimals: 2) : "–",
                              s.census ? (vi ? "toàn bộ" : "census") : s.start.text(lang), style.integer(s.taken), style.integer(s.reserve),
                              style.integer(s.borrowed), style.integer(s.shortfall)])
            }
            let method = Self.methodName(options.method).text(lang)
            let percent = style.fixed(options.reserveFraction * 100, decimals: 0)
            let heading: String
            switch (vi, reserveOnly) {
            case (true, true): heading = "Danh sách dự phòng (cùng lần rút với mẫu chính thức): \(method), \(percent)% của n"
            case (true, false): heading = options.unitMode ? "Chọn đơn vị: \(method)" : "Chọn mẫu: \(method), dự phòng \(percent)% của n"
            case (false, true): heading = "Reserve list (the draw of the main sample): \(method), \(percent)% of n"
            case (false, false): heading = "Selection: \(method)" + (options.unitMode ? " (units)" : ", reserve \(percent)% of n")
            }
            var lines = [heading + "; " + seedNote]
            lines.append(table.rendered().trimmingCharacters(in: .newlines))
            lines.append(vi ? "mẫu chính thức: \(style.integer(sampleRows.count)); dự phòng: \(style.integer(reserveRows.count))"
                            : "taken: \(style.integer(sampleRows.count)); reserve: \(style.integer(reserveRows.count))")
            for s in summaries { for note in s.notes { lines.append("\(vi ? "ghi chú" : "note") (\(s.group)): \(note.text(lang))") } }
            for note in notes { lines.append("\(vi ? "ghi chú" : "note"): \(note.text(lang))") }
            lines += written.map { $0.text(lang) }
            if written.isEmpty {
                lines.append(vi ? "chưa ghi danh sách: thêm --output TỆP để ghi danh sách" : "no list written: give --output FILE to write the names")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}

/// `sipas sample select`: the main sample list (and optionally the reserve list).
public struct SampleSelectCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "select",
        abstract: "Draw the main sample from a frame: systematic k = N/n from position 1 (seed 001), or random/PPS units.",
        discussion: """
            Systematic (default): each list is sorted alphabetically (Vietnamese order) by --sort-by, then positions \
            ⌊1 + j·N/n⌋, j = 0 … n − 1 are taken (N = 1,500, n = 20 → 1, 76, …, 1,426); everyone when N ≤ n. \
            --random-start draws t from 0 … N − 1 and takes 1 + ⌊(t + j·N)/n⌋. The reserve (50% of n, rounded up) is \
            drawn the same way from the rest of the list; with --borrow-within, a list that runs short borrows from \
            the other lists sharing those columns.

            Units (--method random|pps, --default-column, --exclude): units marked by default are taken first, the \
            rest drawn; a drawn unit in the excluded list is replaced by the next free unit after it, else before it.

            Examples:
              sipas sample select frame.csv --n 20 --sort-by name --output sample.csv --reserve-output reserve.csv
              sipas sample select frame.csv --group-by unit,field --allocation alloc.csv --sort-by name --borrow-within unit -o sample.csv
              sipas sample select communes.csv --group-by district --n 3 --sort-by commune --method random \\
                  --default-column centre --exclude-file national.txt --unit-column commune -o communes-chosen.csv
            """)

    @OptionGroup var selection: SelectionOptions
    @Option(name: .shortAndLong, help: "Write the main list (with the frame's columns) to this CSV file.")
    public var output: String?
    @Option(name: .long, help: "Write the reserve list to this CSV file.")
    public var reserveOutput: String?
    @OptionGroup var options: SamplingOutputOptions

    public init() {}

    public func validate() throws {
        if selection.unitMode, reserveOutput != nil { throw OptionRefusal(vi: "danh sách dự phòng chỉ dùng khi chọn người theo cách hệ thống", en: "reserve lists are for systematic selection of people") }
    }

    public func render() throws -> String {
        let run = try SelectionRun(selection, language: options.lang)
        var written: [LocalizedText] = []
        if let output {
            try writeList(CSVList.text(header: run.header, rows: run.sampleRows), to: output)
            written.append(LocalizedText(vi: "đã ghi danh sách mẫu chính thức vào \(output)", en: "main list written to \(output)"))
        }
        if let reserveOutput {
            try writeList(CSVList.text(header: run.header, rows: run.reserveRows), to: reserveOutput)
            written.append(LocalizedText(vi: "đã ghi danh sách dự phòng vào \(reserveOutput)", en: "reserve list written to \(reserveOutput)"))
        }
        return run.summary(selection, output: options, written: written)
    }

    public func run() throws { emit(try render()) }
}

/// `sipas sample reserve`: the reserve list alone (the same draw as `select`).
public struct SampleReserveCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reserve",
        abstract: "Draw the reserve list (dự phòng): 50% of n from the rest of each list, same method (seed 001, Step 3).",
        discussion: """
            Runs exactly the draw of `sipas sample select` with the same options (so the reserve never overlaps the \
            main list) and writes only the reserve list.

            Example:
              sipas sample reserve frame.csv --group-by unit,field --allocation alloc.csv --sort-by name --borrow-within unit -o reserve.csv
            """)

    @OptionGroup var selection: SelectionOptions
    @Option(name: .shortAndLong, help: "Write the reserve list to this CSV file.")
    public var output: String?
    @OptionGroup var options: SamplingOutputOptions

    public init() {}

    public func validate() throws {
        if selection.unitMode { throw OptionRefusal(vi: "danh sách dự phòng chỉ dùng khi chọn người theo cách hệ thống", en: "reserve lists are for systematic selection of people") }
    }

    public func render() throws -> String {
        let run = try SelectionRun(selection, language: options.lang)
        var written: [LocalizedText] = []
        if let output {
            try writeList(CSVList.text(header: run.header, rows: run.reserveRows), to: output)
            written.append(LocalizedText(vi: "đã ghi danh sách dự phòng vào \(output)", en: "reserve list written to \(output)"))
        }
        return run.summary(selection, output: options, written: written, reserveOnly: true)
    }

    public func run() throws { emit(try render()) }
}
