import SIPASInstrument

/// The ledger of rows: every row read is either used or excluded with a reason.
public struct RowAccounting: Equatable, Sendable {
    public struct Exclusion: Equatable, Sendable {
        /// The reason in English (JSON, CSV and the tests' identity).
        public var reason: String
        public var count: Int
        /// The reason in Vietnamese.
        public var vi: String
        public init(reason: String, count: Int, vi: String? = nil) {
            self.reason = reason; self.count = count; self.vi = vi ?? ExclusionReason.localized(reason).vi
        }
        public func text(_ language: Language) -> String { language == .vi ? vi : reason }
        /// Two exclusions are the same when their reason and count are (the Vietnamese text follows the reason).
        public static func == (a: Exclusion, b: Exclusion) -> Bool { a.reason == b.reason && a.count == b.count }
    }

    public var read: Int
    public var excluded: [Exclusion]
    public var used: Int { read - excluded.reduce(0) { $0 + $1.count } }

    public init(read: Int, excluded: [Exclusion] = []) {
        self.read = read
        self.excluded = excluded
    }

    /// Builds the ledger from a per-row reason (nil = used), keeping reasons in first-seen order; `labels`
    /// gives the Vietnamese text of reasons that `ExclusionReason` does not know.
    public init(reasons: [String?], labels: [LocalizedText] = []) {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for case let reason? in reasons {
            if counts[reason] == nil { order.append(reason) }
            counts[reason, default: 0] += 1
        }
        let vietnamese = Dictionary(labels.map { ($0.en, $0.vi) }, uniquingKeysWith: { first, _ in first })
        self.init(read: reasons.count, excluded: order.map { Exclusion(reason: $0, count: counts[$0]!, vi: vietnamese[$0]) })
    }
}

/// The reasons a row is left out, in Vietnamese and English: one vocabulary for every analysis's ledger.
public enum ExclusionReason {
    public static let emptyLine = LocalizedText(vi: "dòng trống", en: "empty line")
    public static let noCriterionAnswered = LocalizedText(vi: "không trả lời tiêu chí nào (đều trống, mã thiếu hoặc không hợp lệ)",
                                                          en: "no criterion answered (all blank, missing codes or invalid)")
    public static let outsideModel = LocalizedText(vi: "ngoài mô hình", en: "outside the model")
    public static func missing(_ column: String) -> LocalizedText { LocalizedText(vi: "thiếu \(column)", en: "missing \(column)") }
    public static func blankGroup(_ column: String) -> LocalizedText {
        LocalizedText(vi: "trống \(column) (cần cho --by)", en: "blank \(column) (needed for --by)")
    }
    public static func filtered(_ description: String) -> LocalizedText {
        LocalizedText(vi: "loại theo where \(description)", en: "excluded by where \(description)")
    }
    public static func overallNotAnswered(_ id: String) -> LocalizedText {
        LocalizedText(vi: "không trả lời câu hài lòng chung '\(id)'", en: "overall item '\(id)' not answered")
    }
    public static func factorNotAnswered(_ id: String) -> LocalizedText {
        LocalizedText(vi: "không trả lời tiêu chí nào của yếu tố '\(id)'", en: "no criterion of factor '\(id)' answered")
    }

    static let fixed = [emptyLine, noCriterionAnswered, outsideModel]

    /// The reason's texts when it is one of the fixed ones; else the English text in both places.
    public static func localized(_ english: String) -> LocalizedText {
        if let known = fixed.first(where: { $0.en == english }) { return known }
        return LocalizedText(vi: english, en: english)
    }
}

/// Why each row is left out, as one small code per row (0: kept): the ledger of an analysis over millions of
/// rows without a text per row. Reasons are numbered in the order they are first used; `accounting` lists
/// them in the order of the first row they exclude, as `RowAccounting(reasons:)` does.
public struct RowLedger: Sendable {
    /// `reasons[c - 1]` is the reason of code c (in English); `labels[c - 1]` the same in both languages.
    public private(set) var reasons: [String] = []
    public private(set) var labels: [LocalizedText] = []
    /// Per row: 0 when kept, otherwise the code of its reason.
    public private(set) var codes: [UInt16]

    /// Every row kept.
    public init(rowCount: Int) { codes = [UInt16](repeating: 0, count: rowCount) }

    /// The ledger of per-row reasons (nil: kept).
    public init(reasons perRow: [String?]) {
        self.init(rowCount: perRow.count)
        var code: [String: UInt16] = [:]
        for (row, reason) in perRow.enumerated() {
            guard let reason else { continue }
            if let known = code[reason] { codes[row] = known; continue }
            let new = self.code(for: reason)
            code[reason] = new
            codes[row] = new
        }
    }

    public var rowCount: Int { codes.count }

    /// The reason row `row` is left out, nil when it is kept.
    public func reason(of row: Int) -> String? { codes[row] == 0 ? nil : reasons[Int(codes[row]) - 1] }

    public func isExcluded(_ row: Int) -> Bool { codes[row] != 0 }

    /// The code of `reason`, numbering it when it is new. Codes are cheap to compare; look one up once per
    /// reason, not once per row.
    public mutating func code(for reason: String) -> UInt16 { code(for: ExclusionReason.localized(reason)) }

