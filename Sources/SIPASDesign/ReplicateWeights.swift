import SIPASData
import SIPASInstrument
import SIPASLinearAlgebra
import SIPASSupport

/// The kind of replicate weights a data set ships with, which fixes the variance's default multiplier.
public enum ReplicateType: String, CaseIterable, Sendable {
    /// Delete-one-PSU jackknife over an unstratified design: scale (R − 1)/R.
    case jk1 = "JK1"
    /// Stratified delete-one-PSU jackknife: scale 1, a multiplier `rscales` per replicate ((n_h − 1)/n_h).
    case jkn = "JKn"
    /// Balanced repeated replication (half-samples): scale 1/R.
    case brr = "BRR"
    /// Fay's modified BRR with factor ρ: scale 1/(R(1 − ρ)²).
    case fay = "Fay"
    /// Bootstrap replicates: scale 1/(R − 1).
    case bootstrap
    /// Successive-difference replication (systematic samples, the ACS): scale 4/R.
    case successiveDifference = "successive-difference"

    /// The type named in a design file: the names above in any letter case, and "SDR" for successive-difference.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "sdr" { self = .successiveDifference; return }
        guard let type = ReplicateType.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else { return nil }
        self = type
    }
}

/// Which columns hold the replicate weights: every column whose name starts with a prefix (`"rw*"`), or a list.
public enum ReplicateColumns: Equatable, Sendable {
    case prefix(String)
    case list([String])

    /// The columns in `header` order (a prefix) or in the list's order.
    public func resolve(in header: [String]) -> [String] {
        switch self {
        case .prefix(let prefix): return header.filter { $0.hasPrefix(prefix) }
        case .list(let names): return names
        }
    }

    /// As written in the design file ("rw*" or "rw1, rw2, …").
    public var pattern: String {
        switch self {
        case .prefix(let prefix): return prefix + "*"
        case .list(let names):
            return names.count > 4 ? names.prefix(3).joined(separator: ", ") + ", …, " + names.last! : names.joined(separator: ", ")
        }
    }
}

/// Replicate weights as a design file's `replicates` block declares them: the columns, the type and, when the
/// data's documentation gives them, the scale and per-replicate multipliers.
public struct ReplicateSpecification: Equatable, Sendable {
    public var columns: ReplicateColumns
    public var type: ReplicateType
    /// Fay's ρ (0 ≤ ρ < 1), required for `.fay`.
    public var rho: Double?
    /// The overall multiplier of the variance; nil: the type's default.
    public var scale: Double?
    /// One multiplier per replicate; nil: all 1 (required for `.jkn`).
    public var rscales: [Double]?
    /// Centre the squared deviations at the full-sample estimate instead of the replicates' mean.
    public var mse: Bool

    public init(columns: ReplicateColumns, type: ReplicateType, rho: Double? = nil, scale: Double? = nil,
                rscales: [Double]? = nil, mse: Bool = false) {
        self.columns = columns; self.type = type; self.rho = rho; self.scale = scale; self.rscales = rscales; self.mse = mse
    }

    /// The names the table reader must keep as numbers (a prefix as `"rw*"`, which the reader matches).
    public var numericColumns: [String] {
        switch columns {
        case .prefix(let prefix): return [prefix + "*"]
        case .list(let names): return names
        }
    }

    /// "JK1, 15 replicates (rw*)".
    public var summary: String { "\(type.rawValue) replicate weights (\(columns.pattern))" }

    /// The variance multiplier R survey's `svrepdesign` uses for `count` replicates when none is given.
    public func defaultScale(count: Int) -> Double {
        let r = Double(count)
        switch type {
        case .jk1: return (r - 1) / r
        case .jkn: return 1
        case .brr: return 1 / r
        case .fay: return 1 / (r * (1 - (rho ?? 0)) * (1 - (rho ?? 0)))
        case .bootstrap: return 1 / (r - 1)
        case .successiveDifference: return 4 / r
        }
    }

