import Foundation
import SIPASInstrument
import SIPASSupport

/// What one piece of a CSV file's records holds once parsed: answer codes row by row, the item tallies,
/// the kept text and number columns, with rows and lines counted from the piece's start.
struct RecordChunk {
    var rows = 0
    /// Physical lines the piece spans.
    var lines = 0
    /// Answer codes, row-major (row × item).
    var cells: [UInt8] = []
    var selections: [[UInt64]?]
    var blankCounts: [Int]
    var missingCodeCounts: [[Int: Int]]
    /// Per item: cells holding a missing label without a code, by the label's index in `Item.missingLabels`.
    var missingLabelCounts: [[Int: Int]]
    var invalidCounts: [Int]
    var invalidCells: [InvalidCell] = []
    var invalidCellCount = 0
    var emptyLineRows: [Int] = []
    var metadata: [TextColumn]
    var numbers: [[Double]]
}

/// How the records of a file map onto a table: which column feeds which item, text column or number column.
struct RecordPlan {
    let source: String
    let header: [String]
    let strict: Bool
    let decimal: DecimalRule
    let itemOfColumn: [Int?]
    let metadataOfColumn: [Int?]
    let numberOfColumn: [Int?]
    let items: [Item]
    let metadataNames: [String]
    let numberNames: [String]

