import Foundation
import SIPASSupport

/// A rectangular table to write for other programs (SPSS, Stata, Excel, CSV): named columns of numbers or
/// texts, each with a label (the question's text) and, for numbers, value labels (the answer's words).
public struct LabelledTable: Sendable {
    public struct Column: Sendable {
        public enum Values: Sendable {
            /// Numbers; nil is missing (system-missing in SPSS, "." in Stata, a blank cell in Excel and CSV).
            case numbers([Double?])
            /// Texts; "" is blank.
            case texts([String])
        }

        public var name: String
        /// The variable label ("" for none).
        public var label: String
        public var values: Values
        /// Value → label, for number columns (answer codes, unit codes), in the order to list them.
        public var valueLabels: [(value: Double, label: String)]
        /// The numbers are dates, as days since 1970-01-01: written as ISO text to CSV, as dates to the other
        /// formats (SPSS DATE11, Stata %td, Excel yyyy-mm-dd).
        public var isDate: Bool

        public init(name: String, label: String = "", values: Values, valueLabels: [(value: Double, label: String)] = [],
                    isDate: Bool = false) {
            self.name = name
            self.label = label
            self.values = values
            self.valueLabels = valueLabels
            self.isDate = isDate
        }

        public var count: Int {
            switch values {
            case .numbers(let numbers): return numbers.count
            case .texts(let texts): return texts.count
            }
        }

        /// The cell as CSV text: a whole number without a decimal point, another number in its shortest
        /// round-trip form, blank when missing.
        public func text(_ row: Int) -> String {
            switch values {
            case .numbers(let numbers):
                guard let value = numbers[row] else { return "" }
                return isDate ? LabelledTable.isoDate(days: Int(value)) : LabelledTable.numberText(value)
            case .texts(let texts): return texts[row]
            }
        }
    }

    public var columns: [Column]
    public var rowCount: Int

    /// A table of `columns`, which must all have `rowCount` values.
    public init(columns: [Column], rowCount: Int) {
        precondition(columns.allSatisfy { $0.count == rowCount }, "every column needs one value per row")
        self.columns = columns
        self.rowCount = rowCount
    }

    /// "5", "33.838", "-0.25": a whole number without a decimal point, another in its shortest round-trip form.
    public static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// The table as CSV (UTF-8, ',' between fields, fields holding ',', '"' or a line break quoted, one line
    /// per row): the header is the column names; labels are not part of a CSV file.
    public func csvText() -> String {
        var text = columns.map { Self.csvField($0.name) }.joined(separator: ",") + "\n"
        for row in 0..<rowCount {
            text += columns.map { Self.csvField($0.text(row)) }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Days since 1970-01-01 of an ISO date "2024-05-31" (years 1000-9999, a real day), else nil.
    public static func days(isoDate text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Int(text.prefix(4)), let month = Int(text.dropFirst(5).prefix(2)), let day = Int(text.suffix(2)),
              year >= 1000, (1...12).contains(month), day >= 1,
              bytes.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || ($0.element >= 48 && $0.element <= 57) })
        else { return nil }
        let days = XLSXCellText.daysFrom1970(year, month, day)
        return isoDate(days: days) == text ? days : nil
    }

    /// "2024-05-31" for a day counted from 1970-01-01.
    public static func isoDate(days: Int) -> String { XLSXCellText.civil(daysSince1970: days) }

    static func csvField(_ text: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
