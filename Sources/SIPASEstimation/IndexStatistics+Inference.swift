import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument

extension IndexStatistics {
    /// The index rows of every group, in `IndexAnalysis.run`'s order (the whole sample, then the groups by
    /// their values), from the statistics alone: the same estimates, standard errors, intervals, degrees of
    /// freedom, design effects, counts and notes as the row path, to rounding.
    ///
    /// - Parameters:
    ///   - options: the analysis options (the same as the statistics were collected for).
    ///   - design: the design the statistics' units are numbered in (`Collector.design`); nil for a simple
    ///     random sample. It supplies what does not depend on the answers: strata, units per stratum, FPCs,
    ///     the lonely-PSU policy and the degrees of freedom.
    /// - Throws: `StatisticsUnavailable` when the options or design need rows; `DesignError.lonelyPSU`.
    /// - Source: the algebra in `IndexStatistics`'s doc comment; intervals as `IndexOptions.intervalMethod`.
    public func estimates(options: IndexOptions, design: SurveyDesign?) throws -> [IndexEstimate] {
        if let reason = StatisticsUnavailable.reason(options: options, design: design) { throw reason }
        let needsPowers = StatisticsUnavailable.needsPowerSums(options: options, design: design)
        if needsPowers && powerSums == nil { throw StatisticsUnavailable.powerSumsNeeded }
        // Without a design the sampling structure (for the effective df) is every design row its own PSU.
        let estimator = PercentEstimator(options: options, design: design,
                                         structure: design ?? SurveyDesign.simpleRandomSample(rows: layout.designRowCount))
        var cellsOfGroup: [[String]: [(unit: Int, cell: Cell)]] = [:]
        for (key, cell) in cells { cellsOfGroup[key.group, default: []].append((key.unit, cell)) }
        var strataOfGroup: [[String]: [(stratum: Int, cell: StratumCell)]] = [:]
        for (key, cell) in strata { strataOfGroup[key.group, default: []].append((key.unit, cell)) }
        let groups = cellsOfGroup.keys.sorted { lhs, rhs in
            if lhs.isEmpty != rhs.isEmpty { return lhs.isEmpty }
            for (a, b) in zip(lhs, rhs) where a != b { return a.compare(b, options: .numeric) == .orderedAscending }
            return false
        }
        var result: [IndexEstimate] = []
        for group in groups {
            let units = cellsOfGroup[group]!.sorted { $0.unit < $1.unit }
            let strata = strataOfGroup[group, default: []].sorted { $0.stratum < $1.stratum }
            let values = zip(layout.groupColumns, group).map { GroupValue(column: $0, value: $1) }
            result += try GroupInference(layout: layout, estimator: estimator, design: design, units: units, strata: strata,
                                         powers: needsPowers ? units.map { powerSums![Key(group: group, unit: $0.unit)]! } : nil)
                .estimates(group: values)
        }
        return result
    }
}

/// The estimates of one group from its cells.
private struct GroupInference {
    let layout: IndexStatistics.Layout
    let estimator: PercentEstimator
    let design: SurveyDesign?
    let units: [(unit: Int, cell: IndexStatistics.Cell)]
    let strata: [(stratum: Int, cell: IndexStatistics.StratumCell)]
    /// The group's sums over all its cells.
    let total: IndexStatistics.Cell
    let crossProducts: IndexStatistics.CrossProducts
    /// The domain of the touched units (with `Aggregation.units`).
    let domain: DesignDomain?
    /// With `Aggregation.strata`, when the intervals need them: each unit cell's (stratum's) power sums.
    let powers: [[Double]]?

    init(layout: IndexStatistics.Layout, estimator: PercentEstimator, design: SurveyDesign?,
         units: [(unit: Int, cell: IndexStatistics.Cell)], strata: [(stratum: Int, cell: IndexStatistics.StratumCell)],
         powers: [[Double]]?) {
        self.layout = layout; self.estimator = estimator; self.design = design; self.units = units; self.strata = strata
        self.powers = powers
        var total = units[0].cell
        for (_, cell) in units.dropFirst() { total.add(cell) }
        self.total = total
        var products = IndexStatistics.CrossProducts(p: layout.p)
        for (_, cell) in strata { products.add(cell.crossProducts) }
        crossProducts = products
        if case .units(let stage) = layout.aggregation, let design {
            domain = design.domain(units: units.map(\.unit), stage: stage)
        } else {
            domain = nil
        }
    }

