import SIPASDesign
import SIPASInstrument

/// Mergeable sufficient statistics of an index analysis: sums over the respondents of each (group, design
/// unit) from which `estimates(options:design:)` gives exactly the `[IndexEstimate]` of `IndexAnalysis.run`
/// (to rounding), so that a database can compute them with one GROUP BY and send back O(groups × units) rows.
///
/// Notation, per respondent i of a group (domain) and scored item j: wᵢ the design weight (1 without a
/// design), aᵢⱼ = 1 if i answered j (a valid, non-missing code), yᵢⱼ the score (1…topⱼ after reverse coding),
/// tᵢⱼ = 1 if yᵢⱼ ≥ topⱼ − 1 (top two levels), mⱼ = (topⱼ + 1)/2 the scale's midpoint. Scores and top-two
/// indicators enter centred at fixed constants, Yᵢⱼ = aᵢⱼ(yᵢⱼ − mⱼ) and Tᵢⱼ = aᵢⱼ(tᵢⱼ − ½), which keeps the
/// quadratic forms below free of cancellation; the constants are known before the data are read, so the
/// sums stay additive.
///
/// **First-order sums, per (group, unit)** — `Cell`, the unit being the design's unit at its deepest
/// variance stage (the PSU; the second-stage unit when an FPC makes that stage enter the variance), or the
/// stratum when every respondent is its own PSU (`Aggregation.strata`):
/// - per scored item j: nⱼ = Σ aᵢⱼ, Aⱼ = Σ wᵢaᵢⱼ, Sⱼ = Σ wᵢYᵢⱼ, Hⱼ = Σ wᵢTᵢⱼ, and the counts of each score;
/// - per composite e (the overall index, a content, a factor, a single item; items Jₑ): its respondents
///   mₑ = Σ [i answered some j ∈ Jₑ] and their weight Rₑ = Σ wᵢ[…];
/// - per nominal item q and category c (χᵢ꜀ = 1 if i chose c): answers, Σ wᵢaᵢq, Σ wᵢ²aᵢq, and Σ χ, Σ wχ,
///   Σ w²χ over the answered rows.
///
/// **Cross-products, per (group, stratum)** — `CrossProducts`, p × p matrices (row-major, [j·p + l]):
/// Σ w YⱼYₗ, Σ w Yⱼaₗ, Σ w aⱼaₗ, Σ w TⱼTₗ, Σ w Tⱼaₗ with weight w (`crossProducts`, for the simple-random-
/// sample variance and the design effect) and, with `Aggregation.strata` under a design, with weight w²
/// (`squaredCrossProducts`, for the design variance).
///
/// **The algebra.** In a group, ȳⱼ = mⱼ + Sⱼ/Aⱼ and p̂ⱼ = ½ + Hⱼ/Aⱼ. Composite e with k = |Jₑ| items has
/// index (1/k) Σⱼ ȳⱼ/topⱼ · 100 and influence values (as `IndexCalculator` documents)
///
///     zᵢ = wᵢ Lᵢ,   Lᵢ = Σ_{j∈Jₑ} cⱼ (Yᵢⱼ − dⱼ aᵢⱼ),   cⱼ = 100/(k topⱼ Aⱼ),   dⱼ = ȳⱼ − mⱼ = Sⱼ/Aⱼ
///
/// (share: c'ⱼ = 100/(k Aⱼ), Tᵢⱼ in place of Yᵢⱼ, d'ⱼ = Hⱼ/Aⱼ). Hence
/// - a unit's total is tᵤ = Σⱼ cⱼ (Sᵤⱼ − dⱼ Aᵤⱼ) from its first-order sums — the input of
///   `SurveyDesign.variance(_:unitTotals:)` at every stage, of the effective degrees of freedom and of the design;
/// - Σᵢ wᵢʳ Lᵢ² = Σⱼ Σₗ cⱼcₗ (Σwʳ YⱼYₗ − dₗ Σwʳ Yⱼaₗ − dⱼ Σwʳ Yₗaⱼ + dⱼdₗ Σwʳ aⱼaₗ): with r = 1 the
///   simple-random-sample variance Rₑ² Σ wL² / (Rₑ(mₑ − 1)); with r = 2 and respondents as units, Σt² = Σ z²
///   per stratum, which with Σt = Σⱼ cⱼ (Sₕⱼ − dⱼ Aₕⱼ) gives `SurveyDesign.variance(strata:)`.
/// - A nominal category: p̂ = Σwχ / Σwa, tᵤ = 100/A (Σᵤwχ − p̂ Σᵤwa), srs sum 100² (Σwχ (1 − p̂)² + Σw(1 − χ) p̂²),
///   and with weight w² the same for Σt².
///
/// Statistics of disjoint sets of rows add (`merging(_:)`): shards by stratum, by PSU or by arbitrary row
/// ranges give, summed, the statistics of the whole.
///
/// **A second pass, per (group, stratum)**, only when every respondent is its own PSU and a `beta`/`logit`
/// interval uses Satterthwaite's effective degrees of freedom: they need Σ zᵢ³ and Σ zᵢ⁴ (the spread of the
/// squared unit totals), which are no quadratic form of the sums above. Given the first pass's group means
/// (cⱼ, dⱼ, p̂), a second GROUP BY forms [Σz, Σz², Σz³, Σz⁴] of every estimate (`powerSums`), and
/// `SurveyDesign.effectiveDegreesOfFreedom(strata:)` the df from them. With clusters the unit totals give
/// the df directly.
///
/// Not expressible (`StatisticsUnavailable`, a caller reads rows instead): a calibrated design (its
/// residuals span the whole sample), bootstrap intervals (replicates reweight rows), kept influence values
/// (comparisons).
///
/// `IndexAnalysis.run` does not use these yet, for two reasons: where every answer of a group is one score
/// its variance is a rounding residue (≈ 1e-30) on which the design effect, Satterthwaite's df and the
/// Korn–Graubard lower bound depend (IndexFormulaTests pins that residue), while the sums give 0; and the
/// collector's p × p cross-products make a pass over 1,000,000 rows slower than the row path
/// (`sipas-bench-statistics`).
///
/// Source: Lumley (2010), *Complex Surveys*, §2.2–2.3 (domains, linearization); Woodruff (1971) for the
/// influence values of a ratio; the sums are those of any GROUP BY implementation of `svytotal`.
public struct IndexStatistics: Sendable {
    /// What the statistics are of: the same for every shard of one analysis.
    public var layout: Layout
    /// First-order sums per (group, unit).
    public var cells: [Key: Cell]
    /// Cross-products per (group, stratum).
    public var strata: [Key: StratumCell]
    /// The second pass, per (group, stratum), only when every respondent is its own PSU and an interval needs
    /// Satterthwaite's effective degrees of freedom (`Collector.powerSums(rows:means:)`): [Σz, Σz², Σz³, Σz⁴]
    /// of each estimate's influence values, at `Layout.powerSlot(composite:share:)` and
    /// `Layout.powerSlot(category:)`. Sums of shards add when every shard used the same (whole-sample) means.
    public var powerSums: [Key: [Double]]?