    /// Parses the records in `bytes` (a whole number of lines). Rows count from 1 and lines from `firstLine`
    /// within the piece; errors carry those numbers (a single pass over the whole file gives the file's).
    func parse(_ bytes: UnsafeRawBufferPointer, delimiter: UInt8, firstLine: Int) throws -> RecordChunk {
        let itemCount = items.count
        let decoders = items.map { ItemDecoder(item: $0) }
        let multiSelect = items.map(\.multiSelect)
        // The decoders' single-digit outcomes in one flat table, read without touching a decoder object.
        let digitOutcomes = decoders.flatMap(\.digitOutcomes)
        let decimalMark = decimal.fastMark
        var chunk = RecordChunk(selections: items.map { $0.multiSelect ? [] : nil },
                                blankCounts: Array(repeating: 0, count: itemCount),
                                missingCodeCounts: Array(repeating: [:], count: itemCount),
                                missingLabelCounts: Array(repeating: [:], count: itemCount),
                                invalidCounts: Array(repeating: 0, count: itemCount),
                                metadata: metadataNames.map { TextColumn(name: $0) },
                                numbers: Array(repeating: [], count: numberNames.count))
        let estimatedRows = max(16, bytes.count / max(1, 2 * header.count + 1))
        chunk.cells = [UInt8](repeating: 0, count: estimatedRows * itemCount)
        for index in chunk.numbers.indices { chunk.numbers[index].reserveCapacity(estimatedRows) }
        var tokenizer = CSVTokenizer(bytes: bytes, delimiter: delimiter, file: source, start: 0, line: firstLine)
        var fields: [FieldSlice] = []
        var row = 0
        while true {
            let line = tokenizer.line
            guard try tokenizer.next(into: &fields, row: row + 1) else { break }
            row += 1
            if fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end {
                // An empty line: counted as read, excluded with its reason by the analysis.
                chunk.emptyLineRows.append(row - 1)
            } else if fields.count != header.count {
                throw DataError(file: source, line: line, row: row,
                                message: "this row has \(fields.count) fields but the header has \(header.count)"
                                    + (fields.count > header.count ? " (an unquoted delimiter inside a value?)" : ""))
            }
            let empty = fields.count == 1 && header.count > 1
            if chunk.cells.count < row * itemCount { chunk.cells += repeatElement(0, count: chunk.cells.count) }
            let cellBase = (row - 1) * itemCount
            for column in 0..<header.count {
                let field = empty ? nil : fields[column]
                if let itemIndex = itemOfColumn[column] {
                    // Fast paths: a single digit from a table; an unescaped field decoded in place.
                    let outcome: ItemDecoder.Outcome
                    if let field, field.end - field.start == 1, case let digit = bytes[field.start] &- UInt8(ascii: "0"),
                       digit < 10, !multiSelect[itemIndex] {
                        outcome = digitOutcomes[itemIndex * 10 + Int(digit)]
                    } else if let field, !field.escapedQuotes {
                        outcome = decoders[itemIndex].decode(UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end]))
                    } else {
                        outcome = decoders[itemIndex].decode(field.map { tokenizer.fieldBytes($0) } ?? [])
                    }
                    switch outcome {
                    case .answer(let value, let selection):
                        chunk.cells[cellBase + itemIndex] = value
                        if let selection { chunk.selections[itemIndex]?.append(selection) }
                    case .blank:
                        if multiSelect[itemIndex] { chunk.selections[itemIndex]?.append(0) }
                        chunk.blankCounts[itemIndex] += 1
                    case .missingCode(let code):
                        if multiSelect[itemIndex] { chunk.selections[itemIndex]?.append(0) }
                        chunk.missingCodeCounts[itemIndex][code, default: 0] += 1
                    case .missingLabel(let label):
                        if multiSelect[itemIndex] { chunk.selections[itemIndex]?.append(0) }
                        chunk.missingLabelCounts[itemIndex][label, default: 0] += 1
                    case .invalid:
                        let text = String(decoding: field.map { tokenizer.fieldBytes($0) } ?? [], as: UTF8.self)
                        let item = items[itemIndex]
                        if strict {
                            throw DataError(file: source, line: line, row: row, column: header[column],
                                            message: "'\(text)' is not a valid \(item.scale.name) answer (expected \(item.scale.validAnswers)"
                                                + Self.labelExamples(item)
                                                + (item.missingCodes.isEmpty ? "" : ", a missing code \(item.missingCodes.map(String.init).joined(separator: "/"))")
                                                + (item.missingLabels.isEmpty ? "" : ", a missing label (\(item.missingLabels.map { "'\($0.text)'" }.joined(separator: ", ")))")
                                                + " or blank)",
                                            vi: "'\(text)' không phải câu trả lời hợp lệ của thang \(item.scale.name) (cần \(Self.validAnswersVietnamese(item.scale))"
                                                + Self.labelExamples(item, language: .vi)
                                                + (item.missingCodes.isEmpty ? "" : ", mã thiếu \(item.missingCodes.map(String.init).joined(separator: "/"))")
                                                + (item.missingLabels.isEmpty ? "" : ", nhãn thiếu (\(item.missingLabels.map { "'\($0.text)'" }.joined(separator: ", ")))")
                                                + " hoặc để trống)")
                        }
                        if multiSelect[itemIndex] { chunk.selections[itemIndex]?.append(0) }
                        chunk.invalidCounts[itemIndex] += 1
                        chunk.invalidCellCount += 1
                        if chunk.invalidCells.count < ResponseTable.invalidCellLimit {
                            chunk.invalidCells.append(InvalidCell(row: row, line: line, column: header[column], value: text))
                        }
                    }
                } else if let metaIndex = metadataOfColumn[column] {
                    // Repeated values (unit ids, strata, demographics) are recognised from their bytes; only a
                    // value not seen before is decoded, validated and normalized.
                    let slice = field.map { UnsafeRawBufferPointer(rebasing: bytes[$0.start..<$0.end]) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
                    if field?.escapedQuotes ?? false {
                        let raw = field.map { tokenizer.fieldBytes($0) } ?? []
                        chunk.metadata[metaIndex].append(try CSVReader.decodeText(raw, file: source, line: line, row: row, column: header[column]),
                                                         rawBytes: nil)
                    } else if !chunk.metadata[metaIndex].appendKnown(slice) {
                        chunk.metadata[metaIndex].append(try CSVReader.decodeText(slice, file: source, line: line, row: row, column: header[column]),
                                                         rawBytes: slice)
                    }
                } else if let numberIndex = numberOfColumn[column] {
                    var value = Double.nan
                    if let field {
                        let slice = UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])
                        if let fast = NumberColumn.fastParse(slice, mark: decimalMark) {
                            value = fast
                        } else {
                            let raw = field.escapedQuotes ? tokenizer.fieldBytes(field) : Array(slice)
                            let text = try CSVReader.decodeText(raw, file: source, line: line, row: row, column: header[column])
                            if !text.isEmpty {
                                guard let parsed = decimal.value(text) else {
                                    throw DataError(file: source, line: line, row: row, column: header[column],
                                                    message: decimal.notANumber(text),
                                                    vi: decimal.notANumber(text, language: .vi))
                                }
                                value = parsed
                            }
                        }
                    }
                    chunk.numbers[numberIndex].append(value)
                }
            }
        }
        chunk.rows = row
        chunk.lines = tokenizer.line - firstLine
        for index in chunk.metadata.indices { chunk.metadata[index].finishReading() }
        return chunk
    }

    /// ", one of its labels ('Rất không hài lòng' … 'Rất hài lòng')" for an item whose cells may hold words.
    /// `Scale.validAnswers` in Vietnamese ("1-5", "một trong các mã 1, 2, 3").
    static func validAnswersVietnamese(_ scale: Scale) -> String { scale.validAnswers(.vi) }

    static func labelExamples(_ item: Item, language: Language = .en) -> String {
        guard !item.multiSelect, let first = item.answerLabels.first, let last = item.answerLabels.last else { return "" }
        if language == .vi {
            return first == last ? ", nhãn của nó '\(first.label.vi)'" : ", một trong các nhãn ('\(first.label.vi)' … '\(last.label.vi)')"
        }
        return first == last ? ", its label '\(first.label.vi)'"
            : ", one of its labels ('\(first.label.vi)' … '\(last.label.vi)')"
    }

    /// Puts the pieces, in file order, into `table`: rows and lines renumbered from the file's start
    /// (`linesBefore` = the header's lines), text columns' codes mapped onto one dictionary whose values are in
    /// order of first appearance, as a single pass would have them.
    func merge(_ chunks: [RecordChunk], into table: inout ResponseTable, linesBefore: Int, threads: Int) {
        let itemCount = items.count
        let totalRows = chunks.reduce(0) { $0 + $1.rows }
        var rowsBefore = 0, lines = linesBefore
        for (position, chunk) in chunks.enumerated() {
            for itemIndex in 0..<itemCount {
                if let selections = chunk.selections[itemIndex] { table.items[itemIndex].selections?.append(contentsOf: selections) }
                table.items[itemIndex].blankCount += chunk.blankCounts[itemIndex]
                table.items[itemIndex].missingCodeCounts.merge(chunk.missingCodeCounts[itemIndex], uniquingKeysWith: +)
                for (label, count) in chunk.missingLabelCounts[itemIndex] {
                    table.items[itemIndex].missingLabelCounts[items[itemIndex].missingLabels[label].text, default: 0] += count
                }
                table.items[itemIndex].invalidCount += chunk.invalidCounts[itemIndex]
            }
            table.invalidCellCount += chunk.invalidCellCount
            for cell in chunk.invalidCells where table.invalidCells.count < ResponseTable.invalidCellLimit {
                table.invalidCells.append(InvalidCell(row: cell.row + rowsBefore, line: cell.line + lines, column: cell.column,
                                                      value: cell.value))
            }
            table.emptyLineRows += chunk.emptyLineRows.map { $0 + rowsBefore }
            for index in chunk.metadata.indices {
                if position == 0 { table.metadata[index] = chunk.metadata[index] } else { table.metadata[index].append(contentsOf: chunk.metadata[index]) }
            }
            for index in chunk.numbers.indices {
                if position == 0 { table.numberColumns[index].values = chunk.numbers[index] } else { table.numberColumns[index].values += chunk.numbers[index] }
            }
            rowsBefore += chunk.rows
            lines += chunk.lines
        }
        table.rowCount = totalRows
        // Answer codes: one column per item, filled from the pieces' row-major cells (items on all threads).
        var values = [[UInt8]](repeating: [], count: itemCount)
        values.withUnsafeMutableBufferPointer { values in
            let output = UncheckedBuffer(values)
            try? Parallelism.forEach(itemCount, threads: threads) { itemIndex in
                var column = [UInt8](repeating: 0, count: totalRows)
                column.withUnsafeMutableBufferPointer { column in
                    var row = 0
                    for chunk in chunks {
                        chunk.cells.withUnsafeBufferPointer { cells in
                            for local in 0..<chunk.rows { column[row + local] = cells[local * itemCount + itemIndex] }
                        }
                        row += chunk.rows
                    }
                }
                output.pointer[itemIndex] = column
            }
        }
        for itemIndex in 0..<itemCount { table.items[itemIndex].values = values[itemIndex] }
    }
}

