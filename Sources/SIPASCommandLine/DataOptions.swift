import Foundation
import ArgumentParser
import SIPASData
import SIPASInstrument

/// Options shared by commands that read survey data with an instrument.
public struct DataOptions: ParsableArguments {
    @Argument(help: "Survey data: a CSV file with one row per respondent (UTF-8, ',' or ';').")
    public var data: String

    @Option(name: .shortAndLong,
            help: "Instrument: a preset name (khanhhoa-admin, laichau-full, khanhhoa-health, khanhhoa-education) or a YAML/JSON file.")
    public var instrument: String

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("Map an item to a differently named CSV column, ITEM=COLUMN; repeat or separate with commas.",
                               valueName: "item=column"))
    public var map: [String] = []

    @Flag(name: .long, help: "Fail on the first invalid cell instead of treating it as missing and reporting it.")
    public var strict = false

    @Option(name: .long, help: "Field delimiter: ',' or ';' (default: detected from the header line).")
    public var delimiter: String?

    public init() {}

    func columnMapping() throws -> [String: String] {
        var mapping: [String: String] = [:]
        for entry in map.flatMap({ $0.split(separator: ",") }) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--map expects ITEM=COLUMN, got '\(entry)'")
            }
            mapping[parts[0]] = parts[1]
        }
        return mapping
    }

    /// Reads this wave and, when `previous` names a file, an earlier wave with the same instrument and options.
    public func loadWaves(previous: String?) throws -> (current: ResponseTable, previous: ResponseTable?) {
        let current = try load()
        var earlier: ResponseTable?
        if let previous {
            var other = self
            other.data = previous
            earlier = try other.load()
        }
        return (current, earlier)
    }

    /// Reads the instrument and the data: every column, or with `keeping`, only the items and those columns
    /// (all of them while a REPL `where` filter is active, since it may test any column).
    public func load(keeping columns: [String]? = nil) throws -> ResponseTable {
        let instrument = try Instrument.resolve(self.instrument)
        var options = CSVReadOptions(strict: strict, columnMapping: try columnMapping())
        if let columns, DataOptions.sessionFilter == nil { options.keptColumns = Set(columns) }
        if let delimiter {
            guard delimiter == "," || delimiter == ";" || delimiter == "\\t" || delimiter == "tab" else {
                throw ValidationError("--delimiter must be ',' or ';' or 'tab'")
            }
            options.delimiter = delimiter.count == 1 ? delimiter.utf8.first : UInt8(ascii: "\t")
        }
        let table = try CSVReader.read(path: data, instrument: instrument, options: options)
        return try DataOptions.sessionFilter.map { try $0(table) } ?? table
    }

    /// Set by a REPL session while a `where` filter is active: applied to every table a command loads.
    /// Kept per thread (a session runs its commands on its own thread), so concurrent sessions or tests never
    /// see each other's filters.
    public static var sessionFilter: ((ResponseTable) throws -> ResponseTable)? {
        (Thread.current.threadDictionary[filterKey] as? FilterBox)?.filter
    }

    /// Runs `body` with `filter` as the session filter of the current thread.
    public static func withSessionFilter<T>(_ filter: ((ResponseTable) throws -> ResponseTable)?, _ body: () throws -> T) rethrows -> T {
        let dictionary = Thread.current.threadDictionary
        let previous = dictionary[filterKey]
        dictionary[filterKey] = filter.map(FilterBox.init)
        defer { dictionary[filterKey] = previous }
        return try body()
    }

    private static let filterKey = "sipas.sessionFilter"
    private final class FilterBox {
        let filter: (ResponseTable) throws -> ResponseTable
        init(_ filter: @escaping (ResponseTable) throws -> ResponseTable) { self.filter = filter }
    }
}

extension Language: ExpressibleByArgument {}
