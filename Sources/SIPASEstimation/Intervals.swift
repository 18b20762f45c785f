import SIPASInstrument
import SIPASSupport

/// How a confidence interval is built from an estimate and its variance.
public enum IntervalMethod: String, CaseIterable, Sendable {
    /// estimate ± t(df) · SE. Can cross the scale's bounds and has zero width when the variance is zero.
    case t
    /// A t-interval on the logit of the rescaled estimate θ = (x − L)/(U − L), transformed back; stays
    /// inside the bounds (R `svyciprop(method = "logit")` for proportions). Falls back to `beta` at θ = 0 or 1
    /// or with zero variance, where the logit is undefined.
    case logit
    /// Korn & Graubard (1998): a Clopper–Pearson interval for θ with the effective sample size
    /// n* = θ(1−θ)/Var(θ) · (t(n−1)/t(df))² (R `svyciprop(method = "beta")`). Stays inside the bounds and keeps
    /// a positive width when everyone gave the same answer (then n* = the number of respondents). The default.
    case beta
    /// The Wilson score interval for θ with the effective sample size n* = θ(1−θ)/Var(θ) (normal quantile).
    case wilson
    /// Bootstrap percentile interval: the α/2 and 1 − α/2 quantiles of the replicate estimates.
    case percentile
    /// Bootstrap bias-corrected and accelerated interval (Efron 1987), acceleration from influence values.
    case bca

    public var isBootstrap: Bool { self == .percentile || self == .bca }

    /// The same method as one computed from the estimate and its variance alone; nil for the bootstrap methods.
    public var analytic: AnalyticIntervalMethod? { AnalyticIntervalMethod(rawValue: rawValue) }
}

/// The interval methods that need only an estimate and its variance (no replicates): what a command without a
/// bootstrap offers, so a bootstrap method cannot reach code that has no replicates to build it from.
public enum AnalyticIntervalMethod: String, CaseIterable, Sendable {
    case t, logit, beta, wilson

    public var method: IntervalMethod { IntervalMethod(rawValue: rawValue)! }
}

/// What an interval needs to know about one estimate.
struct IntervalInput {
    /// The estimate and the ends of its scale, in percent (a likert5 index lives in [20, 100]).
    var estimate: Double
    var variance: Double
    var lowerBound: Double
    var upperBound: Double
    /// Degrees of freedom of the t quantile (design df, or respondents − 1 for a simple random sample).
    var degreesOfFreedom: Int
    /// Degrees of freedom for the bounded methods' quantiles (≤ `degreesOfFreedom`; Satterthwaite).
    var intervalDegreesOfFreedom: Double? = nil
    /// Respondents behind the estimate: the effective sample size used when the variance is zero.
    var respondents: Int
    /// Rows of the whole design, for Korn–Graubard's degrees-of-freedom correction (nil: no correction).
    var designRows: Int?
    /// Apply that correction to the Wilson interval's effective sample size too (`IndexOptions.wilsonDegreesOfFreedomCorrection`).
    var wilsonCorrection = false
    var level: Double
}

struct IntervalResult {
    var lower: Double
    var upper: Double
    var method: IntervalMethod
    var notes: [Note]
}

