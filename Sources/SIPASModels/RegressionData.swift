import SIPASData

/// A named numeric variable, one value per data row; a missing value is NaN (nil in `values`).
///
/// Values are held as plain doubles with NaN for "missing" so that a column of millions of rows takes 8 bytes
/// per row. Data read from files never carry a NaN value (non-numbers are errors), so NaN is free to mean
/// missing; a caller passing NaN in `init(_:_:)` gets it treated as missing.
public struct Variable: Sendable {
    public var name: String
    /// One value per data row, NaN where missing.
    public var numbers: [Double]
    public init(_ name: String, _ values: [Double?]) { self.name = name; self.numbers = values.map { $0 ?? .nan } }
    public init(_ name: String, numbers: [Double]) { self.name = name; self.numbers = numbers }
    /// The values with nil where missing (a new array on every call: loops should read `numbers`).
    public var values: [Double?] { numbers.map { $0.isNaN ? nil : $0 } }
}

/// Cluster labels as codes: `codes[row]` indexes `labels`; a blank label or a negative code is missing.
public struct CodedLabels: Sendable {
    public var name: String
    public var codes: [UInt32]
    public var labels: [String]
    public init(name: String, codes: [UInt32], labels: [String]) { self.name = name; self.codes = codes; self.labels = labels }

    /// Codes in order of first appearance, nil and "" as missing.
    public init(name: String, values: [String?]) {
        var index: [String: UInt32] = ["": 0]
        var labels = [""]
        let codes = values.map { value -> UInt32 in
            guard let value else { return 0 }
            if let code = index[value] { return code }
            let code = UInt32(labels.count)
            index[value] = code
            labels.append(value)
            return code
        }
        self.init(name: name, codes: codes, labels: labels)
    }
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
    /// Cluster of each row used, numbered 0, 1, … in order of first appearance among the rows used, or nil.
    public let clusterCodes: [Int32]?
    /// The label of each cluster code (empty without clusters).
    public let clusterLabels: [String]
    /// 1-based data rows used, in file order.
    public let usedRows: [Int]
    /// Rows read = used + excluded with reasons.
    public let rows: RowAccounting

    /// Cluster labels over the rows used, or nil.
    public var clusters: [String]? { clusterCodes.map { $0.map { clusterLabels[Int($0)] } } }

    /// Builds the complete-case data.
    ///
    /// - Throws: `ModelError.invalidSpecification` for columns of different lengths or a name used twice;
    ///   `ModelError.invalidWeight` (row, column, value) for a present weight that is ≤ 0 or not finite.
    public init(response: Variable, predictors: [Variable], weights: Variable? = nil,
                clusters: (name: String, values: [String?])? = nil, excludedBefore: [String?]? = nil) throws
    {
        try self.init(response: response, predictors: predictors, weights: weights,
                      clusters: clusters.map { CodedLabels(name: $0.name, values: $0.values) },
                      excludedBefore: excludedBefore.map(RowLedger.init(reasons:)))
    }

    /// Builds the complete-case data from coded cluster labels and a ledger of rows left out beforehand.
    public init(response: Variable, predictors: [Variable], weights: Variable? = nil,
                clusters: CodedLabels?, excludedBefore: RowLedger?) throws
    {
        let n = response.numbers.count
        let names = [response.name] + predictors.map(\.name) + [weights?.name, clusters?.name].compactMap { $0 }
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ModelError.invalidSpecification(vi: "'\(duplicate)' được dùng hai lần trong mô hình", en: "'\(duplicate)' is used twice in the model")
        }
        let lengths = [n] + predictors.map(\.numbers.count) + [weights?.numbers.count, clusters?.codes.count].compactMap { $0 }
            + [excludedBefore?.rowCount].compactMap { $0 }
        guard lengths.allSatisfy({ $0 == n }) else {
            throw ModelError.invalidSpecification(vi: "các cột của mô hình có độ dài khác nhau: \(lengths)",
                                                  en: "the model's columns have different lengths: \(lengths)")
        }
        if let weights {
            for (index, value) in weights.numbers.enumerated() where !value.isNaN && !(value > 0 && value.isFinite) {
                throw ModelError.invalidWeight(row: index + 1, column: weights.name, value: value)
            }
        }
        // First pass: the ledger. Second: the used rows' values, in arrays of their final size.
        var ledger = excludedBefore ?? RowLedger(rowCount: n)
        let missingResponse = ledger.code(for: ExclusionReason.missing(response.name))
        let missingPredictor = predictors.map { ledger.code(for: ExclusionReason.missing($0.name)) }
        let missingWeight = weights.map { ledger.code(for: ExclusionReason.missing($0.name)) }
        let missingCluster = clusters.map { ledger.code(for: ExclusionReason.missing($0.name)) }
        let blankCluster = clusters.map { labels in labels.labels.map(\.isEmpty) }
        var used: [Int] = []
        for i in 0..<n where !ledger.isExcluded(i) {
            if response.numbers[i].isNaN { ledger.exclude(i, code: missingResponse); continue }
            if let j = predictors.indices.first(where: { predictors[$0].numbers[i].isNaN }) {
                ledger.exclude(i, code: missingPredictor[j]); continue
            }
            if let weights, weights.numbers[i].isNaN { ledger.exclude(i, code: missingWeight!); continue }
            if let clusters {
                let code = Int(clusters.codes[i])
                if code >= clusters.labels.count || blankCluster![code] { ledger.exclude(i, code: missingCluster!); continue }
            }
            used.append(i)
        }
        self.responseName = response.name
        self.response = used.map { response.numbers[$0] }
        self.predictorNames = predictors.map(\.name)
        self.predictors = predictors.map { predictor in used.map { predictor.numbers[$0] } }
        self.weightName = weights?.name
        self.weights = weights.map { weights in used.map { weights.numbers[$0] } }
        self.clusterName = clusters?.name
        if let clusters {
            var renumbered = [Int32](repeating: -1, count: clusters.labels.count)
            var labels: [String] = []
            self.clusterCodes = used.map { row in
                let code = Int(clusters.codes[row])
                if renumbered[code] < 0 { renumbered[code] = Int32(labels.count); labels.append(clusters.labels[code]) }
                return renumbered[code]
            }
            self.clusterLabels = labels
        } else {
            self.clusterCodes = nil
            self.clusterLabels = []
        }
        self.usedRows = used.map { $0 + 1 }
        self.rows = ledger.accounting
    }
}
