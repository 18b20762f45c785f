import SIPASInstrument
import SIPASData

/// A design declared by column names, as on the command line
/// (`--strata COL --cluster COL[,COL2…] --weight COL --fpc COL[,COL2…] --lonely-psu POLICY`).
public struct DesignSpecification: Equatable, Sendable {
    public var strata: String?
    public var clusters: [String]
    public var weight: String?
    public var fpc: [String]
    public var lonelyPSU: LonelyPSUPolicy
    /// Weights from the population: the design weights are calibrated to these margins and totals
    /// (the design file's `calibration` block).
    public var calibration: CalibrationSpecification?
    /// A replicate-weight design: variances from the replicates (the design file's `replicates` block), with
    /// `weight` the full-sample weight.
    public var replicates: ReplicateSpecification?

    public init(strata: String? = nil, clusters: [String] = [], weight: String? = nil, fpc: [String] = [],
                lonelyPSU: LonelyPSUPolicy = .fail, calibration: CalibrationSpecification? = nil,
                replicates: ReplicateSpecification? = nil) {
        self.strata = strata; self.clusters = clusters; self.weight = weight; self.fpc = fpc; self.lonelyPSU = lonelyPSU
        self.calibration = calibration
        self.replicates = replicates
    }

    /// The columns the design reads.
    public var columns: [String] {
        var seen = Set<String>()
        return ([strata].compactMap { $0 } + clusters + [weight].compactMap { $0 } + fpc
            + (calibration.map { $0.textColumns + $0.numericColumns } ?? []) + (replicates?.numericColumns ?? [])).filter { seen.insert($0).inserted }
    }

    /// The columns the design reads as text (strata and cluster labels, calibration margins' variables).
    public var textColumns: [String] { [strata].compactMap { $0 } + clusters + (calibration?.textColumns ?? []) }

    /// The columns the design reads as numbers (weights, population sizes, calibration totals' variables).
    /// Replicate weight columns given by a prefix appear as the pattern ("rw*"), which the table reader matches.
    public var numericColumns: [String] {
        [weight].compactMap { $0 } + fpc + (calibration?.numericColumns ?? []) + (replicates?.numericColumns ?? [])
    }

    /// No strata, clusters, weights, FPC or calibration: a simple random sample.
    public var isEmpty: Bool {
        strata == nil && clusters.isEmpty && weight == nil && fpc.isEmpty && calibration == nil && replicates == nil
    }

    /// "strata = stratum; clusters = cluster; weights = weight; fpc = N1; lonely PSU: fail".
    public var summary: String { description.en }

    /// The declared design in Vietnamese and English: "tầng = stratum; cụm = cluster; …".
    public var description: LocalizedText {
        if isEmpty { return LocalizedText(vi: "mẫu ngẫu nhiên đơn giản", en: "simple random sample") }
        var vi: [String] = [], en: [String] = []
        if let strata { vi.append("tầng = \(strata)"); en.append("strata = \(strata)") }
        if !clusters.isEmpty {
            vi.append("cụm = \(clusters.joined(separator: " > "))"); en.append("clusters = \(clusters.joined(separator: " > "))")
        }
        if let weight { vi.append("quyền số = \(weight)"); en.append("weights = \(weight)") }
        if let replicates {
            vi.append("trọng số lặp \(replicates.type.rawValue) (\(replicates.columns.pattern))"); en.append(replicates.summary)
            return LocalizedText(vi: vi.joined(separator: "; "), en: en.joined(separator: "; "))
        }
        if !fpc.isEmpty { vi.append("hiệu chỉnh tổng thể hữu hạn = \(fpc.joined(separator: ", "))"); en.append("fpc = \(fpc.joined(separator: ", "))") }
        let policy: [LonelyPSUPolicy: String] = [.fail: "báo lỗi", .adjust: "điều chỉnh", .average: "lấy trung bình",
                                                  .remove: "bỏ qua", .certainty: "chọn chắc chắn"]
        vi.append("tầng chỉ có một đơn vị mẫu cấp 1: \(policy[lonelyPSU] ?? lonelyPSU.rawValue)")
        en.append("lonely PSU: \(lonelyPSU.rawValue)")
        if let calibration {
            let methods: [String: String] = ["post-stratify": "hậu phân tầng", "rake": "raking lặp theo biên (rake)",
                                             "linear": "hiệu chỉnh tuyến tính", "raking": "hiệu chỉnh raking", "logit": "hiệu chỉnh logit"]
            let targets = calibration.margins.map(\.name) + calibration.totals.map(\.variable)
            vi.append("hiệu chỉnh quyền số theo tổng thể: \(methods[calibration.method.rawValue] ?? calibration.method.rawValue) theo \(targets.joined(separator: ", "))")
            en.append("calibrated: \(calibration.summary)")
        }
        return LocalizedText(vi: vi.joined(separator: "; "), en: en.joined(separator: "; "))
    }

