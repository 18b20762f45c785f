import Foundation
import SIPASInstrument

/// How to read a survey CSV.
public struct CSVReadOptions: Sendable {
    /// Field delimiter; nil detects ',' or ';' from the header line.
    public var delimiter: UInt8?
    /// Fail on the first invalid cell instead of treating it as missing and reporting it.
    public var strict: Bool
    /// Item id → CSV header, for files whose headers differ from the instrument's item ids.
    public var columnMapping: [String: String]
    /// The columns besides the instrument's items to decode and keep (nil: all). The others are still read
    /// for the file's structure (field counts, quoting) but not decoded: an analysis that needs four columns
    /// of thirty does not pay for the rest.
    public var keptColumns: Set<String>?

    public init(delimiter: UInt8? = nil, strict: Bool = false, columnMapping: [String: String] = [:],
                keptColumns: Set<String>? = nil) {
        self.delimiter = delimiter
        self.strict = strict
        self.columnMapping = columnMapping
        self.keptColumns = keptColumns
    }
}

/// Reads a wide survey CSV (one row per respondent) into a `ResponseTable`.
///
/// The file is memory-mapped and parsed byte by byte straight into typed columns, so memory grows with the
/// columns kept, not with the file's text. Accepted: UTF-8 with or without a byte-order mark, ',' or ';'
/// delimiters, quoted fields with embedded delimiters, quotes and newlines, LF/CRLF/CR line ends, text in
/// NFC or NFD (stored as NFC).
public enum CSVReader {
    public static func read(path: String, instrument: Instrument, options: CSVReadOptions = .init()) throws
        -> ResponseTable
    {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw DataError(file: path, message: "the file \(reason)")
        }
        return try data.withUnsafeBytes { try read(bytes: $0, source: path, instrument: instrument, options: options) }
    }

    /// Reads CSV text already in memory (used by tests and by callers that build files on the fly).
    public static func read(text: String, source: String, instrument: Instrument, options: CSVReadOptions = .init())
        throws -> ResponseTable
    {
        var utf8 = Array(text.utf8)
        return try utf8.withUnsafeMutableBytes {
            try read(bytes: UnsafeRawBufferPointer($0), source: source, instrument: instrument, options: options)
        }
    }

    static func read(bytes: UnsafeRawBufferPointer, source: String, instrument: Instrument, options: CSVReadOptions)
        throws -> ResponseTable
    {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            throw DataError(file: source, line: 1, message: "the file is UTF-16; save it as UTF-8 (CSV UTF-8 in Excel)")
        }
        guard bytes.count > start else { throw DataError(file: source, message: "the file is empty") }
        let delimiter = options.delimiter ?? detectDelimiter(bytes, start: start)
        var tokenizer = CSVTokenizer(bytes: bytes, delimiter: delimiter, file: source, start: start)
        var fields: [FieldSlice] = []

        // Header.
        guard try tokenizer.next(into: &fields, row: 0) else { throw DataError(file: source, message: "the file is empty") }
        var header: [String] = []
        for (index, field) in fields.enumerated() {
            let name = try decodeText(tokenizer.fieldBytes(field), file: source, line: 1, row: nil,
                                      column: "column \(index + 1) of the header")
            header.append(name.isEmpty ? "column_\(index + 1)" : name)
        }
        if header.count == 1 && header[0] == "column_1" {
            throw DataError(file: source, line: 1, message: "the header line is empty")
        }
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if let first = seen[name] {
                throw DataError(file: source, line: 1, column: name,
                                message: "the header names this column twice (columns \(first + 1) and \(index + 1))")
            }
            seen[name] = index
        }

        // Which column feeds which item.
        var table = ResponseTable(source: source, instrument: instrument)
        table.delimiter = delimiter
        let estimatedRows = max(16, bytes.count / max(1, 2 * header.count + 1))
        var itemOfColumn = [Int?](repeating: nil, count: header.count)
        for (mappedItem, _) in options.columnMapping where instrument.item(mappedItem) == nil {
            throw DataError(file: source, column: options.columnMapping[mappedItem],
                            message: "the column mapping names item '\(mappedItem)', which instrument '\(instrument.id)' does not have")
        }
        var missingCriteria: [String] = []
        for item in instrument.items {
            let columnName = options.columnMapping[item.id] ?? item.id
            guard let index = seen[columnName] else {
                if item.role == .criterion { missingCriteria.append(columnName) } else { table.absentItems.append(item) }
                continue
            }
            if let other = itemOfColumn[index] {
                throw DataError(file: source, line: 1, column: columnName,
                                message: "column is mapped to two items ('\(table.items[other].item.id)' and '\(item.id)')")
            }
            itemOfColumn[index] = table.items.count
            table.items.append(ItemColumn(item: item, sourceColumn: columnName, capacity: estimatedRows))
        }
        if !missingCriteria.isEmpty {
            let hint = missingCriteria.compactMap { wanted in
                header.first { $0.lowercased() == wanted.lowercased() }.map { "'\(wanted)' may be '\($0)'" }
            }
            throw DataError(
                file: source, line: 1,
                message: "instrument '\(instrument.id)' needs criterion column(s) \(missingCriteria.joined(separator: ", ")) "
                    + "that the file does not have. Columns found: \(header.joined(separator: ", ")). "
                    + (hint.isEmpty ? "" : "(\(hint.joined(separator: "; "))) ")
                    + "Map differently named columns with --map ITEM=COLUMN.")
        }
        var metadataOfColumn = [Int?](repeating: nil, count: header.count)
        for (index, name) in header.enumerated() where itemOfColumn[index] == nil {
            if let kept = options.keptColumns, !kept.contains(name) {
                table.skippedColumns.append(name)
                continue
            }
            metadataOfColumn[index] = table.metadata.count
            table.metadata.append(TextColumn(name: name))
        }
        let decoders = table.items.map { ItemDecoder(item: $0.item) }
        let multiSelect = table.items.map { $0.item.multiSelect }
        // Answer codes, row-major (row × item), moved into the item columns at the end.
        let itemCount = table.items.count
        var cells = [UInt8](repeating: 0, count: max(1, estimatedRows) * itemCount)

        // Records.
        var row = 0
        while true {
            let line = tokenizer.line
            guard try tokenizer.next(into: &fields, row: row + 1) else { break }
            row += 1
            if fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end {
                // An empty line: counted as read, excluded with its reason by the analysis.
                table.emptyLineRows.append(row - 1)
            } else if fields.count != header.count {
                throw DataError(file: source, line: line, row: row,
                                message: "this row has \(fields.count) fields but the header has \(header.count)"
                                    + (fields.count > header.count ? " (an unquoted delimiter inside a value?)" : ""))
            }
            let empty = fields.count == 1 && header.count > 1
            if cells.count < row * itemCount { cells += repeatElement(0, count: cells.count) }
            let cellBase = (row - 1) * itemCount
            for column in 0..<header.count {
                let field = empty ? nil : fields[column]
                if let itemIndex = itemOfColumn[column] {
                    // Fast path: an unescaped field is decoded in place, without copying its bytes.
                    let outcome: ItemDecoder.Outcome
                    if let field, !field.escapedQuotes {
                        outcome = decoders[itemIndex].decode(UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end]))
                    } else {
                        outcome = decoders[itemIndex].decode(field.map { tokenizer.fieldBytes($0) } ?? [])
                    }
                    switch outcome {
                    case .answer(let value, let selection):
                        cells[cellBase + itemIndex] = value
                        if let selection { table.items[itemIndex].selections?.append(selection) }
                    case .blank:
                        if multiSelect[itemIndex] { table.items[itemIndex].selections?.append(0) }
                        table.items[itemIndex].blankCount += 1
                    case .missingCode(let code):
                        if multiSelect[itemIndex] { table.items[itemIndex].selections?.append(0) }
                        table.items[itemIndex].missingCodeCounts[code, default: 0] += 1
                    case .invalid:
                        let text = String(decoding: field.map { tokenizer.fieldBytes($0) } ?? [], as: UTF8.self)
                        let item = table.items[itemIndex].item
                        if options.strict {
                            throw DataError(file: source, line: line, row: row, column: header[column],
                                            message: "'\(text)' is not a valid \(item.scale.name) answer (expected \(item.scale.validAnswers)"
                                                + (item.missingCodes.isEmpty ? "" : ", a missing code \(item.missingCodes.map(String.init).joined(separator: "/"))")
                                                + " or blank)")
                        }
                        if multiSelect[itemIndex] { table.items[itemIndex].selections?.append(0) }
                        table.items[itemIndex].invalidCount += 1
                        table.invalidCellCount += 1
                        if table.invalidCells.count < ResponseTable.invalidCellLimit {
                            table.invalidCells.append(InvalidCell(row: row, line: line, column: header[column], value: text))
                        }
                    }
                } else if let metaIndex = metadataOfColumn[column] {
                    // Repeated values (unit ids, strata, demographics) are recognised from their bytes; only a
                    // value not seen before is decoded, validated and normalized.
                    let slice = field.map { UnsafeRawBufferPointer(rebasing: bytes[$0.start..<$0.end]) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
                    let escaped = field?.escapedQuotes ?? false
                    if escaped {
                        let raw = field.map { tokenizer.fieldBytes($0) } ?? []
                        table.metadata[metaIndex].append(try decodeText(raw, file: source, line: line, row: row, column: header[column]),
                                                         rawBytes: nil)
                    } else if !table.metadata[metaIndex].appendKnown(slice) {
                        table.metadata[metaIndex].append(try decodeText(slice, file: source, line: line, row: row, column: header[column]),
                                                         rawBytes: slice)
                    }
                }
            }
        }
        table.rowCount = row
        cells.withUnsafeBufferPointer { cells in
            for itemIndex in 0..<itemCount {
                table.items[itemIndex].values = (0..<row).map { cells[$0 * itemCount + itemIndex] }
            }
        }
        return table
    }

    /// ',' unless the header line has more ';' than ',' outside quotes.
    static func detectDelimiter(_ bytes: UnsafeRawBufferPointer, start: Int) -> UInt8 {
        var commas = 0, semicolons = 0, inQuotes = false
        var position = start
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                if byte == UInt8(ascii: ",") { commas += 1 }
                if byte == UInt8(ascii: ";") { semicolons += 1 }
            }
            position += 1
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// Validates UTF-8, trims surrounding spaces and normalizes to NFC.
    static func decodeText<Bytes: RandomAccessCollection>(_ raw: Bytes, file: String, line: Int, row: Int?, column: String) throws
        -> String where Bytes.Element == UInt8, Bytes.Index == Int
    {
        var ascii = true
        for byte in raw where byte >= 0x80 { ascii = false; break }
        if ascii {
            // ASCII is already NFC; trim spaces and tabs on the bytes.
            var start = raw.startIndex, end = raw.endIndex
            while start < end && (raw[start] == 0x20 || raw[start] == 0x09) { start += 1 }
            while end > start && (raw[end - 1] == 0x20 || raw[end - 1] == 0x09) { end -= 1 }
            return String(decoding: raw[start..<end], as: UTF8.self)
        }
        guard let text = String(validating: Array(raw), as: UTF8.self) else {
            throw DataError(file: file, line: line, row: row, column: column,
                            message: "the text is not valid UTF-8 (was the file saved in a legacy Vietnamese encoding such as TCVN3 or Windows-1258? Save it as CSV UTF-8)")
        }
        return text.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
    }
}

