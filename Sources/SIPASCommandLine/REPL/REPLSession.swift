import ArgumentParser
import Foundation
import SIPASSupport
import SIPASData
import SIPASStore
import SIPASInstrument
import SIPASReport

/// The state of an interactive session and the command language shared by the REPL and `sipas run`.
///
/// Session commands change the state: `open`, `use`, `instrument`, `design`, `where`, `set`, `let`. Analysis
/// commands (`index`, `estimate`, `compare`, `regress`, `alpha`, …) are the one-shot subcommands with the
/// state filled in: the current dataset, instrument, design flags, language, format, interval method and
/// seed — unless the line gives them itself. `COMMAND … > FILE` writes the output to FILE. A failing line
/// leaves the state exactly as it was.
public final class REPLSession {
    public struct Dataset: Equatable {
        public var name: String
        public var path: String
        public var rows: Int
        public var columns: [String]
        /// The sheet and header row of a workbook, as `open … --sheet` gave them; passed to every analysis.
        public var selection = SheetSelection()
        /// The wave, when the dataset is a wave of a store (`open survey.db --wave 2024`); passed to every analysis.
        public var wave: String?

        /// The dataset's columns as plain text (`columns` of them; all when nil), from its file or its store.
        func plainColumns(_ columns: [String]) throws -> ResponseTable {
            if let wave {
                return try SurveyStore(path: path).readColumns(wave: wave, columns: columns, options: CSVReadOptions(keptColumns: Set(columns)))
            }
            return try DataFile.read(path: path, instrument: .none, options: CSVReadOptions(keptColumns: Set(columns)), selection: selection,
                                     neededColumns: columns)
        }
    }

    public struct State: Equatable {
        public var datasets: [Dataset] = []
        public var current: String?
        public var instrument: String?
        public var design: [String] = []
        var filter: RowFilter?
        public var language: Language = .vi
        public var format: String?
        public var intervalMethod: String?
        public var seed: UInt64 = 2024
        /// `set timing on`: each analysis reports its wall time.
        public var timing = false
        public var variables: [String: String] = [:]
        /// The last `--by` an analysis was given: `compare` (which needs one) uses it when the line has none.
        public var lastBy: String?

        public var filterDescription: String? { filter?.description }
        var currentDataset: Dataset? { datasets.first { $0.name == current } }
    }

    /// The outcome of one line.
    public struct Outcome {
        public var output: String
        public var failed: Bool
        public var quit: Bool
    }

    public private(set) var state = State()
    /// The output of the last analysis command, for `export FILE`.
    public private(set) var lastOutput: String?
    /// The result of the last analysis command that has one (index, compare, drivers, models): `export FILE`
    /// writes it in the format the file's extension names.
    public private(set) var lastDocument: ResultDocument?
    private var pendingDocument: ResultDocument?
    /// The last report, for `export FILE.xlsx|.html|.md|.json` after `report`.
    public private(set) var lastReport: SurveyReport?
    private var pendingReport: SurveyReport?
    /// Where relative paths (open, > FILE) are resolved.
    public var workingDirectory: String
    /// The tables this session has read (each file parsed once while it is unchanged).
    let tables = TableCache()

    public init(variables: [String: String] = [:], workingDirectory: String = FileManager.default.currentDirectoryPath,
                language: Language = .vi) {
        state.variables = variables
        state.language = language
        self.workingDirectory = workingDirectory
    }

    public static let sessionCommands = ["open", "use", "datasets", "instrument", "design", "where", "set", "let", "default", "show", "export",
                                         "history", "save", "help", "quit", "exit"]

    /// The lines that ran without error, as typed, in order: what `history` lists and `save` writes. Lines that
    /// only look (help, show, history, datasets) or write the log itself (save) are left out.
    public private(set) var log: [[String]] = []
    static let unloggedCommands: Set<String> = ["help", "show", "history", "save", "datasets", "quit", "exit"]
    public static let analysisCommands = ["index", "estimate", "compare", "regress", "alpha", "factors", "ologit", "drivers", "importance", "report",
                                          "weights", "prepare", "instruments", "generate", "sample", "store", "trend"]

