import Foundation

/// The text a workbook cell gives to the CSV reading path: numbers as the shortest decimal that reads back
/// as the same double ("36.5", "5", never "5.0" or "3.65E1"), dates as ISO 8601, column letters.
enum XLSXCellText {
    /// The 0-based column of a cell reference ("H17" → 7, "AB3" → 27), or nil when it has no letters or
    /// lies past column XFD.
    static func column(ofReference text: UnsafePointer<CChar>) -> Int? {
        var column = 0, letters = 0, position = 0
        while true {
            var byte = UInt8(bitPattern: text[position])
            if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }  // lower case
            guard byte >= 0x41 && byte <= 0x5A else { break }
            column = column * 26 + Int(byte - 0x40)
            letters += 1
            position += 1
            if letters > 3 { return nil }
        }
        guard letters > 0, column <= 16_384 else { return nil }
        return column - 1
    }

    /// The letters of a 0-based column (0 → "A", 27 → "AB").
    static func letters(_ column: Int) -> String {
        var number = column + 1
        var result: [Character] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            result.insert(Character(UnicodeScalar(UInt8(65 + remainder))), at: 0)
            number = (number - 1) / 26
        }
        return String(result)
    }

    // MARK: Numbers

    /// Appends the text of a number cell whose stored value is `raw` ("36.5", "5", "4.0000000000000001E-2",
    /// " 5"): a date or time when its style shows one (`display`), otherwise the shortest round-trip decimal
    /// without exponent. A value that is not a number at all is appended as it is.
    static func appendNumber(_ raw: [UInt8], display: NumberDisplay, date1904: Bool, to output: inout [UInt8]) {
        var start = 0, end = raw.count
        while start < end && raw[start] == 0x20 { start += 1 }
        while end > start && raw[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return }
        if display == .number, appendPlainDecimal(raw, start, end, to: &output) { return }
        guard let value = Double(String(decoding: raw[start..<end], as: UTF8.self)), value.isFinite else {
            output.append(contentsOf: raw[start..<end])
            return
        }
        if display != .number, let date = dateText(serial: value, display: display, date1904: date1904) {
            output.append(contentsOf: date.utf8)
            return
        }
        output.append(contentsOf: decimalText(value).utf8)
    }

    /// The common case without parsing: an optional '-', digits, optionally '.' and digits, at most 15
    /// significant digits (so the text is already the shortest form of its double once trailing zeros of
    /// the fraction are dropped). Returns false for anything else.
    @inline(__always)
    private static func appendPlainDecimal(_ raw: [UInt8], _ start: Int, _ end: Int, to output: inout [UInt8]) -> Bool {
        var position = start
        if raw[position] == UInt8(ascii: "-") { position += 1 }
        var digits = 0, point = -1, leadingZeros = true, significant = 0
        while position < end {
            let byte = raw[position]
            if byte == UInt8(ascii: ".") {
                if point >= 0 { return false }
                point = position
            } else {
                guard byte &- 0x30 < 10 else { return false }
                digits += 1
                if byte != 0x30 { leadingZeros = false }
                if !leadingZeros { significant += 1 }
            }
            position += 1
        }
        guard digits > 0, significant <= 15, point != start, point != end - 1 else { return false }
        // No superfluous leading zero ("05") and no "-0".
        let first = raw[start] == UInt8(ascii: "-") ? start + 1 : start
        if raw[first] == 0x30 && first + 1 < end && raw[first + 1] != UInt8(ascii: ".") { return false }
        var last = end
        if point >= 0 {
            while last > point + 1 && raw[last - 1] == 0x30 { last -= 1 }
            if last == point + 1 { last = point }
        }
        if significant == 0 {  // zero, however written
            output.append(0x30)
            return true
        }
        output.append(contentsOf: raw[start..<last])
        return true
    }

    /// The shortest decimal that reads back as `value`, written out without an exponent
    /// (1e-05 → "0.00001", 1e+16 → "10000000000000000"); integers without a fraction.
    static func decimalText(_ value: Double) -> String {
        if value == 0 { return "0" }
        let shortest = "\(abs(value))"  // Swift prints the shortest round-trip digits
        let sign = value < 0 ? "-" : ""
        var mantissa = shortest, exponent = 0
        if let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(shortest[..<e])
            exponent = Int(shortest[shortest.index(after: e)...]) ?? 0
        }
        var digits = mantissa.replacingOccurrences(of: ".", with: "")
        var pointPosition = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        pointPosition += exponent
        // Leading zeros of the digits ("0.001" → digits "0001").
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); pointPosition -= 1 }
        var text: String
        if pointPosition <= 0 {
            text = "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            text = digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let index = digits.index(digits.startIndex, offsetBy: pointPosition)
            text = digits[..<index] + "." + digits[index...]
        }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return sign + text
    }

    // MARK: Escaped characters

    /// Text with its `_xHHHH_` escapes decoded: Excel and libxlsxwriter store characters XML cannot hold as such
    /// (a carriage return is `_x000D_`, a literal "_x" sequence `_x005F_x…`). ECMA-376 Part 1, 22.9.2.19 (ST_Xstring).
    static func unescapingCharacters(_ text: [UInt8]) -> [UInt8] {
        guard text.count >= 7, text.contains(UInt8(ascii: "_")) else { return text }
        func hex(_ byte: UInt8) -> UInt32? {
            switch byte {
            case 0x30...0x39: return UInt32(byte - 0x30)
            case 0x41...0x46: return UInt32(byte - 0x41 + 10)
            case 0x61...0x66: return UInt32(byte - 0x61 + 10)
            default: return nil
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "_"), index + 6 < text.count, text[index + 1] == UInt8(ascii: "x"),
               text[index + 6] == UInt8(ascii: "_"),
               let a = hex(text[index + 2]), let b = hex(text[index + 3]), let c = hex(text[index + 4]), let d = hex(text[index + 5]),
               let scalar = Unicode.Scalar(a << 12 | b << 8 | c << 4 | d) {
                result.append(contentsOf: String(Character(scalar)).utf8)
                index += 7
                continue
            }
            result.append(text[index])
            index += 1
        }
        return result
    }

    // MARK: Dates

    /// An Excel serial date as ISO 8601: "2024-05-31", with " 14:30:00" when the format shows a time or the
    /// value has one; a time format on a value below one day gives "14:30:00". Nil for serials no calendar
    /// date matches (negative, or past year 9999).
    ///
    /// The 1900 system counts 1900-01-01 as day 1 and, as Lotus 1-2-3 did, has a 29 February 1900 (day 60):
    /// days from 61 on are counted from 1899-12-30. The 1904 system counts from 1904-01-01 as day 0.
    /// (ECMA-376 Part 1, 18.17.4.1.)
    static func dateText(serial: Double, display: NumberDisplay, date1904: Bool) -> String? {
        guard serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 { days += 1; seconds -= 86_400 }
        let time = String(format: "%02ld:%02ld:%02ld", seconds / 3600, seconds / 60 % 60, seconds % 60)
        if display == .time && days == 0 { return time }
        let date: String
        if date1904 {
            date = civil(daysSince1970: days + daysFrom1970(1904, 1, 1))
        } else if days == 60 {
            date = "1900-02-29"
        } else if days == 0 {
            date = "1900-01-00"
        } else {
            date = civil(daysSince1970: days + daysFrom1970(1899, 12, days < 60 ? 31 : 30))
        }
        return display == .dateTime || display == .time || seconds != 0 ? date + " " + time : date
    }

    /// Days from 1970-01-01 to a civil date (proleptic Gregorian; Hinnant's algorithm).
    static func daysFrom1970(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// "YYYY-MM-DD" of a day counted from 1970-01-01.
    static func civil(daysSince1970 days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04ld-%02ld-%02ld", year, month, day)
    }

    /// A cell of type d (an ISO 8601 text, "2024-05-31T00:00:00Z"): the date, and the time when it is not midnight.
    static func appendISODate(_ raw: [UInt8], to output: inout [UInt8]) {
        var text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("Z") { text.removeLast() }
        let parts = text.split(separator: "T", maxSplits: 1)
        guard let date = parts.first else { return }
        var result = String(date)
        if parts.count == 2 {
            let time = parts[1].prefix(8)
            if time != "00:00:00" && time != "00:00" { result += " " + time }
        }
        output.append(contentsOf: result.utf8)
    }
}
