import SIPASSupport

/// Systematic selection from a sorted list, the reserve list, and borrowing reserves across fields.
///
/// Positions are 1-based, as in the seed ("số thứ tự"). With interval k = N / n and start i = 1 the seed's rule
/// is i, i + k, i + 2k, …, i + (n − 1)k (seed 001, III.1.b, Step 2); N = 1,500, n = 20 gives k = 75 and
/// 1, 76, 151, 226, …, 1,426.
///
/// Non-integer k (the fractional-interval rule): position j (j = 0 … n − 1) is ⌊1 + j·N/n⌋, computed in integers
/// as 1 + ⌊j·N / n⌋. It equals the seed's rule whenever k is a whole number, never leaves the list (the last
/// position is at most N), never repeats a person, and spreads the n picks as evenly as whole positions allow
/// (consecutive gaps are ⌊k⌋ or ⌈k⌉).
///
/// Seeded random start (optional): draw t uniformly from 0 … N − 1 and take 1 + ⌊(t + j·N) / n⌋. This is the
/// fractional-interval method with a random start on the grid 0, 1/n, 2/n, … of [0, k): every person has the
/// same chance n / N of selection. t = 0 is the seed's fixed start.
///
/// Census (điều tra toàn bộ): when N ≤ n everyone is taken (seed 001, III.1.b, note to Step 2: "số lượng mẫu
/// điều tra chính thức được xác định bằng số lượng người dân … đã trực tiếp giao dịch").
///
/// Source: seed 001 (Sơn La 2024 plan), section III.1.b, Steps 2 and 3.
public enum SystematicSelection {
    /// The 1-based positions chosen from a list of N with n picks and start offset t (0 = the seed's start 1).
    public static func positions(populationSize N: Int, sampleSize n: Int, startOffset t: Int = 0) -> [Int] {
        guard N > 0, n > 0 else { return [] }
        if N <= n { return Array(1...N) }
        return (0..<n).map { j in 1 + (t + j * N) / n }
    }

    /// A start offset t drawn uniformly from 0 … N − 1.
    public static func randomStartOffset(populationSize N: Int, using random: inout RandomSource) -> Int {
        N <= 1 ? 0 : random.integer(in: 0...(N - 1))
    }

    /// The reserve size for an allocation n: 50% of n, rounded up (n = 25 → 13), per seed 001, III.1.b Step 3
    /// ("số lượng bằng 50% cỡ mẫu đã phân bổ"). Never traps: for a fraction in 0…1 the answer is at most n (near
    /// Int.max, Double(n) rounds above n: it is capped at n); a fraction above 1 saturates at Int.max.
    public static func reserveSize(allocated n: Int, fraction: Double = 0.5) -> Int {
        let size = (Double(n) * fraction - 1e-9).rounded(.up)
        guard size > 0 else { return 0 }  // also NaN
        if fraction <= 1, size >= Double(n) { return n }
        return size < 0x1p63 ? Int(size) : .max
    }

    /// Main and reserve selection for one list (one service of one agency).
    ///
    /// The reserve is drawn from the rest of the list (the N − n people not in the main sample, kept in their
    /// sorted order) by the same rule, with the same kind of start (1, or a fresh seeded start when `random` is
    /// given). When the rest holds fewer than the reserve size, all of it is taken and the shortfall recorded.
    public static func draw(populationSize N: Int, allocated n: Int, reserveFraction: Double = 0.5) -> SystematicDraw {
        var unused = RandomSource(seed: 0)
        return draw(populationSize: N, allocated: n, reserveFraction: reserveFraction, randomStart: false, using: &unused)
    }

