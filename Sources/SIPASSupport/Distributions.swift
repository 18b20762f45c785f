import CRmath

/// Quantiles of the distributions used for intervals, from R's own math library (libRmath), so they match
/// R to the last digit.
public enum Distribution {
    /// The p-quantile of Student's t with `degreesOfFreedom` (R's `qt(p, df)`).
    public static func studentTQuantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        qt(p, degreesOfFreedom, 1, 0)
    }

    /// The p-quantile of the standard normal distribution (R's `qnorm(p)`).
    public static func normalQuantile(_ p: Double) -> Double {
        qnorm5(p, 0, 1, 1, 0)
    }

    /// P(T ≤ t) for Student's t (R's `pt(t, df)`).
    public static func studentTCDF(_ t: Double, degreesOfFreedom: Double) -> Double {
        pt(t, degreesOfFreedom, 1, 0)
    }
}

extension Distribution {
    /// The p-quantile of the Beta(a, b) distribution (R's `qbeta(p, a, b)`).
    public static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
        qbeta(p, a, b, 1, 0)
    }
}

extension Distribution {
    /// P(Z ≤ z) for the standard normal (R's `pnorm(z)`).
    public static func normalCDF(_ z: Double) -> Double { pnorm5(z, 0, 1, 1, 0) }
}

// MARK: - Tails and quantiles for tests (t, F, chi-square)

extension Distribution {
    /// P(T > t) for Student's t (R's `pt(t, df, lower.tail = FALSE)`), computed in the upper tail directly
    /// so far-tail probabilities keep their relative accuracy.
    public static func studentTUpperTail(_ t: Double, degreesOfFreedom: Double) -> Double {
        pt(t, degreesOfFreedom, 0, 0)
    }

    /// The two-sided p-value P(|T| ≥ |t|) = 2 · pt(−|t|, df), which keeps full relative accuracy for large
    /// |t| (1 − 2·pt(|t|) would cancel to zero).
    public static func studentTTwoSidedPValue(_ t: Double, degreesOfFreedom: Double) -> Double {
        guard !t.isNaN else { return .nan }
        return 2 * pt(-abs(t), degreesOfFreedom, 1, 0)
    }

    /// P(F ≤ x) for the F distribution with (`numerator`, `denominator`) degrees of freedom (R's `pf`).
    public static func fCDF(_ x: Double, numerator: Double, denominator: Double) -> Double {
        pf(x, numerator, denominator, 1, 0)
    }

    /// P(F > x), the p-value of an F test (R's `pf(x, df1, df2, lower.tail = FALSE)`), computed in the upper
    /// tail directly rather than as 1 − cdf.
    public static func fUpperTail(_ x: Double, numerator: Double, denominator: Double) -> Double {
        pf(x, numerator, denominator, 0, 0)
    }

    /// The quantile of F: the x with P(F ≤ x) = p, or with `upperTail`, P(F > x) = p (R's `qf`).
    public static func fQuantile(_ p: Double, numerator: Double, denominator: Double, upperTail: Bool = false) -> Double {
        qf(p, numerator, denominator, upperTail ? 0 : 1, 0)
    }

    /// P(X ≤ x) for chi-square with `degreesOfFreedom` (R's `pchisq`).
    public static func chiSquaredCDF(_ x: Double, degreesOfFreedom: Double) -> Double {
        pchisq(x, degreesOfFreedom, 1, 0)
    }

    /// P(X > x) for chi-square (R's `pchisq(x, df, lower.tail = FALSE)`), computed in the upper tail directly.
    public static func chiSquaredUpperTail(_ x: Double, degreesOfFreedom: Double) -> Double {
        pchisq(x, degreesOfFreedom, 0, 0)
    }

    /// The chi-square quantile: P(X ≤ x) = p, or with `upperTail`, P(X > x) = p (R's `qchisq`).
    public static func chiSquaredQuantile(_ p: Double, degreesOfFreedom: Double, upperTail: Bool = false) -> Double {
        qchisq(p, degreesOfFreedom, upperTail ? 0 : 1, 0)
    }

    /// The Student t quantile with a choice of tail (R's `qt(p, df, lower.tail)`).
    public static func studentTQuantile(_ p: Double, degreesOfFreedom: Double, upperTail: Bool) -> Double {
        qt(p, degreesOfFreedom, upperTail ? 0 : 1, 0)
    }
}
