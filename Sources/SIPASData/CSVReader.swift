import Foundation
import SIPASInstrument
import SIPASSupport

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
    /// Kept columns to read as numbers (`ResponseTable.numberColumns`) rather than as text: design weights
    /// and population sizes, a distinct value on nearly every row, are parsed once instead of being stored as
    /// text. A cell that is not a number is an error naming its row, line and column; a blank cell is NaN.
    public var numericColumns: Set<String>
    /// The decimal mark of the file's numbers; nil decides by the delimiter (',' for ';'-files, else '.'):
    /// see `DecimalRule`.
    public var decimal: DecimalMark?
    /// Threads for a large file's pieces (CSV) or for inflating a sheet beside its parse (Excel); the table is the
    /// same for any number.
    public var threads: Int

    /// Whether `names` includes `name`: as written, or by a prefix pattern `"rw*"` (replicate weight columns).
    public static func names(_ names: Set<String>, include name: String) -> Bool {
        names.contains(name) || names.contains { $0.count > 1 && $0.hasSuffix("*") && name.hasPrefix($0.dropLast()) }
    }

    public init(delimiter: UInt8? = nil, strict: Bool = false, columnMapping: [String: String] = [:],
                keptColumns: Set<String>? = nil, numericColumns: Set<String> = [], decimal: DecimalMark? = nil,
                threads: Int = Execution.defaultThreads) {
        self.delimiter = delimiter
        self.strict = strict
        self.columnMapping = columnMapping
        self.keptColumns = keptColumns
        self.numericColumns = numericColumns
        self.decimal = decimal
        self.threads = max(1, threads)
    }
}

