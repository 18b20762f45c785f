import Foundation
import SIPASInstrument

extension SamplingError {
    /// The most forms a sample size, an allocation or a draw may ask for: 100,000,000. A larger answer is not a
    /// usable number of forms (the inputs are wrong, e.g. a margin far too small for the SD), and it is refused
    /// with a sentence saying what gave it rather than converted to a whole number that could pass Int.max.
    public static let maximumForms = 100_000_000
}

/// Whole-number arithmetic on counts a user supplies (sizes, totals, forms per unit, fieldwork counts): a sum or a
/// product that passes Int.max, or a Double that is no usable whole number of forms, becomes a `SamplingError` with
/// a sentence, never a trap.
public enum SamplingArithmetic {
    /// a + b; `what` says what the two numbers are (e.g. "the stratum sizes"), in both languages.
    public static func add(_ a: Int, _ b: Int, _ what: @autoclosure () -> LocalizedText) throws -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else {
            let what = what()
            throw SamplingError(vi: "tổng \(what.vi) vượt quá \(Int.max), số nguyên lớn nhất",
                                en: "\(what.en) add up to more than \(Int.max), the largest whole number")
        }
        return sum
    }

    /// The sum of `values`; `what` names them (e.g. "the stratum sizes").
    public static func sum<Values: Sequence>(_ values: Values, _ what: @autoclosure () -> LocalizedText) throws -> Int
    where Values.Element == Int {
        var total = 0
        for value in values { total = try add(total, value, what()) }
        return total
    }

    /// a × b; `what` says what the product is (e.g. "3 communes × 30 forms").
    public static func multiply(_ a: Int, _ b: Int, _ what: @autoclosure () -> LocalizedText) throws -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else {
            let what = what()
            throw SamplingError(vi: "\(what.vi) vượt quá \(Int.max), số nguyên lớn nhất",
                                en: "\(what.en) is more than \(Int.max), the largest whole number")
        }
        return product
    }

    /// A count of forms from a Double already rounded to a whole number: nil when it is not finite, negative or
    /// above `SamplingError.maximumForms` (so the conversion to Int cannot trap).
    static func forms(_ value: Double) -> Int? {
        guard value.isFinite, value >= 0, value <= Double(SamplingError.maximumForms) else { return nil }
        return Int(value)
    }

    /// A Double in messages: six significant digits (1e-09, 15, 8.64366e+20).
    static func short(_ value: Double) -> String { String(format: "%g", value) }

    /// The same for the Vietnamese text, with a decimal comma (1,5; 8,64366e+20).
    static func shortVi(_ value: Double) -> String { Note.vi(short(value)) }

    /// A whole number for the Vietnamese text, thousands grouped with '.' (100.000.000).
    static func groupedVi(_ value: Int) -> String { Note.integer(value, .vi) }

    /// `SamplingError.maximumForms` in the Vietnamese text: "100.000.000".
    static var maximumFormsTextVi: String { groupedVi(SamplingError.maximumForms) }

    /// `SamplingError.maximumForms` in messages: "100,000,000".
    static var maximumFormsText: String { Note.integer(SamplingError.maximumForms, .en) }
}
