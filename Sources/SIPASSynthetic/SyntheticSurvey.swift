import Foundation
import SIPASInstrument
import SIPASSupport

/// Deterministic SIPAS-like survey data with a known data-generating process.
///
/// Model (ordered probit on a latent scale, after the peer generator in shared/peers/gen_sipas.py):
///
///     latentᵢⱼ = αᵤ + δᵤ,f(j) + c_cluster + gᵢ + sᵢ,f(j) + βⱼ + 0.10·online + age effect + εᵢⱼ
///     answerᵢⱼ = 1 + #{k : latentᵢⱼ > cutₖ},  cuts = (−2.9, −2.2, −1.25, −0.15)
///     overallᵢ = clamp(round(b₀ + Σ_f b_f · Fᵢ,f + 0.45·N(0,1)), 1, 5)
///
/// with Fᵢ,f the respondent's mean complete answer on factor f, b₀ = 0.20 and
/// b = (access 0.10, procedures 0.25, officials 0.20, results 0.30, feedback 0.10). 32 units (20 provincial
/// departments, 12 districts) are the strata, 5–20 communes per unit are the clusters; weights are
/// population / sample size with cluster and respondent adjustments. About 2% of answers are blank, 18% of
/// respondents skipped the feedback items, 1% have no overall answer, and a fraction `invalidRate` of
/// answers are replaced by the codes 0, 6, 9, 99 (9 and 99 are the presets' "don't know / no answer" codes).
public struct SyntheticSurvey {
    public struct Configuration: Sendable {
        public var respondents: Int
        public var seed: UInt64
        public var year: Int
        public var invalidRate: Double
        public init(respondents: Int = 2640, seed: UInt64 = 2024, year: Int = 2024, invalidRate: Double = 0.001) {
            self.respondents = respondents; self.seed = seed; self.year = year; self.invalidRate = invalidRate
        }
    }

    public static let generatorVersion = "1.0.0"
    public static let unitCount = 32
    public static let departmentCount = 20
    public static let factorItems: [(factor: String, items: [String])] = [
        ("access", ["q01", "q02", "q03"]), ("procedures", ["q04", "q05", "q06", "q07"]),
        ("officials", ["q08", "q09", "q10"]), ("results", ["q11", "q12", "q13"]), ("feedback", ["q14", "q15", "q16"]),
    ]
    public static let trueIntercept = 0.20
    public static let trueSlopes: [Double] = [0.10, 0.25, 0.20, 0.30, 0.10]

    public static let cuts: [Double] = [-2.9, -2.2, -1.25, -0.15]
    public static let itemEffects: [Double] = [0.10, 0.05, 0.00, -0.20, -0.15, -0.25, -0.10, 0.15, 0.10, 0.05,
                                        0.00, -0.05, 0.05, -0.30, -0.25, -0.35]
    static let ageGroups = ["18-29", "30-44", "45-59", "60+"]
    static let ageEffects = [-0.10, 0.0, 0.05, 0.12]
    static let ageShares = [0.22, 0.36, 0.28, 0.14]
    static let invalidCodes = [0, 6, 9, 99]
    static let invalidShares = [0.3, 0.2, 0.4, 0.1]
    static let departmentNames = [
        "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương",
        "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Tài nguyên và Môi trường",
        "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Ngoại vụ", "Ban Dân tộc",
        "Thanh tra tỉnh", "Văn phòng UBND tỉnh", "Ban Quản lý các khu công nghiệp",
    ]
    static let districtNames = [
        "UBND thành phố Sơn Hà", "UBND huyện Mường Lát", "UBND huyện Bắc Yên", "UBND huyện Phù Lâm",
        "UBND huyện Mai Sơn", "UBND huyện Sông Mã", "UBND huyện Thuận Hòa", "UBND huyện Quỳnh Nhai",
        "UBND huyện Mộc Lâm", "UBND huyện Vân Hồ", "UBND huyện Yên Thủy", "UBND huyện Sốp Cộp",
    ]

    /// One unit (stratum) of the synthetic province.
    public struct Unit: Sendable {
        public var id: String
        public var name: String
        public var level: String
        public var respondents: Int
        public var clusters: Int
        public var population: Double
        public var latentQuality: Double
    }

    public let configuration: Configuration
    public private(set) var units: [Unit] = []
    var factorProfile: [[Double]] = []
    var clusterUnit: [Int] = []
    var clusterName: [String] = []
    var clusterEffect: [Double] = []
    var clusterWeightAdjustment: [Double] = []
    var onlineShare: [Double] = []
    var assignment: [Int] = []

