/// Quantiles and medians of samples, written once for every module (bootstrap intervals, weight diagnostics,
/// relative-importance intervals, the report's median unit, the comparison summary).
public enum OrderStatistics {
    /// R's `quantile(x, p, type = 7)` of values already sorted ascending: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]),
    /// h = (n − 1)p, indices from 0. NaN for an empty sample.
    /// Source: Hyndman & Fan (1996), definition 7; R's `?quantile`.
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * p
        let low = max(0, min(sorted.count - 1, Int(h.rounded(.down))))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }

    /// The median: the middle value, or the mean of the two middle values for an even count (R's `median`).
    /// `nil` for an empty sample.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

/// Degrees of freedom of a sum of independent variance estimates.
public enum Welch {
    /// The Welch–Satterthwaite degrees of freedom of V₁ + V₂ + …: (ΣVᵢ)² / Σ(Vᵢ²/dfᵢ). `nil` when the result is
    /// not a positive finite number (all variances zero, a df of zero).
    /// Source: Satterthwaite (1946), "An approximate distribution of estimates of variance components";
    /// Welch (1947); Lumley (2010) §3.3.
    public static func degreesOfFreedom(_ parts: [(variance: Double, degreesOfFreedom: Double)]) -> Double? {
        let total = parts.reduce(0) { $0 + $1.variance }
        let denominator = parts.reduce(0) { $0 + $1.variance * $1.variance / $1.degreesOfFreedom }
        let df = total * total / denominator
        return df.isFinite && df > 0 ? df : nil
    }
}