    /// The code of a reason given in both languages.
    public mutating func code(for label: LocalizedText) -> UInt16 {
        if let index = reasons.firstIndex(of: label.en) { return UInt16(index + 1) }
        precondition(reasons.count < Int(UInt16.max), "more than \(UInt16.max - 1) distinct exclusion reasons")
        reasons.append(label.en)
        labels.append(label)
        return UInt16(reasons.count)
    }

    /// Leaves `row` out with the reason of `code` (from `code(for:)`).
    public mutating func exclude(_ row: Int, code: UInt16) { codes[row] = code }

    /// Rows read and excluded, reasons in the order of the first row each excludes.
    public var accounting: RowAccounting {
        var counts = [Int](repeating: 0, count: reasons.count + 1)
        var order: [Int] = []
        for code in codes where code != 0 {
            if counts[Int(code)] == 0 { order.append(Int(code)) }
            counts[Int(code)] += 1
        }
        return RowAccounting(read: codes.count, excluded: order.map {
            RowAccounting.Exclusion(reason: reasons[$0 - 1], count: counts[$0], vi: labels[$0 - 1].vi)
        })
    }
}

extension ResponseTable {
    /// The error for an analysis that has no row left: how many rows were read, the reasons they were
    /// excluded, and what to check (answers written as words, a wrong --map or delimiter, a filter).
    public func noUsableRows(reasons: [String?]) -> DataError {
        var counts: [(String, Int)] = []
        for reason in reasons.compactMap({ $0 }) {
            if let index = counts.firstIndex(where: { $0.0 == reason }) { counts[index].1 += 1 } else { counts.append((reason, 1)) }
        }
        var message = "no row can be used: all \(rowCount) rows are excluded ("
            + counts.map { "\($0.0): \($0.1)" }.joined(separator: "; ") + ")."
        // Invalid cells are cells of answer columns only (the analysis columns), so showing one shows no other data.
        let wordCells = invalidCells.filter { cell in cell.value.unicodeScalars.contains { $0.properties.isAlphabetic } }
        if let example = wordCells.first, wordCells.count * 2 >= invalidCells.count {
            let labelled = items.first { $0.sourceColumn == example.column }?.item.answerLabels ?? []
            let known = labelled.isEmpty ? "" : " (e.g. '\(labelled.last!.label.vi)' for \(labelled.last!.code))"
            message += " The answer cells hold words that are not the instrument's answer labels (e.g. '\(example.value)' in "
                + "\(example.column)): sipas reads answer codes (1-5 on a five-point scale) and the labels the instrument "
                + "lists\(known). Add these words to the instrument file as aliases (or as missing_labels if they mean "
                + "\"don't know\"), or recode the answers to numbers; check the instrument and --map too."
        } else if invalidCellCount > 0 {
            message += " \(invalidCellCount) answer cells are not valid codes: check the instrument's scale and --map."
        } else if rowFilter != nil {
            message += " Check the where filter."
        }
        return DataError(file: source, message: message)
    }
}

extension ResponseTable {
    /// The values of the text column `name` that occur on more than one row (blank cells aside), in order of
    /// first appearance, each with its 1-based data rows; empty when the column is absent or has no repeats.
    public func duplicateValues(in name: String) -> [(value: String, rows: [Int])] {
        guard let column = metadata(named: name) else { return [] }
        // Counts first (one small integer per distinct id), rows only for the repeated ones: no per-id arrays
        // on a file of millions of distinct ids.
        let emptyLines = Set(emptyLineRows)
        var counts = [UInt32](repeating: 0, count: column.levels.count)
        for row in 0..<rowCount where !emptyLines.contains(row) { counts[Int(column.codes[row])] &+= 1 }
        var rowsOfCode: [Int: [Int]] = [:]
        for row in 0..<rowCount where !emptyLines.contains(row) {
            let code = Int(column.codes[row])
            if counts[code] > 1 && !column.levels[code].isEmpty { rowsOfCode[code, default: []].append(row + 1) }
        }
        let found = rowsOfCode.map { (column.levels[$0.key], $0.value) }
        return found.sorted { $0.1[0] < $1.1[0] }
    }

    /// A sentence naming repeated ids (at most five, with their rows), or nil when every id is unique.
    public func duplicateIDMessage(column name: String) -> String? { duplicateIDNote(column: name)?.en }

    /// The repeated-id warning in both languages, or nil when every id is unique.
    public func duplicateIDNote(column name: String) -> Note? {
        let repeats = duplicateValues(in: name)
        guard !repeats.isEmpty else { return nil }
        func shown(_ rowsWord: String) -> String {
            repeats.prefix(5).map { "\($0.value) (\(rowsWord) \($0.rows.prefix(5).map(String.init).joined(separator: ", ")))" }
                .joined(separator: "; ") + (repeats.count > 5 ? "; …" : "")
        }
        return Note(.data, vi: "\(repeats.count) giá trị của \(name) xuất hiện ở nhiều hơn một dòng: \(shown("dòng")). Mỗi phiếu chỉ nên nhập một lần.",
                    en: "\(repeats.count) value(s) of \(name) occur on more than one row: \(shown("rows")). Each form should be entered once.")
    }

    /// Adds a warning that analyses of this table report with their results.
    public mutating func addWarning(_ note: Note) { warnings.append(note) }
}
