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
