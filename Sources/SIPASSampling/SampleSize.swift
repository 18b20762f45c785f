import SIPASSupport

/// The sample size that gives a target margin of error, step by step, so every intermediate is visible.
public struct SampleSizeResult: Equatable, Sendable {
    /// The two-sided normal quantile z for the confidence level (1.959964 at 95%).
    public var z: Double
    /// The standard deviation assumed, in the units of the margin (index points or percentage points).
    public var standardDeviation: Double
    /// The target margin of error (half-width of the confidence interval).
    public var margin: Double
    /// n₀ = (z · SD / e)²: simple random sampling from an infinite population.
    public var simpleRandom: Double
    /// The design effect applied (1 for simple random sampling).
    public var designEffect: Double
    /// n₀ · deff.
    public var withDesignEffect: Double
    /// The population size N when a finite-population correction was applied.
    public var population: Int?
    /// n = n′ / (1 + (n′ − 1) / N) with n′ = n₀ · deff; equal to `withDesignEffect` without N.
    public var finite: Double
    /// ⌈n⌉ (capped at N): the forms to collect.
    public var required: Int
}

/// What the Huế schedule asks for a unit with a given number of yearly transactions.
public enum HueRequirement: Equatable, Sendable {
    /// Fewer than 100 transactions a year: every transaction is surveyed (100%).
    case census
    /// At least this many returned forms.
    case atLeast(Int)

    /// The number of returned forms this requirement means for a unit with `transactions` a year.
    public func minimumReturns(transactions: Int) -> Int {
        switch self {
        case .census: return transactions
        case .atLeast(let forms): return forms
        }
    }
}

/// Sample sizes for a margin of error, with the finite-population correction and a design effect, and the rules
/// of thumb used in Vietnamese provinces (Yamane; the Huế schedule), each with the margin it actually buys.
///
/// Order of the corrections (stated because it changes the answer slightly): first n₀ = (z·SD/e)², then the
/// design effect n′ = n₀·deff, then the finite-population correction n = n′/(1 + (n′ − 1)/N), then round up.
/// The margin a given n buys inverts exactly the same chain: e(n) = z·SD·√(deff·(N − n)/(n·(N − 1))), or
/// z·SD·√(deff/n) without N; so margin(required(e)) ≤ e always.
///
/// Source: Cochran (1977) Sampling Techniques, §4.4 (n₀ and the FPC) and Kish (1965) §5.4 (deff); Khánh Hòa
/// Decision 2782, Art. 6.2 (seed 004: "độ tin cậy từ 95% trở lên").
public enum SampleSize {
    /// z = Φ⁻¹(1 − (1 − confidence)/2), e.g. 1.959964 for 0.95.
    public static func z(confidence: Double) -> Double {
        Distribution.normalQuantile(1 - (1 - confidence) / 2)
    }

    /// The design effect of a cluster sample: deff = 1 + (m − 1)·ICC for clusters of average size m.
    ///
    /// Source: Kish (1965) Survey Sampling, §5.4.
    public static func designEffect(intraclassCorrelation icc: Double, clusterSize m: Double) -> Double {
        1 + (m - 1) * icc
    }

    /// The standard deviation of a yes/no share in percentage points: 100·√(p(1 − p)) (50 at p = 0.5).
    public static func proportionStandardDeviation(_ p: Double) -> Double { 100 * (p * (1 - p)).squareRoot() }