/// A column read as numbers (`CSVReadOptions.numericColumns`): one value per row, NaN for a blank cell.
public struct NumberColumn: Sendable {
    public let name: String
    public internal(set) var values: [Double] = []

    init(name: String) { self.name = name }

    /// A plain decimal ("33.8380", "-2", "0.5"; with `mark` ',' "33,8380") as the nearest double, or nil for
    /// anything else (exponents, spaces, a '+', "17." or ".5", the other mark, more than 19 digits), which goes
    /// through `DecimalRule.value`.
    /// Exact when the digits form an integer below 2⁵³ and there are at most 22 decimals: the integer and the
    /// power of ten are both exact doubles and one division rounds correctly (Clinger 1990), so the result is
    /// the one `Double(String)` (strtod) gives.
    @inline(__always)
    static func fastParse(_ bytes: UnsafeRawBufferPointer, mark: UInt8 = UInt8(ascii: ".")) -> Double? {
        var position = 0
        let count = bytes.count
        guard count > 0, count <= 24 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") { negative = true; position = 1 }
        var mantissa: UInt64 = 0, digits = 0, decimals = 0, seenPoint = false
        while position < count {
            let byte = bytes[position]
            if byte == mark {
                if seenPoint || digits == 0 { return nil }
                seenPoint = true
            } else {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                digits += 1
                if seenPoint { decimals += 1 }
            }
            position += 1
        }
        guard digits > 0, digits <= 19, mantissa < 1 << 53, decimals <= 22, !seenPoint || decimals > 0 else { return nil }
        let magnitude = Double(mantissa) / powersOfTen[decimals]
        return negative ? -magnitude : magnitude
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }  // exact up to 10²²
        return value
    }
}