    /// Statistics assembled from sums formed elsewhere (a database's GROUP BY), in `layout`'s numbering.
    public init(layout: Layout, cells: [Key: Cell], strata: [Key: StratumCell], powerSums: [Key: [Double]]? = nil) {
        self.layout = layout; self.cells = cells; self.strata = strata; self.powerSums = powerSums
    }

    /// A group (the values of the `--by` columns, empty for the whole sample) and a unit of aggregation
    /// (design unit or stratum number, as `SurveyDesign` numbers them).
    public struct Key: Hashable, Sendable {
        public var group: [String]
        public var unit: Int
        public init(group: [String], unit: Int) { self.group = group; self.unit = unit }
    }

    /// What a cell's `unit` is.
    public enum Aggregation: Equatable, Sendable {
        /// A design unit of this stage (0 = PSU): the deepest stage entering the variance.
        case units(stage: Int)
        /// A stratum: every respondent is its own PSU, so the variance needs only per-stratum sums.
        case strata
    }

    public struct Layout: Sendable {
        public var groupColumns: [String]
        /// The scored items, in table order, and their top scores.
        public var items: [String]
        public var tops: [Int]
        /// The nominal items and where each one's categories start in the flat category arrays.
        public var nominalItems: [String]
        public var categoryStart: [Int]
        public var aggregation: Aggregation
        /// Rows of the design (every row but empty lines).
        public var designRowCount: Int
        /// The result rows in output order.
        var entries: [Entry]
        /// The composites (entries with a composite of scored items), in entry order: their items.
        var composites: [[Int]]

        var p: Int { items.count }
        /// Power sums per (group, stratum): four for each composite's index and its share, four per category.
        public var powerSlotCount: Int { 8 * composites.count + 4 * categoryCount }
        public func powerSlot(composite: Int, share: Bool) -> Int { 8 * composite + (share ? 4 : 0) }
        public func powerSlot(category: Int) -> Int { 8 * composites.count + 4 * category }
        var categoryCount: Int { categoryStart.last ?? 0 }
    }

    /// One row (or, nominal, one row per category) of the result.
    enum Entry: Sendable {
        case composite(kind: IndexKind, id: String, label: LocalizedText, composite: Int, share: Bool)
        case nominal(kind: IndexKind, item: Int, categories: [(id: String, label: LocalizedText)])
    }