    /// The sample standard deviation (divisor n − 1) of `values`, rescaled to index points: a score on a 1…max
    /// scale becomes an index as score / max × 100 (Lai Châu §6.2; Khánh Hòa Art. 7), so SD_index = SD · 100 / max.
    public static func indexStandardDeviation(scores values: [Double], scaleMaximum: Double) throws -> Double {
        guard values.count >= 2 else {
            throw SamplingError(vi: "khảo sát thử cần ít nhất 2 câu trả lời để ước lượng độ lệch chuẩn (mới có \(values.count))",
                                en: "a pilot needs at least 2 answered values to estimate a standard deviation (found \(values.count))")
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let sumSquares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (sumSquares / Double(values.count - 1)).squareRoot() * 100 / scaleMaximum
    }

    /// The sample size for a margin of error `margin` (same units as `standardDeviation`).
    ///
    /// - Parameters:
    ///   - standardDeviation: the assumed SD of the score in index points (or percentage points for a share).
    ///   - margin: the target half-width of the interval, e > 0.
    ///   - confidence: two-sided confidence level, 0.95 by default.
    ///   - population: N for the finite-population correction (nil: none).
    ///   - designEffect: deff ≥ 1 for a clustered design (1: simple random sampling).
    /// - Throws: `SamplingError` for inputs out of range, and when the answer is no usable number of forms: not
    ///   finite, or more than `SamplingError.maximumForms` (the margin is too small for the SD).
    public static func required(standardDeviation: Double, margin: Double, confidence: Double = 0.95,
                                population: Int? = nil, designEffect: Double = 1) throws -> SampleSizeResult
    {
        try check(standardDeviation: standardDeviation, confidence: confidence, population: population,
                  designEffect: designEffect)
        guard margin > 0, margin.isFinite else { throw SamplingError(vi: "sai số phải lớn hơn 0", en: "the margin of error must be above 0") }
        let z = z(confidence: confidence)
        let n0 = (z * standardDeviation / margin) * (z * standardDeviation / margin)
        let withDeff = n0 * designEffect
        var finite = withDeff
        if let population, withDeff.isFinite { finite = withDeff / (1 + (withDeff - 1) / Double(population)) }
        guard var required = SamplingArithmetic.forms((finite - 1e-9).rounded(.up)) else {
            let short = SamplingArithmetic.short, shortVi = SamplingArithmetic.shortVi
            let size = finite.isFinite
                ? "about \(short(finite)) forms" + (population.map { " even after the finite-population correction for N = \($0)" } ?? "")
                    + ", more than \(SamplingArithmetic.maximumFormsText)"
                : "more forms than can be counted"
            let sizeVi = finite.isFinite
                ? "khoảng \(shortVi(finite)) phiếu"
                    + (population.map { " kể cả sau khi hiệu chỉnh tổng thể hữu hạn với N = \(SamplingArithmetic.groupedVi($0))" } ?? "")
                    + ", nhiều hơn \(SamplingArithmetic.maximumFormsTextVi)"
                : "nhiều phiếu hơn mức đếm được"
            throw SamplingError(vi: "sai số ±\(shortVi(margin)) với SD \(shortVi(standardDeviation)) và hệ số thiết kế "
                                    + "\(shortVi(designEffect)) cần \(sizeVi) (n₀ = (z·SD/e)² = \(shortVi(n0))): "
                                    + "sai số quá nhỏ so với SD",
                                en: "a margin of ±\(short(margin)) with SD \(short(standardDeviation)) and design effect "
                                    + "\(short(designEffect)) needs \(size) (n₀ = (z·SD/e)² = \(short(n0))): "
                                    + "the margin is too small for the SD")
        }
        required = max(required, 1)
        if let population { required = min(required, population) }
        return SampleSizeResult(z: z, standardDeviation: standardDeviation, margin: margin, simpleRandom: n0,
                                designEffect: designEffect, withDesignEffect: withDeff, population: population,
                                finite: finite, required: required)
    }

    /// The margin of error that `n` forms buy: z·SD·√(deff·(N − n)/(n·(N − 1))), or z·SD·√(deff/n) without N.
    /// Zero for a census (n ≥ N).
    public static func margin(sampleSize n: Int, standardDeviation: Double, confidence: Double = 0.95,
                              population: Int? = nil, designEffect: Double = 1) throws -> Double
    {
        try check(standardDeviation: standardDeviation, confidence: confidence, population: population,
                  designEffect: designEffect)
        guard n >= 1 else { throw SamplingError(vi: "cỡ mẫu phải ít nhất là 1 (đã ghi \(n))", en: "a sample size must be at least 1 (found \(n))") }
        let z = z(confidence: confidence)
        var variance = designEffect / Double(n)
        if let population {
            if n >= population { return 0 }
            variance = designEffect * Double(population - n) / (Double(n) * Double(population - 1))
        }
        let margin = z * standardDeviation * variance.squareRoot()
        guard margin.isFinite else {
            throw SamplingError(vi: "sai số của \(SamplingArithmetic.groupedVi(n)) phiếu với SD \(SamplingArithmetic.shortVi(standardDeviation)) và "
                                    + "hệ số thiết kế \(SamplingArithmetic.shortVi(designEffect)) vượt quá số lớn nhất",
                                en: "the margin that \(n) forms buy with SD \(SamplingArithmetic.short(standardDeviation)) and "
                                    + "design effect \(SamplingArithmetic.short(designEffect)) is beyond the largest number")
        }
        return margin
    }

    /// Yamane's rule n = N / (1 + N·e²), e the precision as a fraction (0.05 for ±5%); not rounded.
    ///
    /// Source: Yamane (1967) Statistics: An Introductory Analysis, p. 886; used by the national SIPAS method of 2012.
    public static func yamane(population: Int, precision e: Double) throws -> Double {
        guard population >= 1 else { throw SamplingError(vi: "công thức Yamane cần tổng thể ít nhất là 1",
                                                                 en: "Yamane's rule needs a population of at least 1") }
        guard e > 0, e < 1 else { throw SamplingError(vi: "độ chính xác e của Yamane phải nằm giữa 0 và 1 (ví dụ 0,05)",
                                                        en: "Yamane's precision e must be between 0 and 1 (e.g. 0.05)") }
        let size = Double(population)
        return size / (1 + size * e * e)
    }

    /// Yamane's n rounded up, ⌈N / (1 + N·e²)⌉, at most N.
    ///
    /// - Throws: `SamplingError` when it is more than `SamplingError.maximumForms` (e too small for this N).
    public static func yamaneSampleSize(population: Int, precision e: Double) throws -> Int {
        let size = try yamane(population: population, precision: e)
        guard let forms = SamplingArithmetic.forms((size - 1e-9).rounded(.up)) else {
            throw SamplingError(vi: "công thức Yamane N/(1 + N·e²) với N = \(SamplingArithmetic.groupedVi(population)) và "
                                    + "e = \(SamplingArithmetic.shortVi(e)) cần khoảng \(SamplingArithmetic.shortVi(size)) phiếu, nhiều hơn "
                                    + "\(SamplingArithmetic.maximumFormsTextVi): e quá nhỏ so với N này",
                                en: "Yamane's rule N/(1 + N·e²) with N = \(population) and e = \(SamplingArithmetic.short(e)) "
                                    + "asks for about \(SamplingArithmetic.short(size)) forms, more than "
                                    + "\(SamplingArithmetic.maximumFormsText): e is too small for this N")
        }
        return min(forms, population)
    }

    /// The Huế minimum of returned forms for a unit with `transactions` yearly transactions (seed 003, II.3),
    /// boundaries exactly as written:
    ///
    /// | transactions a year | minimum returned |
    /// |---|---|
    /// | fewer than 100 ("Dưới 100 hồ sơ") | all (100%) |
    /// | 100 to fewer than 1,000 ("Từ 100 đến dưới 1.000") | 100 |
    /// | 1,000 to fewer than 5,000 ("Từ 1.000 đến dưới 5.000") | 200 |
    /// | 5,000 or more ("Từ 5.000 hồ sơ trở lên") | 500 |
    ///
    /// Source: Thừa Thiên Huế 2024 plan (seed 003), section II.3 "Chọn mẫu khảo sát".
    public static func hueRequirement(transactions: Int) throws -> HueRequirement {
        guard transactions >= 0 else { throw SamplingError(vi: "số hồ sơ một năm không được âm", en: "yearly transactions cannot be negative") }
        switch transactions {
        case ..<100: return .census
        case ..<1000: return .atLeast(100)
        case ..<5000: return .atLeast(200)
        default: return .atLeast(500)
        }
    }

    /// The Huế minimum as a number of forms (all of them below 100 transactions).
    public static func hueMinimumReturns(transactions: Int) throws -> Int {
        try hueRequirement(transactions: transactions).minimumReturns(transactions: transactions)
    }

    private static func check(standardDeviation: Double, confidence: Double, population: Int?, designEffect: Double) throws {
        guard standardDeviation > 0, standardDeviation.isFinite else {
            throw SamplingError(vi: "độ lệch chuẩn phải lớn hơn 0", en: "the standard deviation must be above 0")
        }
        guard confidence > 0, confidence < 1 else {
            throw SamplingError(vi: "độ tin cậy phải nằm giữa 0 và 1 (ví dụ 0,95)", en: "the confidence level must be between 0 and 1 (e.g. 0.95)")
        }
        if let population, population < 1 { throw SamplingError(vi: "tổng thể N phải ít nhất là 1", en: "the population N must be at least 1") }
        guard designEffect >= 1, designEffect.isFinite else {
            throw SamplingError(vi: "hệ số thiết kế phải là số hữu hạn, ít nhất là 1 (1 = mẫu ngẫu nhiên đơn giản); "
                                    + "đã ghi \(SamplingArithmetic.shortVi(designEffect))",
                                en: "the design effect must be a finite number of at least 1 (1 = simple random sampling); "
                                    + "found \(SamplingArithmetic.short(designEffect))")
        }
    }
}

/// One line of the comparison `sipas sample size` prints: a way of choosing n and the margin it buys.
public struct SampleSizeComparison: Equatable, Sendable {
    public var rule: String
    public var sampleSize: Int
    public var margin: Double

    public init(rule: String, sampleSize: Int, margin: Double) {
        self.rule = rule; self.sampleSize = sampleSize; self.margin = margin
    }
}
