import SIPASInstrument
import SIPASData

/// Statistics of one item of a scale.
public struct ScaleItemStatistics: Equatable, Sendable {
    public let item: String
    /// True when the item was reverse-keyed (scored (min + max) − x) before analysis.
    public let reversed: Bool
    public let mean: Double
    /// Sample standard deviation (n − 1).
    public let standardDeviation: Double
    /// Correlation of the item with the sum of the other items (psych's `r.drop`).
    public let itemRestCorrelation: Double
    /// Raw alpha of the scale without this item (psych's `alpha.drop$raw_alpha`); nil for a 2-item scale.
    public let alphaIfDropped: Double?
    /// Standardized alpha without this item; nil for a 2-item scale.
    public let standardizedAlphaIfDropped: Double?
}

/// Cronbach's alpha of a multi-item scale with item diagnostics (`ReliabilityAnalysis.cronbachAlpha`).
public struct ReliabilityResult: Sendable {
    /// Raw alpha from the item covariance matrix C: k/(k − 1) · (1 − tr C / ΣC).
    public let alpha: Double
    /// Standardized alpha from the correlation matrix R: k/(k − 1) · (1 − k / ΣR) = k r̄ / (1 + (k − 1) r̄).
    public let standardizedAlpha: Double
    /// Complete rows used.
    public let observationCount: Int
    public let items: [ScaleItemStatistics]
    /// The range used to reverse items: (min + max) − x.
    public let scaleMinimum: Double
    public let scaleMaximum: Double
    public let rows: RowAccounting
    public let notes: [Note]
}

/// Scale reliability.
public enum ReliabilityAnalysis {
    /// Cronbach's alpha, standardized alpha, item–rest correlations and alpha if item dropped, on the rows
    /// where every item is answered (listwise deletion; dropped rows are counted with the first missing item).
    ///
    /// Reverse-keyed items are scored (min + max) − x first. `scaleRange` gives min and max (e.g. 1...5 for
    /// a Likert scale); when nil, the smallest and largest value over all items and used rows are taken, as
    /// `psych::alpha` does.
    ///
    /// - Throws: `ModelError.nothingToEstimate` for fewer than 2 items, `.tooFewObservations` for fewer than
    ///   2 complete rows, `.zeroVariance` for an item answered the same in every complete row,
    ///   `.invalidSpecification` for reversed names that are not items or columns of different lengths.
    /// - Source: Cronbach, "Coefficient alpha and the internal structure of tests", *Psychometrika* 16 (1951);
    ///   R `psych::alpha` (Revelle), whose raw_alpha, std.alpha, r.drop and alpha.drop this reproduces.
    public static func cronbachAlpha(items: [Variable], reversed: Set<String> = [], scaleRange: ClosedRange<Double>? = nil,
                                     excludedBefore: [String?]? = nil) throws -> ReliabilityResult
    {
        try cronbachAlpha(items: items, reversed: reversed, scaleRange: scaleRange,
                          excludedBefore: excludedBefore.map(RowLedger.init(reasons:)))
    }

