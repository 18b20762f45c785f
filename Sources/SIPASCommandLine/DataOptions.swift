import Foundation
import ArgumentParser
import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASStore
import SIPASSupport

/// Options shared by commands that read survey data with an instrument.
public struct DataOptions: ParsableArguments {
    @Argument(help: "Survey data, one row per respondent: a CSV file (UTF-8, ',' or ';'), an Excel workbook (.xlsx, .xlsm), an SPSS (.sav, .zsav) or a Stata (.dta) file; or a store (survey.db, or postgres://user@host/db) with --wave.")
    public var data: String

    @Option(name: .shortAndLong,
            help: "Instrument: a preset name (khanhhoa-admin, laichau-full, khanhhoa-health, khanhhoa-education) or a YAML/JSON file (with --wave: the wave's own by default).")
    public var instrument: String?

    @Option(name: .long, help: ArgumentHelp("A wave of the store named by DATA (sipas store import): its instrument and design are the defaults.",
                                            valueName: "wave"))
    public var wave: String?

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("Map an item to a differently named CSV column, ITEM=COLUMN; repeat or separate with commas.",
                               valueName: "item=column"))
    public var map: [String] = []

    @Flag(name: .long, help: "Fail on the first invalid cell instead of treating it as missing and reporting it.")
    public var strict = false

    @Option(name: .long, help: "Field delimiter: ',' or ';' or 'tab' (default: detected from the first lines).")
    public var delimiter: String?

    @Option(name: .long, help: ArgumentHelp("Decimal mark of numbers in the file (weights, fpc, numeric columns): comma or point (default: comma when the delimiter is ';', else point, a quoted \"36,5\" reading as 36.5)."))
    public var decimal: DecimalMark?

    @Option(name: .long, help: ArgumentHelp("The respondent (form) id column: repeated ids are reported, and are an error with --strict.",
                                            valueName: "column"))
    public var id: String = "respondent_id"

    @OptionGroup public var sheetOptions: SheetOptions

    public init() {}

    func columnMapping() throws -> [String: String] {
        var mapping: [String: String] = [:]
        for entry in map.flatMap({ $0.split(separator: ",") }) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw OptionRefusal(vi: "--map cần dạng CÂU_HỎI=CỘT, đã ghi '\(entry)'", en: "--map expects ITEM=COLUMN, got '\(entry)'")
            }
            mapping[parts[0]] = parts[1]
        }
        return mapping
    }

    /// Reads this wave and, when `previous` names a file (or `previousWave` a wave of the same store), an
    /// earlier wave with the same instrument and options (a stored wave with its own instrument unless -i).
    public func loadWaves(previous: String?, previousWave: String? = nil) throws -> (current: ResponseTable, previous: ResponseTable?) {
        let current = try load()
        var earlier: ResponseTable?
        if let previousWave {
            guard wave != nil else {
                throw DataError(file: StoreLocation.redacted(data), message: "--previous-wave compares two waves of a store: give the store and --wave too",
                                vi: "--previous-wave so sánh hai đợt trong một kho: hãy ghi cả kho và --wave")
            }
            var other = self
            other.wave = previousWave
            earlier = try other.load()
        } else if let previous {
            var other = self
            other.data = previous
            other.wave = nil
            // An earlier workbook: the same sheet when it has one of that name (or number), else its first; its
            // header is found from the instrument's columns. A CSV file has no sheet.
            var same: [String] = []
            if let sheet = sheetOptions.sheet, try DataFile.format(of: previous) == .xlsx, XLSXReader.hasSheet(sheet, path: previous) {
                same = ["--sheet", sheet]
            }
            other.sheetOptions = try SheetOptions.parse(same)
            earlier = try other.load()
        }
        return (current, earlier)
    }

    /// Reads the instrument and the data: every column, or with `keeping`, only the items, those columns as
    /// text (and those a REPL `where` filter tests) and the columns in `numbers` as numbers (design weights and
    /// population sizes; a column also wanted as text is read as text).
    public func load(keeping columns: [String]? = nil, numbers: [String] = []) throws -> ResponseTable {
        if let wave { return try loadWave(wave, keeping: columns, numbers: numbers) }
        let instrumentName = try requireInstrument()
        let instrument = try Instrument.resolve(instrumentName)
        var options = try readOptions()
        if let columns {
            let text = Set(columns + CommandSession.current.filterColumns + [id])
            options.keptColumns = text.union(numbers)
            options.numericColumns = Set(numbers).subtracting(text)
        }
        let selection = sheetOptions.selection
        let table = try CommandSession.current.table(path: data, instrument: instrumentName, options: options, selection: selection) {
            try DataFile.read(path: data, instrument: instrument, options: $0, selection: selection)
        }
        return try finish(table)
    }

    /// How the file is read: --strict, --map, --decimal and --delimiter.
    func readOptions() throws -> CSVReadOptions {
        var options = CSVReadOptions(strict: strict, columnMapping: try columnMapping(), decimal: decimal)
        if let delimiter {
            guard delimiter == "," || delimiter == ";" || delimiter == "\\t" || delimiter == "tab" else {
                throw OptionRefusal(vi: "--delimiter phải là ',' hoặc ';' hoặc 'tab'", en: "--delimiter must be ',' or ';' or 'tab'")
            }
            options.delimiter = delimiter.count == 1 ? delimiter.utf8.first : UInt8(ascii: "\t")
        }
        return options
    }

    /// The instrument named with -i, or an error: a data file needs one (a stored wave has its own), and a store
    /// given without --wave is told to name one.
    func requireInstrument() throws -> String {
        if SurveyStore.isStore(path: data) {
            let waves = (try? SurveyStore(path: data).waves().map(\.name)) ?? []
            let list = waves.isEmpty ? "" : waves.joined(separator: ", ")
            throw DataError(file: StoreLocation.redacted(data), message: "this is a sipas store: name the wave with --wave" + (list.isEmpty ? "" : " (waves: \(list))"),
                            vi: "đây là kho dữ liệu sipas: hãy chọn đợt bằng --wave" + (list.isEmpty ? "" : " (các đợt: \(list))"))
        }
        guard let instrument else {
            throw DataError(file: StoreLocation.redacted(data), message: "no instrument: give -i NAME|FILE (presets: \(InstrumentPreset.names.joined(separator: ", ")))",
                            vi: "chưa có bộ câu hỏi: hãy ghi -i TÊN|TỆP (các bộ mẫu: \(InstrumentPreset.names.joined(separator: ", ")))")
        }
        return instrument
    }

    /// Reads a stored wave with its instrument (or -i) and the same column choices as a file.
    func loadWave(_ wave: String, keeping columns: [String]?, numbers: [String]) throws -> ResponseTable {
        let store = try SurveyStore(path: data)
        var options = CSVReadOptions(strict: strict, columnMapping: try columnMapping())
        if let columns {
            let text = Set(columns + CommandSession.current.filterColumns + [id])
            try Self.refuseLeftOut(text.union(numbers), store: store, wave: wave)
            options.keptColumns = text.union(numbers)
            options.numericColumns = Set(numbers).subtracting(text)
        }
        let instrument = try self.instrument.map { try Instrument.resolve($0) }
        return try finish(try store.read(wave: wave, instrument: instrument, options: options))
    }

    /// An error naming the first of `columns` that was left out when the wave was stored, with how to keep it.
    static func refuseLeftOut(_ columns: Set<String>, store: SurveyStore, wave: String) throws {
        let leftOut = try store.wave(wave).leftOut
        guard let column = columns.filter({ leftOut.contains($0) }).sorted().first else { return }
        throw DataError(file: store.source(wave: wave), column: column,
                        message: "this column was left out when the wave was stored; import the wave again with --keep \(column) (and --replace)",
                        vi: "cột này không được lưu khi nhập đợt; hãy nhập lại đợt với --keep \(column) (và --replace)")
    }

    private func finish(_ table: ResponseTable) throws -> ResponseTable {
        var table = table
        if let repeated = table.duplicateIDNote(column: id) {
            if strict { throw DataError(file: data, column: id, message: repeated.en) }
            table.addWarning(repeated)
        }
        return try CommandSession.current.filtered(table)
    }
}

