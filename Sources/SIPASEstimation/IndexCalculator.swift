import SIPASData
import SIPASInstrument

/// Computes the index rows of one group of respondents.
struct IndexCalculator {
    let table: ResponseTable
    let confidenceLevel: Double

    /// An item's answers within a group, summarized by score.
    struct ItemSummary {
        let column: ItemColumn
        /// counts[k] = respondents whose score is k + 1.
        var counts: [Int]
        var n: Int { counts.reduce(0, +) }
        var top: Int { column.item.scale.top ?? 0 }
        var mean: Double {
            n == 0 ? .nan : Double(counts.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) / Double(n)
        }
        /// Share of answers in the top two levels.
        var topTwoShare: Double { n == 0 ? .nan : Double(counts[top - 2] + counts[top - 1]) / Double(n) }
    }

    func summary(_ column: ItemColumn, rows: [Int]) -> ItemSummary {
        let top = column.item.scale.top ?? 0
        var counts = [Int](repeating: 0, count: top)
        for row in rows {
            let answer = Int(column.values[row])
            if answer != 0 { counts[column.item.score(answer) - 1] += 1 }
        }
        return ItemSummary(column: column, counts: counts)
    }

    func estimates(rows: [Int], group: [GroupValue]) -> [IndexEstimate] {
        let instrument = table.instrument
        var summaries: [String: ItemSummary] = [:]
        for column in table.items where column.item.scale.top != nil {
            summaries[column.item.id] = summary(column, rows: rows)
        }
        var result: [IndexEstimate] = []

        func composite(_ kind: IndexKind, id: String, label: LocalizedText, criteria: [Item]) -> IndexEstimate {
            let parts = criteria.map { summaries[$0.id]! }
            return compositeEstimate(kind: kind, id: id, label: label, parts: parts, rows: rows, group: group)
        }

        result.append(composite(.overall, id: "SIPAS",
                                label: LocalizedText(vi: "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
                                                     en: "Overall satisfaction index (SIPAS)"),
                                criteria: instrument.criteria))
        for content in instrument.contents {
            result.append(composite(.content, id: content.id, label: content.label, criteria: content.criteria))
            for factor in content.factors {
                result.append(composite(.factor, id: factor.id, label: factor.label, criteria: factor.criteria))
                for criterion in factor.criteria {
                    result.append(composite(.criterion, id: criterion.id, label: criterion.label, criteria: [criterion]))
                }
            }
        }
        if let overall = instrument.overall, let summary = summaries[overall.id] {
            result.append(compositeEstimate(kind: .overallItem, id: overall.id, label: overall.label, parts: [summary],
                                            rows: rows, group: group))
        }
        for (kind, items) in [(IndexKind.perception, instrument.perception), (.expectation, instrument.expectation)] {
            for item in items {
                guard let column = table.column(for: item.id) else { continue }
                if let summary = summaries[item.id] {
                    var estimate = compositeEstimate(kind: kind, id: item.id, label: item.label, parts: [summary],
                                                     rows: rows, group: group)
                    estimate.shareSatisfied = nil
                    result.append(estimate)
                } else {
                    result += nominalEstimates(kind: kind, column: column, rows: rows, group: group)
                }
            }
        }
        return result
    }

    /// Mean of criterion indices with a linearized standard error (see `IndexAnalysis`).
    func compositeEstimate(kind: IndexKind, id: String, label: LocalizedText, parts: [ItemSummary], rows: [Int],
                           group: [GroupValue]) -> IndexEstimate
    {
        var notes: [String] = []
        let unanswered = parts.filter { $0.n == 0 }.map { $0.column.item.id }
        let single = parts.count == 1
        var estimate = IndexEstimate(kind: kind, id: id, label: label, group: group,
                                     index: PercentEstimate(estimate: nil, standardError: nil, lower: nil, upper: nil,
                                                            degreesOfFreedom: nil, method: "t"),
                                     shareSatisfied: nil, n: 0,
                                     answerCounts: single ? parts[0].counts : nil,
                                     criteriaCount: single ? nil : parts.count, notes: [])
        if !unanswered.isEmpty {
            estimate.notes = [single ? "nobody in this group answered"
                : "not estimated: nobody in this group answered \(unanswered.joined(separator: ", "))"]
            estimate.n = single ? 0 : respondents(answering: parts, rows: rows)
            return estimate
        }
        let k = Double(parts.count)
        let means = parts.map(\.mean)
        let shares = parts.map(\.topTwoShare)
        let indexValue = zip(parts, means).reduce(0) { $0 + $1.1 / Double($1.0.top) * 100 } / k
        let shareValue = shares.reduce(0, +) / k * 100

        // Influence values of the index and of the share, summed in one pass over the group's rows.
        var sumSquaresIndex = 0.0, sumSquaresShare = 0.0, m = 0
        for row in rows {
            var zIndex = 0.0, zShare = 0.0, answered = false
            for (j, part) in parts.enumerated() {
                let answer = Int(part.column.values[row])
                guard answer != 0 else { continue }
                answered = true
                let score = part.column.item.score(answer)
                let n = Double(part.n)
                zIndex += (Double(score) - means[j]) / n * (100 / Double(part.top))
                zShare += ((score >= part.top - 1 ? 1 : 0) - shares[j]) / n * 100
            }
            if answered {
                m += 1
                sumSquaresIndex += (zIndex / k) * (zIndex / k)
                sumSquaresShare += (zShare / k) * (zShare / k)
            }
        }
        estimate.n = m
        estimate.index = tInterval(indexValue, sumSquares: sumSquaresIndex, m: m)
        if single {
            estimate.shareSatisfied = wilsonInterval(successes: parts[0].counts[parts[0].top - 2] + parts[0].counts[parts[0].top - 1],
                                                     n: parts[0].n)
        } else {
            estimate.shareSatisfied = tInterval(shareValue, sumSquares: sumSquaresShare, m: m)
        }
        if m < 2 {
            notes.append("fewer than two respondents: no standard error")
        } else if estimate.index.standardError == 0 {
            notes.append("every respondent gave the same answers: the t-interval has zero width")
        } else if let upper = estimate.index.upper, upper > 100 {
            notes.append("the t-interval extends past 100%")
        }
        estimate.notes = notes
        return estimate
    }

