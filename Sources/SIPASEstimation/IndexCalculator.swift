import SIPASData
import SIPASDesign
import SIPASInstrument

/// Computes the index rows of one group (domain) of respondents.
///
/// With a survey design every estimate is weighted and its variance is the design variance of its influence
/// values over the whole sample (rows outside the group contribute zero: domains are subpopulations, never
/// subsets of the design). Without one, estimates are unweighted and the variance is the classical one.
struct IndexCalculator {
    let table: ResponseTable
    let options: IndexOptions
    /// The declared design, or nil for simple random sampling (classical variances).
    let design: SurveyDesign?
    /// The sampling structure used for influence values and bootstrap accelerations: the declared design,
    /// or each respondent as its own PSU.
    let structure: SurveyDesign
    /// Design row of each table row (−1 for rows outside the design, e.g. empty lines).
    let designRow: [Int]
    let weights: [Double]
    /// Only point estimates (bootstrap replicates): no variances, no intervals.
    let pointOnly: Bool

    init(table: ResponseTable, options: IndexOptions, design: SurveyDesign?, structure: SurveyDesign, designRows: [Int],
         replicateWeights: [Double]? = nil) {
        self.table = table
        self.options = options
        self.design = design
        self.structure = structure
        var designRow = [Int](repeating: -1, count: table.rowCount)
        var weights = [Double](repeating: 1, count: table.rowCount)
        for (index, row) in designRows.enumerated() {
            designRow[row] = index
            if let replicateWeights { weights[row] = replicateWeights[index] } else if let design { weights[row] = design.weights[index] }
        }
        self.designRow = designRow
        self.weights = weights
        self.pointOnly = replicateWeights != nil
    }

    /// One item's answers in a group: weighted mean score, weighted share in the top two levels, counts.
    struct Part {
        let column: ItemColumn
        let top: Int
        var n = 0
        var weightSum = 0.0
        var meanScore = 0.0
        var topTwoShare = 0.0
        var counts: [Int]
    }

    func part(_ column: ItemColumn, rows: [Int]) -> Part {
        let top = column.item.scale.top ?? 0
        var part = Part(column: column, top: top, counts: [Int](repeating: 0, count: top))
        var scoreSum = 0.0, topTwo = 0.0
        for row in rows {
            let answer = Int(column.values[row])
            guard answer != 0 else { continue }
            let score = column.item.score(answer)
            let w = weights[row]
            part.n += 1
            part.counts[score - 1] += 1
            part.weightSum += w
            scoreSum += w * Double(score)
            if score >= top - 1 { topTwo += w }
        }
        if part.n > 0 {
            part.meanScore = scoreSum / part.weightSum
            part.topTwoShare = topTwo / part.weightSum
        }
        return part
    }

    func estimates(rows: [Int], group: [GroupValue]) throws -> [IndexEstimate] {
        let instrument = table.instrument
        // Every row of a group is a design row (only empty lines are outside the design).
        let domain = pointOnly ? nil : structure.domain(rows: rows.map { row -> Int in
            precondition(designRow[row] >= 0, "a group row outside the design")
            return designRow[row]
        })
        var parts: [String: Part] = [:]
        for column in table.items where column.item.scale.top != nil { parts[column.item.id] = part(column, rows: rows) }
        var result: [IndexEstimate] = []

        func composite(_ kind: IndexKind, id: String, label: LocalizedText, items: [Item]) throws -> IndexEstimate {
            try compositeEstimate(kind: kind, id: id, label: label, parts: items.map { parts[$0.id]! }, rows: rows, domain: domain, group: group)
        }
        result.append(try composite(.overall, id: "SIPAS",
                                    label: LocalizedText(vi: "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
                                                         en: "Overall satisfaction index (SIPAS)"),
                                    items: instrument.criteria))
        for content in instrument.contents {
            result.append(try composite(.content, id: content.id, label: content.label, items: content.criteria))
            for factor in content.factors {
                result.append(try composite(.factor, id: factor.id, label: factor.label, items: factor.criteria))
                for criterion in factor.criteria {
                    result.append(try composite(.criterion, id: criterion.id, label: criterion.label, items: [criterion]))
                }
            }
        }
        if let overall = instrument.overall, parts[overall.id] != nil {
            result.append(try composite(.overallItem, id: overall.id, label: overall.label, items: [overall]))
        }
        for (kind, items) in [(IndexKind.perception, instrument.perception), (.expectation, instrument.expectation)] {
            for item in items {
                guard let column = table.column(for: item.id) else { continue }
                if parts[item.id] != nil {
                    var estimate = try composite(kind, id: item.id, label: item.label, items: [item])
                    estimate.shareSatisfied = nil
                    result.append(estimate)
                } else {
                    result += try nominalEstimates(kind: kind, column: column, rows: rows, domain: domain, group: group)
                }
            }
        }
        return result
    }

