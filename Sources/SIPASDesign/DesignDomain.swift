/// The rows of one domain (a group of respondents: a unit, a year, a `where` subset) and the design units
/// they fall in, worked out once and shared by every estimate of that domain.
///
/// A domain is a subpopulation, never a subset of the design: rows outside it keep their place with zero
/// influence (Lumley 2010, §2.3). Their units' totals are zero, so a variance needs only the totals of the
/// units the domain touches plus, per stratum, how many units it does not touch. That makes a variance cost
/// proportional to the domain's rows rather than to the whole sample — the per-(domain, PSU) sufficient
/// statistics of the design-based variance.
public struct DesignDomain: Sendable {
    /// The design rows of the domain, in the order estimates give their influence values.
    public let rows: [Int]
    /// Per stage: the units the rows fall in, each once, in order of first appearance.
    let units: [[Int]]
    /// Per stage: for each of `rows`, the position of its unit in `units[stage]`.
    let slots: [[Int32]]
    /// Per stage: the groups (strata at stage 1, units of the stage above later) of the touched units, in
    /// order of first appearance, and each group's touched units (slots, increasing), the slots of group g
    /// being `memberSlots[stage][groupStart[stage][g]..<groupStart[stage][g + 1]]`.
    let groups: [[Int]]
    let groupStart: [[Int]]
    let memberSlots: [[Int32]]

    /// Design stages (1 for a one-stage design).
    public var stageCount: Int { slots.count }

    /// How many units of `stage` the domain touches (slots 0..<count).
    public func unitCount(stage: Int) -> Int { units[stage].count }

    /// For each of `rows`, the slot of its unit at `stage` (the index into unit totals).
    public func unitSlots(stage: Int) -> [Int32] { slots[stage] }

    /// Per stage, the k totals of each touched unit (unit-major: `[slot * k + j]`).
    func totals(_ columns: [[Double]]) -> [[Double]] {
        let k = columns.count
        return slots.indices.map { stage in
            var totals = [Double](repeating: 0, count: units[stage].count * k)
            let slotOfRow = slots[stage]
            for (j, column) in columns.enumerated() {
                column.withUnsafeBufferPointer { values in
                    for index in 0..<values.count where values[index] != 0 {
                        totals[Int(slotOfRow[index]) * k + j] += values[index]
                    }
                }
            }
            return totals
        }
    }

    /// Per stage, the totals of one estimator over the touched units (`[stage][slot]`).
    public func stageTotals(_ values: [Double]) -> [[Double]] { totals([values]) }

    /// The stage-1 (PSU) totals of one estimator.
    func psuTotals(_ values: [Double]) -> [Double] {
        var totals = [Double](repeating: 0, count: units[0].count)
        let slotOfRow = slots[0]
        for index in values.indices where values[index] != 0 { totals[Int(slotOfRow[index])] += values[index] }
        return totals
    }
}

/// What the variance needs to know about one stage's groups (strata at stage 1, the units of the stage above
/// later): fixed by the design, so computed once when it is built.
struct StageStructure: Sendable {
    /// Sampled units in each group.
    var groupSizes: [Int]
    /// Each group's weight in the variance: the product of the sampling fractions of the stages above
    /// (nil at stage 1, where every weight is 1).
    var groupWeights: [Double]?
    /// Groups that contribute (members and a positive weight), and those with a variance estimate: the
    /// `average` lonely-PSU policy scales the sum by used/ok.
    var usedGroups: Int
    var okGroups: Int
    /// The first group with a single unit and no certainty (what the `fail` policy names).
    var firstLonelyGroup: Int?
}

extension SurveyDesign {
    /// The domain of `rows` (design rows, each at most once).
    public func domain(rows: [Int]) -> DesignDomain {
        var units: [[Int]] = [], slots: [[Int32]] = []
        for stage in stageUnits.indices {
            let unitOf = stageUnits[stage]
            var slotOfUnit = [Int32](repeating: -1, count: stageUnitCounts[stage])
            var touched: [Int] = []
            var slotOfRow = [Int32](repeating: 0, count: rows.count)
            for (index, row) in rows.enumerated() {
                let unit = unitOf[row]
                if slotOfUnit[unit] < 0 { slotOfUnit[unit] = Int32(touched.count); touched.append(unit) }
                slotOfRow[index] = slotOfUnit[unit]
            }
            units.append(touched)
            slots.append(slotOfRow)
        }
        return domain(rows: rows, units: units, slots: slots)
    }

