import Foundation

/// One row of a sheet as its cells' texts: `bytes[cells[i].range]` is the text of the cell in column
/// `cells[i].column` (0-based: A = 0). Blank cells are absent; cells are in column order.
struct SheetRow {
    struct Cell {
        var column: Int
        var range: Range<Int>
        /// The cell holds a text (a shared or inline string, a formula's text result, an error such as #N/A),
        /// not a number, date or boolean.
        var isText: Bool
    }

    /// The row's 1-based number in the sheet.
    var number = 0
    var cells: [Cell] = []
    var bytes: [UInt8] = []

    func text(_ cell: Cell) -> String { String(decoding: bytes[cell.range], as: UTF8.self) }
}

/// Streams the rows of one worksheet part (`<sheetData>`), turning each cell into the text a CSV export
/// would hold (`XLSXCellText`), and hands each row to `onRow` as soon as it ends. Only the current row is in
/// memory. Rows without an `r` attribute follow the previous row; cells without one follow the previous cell.
final class SheetRowsHandler: XMLHandler {
    private let strings: SharedStrings
    private let styles: [NumberDisplay]
    private let date1904: Bool
    private let sheetName: String
    private let file: String
    /// Called with each row that holds at least one cell; returns false to stop reading.
    private let onRow: (SheetRow) throws -> Void

    // The parse's state, touched by every event: @exclusivity(unchecked) spares each access a dynamic check
    // (a third of the handler's time); the handler is only ever called by its own parser, on one thread.
    @exclusivity(unchecked) private var row = SheetRow()
    @exclusivity(unchecked) private var inSheetData = false, inRow = false, inCell = false
    @exclusivity(unchecked) private var previousRow = 0, previousColumn = -1
    // The cell being read.
    @exclusivity(unchecked) private var column = 0, kind = CellKind.number, style = 0
    @exclusivity(unchecked) private var collecting = Collecting.none
    @exclusivity(unchecked) private var value: [UInt8] = [], formula: [UInt8] = [], inlineText: [UInt8] = []
    @exclusivity(unchecked) private var hasValue = false, hasFormula = false, phoneticDepth = 0

    private enum CellKind { case number, sharedString, inlineString, formulaString, boolean, error, date }
    private enum Collecting { case none, value, formula, inlineText }

    init(strings: SharedStrings, styles: [NumberDisplay], date1904: Bool, sheetName: String, file: String,
         onRow: @escaping (SheetRow) throws -> Void) {
        self.strings = strings
        self.styles = styles
        self.date1904 = date1904
        self.sheetName = sheetName
        self.file = file
        self.onRow = onRow
        value.reserveCapacity(64)
    }

    private func fail(_ message: String, cell: String? = nil) {
        guard failure == nil else { return }
        failure = DataError(file: file, line: cell == nil ? (row.number > 0 ? row.number : nil) : row.number,
                            message: message, sheet: sheetName, cell: cell)
    }