    /// The same draw with, when `randomStart` is true, seeded random starts for the sample and the reserve
    /// (two draws from `random`, in that order).
    public static func draw(populationSize N: Int, allocated n: Int, reserveFraction: Double = 0.5, randomStart: Bool,
                            using random: inout RandomSource) -> SystematicDraw
    {
        var draw = SystematicDraw(populationSize: N, allocated: n)
        draw.reserveTarget = reserveSize(allocated: n, fraction: reserveFraction)
        draw.census = N <= n
        if randomStart, !draw.census { draw.startOffset = randomStartOffset(populationSize: N, using: &random) }
        draw.sample = positions(populationSize: N, sampleSize: n, startOffset: draw.startOffset)
        let chosen = Set(draw.sample)
        let rest = (1...max(N, 1)).filter { $0 <= N && !chosen.contains($0) }
        if draw.reserveTarget > 0, !rest.isEmpty {
            if randomStart, rest.count > draw.reserveTarget {
                draw.reserveStartOffset = randomStartOffset(populationSize: rest.count, using: &random)
            }
            draw.reserve = positions(populationSize: rest.count, sampleSize: draw.reserveTarget,
                                     startOffset: draw.reserveStartOffset).map { rest[$0 - 1] }
        }
        return draw
    }

    /// Lends reserves to the lists that run short, from the other lists of the same set (e.g. the other service
    /// fields of the same agency): "Trường hợp mẫu dự phòng ở lĩnh vực/dịch vụ nào không đủ, thì lấy mẫu dự phòng
    /// ở lĩnh vực/dịch vụ còn lại" (seed 001, III.1.b Step 3).
    ///
    /// Rule: lists are served in their given order. A list short by s takes s people from the leftovers of the
    /// other lists in its set (people in neither the sample nor a reserve, nor lent before), pooled in list order
    /// and then sorted order, by the same systematic rule (start 1) on the pool. If the pool is too small, all of
    /// it is lent and the remaining shortfall stays on the list.
    ///
    /// - Parameter sets: for each list, the key of its set (lists with equal keys lend to each other).
    public static func borrowReserves(_ draws: inout [SystematicDraw], sets: [String]) {
        var lent = draws.map { _ in Set<Int>() }
        for index in draws.indices where draws[index].reserveShortfall > 0 {
            var pool: [(list: Int, position: Int)] = []
            for other in draws.indices where other != index && sets[other] == sets[index] {
                let used = Set(draws[other].sample).union(draws[other].reserve).union(lent[other])
                for position in 1...max(draws[other].populationSize, 1)
                where position <= draws[other].populationSize && !used.contains(position) {
                    pool.append((other, position))
                }
            }
            let need = draws[index].reserveShortfall
            for pick in positions(populationSize: pool.count, sampleSize: need) {
                let (list, position) = pool[pick - 1]
                lent[list].insert(position)
                draws[index].borrowed.append(BorrowedReserve(list: list, position: position))
            }
        }
    }
}

/// A reserve person lent by another list: the index of that list and the 1-based sorted position in it.
public struct BorrowedReserve: Equatable, Sendable {
    public var list: Int
    public var position: Int
}

/// The outcome of a systematic draw on one sorted list.
public struct SystematicDraw: Equatable, Sendable {
    /// N: people on the list.
    public var populationSize: Int
    /// n: forms allocated to the list.
    public var allocated: Int
    /// True when N ≤ n and everyone was taken.
    public var census = false
    /// The random start offset t (0 = the seed's start at position 1).
    public var startOffset = 0
    /// The start offset of the reserve draw on the rest of the list.
    public var reserveStartOffset = 0
    /// The chosen 1-based positions in the sorted list, in order.
    public var sample: [Int] = []
    /// The reserve size asked for: ⌈50% of n⌉.
    public var reserveTarget = 0
    /// Reserve positions drawn from this list's rest.
    public var reserve: [Int] = []
    /// Reserve people lent by other lists of the same set.
    public var borrowed: [BorrowedReserve] = []

    public init(populationSize: Int, allocated: Int) {
        self.populationSize = populationSize; self.allocated = allocated
    }

    /// k = N / n (the seed's interval), nil when n = 0.
    public var interval: Double? { allocated > 0 ? Double(populationSize) / Double(allocated) : nil }
    /// Reserve people still missing after the list's own rest and any borrowing.
    public var reserveShortfall: Int { max(0, reserveTarget - reserve.count - borrowed.count) }
}