/// Turns the bytes of one cell into an answer code for one item.
final class ItemDecoder {
    enum Outcome {
        case answer(UInt8, selection: UInt64?)
        case blank
        case missingCode(Int)
        case invalid
    }

    let item: Item
    let categoryIndex: [Int: Int]  // nominal code -> 0-based category index
    /// What a cell holding the single digit d means (the common case, decided without parsing).
    private var digitOutcomes: [Outcome] = []

    init(item: Item) {
        self.item = item
        if case .nominal(let categories) = item.scale {
            categoryIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1.code, $0) })
        } else {
            categoryIndex = [:]
        }
        digitOutcomes = (0...9).map { classify($0) }
    }

    func decode<Bytes: RandomAccessCollection>(_ raw: Bytes) -> Outcome where Bytes.Element == UInt8, Bytes.Index == Int {
        // Fast path: a single digit.
        if raw.count == 1, raw[0] >= UInt8(ascii: "0"), raw[0] <= UInt8(ascii: "9"), !item.multiSelect {
            return digitOutcomes[Int(raw[0] - UInt8(ascii: "0"))]
        }
        var start = 0, end = raw.count
        while start < end && (raw[start] == 0x20 || raw[start] == 0x09) { start += 1 }
        while end > start && (raw[end - 1] == 0x20 || raw[end - 1] == 0x09) { end -= 1 }
        if start == end { return .blank }
        let text = raw[start..<end]
        if item.multiSelect {
            var selection: UInt64 = 0
            for token in text.split(whereSeparator: { $0 == UInt8(ascii: "|") || $0 == 0x20 }) {
                guard let code = Self.integer(token) else { return .invalid }
                if item.missingCodes.contains(code) && selection == 0 && text.count == token.count { return .missingCode(code) }
                guard let index = categoryIndex[code], index < 64 else { return .invalid }
                selection |= 1 << UInt64(index)
            }
            return selection == 0 ? .invalid : .answer(1, selection: selection)
        }
        guard let code = Self.integer(text) else { return .invalid }
        return classify(code)
    }

    private func classify(_ code: Int) -> Outcome {
        if item.missingCodes.contains(code) { return .missingCode(code) }
        switch item.scale {
        case .likert5, .interval4:
            return item.scale.isValid(code) ? .answer(UInt8(code), selection: nil) : .invalid
        case .nominal:
            guard let index = categoryIndex[code], index < 255 else { return .invalid }
            return .answer(UInt8(index + 1), selection: nil)
        }
    }

    /// A whole number, also written with a zero decimal part ("4.0", "4,0") as spreadsheets export it.
    static func integer<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        var value = 0, digits = 0, negative = false, seenPoint = false
        for (offset, byte) in bytes.enumerated() {
            if offset == 0 && byte == UInt8(ascii: "-") { negative = true; continue }
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") {
                if seenPoint || digits == 0 { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            if seenPoint {
                if byte != UInt8(ascii: "0") { return nil }
                continue
            }
            digits += 1
            if digits > 9 { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }
}
