import ArgumentParser
import Foundation
import SIPASAnalysis
import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASReport
import SIPASStore
import SIPASSupport

/// `sipas store`: the survey archive — waves kept in one SQLite file, analysed with `STORE --wave W` wherever a
/// command takes a data file.
public struct StoreCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Keep survey waves in one archive file (SQLite): import, list, export, drop.",
        discussion: """
            A store is one file (survey.db) holding every wave: its answers (as codes), the instrument it was \
            collected with, its design and the columns left out. Every analysis command reads a stored wave \
            where it reads a data file: sipas index survey.db --wave 2024 --by unit_id; sipas compare \
            survey.db --wave 2024 --previous-wave 2023 --by unit_id. A stored wave gives exactly the indices \
            and standard errors of its file. See docs/store.md.
            """,
        subcommands: [StoreImportCommand.self, StoreListCommand.self, StoreExportCommand.self, StoreDropCommand.self])

    public init() {}
}

/// `sipas store import STORE DATA --wave W -i INSTRUMENT`: reads, validates and stores a wave in one transaction.
public struct StoreImportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store a survey file as a wave (created with the store when it does not exist).",
        discussion: """
            The file is read as every command reads it (CSV, Excel, SPSS, Stata; --map, --decimal, --sheet) and \
            checked with the instrument. The wave keeps the items, the respondent id, the design's columns, the \
            --by and --keep columns, and the classifications the report reads when the file has them (year, \
            unit_name, unit_level, gender, age_group, channel); every other column (names, phone numbers, \
            addresses) is left out and listed. The instrument (by content) and the design \
            flags are stored with the wave and are its defaults in every analysis. An existing wave is replaced \
            only with --replace; an import that fails leaves the store as it was.

            Example: sipas store import survey.db datasets/sipas-2024-synthetic.csv --wave 2024 -i khanhhoa-admin \
            --strata stratum --cluster cluster --weight weight --by unit_id
            """)

    @Argument(help: ArgumentHelp("The store: a file (created if missing), e.g. survey.db, or a PostgreSQL URL, e.g. postgres://user@host/db (the database must exist; password from PGPASSWORD or ~/.pgpass).", valueName: "store"))
    public var store: String

    @OptionGroup public var dataOptions: DataOptions

    @OptionGroup(title: "Survey design (stored with the wave)") public var designOptions: DesignOptions

    @Option(name: .long, help: ArgumentHelp("Group columns to keep (e.g. unit_id or unit_level,unit_id).", valueName: "col[,col2…]"))
    public var by: String?

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Another column to keep; repeat or separate with commas.", valueName: "column"))
    public var keep: [String] = []

    @Option(name: .long, help: ArgumentHelp("The fieldwork outcome file `sipas sample accounting` reads: its counts (issued, returned, valid, re-checks) are stored with the wave and fill the report's fieldwork table; its rows are not stored.", valueName: "file"))
    public var fieldwork: String?

    @Flag(name: .long, help: "Replace the wave when the store already has it.")
    public var replace = false

    @Option(name: .long, help: "Language of the messages: vi or en.")
    public var lang: Language = .vi

    public init() {}

    public func validate() throws {
        guard let wave = dataOptions.wave, !wave.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw OptionRefusal(vi: "hãy đặt tên đợt bằng --wave (ví dụ --wave 2024)", en: "name the wave with --wave (e.g. --wave 2024)")
        }
        guard dataOptions.instrument != nil else {
            throw OptionRefusal(vi: "hãy ghi bộ câu hỏi của đợt bằng -i TÊN|TỆP", en: "give the wave's instrument with -i NAME|FILE")
        }
    }

    public func run() throws { emit(try summary().text(lang) + "\n") }

    /// Columns the report reads when the file has them (the year, unit names and levels, the respondents'
    /// composition): survey classifications, not personal data, kept so a stored wave's report is the file's.
    public static let reportColumns = ["year", "unit_name"] + SurveyAnalysis.compositionVariables

    /// Reads the file twice (with the instrument, and its answer columns as plain text) and stores the wave.
    public func summary() throws -> StoreImportReport {
        var source = dataOptions
        source.wave = nil
        let design = try designOptions.specification
        // A wave keeps strata, clusters, weight and FPC; replicate weights would be dropped without a word.
        try ReplicatesUnsupported.check(design, command: "store import", alternative: "analyse the file itself with --design",
                                        vi: "phân tích trực tiếp tệp dữ liệu với --design")
        let groups = nameList(by ?? "")
        let keep = groups + Self.reportColumns + keep.flatMap(nameList)
        // Only the columns the wave keeps are decoded: the items, and as text the id, the design's, the groups,
        // the report's classifications and the --keep ones; every other column is counted as left out.
        let table = try source.load(keeping: design.columns + keep)
        let instrumentName = source.instrument!
        let instrumentText: String
        if let preset = InstrumentPreset.all.first(where: { $0.name == instrumentName }) {
            instrumentText = preset.yaml
        } else {
            guard let data = FileManager.default.contents(atPath: instrumentName), let text = String(data: data, encoding: .utf8) else {
                throw InstrumentError(file: instrumentName, line: nil, field: "", message: "cannot read the file (does it exist?)",
                                      vi: "không đọc được tệp (tệp có tồn tại không?)")
            }
            instrumentText = text
        }
        // The answer cells as written (a missing code, a label, an invalid entry keeps its text in the store).
        let items = table.items.map(\.sourceColumn)
        var plain = try source.readOptions()
        plain.keptColumns = Set(items)
        let cells = try DataFile.read(path: source.data, columns: items, options: plain, selection: source.sheetOptions.selection)
        for column in design.columns + groups { _ = try table.requireMetadata(column) }
        let wave = WaveImport(wave: dataOptions.wave!, source: source.data,
                              instrumentName: InstrumentPreset.names.contains(instrumentName) ? instrumentName : (instrumentName as NSString).lastPathComponent,
                              instrumentText: instrumentText, table: table, cells: cells,
                              keep: keep.filter { !Self.reportColumns.contains($0) || table.metadata(named: $0) != nil }, design: design,
                              idColumn: dataOptions.id, columnMap: try dataOptions.columnMapping(),
                              fieldwork: try fieldwork.map { try ReportCommand.fieldworkCounts(file: $0).storedCounts })
        let store = try SurveyStore(path: store, create: true)
        let result = try store.importWave(wave, replace: replace)
        return StoreImportReport(store: self.store, summary: result, instrument: wave.instrumentName,
                                 calibrationLeftOut: design.calibration != nil, fieldwork: wave.fieldwork)
    }
}

