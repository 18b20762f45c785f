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
        var lines: [String] = [stored.columns.map(Self.csvField).joined(separator: ",")]
        let statement = try database.prepare("SELECT * FROM \(Self.rowsTable(stored.id)) ORDER BY sipas_row")
        try statement.bind([])
        while try statement.step() {
            if statement.value(1).integer == 1 { lines.append(""); continue }
            var fields: [String] = []
            fields.reserveCapacity(stored.columns.count)
            for index in stored.columns.indices { fields.append(Self.csvField(statement.value(index + 2).text ?? "")) }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
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
