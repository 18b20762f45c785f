import SIPASInstrument

/// Fieldwork outcome counts: forms issued, returned, valid and excluded (with reasons), and the re-check.
public struct FieldworkCounts: Equatable, Sendable {
    public var issued: Int
    public var returned: Int
    /// Reasons forms were not returned, with counts (may be empty when not recorded).
    public var notReturnedReasons: [ReasonCount] = []
    /// Returned forms excluded from the index, by reason (e.g. filled in by an official: seed 003, note).
    public var excluded: [ReasonCount] = []
    public var recheckContacted = 0
    public var recheckConfirmed = 0
    public var recheckUnreachable = 0
    public var recheckRefused = 0
    /// Contacted people who said they had not answered (the form is suspect).
    public var recheckNotConfirmed = 0

    public init(issued: Int, returned: Int, notReturnedReasons: [ReasonCount] = [], excluded: [ReasonCount] = [],
                recheckContacted: Int = 0, recheckConfirmed: Int = 0, recheckUnreachable: Int = 0, recheckRefused: Int = 0,
                recheckNotConfirmed: Int = 0)
    {
        self.issued = issued; self.returned = returned; self.notReturnedReasons = notReturnedReasons
        self.excluded = excluded; self.recheckContacted = recheckContacted; self.recheckConfirmed = recheckConfirmed
        self.recheckUnreachable = recheckUnreachable; self.recheckRefused = recheckRefused
        self.recheckNotConfirmed = recheckNotConfirmed
    }

    /// Returned minus excluded (`Int.min` when the excluded counts pass Int.max; `funnel` and `checkParts` refuse such
    /// counts with a message).
    public var valid: Int {
        guard let excludedTotal = try? SamplingArithmetic.sum(excluded.map(\.count), LocalizedText(vi: "", en: "")) else { return .min }
        let (valid, overflow) = returned.subtractingReportingOverflow(excludedTotal)
        return overflow ? .min : valid
    }

    /// One count of the funnel, to name it in a message (e.g. by the option that gave it).
    public enum Count: String, CaseIterable, Sendable {
        case issued, returned, excluded, contacted, confirmed, unreachable, refused, notConfirmed

        /// The count in plain words ("forms issued").
        public var words: String {
            switch self {
            case .issued: return "forms issued"
            case .returned: return "forms returned"
            case .excluded: return "forms excluded"
            case .contacted: return "people re-checked"
            case .confirmed: return "confirmed"
            case .unreachable: return "unreachable"
            case .refused: return "refused"
            case .notConfirmed: return "not confirmed"
            }
        }

        /// The count in plain Vietnamese words ("phiếu phát ra").
        public var vietnameseWords: String {
            switch self {
            case .issued: return "phiếu phát ra"
            case .returned: return "phiếu thu về"
            case .excluded: return "phiếu bị loại"
            case .contacted: return "người được phúc tra"
            case .confirmed: return "xác nhận"
            case .unreachable: return "không liên lạc được"
            case .refused: return "từ chối"
            case .notConfirmed: return "không xác nhận"
            }
        }
    }

