/// A problem with a data file, located by file, physical line, data row and column.
///
/// `line` counts physical lines of the file from 1 (the header is line 1); `row` counts data records from 1
/// (the first record after the header is row 1). They differ when quoted fields contain newlines.
public struct DataError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var row: Int?
    public var column: String?
    public var message: String

    public init(file: String, line: Int? = nil, row: Int? = nil, column: String? = nil, message: String) {
        self.file = file; self.line = line; self.row = row; self.column = column; self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        var parts: [String] = []
        if let row { parts.append("row \(row)") }
        if let column { parts.append("column '\(column)'") }
        let place = parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
        return "\(location)\(place): \(message)"
    }
}
