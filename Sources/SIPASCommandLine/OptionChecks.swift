import ArgumentParser
import Foundation
import SIPASDesign
import SIPASInstrument
import SIPASReport

/// Range checks for numeric options, called from each command's `validate()` (which ArgumentParser runs right
/// after parsing), so a value no analysis can use is refused before any work starts, with a message naming the
/// option and the accepted range. NaN and infinities are never accepted.
enum OptionCheck {
    /// `value` (when given) must be finite and within `lower`…`upper`; `exclusiveLower` refuses `lower` itself.
    static func number(_ value: Double?, _ option: String, from lower: Double, to upper: Double,
                       exclusiveLower: Bool = false) throws {
        guard let value else { return }
        let inside = value.isFinite && (exclusiveLower ? value > lower : value >= lower) && value <= upper
        guard inside else {
            let vi = exclusiveLower ? "lớn hơn \(shown(lower, .vi)) và không quá \(shown(upper, .vi))" : "từ \(shown(lower, .vi)) đến \(shown(upper, .vi))"
            let en = exclusiveLower ? "above \(shown(lower, .en)) and at most \(shown(upper, .en))" : "from \(shown(lower, .en)) to \(shown(upper, .en))"
            throw OptionRefusal(vi: "\(option) phải là một số \(vi) (đã ghi \(shown(value, .vi)))",
                                en: "\(option) must be a number \(en) (got \(shown(value, .en)))")
        }
    }

    /// `value` (when given) must be a whole number within `lower`…`upper`.
    static func count(_ value: Int?, _ option: String, from lower: Int, to upper: Int) throws {
        guard let value else { return }
        guard value >= lower, value <= upper else {
            throw OptionRefusal(vi: "\(option) phải là số nguyên từ \(grouped(lower, .vi)) đến \(grouped(upper, .vi)) (đã ghi \(value))",
                                en: "\(option) must be a whole number from \(grouped(lower, .en)) to \(grouped(upper, .en)) (got \(value))")
        }
    }

    /// A confidence level strictly between 0.5 and 1 (at most 0.9999).
    static func confidence(_ value: Double?, _ option: String = "--confidence") throws {
        try number(value, option, from: 0.5, to: 0.9999, exclusiveLower: true)
    }

    /// Bootstrap replicates (or other repeated computations): at most `maximum`, which keeps memory and time
    /// bounded on an office computer.
    static func replicates(_ value: Int?, _ option: String, minimum: Int = 1, maximum: Int = 100_000) throws {
        try count(value, option, from: minimum, to: maximum)
    }

    /// An output file name whose extension (any case) is one of `extensions`, and that names a file, not a folder.
    static func outputFile(_ path: String, _ option: String, extensions: [String]) throws {
        let name = (path as NSString).lastPathComponent
        let suffix = (name as NSString).pathExtension.lowercased()
        guard !path.isEmpty, !path.hasSuffix("/"), !name.hasPrefix("."), extensions.contains(suffix) else {
            let list = extensions.map { "." + $0 }.joined(separator: ", ")
            throw OptionRefusal(vi: "\(option) phải là tên tệp có đuôi \(list) (định dạng theo đuôi tệp; đã ghi '\(path)')",
                                en: "\(option) must name a file ending in \(list) (the format follows the name; got '\(path)')")
        }
    }

    /// Refuses work that would need more memory than the machine has, before anything is allocated.
    static func memory(bytes: Double, for what: LocalizedText) throws {
        let physical = Double(ProcessInfo.processInfo.physicalMemory)
        guard bytes.isFinite, bytes < 0.5 * physical else {
            let megabytes = Int(min(bytes / 1e6, 1e15))
            let needed = LocalizedText(vi: bytes.isFinite ? "khoảng \(grouped(megabytes, .vi)) MB" : "nhiều bộ nhớ hơn mức đếm được",
                                       en: bytes.isFinite ? "about \(grouped(megabytes, .en)) MB" : "more memory than can be counted")
            let has = Int(physical / 1e6)
            throw OptionRefusal(vi: "\(what.vi) sẽ cần \(needed.vi) bộ nhớ; máy này có \(grouped(has, .vi)) MB",
                                en: "\(what.en) would need \(needed.en) of memory; this computer has \(grouped(has, .en)) MB")
        }
    }

    /// A number as an option's message shows it: whole numbers grouped in threes, decimals with the language's
    /// decimal mark (Vietnamese 0,95 and 1.000; English 0.95 and 1,000).
    static func shown(_ value: Double, _ language: Language) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 { return grouped(Int(value), language) }
        let text = abs(value) >= 1e6 || abs(value) < 1e-3 ? String(format: "%g", value) : String(value)
        return language == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    static func grouped(_ value: Int, _ language: Language) -> String { NumberStyle(language: language).integer(value) }
}

/// A command that has no replicate-weight variance was given a design file with a `replicates` block: refused
/// by name rather than analysed as if the replicates were not there.
struct ReplicatesUnsupported: LocalizedFailure {
    var command: String
    var alternative: String
    var alternativeVietnamese: String?

    var description: String { text(.en) }

    func text(_ language: Language) -> String {
        language == .vi
            ? "sipas \(command) chưa dùng được trọng số lặp (khối replicates trong tệp --design); "
                + "hãy khai báo thiết kế bằng tầng/cụm/quyền số (--strata, --cluster, --weight) hoặc \(alternativeVietnamese ?? alternative). "
                + "index, estimate, compare, report, regress --se design và drivers dùng được trọng số lặp."
            : "sipas \(command) does not use replicate weights yet (the replicates block of the --design file); "
                + "declare the design by strata/cluster/weight (--strata, --cluster, --weight) or \(alternative). "
                + "index, estimate, compare, report, regress --se design and drivers use replicate weights."
    }

    /// Throws when `specification` declares replicate weights.
    static func check(_ specification: DesignSpecification, command: String, alternative: String, vi: String? = nil) throws {
        if specification.replicates != nil {
            throw ReplicatesUnsupported(command: command, alternative: alternative, alternativeVietnamese: vi)
        }
    }
}
