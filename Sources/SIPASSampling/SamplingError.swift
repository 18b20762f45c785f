import SIPASInstrument

/// A problem met while planning or drawing a sample, located by file, data row and column, told in Vietnamese
/// and English.
///
/// Privacy rule: sampling frames carry names, addresses and phone numbers, so a message never quotes a cell's
/// value. It names the row (1-based data row, the header is not counted) and the column, and says what was
/// expected. Group names (units, fields, strata) are not personal and may be quoted.
public struct SamplingError: Error, Equatable, LocalizedFailure, Sendable {
    public var file: String?
    public var row: Int?
    public var column: String?
    /// What was wrong, in English.
    public var message: String
    /// The same in Vietnamese.
    public var vi: String

    public init(file: String? = nil, row: Int? = nil, column: String? = nil, vi: String, en: String) {
        self.file = file; self.row = row; self.column = column; self.message = en; self.vi = vi
    }

    public var description: String { text(.en) }

    /// The located message in `language`: the place (file, row, column) in that language's words, then what was wrong.
    public func text(_ language: Language) -> String {
        let vietnamese = language == .vi
        var parts: [String] = []
        if let row { parts.append(vietnamese ? "hàng dữ liệu \(row)" : "row \(row)") }
        if let column { parts.append(vietnamese ? "cột '\(column)'" : "column '\(column)'") }
        let place = parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
        let prefix = file.map { "\($0)\(place): " } ?? (place.isEmpty ? "" : place.dropFirst() + ": ")
        return prefix + (vietnamese ? vi : message)
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