    override func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        guard failure == nil else { return }
        let local = XMLName.local(name)
        switch (local[0], local[1]) {
        case (0x63, 0) where inRow:  // c
            startCell(attributes)
        case (0x76, 0) where inCell:  // v
            collecting = .value
            hasValue = true
        case (0x66, 0) where inCell:  // f
            collecting = .formula
            hasFormula = true
        case (0x74, 0) where inCell && phoneticDepth == 0:  // t (inside <is>)
            collecting = .inlineText
        case (0x72, 0x6F) where inSheetData && XMLName.equals(local, "row"):
            startRow(attributes)
        case (0x72, 0x50) where inCell && XMLName.equals(local, "rPh"):
            phoneticDepth += 1
        case (0x73, 0x68) where XMLName.equals(local, "sheetData"):
            inSheetData = true
        default:
            break
        }
    }

    override func end(_ name: UnsafePointer<CChar>) {
        guard failure == nil else { return }
        let local = XMLName.local(name)
        switch (local[0], local[1]) {
        case (0x76, 0), (0x66, 0), (0x74, 0):  // v, f, t
            collecting = .none
        case (0x63, 0) where inCell:
            endCell()
        case (0x72, 0x6F) where inRow && XMLName.equals(local, "row"):
            inRow = false
            if !row.cells.isEmpty {
                do { try onRow(row) } catch { failure = error }
            }
        case (0x72, 0x50) where XMLName.equals(local, "rPh"):
            phoneticDepth -= 1
        case (0x73, 0x68) where XMLName.equals(local, "sheetData"):
            inSheetData = false
        default:
            break
        }
    }

    override func text(_ bytes: UnsafeRawBufferPointer) {
        switch collecting {
        case .none: return
        case .value: value.append(contentsOf: bytes)
        case .formula: formula.append(contentsOf: bytes)
        case .inlineText: inlineText.append(contentsOf: bytes)
        }
    }

    private func startRow(_ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        var number = previousRow + 1
        var index = 0
        while let attribute = attributes[index] {
            if attribute[0] == 0x72 && attribute[1] == 0, let text = attributes[index + 1] {  // r
                guard let parsed = Self.digits(text), parsed >= 1, parsed <= 1_048_576 else {
                    fail("the workbook is damaged: a row has the number '\(String(cString: text))'")
                    return
                }
                number = parsed
            }
            index += 2
        }
        if number <= previousRow {
            fail("the workbook is damaged: row \(number) comes after row \(previousRow)")
            return
        }
        inRow = true
        previousRow = number
        previousColumn = -1
        row.number = number
        row.cells.removeAll(keepingCapacity: true)
        row.bytes.removeAll(keepingCapacity: true)
    }

    private func startCell(_ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        inCell = true
        column = previousColumn + 1
        kind = .number
        style = 0
        hasValue = false
        hasFormula = false
        value.removeAll(keepingCapacity: true)
        formula.removeAll(keepingCapacity: true)
        inlineText.removeAll(keepingCapacity: true)
        var index = 0
        while let attribute = attributes[index] {
            guard let text = attributes[index + 1] else { break }
            index += 2
            guard attribute[1] == 0 else { continue }
            switch attribute[0] {
            case 0x72:  // r: "H17"
                guard let parsed = XLSXCellText.column(ofReference: text) else {
                    fail("the workbook is damaged: a cell of row \(row.number) has the reference '\(String(cString: text))'")
                    return
                }
                column = parsed
            case 0x74:  // t
                switch (text[0], text[1]) {
                case (0x73, 0): kind = .sharedString  // s
                case (0x73, 0x74): kind = .formulaString  // str
                case (0x69, _): kind = .inlineString  // inlineStr
                case (0x62, 0): kind = .boolean  // b
                case (0x65, 0): kind = .error  // e
                case (0x64, 0): kind = .date  // d
                default: kind = .number
                }
            case 0x73:  // s
                style = Self.digits(text) ?? 0
            default:
                break
            }
        }
        if column <= previousColumn {
            fail("the workbook is damaged: cells of row \(row.number) are out of order", cell: XLSXCellText.letters(column) + String(row.number))
        }
        previousColumn = column
    }

    private func endCell() {
        inCell = false
        collecting = .none
        let start = row.bytes.count
        var isText = false
        if !hasValue && kind != .inlineString {
            // A formula saved without its result (written by a program that does not calculate): its text, so
            // that an answer column reports it instead of counting a blank.
            guard hasFormula else { return }
            row.bytes.append(UInt8(ascii: "="))
            row.bytes.append(contentsOf: formula.isEmpty ? Array("(shared formula)".utf8) : formula)
            isText = true
        } else {
            switch kind {
            case .number:
                let display = style < styles.count ? styles[style] : .number
                XLSXCellText.appendNumber(value, display: display, date1904: date1904, to: &row.bytes)
            case .sharedString:
                guard let index = Self.digits(value), let range = strings.range(index) else {
                    fail("the workbook is damaged: the cell refers to shared string \(String(decoding: value, as: UTF8.self)), which the workbook does not have",
                         cell: XLSXCellText.letters(column) + String(row.number))
                    return
                }
                row.bytes.append(contentsOf: strings.bytes[range])
                isText = true
            case .inlineString:
                row.bytes.append(contentsOf: XLSXCellText.unescapingCharacters(inlineText))
                isText = true
            case .formulaString, .error:
                row.bytes.append(contentsOf: value)
                isText = true
            case .boolean:
                let truth = value.first == UInt8(ascii: "1") || value.first == UInt8(ascii: "t") || value.first == UInt8(ascii: "T")
                row.bytes.append(contentsOf: truth ? Array("TRUE".utf8) : Array("FALSE".utf8))
            case .date:
                XLSXCellText.appendISODate(value, to: &row.bytes)
            }
        }
        guard row.bytes.count > start else { return }  // an empty text is a blank cell
        row.cells.append(SheetRow.Cell(column: column, range: start..<row.bytes.count, isText: isText))
    }

    /// A whole number from ASCII digits (surrounding spaces allowed), or nil.
    static func digits<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        var value = 0, count = 0
        for byte in bytes {
            if byte == 0x20 { if count > 0 { break } else { continue } }
            let digit = byte &- 0x30
            guard digit < 10, count < 18 else { return nil }
            value = value * 10 + Int(digit)
            count += 1
        }
        return count > 0 ? value : nil
    }

    /// The same for a NUL-terminated attribute value.
    static func digits(_ text: UnsafePointer<CChar>) -> Int? {
        var value = 0, count = 0, position = 0
        while text[position] != 0 {
            let byte = UInt8(bitPattern: text[position])
            position += 1
            if byte == 0x20 { if count > 0 { break } else { continue } }
            let digit = byte &- 0x30
            guard digit < 10, count < 18 else { return nil }
            value = value * 10 + Int(digit)
            count += 1
        }
        return count > 0 ? value : nil
    }
}