    /// What the design variance of an estimate with unit totals Σⱼ cⱼ (Sᵤⱼ − dⱼ Aᵤⱼ) needs.
    /// `powerSlot`: where the estimate's power sums are (`Layout.powerSlot`).
    func varianceSource(unitTotal: (IndexStatistics.Cell) -> Double, squareSum: (IndexStatistics.StratumCell) -> Double,
                        powerSlot: Int) -> VarianceSource {
        if let domain { return .unitTotals(domain, domain.stageTotals(units.map { unitTotal($0.cell) })) }
        // Respondents as units: the stratum cells are the unit cells (same keys).
        let powerSums = powers.map { powers in
            zip(units, powers).map { (stratum: $0.unit, powers: Array($1[powerSlot..<(powerSlot + 4)])) }
        }
        guard design != nil else { return .strata([], powers: powerSums) }
        let squares = Dictionary(uniqueKeysWithValues: strata.map { ($0.stratum, squareSum($0.cell)) })
        return .strata(units.map { (stratum: $0.unit, total: unitTotal($0.cell), sumOfSquares: squares[$0.unit] ?? 0) }, powers: powerSums)
    }

    func estimates(group: [GroupValue]) throws -> [IndexEstimate] {
        var result: [IndexEstimate] = []
        let options = estimator.options
        for entry in layout.entries {
            switch entry {
            case .composite(let kind, let id, let label, let e, let share):
                var estimate = try composite(kind: kind, id: id, label: label, members: layout.composites[e], e: e, group: group)
                if !share { estimate.shareSatisfied = nil }
                result.append(estimate)
            case .nominal(let kind, let q, let categories):
                let answered = total.nominalAnswers[q], totalWeight = total.nominalWeight[q]
                for (index, category) in categories.enumerated() {
                    let slot = layout.categoryStart[q] + index
                    let count = total.chosen[slot]
                    let p = totalWeight > 0 ? total.chosenWeight[slot] / totalWeight : .nan
                    var estimate = IndexEstimate(
                        kind: kind, id: category.id, label: category.label, group: group,
                        index: PercentEstimate(estimate: nil, standardError: nil, lower: nil, upper: nil, degreesOfFreedom: nil,
                                               method: options.intervalMethod.rawValue),
                        shareSatisfied: nil, n: answered, answerCounts: [answered - count, count], criteriaCount: nil, notes: [])
                    guard answered > 0 else {
                        estimate.notes = [Note(.notEstimated, vi: "không ai trong nhóm này trả lời", en: "nobody in this group answered")]
                        result.append(estimate)
                        continue
                    }
                    // Σ w a (χ − p)² · 100² = 100² (Σwχ (1 − p)² + Σw(1 − χ) p²).
                    let chosenWeight = total.chosenWeight[slot]
                    let srs = 10_000 * (chosenWeight * (1 - p) * (1 - p) + (totalWeight - chosenWeight) * p * p)
                    let scale = 100 / totalWeight
                    let source = varianceSource(
                        unitTotal: { scale * ($0.chosenWeight[slot] - p * $0.nominalWeight[q]) },
                        squareSum: { _ in .nan }, powerSlot: layout.powerSlot(category: slot))
                    let strataSource: VarianceSource
                    if case .strata(let sums, let powers) = source {
                        // Σ t² per stratum: (100/A)² (Σw²χ (1 − p)² + Σw²(1 − χ) p²), from the stratum's unit cell.
                        strataSource = .strata(sums.map { sum in
                            let cell = units.first { $0.unit == sum.stratum }!.cell
                            let chosen2 = cell.chosenSquaredWeight[slot], all2 = cell.nominalSquaredWeight[q]
                            return (sum.stratum, sum.total, scale * scale * (chosen2 * (1 - p) * (1 - p) + (all2 - chosen2) * p * p))
                        }, powers: powers)
                    } else {
                        strataSource = source
                    }
                    estimate.index = try estimator.estimate(p * 100, srsVariance: answered > 1 ? srs / (totalWeight * Double(answered - 1)) : .nan,
                                                            variance: strataSource, bounds: (0, 100), m: answered, notes: &estimate.notes)
                    result.append(estimate)
                }
            }
        }
        return result
    }