    /// Checks counts given one by one (e.g. as options): every count ≥ 0, and no part larger than its parent —
    /// returned ≤ issued, excluded ≤ returned, re-checked ≤ returned, each re-check outcome and their sum ≤ re-checked.
    /// Sums are checked, so counts near Int.max are an error, never a trap. (A re-check whose outcomes add up to
    /// less than the people contacted is not an error: some outcomes may be unrecorded; `funnel` notes it.)
    ///
    /// - Parameter naming: how a message names a count in both languages, e.g. `{ "--" + option }` (default: the
    ///   count's `words` and `vietnameseWords`).
    /// - Throws: `SamplingError` naming the count and its parent with both values.
    public func checkParts(naming: ((Count) -> String)? = nil) throws {
        func name(_ count: Count) -> LocalizedText {
            naming.map { LocalizedText(vi: $0(count), en: $0(count)) } ?? LocalizedText(vi: count.vietnameseWords, en: count.words)
        }
        let excludedTotal = try SamplingArithmetic.sum(excluded.map(\.count), name(.excluded))
        let values: [(Count, Int)] = [(.issued, issued), (.returned, returned), (.excluded, excludedTotal),
                                      (.contacted, recheckContacted), (.confirmed, recheckConfirmed),
                                      (.unreachable, recheckUnreachable), (.refused, recheckRefused),
                                      (.notConfirmed, recheckNotConfirmed)]
        for (count, value) in values where value < 0 {
            throw SamplingError(vi: "\(name(count).vi) không được âm (đã ghi \(value))", en: "\(name(count).en) cannot be negative (found \(value))")
        }
        let grouped = SamplingArithmetic.groupedVi
        func atMost(_ part: Count, _ value: Int, _ parent: Count, _ limit: Int, _ why: LocalizedText) throws {
            guard value <= limit else {
                throw SamplingError(vi: "\(name(part).vi) (\(grouped(value))) nhiều hơn \(name(parent).vi) (\(grouped(limit))): \(why.vi)",
                                    en: "\(name(part).en) (\(value)) is more than \(name(parent).en) (\(limit)): \(why.en)")
            }
        }
        try atMost(.returned, returned, .issued, issued,
                   LocalizedText(vi: "số phiếu thu về nhiều hơn số phiếu phát ra", en: "more forms returned than issued"))
        try atMost(.excluded, excludedTotal, .returned, returned,
                   LocalizedText(vi: "số phiếu bị loại nhiều hơn số phiếu thu về", en: "more forms excluded than returned"))
        try atMost(.contacted, recheckContacted, .returned, returned,
                   LocalizedText(vi: "số người được phúc tra nhiều hơn số phiếu thu về", en: "more people re-checked than forms returned"))
        let outcomes = Array(values.suffix(4))
        let tooMany = LocalizedText(vi: "số kết quả phúc tra nhiều hơn số người được phúc tra",
                                    en: "more re-check outcomes than people re-checked")
        for (count, value) in outcomes {
            try atMost(count, value, .contacted, recheckContacted, tooMany)
        }
        let names = LocalizedText(vi: outcomes.map { name($0.0).vi }.joined(separator: " + "),
                                  en: outcomes.map { name($0.0).en }.joined(separator: " + "))
        let sum = try SamplingArithmetic.sum(outcomes.map(\.1), names)
        guard sum <= recheckContacted else {
            throw SamplingError(vi: "\(names.vi) (\(grouped(sum))) nhiều hơn \(name(.contacted).vi) (\(grouped(recheckContacted))): \(tooMany.vi)",
                                en: "\(names.en) (\(sum)) is more than \(name(.contacted).en) (\(recheckContacted)): \(tooMany.en)")
        }
    }
}

public struct ReasonCount: Equatable, Sendable {
    public var reason: String
    public var count: Int
    public init(_ reason: String, _ count: Int) { self.reason = reason; self.count = count }
}

/// One line of the funnel: a count and its share of the line it is a part of.
public struct FunnelRow: Equatable, Sendable {
    /// Stable key for JSON ("issued", "returned", "excluded:REASON", …).
    public var key: String
    public var label: String
    /// The Vietnamese term used in reports.
    public var vietnamese: String
    public var count: Int
    /// The key of the line this share is computed against (nil for the first line).
    public var base: String?
    /// count / base × 100 (nil when the base is 0 or there is no base).
    public var percent: Double?
    /// Indentation level for the table.
    public var depth: Int
}