    /// The domain whose touched units per stage are `units` and whose members' slots are `slots`: the groups
    /// of the touched units, worked out for the variance.
    func domain(rows: [Int], units: [[Int]], slots: [[Int32]]) -> DesignDomain {
        // Touched units by group (a counting sort that keeps slot order within a group).
        var groups: [[Int]] = [], groupStart: [[Int]] = [], memberSlots: [[Int32]] = []
        for stage in units.indices {
            let parents = stageParents[stage]
            let groupCount = stage == 0 ? strataCount : stageUnitCounts[stage - 1]
            var groupSlot = [Int32](repeating: -1, count: groupCount)
            var order: [Int] = [], counts: [Int] = []
            for unit in units[stage] {
                let group = parents[unit]
                if groupSlot[group] < 0 { groupSlot[group] = Int32(order.count); order.append(group); counts.append(0) }
                counts[Int(groupSlot[group])] += 1
            }
            var start = [0]
            for count in counts { start.append(start.last! + count) }
            var next = Array(start.dropLast())
            var members = [Int32](repeating: 0, count: units[stage].count)
            for (slot, unit) in units[stage].enumerated() {
                let index = Int(groupSlot[parents[unit]])
                members[next[index]] = Int32(slot)
                next[index] += 1
            }
            groups.append(order)
            groupStart.append(start)
            memberSlots.append(members)
        }
        return DesignDomain(rows: rows, units: units, slots: slots, groups: groups, groupStart: groupStart, memberSlots: memberSlots)
    }

    /// Every row of the design.
    var allRows: DesignDomain { domain(rows: Array(0..<rowCount)) }

    /// The per-stage group structure the variance formula walks: stage 1 always, a later stage only when FPCs
    /// give the stage above a positive sampling fraction (otherwise the first stage is the ultimate cluster).
    static func stageStructures(strataCount: Int, stageParents: [[Int]], stageUnitCounts: [Int],
                                populationSizes: [[Double]]?, lonelyPSU: LonelyPSUPolicy) -> [StageStructure]
    {
        var structures: [StageStructure] = []
        var groupWeights: [Double]? = nil
        for stage in stageParents.indices {
            let groupCount = stage == 0 ? strataCount : stageUnitCounts[stage - 1]
            var sizes = [Int](repeating: 0, count: groupCount)
            for parent in stageParents[stage] { sizes[parent] += 1 }
            var used = 0, ok = 0
            var firstLonely: Int?
            for group in 0..<groupCount where sizes[group] > 0 {
                let weight = groupWeights?[group] ?? 1
                guard weight > 0 else { continue }
                used += 1
                let populationSize = populationSizes?[stage][group] ?? .infinity
                let f = populationSize.isFinite ? (populationSize - Double(sizes[group])) / populationSize : 1
                if f < 1e-7 || sizes[group] > 1 { ok += 1; continue }
                switch lonelyPSU {
                case .fail: if firstLonely == nil { firstLonely = group }
                case .adjust, .remove, .certainty: ok += 1
                case .average: break
                }
            }
            structures.append(StageStructure(groupSizes: sizes, groupWeights: groupWeights, usedGroups: used, okGroups: ok,
                                             firstLonelyGroup: firstLonely))
            // The next stage enters with weights (weight of the group above) × n/N of this stage's group.
            guard let populationSizes, stage + 1 < stageParents.count else { break }
            let fractions = stageParents[stage].map { group -> Double in
                let size = populationSizes[stage][group]
                return (groupWeights?[group] ?? 1) * (size.isFinite ? Double(sizes[group]) / size : 0)
            }
            guard fractions.contains(where: { $0 > 0 }) else { break }
            groupWeights = fractions
        }
        return structures
    }
}
