import Foundation
import SIPASInstrument
import SIPASSupport

extension CSVReader {
    /// An instrument with no items: every column of a file read with it becomes a `TextColumn`.
    static let plainColumns = Instrument(id: "plain-columns", title: LocalizedText(vi: "Cột dữ liệu", en: "Data columns"),
                                         contents: [])

    /// Reads any CSV (no questionnaire) into a table whose columns are all `TextColumn`s in `metadata`.
    ///
    /// Same parser, encodings and delimiters as `read(path:instrument:options:)`. When `columns` is given,
    /// each named column must exist (the error names the file and lists the columns it has).
    public static func read(path: String, columns: [String]? = nil, options: CSVReadOptions = .init()) throws
        -> ResponseTable
    {
        let table = try read(path: path, instrument: plainColumns, options: options)
        for name in columns ?? [] { _ = try table.requireMetadata(name) }
        return table
    }

    /// Reads CSV text already in memory as plain columns (see `read(path:columns:options:)`).
    public static func read(text: String, source: String, columns: [String]? = nil, options: CSVReadOptions = .init())
        throws -> ResponseTable
    {
        let table = try read(text: text, source: source, instrument: plainColumns, options: options)
        for name in columns ?? [] { _ = try table.requireMetadata(name) }
        return table
    }
}

extension TextColumn {
    /// Parses the column as numbers with the file's decimal rule (`ResponseTable.decimalRule`: a decimal
    /// comma in a ';'-file, a point otherwise, or `--decimal`); blank cells and the given missing-value
    /// spellings (e.g. "NA", ".") give nil; the texts in `recoded` (an item's answer labels) read as their numbers.
    ///
    /// - Throws: `DataError` naming the file, the first data row (1-based) holding an offending value,
    ///   and the column, for a cell that is neither a number nor a missing-value spelling.
    public func numbers(file: String, missingValues: Set<String>,
                        decimal: DecimalRule = DecimalRule(mark: nil, delimiter: UInt8(ascii: ",")),
                        recoded: [String: Double] = [:]) throws -> [Double?] {
        var parsed: [Double?] = []
        parsed.reserveCapacity(levels.count)
        for (level, text) in levels.enumerated() {
            if text.isEmpty || missingValues.contains(text) { parsed.append(nil); continue }
            guard let value = decimal.value(text) ?? recoded[text] else {
                let row = codes.firstIndex(of: UInt32(level)).map { $0 + 1 }
                throw DataError(file: file, row: row, column: name,
                                message: decimal.notANumber(text) + " (blank"
                                    + (missingValues.isEmpty ? "" : " or \(missingValues.sorted().joined(separator: ", "))")
                                    + " means missing)")
            }
            parsed.append(value)
        }
        return codes.map { parsed[Int($0)] }
    }
}
