import SIPASInstrument
import SIPASSupport

/// Answers to one item, one byte per respondent.
///
/// `values[i]` is 0 when respondent i's answer is missing (blank, a declared missing code, or invalid);
/// otherwise the answer 1…5 (likert5) or 1…4 (interval4), or for nominal items the 1-based index of the
/// chosen category in the instrument's category list. Multi-select items keep a bit set per respondent in
/// `selections` (bit k set = category k chosen) and `values[i]` is 1 when anything was chosen.
public struct ItemColumn: Sendable {
    public let item: Item
    /// The CSV header this item was read from.
    public let sourceColumn: String
    public internal(set) var values: [UInt8]
    public internal(set) var selections: [UInt64]?
    /// Cells that were blank.
    public internal(set) var blankCount = 0
    /// Cells holding a declared missing code ("don't know", "no answer"), by code; a missing label declared
    /// with a code counts here as that code.
    public internal(set) var missingCodeCounts: [Int: Int] = [:]
    /// Cells holding a missing label declared without a code ("Không biết"), by the label as declared.
    public internal(set) var missingLabelCounts: [String: Int] = [:]
    /// Cells holding something that is neither a valid answer nor a missing code (set to missing).
    public internal(set) var invalidCount = 0

    init(item: Item, sourceColumn: String, capacity: Int) {
        self.item = item
        self.sourceColumn = sourceColumn
        self.values = []
        self.selections = item.multiSelect ? [] : nil
    }

    public var answeredCount: Int { values.reduce(0) { $0 + ($1 == 0 ? 0 : 1) } }
}

/// A text column kept as metadata (ids, unit names, demographics), dictionary-encoded: each distinct value
/// is stored once (NFC-normalized, surrounding spaces trimmed) and rows hold 32-bit codes.
public struct TextColumn: Sendable {
    public let name: String
    public internal(set) var levels: [String] = []
    public internal(set) var codes: [UInt32] = []
    var index: [String: UInt32] = [:]

    init(name: String) { self.name = name }

    public subscript(row: Int) -> String { levels[Int(codes[row])] }

    /// Codes by a hash of the raw cell bytes, with those bytes, so a repeated value is found without decoding.
    var rawIndex: [UInt64: (code: UInt32, bytes: [UInt8])] = [:]

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Appends the value whose raw bytes are `bytes` if those exact bytes were seen before; false otherwise.
    mutating func appendKnown(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // A column of mostly distinct values (ids, weights) gains nothing from the cache once it is full.
        if rawIndex.count >= Self.rawIndexLimit && rawMisses > 4 * rawHits { return false }
        guard let entry = rawIndex[Self.hash(bytes)], entry.bytes.count == bytes.count,
              entry.bytes.withUnsafeBytes({ $0.elementsEqual(bytes) }) else {
            rawMisses += 1
            return false
        }
        rawHits += 1
        codes.append(entry.code)
        return true
    }

    static let rawIndexLimit = 100_000
    var rawHits = 0, rawMisses = 0

    /// Appends a decoded value, remembering its raw bytes for `appendKnown`.
    mutating func append(_ value: String, rawBytes: UnsafeRawBufferPointer?) {
        append(value)
        if let rawBytes, rawBytes.count <= 64, rawIndex.count < Self.rawIndexLimit {  // high-cardinality columns: no cache
            let key = Self.hash(rawBytes)
            if rawIndex[key] == nil { rawIndex[key] = (codes[codes.count - 1], Array(rawBytes)) }
        }
    }

    mutating func append(_ value: String) { codes.append(intern(value)) }

    /// The code of `value`, added to the dictionary if new. One hash lookup: the `default:` subscript inserts
    /// the next code when the value is new.
    private mutating func intern(_ value: String) -> UInt32 {
        let before = index.count
        let code = Self.read(&index[value, default: UInt32(levels.count)])
        if index.count > before { levels.append(value) }
        return code
    }

    private static func read(_ code: inout UInt32) -> UInt32 { code }

    /// Appends another column's rows (the next piece of the same file): its values join this dictionary,
    /// new ones after the known ones in their order of first appearance.
    mutating func append(contentsOf other: TextColumn) {
        let codeOfLevel = other.levels.map { intern($0) }
        codes.reserveCapacity(codes.count + other.codes.count)
        for code in other.codes { codes.append(codeOfLevel[Int(code)]) }
    }

    /// Drops the raw-bytes cache once the file is read.
    mutating func finishReading() {
        rawIndex = [:]
        rawHits = 0
        rawMisses = 0
    }

    /// Parses the column as numbers with the file's decimal rule (`ResponseTable.decimalRule`); blank cells
    /// give nil. Throws on the first non-numeric cell.
    public func numbers(file: String, decimal: DecimalRule = DecimalRule(mark: nil, delimiter: UInt8(ascii: ","))) throws
        -> [Double?]
    {
        var parsed: [Double?] = []
        parsed.reserveCapacity(levels.count)
        for (level, text) in levels.enumerated() {
            if text.isEmpty { parsed.append(nil); continue }
            guard let value = decimal.value(text) else {
                let row = codes.firstIndex(of: UInt32(level)).map { $0 + 1 }
                throw DataError(file: file, row: row, column: name, message: decimal.notANumber(text),
                                vi: decimal.notANumber(text, language: .vi))
            }
            parsed.append(value)
        }
        return codes.map { parsed[Int($0)] }
    }
}

