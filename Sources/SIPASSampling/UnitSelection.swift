import SIPASInstrument
import SIPASSupport

/// How the units not chosen by default are drawn.
public enum UnitSelectionMethod: String, CaseIterable, Sendable {
    /// The seed's systematic rule on the sorted list (start 1, or a seeded start): see `SystematicSelection`.
    case systematic
    /// Simple random sampling without replacement (seeded partial Fisher–Yates).
    case random
    /// Probability proportional to size, systematic (seeded start; sizes from a column).
    case pps
}

/// Why a unit is in the selection.
public enum UnitSelectionReason: Equatable, Sendable {
    /// Chosen by default (the district seat, the administrative centre, the commune seat's village).
    case byDefault
    /// Drawn by the method.
    case drawn
    /// PPS: a unit at least as large as the interval, taken with certainty.
    case largeUnit
    /// Taken instead of the drawn unit at this list position (1-based), which was in the excluded list.
    case adjacent(replacing: Int)
}

/// One selected unit: its 1-based position in the sorted list and why it was taken.
public struct SelectedUnit: Equatable, Sendable {
    public var position: Int
    public var reason: UnitSelectionReason

    public init(position: Int, reason: UnitSelectionReason) { self.position = position; self.reason = reason }
}

/// The outcome of selecting units (communes, villages) from one sorted list.
public struct UnitSelection: Equatable, Sendable {
    public var listSize: Int
    public var requested: Int
    public var selected: [SelectedUnit] = []
    /// Notes the summary should show (e.g. more default units than requested, no adjacent unit free).
    public var notes: [Note] = []
    /// The PPS interval I = (total size of the candidates) / (units to draw), when PPS was used.
    public var ppsInterval: Double?
    /// The PPS random start in [0, I).
    public var ppsStart: Double?
}