/// What `store import` tells the user.
public struct StoreImportReport: Sendable {
    public var store: String
    public var summary: ImportSummary
    public var instrument: String
    public var calibrationLeftOut: Bool
    public var fieldwork: [String: Int]?

    public func text(_ language: Language) -> String {
        let style = NumberStyle(language: language)
        let s = summary, vi = language == .vi
        var lines: [String] = []
        lines.append(vi
            ? "\(s.replaced ? "Đã thay" : "Đã lưu") đợt \(s.wave) \(s.replaced ? "trong" : "vào") kho \(StoreLocation.redacted(store)): \(style.integer(s.rows)) hàng, \(s.columns.count) cột, bộ câu hỏi \(instrument)."
            : "\(s.replaced ? "Replaced" : "Stored") wave \(s.wave) in \(StoreLocation.redacted(store)): \(style.integer(s.rows)) rows, \(s.columns.count) columns, instrument \(instrument).")
        if !s.leftOut.isEmpty {
            lines.append(vi
                ? "Không lưu \(s.leftOut.count) cột: \(s.leftOut.joined(separator: ", ")) (giữ lại bằng --keep CỘT)."
                : "Left out \(s.leftOut.count) columns: \(s.leftOut.joined(separator: ", ")) (keep one with --keep COLUMN).")
        }
        if s.invalidCells > 0 {
            lines.append(vi
                ? "\(style.integer(s.invalidCells)) ô trả lời không hợp lệ được lưu nguyên văn; mọi phân tích coi là thiếu và báo lại như với tệp."
                : "\(style.integer(s.invalidCells)) invalid answer cells are stored as written; every analysis treats them as missing and reports them as for the file.")
        }
        if let fieldwork {
            let count = { (key: String) in fieldwork[key].map { style.integer($0) } ?? "–" }
            lines.append(vi
                ? "Lưu số liệu thực địa: phát ra \(count("issued")), thu về \(count("returned")), hợp lệ \(count("valid")), phúc tra \(count("rechecked")) (không lưu các dòng của tệp)."
                : "Stored the fieldwork counts: issued \(count("issued")), returned \(count("returned")), valid \(count("valid")), re-checked \(count("rechecked")) (the file's rows are not stored).")
        }
        if calibrationLeftOut {
            lines.append(vi
                ? "Khối calibration của tệp thiết kế không được lưu: khi phân tích, hãy ghi lại --design TỆP."
                : "The design file's calibration block is not stored: give --design FILE again when analysing.")
        }
        return lines.joined(separator: "\n")
    }
}

/// `sipas store list STORE`: the waves, their sizes, instruments and designs.
public struct StoreListCommand: DocumentCommand {
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List the waves of a store.")

    @Argument(help: ArgumentHelp("The store: a file, e.g. survey.db, or a PostgreSQL URL, e.g. postgres://user@host/db.", valueName: "store")) public var store: String
    @Option(name: .long, help: "Language of the table: vi or en.") public var lang: Language = .vi
    @OptionGroup public var resultOutput: ResultOutputOptions