/// The funnel table of a fieldwork report: issued → returned → valid, and re-check contacted → confirmed /
/// unreachable / refused / not confirmed, each as a count and a percentage of its parent line.
///
/// Checks (each failure is a note, not a silent fix): returned ≤ issued; excluded ≤ returned; re-check contacted
/// ≤ returned; the re-check outcomes add up to the contacted count. Counts given one by one should pass
/// `FieldworkCounts.checkParts` first, which makes the same checks errors naming both counts.
///
/// Source: seed 002 (Sơn La 2024 results) I.7 (810/2,640 called, 703 confirmed, 103 unreachable, 4 refused) and
/// I.9 (2,640/2,667 returned, 2,640/2,640 valid); seed 003 note (forms filled in by officials are not counted).
public enum FieldworkAccounting {
    /// - Throws: `SamplingError` for a negative count or counts whose sums pass Int.max (never a trap).
    public static func funnel(_ counts: FieldworkCounts) throws -> (rows: [FunnelRow], notes: [Note]) {
        let all = [counts.issued, counts.returned, counts.recheckContacted, counts.recheckConfirmed, counts.recheckUnreachable,
                   counts.recheckRefused, counts.recheckNotConfirmed] + counts.excluded.map(\.count)
            + counts.notReturnedReasons.map(\.count)
        if let negative = all.first(where: { $0 < 0 }) {
            throw SamplingError(vi: "số đếm thực địa không được âm (đã ghi \(negative))", en: "fieldwork counts cannot be negative (found \(negative))")
        }
        let excludedSum = try SamplingArithmetic.sum(counts.excluded.map(\.count), LocalizedText(vi: "các phiếu bị loại", en: "the excluded forms"))
        let outcomeSum = try SamplingArithmetic.sum([counts.recheckConfirmed, counts.recheckUnreachable, counts.recheckRefused,
                                                     counts.recheckNotConfirmed],
                                                    LocalizedText(vi: "các kết quả phúc tra", en: "the re-check outcomes"))
        let reasonSum = try SamplingArithmetic.sum(counts.notReturnedReasons.map(\.count), LocalizedText(vi: "các lý do không thu về", en: "the reasons for not returning"))
        func percent(_ part: Int, _ whole: Int) -> Double? { whole > 0 ? Double(part) / Double(whole) * 100 : nil }
        var rows: [FunnelRow] = []
        var notes: [Note] = []
        rows.append(FunnelRow(key: "issued", label: "Forms issued", vietnamese: "Phiếu phát ra", count: counts.issued,
                              base: nil, percent: nil, depth: 0))
        rows.append(FunnelRow(key: "returned", label: "Returned", vietnamese: "Phiếu thu về", count: counts.returned,
                              base: "issued", percent: percent(counts.returned, counts.issued), depth: 1))
        let notReturned = counts.issued - counts.returned  // both ≥ 0: cannot overflow
        rows.append(FunnelRow(key: "valid", label: "Valid", vietnamese: "Phiếu hợp lệ", count: counts.valid,
                              base: "returned", percent: percent(counts.valid, counts.returned), depth: 2))
        let excludedTotal = excludedSum
        rows.append(FunnelRow(key: "excluded", label: "Excluded", vietnamese: "Phiếu loại", count: excludedTotal,
                              base: "returned", percent: percent(excludedTotal, counts.returned), depth: 2))
        for reason in counts.excluded {
            rows.append(FunnelRow(key: "excluded:" + reason.reason, label: reason.reason, vietnamese: "", count: reason.count,
                                  base: "excluded", percent: percent(reason.count, excludedTotal), depth: 3))
        }
        rows.append(FunnelRow(key: "not_returned", label: "Not returned", vietnamese: "Không thu về", count: notReturned,
                              base: "issued", percent: percent(notReturned, counts.issued), depth: 1))
        for reason in counts.notReturnedReasons {
            rows.append(FunnelRow(key: "not_returned:" + reason.reason, label: reason.reason, vietnamese: "",
                                  count: reason.count, base: "not_returned", percent: percent(reason.count, notReturned), depth: 2))
        }
        rows.append(FunnelRow(key: "recheck_contacted", label: "Re-check: contacted", vietnamese: "Phúc tra: đã liên hệ",
                              count: counts.recheckContacted, base: "returned",
                              percent: percent(counts.recheckContacted, counts.returned), depth: 0))
        let outcomes: [(String, String, String, Int)] = [
            ("recheck_confirmed", "Confirmed", "Khẳng định đã trả lời", counts.recheckConfirmed),
            ("recheck_unreachable", "Unreachable / wrong number", "Không liên lạc được", counts.recheckUnreachable),
            ("recheck_refused", "Refused", "Không hợp tác", counts.recheckRefused),
            ("recheck_not_confirmed", "Not confirmed", "Không xác nhận", counts.recheckNotConfirmed),
        ]
        for (key, label, vietnamese, count) in outcomes {
            rows.append(FunnelRow(key: key, label: label, vietnamese: vietnamese, count: count, base: "recheck_contacted",
                                  percent: percent(count, counts.recheckContacted), depth: 1))
        }
        if counts.returned > counts.issued {
            notes.append(Note(.data, vi: "số phiếu thu về (\(counts.returned)) nhiều hơn số phiếu phát ra (\(counts.issued))",
                              en: "more forms returned (\(counts.returned)) than issued (\(counts.issued))"))
        }
        if counts.valid < 0 { notes.append(Note(.data, vi: "số phiếu loại nhiều hơn số phiếu thu về", en: "more forms excluded than returned")) }
        if !counts.notReturnedReasons.isEmpty, reasonSum != notReturned {
            notes.append(Note(.data, vi: "các lý do không thu về cộng lại được \(reasonSum), nhưng có \(notReturned) phiếu không thu về",
                              en: "reasons for not returning add up to \(reasonSum), but \(notReturned) forms were not returned"))
        }
        if counts.recheckContacted > counts.returned {
            notes.append(Note(.data, vi: "số người được phúc tra (\(counts.recheckContacted)) nhiều hơn số phiếu thu về (\(counts.returned))",
                              en: "more people re-checked (\(counts.recheckContacted)) than forms returned (\(counts.returned))"))
        }
        if outcomeSum != counts.recheckContacted {
            notes.append(Note(.data, vi: "các kết quả phúc tra cộng lại được \(outcomeSum), không bằng \(counts.recheckContacted) người đã liên hệ",
                              en: "re-check outcomes add up to \(outcomeSum), not to the \(counts.recheckContacted) contacted"))
        }
        return (rows, notes)
    }

