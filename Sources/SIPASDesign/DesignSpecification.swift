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

    public init(strata: String? = nil, clusters: [String] = [], weight: String? = nil, fpc: [String] = [],
                lonelyPSU: LonelyPSUPolicy = .fail) {
        self.strata = strata; self.clusters = clusters; self.weight = weight; self.fpc = fpc; self.lonelyPSU = lonelyPSU
    }

    /// The columns the design reads.
    public var columns: [String] { [strata].compactMap { $0 } + clusters + [weight].compactMap { $0 } + fpc }

    /// The columns the design reads as text (strata and cluster labels).
    public var textColumns: [String] { [strata].compactMap { $0 } + clusters }

    /// The columns the design reads as numbers (weights and population sizes).
    public var numericColumns: [String] { [weight].compactMap { $0 } + fpc }

    /// No strata, clusters, weights or FPC: a simple random sample.
    public var isEmpty: Bool { strata == nil && clusters.isEmpty && weight == nil && fpc.isEmpty }

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
        if !fpc.isEmpty { vi.append("hiệu chỉnh tổng thể hữu hạn = \(fpc.joined(separator: ", "))"); en.append("fpc = \(fpc.joined(separator: ", "))") }
        let policy: [LonelyPSUPolicy: String] = [.fail: "báo lỗi", .adjust: "điều chỉnh", .average: "lấy trung bình",
                                                  .remove: "bỏ qua", .certainty: "chọn chắc chắn"]
        vi.append("tầng chỉ có một PSU: \(policy[lonelyPSU] ?? lonelyPSU.rawValue)")
        en.append("lonely PSU: \(lonelyPSU.rawValue)")
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
                    throw DataError(file: table.source, row: row + 1, column: name, message: "blank design variable (every respondent needs one)")
                }
                return value
            }
        }
        func numbers(_ name: String, what: String) throws -> [Double] {
            let parsed = try table.numbers(named: name)
            return try rows.map { row in
                let value = parsed[row]
                guard !value.isNaN else {
                    throw DataError(file: table.source, row: row + 1, column: name, message: "blank \(what) (every respondent needs one)")
                }
                return value
            }
        }
        if fpc.count > max(1, clusters.count) {
            throw DesignError.invalid("--fpc names \(fpc.count) columns but the design has \(max(1, clusters.count)) stage(s)")
        }
        let weights = try weight.map { try numbers($0, what: "weight") }
        if let weights, let bad = weights.firstIndex(where: { !($0 > 0) }) {
            throw DataError(file: table.source, row: rows[bad] + 1, column: weight,
                            message: "weight \(weights[bad]) is not positive")
        }
        if let weights, let weight, let largest = weights.indices.max(by: { weights[$0] < weights[$1] }),
           let smallest = weights.indices.min(by: { weights[$0] < weights[$1] }) {
            // Sums of weights (and of weight × answer) must stay finite, and weights spread over more than
            // 10¹² : 1 leave every estimate to one respondent and the variance to rounding error.
            let total = weights.reduce(0, +)
            if !(total * 100 * 100).isFinite {
                throw DataError(file: table.source, row: rows[largest] + 1, column: weight,
                                message: "weight \(weights[largest]) is too large: the sum of the weights (and of weight × answer) overflows")
            }
            if weights[largest] / weights[smallest] > 1e12 {
                throw DataError(file: table.source, row: rows[largest] + 1, column: weight,
                                message: "weight \(weights[largest]) is more than 10¹² times the smallest weight "
                                    + "(\(weights[smallest]), row \(rows[smallest] + 1)): check the weight column")
            }
        }
        do {
            return try SurveyDesign(rows: rows.count, strata: try strata.map(labels), stages: try clusters.map(labels),
                                    weights: weights, populationSizes: fpc.isEmpty ? nil : try fpc.map { try numbers($0, what: "FPC") },
                                    lonelyPSU: lonelyPSU, summary: summary, summaryVietnamese: description.vi)
        } catch DesignError.badFPC(let stage, let row, let message) {
            throw DataError(file: table.source, row: rows[row - 1] + 1, column: fpc[stage - 1], message: "FPC \(message)")
        }
    }
}