    /// Mean of criterion indices, with its variance from the influence values
    /// zᵢ = (1/k) Σⱼ wᵢ (yᵢⱼ − ȳⱼ) / Wⱼ · 100/topⱼ over the criteria j respondent i answered.
    func compositeEstimate(kind: IndexKind, id: String, label: LocalizedText, parts: [Part], rows: [Int],
                           domain: DesignDomain?, group: [GroupValue]) throws -> IndexEstimate
    {
        let single = parts.count == 1
        var estimate = IndexEstimate(kind: kind, id: id, label: label, group: group,
                                     index: PercentEstimate(estimate: nil, standardError: nil, lower: nil, upper: nil,
                                                            degreesOfFreedom: nil, method: options.intervalMethod.rawValue),
                                     shareSatisfied: nil, n: 0, answerCounts: single ? parts[0].counts : nil,
                                     criteriaCount: single ? nil : parts.count, notes: [])
        let unanswered = parts.filter { $0.n == 0 }.map { $0.column.item.id }
        if !unanswered.isEmpty {
            estimate.n = rows.reduce(0) { count, row in count + (parts.contains { $0.column.values[row] != 0 } ? 1 : 0) }
            estimate.notes = [single ? "nobody in this group answered"
                : "not estimated: nobody in this group answered \(unanswered.joined(separator: ", "))"]
            return estimate
        }
        let k = Double(parts.count)
        let indexValue = parts.reduce(0) { $0 + $1.meanScore / Double($1.top) * 100 } / k
        let shareValue = parts.reduce(0) { $0 + $1.topTwoShare * 100 } / k
        let lowerBound = parts.reduce(0) { $0 + 100 / Double($1.top) } / k
        guard let domain else {
            estimate.index.estimate = indexValue
            estimate.shareSatisfied = PercentEstimate(estimate: shareValue, standardError: nil, lower: nil, upper: nil,
                                                      degreesOfFreedom: nil, method: "")
            return estimate
        }

        // Influence values (z, for the design variance; one per row of the group, in the order of `rows`) and
        // scaled residuals (u, for the simple-random-sample variance Σ wᵢuᵢ² / (W (m − 1)), which reduces to
        // s²/n for a single unweighted criterion).
        var zIndex = [Double](repeating: 0, count: rows.count), zShare = zIndex
        var respondentWeight = 0.0
        var m = 0
        let answers = parts.map { $0.column.values }
        let partCount = parts.count
        for row in rows {
            var answered = false
            for j in 0..<partCount where answers[j][row] != 0 { answered = true; break }
            if answered {
                m += 1
                respondentWeight += weights[row]
            }
        }
        // Per part and answer code: the index and top-two residuals divided by the part's weight total.
        let stride = 16
        var indexResidual = [Double](repeating: 0, count: partCount * stride), shareResidual = indexResidual
        for (j, part) in parts.enumerated() {
            precondition(part.top < stride, "scales have at most 15 levels")
            for answer in 1...part.top {
                let score = Double(part.column.item.score(answer))
                indexResidual[j * stride + answer] = (score - part.meanScore) * 100 / Double(part.top) / part.weightSum
                shareResidual[j * stride + answer] = ((score >= Double(part.top - 1) ? 1 : 0) - part.topTwoShare) * 100 / part.weightSum
            }
        }
        var srsIndex = 0.0, srsShare = 0.0
        for (position, row) in rows.enumerated() {
            var zi = 0.0, zs = 0.0, answered = false
            for j in 0..<partCount {
                let answer = Int(answers[j][row])
                guard answer != 0 else { continue }
                answered = true
                zi += indexResidual[j * stride + answer]
                zs += shareResidual[j * stride + answer]
            }
            guard answered else { continue }
            let w = weights[row]
            // u = z · W / w (the residuals scaled by the respondents' weight total), averaged over parts.
            let ui = zi * respondentWeight / k, us = zs * respondentWeight / k
            srsIndex += w * ui * ui
            srsShare += w * us * us
            zIndex[position] = w * zi / k
            zShare[position] = w * zs / k
        }
        estimate.n = m
        if options.keepInfluence {
            var dense = [Double](repeating: 0, count: structure.rowCount)
            for (position, row) in domain.rows.enumerated() { dense[row] = zIndex[position] }
            estimate.influence = dense
        }
        let srsDivisor = respondentWeight * Double(m - 1)
        estimate.index = try percentEstimate(indexValue, srsVariance: m > 1 ? srsIndex / srsDivisor : .nan, domain: domain, z: zIndex,
                                             bounds: (lowerBound, 100), m: m, notes: &estimate.notes)
        var shareNotes: [String] = []
        estimate.shareSatisfied = try percentEstimate(shareValue, srsVariance: m > 1 ? srsShare / srsDivisor : .nan, domain: domain, z: zShare,
                                                      bounds: (0, 100), m: m, notes: &shareNotes)
        return estimate
    }