    /// First-order sums over the rows of one (group, unit); the doc comment of `IndexStatistics` defines them.
    public struct Cell: Sendable, Equatable {
        /// Per scored item: nⱼ, Aⱼ = Σ w a, Sⱼ = Σ w a (y − m), Hⱼ = Σ w a (t − ½).
        public var answers: [Int]
        public var weight: [Double]
        public var score: [Double]
        public var topTwo: [Double]
        /// Per scored item, answers with each score: [j · 16 + score − 1].
        public var scoreCounts: [Int]
        /// Per composite: respondents who answered any of its items, and their weight.
        public var respondents: [Int]
        public var respondentWeight: [Double]
        /// Per nominal item: answers, Σ w, Σ w² over them.
        public var nominalAnswers: [Int]
        public var nominalWeight: [Double]
        public var nominalSquaredWeight: [Double]
        /// Per nominal category (flat, `Layout.categoryStart`): answers choosing it, Σ w, Σ w² over them.
        public var chosen: [Int]
        public var chosenWeight: [Double]
        public var chosenSquaredWeight: [Double]

        /// A cell of zeros, to be filled.
        public init(layout: Layout) {
            let p = layout.p, q = layout.nominalItems.count, c = layout.composites.count, k = layout.categoryCount
            answers = Array(repeating: 0, count: p); weight = Array(repeating: 0, count: p); score = weight; topTwo = weight
            scoreCounts = Array(repeating: 0, count: p * 16)
            respondents = Array(repeating: 0, count: c); respondentWeight = Array(repeating: 0, count: c)
            nominalAnswers = Array(repeating: 0, count: q); nominalWeight = Array(repeating: 0, count: q); nominalSquaredWeight = nominalWeight
            chosen = Array(repeating: 0, count: k); chosenWeight = Array(repeating: 0, count: k); chosenSquaredWeight = chosenWeight
        }

        mutating func add(_ other: Cell) {
            func sum<T: AdditiveArithmetic>(_ a: inout [T], _ b: [T]) { for index in a.indices { a[index] += b[index] } }
            sum(&answers, other.answers); sum(&weight, other.weight); sum(&score, other.score); sum(&topTwo, other.topTwo)
            sum(&scoreCounts, other.scoreCounts); sum(&respondents, other.respondents); sum(&respondentWeight, other.respondentWeight)
            sum(&nominalAnswers, other.nominalAnswers); sum(&nominalWeight, other.nominalWeight)
            sum(&nominalSquaredWeight, other.nominalSquaredWeight); sum(&chosen, other.chosen); sum(&chosenWeight, other.chosenWeight)
            sum(&chosenSquaredWeight, other.chosenSquaredWeight)
        }
    }

    /// The p × p cross-products of one (group, stratum), with weight w or w² (row-major, [j · p + l]).
    public struct CrossProducts: Sendable, Equatable {
        /// Σ Yⱼ Yₗ, Σ Yⱼ aₗ, Σ aⱼ aₗ, Σ Tⱼ Tₗ, Σ Tⱼ aₗ, each term times the weight (or its square).
        public var scoreScore: [Double]
        public var scoreAnswer: [Double]
        public var answerAnswer: [Double]
        public var topTop: [Double]
        public var topAnswer: [Double]

        /// Zeros, to be filled.
        public init(p: Int) {
            scoreScore = Array(repeating: 0, count: p * p)
            scoreAnswer = scoreScore; answerAnswer = scoreScore; topTop = scoreScore; topAnswer = scoreScore
        }

        mutating func add(_ other: CrossProducts) {
            for index in scoreScore.indices {
                scoreScore[index] += other.scoreScore[index]; scoreAnswer[index] += other.scoreAnswer[index]
                answerAnswer[index] += other.answerAnswer[index]; topTop[index] += other.topTop[index]
                topAnswer[index] += other.topAnswer[index]
            }
        }

        /// Σᵢ wᵢʳ Lᵢ² for Lᵢ = Σⱼ cⱼ (Yᵢⱼ − dⱼ aᵢⱼ) over `members` (or with T for `share`): the quadratic form of
        /// the type's doc comment.
        func squareSum(members: [Int], c: [Double], d: [Double], share: Bool, p: Int) -> Double {
            let xx = share ? topTop : scoreScore, xa = share ? topAnswer : scoreAnswer
            var total = 0.0
            for (a, j) in members.enumerated() {
                var row = 0.0
                for (b, l) in members.enumerated() {
                    row += c[b] * (xx[j * p + l] - d[b] * xa[j * p + l] - d[a] * xa[l * p + j] + d[a] * d[b] * answerAnswer[j * p + l])
                }
                total += c[a] * row
            }
            return total
        }
    }

    /// The cross-products of one (group, stratum).
    public struct StratumCell: Sendable, Equatable {
        /// With weight w: the simple-random-sample variance and design effect.
        public var crossProducts: CrossProducts
        /// With weight w², only when respondents are the units under a design: Σ z² per stratum.
        public var squaredCrossProducts: CrossProducts?

