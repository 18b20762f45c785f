import SIPASDesign
import SIPASInstrument
import SIPASSupport

/// Which level of the questionnaire an index belongs to.
public enum IndexKind: String, Sendable, CaseIterable {
    /// One satisfaction criterion (tiêu chí).
    case criterion
    /// Mean of a factor's criterion indices (yếu tố).
    case factor
    /// Mean of a content's criterion indices (nội dung).
    case content
    /// Mean of all criterion indices: the SIPAS.
    case overall
    /// The separate overall-satisfaction question, when the instrument has one.
    case overallItem = "overall_item"
    /// A perception item (chỉ số nhận định, đánh giá).
    case perception
    /// An expectation item (chỉ số nhu cầu, mong đợi).
    case expectation
}

/// A value of a grouping column (`--by`).
public struct GroupValue: Equatable, Hashable, Sendable {
    public var column: String
    public var value: String
    public init(column: String, value: String) { self.column = column; self.value = value }
}

/// A percentage with its standard error and confidence interval.
public struct PercentEstimate: Equatable, Sendable {
    /// Point estimate in percent; nil when nobody answered.
    public var estimate: Double?
    /// Standard error in percentage points; nil when it cannot be estimated (fewer than two respondents).
    public var standardError: Double?
    public var lower: Double?
    public var upper: Double?
    /// Degrees of freedom of the t quantile, when a t-interval is used.
    public var degreesOfFreedom: Int?
    /// How the interval was actually built (an `IntervalMethod` raw value: t, logit, beta, wilson).
    public var method: String
    /// Design effect: the design variance over the variance under simple random sampling of the same
    /// respondents (weighted as in R survey's `deff`); nil without a design.
    public var designEffect: Double?
    /// Satterthwaite's effective degrees of freedom used by the bounded interval, when below `degreesOfFreedom`.
    public var effectiveDegreesOfFreedom: Double?
    /// BCa acceleration from the influence values (bootstrap methods only).
    var acceleration: Double?

    public init(estimate: Double?, standardError: Double?, lower: Double?, upper: Double?, degreesOfFreedom: Int?,
                method: String) {
        self.estimate = estimate; self.standardError = standardError; self.lower = lower; self.upper = upper
        self.degreesOfFreedom = degreesOfFreedom; self.method = method
    }
}

/// One row of an index analysis.
public struct IndexEstimate: Sendable {
    public var kind: IndexKind
    /// Item, factor or content id; "SIPAS" for the overall index; `item:code` for a nominal category.
    public var id: String
    public var label: LocalizedText
    /// The `--by` values this row belongs to; empty for the whole sample.
    public var group: [GroupValue]
    /// The index (mean score / top score × 100, or a/b × 100 for a nominal category).
    public var index: PercentEstimate
    /// Share satisfied: answers in the top two levels (4–5 on likert5, 3–4 on interval4); a separate statistic.
    public var shareSatisfied: PercentEstimate?
    /// Respondents behind the estimate: those who answered (criterion), or who answered at least one of the
    /// composite's criteria.
    public var n: Int
    /// Answer counts by score 1…top (the c, d, e, g, h of Lai Châu §6.2), for single items.
    public var answerCounts: [Int]?
    /// Number of criteria averaged, for composites.
    public var criteriaCount: Int?
    /// Caveats carried with the number (shown in every output format).
    public var notes: [Note]
    /// Influence values of the index over the design's rows (kept when `IndexOptions.keepInfluence` is set),
    /// for comparisons: the variance of a difference is the design variance of the difference of influences.
    var influence: [Double]?
    /// On a replicate-weight design, the index in each replicate (kept with `influence`): the variance of a
    /// difference is the replicates' variance of the differences.
    var replicateValues: [Double]?
}

/// Which degrees of freedom the bounded intervals (`beta`, `logit`) put into their t quantiles.
public enum IntervalDegreesOfFreedom: String, Sendable, CaseIterable {
    /// The design's degrees of freedom (PSUs − strata; respondents − 1 without a design), as R's
    /// `svyciprop(method = "beta" | "logit")` with `df = degf(design)`.
    case design
    /// Satterthwaite's effective degrees of freedom of the estimate's PSU totals when smaller than the design's:
    /// near the ceiling, where a few dissatisfied respondents carry the whole variance, this widens the interval.
    case satterthwaite
}

/// Choices for an index analysis.
public struct IndexOptions: Sendable {
    public var confidenceLevel: Double
    public var intervalMethod: IntervalMethod
    public var design: DesignSpecification
    /// Estimates from fewer respondents carry a "small sample" note.
    public var smallSample: Int
    /// Replicates for the percentile and BCa methods.
    public var bootstrap: BootstrapOptions
    /// Degrees of freedom of the `beta` and `logit` intervals (the `t` interval always uses the design's).
    public var intervalDegreesOfFreedom: IntervalDegreesOfFreedom = .satterthwaite
    /// The Wilson interval with Korn and Graubard's degrees-of-freedom correction of the effective sample size,
    /// n* = θ(1−θ)/Var(θ) · (t(n−1)/t(df))² with the design's df: the "modified Wilson" of Dean & Pagano (2015),
    /// narrower than Korn–Graubard's Clopper–Pearson, wider than the plain Wilson where the design has few PSUs.
    /// Studied by `sipas coverage` (candidate `wilson-kg`); off by default.
    public var wilsonDegreesOfFreedomCorrection = false
    /// Threads for groups and replicates, and the bootstrap's progress report; the numbers never depend on it.
    public var execution = Execution()
    /// Keep each index's influence values (comparisons need them).
    var keepInfluence = false
    /// Keep the bootstrap replicate values (rank intervals need them).
    var keepReplicates = false

    public init(confidenceLevel: Double = 0.95, intervalMethod: IntervalMethod = .beta,
                design: DesignSpecification = .init(), smallSample: Int = 30, bootstrap: BootstrapOptions = .init()) {
        self.confidenceLevel = confidenceLevel
        self.intervalMethod = intervalMethod
        self.design = design
        self.smallSample = smallSample
        self.bootstrap = bootstrap
    }
}

/// Bootstrap settings; the seed is printed with every bootstrap result.
public struct BootstrapOptions: Sendable {
    /// nil: Rao–Wu when clusters are declared, respondent-level otherwise.
    public var method: BootstrapMethod?
    public var replicates: Int
    public var seed: UInt64
    public init(method: BootstrapMethod? = nil, replicates: Int = 1000, seed: UInt64 = 2024) {
        self.method = method; self.replicates = replicates; self.seed = seed
    }
}
