/// Output language for labels and number formatting.
public enum Language: String, CaseIterable, Sendable {
    case vi, en
}

/// A text in Vietnamese and English.
public struct LocalizedText: Equatable, Sendable {
    public var vi: String
    public var en: String
    public init(vi: String, en: String) { self.vi = vi; self.en = en }
    public func text(_ language: Language) -> String { language == .vi ? vi : en }
}

/// An error that can say what went wrong in either output language. `description` is the English text (logs,
/// tests); the command line and the session print `text(language)` in the language the user chose.
public protocol LocalizedFailure: Error, CustomStringConvertible {
    func text(_ language: Language) -> String
}

/// One answer option of a nominal item.
public struct Category: Equatable, Sendable {
    public var code: Int
    public var label: LocalizedText
    public init(code: Int, label: LocalizedText) { self.code = code; self.label = label }
}

/// How an item's answers are coded.
///
/// - likert5: 1 (very dissatisfied) … 5 (very satisfied) (Lai Châu §6.2b; Khánh Hòa 2782 Art. 7.1).
/// - interval4: 1 … 4, the interval scale of perception and expectation items (Lai Châu §6.2a, §6.2c).
/// - nominal: one (or, with multi-select, several) of the declared category codes (Lai Châu §6.2a).
public enum Scale: Equatable, Sendable {
    case likert5
    case interval4
    case nominal([Category])

    public var name: String {
        switch self {
        case .likert5: return "likert5"
        case .interval4: return "interval4"
        case .nominal: return "nominal"
        }
    }

    /// The highest valid answer of an ordered scale (P in Khánh Hòa's SIPS = p / P).
    public var top: Int? {
        switch self {
        case .likert5: return 5
        case .interval4: return 4
        case .nominal: return nil
        }
    }

    /// Whether `code` is a valid answer.
    public func isValid(_ code: Int) -> Bool {
        switch self {
        case .likert5: return (1...5).contains(code)
        case .interval4: return (1...4).contains(code)
        case .nominal(let categories): return categories.contains { $0.code == code }
        }
    }

    /// Human-readable description of the valid answers, for error messages.
    public var validAnswers: String { validAnswers(.en) }

    /// The valid answers in words of `language`: "1-5", "one of 1, 2, 3" / "một trong các mã 1, 2, 3".
    public func validAnswers(_ language: Language) -> String {
        switch self {
        case .likert5: return "1-5"
        case .interval4: return "1-4"
        case .nominal(let categories):
            return (language == .vi ? "một trong các mã " : "one of ") + categories.map { String($0.code) }.joined(separator: ", ")
        }
    }
}

/// Where an item sits in the questionnaire.
public enum ItemRole: String, Sendable {
    case criterion, overall, perception, expectation
}

/// One survey question (tiêu chí).
public struct Item: Equatable, Sendable {
    public var id: String
    public var label: LocalizedText
    public var scale: Scale
    public var role: ItemRole
    /// A reversed item is scored (top + 1) − answer before any index is computed.
    public var reversed: Bool
    /// Codes meaning "don't know" / "no answer": treated as missing, not invalid.
    public var missingCodes: [Int]
    /// A nominal item whose cell may hold several codes.
    public var multiSelect: Bool
    public var source: String?
    /// The texts a cell may hold instead of a code ("Rất hài lòng" ≡ 5): by default the scale's
    /// (`Scale.defaultAnswerLabels`).
    public var answerLabels: [AnswerLabel]
    /// Texts meaning "don't know" / "no answer": read as missing, like missing codes.
    public var missingLabels: [MissingLabel]

    public init(id: String, label: LocalizedText, scale: Scale, role: ItemRole, reversed: Bool = false,
                missingCodes: [Int] = [], multiSelect: Bool = false, source: String? = nil,
                answerLabels: [AnswerLabel]? = nil, missingLabels: [MissingLabel] = []) {
        self.id = id; self.label = label; self.scale = scale; self.role = role; self.reversed = reversed
        self.missingCodes = missingCodes; self.multiSelect = multiSelect; self.source = source
        self.answerLabels = answerLabels ?? scale.defaultAnswerLabels
        self.missingLabels = missingLabels
    }

    /// The score used by the index formulas: the answer, or (top + 1) − answer for reversed items.
    @inline(__always)
    public func score(_ answer: Int) -> Int {
        guard reversed, let top = scale.top else { return answer }
        return top + 1 - answer
    }
}

/// A factor (yếu tố): a group of criteria.
public struct Factor: Equatable, Sendable {
    public var id: String
    public var label: LocalizedText
    public var criteria: [Item]
    public init(id: String, label: LocalizedText, criteria: [Item]) {
        self.id = id; self.label = label; self.criteria = criteria
    }
}

/// A content (nội dung): a group of factors.
public struct Content: Equatable, Sendable {
    public var id: String
    public var label: LocalizedText
    public var factors: [Factor]
    public init(id: String, label: LocalizedText, factors: [Factor]) {
        self.id = id; self.label = label; self.factors = factors
    }
    /// The content's criteria in questionnaire order.
    public var criteria: [Item] { factors.flatMap(\.criteria) }
}

/// A questionnaire: contents → factors → criteria, plus the overall, perception and expectation items.
public struct Instrument: Equatable, Sendable {
    public var id: String
    public var title: LocalizedText
    public var source: String?
    /// The legal basis in both languages, for reports (presets set it; `source` is the citation as typed).
    public var basis: LocalizedText?
    public var contents: [Content]
    public var overall: Item?
    public var perception: [Item]
    public var expectation: [Item]

    public init(id: String, title: LocalizedText, source: String? = nil, basis: LocalizedText? = nil, contents: [Content],
                overall: Item? = nil, perception: [Item] = [], expectation: [Item] = []) {
        self.id = id; self.title = title; self.source = source; self.basis = basis; self.contents = contents; self.overall = overall
        self.perception = perception; self.expectation = expectation
    }

    /// All satisfaction criteria in questionnaire order.
    public var criteria: [Item] { contents.flatMap(\.criteria) }

    /// Every item the instrument reads from data: criteria, overall, perception, expectation.
    public var items: [Item] {
        criteria + (overall.map { [$0] } ?? []) + perception + expectation
    }

    public func item(_ id: String) -> Item? { items.first { $0.id == id } }
}
