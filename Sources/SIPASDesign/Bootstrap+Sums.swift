import SIPASData
import SIPASSupport
/// Replicates of statistics that depend on the data only through weighted sums, from sufficient statistics.
///
/// Many statistics — means, correlation and cross-product matrices, hence regressions and relative importance
/// — are functions of Σᵢ wᵢ·vᵢ for some vector vᵢ per row. A replicate then needs only Σ over resampling units
/// of (multiplier × the unit's sum), not a pass over the rows:
///
/// - PSU methods (`cluster`, `rao-wu`): each PSU's sum is formed once; a replicate costs one multiply-add per
///   PSU, with exactly the draws of `multipliers(_:)`, so the numbers equal the row-by-row computation.
/// - `respondent`: rows with the same stratum, weight and vector are one class (a survey with Likert answers
///   has far fewer classes than rows). Resampling n_h respondents with replacement within stratum h makes the
///   class counts multinomial(n_h; f_c/n_h) — drawn directly as successive binomials,
///   k_c ~ Binomial(n_h − Σ_{c'<c} k_{c'}, f_c / (n_h − Σ_{c'<c} f_{c'})), in the order classes first appear,
///   for classes of at least `ResamplingClasses.pooledBelow` rows; the small classes are pooled: their total
///   is the last share of the binomial chain, and those draws fall on the pool's rows one by one, uniformly.
///   Same distribution as drawing respondents one by one, at a cost per large class (and per row of a small
///   one) instead of per respondent.
///
/// Replicate b uses its own random stream (seed, b): the results do not depend on the number of threads.
extension Bootstrap {
    /// `statistic` of each replicate's sums Σᵢ wᵢ·mᵢ·vᵢ, in replicate order; `vector(i, &v)` writes row i's
    /// `width` numbers into v (called once per design row, so no rows × width array is ever held).
    /// Replicates run on `execution.threads` threads.
    public func replicateSums<T: Sendable>(width: Int, vector: (Int, inout [Double]) -> Void,
                                           _ statistic: @Sendable ([Double]) throws -> T) throws -> [T] {
        let report = execution.progress
        let counter = Counter()
        let total = replicates
        let draw: (Int) -> [Double]
        if method == .respondent {
            // Replicates in blocks when the classes' sums are larger than the cache: one pass over the classes
            // serves a whole block, and the block's counts live in one buffer. Each replicate's sums are still added class by
            // class in class order, so the numbers do not depend on the block size or the thread count.
            let classes = ResamplingClasses(design: design, width: width, vector: vector)
            let blockSize = classes.size.count * width * 8 > ResamplingClasses.cacheBytes ? ResamplingClasses.blockSize : 1
            let blocks = Array(stride(from: 0, to: replicates, by: blockSize))
            let nested = try blocks.parallelMap(threads: execution.threads) { first -> [T] in
                let sums = classes.replicateSums(seed: self.seed, replicates: first..<min(first + blockSize, total))
                return try sums.map { sums in
                    let result = try statistic(sums)
                    if let report { try report(counter.increment(), total) }
                    return result
                }
            }
            return nested.flatMap { $0 }
        } else {
            var psuSums = [Double](repeating: 0, count: design.psuCount * width)
            var values = [Double](repeating: 0, count: width)
            for row in 0..<design.rowCount {
                vector(row, &values)
                let psu = design.stageUnits[0][row], w = design.weights[row]
                for j in 0..<width { psuSums[psu * width + j] += w * values[j] }
            }
            let sums = psuSums
            draw = { b in
                let multipliers = self.unitMultipliers(b).multipliers
                var result = [Double](repeating: 0, count: width)
                for (psu, m) in multipliers.enumerated() where m != 0 {
                    for j in 0..<width { result[j] += m * sums[psu * width + j] }
                }
                return result
            }
        }
        return try Array(0..<replicates).parallelMap(threads: execution.threads) { b in
            let result = try statistic(draw(b))
            if let report { try report(counter.increment(), total) }
            return result
        }
    }

    /// The classes of a respondent bootstrap drawn in replicate `b` and how many times each was drawn, with
    /// each class's first row: what `replicateSums` used, for checking it against the row-by-row statistic.
    public func respondentClassCounts(width: Int, vector: (Int, inout [Double]) -> Void, replicate b: Int) -> [(row: Int, count: Int)] {
        let classes = ResamplingClasses(design: design, width: width, vector: vector)
        let counts = classes.draw(seed: seed, replicate: b)
        return counts.indices.map { (classes.firstRow[$0], counts[$0]) }
    }
}

/// Respondents merged into classes of equal stratum, weight and vector.
struct ResamplingClasses {
    let width: Int
    /// Per class: the first row, the number of rows, and the weighted vector w·v of one row.
    var firstRow: [Int] = []
    var size: [Int] = []
    var weightedValues: [Double] = []
    /// Per stratum: its large classes in order of first appearance, the class of each row of its small
    /// classes (the pool), and its number of rows.
    var classesOfStratum: [[Int]]
    var poolOfStratum: [[Int32]]
    var rowsOfStratum: [Int]
    /// Classes with fewer rows than this are drawn row by row from a pool rather than by a binomial.
    static let pooledBelow = 32

