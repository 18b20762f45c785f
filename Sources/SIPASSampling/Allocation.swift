import SIPASInstrument

/// Whole-number allocation of a total across strata so the parts add up exactly.
///
/// Largest-remainder (Hamilton) rule: each stratum's quota is total × wₕ / Σw; every stratum first gets ⌊quota⌋,
/// then the forms still missing go one each to the largest fractional parts; equal fractional parts go to the
/// stratum listed first. With capacities (a stratum cannot get more forms than it has people), a stratum whose
/// quota exceeds its capacity is fixed at its capacity and the rest is re-apportioned among the others, until
/// no quota exceeds its capacity.
///
/// Proportional allocation uses wₕ = Nₕ; Neyman allocation uses wₕ = Nₕ·Sₕ (Sₕ the stratum's SD), which
/// minimizes the variance of the stratified mean for a fixed total.
///
/// Totals above `SamplingError.maximumForms`, sizes that add up past Int.max and weights that add up past the
/// largest Double are errors (so no count or quota can trap on its way to a whole number).
///
/// Source: Cochran (1977) Sampling Techniques §5.5 (proportional) and §5.9 (Neyman); Balinski & Young (1982) for
/// the largest-remainder method.
public enum Apportionment {
    public static func largestRemainder(total: Int, weights: [Double], capacities: [Int]? = nil) throws -> [Int] {
        guard total >= 0 else { throw SamplingError(vi: "tổng số cần phân bổ không được âm", en: "the total to allocate cannot be negative") }
        guard total <= SamplingError.maximumForms else {
            throw SamplingError(vi: "không phân bổ được \(SamplingArithmetic.groupedVi(total)) phiếu: mẫu trên \(SamplingArithmetic.maximumFormsTextVi) phiếu không dùng được",
                                en: "cannot allocate \(total) forms: more than \(SamplingArithmetic.maximumFormsText) is not a usable sample")
        }
        if let capacities {
            guard capacities.count == weights.count else { throw SamplingError(vi: "mỗi tầng cần đúng một sức chứa", en: "one capacity per stratum is needed") }
            for (index, capacity) in capacities.enumerated() where capacity < 0 {
                throw SamplingError(row: index + 1, vi: "cỡ tầng không được âm", en: "a stratum size cannot be negative")
            }
            let room = try SamplingArithmetic.sum(capacities, LocalizedText(vi: "các cỡ tầng", en: "the stratum sizes"))
            guard total <= room else {
                throw SamplingError(vi: "không phân bổ được \(SamplingArithmetic.groupedVi(total)) phiếu: các tầng chỉ có tổng cộng \(SamplingArithmetic.groupedVi(room)) người",
                                    en: "cannot allocate \(total) forms: the strata hold only \(room) people in all")
            }
        }
        for (index, weight) in weights.enumerated() where !(weight >= 0 && weight.isFinite) {
            throw SamplingError(row: index + 1, vi: "trọng số của tầng (cỡ tầng, hoặc cỡ tầng × SD) phải là số hữu hạn ≥ 0",
                                en: "a stratum weight (size, or size × SD) must be a finite number ≥ 0")
        }
        guard weights.reduce(0, +).isFinite else {
            throw SamplingError(vi: "tổng trọng số các tầng (cỡ tầng, hoặc cỡ tầng × SD) vượt quá số lớn nhất",
                                en: "the stratum weights (sizes, or sizes × SDs) add up to more than the largest number")
        }
        var result = [Int](repeating: 0, count: weights.count)
        if total == 0 { return result }
        var active = Set(weights.indices.filter { weights[$0] > 0 })
        guard !active.isEmpty else { throw SamplingError(vi: "mọi tầng đều có trọng số 0: không có gì để phân bổ theo tỷ lệ",
                                                                en: "every stratum has weight 0: nothing to allocate in proportion to") }
        var fixed = [Bool](repeating: false, count: weights.count)
        var quotas = [Double](repeating: 0, count: weights.count)
        while true {
            let remaining = total - result.enumerated().filter { fixed[$0.offset] }.reduce(0) { $0 + $1.element }
            let weightSum = active.reduce(0) { $0 + weights[$1] }
            var capped = false
            for index in active {
                quotas[index] = Double(remaining) * weights[index] / weightSum
                // A weight near the largest Double overflows the product: divide first (the quota is ≤ remaining).
                if !quotas[index].isFinite { quotas[index] = Double(remaining) * (weights[index] / weightSum) }
                if let capacities, quotas[index] > Double(capacities[index]) {
                    result[index] = capacities[index]; fixed[index] = true; capped = true
                }
            }
            active = active.filter { !fixed[$0] }
            if !capped || active.isEmpty { break }
        }
        // 0 ≤ quota ≤ total ≤ maximumForms: the conversion cannot trap.
        let floors = active.reduce(into: [Int: Int]()) { $0[$1] = Int(quotas[$1].rounded(.down)) }
        for (index, value) in floors { result[index] = value }
        var missing = total - result.reduce(0, +)
        let order = active.sorted {
            let a = quotas[$0] - Double(floors[$0]!), b = quotas[$1] - Double(floors[$1]!)
            return a > b || (a == b && $0 < $1)
        }
        var cursor = 0
        while missing > 0, !order.isEmpty {
            let index = order[cursor % order.count]
            if capacities == nil || result[index] < capacities![index] { result[index] += 1; missing -= 1 }
            cursor += 1
            if cursor > order.count * (total + 1) { break }
        }
        guard missing == 0 else { throw SamplingError(vi: "không xếp được \(SamplingArithmetic.groupedVi(missing)) phiếu trong sức chứa của các tầng",
                                                         en: "cannot place \(missing) forms within the strata's capacities") }
        return result
    }

    /// Proportional allocation nₕ ∝ Nₕ, capped at Nₕ.
    public static func proportional(total: Int, sizes: [Int]) throws -> [Int] {
        try largestRemainder(total: total, weights: sizes.map(Double.init), capacities: sizes)
    }

    /// Neyman allocation nₕ ∝ Nₕ·Sₕ, capped at Nₕ.
    public static func neyman(total: Int, sizes: [Int], standardDeviations: [Double]) throws -> [Int] {
        guard sizes.count == standardDeviations.count else { throw SamplingError(vi: "mỗi tầng cần đúng một SD", en: "one SD per stratum is needed") }
        return try largestRemainder(total: total, weights: zip(sizes, standardDeviations).map { Double($0) * $1 },
                                    capacities: sizes)
    }
}