    /// Number of rows answering at least one of `parts`.
    func respondents(answering parts: [ItemSummary], rows: [Int]) -> Int {
        rows.reduce(0) { count, row in count + (parts.contains { $0.column.values[row] != 0 } ? 1 : 0) }
    }

    /// estimate ± t(m−1) · se with se² = m/(m−1) Σ zᵢ².
    func tInterval(_ value: Double, sumSquares: Double, m: Int) -> PercentEstimate {
        guard m >= 2 else {
            return PercentEstimate(estimate: value, standardError: nil, lower: nil, upper: nil, degreesOfFreedom: nil,
                                   method: "t")
        }
        let se = (Double(m) / Double(m - 1) * sumSquares).squareRoot()
        let t = Distribution.studentTQuantile(1 - (1 - confidenceLevel) / 2, degreesOfFreedom: Double(m - 1))
        return PercentEstimate(estimate: value, standardError: se, lower: value - t * se, upper: value + t * se,
                               degreesOfFreedom: m - 1, method: "t")
    }

    /// Wilson score interval for a proportion, in percent (Wilson 1927); the standard error is √(p(1−p)/n).
    func wilsonInterval(successes: Int, n: Int) -> PercentEstimate {
        guard n > 0 else {
            return PercentEstimate(estimate: nil, standardError: nil, lower: nil, upper: nil, degreesOfFreedom: nil,
                                   method: "wilson")
        }
        let p = Double(successes) / Double(n), nn = Double(n)
        let z = Distribution.normalQuantile(1 - (1 - confidenceLevel) / 2)
        let denominator = 1 + z * z / nn
        let center = (p + z * z / (2 * nn)) / denominator
        let half = z / denominator * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
        return PercentEstimate(estimate: p * 100, standardError: (p * (1 - p) / nn).squareRoot() * 100,
                               lower: max(0, center - half) * 100, upper: min(1, center + half) * 100,
                               degreesOfFreedom: nil, method: "wilson")
    }

    /// One row per category of a nominal item: a / b × 100 (Lai Châu §6.2a) with a Wilson interval.
    func nominalEstimates(kind: IndexKind, column: ItemColumn, rows: [Int], group: [GroupValue]) -> [IndexEstimate] {
        guard case .nominal(let categories) = column.item.scale else { return [] }
        var chosen = [Int](repeating: 0, count: categories.count)
        var answered = 0
        for row in rows where column.values[row] != 0 {
            answered += 1
            if let selections = column.selections {
                for index in categories.indices where selections[row] & (1 << UInt64(index)) != 0 { chosen[index] += 1 }
            } else {
                chosen[Int(column.values[row]) - 1] += 1
            }
        }
        return categories.enumerated().map { index, category in
            IndexEstimate(kind: kind, id: "\(column.item.id):\(category.code)",
                          label: LocalizedText(vi: "\(column.item.label.vi): \(category.label.vi)",
                                               en: "\(column.item.label.en): \(category.label.en)"),
                          group: group, index: wilsonInterval(successes: chosen[index], n: answered),
                          shareSatisfied: nil, n: answered, answerCounts: [answered - chosen[index], chosen[index]],
                          criteriaCount: nil, notes: answered == 0 ? ["nobody in this group answered"] : [])
        }
    }
}