    init(design: SurveyDesign, width: Int, vector: (Int, inout [Double]) -> Void) {
        self.width = width
        classesOfStratum = Array(repeating: [], count: design.strataCount)
        poolOfStratum = Array(repeating: [], count: design.strataCount)
        rowsOfStratum = Array(repeating: 0, count: design.strataCount)
        // Classes found by a 64-bit hash of (stratum, weight, vector), collisions chained and compared exactly.
        var firstWithHash: [UInt64: Int32] = [:]
        var nextWithHash: [Int32] = []
        var classStratum: [Int] = [], classWeight: [Double] = [], classVector: [Double] = []
        var values = [Double](repeating: 0, count: width)
        for row in 0..<design.rowCount {
            let stratum = design.stageParents[0][design.stageUnits[0][row]]
            let w = design.weights[row]
            vector(row, &values)
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(stratum)
            hash = (hash ^ w.bitPattern) &* 0x0000_0100_0000_01B3
            for value in values { hash = (hash ^ value.bitPattern) &* 0x0000_0100_0000_01B3; hash ^= hash >> 29 }
            rowsOfStratum[stratum] += 1
            var candidate = firstWithHash[hash] ?? -1
            while candidate >= 0 {
                let id = Int(candidate)
                if classStratum[id] == stratum && classWeight[id] == w
                    && (0..<width).allSatisfy({ classVector[id * width + $0] == values[$0] }) { break }
                candidate = nextWithHash[id]
            }
            if candidate >= 0 {
                size[Int(candidate)] += 1
            } else {
                let id = size.count
                nextWithHash.append(firstWithHash[hash] ?? -1)
                firstWithHash[hash] = Int32(id)
                classStratum.append(stratum); classWeight.append(w); classVector += values
                firstRow.append(row)
                size.append(1)
                for j in 0..<width { weightedValues.append(w * values[j]) }
                classesOfStratum[stratum].append(id)
            }
        }
        for stratum in classesOfStratum.indices {
            let small = classesOfStratum[stratum].filter { size[$0] < Self.pooledBelow }
            classesOfStratum[stratum].removeAll { size[$0] < Self.pooledBelow }
            poolOfStratum[stratum] = small.flatMap { id in repeatElement(Int32(id), count: size[id]) }
        }
    }

    /// Replicates drawn and summed together by `Bootstrap.replicateSums` when the classes' sums do not fit in
    /// `cacheBytes` (below that, one replicate at a time is faster).
    static let blockSize = 16
    static let cacheBytes = 16 << 20

    /// How many times each class is drawn in replicate `b`: multinomial within each stratum with more than one
    /// row (a single row is kept once, as `Bootstrap.multipliers` does).
    func draw(seed: UInt64, replicate b: Int) -> [Int] {
        var counts = [Int32](repeating: 0, count: size.count)
        counts.withUnsafeMutableBufferPointer { draw(seed: seed, replicate: b, into: $0) }
        return counts.map(Int.init)
    }

    /// `draw(seed:replicate:)` into `counts` (zero on entry).
    func draw(seed: UInt64, replicate b: Int, into counts: UnsafeMutableBufferPointer<Int32>) {
        var rng = RandomSource(seed: seed, stream: [0x5EED_B007, UInt64(b)])
        for (stratum, classes) in classesOfStratum.enumerated() {
            let n = rowsOfStratum[stratum]
            let pool = poolOfStratum[stratum]
            guard n > 1 else {
                for id in classes { counts[id] = Int32(size[id]) }
                for id in pool { counts[Int(id)] += 1 }
                continue
            }
            var remainingDraws = n, remainingRows = n
            for id in classes {
                guard remainingDraws > 0 else { break }
                let k = size[id] == remainingRows
                    ? remainingDraws
                    : rng.binomial(remainingDraws, Double(size[id]) / Double(remainingRows))
                counts[id] = Int32(k)
                remainingDraws -= k
                remainingRows -= size[id]
            }
            // What is left falls on the pool, row by row.
            if !pool.isEmpty {
                let size = UInt64(pool.count)
                pool.withUnsafeBufferPointer { pool in
                    // A uniform position by multiply-shift (Lemire 2019): the high word of next() × size.
                    for _ in 0..<remainingDraws { counts[Int(pool[Int(rng.next().multipliedFullWidth(by: size).high)])] += 1 }
                }
            }
        }
    }

    /// The sums Σ_c k_bc · w·v_c of the replicates b in `replicates`, added class by class in class order.
    func replicateSums(seed: UInt64, replicates: Range<Int>) -> [[Double]] {
        let classCount = size.count, width = self.width, block = replicates.count
        let counts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, block * classCount))
        let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, block * width))
        defer { counts.deallocate(); sums.deallocate() }
        counts.initialize(repeating: 0)
        sums.initialize(repeating: 0)
        for (offset, b) in replicates.enumerated() {
            draw(seed: seed, replicate: b, into: UnsafeMutableBufferPointer(rebasing: counts[(offset * classCount)..<((offset + 1) * classCount)]))
        }
        weightedValues.withUnsafeBufferPointer { values in
            for id in 0..<classCount {
                let base = id * width
                for offset in 0..<block {
                    let count = counts[offset * classCount + id]
                    guard count != 0 else { continue }
                    let k = Double(count), target = offset * width
                    for j in 0..<width { sums[target + j] += k * values[base + j] }
                }
            }
        }
        return (0..<block).map { offset in Array(sums[(offset * width)..<((offset + 1) * width)]) }
    }
}