/// What a session (`sipas`, `sipas run`) hands each command it runs: its `where` filter and the tables it has
/// already read. A one-shot command runs with neither. A task-local value bound by the session around each line,
/// so that sessions run side by side (tests, a server) never see each other's.
struct CommandSession: Sendable {
    /// The session's `where` filter, applied to every table a command loads; rows it does not keep stay in the
    /// data and the design and are counted as excluded.
    var filter: RowFilter?
    /// The session's tables, read once per file (nil: read every time).
    var tables: TableCache?

    @TaskLocal static var current = CommandSession()

    /// The columns the filter tests (read with every table).
    var filterColumns: [String] { filter?.conditions.map(\.column) ?? [] }

    /// `table` with the filter's rows marked (`ResponseTable.rowFilter`), or `table` when there is no filter.
    func filtered(_ table: ResponseTable) throws -> ResponseTable {
        guard let filter else { return table }
        var filtered = table
        filtered.rowFilter = (try filter.mask(table), filter.description)
        return filtered
    }

    /// A table through the session's cache, or read directly.
    func table(path: String, instrument: String, options: CSVReadOptions, selection: SheetSelection,
               read: (CSVReadOptions) throws -> ResponseTable) throws -> ResponseTable {
        guard let tables else { return try read(options) }
        return try tables.table(path: path, instrument: instrument, options: options, selection: selection, read: read)
    }
}