    /// Runs one line. Errors are reported in the outcome; the state is unchanged when a line fails.
    public func execute(_ line: String) -> Outcome {
        let saved = state
        do {
            var words = try CommandWords.split(line, variables: state.variables)
            let typed = words
            guard let command = words.first else { return Outcome(output: "", failed: false, quit: false) }
            words.removeFirst()
            var redirect: String?
            if let arrow = words.firstIndex(of: ">") {
                guard arrow == words.count - 2 else { throw failure("sau '>' phải là đúng một tên tệp, ở cuối dòng", "'>' must be followed by exactly one file name at the end of the line") }
                redirect = resolve(words[arrow + 1])
                words.removeSubrange(arrow...)
            }
            let started = Date()
            _ = tables.takeReadStatistics()
            pendingDocument = nil
            pendingReport = nil
            var output = try run(command.lowercased(), words)
            let isAnalysis = Self.analysisCommands.contains(command.lowercased())
            if isAnalysis {
                lastOutput = output
                // A command without a document (report, sample, …) leaves none behind for export.
                lastDocument = pendingDocument
                lastReport = pendingReport
            }
            if let redirect {
                try OutputFile.write(output, to: redirect)
                output = message("đã ghi \(redirect)", "wrote \(redirect)")
            }
            if state.timing && isAnalysis {
                let seconds = String(format: "%.3f", Date().timeIntervalSince(started))
                let read = tables.takeReadStatistics()
                var reading = ""
                if read.bytes > 0 && read.seconds > 0 {
                    let rate = String(format: "%.0f", Double(read.bytes) / 1_000_000 / read.seconds)
                    let readSeconds = String(format: "%.3f", read.seconds)
                    reading = state.language == .vi ? ", trong đó đọc tệp \(readSeconds) giây, \(rate) MB/giây"
                        : ", of which reading the file \(readSeconds) s at \(rate) MB/s"
                }
                output += message("(\(command.lowercased()): \(seconds) giây\(reading))", "(\(command.lowercased()): \(seconds) s\(reading))")
            }
            // Logged with the variables as they were then, so that a replay runs exactly this line.
            // A server's password never reaches the session's log (nor `save`d scripts).
            if !Self.unloggedCommands.contains(command.lowercased()) { log.append(typed.map(StoreLocation.redacted)) }
            return Outcome(output: output, failed: false, quit: command == "quit" || command == "exit")
        } catch {
            state = saved
            return Outcome(output: describe(error), failed: true, quit: false)
        }
    }

    func message(_ vi: String, _ en: String) -> String { (state.language == .vi ? vi : en) + "\n" }

