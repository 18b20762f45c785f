import SIPASInstrument
import SIPASSupport

/// Which forms of an outcome file a re-check may draw: the returned forms that are valid (not excluded).
///
/// The file is read as `sipas sample accounting` reads it (one reading, `FieldworkAccounting.formStatus`): the
/// returned column says yes/no (also 1/0, true/false, có/không), and a returned form is valid when its
/// excluded-reason cell is blank. A file without a returned column is a list of returned forms: every row counts
/// as returned, and a note says so; without an excluded-reason column every returned form counts as valid.
///
/// Source: seed 000 §7.4 ("phúc tra 20% trên tổng số phiếu điều tra thu về": of the forms returned); seed 003
/// note (forms filled in by an official are not counted, so they are not re-checked either).
public struct RecheckEligibility: Equatable, Sendable {
    public enum Status: Equatable, Sendable {
        case eligible, notReturned, excluded
    }

    /// The status of each row of the file, in file order.
    public var statuses: [Status]
    /// The returned column read, nil when the file has none (every row is a returned form).
    public var returnedColumn: String?
    /// The excluded-reason column read, nil when the file has none (every returned form is valid).
    public var excludedColumn: String?
    /// What a summary must say about how the rows were read (a missing returned or excluded column).
    public var notes: [Note] = []

    public var rowsRead: Int { statuses.count }
    public var notReturned: Int { statuses.count { $0 == .notReturned } }
    public var excluded: Int { statuses.count { $0 == .excluded } }
    public var eligible: Int { statuses.count { $0 == .eligible } }

    /// Every row eligible: a list of returned, valid forms.
    public init(rows: Int) { statuses = Array(repeating: .eligible, count: rows) }

    /// - Parameters:
    ///   - rows: the number of forms (rows) in the file.
    ///   - returned: the returned column's cells, nil when the file has no such column.
    ///   - excludedReason: the excluded-reason column's cells, nil when the file has no such column.
    ///   - rowNumbers: the data row number in the file of each row, for messages (default 1, 2, …).
    /// - Throws: `SamplingError` naming the file, row and column of an unreadable returned cell (never its value).
    public init(file: String, rows: Int, returned: [String]?, returnedColumn: String, excludedReason: [String]?,
                excludedColumn: String, rowNumbers: [Int]? = nil) throws
    {
        guard returned.map({ $0.count == rows }) ?? true, excludedReason.map({ $0.count == rows }) ?? true else {
            throw SamplingError(file: file, vi: "mỗi dòng cần đúng một ô returned và một ô lý do loại",
                                en: "one returned and one excluded-reason cell per row are needed")
        }
        statuses = try (0..<rows).map { row in
            switch try FieldworkAccounting.formStatus(returned: returned?[row], excludedReason: excludedReason?[row], file: file,
                                                      row: rowNumbers?[row] ?? row + 1, returnedColumn: returnedColumn) {
            case .notReturned: return .notReturned
            case .excluded: return .excluded
            case .valid: return .eligible
            }
        }
        self.returnedColumn = returned == nil ? nil : returnedColumn
        self.excludedColumn = excludedReason == nil ? nil : excludedColumn
        if returned == nil {
            notes.append(Note(.data, vi: "không có cột '\(returnedColumn)': mọi dòng được coi là phiếu thu về (tệp được đọc như danh sách phiếu thu về)",
                              en: "no column '\(returnedColumn)': every row counts as a returned form (the file is read as a list of returned forms)"))
        }
        if excludedReason == nil {
            notes.append(Note(.data, vi: "không có cột '\(excludedColumn)': mọi phiếu thu về được coi là hợp lệ",
                              en: "no column '\(excludedColumn)': every returned form counts as valid"))
        }
    }
}

