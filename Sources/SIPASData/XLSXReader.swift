import Foundation
import SIPASInstrument
import SIPASSupport

/// Which sheet of a workbook to read, and where its header is.
public struct SheetSelection: Sendable, Hashable {
    /// A sheet's name, or its 1-based position among the workbook's sheets (a sheet whose name is that number
    /// wins); nil: the first visible worksheet.
    public var sheet: String?
    /// The header's 1-based row number; nil: the first row that names every column the read needs.
    public var headerRow: Int?

    public init(sheet: String? = nil, headerRow: Int? = nil) {
        self.sheet = sheet
        self.headerRow = headerRow
    }

    public var isDefault: Bool { sheet == nil && headerRow == nil }
}

/// Reads one sheet of an Excel workbook (.xlsx, .xlsm) into a `ResponseTable`, exactly as the same table saved
/// as CSV would be read.
///
/// The sheet's XML is streamed from the archive (expat over ZIPFoundation's chunks); from the header row on,
/// each sheet row becomes one CSV record in memory — blank rows inside the data become empty lines, trailing
/// blank rows are dropped — and the CSV reader reads those bytes, so missing codes, invalid answers, number
/// columns and the row ledger follow the same rules. Cells become the text a CSV export holds: shared and inline
/// strings as written, numbers as their shortest round-trip decimal ("36.5", "5"), numbers in a date style as
/// ISO dates ("2024-05-31", with the time when there is one), booleans TRUE/FALSE, formulas their saved result
/// (an error result such as #DIV/0! is text, so an answer column reports it as invalid). Errors name the file,
/// the sheet and the cell (`SheetLayout`).
///
/// The header is, unless given, the first row that holds every column the read needs (the instrument's
/// criteria after --map, and `neededColumns`); when nothing is needed, the first of the sheet's first 30 rows
/// whose cells are all words (no numbers) and that fills at least half as many cells as the fullest of them.
/// Rows above the header (titles, merged cells, blank rows) are not read. Cells left or right of the header's
/// named span have no column and are not read.
public enum XLSXReader {
    /// The workbook's sheet names, in tab order.
    public static func sheetNames(path: String) throws -> [String] {
        try XLSXWorkbook(file: path).sheets.map(\.name)
    }

    /// Whether the workbook has the sheet `wanted` names (as `SheetSelection.sheet`); false when it cannot be read.
    public static func hasSheet(_ wanted: String, path: String) -> Bool {
        guard let workbook = try? XLSXWorkbook(file: path) else { return false }
        return (try? choose(wanted, in: workbook)) != nil
    }

    /// Reads a sheet with an instrument (see `CSVReader.read(path:instrument:options:)`).
    public static func read(path: String, instrument: Instrument, options: CSVReadOptions = .init(),
                            selection: SheetSelection = .init(), neededColumns: [String] = []) throws -> ResponseTable
    {
        let criteria = instrument.criteria.map { options.columnMapping[$0.id] ?? $0.id }
        let converted = try convert(path: path, selection: selection, needed: criteria + neededColumns,
                                    neededFor: criteria.isEmpty ? nil : "instrument '\(instrument.id)'", threads: options.threads)
        var csvOptions = options
        csvOptions.delimiter = UInt8(ascii: ",")
        do {
            var table = try converted.bytes.withUnsafeBytes {
                try CSVReader.read(bytes: $0, source: path, instrument: instrument, options: csvOptions)
            }
            for index in table.invalidCells.indices {
                table.invalidCells[index].line = converted.layout.sheetRow(ofRecord: table.invalidCells[index].row)
            }
            SheetLayout.register(converted.layout, for: path)
            return table
        } catch var error as DataError {
            if error.message.hasPrefix("the file has a header line but no data rows") {
                error.message = "the sheet has a header (row \(converted.layout.headerRow)) but no data rows below it"
                error.line = nil
            }
            if let hint = error.message.range(of: " The header was split at") { error.message.removeSubrange(hint.lowerBound...) }
            throw converted.layout.locate(error)
        }
    }

    /// Reads a sheet as plain text columns (see `CSVReader.read(path:columns:options:)`); the header is the first
    /// row naming every column in `columns`.
    public static func read(path: String, columns: [String]? = nil, options: CSVReadOptions = .init(),
                            selection: SheetSelection = .init()) throws -> ResponseTable
    {
        let table = try read(path: path, instrument: CSVReader.plainColumns, options: options, selection: selection,
                             neededColumns: columns ?? [])
        for name in columns ?? [] { _ = try table.requireMetadata(name) }
        return table
    }

    struct Converted {
        var bytes: [UInt8]
        var layout: SheetLayout
    }

