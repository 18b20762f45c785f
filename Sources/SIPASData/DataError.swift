import SIPASInstrument
import SIPASSupport
/// A problem with a data file, located by file, physical line, data row and column — or, in an Excel
/// workbook, by sheet and cell.
///
/// `line` counts physical lines of the file from 1 (the header is line 1); `row` counts data records from 1
/// (the first record after the header is row 1). They differ when quoted fields contain newlines. In a
/// workbook `sheet` names the sheet, `line` is the sheet's row number and `cell` the cell ("H17").
public struct DataError: Error, Equatable, LocalizedFailure {
    public var file: String
    public var line: Int?
    public var row: Int?
    public var column: String?
    public var message: String
    /// The workbook sheet, for data read from .xlsx.
    public var sheet: String?
    /// The cell reference ("H17"), for data read from .xlsx.
    public var cell: String?
    /// The message in Vietnamese, where it has been written; without it the English `message` is shown.
    public var vi: String?

    public init(file: String, line: Int? = nil, row: Int? = nil, column: String? = nil, message: String,
                vi: String? = nil, sheet: String? = nil, cell: String? = nil) {
        self.file = file; self.line = line; self.row = row; self.column = column; self.message = message
        self.vi = vi; self.sheet = sheet; self.cell = cell
    }

    public var description: String { text(.en) }

    /// The located message in `language`: the place (file, sheet, cell or line, row, column) in that language's
    /// words, then what was wrong.
    public func text(_ language: Language) -> String {
        // An error about a table read from a sheet, raised by code that knows only rows and columns (a blank
        // design variable, a weight that is not a number), is told in the sheet's terms.
        if sheet == nil, let layout = SheetLayout.registered(for: file) { return layout.locate(self).text(language) }
        let vietnamese = language == .vi
        let text = vietnamese ? (vi ?? message) : message
        let columnWord = vietnamese ? "cột" : "column"
        if let sheet {
            var location = "\(file), \(vietnamese ? "trang tính" : "sheet") '\(sheet)'"
            if let cell { location += ", \(vietnamese ? "ô" : "cell") \(cell)" } else if let line { location += ", \(vietnamese ? "dòng" : "row") \(line)" }
            return "\(location)\(column.map { " (\(columnWord) '\($0)')" } ?? ""): \(text)"
        }
        var location = file
        // A .sav or .dta file has cases, not lines: its errors name the row (case) and the column.
        if let line, !RecordFiles.contains(file) { location += ":\(line)" }
        var parts: [String] = []
        if let row { parts.append(vietnamese ? "hàng dữ liệu \(row)" : "row \(row)") }
        if let column { parts.append("\(columnWord) '\(column)'") }
        let place = parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
        return "\(location)\(place): \(text)"
    }
}

/// A file that could not be written, told in the user's language (the type lives in SIPASSupport, which has
/// no notion of language).
extension OutputFileError: LocalizedFailure {
    public func text(_ language: Language) -> String { language == .vi ? vietnamese : description }
}
