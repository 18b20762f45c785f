/// Reading a number written in a data cell or an option.
///
/// Only decimal notation is a number: an optional sign, digits with an optional decimal point, an optional
/// exponent (`36.5`, `-2`, `.5`, `1e-3`), with spaces around it ignored. Swift's `Double(String)` also accepts
/// hexadecimal (`0x10` = 16), `nan`, `inf` and `infinity`; no survey file means those as numbers, so they are
/// refused here, as are values too large for a double.
public enum NumberText {
    /// The value of `text`, or nil when it is not a finite decimal number. With `decimalComma`, a ',' stands for
    /// the decimal point (Vietnamese Excel writes 36,5) and the text may then hold no '.'.
    public static func decimal<S: StringProtocol>(_ text: S, decimalComma: Bool = false) -> Double? {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        guard start < bytes.count else { return nil }
        var position = start
        if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
        var digits = 0
        var sawPoint = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
            } else if !sawPoint && (byte == UInt8(ascii: ".") && !decimalComma || byte == UInt8(ascii: ",") && decimalComma) {
                sawPoint = true
                bytes[position] = UInt8(ascii: ".")
            } else {
                break
            }
            position += 1
        }
        guard digits > 0 else { return nil }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            var exponentDigits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                exponentDigits += 1
                position += 1
            }
            guard exponentDigits > 0 else { return nil }
        }
        guard position == bytes.count else { return nil }
        guard let value = Double(String(decoding: bytes[start...], as: UTF8.self)), value.isFinite else { return nil }
        return value
    }
}
