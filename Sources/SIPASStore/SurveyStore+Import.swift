import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument

/// A wave to store: the file read with the instrument (which validates it and decides each answer's code) and
/// the same file read as plain text (the cells that are not valid answers keep their text).
public struct WaveImport {
    public var wave: String
    /// The file the wave came from, as the user named it.
    public var source: String
    public var instrumentName: String
    /// The instrument's YAML/JSON text: the store keeps the questionnaire by content.
    public var instrumentText: String
    /// The file read with the instrument, the columns besides the items (`keep`, the design's, the id) as text.
    public var table: ResponseTable
    /// The same file's answer columns read as plain text (`DataFile.read(path:columns:)`): the cells as written.
    public var cells: ResponseTable
    /// Columns besides the items to keep: the id, the design's, `--by`/`--level` columns and `--keep` ones.
    public var keep: [String]
    public var design: DesignSpecification
    public var idColumn: String
    public var columnMap: [String: String]
    /// The fieldwork counts (issued, returned, valid, rechecked, recheck_confirmed, …), when known: counts only,
    /// never the outcome file's rows (which may hold names and phone numbers).
    public var fieldwork: [String: Int]?

    public init(wave: String, source: String, instrumentName: String, instrumentText: String, table: ResponseTable,
                cells: ResponseTable, keep: [String], design: DesignSpecification, idColumn: String,
                columnMap: [String: String], fieldwork: [String: Int]? = nil) {
        self.wave = wave; self.source = source; self.instrumentName = instrumentName; self.instrumentText = instrumentText
        self.table = table; self.cells = cells; self.keep = keep; self.design = design; self.idColumn = idColumn
        self.columnMap = columnMap; self.fieldwork = fieldwork
    }
}

/// What an import stored.
public struct ImportSummary: Equatable, Sendable {
    public var wave: String
    public var rows: Int
    /// The stored columns, in file order.
    public var columns: [String]
    /// The file's columns that were not stored (names, phone numbers, addresses stay out unless kept).
    public var leftOut: [String]
    /// Whether an earlier wave of that name was replaced.
    public var replaced: Bool
    /// Invalid answer cells stored as their text (missing in every analysis, reported as in the file).
    public var invalidCells: Int
}

extension SurveyStore {
    /// The names SQLite treats as one (identifiers are case-insensitive in ASCII); refused on both engines, so a
    /// wave moves between them.
    private static func folded(_ name: String) -> String { name.lowercased() }

    /// Stores a wave in one transaction: a failure leaves the store as it was. An existing wave of that name
    /// is refused unless `replace`.
    public func importWave(_ wave: WaveImport, replace: Bool = false) throws -> ImportSummary {
        let trimmed = wave.wave.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw StoreError(store: name, en: "--wave needs a name (e.g. 2024)", vi: "--wave cần tên đợt (ví dụ 2024)")
        }
        let table = wave.table, cells = wave.cells
        guard table.rowCount == cells.rowCount else {
            throw StoreError(store: name, en: "\(wave.source) gave \(table.rowCount) rows with the instrument and \(cells.rowCount) as text",
                             vi: "\(wave.source) cho \(table.rowCount) hàng khi đọc theo bộ câu hỏi và \(cells.rowCount) hàng khi đọc dạng văn bản")
        }
        // The stored columns: the items' and the kept ones, in file order, each with its role.
        var roles: [String: String] = [:]
        for column in table.items { roles[column.sourceColumn] = "item" }
        for name in wave.design.textColumns + wave.design.numericColumns where roles[name] == nil { roles[name] = "design" }
        if table.metadata(named: wave.idColumn) != nil, roles[wave.idColumn] == nil { roles[wave.idColumn] = "id" }
        for name in wave.keep where roles[name] == nil {
            guard table.metadata(named: name) != nil else {
                throw DataError(file: wave.source, column: name, message: "no such column to keep (--keep)",
                                vi: "không có cột này để giữ lại (--keep)")
            }
            roles[name] = "kept"
        }
        let stored = table.columnNames.filter { roles[$0] != nil }
        let leftOut = table.columnNames.filter { roles[$0] == nil }
        var seen: [String: String] = [:]
        for column in stored + ["sipas_row", "sipas_empty_line"] {
            if let other = seen[Self.folded(column)] {
                throw DataError(file: wave.source, column: column,
                                message: "the store cannot keep both '\(other)' and '\(column)' (column names differing only in case, or a name sipas uses): rename one",
                                vi: "kho không thể giữ cả '\(other)' lẫn '\(column)' (tên cột chỉ khác chữ hoa/thường, hoặc tên sipas dùng): hãy đổi tên một cột")
            }
            seen[Self.folded(column)] = column
        }