    /// The design over `rows` of `table` (rows outside it, such as empty lines, are not part of the sample).
    /// A blank or non-numeric design value is an error naming the file, row and column.
    public func build(table: ResponseTable, rows: [Int]) throws -> SurveyDesign {
        func labels(_ name: String) throws -> [String] {
            let column = try table.requireMetadata(name)
            return try rows.map { row in
                let value = column[row]
                if value.isEmpty {
                    throw DataError(file: table.source, row: row + 1, column: name, message: "blank design variable (every respondent needs one)",
                                    vi: "biến thiết kế để trống (người trả lời nào cũng cần có)")
                }
                return value
            }
        }
        func numbers(_ name: String, what: String, whatVietnamese: String) throws -> [Double] {
            let parsed = try table.numbers(named: name)
            return try rows.map { row in
                let value = parsed[row]
                guard !value.isNaN else {
                    throw DataError(file: table.source, row: row + 1, column: name, message: "blank \(what) (every respondent needs one)",
                                    vi: "\(whatVietnamese) để trống (người trả lời nào cũng cần có)")
                }
                return value
            }
        }
        if replicates != nil {
            let linear = [strata.map { _ in "strata" }, clusters.isEmpty ? nil : "cluster", fpc.isEmpty ? nil : "fpc",
                          calibration.map { _ in "calibration" }].compactMap { $0 }
            if !linear.isEmpty {
                throw DesignError.invalid("a replicate-weight design takes its variance from the replicates: remove \(linear.joined(separator: ", ")) "
                                          + "(--strata/--cluster/--fpc or the design file's keys) or the replicates block")
            }
        }
        if fpc.count > max(1, clusters.count) {
            throw DesignError.invalid("--fpc names \(fpc.count) columns but the design has \(max(1, clusters.count)) stage(s)")
        }
        let weights = try weight.map { try numbers($0, what: "weight", whatVietnamese: "quyền số") }
        if let weights, let bad = weights.firstIndex(where: { !($0 > 0) }) {
            throw DataError(file: table.source, row: rows[bad] + 1, column: weight,
                            message: "weight \(weights[bad]) is not positive",
                            vi: "quyền số \(Note.vi(String(weights[bad]))) không dương")
        }
        if let weights, let weight, let largest = weights.indices.max(by: { weights[$0] < weights[$1] }),
           let smallest = weights.indices.min(by: { weights[$0] < weights[$1] }) {
            // Sums of weights (and of weight × answer) must stay finite, and weights spread over more than
            // 10¹² : 1 leave every estimate to one respondent and the variance to rounding error.
            let total = weights.reduce(0, +)
            if !(total * 100 * 100).isFinite {
                throw DataError(file: table.source, row: rows[largest] + 1, column: weight,
                                message: "weight \(weights[largest]) is too large: the sum of the weights (and of weight × answer) overflows",
                                vi: "quyền số \(Note.vi(String(weights[largest]))) quá lớn: tổng các quyền số (và của quyền số × câu trả lời) bị tràn số")
            }
            if weights[largest] / weights[smallest] > 1e12 {
                throw DataError(file: table.source, row: rows[largest] + 1, column: weight,
                                message: "weight \(weights[largest]) is more than 10¹² times the smallest weight "
                                    + "(\(weights[smallest]), row \(rows[smallest] + 1)): check the weight column",
                                vi: "quyền số \(Note.vi(String(weights[largest]))) lớn hơn 10¹² lần quyền số nhỏ nhất "
                                    + "(\(Note.vi(String(weights[smallest]))), hàng dữ liệu \(rows[smallest] + 1)): hãy kiểm tra cột quyền số")
            }
        }
        do {
            let design = try SurveyDesign(rows: rows.count, strata: try strata.map(labels), stages: try clusters.map(labels),
                                    weights: weights, populationSizes: fpc.isEmpty ? nil : try fpc.map { try numbers($0, what: "FPC", whatVietnamese: "FPC") },
                                    lonelyPSU: lonelyPSU, summary: summary, summaryVietnamese: description.vi)
            if let replicates {
                var replicated = design
                replicated.replicates = try replicates.bind(table: table, rows: rows)
                replicated.isSimpleRandomSample = false
                return replicated
            }
            guard let calibration else { return design }
            let data = try calibration.bind(table: table, rows: rows)
            return design.calibrated(try calibration.calibrate(data, weights: design.weights))
        } catch DesignError.badFPC(let stage, let row, let message) {
            throw DataError(file: table.source, row: rows[row - 1] + 1, column: fpc[stage - 1], message: "FPC \(message)")
        }
    }
}

extension DesignSpecification {
    /// The design over `rows` (a subset of `designRows`) for resampling, with a calibrated design's weights
    /// calibrated once over all of `designRows` — the whole sample, as every estimate uses them — rather than
    /// over the subset. Without calibration it is `build(table:rows:)`.
    public func build(table: ResponseTable, rows: [Int], calibratedOver designRows: [Int]) throws -> SurveyDesign {
        if replicates != nil {
            throw DesignError.invalid("a replicate-weight design (the design file's replicates block) already has its replicates: "
                                      + "bootstrap intervals (--ci percentile/bca) and resampling are not available with it; use --ci t, logit or beta")
        }
        guard calibration != nil else { return try build(table: table, rows: rows) }
        let full = try build(table: table, rows: designRows)
        var uncalibrated = self
        uncalibrated.calibration = nil
        var subset = try uncalibrated.build(table: table, rows: rows)
        let position = Dictionary(uniqueKeysWithValues: designRows.enumerated().map { ($1, $0) })
        subset.weights = rows.map { full.weights[position[$0]!] }
        subset.isSimpleRandomSample = false
        return subset
    }
}
