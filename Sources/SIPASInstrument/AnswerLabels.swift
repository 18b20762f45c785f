import Foundation

/// One answer of an item with the texts that mean it, so that a cell holding the words the respondent ticked
/// ("Rất hài lòng", as online forms and Kobo/ODK exports write them) reads as its code.
public struct AnswerLabel: Equatable, Sendable {
    public var code: Int
    public var label: LocalizedText
    /// Other spellings read as this code (abbreviations, older wording, typing without diacritics).
    public var aliases: [String]

    public init(code: Int, label: LocalizedText, aliases: [String] = []) {
        self.code = code; self.label = label; self.aliases = aliases
    }
}

/// A text meaning "don't know" or "no answer" ("Không biết", "Không trả lời"): a cell holding it is missing,
/// exactly like a declared missing code. With `code` it is counted as that missing code; without, under its
/// own text.
public struct MissingLabel: Equatable, Sendable {
    public var text: String
    public var code: Int?

    public init(text: String, code: Int? = nil) { self.text = text; self.code = code }
}

extension Scale {
    /// The answer labels an item of this scale has unless its instrument gives others.
    ///
    /// - likert5: the five levels of Lai Châu §6.2b, 1 "Rất không hài lòng" … 5 "Rất hài lòng", with English
    ///   equivalents.
    /// - interval4: none; §6.2a and §6.2c number the answers 1 … 4 without naming them, so an instrument names
    ///   them itself (`labels`).
    /// - nominal: the categories' labels.
    ///
    /// Source: seed 000 (Lai Châu methodology 2024–2026) §6.2.
    public var defaultAnswerLabels: [AnswerLabel] {
        switch self {
        case .likert5: return Scale.likert5Labels
        case .interval4: return []
        case .nominal(let categories): return categories.map { AnswerLabel(code: $0.code, label: $0.label) }
        }
    }

    /// Lai Châu §6.2b: "Mức độ “Rất không hài lòng” được tính 1 điểm; … “Rất hài lòng” được tính 5 điểm."
    public static let likert5Labels: [AnswerLabel] = [
        AnswerLabel(code: 1, label: LocalizedText(vi: "Rất không hài lòng", en: "Very dissatisfied")),
        AnswerLabel(code: 2, label: LocalizedText(vi: "Không hài lòng", en: "Dissatisfied")),
        AnswerLabel(code: 3, label: LocalizedText(vi: "Bình thường", en: "Neutral")),
        AnswerLabel(code: 4, label: LocalizedText(vi: "Hài lòng", en: "Satisfied")),
        AnswerLabel(code: 5, label: LocalizedText(vi: "Rất hài lòng", en: "Very satisfied")),
    ]
}

/// What a text cell of an item means once matched against the item's labels.
public enum AnswerTextMeaning: Equatable, Sendable {
    case answer(Int)
    case missingCode(Int)
    /// A missing label without a code, counted under its declared text.
    case missingLabel(String)
}

/// How cell texts are compared with labels.
public enum AnswerText {
    /// The form in which a cell and a label are compared: Unicode NFC (so NFD text typed on a Mac matches),
    /// lowercased (simple case folding, locale-independent), surrounding white space removed and inner runs
    /// of white space made one space. Diacritics are kept: "Hai long" is not "Hài lòng" (add it as an alias).
    public static func normalized<S: StringProtocol>(_ text: S) -> String {
        let folded = String(text).precomposedStringWithCanonicalMapping.lowercased().precomposedStringWithCanonicalMapping
        var result = ""
        result.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for character in folded {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" "); pendingSpace = false }
            result.append(character)
        }
        return result
    }

    /// Whether a label's text would read as a number: cells holding numbers are read as codes, so such a
    /// label could never match.
    static func looksNumeric(_ normalized: String) -> Bool {
        !normalized.isEmpty && normalized.unicodeScalars.allSatisfy { "0123456789.,+- ".unicodeScalars.contains($0) }
    }
}

extension Item {
    /// Normalized text (`AnswerText.normalized`) → meaning, for every answer label (vi and en), alias and missing
    /// label of the item. The instrument loader has checked that no text means two things.
    public func answerTextIndex() -> [String: AnswerTextMeaning] {
        var index: [String: AnswerTextMeaning] = [:]
        for label in answerLabels {
            for text in [label.label.vi, label.label.en] + label.aliases {
                index[AnswerText.normalized(text)] = .answer(label.code)
            }
        }
        for missing in missingLabels {
            index[AnswerText.normalized(missing.text)] = missing.code.map { .missingCode($0) } ?? .missingLabel(missing.text)
        }
        return index
    }

    /// The meaning of a cell's text, or nil when it is none of the item's labels, aliases or missing labels.
    /// Builds the lookup each call: for many cells, build `answerTextIndex()` once.
    public func meaning(ofText text: String) -> AnswerTextMeaning? {
        answerTextIndex()[AnswerText.normalized(text)]
    }
}