/// Reads a wide survey CSV (one row per respondent) into a `ResponseTable`.
///
/// The file is memory-mapped and parsed byte by byte straight into typed columns, so memory grows with the
/// columns kept, not with the file's text. A large file is parsed in pieces on `CSVReadOptions.threads`
/// threads; the table is the same as from one pass. Accepted: UTF-8 with or without a byte-order mark,
/// ',' or ';' delimiters, quoted fields with embedded delimiters, quotes and newlines, LF/CRLF/CR line
/// ends, text in NFC or NFD (stored as NFC).
public enum CSVReader {
    public static func read(path: String, instrument: Instrument, options: CSVReadOptions = .init()) throws
        -> ResponseTable
    {
        let descriptor = open(path, O_RDONLY)
        var status = stat()
        guard descriptor >= 0, fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            if descriptor >= 0 { close(descriptor) }
            let exists = FileManager.default.fileExists(atPath: path)
            throw DataError(file: path, message: exists ? "the file cannot be read" : "the file does not exist",
                            vi: exists ? "không đọc được tệp" : "không có tệp này")
        }
        defer { close(descriptor) }
        let size = Int(status.st_size)
        guard size > 0 else { throw DataError(file: path, message: "the file is empty", vi: "tệp rỗng") }
        // Mapped read-only with its pages loaded up front (MAP_POPULATE): one pass of the kernel instead of a
        // page fault every 4 KB while parsing.
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0), mapping != MAP_FAILED else {
            throw DataError(file: path, message: "the file cannot be read (it could not be mapped into memory)")
        }
        defer { munmap(mapping, size) }
        return try read(bytes: UnsafeRawBufferPointer(start: mapping, count: size), source: path, instrument: instrument, options: options)
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
            throw DataError(file: source, line: 1, message: "the file is UTF-16; save it as UTF-8 (CSV UTF-8 in Excel)",
                                vi: "tệp mã hóa UTF-16; hãy lưu lại dưới dạng UTF-8 (CSV UTF-8 trong Excel)")
        }
        guard bytes.count > start else { throw DataError(file: source, message: "the file is empty", vi: "tệp rỗng") }
        let delimiter = options.delimiter ?? detectDelimiter(bytes, start: start)
        var tokenizer = CSVTokenizer(bytes: bytes, delimiter: delimiter, file: source, start: start)
        var fields: [FieldSlice] = []

        // Header.
        guard try tokenizer.next(into: &fields, row: 0) else { throw DataError(file: source, message: "the file is empty", vi: "tệp rỗng") }
        var header: [String] = []
        for (index, field) in fields.enumerated() {
            let name = try decodeText(tokenizer.fieldBytes(field), file: source, line: 1, row: nil,
                                      column: "column \(index + 1) of the header")
            header.append(name.isEmpty ? "column_\(index + 1)" : name)
        }
        if header.count == 1 && header[0] == "column_1" {
            throw DataError(file: source, line: 1, message: "the header line is empty", vi: "dòng tiêu đề trống")
        }
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if let first = seen[name] {
                throw DataError(file: source, line: 1, column: name,
                                message: "the header names this column twice (columns \(first + 1) and \(index + 1))",
                                vi: "dòng tiêu đề có hai cột cùng tên này (cột thứ \(first + 1) và \(index + 1))")
            }
            seen[name] = index
        }

        // Which column feeds which item.
        var table = ResponseTable(source: source, instrument: instrument)
        table.delimiter = delimiter
        table.decimalRule = DecimalRule(mark: options.decimal, delimiter: delimiter)
        table.columnNames = header
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
                header.first { $0.lowercased() == wanted.lowercased() }.map { (wanted, $0) }
            }
            throw DataError(
                file: source, line: 1,
                message: "instrument '\(instrument.id)' needs criterion column(s) \(missingCriteria.joined(separator: ", ")) "
                    + "that the file does not have. Columns found: \(header.joined(separator: ", ")). "
                    + (hint.isEmpty ? "" : "(\(hint.map { "'\($0.0)' may be '\($0.1)'" }.joined(separator: "; "))) ")
                    + "Map differently named columns with --map ITEM=COLUMN."
                    + Self.delimiterHint(header: header, delimiter: delimiter, language: .en),
                vi: "bộ câu hỏi '\(instrument.id)' cần (các) cột tiêu chí \(missingCriteria.joined(separator: ", ")) "
                    + "mà tệp không có. Các cột trong tệp: \(header.joined(separator: ", ")). "
                    + (hint.isEmpty ? "" : "(\(hint.map { "'\($0.0)' có thể là '\($0.1)'" }.joined(separator: "; "))) ")
                    + "Cột mang tên khác thì ghép bằng --map ITEM=CỘT."
                    + Self.delimiterHint(header: header, delimiter: delimiter, language: .vi))
        }
        var metadataOfColumn = [Int?](repeating: nil, count: header.count)
        var numberOfColumn = [Int?](repeating: nil, count: header.count)
        for (index, name) in header.enumerated() where itemOfColumn[index] == nil {
            if let kept = options.keptColumns, !CSVReadOptions.names(kept, include: name) {
                table.skippedColumns.append(name)
                continue
            }
            if CSVReadOptions.names(options.numericColumns, include: name) {
                numberOfColumn[index] = table.numberColumns.count
                table.numberColumns.append(NumberColumn(name: name))
                continue
            }
            metadataOfColumn[index] = table.metadata.count
            table.metadata.append(TextColumn(name: name))
        }
        let plan = RecordPlan(source: source, header: header, strict: options.strict, decimal: table.decimalRule,
                              itemOfColumn: itemOfColumn,
                              metadataOfColumn: metadataOfColumn, numberOfColumn: numberOfColumn,
                              items: table.items.map(\.item), metadataNames: table.metadata.map(\.name),
                              numberNames: table.numberColumns.map(\.name))

        // Records: in pieces on several threads when the file is large. A piece starts after a line end; if that
        // line end was inside a quoted field, the piece before it ends inside the field and fails, and so does
        // a piece with a real error: then the whole file goes through one pass, so the table and any error
        // (its row and line) are those of a single pass.
        let body = tokenizer.position
        let pieces = Self.pieces(bytes, from: body, count: options.threads)
        // Pieces number their lines from 1; a single pass numbers them as the file does.
        func onePass() throws -> RecordChunk {
            try plan.parse(UnsafeRawBufferPointer(rebasing: bytes[body...]), delimiter: delimiter, firstLine: tokenizer.line)
        }
        if pieces.count > 1, let parts = try? pieces.parallelMap(threads: options.threads, { range in
            try plan.parse(UnsafeRawBufferPointer(rebasing: bytes[range]), delimiter: delimiter, firstLine: 1)
        }) {
            plan.merge(parts, into: &table, linesBefore: tokenizer.line - 1, threads: options.threads)
        } else {
            plan.merge([try onePass()], into: &table, linesBefore: 0, threads: options.threads)
        }
        guard table.rowCount > 0 else {
            throw DataError(file: source, message: "the file has a header line but no data rows below it",
                            vi: "tệp có dòng tiêu đề nhưng không có hàng dữ liệu nào bên dưới")
        }
        return table
    }

    /// Byte ranges of about equal size that each start after a line end (or at `start`), or one range when
    /// the file is small.
    static func pieces(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int) -> [Range<Int>] {
        let length = bytes.count - start
        guard count > 1, length >= 1 << 20, let base = bytes.baseAddress else { return [start..<bytes.count] }
        var ranges: [Range<Int>] = []
        var lower = start
        for piece in 1..<count {
            let target = start + length / count * piece
            guard target > lower, let found = memchr(base + target, Int32(UInt8(ascii: "\n")), bytes.count - target) else { break }
            let upper = base.distance(to: UnsafeRawPointer(found)) + 1
            ranges.append(lower..<upper)
            lower = upper
        }
        if lower < bytes.count { ranges.append(lower..<bytes.count) }
        return ranges
    }

    /// The delimiter that splits the first lines (header and up to 20 records, quotes respected) into the same
    /// number of fields, more than one: ',' or ';', or a tab when neither does. When both or neither do, ','
    /// unless the header has more ';' than ','. A ';' file whose header names hold commas, or whose numbers
    /// have decimal commas, is split consistently only by ';'.
    static func detectDelimiter(_ bytes: UnsafeRawBufferPointer, start: Int) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        var counts = [[Int]](repeating: [], count: candidates.count)
        var current = [Int](repeating: 1, count: candidates.count)
        var inQuotes = false, position = start, lineHasText = false
        func endLine() {
            if lineHasText { for c in candidates.indices { counts[c].append(current[c]) } }
            current = [Int](repeating: 1, count: candidates.count)
            lineHasText = false
        }
        while position < bytes.count && counts[0].count < 21 {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); lineHasText = true; continue }
            if inQuotes { continue }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { endLine(); continue }
            lineHasText = true
            if let c = candidates.firstIndex(of: byte) { current[c] += 1 }
        }
        if counts[0].count < 21 { endLine() }
        let consistent = candidates.indices.map { c in
            !counts[c].isEmpty && counts[c][0] > 1 && counts[c].allSatisfy { $0 == counts[c][0] }
        }
        let header = counts.map { $0.first ?? 1 }
        if consistent[0] != consistent[1] { return consistent[0] ? candidates[0] : candidates[1] }
        if !consistent[0] && consistent[2] && header[0] == 1 && header[1] == 1 { return candidates[2] }
        return header[1] > header[0] ? candidates[1] : candidates[0]
    }

    /// A sentence suggesting `--delimiter` when the header looks split by the wrong character (one column, or
    /// names holding another delimiter); empty otherwise.
    static func delimiterHint(header: [String], delimiter: UInt8, language: Language) -> String {
        let others = [",", ";", "\t"].filter { $0.utf8.first! != delimiter }
        guard header.count == 1 || header.contains(where: { name in others.contains { name.contains($0) } }) else { return "" }
        let used = delimiter == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(delimiter))
        if language == .vi {
            return " Dòng tiêu đề được tách theo '\(used)' thành \(header.count) cột: nếu tệp dùng dấu phân cách "
                + "khác, hãy chỉ rõ bằng --delimiter ';' (hoặc ',' hay tab)."
        }
        return " The header was split at '\(used)' into \(header.count) column(s): if the file uses another "
            + "delimiter, give it with --delimiter ';' (or ',' or tab)."
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
                            message: "the text is not valid UTF-8 (was the file saved in a legacy Vietnamese encoding such as TCVN3 or Windows-1258? Save it as CSV UTF-8)",
                            vi: "văn bản không phải UTF-8 hợp lệ (tệp có được lưu bằng bảng mã cũ như TCVN3 hay Windows-1258 không? Hãy lưu lại dưới dạng CSV UTF-8)")
        }
        return text.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
    }
}