enum Interval {
    static func compute(_ method: AnalyticIntervalMethod, _ input: IntervalInput) -> IntervalResult {
        let alpha = 1 - input.level
        let df = method == .t ? Double(max(1, input.degreesOfFreedom))
            : max(1, input.intervalDegreesOfFreedom ?? Double(input.degreesOfFreedom))
        let t = Distribution.studentTQuantile(1 - alpha / 2, degreesOfFreedom: df)
        let se = input.variance.squareRoot()
        let range = input.upperBound - input.lowerBound
        // Snap rounding noise: an estimate within 1e-12 of a bound is at the bound, and a standard error below
        // 1e-7 of the scale (all answers equal, up to floating-point residue) is zero.
        var theta = min(1, max(0, (input.estimate - input.lowerBound) / range))
        if theta < 1e-12 { theta = 0 } else if theta > 1 - 1e-12 { theta = 1 }
        var thetaVariance = input.variance / (range * range)
        if thetaVariance < 1e-14 { thetaVariance = 0 }
        switch method {
        case .t:
            var notes: [Note] = []
            // The same "numerically zero" rule as the bounded methods: a standard error below 1e-7 of the scale
            // (e.g. 2e-15 from a weighted, clustered sum of identical answers) gives a zero-width interval with its note.
            let width = thetaVariance == 0 ? 0 : t * se
            let lower = input.estimate - width, upper = input.estimate + width
            if width == 0 {
                notes.append(Note(.zeroVariance, vi: "phương sai mẫu bằng 0: khoảng t có độ rộng 0",
                                  en: "zero sample variance: the t-interval has zero width"))
            }
            if upper > input.upperBound + 1e-9 || lower < input.lowerBound - 1e-9 {
                notes.append(Note(vi: "khoảng t vượt ra ngoài giới hạn của thang đo", en: "the t-interval extends past the scale's bounds"))
            }
            return IntervalResult(lower: lower, upper: upper, method: .t, notes: notes)
        case .logit:
            guard theta > 0, theta < 1, thetaVariance > 0 else {
                var result = compute(.beta, input)
                result.notes.insert(Note(.logitFallback, vi: "logit không xác định tại giới hạn hoặc khi phương sai bằng 0: dùng Korn–Graubard (beta)",
                                         en: "logit undefined at the bound or with zero variance: Korn–Graubard (beta) used"), at: 0)
                return result
            }
            let logit = log(theta / (1 - theta))
            let half = t * thetaVariance.squareRoot() / (theta * (1 - theta))
            return IntervalResult(lower: input.lowerBound + range * expit(logit - half),
                                  upper: input.lowerBound + range * expit(logit + half), method: .logit, notes: [])
        case .beta, .wilson:
            var notes: [Note] = []
            var effective: Double
            if thetaVariance > 0 && theta > 0 && theta < 1 {
                effective = theta * (1 - theta) / thetaVariance
            } else {
                effective = Double(input.respondents)
                notes.append(thetaVariance > 0
                    ? Note(.effectiveSampleSize, vi: "ước lượng nằm tại giới hạn thang đo: cỡ mẫu hiệu dụng = số người trả lời",
                           en: "estimate at the scale's bound: effective sample size = respondents")
                    : Note(.effectiveSampleSize, vi: "phương sai mẫu bằng 0: cỡ mẫu hiệu dụng = số người trả lời (\(input.respondents))",
                           en: "zero sample variance: effective sample size = respondents (\(input.respondents))"))
            }
            // Korn & Graubard (1998): the effective n scaled by (t(n−1)/t(df))², so that a design with few PSUs
            // widens the interval as its t quantile would; for Wilson, Dean & Pagano's (2015) modified Wilson.
            if method == .beta || input.wilsonCorrection, let rows = input.designRows, rows > 1 {
                let correction = Distribution.studentTQuantile(alpha / 2, degreesOfFreedom: Double(rows - 1))
                    / Distribution.studentTQuantile(alpha / 2, degreesOfFreedom: df)
                effective *= correction * correction
            }
            if method == .wilson {
                let z = Distribution.normalQuantile(1 - alpha / 2), n = effective
                let denominator = 1 + z * z / n
                let centre = (theta + z * z / (2 * n)) / denominator
                let half = z / denominator * (theta * (1 - theta) / n + z * z / (4 * n * n)).squareRoot()
                return IntervalResult(lower: input.lowerBound + range * max(0, centre - half),
                                      upper: input.lowerBound + range * min(1, centre + half), method: .wilson, notes: notes)
            }
            let successes = effective * theta
            let lower = theta <= 0 ? 0 : Distribution.betaQuantile(alpha / 2, successes, effective - successes + 1)
            let upper = theta >= 1 ? 1 : Distribution.betaQuantile(1 - alpha / 2, successes + 1, effective - successes)
            return IntervalResult(lower: input.lowerBound + range * lower, upper: input.lowerBound + range * upper,
                                  method: .beta, notes: notes)
        }
    }

    static func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}

import Foundation

/// Intervals from bootstrap replicates.
enum BootstrapInterval {
    /// Percentile or BCa interval of `estimate` from replicate values (nil replicates are skipped).
    static func compute(_ method: IntervalMethod, estimate: Double, replicates: [Double?], acceleration: Double?,
                        level: Double) -> (lower: Double, upper: Double, standardError: Double, notes: [Note])? {
        let values = replicates.compactMap { $0 }.filter(\.isFinite).sorted()
        guard values.count >= 2 else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let se = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        var notes: [Note] = []
        if values.count < replicates.count {
            let skipped = replicates.count - values.count
            notes.append(Note(.bootstrap, vi: "\(skipped) lần lặp không có ước lượng và được bỏ qua",
                              en: "\(skipped) replicates had no estimate and were skipped"))
        }
        if se == 0 {
            notes.append(Note(.zeroVariance, vi: "mọi lần lặp cho cùng một giá trị: khoảng bootstrap có độ rộng 0",
                              en: "every replicate gave the same value: the bootstrap interval has zero width"))
        }
        let alpha = 1 - level
        var lowerP = alpha / 2, upperP = 1 - alpha / 2
        if method == .bca {
            let below = Double(values.filter { $0 < estimate }.count), equal = Double(values.filter { $0 == estimate }.count)
            let proportion = (below + equal / 2) / Double(values.count)
            if proportion > 0 && proportion < 1 {
                let z0 = Distribution.normalQuantile(proportion)
                let a = acceleration ?? 0
                func adjusted(_ p: Double) -> Double {
                    let z = Distribution.normalQuantile(p)
                    let shifted = z0 + (z0 + z) / (1 - a * (z0 + z))
                    return Distribution.normalCDF(shifted)
                }
                lowerP = adjusted(alpha / 2)
                upperP = adjusted(1 - alpha / 2)
            } else {
                notes.append(Note(.bootstrap, vi: "không hiệu chỉnh độ chệch được (mọi lần lặp ở một phía của ước lượng): dùng khoảng phân vị",
                                  en: "bias correction undefined (all replicates on one side of the estimate): percentile interval used"))
            }
        }
        return (OrderStatistics.quantile(sorted: values, lowerP), OrderStatistics.quantile(sorted: values, upperP), se, notes)
    }
}
