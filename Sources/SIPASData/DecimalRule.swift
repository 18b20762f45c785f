import SIPASSupport
import SIPASInstrument

/// The decimal mark a file's numbers are written with (`--decimal comma|point`).
public enum DecimalMark: String, CaseIterable, Sendable {
    case comma, point
}

/// How the numbers of one file (weights, population sizes, numeric predictors) are read: one decision per
/// file, taken from `--decimal` or else from the delimiter.
///
/// - `--decimal comma`, or a ';'-delimited file without `--decimal` (Vietnamese Excel writes `36,5;…`): ',' is
///   the decimal mark and a '.' in a number is an error (it could be a thousands separator: "1.500").
/// - `--decimal point`: '.' is the decimal mark and a ',' in a number is an error.
/// - A ','- or tab-delimited file without `--decimal`: '.' is the decimal mark; a cell holding a ',' and no
///   '.' (in a ','-file it must be quoted, "36,5") reads the ',' as the decimal mark, since it cannot be the
///   delimiter. A ',' followed by exactly three digits after one to three leading digits ("1,500") could be a
///   thousands separator and is an error that says so.
///
/// Answer cells are not numbers: an answer with a zero fraction ("4.0", "4,0") is the whole number in every
/// file, whatever the decimal mark (`ItemDecoder.integer`).
public struct DecimalRule: Equatable, Sendable {
    public enum Style: Equatable, Sendable {
        case comma, point, pointOrComma
    }

    public let style: Style
    /// Whether the mark was given (`CSVReadOptions.decimal`) rather than decided by the delimiter.
    public let given: Bool

    /// The rule for a file with this delimiter, `mark` overriding it when given.
    public init(mark: DecimalMark?, delimiter: UInt8) {
        switch mark {
        case .comma?: style = .comma
        case .point?: style = .point
        case nil: style = delimiter == UInt8(ascii: ";") ? .comma : .pointOrComma
        }
        given = mark != nil
    }

    /// The byte `NumberColumn.fastParse` takes as the decimal mark.
    var fastMark: UInt8 { style == .comma ? UInt8(ascii: ",") : UInt8(ascii: ".") }

    /// The value of a number cell's text, or nil when it is not a number under this rule.
    public func value<S: StringProtocol>(_ text: S) -> Double? {
        switch style {
        case .point: return NumberText.decimal(text)
        case .comma: return NumberText.decimal(text, decimalComma: true)
        case .pointOrComma:
            if let value = NumberText.decimal(text) { return value }
            return Self.mayGroupThousands(text) ? nil : NumberText.decimal(text, decimalComma: true)
        }
    }

    /// "'TEXT' is not a number", with the reason when the decimal mark is the trouble.
    public func notANumber(_ text: String, language: Language = .en) -> String {
        let vietnamese = language == .vi
        let head = vietnamese ? "'\(text)' không phải là số" : "'\(text)' is not a number"
        switch style {
        case .comma where NumberText.decimal(text) != nil:
            return head + (vietnamese
                ? " trong tệp này: dấu thập phân của tệp là ',' (" + (given ? "--decimal comma" : "dấu phân cách là ';'")
                    + "); nếu số trong tệp viết bằng '.', hãy dùng --decimal point"
                : " in this file: its decimal mark is ',' (" + (given ? "--decimal comma" : "the delimiter is ';'")
                    + "); give --decimal point if its numbers are written with '.'")
        case .point where NumberText.decimal(text, decimalComma: true) != nil:
            return head + (vietnamese
                ? " trong tệp này: dấu thập phân của tệp là '.' (--decimal point); nếu số trong tệp viết bằng ',', hãy dùng --decimal comma"
                : " in this file: its decimal mark is '.' (--decimal point); give --decimal comma if its numbers are written with ','")
        case .pointOrComma where Self.mayGroupThousands(text):
            return head + (vietnamese
                ? ": dấu ',' có thể là dấu thập phân hoặc dấu phân cách hàng nghìn; hãy viết số không có dấu phân cách hàng nghìn, "
                    + "hoặc dùng --decimal comma nếu ',' là dấu thập phân"
                : ": it may be a decimal comma or a thousands separator; write it without a thousands separator, "
                    + "or give --decimal comma if ',' is the decimal mark")
        default:
            return head
        }
    }

    /// One to three digits (the first not 0), a ',', exactly three digits: "1,500" is 1.5 or 1500.
    static func mayGroupThousands<S: StringProtocol>(_ text: S) -> Bool {
        var bytes = Substring(text).utf8.drop { $0 == 0x20 || $0 == 0x09 }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard parts.count == 2, let lead = parts[0].first, lead != UInt8(ascii: "0"),
              (1...3).contains(parts[0].count), parts[1].count == 3 else { return false }
        return parts.allSatisfy { $0.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
    }
}
