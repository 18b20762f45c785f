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
    /// On a replicate-weight design: each estimate's values in the replicates, by `replicateKey`.
    var replicateValues: [String: [Double]] = [:]

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

    /// The key of an estimate's replicate values: its group, its id and which statistic (index or share).
    static func replicateKey(group: [GroupValue], id: String, share: Bool) -> String {
        group.map { "\($0.column)\u{1}\($0.value)" }.joined(separator: "\u{2}") + "\u{0}" + id + (share ? "\u{0}share" : "")
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

    /// One row of the result: a composite of scored items (the overall index, a content, a factor, a
    /// criterion, the overall item, a perception or expectation item) or the categories of a nominal item.
    enum Entry {
        case composite(kind: IndexKind, id: String, label: LocalizedText, parts: [Int], share: Bool)
        case nominal(kind: IndexKind, column: ItemColumn)
    }

    func estimates(rows: [Int], group: [GroupValue]) throws -> [IndexEstimate] {
        // Every row of a group is a design row (only empty lines are outside the design).
        let domain = pointOnly ? nil : structure.domain(rows: rows.map { row -> Int in
            precondition(designRow[row] >= 0, "a group row outside the design")
            return designRow[row]
        })
        // The scored items' answers in the group, row-major, and the rows' weights: every pass below reads
        // them in row order.
        let scored = table.items.filter { $0.item.scale.top != nil }
        let partOfItem = Dictionary(uniqueKeysWithValues: scored.enumerated().map { ($1.item.id, $0) })
        let p = scored.count, m = rows.count
        var answers = [UInt8](repeating: 0, count: m * p)
        answers.withUnsafeMutableBufferPointer { answers in
            for (j, column) in scored.enumerated() {
                column.values.withUnsafeBufferPointer { values in
                    for (position, row) in rows.enumerated() { answers[position * p + j] = values[row] }
                }
            }
        }
        let rowWeights = rows.map { weights[$0] }
        let parts = self.parts(scored, answers: answers, weights: rowWeights)

        let entries = Self.entries(table: table, partOfItem: partOfItem)

        // Composites with a variance get their influence totals from one pass over the rows for all of them.
        var estimable: [Int] = []
        for (index, entry) in entries.enumerated() {
            if case .composite(_, _, _, let members, _) = entry, domain != nil, members.allSatisfy({ parts[$0].n > 0 }) {
                estimable.append(index)
            }
        }
        let influence = domain.map { domain in
            influenceTotals(of: estimable.map { entries[$0] }, parts: parts, answers: answers, weights: rowWeights, domain: domain)
        }
        var result: [IndexEstimate] = []
        for (index, entry) in entries.enumerated() {
            switch entry {
            case .composite(let kind, let id, let label, let members, let share):
                var estimate = try compositeEstimate(kind: kind, id: id, label: label, parts: members.map { parts[$0] }, rows: rows,
                                                     domain: domain, group: group,
                                                     influence: estimable.firstIndex(of: index).map { influence!($0) })
                if !share { estimate.shareSatisfied = nil }
                result.append(estimate)
            case .nominal(let kind, let column):
                result += try nominalEstimates(kind: kind, column: column, rows: rows, domain: domain, group: group)
            }
        }
        return result
    }

    /// The rows of an index result, in output order: the overall index, each content with its factors and
    /// their criteria, the overall item, then the perception and expectation items (scored items as
    /// composites of one, nominal items by category). `partOfItem` numbers the scored items present.
    static func entries(table: ResponseTable, partOfItem: [String: Int]) -> [Entry] {
        let instrument = table.instrument
        var entries: [Entry] = []
        func composite(_ kind: IndexKind, _ id: String, _ label: LocalizedText, _ items: [Item], share: Bool = true) {
            entries.append(.composite(kind: kind, id: id, label: label, parts: items.map { partOfItem[$0.id]! }, share: share))
        }
        composite(.overall, "SIPAS", LocalizedText(vi: "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
                                                   en: "Overall satisfaction index (SIPAS)"), instrument.criteria)
        for content in instrument.contents {
            composite(.content, content.id, content.label, content.criteria)
            for factor in content.factors {
                composite(.factor, factor.id, factor.label, factor.criteria)
                for criterion in factor.criteria { composite(.criterion, criterion.id, criterion.label, [criterion]) }
            }
        }
        if let overall = instrument.overall, partOfItem[overall.id] != nil {
            composite(.overallItem, overall.id, overall.label, [overall])
        }
        for (kind, items) in [(IndexKind.perception, instrument.perception), (.expectation, instrument.expectation)] {
            for item in items {
                guard let column = table.column(for: item.id) else { continue }
                if partOfItem[item.id] != nil {
                    composite(kind, item.id, item.label, [item], share: false)
                } else {
                    entries.append(.nominal(kind: kind, column: column))
                }
            }
        }

        return entries
    }

    /// Each scored item's weighted mean score, share in the top two levels and answer counts in the group,
    /// summed in row order (one pass over the rows for all items).
    func parts(_ scored: [ItemColumn], answers: [UInt8], weights: [Double]) -> [Part] {
        let p = scored.count, stride = 16
        let tops = scored.map { $0.item.scale.top ?? 0 }
        var scoreOf = [Int](repeating: 0, count: max(1, p * stride))
        for (j, column) in scored.enumerated() where tops[j] > 0 {
            precondition(tops[j] < stride, "scales have at most 15 levels")
            for answer in 1...tops[j] { scoreOf[j * stride + answer] = column.item.score(answer) }
        }
        var n = [Int](repeating: 0, count: p), counts = [Int](repeating: 0, count: max(1, p * stride))
        var weightSum = [Double](repeating: 0, count: p), scoreSum = weightSum, topTwo = weightSum
        answers.withUnsafeBufferPointer { answers in
            weights.withUnsafeBufferPointer { weights in
                scoreOf.withUnsafeBufferPointer { scoreOf in
                    n.withUnsafeMutableBufferPointer { n in
                        counts.withUnsafeMutableBufferPointer { counts in
                            weightSum.withUnsafeMutableBufferPointer { weightSum in
                                scoreSum.withUnsafeMutableBufferPointer { scoreSum in
                                    topTwo.withUnsafeMutableBufferPointer { topTwo in
                                        for position in 0..<weights.count {
                                            let w = weights[position]
                                            for j in 0..<p {
                                                let answer = Int(answers[position * p + j])
                                                guard answer != 0 else { continue }
                                                let score = scoreOf[j * stride + answer]
                                                n[j] += 1
                                                counts[j * stride + score - 1] += 1
                                                weightSum[j] += w
                                                scoreSum[j] += w * Double(score)
                                                if score >= tops[j] - 1 { topTwo[j] += w }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return scored.enumerated().map { j, column in
            var part = Part(column: column, top: tops[j], counts: Array(counts[(j * stride)..<(j * stride + tops[j])]))
            part.n = n[j]
            part.weightSum = weightSum[j]
            if part.n > 0 {
                part.meanScore = scoreSum[j] / part.weightSum
                part.topTwoShare = topTwo[j] / part.weightSum
            }
            return part
        }
    }

    /// What a composite's variance needs from the rows: respondents, the simple-random-sample sums and the
    /// totals of its influence values over the design units the group touches.
    struct CompositeInfluence {
        var respondents = 0
        var srsIndex = 0.0, srsShare = 0.0, srsDivisor = 0.0
        /// Per stage, per touched unit.
        var indexTotals: [[Double]] = []
        var shareTotals: [[Double]] = []
        /// Influence values of the index on every design row (only with `keepInfluence`).
        var dense: [Double]?
        /// On a calibrated design: the influence values of the index and the share on the domain's rows.
        var indexValues: [Double]?
        var shareValues: [Double]?
    }

    /// The influence values zᵢ = (1/k) Σⱼ wᵢ (yᵢⱼ − ȳⱼ) / Wⱼ · 100/topⱼ of every composite (over the criteria
    /// j respondent i answered), summed into the units of each stage in row order — the numbers
    /// `variance(domain, z)` would form from the full vectors — and the scaled residuals uᵢ = zᵢ W / wᵢ for
    /// the simple-random-sample variance Σ wᵢuᵢ² / (W (m − 1)), which reduces to s²/n for a single
    /// unweighted criterion.
    ///
    /// When the design's units are few (clusters), one pass over the rows forms the totals of every composite
    /// and no vector per composite is held. When nearly every row is its own unit (no clusters), the totals
    /// are the influence values themselves: each composite's are formed when asked for, in reused buffers.
    func influenceTotals(of composites: [Entry], parts: [Part], answers: [UInt8], weights: [Double], domain: DesignDomain)
        -> (Int) -> CompositeInfluence
    {
        let p = parts.count, m = weights.count, c = composites.count
        let members: [[Int]] = composites.map { entry in
            guard case .composite(_, _, _, let members, _) = entry else { preconditionFailure("only composites have influence totals") }
            return members
        }
        let scratch = InfluenceScratch(members: members, parts: parts)
        // Respondents (answered at least one of the composite's items) and their weight total.
        answers.withUnsafeBufferPointer { answers in
            weights.withUnsafeBufferPointer { weights in scratch.countRespondents(answers: answers, weights: weights, p: p) }
        }
        let stages = domain.stageCount
        let unitCount = (0..<stages).reduce(0) { $0 + domain.unitCount(stage: $1) }
        let calibrated = design?.isCalibrated == true
        if unitCount * 2 * c > 4 * m || calibrated {
            // Nearly every row its own unit: per composite, its influence values are its unit totals.
            // With one stage and every row its own unit, unit slot = row position: the values are the totals.
            let rowIsUnit = stages == 1 && domain.unitCount(stage: 0) == m
            let buffers = InfluenceBuffers(count: m)
            return { e in
                let (srsIndex, srsShare) = answers.withUnsafeBufferPointer { answers in
                    weights.withUnsafeBufferPointer { weights in
                        buffers.index.withUnsafeMutableBufferPointer { index in
                            buffers.share.withUnsafeMutableBufferPointer { share in
                                scratch.influence(of: e, answers: answers, weights: weights, p: p, index: index, share: share)
                            }
                        }
                    }
                }
                var dense: [Double]?
                if self.options.keepInfluence {
                    dense = [Double](repeating: 0, count: self.structure.rowCount)
                    for (position, row) in domain.rows.enumerated() { dense![row] = buffers.index[position] }
                }
                if calibrated {
                    // A calibrated design's variance needs the values themselves (their residuals span the sample).
                    var result = scratch.result(e, srsIndex: srsIndex, srsShare: srsShare, indexTotals: [], shareTotals: [], dense: dense)
                    result.indexValues = buffers.index
                    result.shareValues = buffers.share
                    return result
                }
                return scratch.result(e, srsIndex: srsIndex, srsShare: srsShare,
                                      indexTotals: rowIsUnit ? [buffers.index] : domain.stageTotals(buffers.index),
                                      shareTotals: rowIsUnit ? [buffers.share] : domain.stageTotals(buffers.share), dense: dense)
            }
        }
        // Few units (clusters): every composite's unit totals in one pass, each stage's after the previous
        // stage's ([offset + slot × 2c + 2e] index, [… + 1] share).
        let stageOffset = (0...stages).map { stage in (0..<stage).reduce(0) { $0 + domain.unitCount(stage: $1) * 2 * c } }
        let slotTable = (0..<stages).flatMap { domain.unitSlots(stage: $0) }
        var totals = [Double](repeating: 0, count: stageOffset[stages])
        var dense: [[Double]]? = options.keepInfluence ? Array(repeating: [Double](repeating: 0, count: structure.rowCount), count: c) : nil
        var values = [Double](repeating: 0, count: 2 * c)
        var srs = [Double](repeating: 0, count: 2 * c)
        answers.withUnsafeBufferPointer { answers in
            weights.withUnsafeBufferPointer { weights in
                slotTable.withUnsafeBufferPointer { slotTable in
                    totals.withUnsafeMutableBufferPointer { totals in
                        values.withUnsafeMutableBufferPointer { values in
                            srs.withUnsafeMutableBufferPointer { srs in
                                for position in 0..<m {
                                    let answered = scratch.rowInfluence(position, answers: answers, weights: weights, p: p,
                                                                        values: values.baseAddress!, srs: srs.baseAddress!)
                                    guard answered else { continue }
                                    for stage in 0..<stages {
                                        let base = stageOffset[stage] + Int(slotTable[stage * m + position]) * 2 * c
                                        for slot in 0..<(2 * c) where values[slot] != 0 { totals[base + slot] += values[slot] }
                                    }
                                    if dense != nil {
                                        for e in 0..<c { dense![e][domain.rows[position]] = values[2 * e] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        func column(_ e: Int, _ kind: Int) -> [[Double]] {
            (0..<stages).map { stage -> [Double] in
                let offset = stageOffset[stage] + 2 * e + kind
                return (0..<domain.unitCount(stage: stage)).map { slot -> Double in totals[offset + slot * 2 * c] }
            }
        }
        let result = (0..<c).map { e -> CompositeInfluence in
            scratch.result(e, srsIndex: srs[2 * e], srsShare: srs[2 * e + 1], indexTotals: column(e, 0), shareTotals: column(e, 1),
                           dense: dense?[e])
        }
        return { result[$0] }
    }

    /// Mean of criterion indices (Decision 2782 Art. 4; Lai Châu §6.2), with its variance from the influence
    /// totals of `influenceTotals`.
    func compositeEstimate(kind: IndexKind, id: String, label: LocalizedText, parts: [Part], rows: [Int],
                           domain: DesignDomain?, group: [GroupValue], influence: CompositeInfluence?) throws -> IndexEstimate
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
            let list = unanswered.joined(separator: ", ")
            estimate.notes = [single ? Note(.notEstimated, vi: "không ai trong nhóm này trả lời", en: "nobody in this group answered")
                : Note(.notEstimated, vi: "không ước lượng: không ai trong nhóm này trả lời \(list)",
                       en: "not estimated: nobody in this group answered \(list)")]
            return estimate
        }
        let k = Double(parts.count)
        let indexValue = parts.reduce(0) { $0 + $1.meanScore / Double($1.top) * 100 } / k
        let shareValue = parts.reduce(0) { $0 + $1.topTwoShare * 100 } / k
        let lowerBound = parts.reduce(0) { $0 + 100 / Double($1.top) } / k
        guard let domain, let influence else {
            estimate.index.estimate = indexValue
            estimate.shareSatisfied = PercentEstimate(estimate: shareValue, standardError: nil, lower: nil, upper: nil,
                                                      degreesOfFreedom: nil, method: "")
            return estimate
        }
        let m = influence.respondents
        estimate.n = m
        estimate.influence = influence.dense
        if options.keepInfluence { estimate.replicateValues = replicateValues[Self.replicateKey(group: group, id: id, share: false)] }
        estimate.index = try percentEstimate(indexValue, srsVariance: m > 1 ? influence.srsIndex / influence.srsDivisor : .nan,
                                             domain: domain, unitTotals: influence.indexTotals, values: influence.indexValues,
                                             replicates: replicateValues[Self.replicateKey(group: group, id: id, share: false)],
                                             bounds: (lowerBound, 100), m: m, notes: &estimate.notes)
        var shareNotes: [Note] = []
        estimate.shareSatisfied = try percentEstimate(shareValue, srsVariance: m > 1 ? influence.srsShare / influence.srsDivisor : .nan,
                                                      domain: domain, unitTotals: influence.shareTotals, values: influence.shareValues,
                                                      replicates: replicateValues[Self.replicateKey(group: group, id: id, share: true)],
                                                      bounds: (0, 100), m: m, notes: &shareNotes)
        return estimate
    }

    /// `percentEstimate` with the influence values `z` on the rows of `domain`.
    func percentEstimate(_ value: Double, srsVariance: Double, domain: DesignDomain, z: [Double], replicates: [Double]? = nil,
                         bounds: (Double, Double), m: Int, notes: inout [Note]) throws -> PercentEstimate
    {
        try percentEstimate(value, srsVariance: srsVariance, domain: domain,
                            unitTotals: design?.isCalibrated == true ? [] : domain.stageTotals(z),
                            values: design?.isCalibrated == true ? z : nil, replicates: replicates, bounds: bounds, m: m, notes: &notes)
    }

    /// Variance (design or simple random sample), degrees of freedom, design effect and interval, from the
    /// totals of the influence values over the units of each stage that `domain` touches — or, on a
    /// calibrated design, from the `values` themselves (the design replaces them by calibration residuals) —
    /// or, on a replicate-weight design, from the estimate's `replicates` values.
    func percentEstimate(_ value: Double, srsVariance: Double, domain: DesignDomain, unitTotals: [[Double]], values: [Double]? = nil,
                         replicates: [Double]? = nil, bounds: (Double, Double), m: Int, notes: inout [Note]) throws -> PercentEstimate
    {
        try PercentEstimator(options: options, design: design, structure: structure)
            .estimate(value, srsVariance: srsVariance,
                      variance: values.map { .values(domain, $0) } ?? .unitTotals(domain, unitTotals), replicates: replicates,
                      bounds: bounds, m: m, notes: &notes)
    }
}

/// What the design variance of one estimate is computed from.
enum VarianceSource {
    /// The totals of its influence values over the units of each stage the domain touches.
    case unitTotals(DesignDomain, [[Double]])
    /// Its influence values on the domain's rows (a calibrated design needs them).
    case values(DesignDomain, [Double])
    /// When every respondent is its own PSU: per stratum, Σt and Σt² of the influence values
    /// (`SurveyDesign.variance(strata:)`), and for the effective degrees of freedom the power sums
    /// [Σt, Σt², Σt³, Σt⁴] (`SurveyDesign.effectiveDegreesOfFreedom(strata:)`). No acceleration comes from these.
    case strata([(stratum: Int, total: Double, sumOfSquares: Double)], powers: [(stratum: Int, powers: [Double])]?)
}

/// Turns a point estimate and what its variance is made of into a `PercentEstimate`: the step that the row
/// path (`IndexCalculator`) and the sufficient-statistics path (`IndexStatistics`) share.
struct PercentEstimator {
    let options: IndexOptions
    let design: SurveyDesign?
    let structure: SurveyDesign

    /// Variance (design or simple random sample), degrees of freedom, design effect and interval.
    func estimate(_ value: Double, srsVariance: Double, variance source: VarianceSource, replicates: [Double]? = nil,
                  bounds: (Double, Double), m: Int, notes: inout [Note]) throws -> PercentEstimate
    {
        if m < options.smallSample {
            notes.append(m < 2
                ? Note(.noStandardError, vi: "ít hơn hai người trả lời: không có sai số chuẩn", en: "fewer than two respondents: no standard error")
                : Note(.smallSample, vi: "mẫu nhỏ (n = \(m) < \(options.smallSample)): diễn giải thận trọng",
                       en: "small sample (n = \(m) < \(options.smallSample)): interpret with care"))
        }
        // An interval is never given without its estimate: a sum that is not a number (weights that overflow)
        // leaves the estimate, its SE and its interval all empty.
        var result = PercentEstimate(estimate: value.isFinite ? value : nil, standardError: nil, lower: nil, upper: nil,
                                     degreesOfFreedom: nil, method: options.intervalMethod.rawValue)
        guard m >= 2, value.isFinite else { return result }
        if options.intervalMethod.isBootstrap {
            switch source {
            case .values(let domain, let values): result.acceleration = structure.acceleration(domain, values)
            case .unitTotals(let domain, let unitTotals): result.acceleration = structure.acceleration(domain, psuTotals: unitTotals[0])
            case .strata: preconditionFailure("bootstrap accelerations need unit totals")
            }
        }
        var variance = srsVariance
        var degreesOfFreedom = m - 1
        if let design, let weights = design.replicates {
            // An estimate that some replicate could not form has no replicate variance.
            let replicated = replicates.map { weights.variance(estimate: value, values: $0) } ?? (.nan, weights.count)
            variance = replicated.variance
            degreesOfFreedom = weights.degreesOfFreedom
            if let note = weights.droppedNote(replicated.dropped) { notes.append(note) }
            result.designEffect = srsVariance > 0 ? variance / srsVariance : nil
        } else if let design {
            switch source {
            case .values(let domain, let values): variance = try design.variance(domain, values)
            case .unitTotals(let domain, let unitTotals): variance = try design.variance(domain, unitTotals: unitTotals)
            case .strata(let sums, _): variance = try design.variance(strata: sums)
            }
            degreesOfFreedom = design.degreesOfFreedom
            result.designEffect = srsVariance > 0 ? variance / srsVariance : nil
        }
        guard variance.isFinite else { return result }
        result.standardError = variance.squareRoot()
        result.degreesOfFreedom = degreesOfFreedom
        // Bootstrap methods replace this provisional Korn–Graubard interval after the replicates are computed.
        let method = options.intervalMethod.analytic ?? .beta
        // With `.satterthwaite`, the bounded methods use Satterthwaite's effective degrees of freedom when it is
        // smaller than the nominal df: near the ceiling a few dissatisfied respondents carry the whole variance
        // estimate. With `.design` they use the design's df, as R's svyciprop.
        var intervalDF = Double(degreesOfFreedom)
        if method == .beta || method == .logit, options.intervalDegreesOfFreedom == .satterthwaite, design?.replicates == nil,
           let effective = effectiveDegreesOfFreedom(source), effective < intervalDF {
            intervalDF = max(1, effective)
            result.effectiveDegreesOfFreedom = intervalDF
        }
        let interval = Interval.compute(method, IntervalInput(
            estimate: value, variance: variance, lowerBound: bounds.0, upperBound: bounds.1,
            degreesOfFreedom: degreesOfFreedom, intervalDegreesOfFreedom: intervalDF, respondents: m,
            designRows: design?.rowCount ?? (m + 0), wilsonCorrection: options.wilsonDegreesOfFreedomCorrection,
            level: options.confidenceLevel))
        result.lower = interval.lower
        result.upper = interval.upper
        result.method = interval.method.rawValue
        notes += interval.notes
        return result
    }

    /// Satterthwaite's effective degrees of freedom of the estimate's PSU totals.
    func effectiveDegreesOfFreedom(_ source: VarianceSource) -> Double? {
        switch source {
        case .values(let domain, let values): return structure.effectiveDegreesOfFreedom(domain, values)
        case .unitTotals(let domain, let unitTotals): return structure.effectiveDegreesOfFreedom(domain, psuTotals: unitTotals[0])
        case .strata(_, let powers):
            guard let powers else { preconditionFailure("effective degrees of freedom need power sums (IndexStatistics refuses this case)") }
            return structure.effectiveDegreesOfFreedom(strata: powers)
        }
    }

}

extension IndexCalculator {
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
            guard !answeredRows.isEmpty else {
                estimate.notes = [Note(.notEstimated, vi: "không ai trong nhóm này trả lời", en: "nobody in this group answered")]
                return estimate
            }
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
                                                 domain: domain, z: z,
                                                 replicates: replicateValues[Self.replicateKey(group: group, id: estimate.id, share: false)],
                                                 bounds: (0, 100), m: m, notes: &estimate.notes)
            return estimate
        }
    }
}

/// The per-group tables of `IndexCalculator.influenceTotals` in flat memory, so that the pass over the rows
/// touches no Swift array (no reference counting or exclusivity checks per row).
private final class InfluenceScratch {
    let c: Int
    /// The composites' items one after another; composite e's are `memberList[memberStart[e]..<memberStart[e + 1]]`.
    let memberList: UnsafeMutableBufferPointer<Int>
    let memberStart: UnsafeMutableBufferPointer<Int>
    let k: UnsafeMutableBufferPointer<Double>
    /// Per item and answer code: the index and top-two residuals divided by the item's weight total.
    let indexResidual: UnsafeMutableBufferPointer<Double>
    let shareResidual: UnsafeMutableBufferPointer<Double>
    let respondents: UnsafeMutableBufferPointer<Int>
    let respondentWeight: UnsafeMutableBufferPointer<Double>
    static let stride = 16

    init(members: [[Int]], parts: [IndexCalculator.Part]) {
        c = members.count
        memberList = .allocate(capacity: max(1, members.reduce(0) { $0 + $1.count }))
        memberStart = .allocate(capacity: c + 1)
        k = .allocate(capacity: max(1, c))
        var next = 0
        for (e, list) in members.enumerated() {
            memberStart[e] = next
            for j in list { memberList[next] = j; next += 1 }
            k[e] = Double(list.count)
        }
        memberStart[c] = next
        let stride = Self.stride
        indexResidual = .allocate(capacity: max(1, parts.count * stride))
        shareResidual = .allocate(capacity: max(1, parts.count * stride))
        indexResidual.initialize(repeating: 0)
        shareResidual.initialize(repeating: 0)
        for (j, part) in parts.enumerated() where part.n > 0 {
            precondition(part.top < stride, "scales have at most 15 levels")
            for answer in 1...part.top {
                let score = Double(part.column.item.score(answer))
                indexResidual[j * stride + answer] = (score - part.meanScore) * 100 / Double(part.top) / part.weightSum
                shareResidual[j * stride + answer] = ((score >= Double(part.top - 1) ? 1 : 0) - part.topTwoShare) * 100 / part.weightSum
            }
        }
        respondents = .allocate(capacity: max(1, c))
        respondents.initialize(repeating: 0)
        respondentWeight = .allocate(capacity: max(1, c))
        respondentWeight.initialize(repeating: 0)
    }

    deinit {
        for buffer in [memberList, memberStart, respondents] { buffer.deallocate() }
        for buffer in [k, indexResidual, shareResidual, respondentWeight] { buffer.deallocate() }
    }

    func countRespondents(answers: UnsafeBufferPointer<UInt8>, weights: UnsafeBufferPointer<Double>, p: Int) {
        for position in 0..<weights.count {
            let base = position * p
            for e in 0..<c {
                for member in memberStart[e]..<memberStart[e + 1] where answers[base + memberList[member]] != 0 {
                    respondents[e] += 1
                    respondentWeight[e] += weights[position]
                    break
                }
            }
        }
    }

    /// Composite e's index and share residuals summed over the items the row at `base` answered (in the
    /// composite's item order), and whether it answered any.
    @inline(__always)
    func residualSums(_ e: Int, answers: UnsafeBufferPointer<UInt8>, base: Int) -> (Double, Double, Bool) {
        var zi = 0.0, zs = 0.0, any = false
        for member in memberStart[e]..<memberStart[e + 1] {
            let j = memberList[member]
            let answer = Int(answers[base + j])
            guard answer != 0 else { continue }
            any = true
            zi += indexResidual[j * Self.stride + answer]
            zs += shareResidual[j * Self.stride + answer]
        }
        return (zi, zs, any)
    }

    /// Row `position`'s influence values, `values[2e]` (index) and `values[2e + 1]` (top-two share) for every
    /// composite e (0 where the row answered none of its items), adding w·u² to `srs`; false if the row
    /// answered no scored item.
    @inline(__always)
    func rowInfluence(_ position: Int, answers: UnsafeBufferPointer<UInt8>, weights: UnsafeBufferPointer<Double>, p: Int,
                      values: UnsafeMutablePointer<Double>, srs: UnsafeMutablePointer<Double>) -> Bool {
        let w = weights[position]
        let base = position * p
        var anyComposite = false
        for e in 0..<c {
            let (zi, zs, any) = residualSums(e, answers: answers, base: base)
            guard any else {
                values[2 * e] = 0
                values[2 * e + 1] = 0
                continue
            }
            anyComposite = true
            let ui = zi * respondentWeight[e] / k[e], us = zs * respondentWeight[e] / k[e]
            srs[2 * e] += w * ui * ui
            srs[2 * e + 1] += w * us * us
            values[2 * e] = w * zi / k[e]
            values[2 * e + 1] = w * zs / k[e]
        }
        return anyComposite
    }

    /// Composite e's influence values on every row into `index` and `share`; returns its SRS sums.
    func influence(of e: Int, answers: UnsafeBufferPointer<UInt8>, weights: UnsafeBufferPointer<Double>, p: Int,
                   index: UnsafeMutableBufferPointer<Double>, share: UnsafeMutableBufferPointer<Double>) -> (Double, Double) {
        var srsIndex = 0.0, srsShare = 0.0
        for position in 0..<weights.count {
            let (zi, zs, any) = residualSums(e, answers: answers, base: position * p)
            guard any else {
                index[position] = 0
                share[position] = 0
                continue
            }
            let w = weights[position]
            let ui = zi * respondentWeight[e] / k[e], us = zs * respondentWeight[e] / k[e]
            srsIndex += w * ui * ui
            srsShare += w * us * us
            index[position] = w * zi / k[e]
            share[position] = w * zs / k[e]
        }
        return (srsIndex, srsShare)
    }

    func result(_ e: Int, srsIndex: Double, srsShare: Double, indexTotals: [[Double]], shareTotals: [[Double]],
                dense: [Double]?) -> IndexCalculator.CompositeInfluence {
        IndexCalculator.CompositeInfluence(respondents: respondents[e], srsIndex: srsIndex, srsShare: srsShare,
                                           srsDivisor: respondentWeight[e] * Double(respondents[e] - 1),
                                           indexTotals: indexTotals, shareTotals: shareTotals, dense: dense)
    }
}

/// Two vectors of influence values reused across the composites of a group: once an estimate is made from
/// them nothing else holds them, so the next composite writes in place.
private final class InfluenceBuffers {
    var index: [Double]
    var share: [Double]
    init(count: Int) {
        index = [Double](repeating: 0, count: count)
        share = index
    }
}