    /// Variance (design or simple random sample), degrees of freedom, design effect and interval; `z` holds the
    /// influence values on the rows of `domain`.
    func percentEstimate(_ value: Double, srsVariance: Double, domain: DesignDomain, z: [Double], bounds: (Double, Double), m: Int,
                         notes: inout [String]) throws -> PercentEstimate
    {
        if m < options.smallSample {
            notes.append(m < 2 ? "fewer than two respondents: no standard error" : "small sample (n = \(m) < \(options.smallSample)): interpret with care")
        }
        var result = PercentEstimate(estimate: value, standardError: nil, lower: nil, upper: nil, degreesOfFreedom: nil,
                                     method: options.intervalMethod.rawValue)
        guard m >= 2 else { return result }
        if options.intervalMethod.isBootstrap { result.acceleration = structure.acceleration(domain, z) }
        var variance = srsVariance
        var degreesOfFreedom = m - 1
        if let design {
            variance = try design.variance(domain, z)
            degreesOfFreedom = design.degreesOfFreedom
            result.designEffect = srsVariance > 0 ? variance / srsVariance : nil
        }
        result.standardError = variance.squareRoot()
        result.degreesOfFreedom = degreesOfFreedom
        // Bootstrap methods replace this provisional Korn–Graubard interval after the replicates are computed.
        let method = options.intervalMethod.isBootstrap ? .beta : options.intervalMethod
        // The bounded methods use Satterthwaite's effective degrees of freedom when it is smaller than the
        // nominal df: near the ceiling a few dissatisfied respondents carry the whole variance estimate.
        var intervalDF = Double(degreesOfFreedom)
        if method == .beta || method == .logit, let effective = structure.effectiveDegreesOfFreedom(domain, z), effective < intervalDF {
            intervalDF = max(1, effective)
            result.effectiveDegreesOfFreedom = intervalDF
        }
        let interval = Interval.compute(method, IntervalInput(
            estimate: value, variance: variance, lowerBound: bounds.0, upperBound: bounds.1,
            degreesOfFreedom: degreesOfFreedom, intervalDegreesOfFreedom: intervalDF, respondents: m,
            designRows: design?.rowCount ?? (m + 0), level: options.confidenceLevel))
        result.lower = interval.lower
        result.upper = interval.upper
        result.method = interval.method.rawValue
        notes += interval.notes
        return result
    }

    /// One row per category of a nominal item: a / b × 100 (Lai Châu §6.2a), weighted under a design.
    func nominalEstimates(kind: IndexKind, column: ItemColumn, rows: [Int], domain: DesignDomain?, group: [GroupValue]) throws -> [IndexEstimate] {
        guard case .nominal(let categories) = column.item.scale else { return [] }
        let answeredRows = rows.filter { column.values[$0] != 0 }
        let totalWeight = answeredRows.reduce(0) { $0 + weights[$1] }
        return try categories.enumerated().map { index, category in
            func chosen(_ row: Int) -> Bool {
                if let selections = column.selections { return selections[row] & (1 << UInt64(index)) != 0 }
                return Int(column.values[row]) - 1 == index
            }
            let count = answeredRows.filter(chosen).count
            let p = totalWeight > 0 ? answeredRows.reduce(0) { $0 + (chosen($1) ? weights[$1] : 0) } / totalWeight : .nan
            var estimate = IndexEstimate(
                kind: kind, id: "\(column.item.id):\(category.code)",
                label: LocalizedText(vi: "\(column.item.label.vi): \(category.label.vi)", en: "\(column.item.label.en): \(category.label.en)"),
                group: group, index: PercentEstimate(estimate: nil, standardError: nil, lower: nil, upper: nil,
                                                     degreesOfFreedom: nil, method: options.intervalMethod.rawValue),
                shareSatisfied: nil, n: answeredRows.count, answerCounts: [answeredRows.count - count, count],
                criteriaCount: nil, notes: [])
            guard !answeredRows.isEmpty else { estimate.notes = ["nobody in this group answered"]; return estimate }
            guard let domain else { estimate.index.estimate = p * 100; return estimate }
            var z = [Double](repeating: 0, count: rows.count)
            var srs = 0.0
            for (position, row) in rows.enumerated() where column.values[row] != 0 {
                let residual = ((chosen(row) ? 1 : 0) - p) * 100
                srs += weights[row] * residual * residual
                z[position] = weights[row] * residual / totalWeight
            }
            let m = answeredRows.count
            estimate.index = try percentEstimate(p * 100, srsVariance: m > 1 ? srs / (totalWeight * Double(m - 1)) : .nan,
                                                 domain: domain, z: z, bounds: (0, 100), m: m, notes: &estimate.notes)
            return estimate
        }
    }
}