    /// The outcome of one re-check contact, as written in an outcome file.
    public enum RecheckOutcome: String, CaseIterable, Sendable {
        case confirmed, unreachable, refused
        case notConfirmed = "not_confirmed"

        /// Accepted spellings (English and Vietnamese, case-insensitive).
        static func parse(_ text: String) -> RecheckOutcome? {
            switch text.precomposedStringWithCanonicalMapping.lowercased().trimmingCharacters(in: .whitespaces) {
            case "confirmed", "xác nhận", "khẳng định": return .confirmed
            case "unreachable", "không liên lạc được", "sai số điện thoại": return .unreachable
            case "refused", "từ chối", "không hợp tác": return .refused
            case "not_confirmed", "not confirmed", "không xác nhận": return .notConfirmed
            default: return nil
            }
        }
    }

    /// What one row of an outcome file says about its form.
    enum FormStatus: Equatable {
        case notReturned
        case excluded(reason: String)
        case valid
    }

    /// The one reading of an outcome row that `counts` and `RecheckEligibility` share: the returned cell is yes/no
    /// (also 1/0, true/false, có/không, y/n; any case; nil when the file has no returned column, i.e. the row is
    /// a returned form), and a returned form is valid when its excluded-reason cell is blank (or there is none).
    ///
    /// - Throws: `SamplingError` naming the row and column of an unreadable returned cell (never its value).
    static func formStatus(returned: String?, excludedReason: String?, file: String, row: Int, returnedColumn: String) throws
        -> FormStatus
    {
        if let returned {
            switch returned.precomposedStringWithCanonicalMapping.lowercased().trimmingCharacters(in: .whitespaces) {
            case "yes", "1", "true", "có", "y": break
            case "no", "0", "false", "không", "n": return .notReturned
            default:
                throw SamplingError(file: file, row: row, column: returnedColumn,
                                    vi: "cần yes hoặc no (hoặc 1/0, true/false, có/không)",
                                    en: "expected yes or no (also 1/0, true/false, có/không)")
            }
        }
        if let reason = excludedReason?.trimmingCharacters(in: .whitespaces), !reason.isEmpty { return .excluded(reason: reason) }
        return .valid
    }