/// Options that name a data file or a stored wave (DATA with --wave).
protocol WaveSource {
    var data: String { get }
    var wave: String? { get }
}

extension WaveSource {
    /// The design a stored wave was imported with, when DATA is a wave.
    func storedDesign() throws -> DesignSpecification? {
        guard let wave else { return nil }
        return try SurveyStore(path: data).wave(wave).design
    }
}

extension DataOptions: WaveSource {}
extension PlainDataOptions: WaveSource {}
extension EstimateCommand: WaveSource {}

extension Language: ExpressibleByArgument {}
extension DecimalMark: ExpressibleByArgument {}

/// The tables a session has read, so that a script or REPL session running several analyses of one file
/// parses it once. An entry is reused while the file (and an instrument file) keeps its size and modification
/// time and was read with the same options and at least the columns asked for, none of those wanted as text
/// read as numbers; otherwise the file is read again with the union of the columns (a column any reader
/// wanted as text stays text), replacing the entry. At most two files are kept.
final class TableCache: Sendable {
    private struct State: Sendable {
        var entries: [(key: Key, kept: Set<String>?, numeric: Set<String>, table: ResponseTable)] = []
        /// Seconds and bytes spent reading files since the last `takeReadStatistics()` (for `set timing on`).
        var readSeconds = 0.0
        var readBytes = 0
    }
    private let state = Locked(State())

    /// The reading done since the last call, and resets the count.
    func takeReadStatistics() -> (seconds: Double, bytes: Int) {
        state.withLock { state in
            let result = (seconds: state.readSeconds, bytes: state.readBytes)
            state.readSeconds = 0; state.readBytes = 0
            return result
        }
    }

    struct Key: Equatable, Sendable {
        var path: String
        var stamp: [String]
        var instrument: String
        var delimiter: UInt8?
        var decimal: DecimalMark?
        var strict: Bool
        var mapping: [String: String]
        var selection: SheetSelection
    }

    private static func stamp(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return "\(size)@\(modified)"
    }

    func table(path: String, instrument: String, options: CSVReadOptions, selection: SheetSelection = .init(),
               read: (CSVReadOptions) throws -> ResponseTable) throws -> ResponseTable {
        let absolute = (path as NSString).standardizingPath
        let key = Key(path: absolute, stamp: [Self.stamp(absolute), Self.stamp(instrument)], instrument: instrument,
                      delimiter: options.delimiter, decimal: options.decimal, strict: options.strict,
                      mapping: options.columnMapping, selection: selection)
        let cached = state.withLock { $0.entries.first { $0.key == key } }
        var options = options
        if let cached {
            let wantedText = options.keptColumns.map { $0.subtracting(options.numericColumns) }
            let textSatisfied = wantedText.map { $0.isDisjoint(with: cached.numeric) } ?? cached.numeric.isEmpty
            if textSatisfied, cached.kept == nil || options.keptColumns.map({ $0.isSubset(of: cached.kept!) }) == true {
                return cached.table
            }
            let cachedText = cached.kept.map { $0.subtracting(cached.numeric) }
            options.keptColumns = cached.kept.flatMap { kept in options.keptColumns.map { $0.union(kept) } }
            var numeric = options.numericColumns.union(cached.numeric)
            numeric.subtract(wantedText ?? [])
            numeric.subtract(cachedText ?? [])
            options.numericColumns = options.keptColumns == nil ? [] : numeric
        }
        let started = Date()
        let table = try read(options)
        let seconds = Date().timeIntervalSince(started)
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: absolute))?[.size] as? NSNumber)?.intValue ?? 0
        let kept = options.keptColumns, numeric = options.numericColumns
        state.withLock { state in
            state.readSeconds += seconds
            state.readBytes += bytes
            state.entries.removeAll { $0.key == key }
            state.entries.append((key, kept, numeric, table))
            if state.entries.count > 2 { state.entries.removeFirst() }
        }
        return table
    }
}