    /// A composite of scored items (a single item is a composite of one).
    func composite(kind: IndexKind, id: String, label: LocalizedText, members: [Int], e: Int, group: [GroupValue]) throws -> IndexEstimate {
        let options = estimator.options
        let single = members.count == 1
        let stride = 16
        var estimate = IndexEstimate(kind: kind, id: id, label: label, group: group,
                                     index: PercentEstimate(estimate: nil, standardError: nil, lower: nil, upper: nil,
                                                            degreesOfFreedom: nil, method: options.intervalMethod.rawValue),
                                     shareSatisfied: nil, n: 0,
                                     answerCounts: single ? Array(total.scoreCounts[(members[0] * stride)..<(members[0] * stride + layout.tops[members[0]])]) : nil,
                                     criteriaCount: single ? nil : members.count, notes: [])
        let m = total.respondents[e]
        estimate.n = m
        let unanswered = members.filter { total.answers[$0] == 0 }.map { layout.items[$0] }
        if !unanswered.isEmpty {
            let list = unanswered.joined(separator: ", ")
            estimate.notes = [single ? Note(.notEstimated, vi: "không ai trong nhóm này trả lời", en: "nobody in this group answered")
                : Note(.notEstimated, vi: "không ước lượng: không ai trong nhóm này trả lời \(list)",
                       en: "not estimated: nobody in this group answered \(list)")]
            return estimate
        }
        let k = Double(members.count)
        // Means as the row path forms them: ȳⱼ = mⱼ + Sⱼ/Aⱼ, p̂ⱼ = ½ + Hⱼ/Aⱼ.
        let tops = members.map { Double(layout.tops[$0]) }
        let meanScore = members.enumerated().map { a, j in (tops[a] + 1) / 2 + total.score[j] / total.weight[j] }
        let topTwoShare = members.map { 0.5 + total.topTwo[$0] / total.weight[$0] }
        let indexValue = members.indices.reduce(0) { $0 + meanScore[$1] / tops[$1] * 100 } / k
        let shareValue = members.indices.reduce(0) { $0 + topTwoShare[$1] * 100 } / k
        let lowerBound = tops.reduce(0) { $0 + 100 / $1 } / k
        let respondentWeight = total.respondentWeight[e]
        let p = layout.p

        func percent(_ value: Double, share: Bool, bounds: (Double, Double), notes: inout [Note]) throws -> PercentEstimate {
            let c = members.enumerated().map { a, j in 100 / (k * (share ? 1 : tops[a]) * total.weight[j]) }
            let d = members.map { (share ? total.topTwo[$0] : total.score[$0]) / total.weight[$0] }
            // A quadratic form of sums can round below 0 where every answer is one score (the row path then
            // has a rounding residue ≈ 1e-30): 0 is the variance.
            let srsSum = respondentWeight * respondentWeight
                * max(0, crossProducts.squareSum(members: members, c: c, d: d, share: share, p: p))
            let source = varianceSource(
                unitTotal: { cell in
                    var t = 0.0
                    for (a, j) in members.enumerated() { t += c[a] * ((share ? cell.topTwo[j] : cell.score[j]) - d[a] * cell.weight[j]) }
                    return t
                },
                squareSum: { $0.squaredCrossProducts!.squareSum(members: members, c: c, d: d, share: share, p: p) },
                powerSlot: layout.powerSlot(composite: e, share: share))
            return try estimator.estimate(value, srsVariance: m > 1 ? srsSum / (respondentWeight * Double(m - 1)) : .nan,
                                          variance: source, bounds: bounds, m: m, notes: &notes)
        }
        estimate.index = try percent(indexValue, share: false, bounds: (lowerBound, 100), notes: &estimate.notes)
        var shareNotes: [Note] = []
        estimate.shareSatisfied = try percent(shareValue, share: true, bounds: (0, 100), notes: &shareNotes)
        return estimate
    }
}
