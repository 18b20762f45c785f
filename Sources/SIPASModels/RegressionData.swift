import SIPASData

/// A named numeric variable with missing values (nil), one value per data row.
public struct Variable: Sendable {
    public var name: String
    public var values: [Double?]
    public init(_ name: String, _ values: [Double?]) { self.name = name; self.values = values }
}

/// The complete rows of a regression: response, predictors, optional weights and cluster labels, and the
/// ledger of rows dropped with their reasons (listwise deletion).
///
/// A row is dropped when the response, a predictor, the weight or the cluster label is missing; its reason
/// names the first missing variable in that order ("missing y", "missing x2", …). Rows flagged by
/// `excludedBefore` (e.g. empty lines) are dropped with that reason first. Nothing is dropped silently.
public struct RegressionData: Sendable {
    public let responseName: String
    /// y over the rows used.
    public let response: [Double]
    public let predictorNames: [String]
    /// One array per predictor (column), over the rows used.
    public let predictors: [[Double]]
    public let weightName: String?
    /// Weights over the rows used (all > 0), or nil for ordinary least squares.
    public let weights: [Double]?
    public let clusterName: String?
    /// Cluster labels over the rows used, or nil.
    public let clusters: [String]?
    /// 1-based data rows used, in file order.
    public let usedRows: [Int]
    /// Rows read = used + excluded with reasons.
    public let rows: RowAccounting

    /// Builds the complete-case data.
    ///
    /// - Throws: `ModelError.invalidSpecification` for columns of different lengths or a name used twice;
    ///   `ModelError.invalidWeight` (row, column, value) for a present weight that is ≤ 0 or not finite.
    public init(response: Variable, predictors: [Variable], weights: Variable? = nil,
                clusters: (name: String, values: [String?])? = nil, excludedBefore: [String?]? = nil) throws
    {
        let n = response.values.count
        let names = [response.name] + predictors.map(\.name) + [weights?.name, clusters?.name].compactMap { $0 }
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ModelError.invalidSpecification("'\(duplicate)' is used twice in the model")
        }
        let lengths = [n] + predictors.map(\.values.count) + [weights?.values.count, clusters?.values.count].compactMap { $0 }
            + [excludedBefore?.count].compactMap { $0 }
        guard lengths.allSatisfy({ $0 == n }) else {
            throw ModelError.invalidSpecification("the model's columns have different lengths: \(lengths)")
        }
        if let weights {
            for (index, value) in weights.values.enumerated() {
                if let value, !(value > 0 && value.isFinite) {
                    throw ModelError.invalidWeight(row: index + 1, column: weights.name, value: value)
                }
            }
        }
        var reasons = [String?](repeating: nil, count: n)
        var used: [Int] = []
        var y: [Double] = [], x = [[Double]](repeating: [], count: predictors.count)
        var w: [Double] = [], g: [String] = []
        for i in 0..<n {
            if let reason = excludedBefore?[i] { reasons[i] = reason; continue }
            guard let yi = response.values[i] else { reasons[i] = "missing \(response.name)"; continue }
            if let missing = predictors.first(where: { $0.values[i] == nil }) { reasons[i] = "missing \(missing.name)"; continue }
            var wi = 1.0
            if let weights {
                guard let value = weights.values[i] else { reasons[i] = "missing \(weights.name)"; continue }
                wi = value
            }
            var gi = ""
            if let clusters {
                guard let value = clusters.values[i], !value.isEmpty else { reasons[i] = "missing \(clusters.name)"; continue }
                gi = value
            }
            used.append(i + 1)
            y.append(yi)
            for j in predictors.indices { x[j].append(predictors[j].values[i]!) }
            if weights != nil { w.append(wi) }
            if clusters != nil { g.append(gi) }
        }
        self.responseName = response.name
        self.response = y
        self.predictorNames = predictors.map(\.name)
        self.predictors = x
        self.weightName = weights?.name
        self.weights = weights == nil ? nil : w
        self.clusterName = clusters?.name
        self.clusters = clusters == nil ? nil : g
        self.usedRows = used
        self.rows = RowAccounting(reasons: reasons)
    }
}
