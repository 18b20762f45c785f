/// A problem met while planning or drawing a sample, located by file, data row and column.
///
/// Privacy rule: sampling frames carry names, addresses and phone numbers, so a message never quotes a cell's
/// value. It names the row (1-based data row, the header is not counted) and the column, and says what was
/// expected. Group names (units, fields, strata) are not personal and may be quoted.
public struct SamplingError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String?
    public var row: Int?
    public var column: String?
    public var message: String

    public init(file: String? = nil, row: Int? = nil, column: String? = nil, message: String) {
        self.file = file; self.row = row; self.column = column; self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let row { parts.append("row \(row)") }
        if let column { parts.append("column '\(column)'") }
        let place = parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
        let prefix = file.map { "\($0)\(place): " } ?? (place.isEmpty ? "" : place.dropFirst() + ": ")
        return prefix + message
    }
}

/// Writes output lists as CSV (UTF-8, ',' delimiter, RFC 4180 quoting, LF line ends).
public enum CSVList {
    /// Quotes a field when it holds a comma, quote or line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func text(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