    public init(_ configuration: Configuration) throws {
        guard configuration.respondents >= 2 * Self.unitCount * 20 else {
            throw SyntheticError.tooFewRespondents(minimum: 2 * Self.unitCount * 20)
        }
        guard (0..<0.5).contains(configuration.invalidRate) else { throw SyntheticError.invalidRate }
        self.configuration = configuration
        buildDesign()
    }

    private mutating func buildDesign() {
        var rng = RandomSource(seed: configuration.seed, stream: [0])
        let n = configuration.respondents
        var alpha = (0..<Self.unitCount).map { _ in 0.45 + 0.42 * rng.normal() }
        // Pin the extremes so unit SIPAS spans roughly the 83.8%..99.2% range of Sơn La 2024 (seed 002).
        let order = alpha.indices.sorted { alpha[$0] < alpha[$1] }
        alpha[order.first!] = -0.25
        alpha[order.last!] = 1.65
        factorProfile = (0..<Self.unitCount).map { _ in (0..<5).map { _ in 0.12 * rng.normal() } }
        let clusterCounts = (0..<Self.unitCount).map { _ in rng.integer(in: 5...20) }
        onlineShare = (0..<Self.unitCount).map { _ in 0.15 + 0.5 * rng.uniform() }
        var shares = (0..<Self.unitCount).map { _ in exp(0.4 * rng.normal()) }
        let total = shares.reduce(0, +)
        shares = shares.map { $0 / total }
        // Largest-remainder allocation of n to units.
        let raw = shares.map { Double(n) * $0 }
        var counts = raw.map { Int($0.rounded(.down)) }
        let remainderOrder = raw.indices.sorted { (raw[$0] - Double(counts[$0]), $1) > (raw[$1] - Double(counts[$1]), $0) }
        for index in remainderOrder.prefix(n - counts.reduce(0, +)) { counts[index] += 1 }

        var respondentClusters: [Int] = []
        for u in 0..<Self.unitCount {
            let k = clusterCounts[u]
            let dirichlet = (0..<k).map { _ in rng.gamma(shape: 3) }
            var cumulative: [Double] = []
            var running = 0.0
            for value in dirichlet { running += value; cumulative.append(running) }
            var perCluster = [Int](repeating: 0, count: k)
            for _ in 0..<counts[u] { perCluster[rng.categorical(cumulative)] += 1 }
            // At least two respondents' worth of non-empty communes per unit, as in real fieldwork.
            for j in 0..<k where perCluster[j] == 0 && counts[u] >= 2 * k {
                let donor = perCluster.indices.max { perCluster[$0] < perCluster[$1] }!
                perCluster[donor] -= 1
                perCluster[j] += 1
            }
            let unitID = "U" + twoDigits(u + 1)
            for j in 0..<k {
                let cluster = clusterUnit.count
                clusterUnit.append(u)
                clusterName.append("\(unitID)-C" + twoDigits(j + 1))
                clusterEffect.append(0.34 * rng.normal())
                clusterWeightAdjustment.append(exp(0.25 * rng.normal()))
                respondentClusters += Array(repeating: cluster, count: perCluster[j])
            }
            let fraction = exp(log(0.01) + rng.uniform() * (log(0.10) - log(0.01)))
            let department = u < Self.departmentCount
            units.append(Unit(id: unitID,
                              name: department ? Self.departmentNames[u] : Self.districtNames[u - Self.departmentCount],
                              level: department ? "tinh" : "huyen", respondents: counts[u], clusters: k,
                              population: max((Double(counts[u]) / fraction).rounded(), Double(counts[u] + 1)),
                              latentQuality: alpha[u]))
        }
        // Shuffle (Fisher–Yates) so the file is not sorted by unit.
        for i in stride(from: respondentClusters.count - 1, to: 0, by: -1) {
            respondentClusters.swapAt(i, rng.integer(in: 0...i))
        }
        assignment = respondentClusters
    }
}

public enum SyntheticError: Error, CustomStringConvertible, LocalizedFailure {
    case tooFewRespondents(minimum: Int)
    case invalidRate
    case cannotWrite(String)
    public var description: String {
        switch self {
        case .tooFewRespondents(let minimum): return "--respondents must be at least \(minimum) so every commune can be sampled"
        case .invalidRate: return "--invalid-rate must be in [0, 0.5)"
        case .cannotWrite(let path): return "cannot write \(path)"
        }
    }

    public func text(_ language: Language) -> String {
        guard language == .vi else { return description }
        switch self {
        case .tooFewRespondents(let minimum): return "--respondents phải ít nhất là \(Note.integer(minimum, .vi)) để xã nào cũng có người được chọn"
        case .invalidRate: return "--invalid-rate phải trong khoảng [0; 0,5)"
        case .cannotWrite(let path): return "không ghi được \(path)"
        }
    }
}

/// "7" → "07".
func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