/// Turns the bytes of one cell into an answer code for one item.
///
/// A code is read first (a single digit from a table, then a whole number); only a cell that is not a number
/// is compared with the item's answer labels, aliases and missing labels (`Item.answerTextIndex`, built once
/// per decoder), through a cache of the raw bytes already seen, so a file of words costs one normalization
/// per distinct spelling, not per cell.
final class ItemDecoder {
    enum Outcome {
        case answer(UInt8, selection: UInt64?)
        case blank
        case missingCode(Int)
        /// A missing label declared without a code: its index in `Item.missingLabels`.
        case missingLabel(Int)
        case invalid
    }

    let item: Item
    let categoryIndex: [Int: Int]  // nominal code -> 0-based category index
    /// What a cell holding the single digit d means (the common case, decided without parsing).
    private(set) var digitOutcomes: [Outcome] = []
    /// Normalized label text → outcome (empty for multi-select items, whose cells are lists of codes).
    private var labelOutcomes: [String: Outcome] = [:]
    /// Raw cell bytes (trimmed) already matched against the labels, by FNV-1a hash.
    private var seenTexts: [UInt64: (bytes: [UInt8], outcome: Outcome)] = [:]
    private static let seenTextLimit = 4096

    init(item: Item) {
        self.item = item
        if case .nominal(let categories) = item.scale {
            categoryIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1.code, $0) })
        } else {
            categoryIndex = [:]
        }
        digitOutcomes = (0...9).map { classify($0) }
        guard !item.multiSelect else { return }
        let missingLabelIndex = Dictionary(item.missingLabels.enumerated().map { ($1.text, $0) }, uniquingKeysWith: { first, _ in first })
        for (text, meaning) in item.answerTextIndex() {
            switch meaning {
            case .answer(let code): labelOutcomes[text] = classify(code)
            case .missingCode(let code): labelOutcomes[text] = .missingCode(code)
            case .missingLabel(let label): labelOutcomes[text] = missingLabelIndex[label].map { .missingLabel($0) } ?? .invalid
            }
        }
    }

    /// The outcome of a trimmed cell that is not a number: its label's, or invalid.
    private func labelOutcome<Bytes: Collection>(_ text: Bytes) -> Outcome where Bytes.Element == UInt8 {
        guard !labelOutcomes.isEmpty else { return .invalid }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in text { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        if let seen = seenTexts[hash], seen.bytes.elementsEqual(text) { return seen.outcome }
        let bytes = Array(text)
        let outcome: Outcome
        if let string = String(validating: bytes, as: UTF8.self) {
            outcome = labelOutcomes[AnswerText.normalized(string)] ?? .invalid
        } else {
            outcome = .invalid
        }
        if seenTexts.count < Self.seenTextLimit, seenTexts[hash] == nil { seenTexts[hash] = (bytes, outcome) }
        return outcome
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
        guard let code = Self.integer(text) else { return labelOutcome(text) }
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

    /// A whole number, also written with a zero decimal part ("4.0", "4,0") as spreadsheets export it: an
    /// answer has no fraction, so either mark reads the same in every file, whatever its decimal rule.
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