        public init(crossProducts: CrossProducts, squaredCrossProducts: CrossProducts?) {
            self.crossProducts = crossProducts; self.squaredCrossProducts = squaredCrossProducts
        }

        mutating func add(_ other: StratumCell) {
            crossProducts.add(other.crossProducts)
            if let other = other.squaredCrossProducts { squaredCrossProducts!.add(other) }
        }
    }

    /// These statistics and `other`'s added: the statistics of the union of their (disjoint) rows.
    public func merging(_ other: IndexStatistics) -> IndexStatistics {
        precondition(layout.items == other.layout.items && layout.nominalItems == other.layout.nominalItems
                     && layout.groupColumns == other.layout.groupColumns && layout.aggregation == other.layout.aggregation,
                     "statistics of different analyses cannot be merged")
        var result = self
        for (key, cell) in other.cells {
            if result.cells[key] == nil { result.cells[key] = cell } else { result.cells[key]!.add(cell) }
        }
        for (key, cell) in other.strata {
            if result.strata[key] == nil { result.strata[key] = cell } else { result.strata[key]!.add(cell) }
        }
        precondition((powerSums == nil) == (other.powerSums == nil), "merge statistics with power sums only with others that have them")
        if let powers = other.powerSums {
            for (key, sums) in powers {
                if result.powerSums![key] == nil { result.powerSums![key] = sums } else {
                    for index in sums.indices { result.powerSums![key]![index] += sums[index] }
                }
            }
        }
        return result
    }

    public static func + (lhs: IndexStatistics, rhs: IndexStatistics) -> IndexStatistics { lhs.merging(rhs) }
}

/// Why an analysis cannot be computed from `IndexStatistics` (the caller reads rows instead).
public enum StatisticsUnavailable: Error, Equatable, CustomStringConvertible, LocalizedFailure {
    /// A calibrated design: the calibration residuals of the influence values span the whole sample.
    case calibratedDesign
    /// Percentile or BCa intervals: each replicate reweights rows.
    case bootstrapInterval
    /// Influence values kept per row (comparisons use them).
    case influenceValues
    /// Satterthwaite's effective degrees of freedom (`beta`/`logit` intervals) when every respondent is its
    /// own PSU, and the statistics have no `powerSums`: Σ zᵢ⁴ is not a function of the cross-products.
    case powerSumsNeeded
    /// A replicate-weight design: each replicate's estimate reweights the rows.
    case replicateWeights

    public var description: String {
        switch self {
        case .replicateWeights: return "a replicate-weight design needs the rows (each replicate's weights)"
        case .calibratedDesign: return "a calibrated design's variance needs the rows (calibration residuals)"
        case .bootstrapInterval: return "bootstrap intervals need the rows (replicate weights)"
        case .influenceValues: return "influence values per row need the rows"
        case .powerSumsNeeded:
            return "Satterthwaite's effective degrees of freedom without clusters need a second pass over the rows (power sums of the influence values)"
        }
    }

    public func text(_ language: Language) -> String {
        guard language == .vi else { return description }
        switch self {
        case .replicateWeights: return "thiết kế có trọng số lặp cần các dòng dữ liệu (trọng số của từng bản lặp)"
        case .calibratedDesign: return "phương sai của thiết kế đã hiệu chỉnh quyền số cần các dòng dữ liệu (phần dư hiệu chỉnh)"
        case .bootstrapInterval: return "khoảng tin cậy bootstrap cần các dòng dữ liệu (trọng số lặp)"
        case .influenceValues: return "giá trị ảnh hưởng của từng dòng cần các dòng dữ liệu"
        case .powerSumsNeeded:
            return "bậc tự do hiệu dụng Satterthwaite khi không có cụm cần đọc lại các dòng dữ liệu lần thứ hai (tổng lũy thừa của giá trị ảnh hưởng)"
        }
    }

    /// The first reason `options` and `design` cannot be computed from statistics, or nil if they can.
    public static func reason(options: IndexOptions, design: SurveyDesign?) -> StatisticsUnavailable? {
        if design?.isCalibrated == true { return .calibratedDesign }
        if design?.replicates != nil { return .replicateWeights }
        if options.intervalMethod.isBootstrap { return .bootstrapInterval }
        if options.keepInfluence { return .influenceValues }
        return nil
    }

    /// Whether the intervals of `options` need Satterthwaite's effective degrees of freedom from power sums
    /// (every respondent its own PSU, a `beta` or `logit` interval with `.satterthwaite`).
    public static func needsPowerSums(options: IndexOptions, design: SurveyDesign?) -> Bool {
        let bounded = options.intervalMethod == .beta || options.intervalMethod == .logit
        return bounded && options.intervalDegreesOfFreedom == .satterthwaite && (design?.respondentsAreUnits ?? true)
    }
}