extension ItemColumn {
    /// The answers as a text column, as a `--by` or a filter sees them: the code as written ("1" … "5", or the
    /// category code of a nominal item), blank when missing. Multi-select items show the first chosen code.
    func asText() -> TextColumn {
        var column = TextColumn(name: sourceColumn)
        let labels: [String]
        switch item.scale {
        case .nominal(let categories): labels = [""] + categories.map { String($0.code) }
        default: labels = [""] + (1...255).map(String.init)
        }
        for value in values { column.append(Int(value) < labels.count ? labels[Int(value)] : "") }
        return column
    }
}

/// One invalid cell, reported to the user and never used in an estimate.
public struct InvalidCell: Equatable, Sendable {
    public var row: Int
    public var line: Int
    public var column: String
    public var value: String
}

/// Survey responses in columns: one `ItemColumn` per instrument item found in the file and one
/// `TextColumn` per other column.
public struct ResponseTable: Sendable {
    /// The file the table was read from.
    public let source: String
    public let instrument: Instrument
    public internal(set) var rowCount: Int = 0
    /// Item columns in instrument order (items absent from the file are listed in `absentItems`).
    public internal(set) var items: [ItemColumn] = []
    /// Every other column, in file order (except those read as numbers).
    public internal(set) var metadata: [TextColumn] = []
    /// The columns read as numbers (`CSVReadOptions.numericColumns`), in file order.
    public internal(set) var numberColumns: [NumberColumn] = []
    /// Columns of the file not loaded because the reader was told which ones an analysis needs
    /// (`CSVReadOptions.keptColumns`).
    public internal(set) var skippedColumns: [String] = []
    /// Optional items (overall, perception, expectation) that the file does not have.
    public internal(set) var absentItems: [Item] = []
    /// The first invalid cells, in file order (at most `invalidCellLimit`; `invalidCellCount` counts all).
    public internal(set) var invalidCells: [InvalidCell] = []
    public internal(set) var invalidCellCount = 0
    /// 0-based rows that were empty lines; they count as read and analyses exclude them with that reason.
    public internal(set) var emptyLineRows: [Int] = []
    /// Problems found in the data that do not stop an analysis (repeated respondent ids); analyses report them.
    public internal(set) var warnings: [Note] = []
    /// The file's column names, in file order.
    public internal(set) var columnNames: [String] = []
    /// The delimiter detected or given.
    public internal(set) var delimiter: UInt8 = UInt8(ascii: ",")
    /// How the file's numbers are read (`CSVReadOptions.decimal`, else by the delimiter).
    public internal(set) var decimalRule = DecimalRule(mark: nil, delimiter: UInt8(ascii: ","))

    /// Column labels the file carries (SPSS/Stata variable labels: the question's text), by column name.
    public internal(set) var columnLabels: [String: String] = [:]
    /// Value labels the file carries (SPSS/Stata), by column name: the value as the column holds it ("1",
    /// ".a") → its label ("Rất không hài lòng", a unit's name). Codes stay codes in the columns.
    public internal(set) var valueLabels: [String: [String: String]] = [:]

    /// `names` with, for each code of `column` it does not name, the file's value label of that code (SPSS/Stata):
    /// what a display of that column shows beside the code ("3 Sở Tài chính", "1 Nam").
    public func namingCodes(of column: String, _ names: [String: String] = [:]) -> [String: String] {
        guard let labels = valueLabels[column], !labels.isEmpty else { return names }
        return names.merging(labels) { given, _ in given }
    }
    /// Cells the file itself declares missing (SPSS user-missing values and ranges, Stata .a–.z), per column
    /// and reason, in order of first appearance. They are blank in the table (an SPSS user-missing value that
    /// the instrument declares a missing code stays that code); answer columns also count them among their
    /// missing labels.
    public internal(set) var fileMissingValues: [FileMissingCount] = []

    public static let invalidCellLimit = 1000

    /// Rows kept by a filter (`where` in the REPL), with the filter's text. Filtered-out rows stay in the
    /// table and in any survey design (a filter restricts the analysis to a domain, it never cuts the design);
    /// analyses exclude them and count them under the reason "excluded by where …".
    public var rowFilter: (keep: [Bool], description: String)?

    /// Whether `row` passes the filter.
    @inline(__always)
    public func passesFilter(_ row: Int) -> Bool { rowFilter?.keep[row] ?? true }

    init(source: String, instrument: Instrument) {
        self.source = source
        self.instrument = instrument
    }

    public func column(for itemID: String) -> ItemColumn? { items.first { $0.item.id == itemID } }

    public func metadata(named name: String) -> TextColumn? { metadata.first { $0.name == name } }

    /// A metadata column, or an error naming what the file does have.
    public func requireMetadata(_ name: String) throws -> TextColumn {
        if let column = metadata(named: name) { return column }
        if let item = items.first(where: { $0.sourceColumn == name }) { return item.asText() }
        if skippedColumns.contains(name) {
            throw DataError(file: source, line: 1, column: name, message: "the column exists but was not loaded for this analysis")
        }
        if numberColumns.contains(where: { $0.name == name }) {
            throw DataError(file: source, line: 1, column: name, message: "the column was read as numbers, not as text, for this analysis")
        }
        throw DataError(file: source, line: 1, column: name,
                        message: "no such column; the file has: \(columnNames.joined(separator: ", "))",
                        vi: "không có cột này; tệp có các cột: \(columnNames.joined(separator: ", "))")
    }

    /// A column's values as numbers, NaN for a blank cell: read as numbers, or parsed from its text (a cell
    /// that is not a number is an error naming the file, the first row holding it and the column).
    public func numbers(named name: String) throws -> [Double] {
        if let column = numberColumns.first(where: { $0.name == name }) { return column.values }
        return try requireMetadata(name).numbers(file: source, decimal: decimalRule).map { $0 ?? .nan }
    }
}
