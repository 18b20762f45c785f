import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument

extension SurveyStore {
    /// The wave as CSV text (UTF-8, ',' delimited, the stored columns in file order, one line per stored row,
    /// an empty line where the file had one): what `sipas store export` writes and what reading a wave parses.
    public func csvText(wave name: String) throws -> String {
        let stored = try wave(name)
        return try csvText(stored)
    }

    func csvText(_ stored: StoredWave) throws -> String {
        var buffer: [UInt8] = []
        buffer.append(contentsOf: stored.columns.map(Self.csvField).joined(separator: ",").utf8)
        buffer.append(10)
        try database.appendCSV(Self.rowsTable(stored.id), columns: stored.rowsColumns, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The name a stored wave's table carries as its source ("survey.db#2024").
    public func source(wave: String) -> String { "\(name)#\(wave)" }

    /// Reads a wave as the table its file gave: with the wave's instrument (or `instrument`, to analyse it with
    /// another version) and column map, the decimal mark its file used; `options` chooses the columns.
    public func read(wave name: String, instrument: Instrument? = nil, options: CSVReadOptions = .init()) throws -> ResponseTable {
        let stored = try wave(name)
        var options = options
        options.columnMapping = stored.columnMap.merging(options.columnMapping) { _, given in given }
        return try CSVReader.read(text: try csvText(stored), source: source(wave: name),
                                  instrument: try instrument ?? stored.instrument(store: self.name), options: readingOptions(stored, options))
    }

    /// Reads a wave as plain text columns, as `DataFile.read(path:columns:)` reads a file (for the model commands).
    public func readColumns(wave name: String, columns: [String]? = nil, options: CSVReadOptions = .init()) throws -> ResponseTable {
        let stored = try wave(name)
        return try CSVReader.read(text: try csvText(stored), source: source(wave: name), columns: columns,
                                  options: readingOptions(stored, options))
    }

    /// The options that read a wave's CSV text: its delimiter and the decimal mark its file used.
    private func readingOptions(_ stored: StoredWave, _ options: CSVReadOptions) -> CSVReadOptions {
        var options = options
        options.delimiter = UInt8(ascii: ",")
        switch stored.decimal {
        case "comma": options.decimal = .comma
        case "point": options.decimal = .point
        default: options.decimal = nil
        }
        return options
    }
}