    /// `cronbachAlpha(items:reversed:scaleRange:excludedBefore:)` with the rows left out beforehand as a ledger.
    public static func cronbachAlpha(items: [Variable], reversed: Set<String> = [], scaleRange: ClosedRange<Double>? = nil,
                                     excludedBefore: RowLedger?) throws -> ReliabilityResult
    {
        let k = items.count
        guard k >= 2 else { throw ModelError.nothingToEstimate(vi: "một thang đo cần ít nhất 2 câu hỏi, mới có \(k)",
                                                                  en: "a scale needs at least 2 items, got \(k)") }
        let names = items.map(\.name)
        if let unknown = reversed.subtracting(names).sorted().first {
            throw ModelError.invalidSpecification(vi: "câu hỏi đảo chiều '\(unknown)' không thuộc thang đo (các câu hỏi: \(names.joined(separator: ", ")))",
                                                  en: "reversed item '\(unknown)' is not one of the scale's items (\(names.joined(separator: ", ")))")
        }
        let (complete, ledger) = try completeRows(items, excludedBefore: excludedBefore)
        var data = complete
        let n = data[0].count
        guard n >= 2 else { throw ModelError.tooFewObservations(observations: n, parameters: 2) }
        let low = scaleRange?.lowerBound ?? data.map { $0.min()! }.min()!
        let high = scaleRange?.upperBound ?? data.map { $0.max()! }.max()!
        for j in 0..<k where reversed.contains(names[j]) { data[j] = data[j].map { low + high - $0 } }

        // Covariance matrix (two-pass, n − 1).
        let means = data.map { $0.reduce(0, +) / Double(n) }
        var c = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for a in 0..<k {
            for b in a..<k {
                var sum = 0.0
                for i in 0..<n { sum += (data[a][i] - means[a]) * (data[b][i] - means[b]) }
                c[a][b] = sum / Double(n - 1); c[b][a] = c[a][b]
            }
        }
        for j in 0..<k where !(c[j][j] > 0) { throw ModelError.zeroVariance(variable: names[j]) }
        let r = (0..<k).map { a in (0..<k).map { b in c[a][b] / (c[a][a] * c[b][b]).squareRoot() } }

        func alpha(_ m: [[Double]], _ keep: [Int]) -> Double? {
            let q = Double(keep.count)
            guard keep.count >= 2 else { return nil }
            var total = 0.0, trace = 0.0
            for a in keep { trace += m[a][a]; for b in keep { total += m[a][b] } }
            return q / (q - 1) * (1 - trace / total)
        }
        let all = Array(0..<k)
        var statistics: [ScaleItemStatistics] = []
        for j in 0..<k {
            let rest = all.filter { $0 != j }
            var restVariance = 0.0, covarianceWithRest = 0.0
            for a in rest { covarianceWithRest += c[j][a]; for b in rest { restVariance += c[a][b] } }
            statistics.append(ScaleItemStatistics(
                item: names[j], reversed: reversed.contains(names[j]), mean: means[j],
                standardDeviation: c[j][j].squareRoot(),
                itemRestCorrelation: covarianceWithRest / (c[j][j] * restVariance).squareRoot(),
                alphaIfDropped: alpha(c, rest), standardizedAlphaIfDropped: alpha(r, rest)))
        }
        var notes: [Note] = []
        for item in statistics where item.itemRestCorrelation < 0 {
            notes.append(Note(.model, vi: "'\(item.item)' tương quan âm với phần còn lại của thang đo: có phải câu đảo chiều?",
                              en: "'\(item.item)' correlates negatively with the rest of the scale: is it reverse-keyed?"))
        }
        return ReliabilityResult(alpha: alpha(c, all)!, standardizedAlpha: alpha(r, all)!, observationCount: n,
                                 items: statistics, scaleMinimum: low, scaleMaximum: high,
                                 rows: ledger.accounting, notes: notes)
    }

    /// The items over the rows where all are present (listwise deletion), and the ledger: rows left out
    /// beforehand keep their reason, others are counted with the first missing item ("missing NAME").
    static func completeRows(_ items: [Variable], excludedBefore: RowLedger?) throws -> (data: [[Double]], ledger: RowLedger) {
        let rowCount = items[0].numbers.count
        guard items.allSatisfy({ $0.numbers.count == rowCount }), (excludedBefore?.rowCount ?? rowCount) == rowCount else {
            throw ModelError.invalidSpecification(vi: "các câu hỏi có độ dài khác nhau", en: "the items have different lengths")
        }
        var ledger = excludedBefore ?? RowLedger(rowCount: rowCount)
        let missing = items.map { ledger.code(for: ExclusionReason.missing($0.name)) }
        var used: [Int] = []
        for i in 0..<rowCount where !ledger.isExcluded(i) {
            if let j = items.indices.first(where: { items[$0].numbers[i].isNaN }) { ledger.exclude(i, code: missing[j]); continue }
            used.append(i)
        }
        return (items.map { item in used.map { item.numbers[$0] } }, ledger)
    }
}