    /// Reads the replicate columns over `rows` of `table` (the design rows), with the full-sample `weights`.
    /// A missing column, a blank or non-numeric cell, a negative or non-finite weight, a replicate with no
    /// positive weight, and `rscales` of the wrong length are errors naming the file, row and column.
    public func bind(table: ResponseTable, rows: [Int]) throws -> ReplicateWeights {
        let names = columns.resolve(in: table.columnNames)
        if names.isEmpty {
            throw DataError(file: table.source, line: 1, column: columns.pattern,
                            message: "no column matches the replicate weights '\(columns.pattern)' of the design file's replicates block; "
                                + "the file has: \(table.columnNames.joined(separator: ", "))",
                            vi: "không có cột nào khớp với trọng số lặp '\(columns.pattern)' của khối replicates trong tệp thiết kế; "
                                + "tệp có các cột: \(table.columnNames.joined(separator: ", "))")
        }
        if names.count < 2 {
            throw DataError(file: table.source, line: 1, column: names[0],
                            message: "a replicate design needs at least two replicate weight columns; '\(columns.pattern)' matches one",
                            vi: "thiết kế lặp cần ít nhất hai cột trọng số lặp; '\(columns.pattern)' chỉ khớp một cột")
        }
        if let rscales, rscales.count != names.count {
            throw DesignError.invalid("the replicates block gives \(rscales.count) rscales for \(names.count) replicate columns (\(columns.pattern)): give one per replicate")
        }
        if type == .jkn && rscales == nil {
            throw DesignError.invalid("JKn replicate weights need rscales: one multiplier per replicate, (n_h − 1)/n_h for the stratum it deletes from (see the data's documentation)")
        }
        var weights: [[Double]] = []
        weights.reserveCapacity(names.count)
        for name in names {
            if table.skippedColumns.contains(name) {
                throw DataError(file: table.source, line: 1, column: name, message: "the replicate weight column was not loaded for this analysis",
                                vi: "cột trọng số lặp không được đọc cho phân tích này")
            }
            let parsed: [Double]
            do { parsed = try table.numbers(named: name) } catch let error as DataError where error.row == nil && error.line == 1 {
                throw DataError(file: table.source, line: 1, column: name,
                                message: "the replicate weight column is missing; the file has: \(table.columnNames.joined(separator: ", "))",
                                vi: "thiếu cột trọng số lặp; tệp có các cột: \(table.columnNames.joined(separator: ", "))")
            }
            var column = [Double](repeating: 0, count: rows.count)
            var positive = false
            for (index, row) in rows.enumerated() {
                let value = parsed[row]
                if value.isNaN {
                    throw DataError(file: table.source, row: row + 1, column: name,
                                    message: "blank replicate weight (every respondent needs one; 0 for a respondent the replicate leaves out)",
                                    vi: "trọng số lặp để trống (người trả lời nào cũng cần có; ghi 0 cho người mà lần lặp này bỏ ra)")
                }
                if !value.isFinite || value < 0 {
                    throw DataError(file: table.source, row: row + 1, column: name,
                                    message: "replicate weight \(value) is not a non-negative number",
                                    vi: "trọng số lặp \(Note.vi(String(value))) không phải là số không âm")
                }
                if value > 0 { positive = true }
                column[index] = value
            }
            if !positive {
                throw DataError(file: table.source, column: name, message: "every replicate weight in this column is 0",
                                vi: "mọi trọng số lặp trong cột này đều bằng 0")
            }
            weights.append(column)
        }
        return try ReplicateWeights(specification: self, columns: names, weights: weights)
    }
}

/// A replicate-weight design's replicates: each replicate's weights over the design rows, and how their
/// estimates make a variance.
///
///     V = scale · Σ_r rscales_r (θ_r − θ̄)²,   θ̄ = mean of the θ_r (or θ̂, the full-sample estimate, with mse)
///
/// with degrees of freedom the rank of the replicate weights minus 1.
/// - Source: R survey's `svrepdesign`, `svrVar` and `degf` (Lumley 2010, *Complex Surveys*, §2.8; Wolter 2007,
///   *Introduction to Variance Estimation*, ch. 3–5).
public struct ReplicateWeights: Sendable {
    public let type: ReplicateType
    public let columns: [String]
    /// `weights[r][i]`: replicate r's weight of design row i.
    public let weights: [[Double]]
    public let scale: Double
    public let rscales: [Double]
    public let mse: Bool
    public let degreesOfFreedom: Int
    public var count: Int { weights.count }

    init(specification: ReplicateSpecification, columns: [String], weights: [[Double]]) throws {
        type = specification.type
        self.columns = columns
        self.weights = weights
        scale = specification.scale ?? specification.defaultScale(count: weights.count)
        rscales = specification.rscales ?? [Double](repeating: 1, count: weights.count)
        mse = specification.mse
        guard scale.isFinite, scale > 0 else { throw DesignError.invalid("the replicates' scale \(scale) is not a positive number") }
        degreesOfFreedom = max(1, Self.rank(weights) - 1)
    }