    func resolve(_ path: String) -> String {
        if StoreLocation.isServer(path) { return path }
        return ((path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)) as NSString).standardizingPath
    }

    /// An error as one readable message (ArgumentParser's own wording for option errors).
    func describe(_ error: Error) -> String {
        let text: String
        if let failure = error as? LocalizedFailure {
            text = failure.text(state.language)
        } else if error is SessionError {
            text = String(describing: error)
        } else {
            let full = CommandLanguage.$current.withValue(state.language) { SIPASCommand.fullMessage(for: error) }
            text = full.isEmpty ? String(describing: error) : full
        }
        // Usage lines belong to the one-shot command line, not to a session.
        var body = text.components(separatedBy: "\n")
            .filter { !$0.hasPrefix("Usage: ") && !$0.hasPrefix("  See 'sipas") }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("Error: ") { body.removeFirst("Error: ".count) }
        return (state.language == .vi ? "Lỗi: " : "Error: ") + ParserMessages.text(body, state.language) + "\n"
    }

    struct SessionError: Error, CustomStringConvertible { var description: String }

    func run(_ command: String, _ words: [String]) throws -> String {
        switch command {
        case "open": return try open(words)
        case "use":
            guard words.count == 1, state.datasets.contains(where: { $0.name == words[0] }) else {
                let open = state.datasets.map(\.name).joined(separator: ", ")
                throw failure("cách dùng: use TÊN — các bộ dữ liệu đang mở: \(open)", "usage: use NAME — open datasets: \(open)")
            }
            state.current = words[0]
            return message("đang dùng \(words[0])", "using \(words[0])")
        case "datasets":
            return state.datasets.map {
                "\($0.name == state.current ? "*" : " ") \($0.name): \(StoreLocation.redacted($0.path)) (\(NumberStyle(language: state.language).integer($0.rows)) \(state.language == .vi ? "dòng" : "rows"))"
            }.joined(separator: "\n") + "\n"
        case "instrument":
            guard words.count == 1 else { throw usage("instrument TÊN|TỆP (mẫu có sẵn: \(InstrumentPreset.names.joined(separator: ", ")))", "instrument NAME|FILE (presets: \(InstrumentPreset.names.joined(separator: ", ")))") }
            let target = InstrumentPreset.names.contains(words[0]) ? words[0] : resolve(words[0])
            let instrument = try Instrument.resolve(target)
            if let dataset = state.currentDataset {
                let missing = instrument.criteria.map(\.id).filter { !dataset.columns.contains($0) }
                if !missing.isEmpty {
                    throw failure("\(dataset.name) không có cột cho \(missing.joined(separator: ", ")); hãy ghép cột bằng --map trong lệnh phân tích, hoặc mở tệp khác",
                                  "\(dataset.name) has no column for \(missing.joined(separator: ", ")); map columns with --map on the analysis command, or open another file")
                }
            }
            state.instrument = target
            return message("bộ câu hỏi: \(instrument.id) (\(instrument.criteria.count) tiêu chí)", "instrument: \(instrument.id) (\(instrument.criteria.count) criteria)")
        case "design":
            if words == ["clear"] { state.design = []; return message("thiết kế: mẫu ngẫu nhiên đơn giản", "design: simple random sample") }
            if words.count == 1, !words[0].hasPrefix("-") { state.design = ["--design", resolve(words[0])] } else {
                var options = try DesignOptions.parse(words)
                options.design = options.design.map(resolve)
                let specification = try options.specification
                // Columns are checked now, not at the next analysis (a typo such as --strata stratm).
                if let dataset = state.currentDataset {
                    // A replicate prefix ("rw*") must match at least one column.
                    for column in specification.columns where column.hasSuffix("*") ? !dataset.columns.contains(where: { $0.hasPrefix(column.dropLast()) })
                        : !dataset.columns.contains(column) {
                        let near = dataset.columns.filter { $0.lowercased().hasPrefix(String(column.lowercased().prefix(3))) }
                        throw failure("\(dataset.name) không có cột '\(column)'"
                                          + (near.isEmpty ? "" : "; có phải ý bạn là \(near.prefix(3).joined(separator: " hoặc "))?"),
                                      "\(dataset.name) has no column '\(column)'"
                                          + (near.isEmpty ? "" : "; did you mean \(near.prefix(3).joined(separator: " or "))?"))
                    }
                }
                state.design = words
            }
            return message("thiết kế: \(state.design.joined(separator: " "))", "design: \(state.design.joined(separator: " "))")
        case "where":
            if words.isEmpty { return (state.filter?.description ?? message("(không lọc)", "(no filter)")) + (state.filter == nil ? "" : "\n") }
            if words == ["clear"] { state.filter = nil; return message("bỏ lọc", "filter cleared") }
            let filter = try RowFilter.parse(words)
            if let dataset = state.currentDataset {
                let columns = filter.conditions.map(\.column)
                let table = try dataset.plainColumns(columns)
                let keep = try filter.mask(table)
                state.filter = filter
                let kept = keep.filter { $0 }.count
                let vi = NumberStyle(language: .vi)
                return message("lọc: \(filter.description) — giữ \(vi.integer(kept))/\(vi.integer(table.rowCount)) dòng",
                               "filter: \(filter.description) — keeps \(kept) of \(table.rowCount) rows")
            }
            state.filter = filter
            return message("lọc: \(filter.description)", "filter: \(filter.description)")
        case "set": return try set(words)
        case "let", "default":
            guard words.count >= 3, words[1] == "=" else { throw usage("\(command) TÊN = GIÁ_TRỊ", "\(command) NAME = VALUE") }
            // `default` sets a variable only when the command line (--set) has not.
            if command == "let" || state.variables[words[0]] == nil {
                state.variables[words[0]] = words[2...].joined(separator: " ")
            }
            return ""
        case "show": return showState()
        case "export": return try export(words)
        case "history":
            guard words.isEmpty else { throw failure("history (không có tham số)", "history (takes no arguments)") }
            return log.enumerated().map { String(format: "%4d  ", $0.offset + 1) + CommandWords.joined($0.element) }
                .joined(separator: "\n") + (log.isEmpty ? "" : "\n")
        case "save": return try save(words)
        case "help": return REPLHelp.text(words.first, language: state.language)
        case "quit", "exit": return ""
        default:
            if command == "instruments" { return try InstrumentCommand.List.parse(["--lang", state.language.rawValue]).render() }
            if Self.analysisCommands.contains(command) {
                return try analysis(command, words)
            }
            let all = (Self.sessionCommands + Self.analysisCommands).sorted()
            let close = all.filter { $0.hasPrefix(String(command.prefix(2))) }
            throw failure("không có lệnh '\(command)'" + (close.isEmpty ? "." : "; có phải ý bạn là \(close.joined(separator: " hoặc "))?") + " Gõ help để xem danh sách lệnh.",
                          "unknown command '\(command)'" + (close.isEmpty ? "." : "; did you mean \(close.joined(separator: " or "))?") + " Type help for the list.")
        }
    }

    /// A session error in the session's language.
    func failure(_ vi: String, _ en: String) -> SessionError { SessionError(description: state.language == .vi ? vi : en) }
    /// How a session command is typed, after "cách dùng:" / "usage:"; `en` defaults to the same syntax.
    func usage(_ vi: String, _ en: String? = nil) -> SessionError { failure("cách dùng: " + vi, "usage: " + (en ?? vi)) }

    /// `export FILE`: the last result in the format the extension names (.xlsx a workbook, .csv, .json, .md,
    /// .txt the text as shown); any other extension is refused.
    func export(_ words: [String]) throws -> String {
        guard words.count == 1 else {
            throw failure("export TỆP — ghi kết quả phân tích gần nhất (.xlsx, .csv, .json, .md hoặc .txt)",
                          "export FILE — writes the last analysis result (.xlsx, .csv, .json, .md or .txt)")
        }
        guard lastOutput != nil else { throw failure("chưa có gì để ghi: hãy chạy một phân tích trước", "nothing to export yet: run an analysis first") }
        let path = resolve(words[0])
        let shown = (words[0] as NSString).lastPathComponent
        if let lastReport {
            // After `report`: its workbook (one sheet per Biểu), page, Markdown or JSON.
            switch (path as NSString).pathExtension.lowercased() {
            case "xlsx": try OutputFile.writing(to: path) { try lastReport.writeXLSX(to: $0) }
            case "html", "htm": try OutputFile.write(lastReport.html(), to: path)
            case "md": try OutputFile.write(lastReport.markdown(), to: path)
            case "json": try OutputFile.write(lastReport.json().serialized(indent: 2) + "\n", to: path)
            case "txt": try OutputFile.write(lastOutput ?? "", to: path)
            default:
                throw failure("sau report, export ghi tệp .xlsx, .html, .md, .json hoặc .txt; '\(shown)' không có đuôi nào trong số này",
                              "after report, export writes .xlsx, .html, .md, .json or .txt files; '\(shown)' has none of these extensions")
            }
            return message("đã ghi \(path)", "wrote \(path)")
        }
        guard let format = OutputFormat.implied(byPath: path) else {
            throw failure("export ghi tệp .xlsx, .csv, .json, .md hoặc .txt; '\(shown)' không có đuôi nào trong số này",
                          "export writes .xlsx, .csv, .json, .md or .txt files; '\(shown)' has none of these extensions")
        }
        if let lastDocument {
            try ResultOutputOptions(format: format, output: path).deliver(lastDocument)
        } else if format == .table, let lastOutput {
            try OutputFile.write(lastOutput, to: path)
        } else {
            throw failure("kết quả gần nhất không phải là bảng (sample …): export TỆP.txt ghi văn bản của nó",
                          "the last result is not a table (sample, …): export FILE.txt writes its text")
        }
        return message("đã ghi \(path)", "wrote \(path)")
    }

    /// `save FILE.sipas`: the session's commands as a script that `sipas run FILE.sipas` replays to the same
    /// outputs. Relative paths in the lines are made absolute when the script goes to another folder (a script
    /// resolves them against its own folder).
    func save(_ words: [String]) throws -> String {
        guard words.count == 1 else { throw failure("save TỆP.sipas — ghi các lệnh của phiên thành kịch bản", "save FILE.sipas — writes the session's commands as a script") }
        let path = resolve(words[0])
        guard (path as NSString).pathExtension.lowercased() == "sipas" else {
            throw failure("save ghi kịch bản .sipas (để chạy lại bằng sipas run); hãy đặt tên tệp có đuôi .sipas",
                          "save writes a .sipas script (replayed by sipas run): give the file a .sipas name")
        }
        let sameFolder = OutputFile.parentFolder(of: path) == (workingDirectory as NSString).standardizingPath
        let lines = log.map { CommandWords.joined(sameFolder ? $0 : absolutePaths(in: $0)) }
        let header = message("# Phiên sipas, lưu ngày \(Self.today()); chạy lại: sipas run \((path as NSString).lastPathComponent)",
                             "# sipas session saved on \(Self.today()); replay: sipas run \((path as NSString).lastPathComponent)")
        try OutputFile.write(header + lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n"), to: path)
        return message("đã ghi \(path) (\(lines.count) lệnh)", "wrote \(path) (\(lines.count) commands)")
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    /// The line with each relative word that names a file (it contains a '/' or ends with a data, instrument,
    /// design or output extension) resolved against the session's folder; quoted when it holds a space.
    func absolutePaths(in words: [String]) -> [String] {
        let extensions = ["csv", "tsv", "txt", "xlsx", "xlsm", "sav", "zsav", "dta", "yaml", "yml", "json", "md", "html", "sipas"]
        return words.enumerated().map { index, word -> String in
            guard index > 0 else { return word }
            let looksLikeFile = word.contains("/") || extensions.contains((word as NSString).pathExtension.lowercased())
            guard looksLikeFile, !word.hasPrefix("/"), !word.hasPrefix("-"), !word.contains("=") else { return word }
            return resolve(word)
        }
    }

    func open(_ words: [String]) throws -> String {
        let usage = usage("open TỆP [--sheet TÊN|N] [--header-row N] [as TÊN] · open KHO --wave ĐỢT [as TÊN]",
                          "open FILE [--sheet NAME|N] [--header-row N] [as NAME] · open STORE --wave W [as NAME]")
        guard let file = words.first else { throw usage }
        var selection = SheetSelection(), alias: String?, wave: String?
        var index = 1
        while index < words.count {
            guard index + 1 < words.count else { throw usage }
            let value = words[index + 1]
            switch words[index] {
            case "--sheet", "sheet": selection.sheet = value
            case "--header-row":
                guard let row = Int(value), (1...1_048_576).contains(row) else { throw failure("--header-row phải là số dòng từ 1 đến 1.048.576", "--header-row must be a row number from 1 to 1,048,576") }
                selection.headerRow = row
            case "as": alias = value
            case "--wave", "wave": wave = value
            default: throw usage
            }
            index += 2
        }
        let path = resolve(file)
        if wave != nil || SurveyStore.isStore(path: path) {
            guard let wave else {
                let waves = (try? SurveyStore(path: path).waves().map(\.name)) ?? []
                let shown = StoreLocation.redacted(file)
                throw failure("\(shown) là kho dữ liệu: hãy chọn đợt bằng open \(shown) --wave ĐỢT (các đợt: \(waves.joined(separator: ", ")))",
                              "\(shown) is a store: choose a wave with open \(shown) --wave W (waves: \(waves.joined(separator: ", ")))")
            }
            let store = try SurveyStore(path: path)
            let stored = try store.wave(wave)
            let rows = try store.waves().first { $0.name == wave }?.rows ?? 0
            let name = alias ?? wave
            let dataset = Dataset(name: name, path: path, rows: rows, columns: stored.columns, wave: wave)
            state.datasets.removeAll { $0.name == name }
            state.datasets.append(dataset)
            state.current = name
            return message("đã mở đợt \(wave) của kho \(store.name) thành \(name): \(NumberStyle(language: .vi).integer(rows)) dòng, \(stored.columns.count) cột, bộ câu hỏi \(stored.instrumentName)",
                           "opened wave \(wave) of \(store.name) as \(name): \(rows) rows, \(stored.columns.count) columns, instrument \(stored.instrumentName)")
        }
        // The whole file is checked (encoding, quoting, field counts) and its rows counted, but no cell is decoded:
        // each analysis later reads the columns it needs, once per session (see TableCache).
        let table = try DataFile.read(path: path, instrument: .none, options: CSVReadOptions(keptColumns: []), selection: selection)
        let name = alias ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let dataset = Dataset(name: name, path: path, rows: table.rowCount, columns: table.skippedColumns, selection: selection)
        state.datasets.removeAll { $0.name == name }
        state.datasets.append(dataset)
        state.current = name
        let place = SheetLayout.registered(for: path).map { layout in
            message(", trang '\(layout.sheet)', dòng tiêu đề \(layout.headerRow)", ", sheet '\(layout.sheet)', header row \(layout.headerRow)")
                .trimmingCharacters(in: .newlines)
        } ?? ""
        return message("đã mở \(name): \(NumberStyle(language: .vi).integer(table.rowCount)) dòng, \(dataset.columns.count) cột\(place)",
                       "opened \(name): \(table.rowCount) rows, \(dataset.columns.count) columns\(place)")
    }

    func set(_ words: [String]) throws -> String {
        guard words.count == 2 else { throw usage("set lang vi|en · set format table|json|csv|md · set ci beta|logit|wilson|t|percentile|bca · set seed N · set timing on|off") }
        switch words[0] {
        case "lang", "language":
            guard let language = Language(rawValue: words[1]) else { throw usage("set lang vi|en") }
            state.language = language
        case "format":
            guard ["table", "json", "csv", "md"].contains(words[1]) else {
                throw words[1] == "xlsx"
                    ? failure("cách dùng: set format table|json|csv|md — muốn có sổ Excel, hãy chạy phân tích rồi: export TỆP.xlsx",
                              "usage: set format table|json|csv|md — for a workbook, run the analysis and then: export FILE.xlsx")
                    : usage("set format table|json|csv|md")
            }
            state.format = words[1]
        case "ci":
            guard ["beta", "logit", "wilson", "t", "percentile", "bca"].contains(words[1]) else { throw usage("set ci beta|logit|wilson|t|percentile|bca") }
            state.intervalMethod = words[1]
        case "seed":
            guard let seed = UInt64(words[1]) else { throw usage("set seed N (một số nguyên ≥ 0)", "set seed N (a whole number ≥ 0)") }
            state.seed = seed
        case "timing":
            guard ["on", "off"].contains(words[1]) else { throw usage("set timing on|off") }
            state.timing = words[1] == "on"
        default:
            throw failure("không có thiết lập '\(words[0])' (lang, format, ci, seed, timing)", "unknown setting '\(words[0])' (lang, format, ci, seed, timing)")
        }
        return message("\(words[0]) = \(words[1])", "\(words[0]) = \(words[1])")
    }

    func showState() -> String {
        let vi = state.language == .vi
        func pick(_ v: String, _ e: String) -> String { vi ? v : e }
        var lines: [String] = []
        lines.append(pick("dữ liệu: ", "dataset: ") + (state.currentDataset.map {
            "\($0.name) (\(StoreLocation.redacted($0.path)), \(NumberStyle(language: state.language).integer($0.rows)) \(pick("dòng", "rows")))"
        } ?? "–"))
        lines.append(pick("bộ câu hỏi: ", "instrument: ") + (state.instrument ?? "–"))
        lines.append(pick("thiết kế: ", "design: ") + (state.design.isEmpty ? pick("mẫu ngẫu nhiên đơn giản", "simple random sample") : state.design.joined(separator: " ")))
        lines.append(pick("lọc (where): ", "where: ") + (state.filter?.description ?? "–"))
        lines.append("lang: \(state.language.rawValue) · format: \(state.format ?? "table") · ci: \(state.intervalMethod ?? "beta") · seed: \(state.seed)")
        if let by = state.lastBy { lines.append(pick("by (cho compare): ", "by (compare): ") + by) }
        if !state.variables.isEmpty {
            lines.append(pick("biến: ", "variables: ") + state.variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What each analysis command accepts from the session.
    struct Accepts {
        var data = true, instrument = false, optionalInstrument = false, design = false, language = false, ci = false, seed = false
        var formats: [String] = ["table", "json"]
    }

    /// What `set format` may choose for commands with a document (a workbook needs a file: export FILE.xlsx).
    static let documentFormats = ["table", "json", "csv", "md"]

    static let accepts: [String: Accepts] = [
        "index": Accepts(instrument: true, design: true, language: true, ci: true, seed: true, formats: documentFormats),
        "compare": Accepts(instrument: true, design: true, language: true, seed: true, formats: documentFormats),
        "estimate": Accepts(design: true, language: true, formats: documentFormats),
        "regress": Accepts(optionalInstrument: true, language: true, seed: true, formats: documentFormats),
        "alpha": Accepts(optionalInstrument: true, language: true, formats: documentFormats),
        "factors": Accepts(optionalInstrument: true, language: true, formats: documentFormats),
        "ologit": Accepts(optionalInstrument: true, language: true, formats: documentFormats),
        "drivers": Accepts(instrument: true, design: true, language: true, seed: true, formats: documentFormats),
        "importance": Accepts(optionalInstrument: true, design: true, language: true, seed: true, formats: documentFormats),
        "report": Accepts(instrument: true, design: true, language: true, seed: true, formats: ["html", "md", "json"]),
        "weights": Accepts(design: true, language: true),
        "generate": Accepts(data: false, language: true, formats: []),
        "prepare": Accepts(instrument: true, design: true, language: true, formats: []),
        // The archive's commands name their store themselves; trend takes the session's language and format.
        "store": Accepts(data: false, formats: []),
        "trend": Accepts(data: false, language: true, formats: documentFormats),
    ]

    func analysis(_ command: String, _ words: [String]) throws -> String {
        let accepts = Self.accepts[command] ?? Accepts(data: false, formats: [])
        var arguments = [command]
        var given = Set(words.filter { $0.hasPrefix("-") }.map { $0.split(separator: "=").first.map(String.init) ?? $0 })
        if accepts.data {
            if let first = words.first, !first.hasPrefix("-"), FileManager.default.fileExists(atPath: resolve(first)) {
                given.insert("DATA")
            } else {
                guard let dataset = state.currentDataset else {
                    throw failure("chưa có dữ liệu: hãy mở tệp trước bằng open TỆP (hoặc ghi tên tệp sau \(command))", "no data: open FILE first (or give the file after \(command))")
                }
                arguments.append(dataset.path)
                if let wave = dataset.wave {
                    if !given.contains("--wave") { arguments += ["--wave", wave] }
                } else if given.isDisjoint(with: ["--sheet", "--header-row"]) {
                    arguments += SheetOptions.arguments(dataset.selection)
                }
            }
        }
        if state.filter != nil && !["index", "compare", "estimate", "prepare"].contains(command) {
            throw failure("bộ lọc where chỉ áp dụng cho index, estimate, compare và prepare; hãy bỏ lọc trước bằng: where clear",
                          "where filters apply to index, estimate, compare and prepare; clear it first with: where clear")
        }
        // A stored wave has its own instrument: the session's is used only when one was declared.
        let storedWave = accepts.data && !given.contains("DATA") && state.currentDataset?.wave != nil
        if accepts.instrument && !given.contains("--instrument") && !given.contains("-i") && !(storedWave && state.instrument == nil) {
            guard let instrument = state.instrument else { throw failure("chưa có bộ câu hỏi: hãy khai báo trước bằng instrument TÊN|TỆP (các bộ mẫu: \(InstrumentPreset.names.joined(separator: ", ")))",
                                                                                     "no instrument: instrument NAME|FILE first (presets: \(InstrumentPreset.names.joined(separator: ", ")))") }
            arguments += ["--instrument", instrument]
        }
        // Model commands read item columns on the session instrument's scale, with its missing codes.
        if accepts.optionalInstrument && !given.contains("--instrument") && !given.contains("-i"), let instrument = state.instrument {
            arguments += ["--instrument", instrument]
        }
        let designFlags: Set<String> = ["--strata", "--cluster", "--weight", "--fpc", "--lonely-psu", "--design"]
        if accepts.design && given.isDisjoint(with: designFlags) { arguments += state.design }
        if accepts.language && !given.contains("--lang") { arguments += ["--lang", state.language.rawValue] }
        if let format = state.format, accepts.formats.contains(format), !given.contains("--format") { arguments += ["--format", format] }
        if accepts.ci, let method = state.intervalMethod, !given.contains("--ci") { arguments += ["--ci", method] }
        if accepts.seed && !given.contains("--seed") { arguments += ["--seed", String(state.seed)] }
        if let index = words.firstIndex(of: "--by"), index + 1 < words.count {
            state.lastBy = words[index + 1]
        } else if let word = words.first(where: { $0.hasPrefix("--by=") }) {
            state.lastBy = String(word.dropFirst(5))
        } else if command == "compare", let by = state.lastBy {
            arguments += ["--by", by]
        }
        arguments += words.enumerated().map { index, word in
            // Relative paths given after the command resolve against the session's folder: the value of an
            // option that names a file, and any word that looks like a path or a data file.
            if index > 0, Self.pathOptions.contains(words[index - 1]), !word.hasPrefix("-"), !StoreLocation.isServer(word),
               !(["--instrument", "-i"].contains(words[index - 1]) && InstrumentPreset.names.contains(word)) { return resolve(word) }
            if !word.hasPrefix("-"), !word.hasPrefix("/"), word.contains("/") || [".csv", ".xlsx", ".xlsm", ".sav", ".zsav", ".dta", ".db", ".sqlite", ".sqlite3"].contains(where: word.lowercased().hasSuffix) { return resolve(word) }
            return word
        }
        // The sampling and archive subcommands take the session's language after the subcommand's name
        // (`sample size … --lang en`, `store list survey.db --lang en`).
        if command == "sample" || command == "store", let sub = words.first, !sub.hasPrefix("-"), !given.contains("--lang") {
            arguments += ["--lang", state.language.rawValue]
        }
        let language = arguments.contains(where: { $0 == "--lang" || $0.hasPrefix("--lang=") })
            ? SIPASCommand.language(of: arguments) : state.language
        return try CommandLanguage.$current.withValue(language) { try execute(parsing: arguments) }
    }

    /// Options whose value is a file (read or written): resolved against the session's folder like a data file.
    /// (An instrument's value is resolved only when it is not a preset's name.)
    static let pathOptions: Set<String> = ["--output", "-o", "--previous", "--design", "--instrument", "-i", "--fieldwork", "--pilot",
                                           "--units", "--exclude-file"]

    /// Parses a command line built by `analysis` and runs it, keeping its document or report for `export`.
    private func execute(parsing arguments: [String]) throws -> String {
        let parsed = try SIPASCommand.parseAsRoot(arguments)
        return try CommandSession.$current.withValue(CommandSession(filter: state.filter, tables: tables)) {
            if let documented = parsed as? any DocumentCommand {
                let document = try documented.document()
                pendingDocument = document
                guard let text = try documented.resultOutput.deliver(document) else {
                    let path = documented.resultOutput.output ?? ""
                    return message("đã ghi \(path)", "wrote \(path)")
                }
                return text
            }
            if let command = parsed as? ReportCommand {
                let report = try command.makeReport()
                pendingReport = report
                return try command.render(report)
            }
            if let renderable = parsed as? RenderableCommand { return try renderable.render() }
            var runnable = parsed
            try runnable.run()
            return ""
        }
    }
}

/// Commands whose output the REPL can capture.
protocol RenderableCommand { func render() throws -> String }
extension IndexCommand: RenderableCommand {}
extension EstimateCommand: RenderableCommand {}
extension CompareCommand: RenderableCommand {}
extension RegressCommand: RenderableCommand {}
extension AlphaCommand: RenderableCommand {}
extension FactorsCommand: RenderableCommand {}
extension OrderedLogitCommand: RenderableCommand {}
extension InstrumentCommand.List: RenderableCommand {}
extension InstrumentCommand.Show: RenderableCommand {}
extension InstrumentCommand.Check: RenderableCommand {}
extension DriversCommand: RenderableCommand {}
extension ImportanceCommand: RenderableCommand {}
extension ReportCommand: RenderableCommand {}
extension WeightsCommand: RenderableCommand {}
extension PrepareCommand: RenderableCommand {}
extension SampleSizeCommand: RenderableCommand {}
extension SampleAllocateCommand: RenderableCommand {}
extension SampleRecheckCommand: RenderableCommand {}
extension SampleAccountingCommand: RenderableCommand {}
extension SampleSelectCommand: RenderableCommand {}
extension SampleReserveCommand: RenderableCommand {}
