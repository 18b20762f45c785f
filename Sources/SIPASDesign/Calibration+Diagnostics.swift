import SIPASSupport
/// What an analyst checks after calibrating: how far the weights moved and what they cost in precision.
///
/// - g = w / d: the adjustment of each design weight. Values far from 1 mean the sample's mix of the
///   margins' categories differed much from the population's.
/// - Kish's weighting design effect deff_w = n Σw² / (Σw)² = 1 + CV²(w): the factor by which unequal weights
///   alone inflate the variance of a mean, and the effective sample size n / deff_w (Kish 1965, §11.7).
///   Reported for the design weights and the calibrated weights: the difference is what calibration cost
///   (calibration can also reduce the variance of estimates related to the margins, which deff_w does not see).
public struct WeightDiagnostics: Sendable {
    public struct Summary: Sendable {
        public let sum: Double
        public let minimum: Double
        public let maximum: Double
        public let kishDesignEffect: Double
        public let effectiveSampleSize: Double
    }

    /// A row with one of the largest calibrated weights.
    public struct LargeWeight: Sendable {
        /// Position among the design rows (0-based).
        public let designRow: Int
        public let weight: Double
        public let designWeight: Double
        /// "gender = nu, age_group = 60+".
        public let cell: String
        public var g: Double { weight / designWeight }
    }

    public let rowCount: Int
    public let before: Summary
    public let after: Summary
    /// g at the probabilities `quantileLevels` (R's default quantile, type 7).
    public let quantileLevels: [Double]
    public let gQuantiles: [Double]
    public let largest: [LargeWeight]

    public static let defaultLevels = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1]

    /// The diagnostics of `result`, with the `largest` heaviest rows described by their margin categories.
    public init(_ result: CalibrationResult, specification: CalibrationSpecification, data: CalibrationData, largest count: Int = 10) {
        rowCount = result.weights.count
        before = Self.summary(result.designWeights)
        after = Self.summary(result.weights)
        quantileLevels = Self.defaultLevels
        let sortedG = result.g.sorted()
        gQuantiles = quantileLevels.map { OrderStatistics.quantile(sorted: sortedG, $0) }
        let order = result.weights.indices.sorted { result.weights[$0] > result.weights[$1] || (result.weights[$0] == result.weights[$1] && $0 < $1) }
        largest = order.prefix(max(0, count)).map { row in
            let cell = specification.margins.enumerated().map { m, margin in
                "\(margin.name) = \(margin.label(Int(data.marginCodes[m][row])))"
            }.joined(separator: ", ")
            return LargeWeight(designRow: row, weight: result.weights[row], designWeight: result.designWeights[row], cell: cell)
        }
    }

    static func summary(_ weights: [Double]) -> Summary {
        let sum = weights.reduce(0, +)
        let squares = weights.reduce(0) { $0 + $1 * $1 }
        let n = Double(weights.count)
        let deff = sum != 0 ? n * squares / (sum * sum) : .nan
        return Summary(sum: sum, minimum: weights.min() ?? .nan, maximum: weights.max() ?? .nan, kishDesignEffect: deff,
                       effectiveSampleSize: squares > 0 ? sum * sum / squares : .nan)
    }
}