    /// The chosen sheet as CSV bytes from its header row on, and where that table sits in the sheet.
    static func convert(path: String, selection: SheetSelection, needed: [String], neededFor: String? = nil,
                        threads: Int = 1) throws -> Converted {
        let workbook = try XLSXWorkbook(file: path, threads: threads)
        let sheet = try choose(selection.sheet, in: workbook)
        guard let part = sheet.part else {
            throw DataError(file: path, message: "the workbook is damaged: sheet '\(sheet.name)' has no part in the archive")
        }
        if sheet.isChart { throw DataError(file: path, message: "sheet '\(sheet.name)' is a chart, not a table of data", sheet: sheet.name) }
        let builder = SheetCSVBuilder(file: path, sheet: sheet.name, needed: needed, neededFor: neededFor,
                                      headerRow: selection.headerRow)
        let handler = SheetRowsHandler(strings: workbook.sharedStrings, styles: workbook.styleKinds, date1904: workbook.date1904,
                                       sheetName: sheet.name, file: path, onRow: builder.add)
        try workbook.stream(part, into: XMLStream(handler: handler, part: "sheet '\(sheet.name)' (\(part))"))
        return try builder.finish()
    }

    /// The sheet `wanted` names (a name, else a 1-based position), or the first visible worksheet.
    static func choose(_ wanted: String?, in workbook: XLSXWorkbook) throws -> XLSXWorkbook.Sheet {
        let sheets = workbook.sheets
        guard let wanted else {
            return sheets.first { !$0.hidden && !$0.isChart } ?? sheets[0]
        }
        if let exact = sheets.first(where: { $0.name == wanted }) { return exact }
        let fold = { (text: String) in
            text.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
                .folding(options: [.caseInsensitive], locale: nil)
        }
        if let near = sheets.first(where: { fold($0.name) == fold(wanted) }) { return near }
        let list = sheets.enumerated().map { "\($0.offset + 1) '\($0.element.name)'" + ($0.element.hidden ? " (hidden)" : "") }
            .joined(separator: ", ")
        if let number = Int(wanted.trimmingCharacters(in: .whitespaces)) {
            guard number >= 1 && number <= sheets.count else {
                throw DataError(file: workbook.file, message: "the workbook has no sheet number \(number): it has \(sheets.count) "
                                    + "sheet\(sheets.count == 1 ? "" : "s"): \(list)")
            }
            return sheets[number - 1]
        }
        throw DataError(file: workbook.file, message: "the workbook has no sheet '\(wanted)'. Its sheets: \(list). "
                            + "Give --sheet NAME or --sheet NUMBER")
    }
}

/// Turns the rows of a sheet, as they stream in, into CSV bytes: finds the header row, then writes one record
/// per sheet row.
final class SheetCSVBuilder {
    private let file: String
    private let sheet: String
    private let needed: [String]
    private let neededFor: String?
    private let headerRow: Int?

    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
    @exclusivity(unchecked) private var header: (row: Int, first: Int, last: Int, letters: [String: String])?
    /// The sheet row the next CSV line stands for.
    @exclusivity(unchecked) private var nextRow = 0
    /// Rows kept while looking for a header without needed columns.
    private var buffered: [SheetRow] = []
    /// The row naming most of the needed columns so far, for the message when none names them all.
    private var closest: (row: Int, names: [String], found: Int)?

    static let heuristicRows = 30

    init(file: String, sheet: String, needed: [String], neededFor: String?, headerRow: Int?) {
        self.file = file
        self.sheet = sheet
        var seen = Set<String>()
        self.needed = needed.filter { seen.insert($0).inserted }
        self.neededFor = neededFor
        self.headerRow = headerRow
    }

    /// A header cell's name as the CSV reader will have it: spaces trimmed, NFC.
    static func name(_ row: SheetRow, _ cell: SheetRow.Cell) -> String {
        row.text(cell).trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
    }

    func add(_ row: SheetRow) throws {
        if header != nil { write(row); return }
        if let headerRow {
            if row.number < headerRow { return }
            if row.number > headerRow { throw emptyHeaderRow(headerRow) }
            try setHeader(row)
            return
        }
        if needed.isEmpty {
            buffered.append(row)
            if buffered.count >= Self.heuristicRows { try decideFromBuffer() }
            return
        }
        let names = row.cells.map { Self.name(row, $0) }
        let present = Set(names)
        let found = needed.filter(present.contains).count
        if found == needed.count {
            try setHeader(row)
        } else if found > (closest?.found ?? 0) {
            closest = (row.number, names, found)
        }
    }

    func finish() throws -> SheetCSVBuilderResult {
        if header == nil {
            if let headerRow { throw emptyHeaderRow(headerRow) }
            if needed.isEmpty {
                guard !buffered.isEmpty else { throw DataError(file: file, message: "the sheet is empty", sheet: sheet) }
                try decideFromBuffer()
            } else {
                throw missingColumns()
            }
        }
        guard let header else { throw DataError(file: file, message: "the sheet is empty", sheet: sheet) }
        return XLSXReader.Converted(bytes: bytes, layout: SheetLayout(sheet: sheet, headerRow: header.row, letters: header.letters))
    }

