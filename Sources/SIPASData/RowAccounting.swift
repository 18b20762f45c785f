/// The ledger of rows: every row read is either used or excluded with a reason.
public struct RowAccounting: Equatable, Sendable {
    public struct Exclusion: Equatable, Sendable {
        public var reason: String
        public var count: Int
        public init(reason: String, count: Int) { self.reason = reason; self.count = count }
    }

    public var read: Int
    public var excluded: [Exclusion]
    public var used: Int { read - excluded.reduce(0) { $0 + $1.count } }

    public init(read: Int, excluded: [Exclusion] = []) {
        self.read = read
        self.excluded = excluded
    }

    /// Builds the ledger from a per-row reason (nil = used), keeping reasons in first-seen order.
    public init(reasons: [String?]) {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for case let reason? in reasons {
            if counts[reason] == nil { order.append(reason) }
            counts[reason, default: 0] += 1
        }
        self.init(read: reasons.count, excluded: order.map { Exclusion(reason: $0, count: counts[$0]!) })
    }
}
