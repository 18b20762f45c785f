/// A caveat on a result (small sample, zero variance, collinearity, …) in Vietnamese and English, so every
/// output speaks one language. `kind` is what code tests — never the wording.
public struct Note: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case general
        /// The bounded interval used the respondents as its effective sample size (estimate at a bound, or no variance).
        case effectiveSampleSize
        /// The logit interval was undefined and Korn–Graubard was used instead.
        case logitFallback
        case smallSample
        case noStandardError
        case zeroVariance
        case notEstimated
        case collinearity
        /// A coefficient's variance inflation factor above the model's limit.
        case varianceInflation
        case fewClusters
        case fewDegreesOfFreedom
        case bootstrap
        /// Replicates without an estimate were left out of a replicate-weight variance.
        case replicatesDropped
        case model
        case data
    }

    public var kind: Kind
    public var vi: String
    public var en: String

    public init(_ kind: Kind = .general, vi: String, en: String) {
        self.kind = kind
        self.vi = vi
        self.en = en
    }

    public func text(_ language: Language) -> String { language == .vi ? vi : en }

    /// A number written for the Vietnamese text: the decimal point becomes a comma (41.1 → 41,1).
    public static func vi(_ number: String) -> String { number.replacingOccurrences(of: ".", with: ",") }

    /// A whole number with its thousands grouped as `language` writes them: 12.345 in Vietnamese, 12,345 in
    /// English. The one grouping every message and table uses (`NumberStyle.integer` included).
    public static func integer(_ value: Int, _ language: Language) -> String {
        let digits = Array(String(value.magnitude))
        let separator = language == .vi ? "." : ","
        return (value < 0 ? "-" : "") + digits.enumerated().map { index, digit in
            (index > 0 && (digits.count - index) % 3 == 0 ? separator : "") + String(digit)
        }.joined()
    }

    /// The English text (logs, JSON's `notes`, error messages of tools that read English).
    public var description: String { en }
}

extension Array where Element == Note {
    /// The notes' texts in one language.
    public func texts(_ language: Language) -> [String] { map { $0.text(language) } }
}