    /// Counts from one row per issued form.
    ///
    /// - Parameters:
    ///   - returned: per form, "yes"/"no" (also 1/0, true/false, có/không).
    ///   - notReturnedReason: per form, the reason it did not come back (blank when returned or unknown).
    ///   - excludedReason: per form, blank for a valid form, else the reason it was excluded.
    ///   - recheck: per form, blank when not re-checked, else confirmed / unreachable / refused / not_confirmed.
    /// - Throws: `SamplingError` naming the row and column of an unreadable cell (never its value).
    public static func counts(file: String, returned: [String], returnedColumn: String, notReturnedReason: [String]? = nil,
                              excludedReason: [String]? = nil, excludedColumn: String = "",
                              recheck: [String]? = nil, recheckColumn: String = "") throws -> FieldworkCounts
    {
        var counts = FieldworkCounts(issued: returned.count, returned: 0)
        var notReturned: [String: Int] = [:], notReturnedOrder: [String] = []
        var excluded: [String: Int] = [:], excludedOrder: [String] = []
        for row in returned.indices {
            let status = try formStatus(returned: returned[row], excludedReason: excludedReason?[row], file: file, row: row + 1,
                                        returnedColumn: returnedColumn)
            let recheckText = recheck?[row].trimmingCharacters(in: .whitespaces) ?? ""
            if status == .notReturned {
                let reason = notReturnedReason?[row].trimmingCharacters(in: .whitespaces) ?? ""
                if notReturnedReason != nil {
                    let key = reason.isEmpty ? "(no reason given)" : reason
                    if notReturned[key] == nil { notReturnedOrder.append(key) }
                    notReturned[key, default: 0] += 1
                }
                if !recheckText.isEmpty {
                    throw SamplingError(file: file, row: row + 1, column: recheckColumn,
                                        vi: "phiếu không thu về thì không thể có kết quả phúc tra",
                                        en: "a form that was not returned cannot have a re-check outcome")
                }
                continue
            }
            counts.returned += 1
            if case .excluded(let reason) = status {
                if excluded[reason] == nil { excludedOrder.append(reason) }
                excluded[reason, default: 0] += 1
            }
            if !recheckText.isEmpty {
                guard let outcome = RecheckOutcome.parse(recheckText) else {
                    throw SamplingError(file: file, row: row + 1, column: recheckColumn,
                                        vi: "cần confirmed, unreachable, refused, not_confirmed hoặc để trống",
                                        en: "expected confirmed, unreachable, refused, not_confirmed or blank")
                }
                counts.recheckContacted += 1
                switch outcome {
                case .confirmed: counts.recheckConfirmed += 1
                case .unreachable: counts.recheckUnreachable += 1
                case .refused: counts.recheckRefused += 1
                case .notConfirmed: counts.recheckNotConfirmed += 1
                }
            }
        }
        counts.notReturnedReasons = notReturnedOrder.map { ReasonCount($0, notReturned[$0]!) }
        counts.excluded = excludedOrder.map { ReasonCount($0, excluded[$0]!) }
        return counts
    }
}