    public init() {}

    public func document() throws -> ResultDocument {
        let waves = try SurveyStore(path: store).waves()
        let vi = lang == .vi
        var table = TextTable(headers: vi ? ["Đợt", "Số hàng", "Số cột", "Bộ câu hỏi", "Thiết kế", "Tệp gốc", "Nhập lúc"]
                                         : ["Wave", "Rows", "Columns", "Instrument", "Design", "Source", "Imported"],
                              alignments: [.left, .right, .right, .left, .left, .left, .left])
        for wave in waves {
            table.append(cells: [.text(wave.name), .integer(wave.rows), .integer(wave.columns), .text(wave.instrument),
                                 .text(wave.design.isEmpty ? (vi ? "mẫu ngẫu nhiên đơn giản" : "simple random sample") : wave.design.description.text(lang)),
                                 .text(wave.source), .text(wave.importedAt)])
        }
        var document = ResultDocument(title: vi ? "Các đợt trong kho \(StoreLocation.redacted(store))" : "Waves in \(StoreLocation.redacted(store))", language: lang,
                                      json: .object([("store", .string(StoreLocation.redacted(store))), ("waves", .array(waves.map { wave in
                                          .object([("wave", .string(wave.name)), ("rows", .integer(wave.rows)),
                                                   ("columns", .integer(wave.columns)), ("instrument", .string(wave.instrument)),
                                                   ("design", .string(wave.design.summary)), ("source", .string(wave.source)),
                                                   ("imported_at", .string(wave.importedAt))])
                                      }))]))
        if waves.isEmpty { document.paragraph(vi ? "Kho chưa có đợt nào." : "The store has no wave yet.") } else { document.table(table) }
        return document
    }
}

/// `sipas store export STORE --wave W --output FILE`: a wave as the CSV file it reads back from.
public struct StoreExportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a stored wave as a CSV file (UTF-8, the stored columns).")

    @Argument(help: ArgumentHelp("The store: a file, e.g. survey.db, or a PostgreSQL URL, e.g. postgres://user@host/db.", valueName: "store")) public var store: String
    @Option(name: .long, help: ArgumentHelp("The wave to export.", valueName: "wave")) public var wave: String
    @Option(name: .shortAndLong, help: ArgumentHelp("The CSV file to write.", valueName: "file")) public var output: String
    @Option(name: .long, help: "Language of the messages: vi or en.") public var lang: Language = .vi

    public init() {}

    public func run() throws {
        let store = try SurveyStore(path: store)
        let text = try store.csvText(wave: wave)
        try OutputFile.write(text, to: output)
        let rows = max(0, text.split(separator: "\n", omittingEmptySubsequences: false).count - 2)
        emit(lang == .vi ? "Đã ghi đợt \(wave) (\(NumberStyle(language: lang).integer(rows)) hàng) vào \(output)."
                         : "Wrote wave \(wave) (\(NumberStyle(language: lang).integer(rows)) rows) to \(output).")
    }
}

/// `sipas store drop STORE --wave W`: removes a wave.
public struct StoreDropCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "drop", abstract: "Remove a wave from a store.")

    @Argument(help: ArgumentHelp("The store: a file, e.g. survey.db, or a PostgreSQL URL, e.g. postgres://user@host/db.", valueName: "store")) public var store: String
    @Option(name: .long, help: ArgumentHelp("The wave to remove.", valueName: "wave")) public var wave: String
    @Option(name: .long, help: "Language of the messages: vi or en.") public var lang: Language = .vi

    public init() {}

    public func run() throws {
        try SurveyStore(path: store).drop(wave: wave)
        emit(lang == .vi ? "Đã xóa đợt \(wave) khỏi kho \(StoreLocation.redacted(store))." : "Removed wave \(wave) from \(store).")
    }
}

extension Fieldwork {
    /// The counts as a store keeps them (only those known).
    var storedCounts: [String: Int] {
        let pairs: [(String, Int?)] = [("issued", issued), ("returned", returned), ("valid", valid), ("rechecked", rechecked),
                                       ("recheck_confirmed", recheckConfirmed), ("recheck_unreachable", recheckUnreachable),
                                       ("recheck_refused", recheckRefused)]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { key, value in value.map { (key, $0) } })
    }

    /// The counts a store kept with a wave.
    init(stored counts: [String: Int]) {
        self.init(issued: counts["issued"], returned: counts["returned"], valid: counts["valid"], rechecked: counts["rechecked"],
                  recheckConfirmed: counts["recheck_confirmed"], recheckUnreachable: counts["recheck_unreachable"],
                  recheckRefused: counts["recheck_refused"])
    }
}
