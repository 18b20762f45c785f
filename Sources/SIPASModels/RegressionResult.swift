import SIPASInstrument
import SIPASData
import SIPASLinearAlgebra

/// How the covariance of the coefficients (and so the standard errors) is estimated.
///
public enum StandardErrorType: Equatable, Sendable, CustomStringConvertible {
    /// σ² (XᵀWX)⁻¹: homoskedastic, independent errors.
    case classical
    /// White's heteroskedasticity-consistent estimator, no small-sample correction.
    case hc0
    /// HC0 × n / (n − k) (Hinkley 1977); Stata's `robust`.
    case hc1
    /// Squared residuals divided by (1 − hᵢ) (MacKinnon & White 1985).
    case hc2
    /// Squared residuals divided by (1 − hᵢ)² (MacKinnon & White 1985; approximates the jackknife).
    case hc3
    /// Cluster-robust (Liang & Zeger 1986; Arellano 1987) with the HC1-type adjustment
    /// G/(G − 1) · (n − 1)/(n − k), as R `sandwich::vcovCL(fit, cluster = ~g)` with its defaults.
    case cluster
    /// Design-based (Taylor linearization) over a survey design — strata, multi-stage clusters, weights,
    /// finite-population correction — as R `survey::svyglm` (gaussian): the design covariance of the influence
    /// values zᵢ = (XᵀWX)⁻¹ xᵢ wᵢ eᵢ, with t on degf − k + 1 degrees of freedom.
    case design

    public var description: String {
        switch self {
        case .classical: return "classical"
        case .hc0: return "HC0"
        case .hc1: return "HC1"
        case .hc2: return "HC2"
        case .hc3: return "HC3"
        case .cluster: return "cluster"
        case .design: return "design-based"
        }
    }

    /// The name in a language: classical/cluster/design-based have Vietnamese names; HC0–HC3 are names.
    public func name(_ language: Language) -> String {
        guard language == .vi else { return description }
        switch self {
        case .classical: return "cổ điển"
        case .cluster: return "theo cụm"
        case .design: return "theo thiết kế mẫu"
        default: return description
        }
    }
}

/// One estimated coefficient with its inference.
public struct RegressionCoefficient: Equatable, Sendable {
    /// "(Intercept)" or the predictor's name.
    public let term: String
    public let estimate: Double
    public let standardError: Double
    /// estimate / standardError.
    public let tStatistic: Double
    /// Two-sided p-value 2·P(T > |t|) with the inference degrees of freedom.
    public let pValue: Double
    /// estimate ± t₁₋α/₂(df) · standardError.
    public let confidenceLower: Double
    public let confidenceUpper: Double
    /// b · sd(x) / sd(y) (weighted standard deviations for WLS); nil for the intercept.
    public let standardizedBeta: Double?
    /// 1 / (1 − R²ⱼ), R²ⱼ from regressing this predictor on the others (with the fit's weights and
    /// intercept); nil for the intercept and for models without an intercept.
    public let varianceInflation: Double?
}

/// The immutable result of a linear regression fit (`LinearRegression.fit`).
public struct RegressionResult: Sendable {
    public let responseName: String
    public let coefficients: [RegressionCoefficient]
    /// Covariance of the coefficients of type `standardErrorType`, in the order of `coefficients`.
    public let covariance: Matrix
    public let standardErrorType: StandardErrorType
    public let confidenceLevel: Double
    public let includesIntercept: Bool
    /// Name of the weight column for weighted least squares, else nil.
    public let weightName: String?
    public let clusterName: String?
    /// Number of clusters (cluster-robust SEs only).
    public let clusterCount: Int?
    /// Rows used (n).
    public let observationCount: Int
    /// n − k.
    public let residualDegreesOfFreedom: Int
    /// Degrees of freedom of the t and F reference distributions: n − k, or with design-based SEs the design's
    /// degrees of freedom (PSUs − strata with rows in the fit) − k + 1, as `svyglm`'s `df.residual`.
    public let inferenceDegreesOfFreedom: Int
    /// The survey design as declared (design-based SEs only).
    public let designSummary: LocalizedText?
    /// Σ wᵢ eᵢ².
    public let residualSumOfSquares: Double
    /// 1 − RSS/TSS; TSS is centred (around the weighted mean) with an intercept, uncentred (Σ w y²) without.
    public let rSquared: Double
    /// 1 − (1 − R²)(n − i)/(n − k), i = 1 with an intercept, 0 without (R's `summary.lm`).
    public let adjustedRSquared: Double
    /// Residual standard error √(RSS / (n − k)).
    public let sigma: Double
    /// Classical overall F test of all slopes: ((TSS − RSS)/(k − i)) / σ², with (k − i, n − k) degrees of
    /// freedom; nil when the model has no slopes.
    public let fStatistic: Double?
    public let fPValue: Double?
    public let fDegreesOfFreedom: (numerator: Int, denominator: Int)?
    /// Wald F of all slopes with the chosen robust covariance, b'V⁻¹b / q on (q, n − k) degrees of freedom
    /// (as `lmtest::waldtest(fit, vcov = V, test = "F")`; design-based: (q, degf − k + 1), as
    /// `survey::regTermTest(fit, ~x1 + …, method = "Wald")`); nil for classical SEs or when V is singular.
    public let robustFStatistic: Double?
    public let robustFPValue: Double?
    /// 2-norm condition number of the (weighted) design with each column scaled to unit length (Belsley,
    /// Kuh & Welsch 1980): above ~30 collinearity starts to matter.
    public let conditionNumber: Double
    /// 2-norm condition number of the (weighted) design as given, unscaled (depends on the units of x).
    public let unscaledConditionNumber: Double
    /// Rows read, used and excluded with reasons.
    public let rows: RowAccounting
    /// Caveats a reader must see (high VIF, ill-conditioning, few clusters, …), in every output format.
    public let notes: [Note]
    /// Wild cluster bootstrap-t p-values and intervals, when requested (`WildClusterBootstrap.run`).
    public var wildBootstrap: WildClusterBootstrapResult? = nil

    public func coefficient(_ term: String) -> RegressionCoefficient? { coefficients.first { $0.term == term } }
}