        // Each stored column's cells: an item's valid answers as codes, everything else as its text.
        let itemsByColumn = Dictionary(table.items.map { ($0.sourceColumn, $0) }, uniquingKeysWith: { first, _ in first })
        let empty = Set(table.emptyLineRows)
        var invalid = 0
        let columnValues: [(Int) -> StoreValue] = try stored.map { name in
            let source = itemsByColumn[name] == nil ? table : cells
            guard let text = source.metadata(named: name) else {
                throw StoreError(store: self.name, en: "column \(name) was not read as text", vi: "cột \(name) không được đọc dạng văn bản")
            }
            guard let item = itemsByColumn[name], !item.item.multiSelect else {
                return { row in text[row].isEmpty ? .null : .text(text[row]) }
            }
            invalid += item.invalidCount
            let codes: [Int64]
            if case .nominal(let categories) = item.item.scale {
                codes = [0] + categories.map { Int64($0.code) }
            } else {
                codes = (0...255).map(Int64.init)
            }
            return { row in
                let value = Int(item.values[row])
                if value != 0, value < codes.count { return .integer(codes[value]) }
                return text[row].isEmpty ? .null : .text(text[row])
            }
        }

        let notes = table.warnings.map(\.en)
        var replaced = false
        try database.transaction {
            if let existing = try? self.wave(trimmed) {
                guard replace else {
                    throw StoreError(store: name, en: "wave '\(trimmed)' is already stored; add --replace to replace it",
                                     vi: "đợt '\(trimmed)' đã có trong kho; thêm --replace để thay thế")
                }
                try remove(existing)
                replaced = true
            }
            // The instrument by content: the row holding the same text, or a new one.
            let instrumentID: Int64
            if let existing = try database.rows("SELECT id FROM instruments WHERE text = ?", [.text(wave.instrumentText)]).first?.first?.integer {
                instrumentID = existing
            } else {
                guard let id = try database.rows("INSERT INTO instruments (name, text, stored_at) VALUES (?, ?, ?) RETURNING id",
                                                 [.text(wave.instrumentName), .text(wave.instrumentText), .text(Self.now())]).first?.first?.integer
                else { throw StoreError(store: name, en: "the instrument was not stored", vi: "không lưu được bộ câu hỏi") }
                instrumentID = id
            }
            let decimal: String
            switch table.decimalRule.style {
            case .comma: decimal = "comma"
            case .point: decimal = "point"
            case .pointOrComma: decimal = "auto"
            }
            guard let waveID = try database.rows("""
                INSERT INTO waves (name, instrument_id, source, imported_at, row_count, id_column, decimal_mark, column_map, design,
                                   left_out, notes, fieldwork)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [.text(trimmed), .integer(instrumentID), .text((wave.source as NSString).lastPathComponent), .text(Self.now()),
                      .integer(Int64(table.rowCount)), .text(wave.idColumn), .text(decimal), .text(Self.encode(wave.columnMap)),
                      .text(Self.json(wave.design)), .text(Self.encode(leftOut)), .text(Self.encode(notes)),
                      wave.fieldwork.map { .text(Self.encode($0)) } ?? .null]).first?.first?.integer
            else { throw StoreError(store: name, en: "the wave was not stored", vi: "không lưu được đợt khảo sát") }
            for (position, column) in stored.enumerated() {
                try database.run("INSERT INTO wave_columns (wave_id, position, name, role) VALUES (?, ?, ?, ?)",
                                 [.integer(waveID), .integer(Int64(position)), .text(column), .text(roles[column]!)])
            }
            let rowsTable = Self.rowsTable(waveID)
            let columns = stored.map { RowsTableColumn(name: $0, isItem: roles[$0] == "item") }
            try database.createRowsTable(rowsTable, columns: columns)
            try database.insertRows(rowsTable, columns: columns, count: table.rowCount) { row, values in
                let isEmpty = empty.contains(row)
                values[0] = .integer(Int64(row + 1))
                values[1] = .integer(isEmpty ? 1 : 0)
                for index in stored.indices { values[index + 2] = isEmpty ? .null : columnValues[index](row) }
            }
        }
        return ImportSummary(wave: trimmed, rows: table.rowCount, columns: stored, leftOut: leftOut, replaced: replaced,
                             invalidCells: invalid)
    }
}