    /// The replicate variance of an estimate `estimate` whose replicate values are `values`. A replicate without
    /// a value (NaN: e.g. a domain it leaves without weight) is left out with its multiplier, as R's `svrVar`
    /// does (`dropped` counts them); with none left the variance is NaN. The centre is the mean of the
    /// replicates with a positive multiplier, or `estimate` with mse.
    public func variance(estimate: Double, values: [Double]) -> (variance: Double, dropped: Int) {
        precondition(values.count == count, "one value per replicate")
        let kept = values.indices.filter { values[$0].isFinite }
        guard !kept.isEmpty else { return (.nan, count) }
        let centring = kept.filter { rscales[$0] > 0 }
        let centre = mse ? estimate : centring.reduce(0) { $0 + values[$1] } / Double(centring.count)
        var sum = 0.0
        for r in kept { sum += rscales[r] * (values[r] - centre) * (values[r] - centre) }
        return (scale * sum, count - kept.count)
    }

    /// The note for an estimate whose variance left out `dropped` replicates without a value (nil: none).
    public func droppedNote(_ dropped: Int) -> Note? {
        guard dropped > 0 else { return nil }
        if dropped == count {
            return Note(.noStandardError, vi: "không lần lặp nào có ước lượng cho nhóm này: không có sai số chuẩn",
                        en: "no replicate gives an estimate for this group: no standard error")
        }
        return Note(.replicatesDropped, vi: "\(dropped) trong \(count) lần lặp không có ước lượng (không có trọng số trong nhóm) và được bỏ qua khi tính phương sai, như R",
                    en: "\(dropped) of \(count) replicates give no estimate (no weight in the group) and are left out of the variance, as in R")
    }

    /// Computes `statistic` on every replicate's weights, on up to `threads` threads, in replicate order.
    public func replicate<T: Sendable>(threads: Int, _ statistic: @Sendable ([Double]) throws -> T) throws -> [T] {
        let weights = self.weights
        return try Array(0..<count).parallelMap(threads: threads) { try statistic(weights[$0]) }
    }

    /// The numerical rank of the columns with R's `qr` rule (a column whose part orthogonal to the columns
    /// before it is under 10⁻⁵ of its length is dependent), from their Gram matrix: a Cholesky factorization that
    /// takes the columns in order and skips a dependent one. Rows that repeat (the respondents of one PSU with one
    /// weight) enter once with their count, which leaves every inner product as it is.
    static func rank(_ columns: [[Double]]) -> Int {
        let count = columns.count
        guard let rows = columns.first?.count, rows > 0, count > 0 else { return 0 }
        // Distinct rows and how often each occurs, found by hashing the row's values (no row is copied).
        var buckets: [Int: [Int]] = [:]
        var representatives: [Int] = [], multiplicity: [Double] = []
        for i in 0..<rows {
            var hasher = Hasher()
            for column in columns { hasher.combine(column[i]) }
            let key = hasher.finalize()
            if let match = buckets[key]?.first(where: { j in columns.allSatisfy { $0[representatives[j]] == $0[i] } }) {
                multiplicity[match] += 1
            } else {
                buckets[key, default: []].append(representatives.count)
                representatives.append(i)
                multiplicity.append(1)
            }
        }
        let distinct = representatives.count
        // X: distinct rows × replicates, each row × √(its count); the Gram matrix XᵀX through BLAS.
        let roots = multiplicity.map { $0.squareRoot() }
        var byColumn = [Double](repeating: 0, count: distinct * count), byRow = byColumn
        for a in 0..<count {
            let column = columns[a]
            for u in 0..<distinct {
                let value = column[representatives[u]] * roots[u]
                byColumn[a * distinct + u] = value
                byRow[u * count + a] = value
            }
        }
        let gram = (Matrix(rows: count, columns: distinct, columnMajor: byRow) * Matrix(rows: distinct, columns: count, columnMajor: byColumn)).storage
        // Cholesky over the accepted columns: l[a][q] for accepted q, pivot d = squared orthogonal part.
        var accepted: [Int] = []
        var factor: [[Double]] = []   // factor[a] = coefficients of column a on the accepted directions
        var pivots: [Double] = []
        for a in 0..<count {
            if accepted.count == distinct { break }
            let squared = gram[a * count + a]
            guard squared > 0 else { continue }
            var coefficients: [Double] = []
            var remaining = squared
            for (q, column) in accepted.enumerated() {
                var value = gram[a * count + column]
                for p in 0..<q { value -= coefficients[p] * factor[q][p] }
                value /= pivots[q]
                coefficients.append(value)
                remaining -= value * value
            }
            if remaining > 1e-10 * squared {
                accepted.append(a)
                factor.append(coefficients)
                pivots.append(remaining.squareRoot())
            }
        }
        return accepted.count
    }
}
