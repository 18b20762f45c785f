/// Data-caused trouble in a model: each case says which variable (and where relevant which row) and what was
/// expected. Library code throws these; the CLI prints their descriptions.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// Predictors that are (numerically) linear combinations of the others, by name. `tolerance` is the
    /// relative size below which a pivot of the column-equilibrated QR factor counts as zero.
    case collinear(predictors: [String], tolerance: Double)
    /// A predictor (or scale item) that takes a single value over the rows used.
    case zeroVariance(variable: String)
    /// Too few usable rows for the number of parameters (n must exceed the parameter count).
    case tooFewObservations(observations: Int, parameters: Int)
    /// A weight that is zero, negative or not finite; `row` is the 1-based data row of the file.
    case invalidWeight(row: Int, column: String, value: Double)
    /// Cluster-robust standard errors need at least two clusters.
    case singleCluster(column: String)
    /// A model with nothing to estimate (no predictors and no intercept), or a scale with fewer than 2 items.
    case nothingToEstimate(String)
    /// Columns of different lengths, a name used twice, or an option that does not fit the data.
    case invalidSpecification(String)

    public var description: String {
        switch self {
        case .collinear(let predictors, let tolerance):
            let names = predictors.map { "'\($0)'" }.joined(separator: ", ")
            return "\(names) \(predictors.count == 1 ? "is" : "are") (numerically) a linear combination of the other "
                + "predictors (pivoted QR, relative tolerance \(tolerance)); drop \(predictors.count == 1 ? "it" : "one of them") "
                + "or combine the collinear predictors into one score"
        case .zeroVariance(let variable):
            return "'\(variable)' has the same value in every row used; it carries no information and cannot be estimated"
        case .tooFewObservations(let n, let k):
            return "\(n) usable row(s) for \(k) parameter(s): need more rows than parameters (n > p)"
        case .invalidWeight(let row, let column, let value):
            return "row \(row), column '\(column)': weight \(value) is not positive; weights must be > 0 (drop the row or fix the weight)"
        case .singleCluster(let column):
            return "cluster column '\(column)' has a single cluster among the rows used; cluster-robust standard errors need at least two"
        case .nothingToEstimate(let text): return text
        case .invalidSpecification(let text): return text
        }
    }
}