    private func emptyHeaderRow(_ number: Int) -> DataError {
        DataError(file: file, line: number,
                  message: "the header row given (--header-row \(number)) is empty: give the number of the row that names the columns",
                  sheet: sheet)
    }

    /// No row names every needed column: say which are missing from the row that names most of them.
    private func missingColumns() -> DataError {
        let purpose = neededFor.map { " \($0) needs" } ?? " the analysis needs"
        guard let closest else {
            return DataError(file: file, message: "no row of the sheet names any of the columns\(purpose) (\(needed.joined(separator: ", "))). "
                                 + "Give the header's row with --header-row N, another sheet with --sheet, or map differently named "
                                 + "columns with --map ITEM=COLUMN", sheet: sheet)
        }
        let present = Set(closest.names)
        let missing = needed.filter { !present.contains($0) }
        let hints = missing.compactMap { wanted in
            closest.names.first { $0.lowercased() == wanted.lowercased() }.map { "'\(wanted)' may be '\($0)'" }
        }
        return DataError(file: file, line: closest.row,
                         message: "no row of the sheet names every column\(purpose); the header seems to be row \(closest.row), "
                             + "which lacks \(missing.joined(separator: ", "))"
                             + (hints.isEmpty ? "" : " (\(hints.joined(separator: "; ")))")
                             + ". Map differently named columns with --map ITEM=COLUMN, or give the header's row with --header-row N",
                         sheet: sheet)
    }

    /// The header without needed columns: the first buffered row of words only that fills at least half as
    /// many cells as the fullest buffered row; else the first row.
    private func decideFromBuffer() throws {
        let fullest = buffered.map { $0.cells.count }.max() ?? 0
        let chosen = buffered.firstIndex { row in
            row.cells.count * 2 >= fullest && (row.cells.count >= 2 || fullest == 1)
                && row.cells.allSatisfy { $0.isText && NumberText.decimal(row.text($0).trimmingCharacters(in: .whitespaces)) == nil }
        } ?? 0
        let rows = buffered
        buffered = []
        try setHeader(rows[chosen])
        for row in rows[(chosen + 1)...] { write(row) }
    }

    private func setHeader(_ row: SheetRow) throws {
        guard let first = row.cells.first?.column, let last = row.cells.last?.column else { throw emptyHeaderRow(row.number) }
        var names = [String](repeating: "", count: last - first + 1)
        var letters: [String: String] = [:]
        var cellOfName: [String: String] = [:]
        for cell in row.cells {
            let name = Self.name(row, cell)
            let letter = XLSXCellText.letters(cell.column)
            names[cell.column - first] = name
            guard !name.isEmpty else { continue }
            if let other = cellOfName[name] {
                throw DataError(file: file, line: row.number, column: name,
                                message: "the header names this column twice (cells \(other)\(row.number) and \(letter)\(row.number))",
                                sheet: sheet)
            }
            cellOfName[name] = letter
            letters[name] = letter
        }
        // Unnamed columns get the CSV reader's names (column_N, N counted from the span's first column).
        for (index, name) in names.enumerated() where name.isEmpty {
            letters["column_\(index + 1)"] = XLSXCellText.letters(first + index)
        }
        header = (row.number, first, last, letters)
        nextRow = row.number + 1
        writeFields(row, cells: row.cells[...], first: first, last: last)
    }

    /// One record for the row (after the empty lines standing for blank rows since the last record); a row with
    /// no cell inside the header's span is blank and waits, as trailing blank rows are not records.
    private func write(_ row: SheetRow) {
        guard let header else { return }
        var low = 0
        while low < row.cells.count && row.cells[low].column < header.first { low += 1 }
        var high = low
        while high < row.cells.count && row.cells[high].column <= header.last { high += 1 }
        guard high > low else { return }
        if row.number > nextRow { bytes.append(contentsOf: repeatElement(UInt8(ascii: "\n"), count: row.number - nextRow)) }
        nextRow = row.number + 1
        writeFields(row, cells: row.cells[low..<high], first: header.first, last: header.last)
    }

    private func writeFields(_ row: SheetRow, cells: ArraySlice<SheetRow.Cell>, first: Int, last: Int) {
        var column = first
        for cell in cells {
            while column < cell.column {
                bytes.append(UInt8(ascii: ","))
                column += 1
            }
            appendField(row.bytes, cell.range)
            if column < last { bytes.append(UInt8(ascii: ",")) }
            column += 1
        }
        while column <= last {
            if column < last { bytes.append(UInt8(ascii: ",")) }
            column += 1
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    @inline(__always)
    private func appendField(_ source: [UInt8], _ range: Range<Int>) {
        var needsQuotes = false
        for index in range {
            let byte = source[index]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            bytes.append(contentsOf: source[range])
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for index in range {
            let byte = source[index]
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

typealias SheetCSVBuilderResult = XLSXReader.Converted
