import SIPASEstimation
import SIPASInstrument

/// Each province index across survey waves, with the change from one wave to the next.
///
/// Every wave is its own sample, analysed with its own design; a change is the difference of the two waves'
/// estimates with the variances added and Welch–Satterthwaite degrees of freedom (`IndexComparison.change`),
/// exactly as `compare --previous` tests one year against the last. Within each pair of consecutive waves the
/// headline index (SIPAS) is its own family and the other indices are adjusted together
/// (`IndexComparison.provinceChanges`), so the headline's p is the same number `compare` prints.
///
/// Source: seed 002 (Sơn La 2024 report, the year-on-year comparison); Lumley (2010) §3.3.
public struct TrendResult: Sendable {
    /// One wave and its province-level indices.
    public struct Wave: Sendable {
        public var name: String
        public var result: IndexResult
        public init(name: String, result: IndexResult) { self.name = name; self.result = result }
    }

    /// One index across the waves: its estimate in each wave (nil where the wave's instrument lacks it) and
    /// the change from the wave before (nil for the first wave, or where either wave lacks the index).
    public struct Row: Sendable {
        public var kind: IndexKind
        public var id: String
        public var label: LocalizedText
        public var estimates: [IndexEstimate?]
        public var changes: [IndexDifference?]
    }

    /// One unit across the waves (with a unit column): its headline index in each wave (nil where the wave has
    /// no answers from it) and the change from the wave before, the units of one pair of waves adjusted together
    /// as `compare --previous` adjusts them.
    public struct UnitRow: Sendable {
        public var unit: String
        public var estimates: [IndexEstimate?]
        public var changes: [IndexDifference?]
    }

    public var waves: [Wave]
    public var rows: [Row]
    /// The unit column of `units`, when the waves were analysed by one.
    public var groupColumn: String? = nil
    /// Each unit across the waves (empty without a unit column).
    public var units: [UnitRow] = []
    public var adjustment: PValueAdjustment
    /// The headline index: its own family in each pair's adjustment.
    public var primaryID: String

    /// The trend of `indices` (ids; every province-level index of the last wave when nil) over `waves`, in the
    /// order given; with `groupColumn` (the waves analysed by it), also each unit's `primaryID` index.
    public static func run(waves: [Wave], indices: [String]? = nil, adjustment: PValueAdjustment = .holm,
                           primaryID: String = "SIPAS", groupColumn: String? = nil) -> TrendResult {
        var order: [(kind: IndexKind, id: String, label: LocalizedText)] = []
        var seen = Set<String>()
        for wave in waves.reversed() {
            for estimate in wave.result.estimates where estimate.group.isEmpty {
                let key = "\(estimate.kind.rawValue)/\(estimate.id)"
                guard indices.map({ $0.contains(estimate.id) }) ?? true, seen.insert(key).inserted else { continue }
                order.append((estimate.kind, estimate.id, estimate.label))
            }
        }
        // The last wave's order first; an index only earlier waves have comes after, in their order.
        let changes: [[String: IndexDifference]] = waves.indices.map { index in
            guard index > 0 else { return [:] }
            let list = IndexComparison.provinceChanges(current: waves[index].result, previous: waves[index - 1].result,
                                                       primaryID: primaryID, adjustment: adjustment)
            return Dictionary(list.map { ("\($0.kind.rawValue)/\($0.id)", $0.difference) }, uniquingKeysWith: { first, _ in first })
        }
        let rows = order.map { entry -> Row in
            let key = "\(entry.kind.rawValue)/\(entry.id)"
            let estimates = waves.map { wave in
                wave.result.estimates.first { $0.group.isEmpty && $0.kind == entry.kind && $0.id == entry.id }
            }
            return Row(kind: entry.kind, id: entry.id, label: entry.label, estimates: estimates,
                       changes: changes.map { $0[key] })
        }
        var result = TrendResult(waves: waves, rows: rows, adjustment: adjustment, primaryID: primaryID)
        guard let groupColumn else { return result }
        result.groupColumn = groupColumn
        func unit(_ estimate: IndexEstimate) -> String { estimate.group.map(\.value).joined(separator: " · ") }
        // The last wave's units first, then units only earlier waves have, in their order.
        var names: [String] = []
        var known = Set<String>()
        for wave in waves.reversed() {
            for estimate in wave.result.estimates where estimate.id == primaryID && !estimate.group.isEmpty {
                if known.insert(unit(estimate)).inserted { names.append(unit(estimate)) }
            }
        }
        let unitChanges: [[String: IndexDifference]] = waves.indices.map { index in
            guard index > 0 else { return [:] }
            let list = IndexComparison.unitChanges(current: waves[index].result, previous: waves[index - 1].result,
                                                   indexID: primaryID, adjustment: adjustment)
            return Dictionary(list.compactMap { d in d.subject.unit.map { ($0, d) } }, uniquingKeysWith: { first, _ in first })
        }
        result.units = names.map { name in
            UnitRow(unit: name,
                    estimates: waves.map { wave in
                        wave.result.estimates.first { $0.id == primaryID && !$0.group.isEmpty && unit($0) == name }
                    },
                    changes: unitChanges.map { $0[name] })
        }
        return result
    }
}

extension SurveyAnalysis {
    /// This analysis with its province indices set beside those of `earlier` waves (oldest first, each analysed
    /// with the same options): the report's section across the waves. The last wave is this analysis's own
    /// `indices` (named `current`), so the section's last figures are the report's, and its last change is the
    /// report's change since the previous year when that wave is the previous one.
    public func across(earlier: [TrendResult.Wave], current: String) -> SurveyAnalysis {
        var analysis = self
        analysis.waves = TrendResult.run(waves: earlier + [TrendResult.Wave(name: current, result: indices)],
                                         adjustment: options.adjustment, primaryID: options.indexID)
        return analysis
    }
}