/// The re-check (phúc tra) draw: a seeded fraction of the returned, valid forms, stratified by enumerator or unit.
///
/// Total m: round(f·N) half up by default, or ⌊f·N⌋ with `atMost` (Khánh Hòa allows "tối đa 10%"), N the eligible
/// forms (`RecheckEligibility`). The m forms are allocated to the strata in proportion to their eligible forms by
/// largest remainder (so the total is exact; see `Apportionment`), then drawn within each stratum by simple random
/// sampling without replacement from its eligible forms, from an independent stream (seed, stream [stratum
/// number]; strata numbered by first appearance in the file), so adding a stratum never changes another's draw.
///
/// Source: seed 000 §7.4 ("phúc tra 20% trên tổng số phiếu điều tra thu về"); seed 004 Art. 6.4 ("phúc tra tối đa
/// 10%"); seed 001 IV.2 (20% by telephone).
public enum RecheckDraw {
    public struct Stratum: Equatable, Sendable {
        public var name: String
        /// Rows of the file in the stratum.
        public var rows: Int
        public var notReturned: Int
        public var excluded: Int
        /// Returned, valid forms: the ones the draw may take.
        public var eligible: Int
        /// The drawn forms: 0-based rows of the file, in file order.
        public var drawn: [Int]
    }

    /// The draw from a list of returned, valid forms (every row eligible).
    ///
    /// - Parameters:
    ///   - strata: the stratum of each form (row order of the file).
    ///   - fraction: e.g. 0.2 (Lai Châu) or 0.1 (Khánh Hòa).
    /// - Returns: the strata in order of first appearance, each with its drawn form indices (0-based rows).
    public static func draw(strata: [String], fraction: Double, atMost: Bool = false, seed: UInt64) throws -> [Stratum] {
        try draw(strata: strata, eligibility: RecheckEligibility(rows: strata.count), fraction: fraction, atMost: atMost, seed: seed)
    }

    /// The draw from the eligible rows of an outcome file; `strata` holds the stratum of every row.
    public static func draw(strata: [String], eligibility: RecheckEligibility, fraction: Double, atMost: Bool = false,
                            seed: UInt64) throws -> [Stratum]
    {
        guard fraction > 0, fraction <= 1 else { throw SamplingError(vi: "tỷ lệ phúc tra phải lớn hơn 0 và không quá 1 (ví dụ 0,2)",
                                                                           en: "the re-check fraction must be above 0 and at most 1 (e.g. 0.2)") }
        guard strata.count == eligibility.rowsRead else { throw SamplingError(vi: "mỗi dòng cần đúng một tầng", en: "one stratum per row is needed") }
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (row, name) in strata.enumerated() {
            if members[name] == nil { order.append(name) }
            members[name, default: []].append(row)
        }
        let eligibleRows = order.map { name in members[name]!.filter { eligibility.statuses[$0] == .eligible } }
        // f ≤ 1, so 0 ≤ f·N ≤ N (the eligible rows): the conversions cannot trap.
        let exact = fraction * Double(eligibility.eligible)
        let total = atMost ? Int((exact + 1e-9).rounded(.down)) : Int((exact + 0.5 + 1e-9).rounded(.down))
        let allocation = try Apportionment.largestRemainder(total: min(total, eligibility.eligible),
                                                            weights: eligibleRows.map { Double($0.count) },
                                                            capacities: eligibleRows.map(\.count))
        return order.enumerated().map { index, name in
            var rows = eligibleRows[index]
            var random = RandomSource(seed: seed, stream: [0x5245_4348, UInt64(index)])
            let take = allocation[index]
            for i in 0..<take {
                let j = random.integer(in: i...(rows.count - 1))
                rows.swapAt(i, j)
            }
            let all = members[name]!
            return Stratum(name: name, rows: all.count,
                           notReturned: all.count { eligibility.statuses[$0] == .notReturned },
                           excluded: all.count { eligibility.statuses[$0] == .excluded },
                           eligible: eligibleRows[index].count, drawn: rows.prefix(take).sorted())
        }
    }
}