/// Selection of primary units for the multistage plan (communes per district, villages per commune).
///
/// Steps, in this order:
/// 1. Units marked as chosen by default (administrative centres) are taken first (seed 000 §7.1 (2): "Chọn mặc
///    định thị trấn, phường là trung tâm hành chính"; seed 001 III.1.a: "Chọn mặc định 01 xã là nơi có trụ sở
///    UBND huyện"). If they are more than n, all of them are kept and a note says so.
/// 2. The remaining n − d are drawn from the other units of the sorted list by the method.
/// 3. Collision with the national sample: a drawn unit that is in the excluded list is replaced by the nearest
///    free unit in the sorted list — first the next one after it, then the one before, then two after, two
///    before, … ("lựa chọn đơn vị cấp xã liền kề trước hoặc sau", seed 000 §7.1). A free unit is neither
///    selected, excluded nor chosen by default. Default units are never replaced.
///
/// PPS systematic: candidates keep their sorted order; with total size M and m units to draw, the interval is
/// I = M / m and the points are r, r + I, …, r + (m − 1)I with r uniform in [0, I) from the seeded stream; the
/// unit whose cumulative size range [C₍ᵢ₋₁₎, Cᵢ) holds a point is taken. A unit with size ≥ I would be hit more
/// than once: such units are taken with certainty first and I is recomputed on the rest, until none is left.
///
/// Source: seed 000 (Lai Châu methodology) §7.1; seed 001 III.1.a; Cochran (1977) §9A.
public enum UnitSelector {
    public static func select(listSize: Int, count n: Int, method: UnitSelectionMethod, sizes: [Double]? = nil,
                              byDefault: Set<Int> = [], excluded: Set<Int> = [], random: inout RandomSource) throws
        -> UnitSelection
    {
        var result = UnitSelection(listSize: listSize, requested: n)
        let defaults = byDefault.filter { $0 >= 1 && $0 <= listSize }.sorted()
        for position in defaults { result.selected.append(SelectedUnit(position: position, reason: .byDefault)) }
        if defaults.count > n {
            result.notes.append(Note(.general, vi: "\(defaults.count) đơn vị được chọn mặc định, nhiều hơn \(n) đơn vị cần chọn; giữ tất cả",
                                     en: "\(defaults.count) units are chosen by default, more than the \(n) requested; all are kept"))
        }
        let toDraw = max(0, min(n, listSize) - defaults.count)
        let candidates = (1...max(listSize, 1)).filter { $0 <= listSize && !byDefault.contains($0) }
        if n > listSize {
            result.notes.append(Note(.general, vi: "danh sách chỉ có \(listSize) đơn vị cho \(n) đơn vị cần chọn: lấy tất cả",
                                     en: "only \(listSize) units on the list for \(n) requested: all are taken"))
        }
        var drawn: [SelectedUnit] = []
        if toDraw > 0 {
            switch method {
            case .systematic:
                drawn = SystematicSelection.positions(populationSize: candidates.count, sampleSize: toDraw)
                    .map { SelectedUnit(position: candidates[$0 - 1], reason: .drawn) }
            case .random:
                var pool = candidates
                for i in 0..<toDraw {
                    let j = random.integer(in: i...(pool.count - 1))
                    pool.swapAt(i, j)
                }
                drawn = pool.prefix(toDraw).sorted().map { SelectedUnit(position: $0, reason: .drawn) }
            case .pps:
                guard let sizes, sizes.count == listSize else {
                    throw SamplingError(vi: "chọn PPS cần cỡ của mọi đơn vị", en: "PPS selection needs a size for every unit")
                }
                for (index, size) in sizes.enumerated() where !(size > 0 && size.isFinite) && !byDefault.contains(index + 1) {
                    throw SamplingError(row: index + 1, vi: "cỡ PPS phải là số lớn hơn 0", en: "a PPS size must be a number above 0")
                }
                guard candidates.reduce(0, { $0 + sizes[$1 - 1] }).isFinite else {
                    throw SamplingError(vi: "tổng các cỡ PPS vượt quá số lớn nhất", en: "the PPS sizes add up to more than the largest number")
                }
                drawn = pps(candidates: candidates, sizes: sizes, count: toDraw, random: &random, result: &result)
            }
        }
        // Replace collisions with the national sample by the adjacent free unit.
        var taken = Set(result.selected.map(\.position)).union(drawn.map(\.position))
        for index in drawn.indices where excluded.contains(drawn[index].position) {
            let original = drawn[index].position
            var replacement: Int?
            var distance = 1
            while replacement == nil, distance < listSize {
                for candidate in [original + distance, original - distance]
                where candidate >= 1 && candidate <= listSize && !taken.contains(candidate)
                    && !excluded.contains(candidate) && !byDefault.contains(candidate)
                {
                    replacement = candidate
                    break
                }
                distance += 1
            }
            if let replacement {
                taken.insert(replacement)
                drawn[index] = SelectedUnit(position: replacement, reason: .adjacent(replacing: original))
            } else {
                result.notes.append(Note(.general, vi: "đơn vị ở vị trí \(original) của danh sách thuộc danh sách loại trừ và không còn đơn vị liền kề nào: bỏ đơn vị này",
                                         en: "unit at list position \(original) is in the excluded list and no adjacent unit is free: it was dropped"))
                drawn[index].position = 0
            }
        }
        result.selected += drawn.filter { $0.position > 0 }
        result.selected.sort { $0.position < $1.position }
        return result
    }

    private static func pps(candidates: [Int], sizes: [Double], count: Int, random: inout RandomSource,
                            result: inout UnitSelection) -> [SelectedUnit]
    {
        var chosen: [SelectedUnit] = []
        var remaining = candidates
        var toDraw = count
        // Certainty units: size ≥ interval.
        while toDraw > 0, !remaining.isEmpty {
            let total = remaining.reduce(0) { $0 + sizes[$1 - 1] }
            let interval = total / Double(toDraw)
            let large = remaining.filter { sizes[$0 - 1] >= interval }
            if large.isEmpty { break }
            let take = large.sorted { sizes[$0 - 1] > sizes[$1 - 1] || (sizes[$0 - 1] == sizes[$1 - 1] && $0 < $1) }
                .prefix(toDraw)
            for position in take { chosen.append(SelectedUnit(position: position, reason: .largeUnit)) }
            toDraw -= take.count
            remaining.removeAll { take.contains($0) }
        }
        guard toDraw > 0, !remaining.isEmpty else { return chosen }
        if remaining.count <= toDraw { return chosen + remaining.map { SelectedUnit(position: $0, reason: .drawn) } }
        let total = remaining.reduce(0) { $0 + sizes[$1 - 1] }
        let interval = total / Double(toDraw)
        let start = random.uniform() * interval
        result.ppsInterval = interval
        result.ppsStart = start
        var cumulative = 0.0
        var j = 0
        for position in remaining {
            let upper = cumulative + sizes[position - 1]
            if j < toDraw, start + Double(j) * interval < upper {
                chosen.append(SelectedUnit(position: position, reason: .drawn))
                j += 1
            }
            cumulative = upper
        }
        return chosen
    }
}
