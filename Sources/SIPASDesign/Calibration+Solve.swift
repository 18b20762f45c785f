import Foundation
import SIPASData
import SIPASInstrument
import SIPASSupport

/// The calibration variables of the design's rows, matched to the margins' categories.
public struct CalibrationData: Sendable {
    /// Per margin: each row's category (an index into the margin's categories).
    public let marginCodes: [[Int32]]
    /// Per numeric total: each row's value.
    public let numeric: [[Double]]
    public let rowCount: Int

    public init(marginCodes: [[Int32]], numeric: [[Double]], rowCount: Int) {
        precondition(marginCodes.allSatisfy { $0.count == rowCount } && numeric.allSatisfy { $0.count == rowCount },
                     "one calibration value per row")
        self.marginCodes = marginCodes; self.numeric = numeric; self.rowCount = rowCount
    }
}

/// A margin category's (or numeric total's) target, and the weighted sample's value before and after.
public struct CalibrationTarget: Sendable, Equatable {
    /// The margin ("gender", "gender × age_group") or total variable.
    public let variable: String
    /// The category ("nam"), or "" for a numeric total.
    public let category: String
    public let target: Double
    /// Σ d over the category (Σ d·x for a total) with the design weights.
    public let initial: Double
    /// The same sum with the calibrated weights.
    public let achieved: Double
    /// Respondents in the category (0 for a total).
    public let respondents: Int
}

/// Calibrated weights and what the calibration did.
public struct CalibrationResult: Sendable {
    public let method: CalibrationMethod
    /// The calibrated weights wᵢ = dᵢ gᵢ.
    public let weights: [Double]
    /// The design weights dᵢ before calibration.
    public let designWeights: [Double]
    /// Iterations of the final calibration (IPF sweeps for rake, Newton steps otherwise; 1 for post-stratify).
    public let iterations: Int
    /// Trim-and-recalibrate rounds (0 without `trim`).
    public let trimRounds: Int
    /// The trimming cap (upper × median calibrated weight before trimming), when trimming was asked for.
    public let trimCap: Double?
    /// Every target with its values before and after.
    public let targets: [CalibrationTarget]
    /// The largest |achieved − target| / (1 + |target|).
    public let maxRelativeError: Double
    /// R's `grake` rescales the design weights by the mean ratio of targets to sample totals when every
    /// ratio exceeds 20 (an unweighted sample); bounds then apply to the rescaled weights. nil when not.
    public let rescaling: Double?
    /// Things the reader should know (trimming that could not reach the cap, rescaled bounds).
    public let notes: [LocalizedText]
    /// The linearization of the calibration (the residuals of influence values).
    let adjustment: CalibrationAdjustment
    /// What was calibrated to, for calibrating replicate weights again.
    let specification: CalibrationSpecification

    /// gᵢ = wᵢ / dᵢ.
    public var g: [Double] { zip(weights, designWeights).map { $0 / $1 } }

    init(method: CalibrationMethod, weights: [Double], designWeights: [Double], iterations: Int, trimRounds: Int, trimCap: Double?,
         targets: [CalibrationTarget], maxRelativeError: Double, rescaling: Double?, notes: [LocalizedText], adjustment: CalibrationAdjustment,
         specification: CalibrationSpecification) {
        self.method = method; self.weights = weights; self.designWeights = designWeights; self.iterations = iterations
        self.trimRounds = trimRounds; self.trimCap = trimCap; self.targets = targets; self.maxRelativeError = maxRelativeError
        self.rescaling = rescaling; self.notes = notes; self.adjustment = adjustment; self.specification = specification
    }

    /// Bootstrap replicate weights calibrated again: the design weights times a replicate's `multipliers`,
    /// calibrated to the same targets by the same method (trimming included). nil when the replicate cannot
    /// be calibrated (a category left without weight, no convergence): that replicate has no estimate.
    public func recalibrated(multipliers: [Double]) -> [Double]? {
        precondition(multipliers.count == designWeights.count, "one multiplier per design row")
        let columns = adjustment.columns
        let data = CalibrationData(marginCodes: columns.marginCodes, numeric: columns.numeric, rowCount: columns.rowCount)
        let base = zip(designWeights, multipliers).map { $0 * $1 }
        guard let result = try? specification.calibrate(data, weights: base), result.weights.allSatisfy(\.isFinite) else { return nil }
        return result.weights
    }

    /// `result` with the variance adjustment prepared for a design.
    init(replacing result: CalibrationResult, adjustment: CalibrationAdjustment) {
        self.init(method: result.method, weights: result.weights, designWeights: result.designWeights, iterations: result.iterations,
                  trimRounds: result.trimRounds, trimCap: result.trimCap, targets: result.targets,
                  maxRelativeError: result.maxRelativeError, rescaling: result.rescaling, notes: result.notes, adjustment: adjustment,
                  specification: result.specification)
    }
}

extension CalibrationSpecification {
    /// Matches the calibration variables of `rows` of `table` to the margins' categories (text, as written;
    /// numbers also match numerically, so `1` matches `1.0`). Errors name the file, row, variable and value.
    public func bind(table: ResponseTable, rows: [Int]) throws -> CalibrationData {
        var marginCodes: [[Int32]] = []
        for margin in margins {
            let columns = try margin.variables.map { try table.requireMetadata($0) }
            // Per variable: data level → the category values that use it.
            var cellOf: [[String]: Int32] = [:]
            for (index, category) in margin.categories.enumerated() { cellOf[category] = Int32(index) }
            let levelMaps: [[String?]] = columns.enumerated().map { v, column in
                let known = Set(margin.categories.map { $0[v] })
                return column.levels.map { level in
                    let text = level.trimmingCharacters(in: .whitespaces)
                    if known.contains(text) { return text }
                    if let number = Double(text), let match = known.first(where: { Double($0) == number }) { return match }
                    return nil
                }
            }
            var codes = [Int32](repeating: 0, count: rows.count)
            var cache: [[UInt32]: Int32] = [:]
            var unknown: (row: Int, variable: String, value: String, count: Int)?
            for (index, row) in rows.enumerated() {
                let key = columns.map { $0.codes[row] }
                if let code = cache[key] { codes[index] = code; continue }
                var values: [String] = []
                for (v, column) in columns.enumerated() {
                    let raw = column[row]
                    if raw.trimmingCharacters(in: .whitespaces).isEmpty {
                        throw CalibrationError.blank(file: table.source, row: row + 1, variable: column.name)
                    }
                    guard let value = levelMaps[v][Int(key[v])] else {
                        let count = rows.filter { columns[v].codes[$0] == key[v] }.count
                        if unknown == nil { unknown = (row + 1, column.name, raw, count) }
                        break
                    }
                    values.append(value)
                }
                if let unknown {
                    throw CalibrationError.categoryNotInMargins(file: table.source, row: unknown.row, variable: unknown.variable,
                                                                value: unknown.value, respondents: unknown.count)
                }
                guard let code = cellOf[values] else {
                    // Every value is known but the combination is not a listed cell.
                    throw CalibrationError.categoryNotInMargins(
                        file: table.source, row: row + 1, variable: margin.name, value: values.joined(separator: " × "),
                        respondents: rows.filter { r in columns.indices.allSatisfy { columns[$0].codes[r] == key[$0] } }.count)
                }
                cache[key] = code
                codes[index] = code
            }
            marginCodes.append(codes)
        }
        var numeric: [[Double]] = []
        for total in totals {
            let parsed = try table.numbers(named: total.variable)
            numeric.append(try rows.map { row in
                let value = parsed[row]
                guard value.isFinite else {
                    let text = table.metadata(named: total.variable).map { $0[row] } ?? ""
                    if text.trimmingCharacters(in: .whitespaces).isEmpty {
                        throw CalibrationError.blank(file: table.source, row: row + 1, variable: total.variable)
                    }
                    throw CalibrationError.notANumber(file: table.source, row: row + 1, variable: total.variable, value: text)
                }
                return value
            })
        }
        return CalibrationData(marginCodes: marginCodes, numeric: numeric, rowCount: rows.count)
    }

    /// Calibrates `weights` (the design weights, one per row of `data`) to the targets.
    ///
    /// - post-stratify: gᵢ = N_c / Σ_{j∈c} dⱼ.
    /// - rake: iterative proportional fitting, each margin in turn, until every margin is met.
    /// - linear, raking, logit: Newton's method on Σ dᵢ F(xᵢᵀλ) xᵢ = X − Σ dᵢ xᵢ with F the calibration
    ///   function and its bounds, as R's `grake`.
    ///
    /// With `trim`, weights above the cap (upper × the median calibrated weight) are set to the cap and the
    /// result is calibrated again, until no weight exceeds the cap by more than 10⁻⁶ (at most 50 rounds).
    /// - Throws: `CalibrationError` naming the margin and category (empty, not converged, outside the bounds).
    public func calibrate(_ data: CalibrationData, weights designWeights: [Double]) throws -> CalibrationResult {
        try validate()
        precondition(designWeights.count == data.rowCount, "one design weight per row")
        precondition(data.marginCodes.count == margins.count && data.numeric.count == totals.count, "data bound to this specification")
        let columns = CalibrationColumns(specification: self, marginCodes: data.marginCodes, numeric: data.numeric,
                                         rowCount: data.rowCount)
        try checkCategoriesPresent(data)
        var solution = try solve(columns, base: designWeights)
        var rounds = 0
        var notes: [LocalizedText] = []
        var cap: Double?
        if let trimUpper {
            let limit = trimUpper * (OrderStatistics.median(solution.weights) ?? .nan)
            cap = limit
            while rounds < 50, solution.weights.contains(where: { $0 > limit * (1 + 1e-6) }) {
                rounds += 1
                let trimmed = solution.weights.map { min($0, limit) }
                solution = try solve(columns, base: trimmed)
            }
            if let largest = solution.weights.max(), largest > limit * (1 + 1e-6) {
                let ratio = String(format: "%.4g", largest / limit)
                notes.append(LocalizedText(
                    vi: "việc cắt trọng số dừng sau \(rounds) vòng với trọng số lớn nhất bằng \(Note.vi(ratio)) "
                        + "lần mức trần: các biên cần trọng số lớn hơn mức đó",
                    en: "trimming stopped after \(rounds) rounds with the largest weight \(ratio) × the cap: the margins need weights above it"))
            }
        }
        if let rescaling = solution.rescaling, bounds != nil {
            let factor = String(format: "%.6g", rescaling)
            notes.append(LocalizedText(
                vi: "mọi tổng mục tiêu đều lớn hơn 20 lần tổng có trọng số của mẫu: quyền số thiết kế được nhân với "
                    + "\(Note.vi(factor)) trước khi hiệu chỉnh và giới hạn của g tính theo quyền số đã nhân (như grake của R)",
                en: "every target is more than 20 times the sample's weighted total: the design weights were scaled by "
                    + "\(factor) before calibration and the bounds apply to g relative to the scaled weights (as R's grake)"))
        }
        let nonPositive = solution.weights.filter { !($0 > 0) }.count
        if nonPositive > 0 {
            notes.append(LocalizedText(
                vi: "\(nonPositive) quyền số hiệu chỉnh bằng 0 hoặc âm (hiệu chỉnh tuyến tính có thể cho g < 0): ước lượng vẫn không chệch, "
                    + "nhưng hãy đặt giới hạn (ví dụ bounds: [0.3, 3]) hoặc dùng method raking hay logit để có quyền số công bố được",
                en: "\(nonPositive) calibrated weight\(nonPositive == 1 ? " is" : "s are") zero or negative (linear calibration "
                    + "can give g < 0): estimates are still unbiased, but set bounds (e.g. bounds: [0.3, 3]) or use method raking or logit "
                    + "for weights that can be published"))
        }
        // The targets, by margin and category, before and after.
        var targets: [CalibrationTarget] = []
        for (m, margin) in margins.enumerated() {
            var before = [Double](repeating: 0, count: margin.categories.count), after = before
            var counts = [Int](repeating: 0, count: margin.categories.count)
            for (i, code) in data.marginCodes[m].enumerated() {
                before[Int(code)] += designWeights[i]; after[Int(code)] += solution.weights[i]; counts[Int(code)] += 1
            }
            for c in margin.categories.indices {
                targets.append(CalibrationTarget(variable: margin.name, category: margin.label(c), target: margin.counts[c],
                                                 initial: before[c], achieved: after[c], respondents: counts[c]))
            }
        }
        if margins.isEmpty, let population {
            targets.append(CalibrationTarget(variable: "(population)", category: "", target: population,
                                             initial: designWeights.reduce(0, +), achieved: solution.weights.reduce(0, +),
                                             respondents: data.rowCount))
        }
        for (t, total) in totals.enumerated() {
            let values = data.numeric[t]
            targets.append(CalibrationTarget(
                variable: total.variable, category: "", target: total.total,
                initial: zip(designWeights, values).reduce(0) { $0 + $1.0 * $1.1 },
                achieved: zip(solution.weights, values).reduce(0) { $0 + $1.0 * $1.1 }, respondents: 0))
        }
        let worst = targets.map { abs($0.achieved - $0.target) / (1 + abs($0.target)) }.max() ?? 0
        if let bounds, !method.usesCalibrationFunction, rounds == 0 {
            try checkBounds(solution.weights, designWeights, bounds, data)
        }
        let adjustment = try CalibrationAdjustment(method: method, columns: columns, weights: solution.weights, base: solution.base)
        return CalibrationResult(method: method, weights: solution.weights, designWeights: designWeights, iterations: solution.iterations,
                                 trimRounds: rounds, trimCap: cap, targets: targets, maxRelativeError: worst,
                                 rescaling: solution.rescaling, notes: notes, adjustment: adjustment, specification: self)
    }

    /// Every margin category has a respondent.
    func checkCategoriesPresent(_ data: CalibrationData) throws {
        for (m, margin) in margins.enumerated() {
            var present = [Bool](repeating: false, count: margin.categories.count)
            for code in data.marginCodes[m] { present[Int(code)] = true }
            if let empty = present.firstIndex(of: false) {
                // A cell whose every value occurs in some other cell is "empty"; otherwise the value is absent.
                let seen = margin.variables.indices.allSatisfy { v in
                    present.indices.contains { present[$0] && margin.categories[$0][v] == margin.categories[empty][v] }
                }
                throw CalibrationError.emptyCategory(variable: margin.name, category: margin.label(empty), target: margin.counts[empty],
                                                     valuesSeen: margin.variables.count > 1 && seen, source: source)
            }
        }
    }

    func checkBounds(_ weights: [Double], _ designWeights: [Double], _ bounds: (lower: Double, upper: Double), _ data: CalibrationData) throws {
        var worst: (index: Int, distance: Double)?
        for i in weights.indices {
            let g = weights[i] / designWeights[i]
            let distance = max(bounds.lower - g, g - bounds.upper)
            if distance > 1e-9, distance > (worst?.distance ?? 0) { worst = (i, distance) }
        }
        guard let worst else { return }
        let cell = margins.enumerated().map { m, margin in "\(margin.name) = \(margin.label(Int(data.marginCodes[m][worst.index])))" }
        throw CalibrationError.outsideBounds(g: weights[worst.index] / designWeights[worst.index], lower: bounds.lower,
                                             upper: bounds.upper, cell: cell.joined(separator: ", "))
    }

    struct Solution {
        var weights: [Double]
        var base: [Double]
        var iterations: Int
        var rescaling: Double?
    }

    /// One calibration of `base` (the design weights, or trimmed weights).
    func solve(_ columns: CalibrationColumns, base: [Double]) throws -> Solution {
        switch method {
        case .postStratify, .rake:
            let units = CalibrationUnits(marginCodes: columns.marginCodes, categoryCounts: margins.map(\.categories.count), weights: base)
            let (g, iterations) = try proportionalFitting(units)
            return Solution(weights: (0..<base.count).map { base[$0] * g[Int(units.rowUnit[$0])] }, base: base,
                            iterations: iterations, rescaling: nil)
        case .linear, .raking, .logit:
            // Without numeric totals every row of a cell has the same x: solve on the cells.
            if totals.isEmpty {
                let units = CalibrationUnits(marginCodes: columns.marginCodes, categoryCounts: margins.map(\.categories.count), weights: base)
                let unitColumns = CalibrationColumns(specification: self, marginCodes: units.unitCodes, numeric: [], rowCount: units.count)
                let (g, iterations, rescaling) = try newton(unitColumns, base: units.unitWeights)
                return Solution(weights: (0..<base.count).map { base[$0] * g[Int(units.rowUnit[$0])] }, base: base,
                                iterations: iterations, rescaling: rescaling)
            }
            let (g, iterations, rescaling) = try newton(columns, base: base)
            return Solution(weights: zip(base, g).map { $0 * $1 }, base: base, iterations: iterations, rescaling: rescaling)
        }
    }

    /// Iterative proportional fitting on the cells: each margin in turn scaled to its counts, until every
    /// margin is within the tolerance (one pass suffices with one margin). Returns each cell's g.
    func proportionalFitting(_ units: CalibrationUnits) throws -> ([Double], Int) {
        let u = units.count
        var g = [Double](repeating: 1, count: u)
        var sums = margins.map { [Double](repeating: 0, count: $0.categories.count) }
        var iterations = 0
        while true {
            iterations += 1
            g.withUnsafeMutableBufferPointer { g in
                units.unitWeights.withUnsafeBufferPointer { d in
                    for (m, margin) in margins.enumerated() {
                        units.unitCodes[m].withUnsafeBufferPointer { codes in
                            var sum = [Double](repeating: 0, count: margin.counts.count)
                            for k in 0..<u { sum[Int(codes[k])] += d[k] * g[k] }
                            let factor = (0..<sum.count).map { margin.counts[$0] / sum[$0] }
                            for k in 0..<u { g[k] *= factor[Int(codes[k])] }
                        }
                    }
                }
            }
            // Every margin's sums after the sweep (the last margin is exact).
            var worst = (error: 0.0, margin: 0, category: 0)
            for (m, margin) in margins.enumerated() {
                for c in sums[m].indices { sums[m][c] = 0 }
                let codes = units.unitCodes[m]
                for k in 0..<u { sums[m][Int(codes[k])] += units.unitWeights[k] * g[k] }
                for c in sums[m].indices {
                    let error = abs(sums[m][c] - margin.counts[c]) / (1 + margin.counts[c])
                    if error > worst.error || !error.isFinite { worst = (error.isFinite ? error : .infinity, m, c) }
                }
            }
            if worst.error < tolerance { return (g, iterations) }
            if iterations >= maxIterations || !worst.error.isFinite {
                throw CalibrationError.notConverged(method: method.rawValue, iterations: iterations,
                                                    worst: "\(margins[worst.margin].name) = \(margins[worst.margin].label(worst.category))",
                                                    relativeError: worst.error)
            }
        }
    }

    /// The calibration function F(u) (g = 1 + F) and its derivative, with the bounds, as R's `cal.linear`,
    /// `cal.raking`, `cal.logit`.
    func calibrationFunction(_ u: Double) -> (value: Double, derivative: Double) {
        let lower = bounds?.lower ?? -.infinity, upper = bounds?.upper ?? .infinity
        switch method {
        case .linear:
            let g = u + 1
            return (min(max(g, lower), upper) - 1, g > lower && g < upper ? 1 : 0)
        case .raking:
            let g = exp(u)
            return (min(max(g, lower), upper) - 1, g > lower && g < upper ? g : 0)
        case .logit:
            let a = (upper - lower) / ((upper - 1) * (1 - lower))
            let e = exp(a * u)
            guard e.isFinite else { return (upper - 1, 0) }
            let denominator = upper - 1 + (1 - lower) * e
            let value = (lower * (upper - 1) + upper * (1 - lower) * e) / denominator - 1
            let derivative = upper * (1 - lower) * e * a / denominator
                - (lower * (upper - 1) + upper * (1 - lower) * e) * ((1 - lower) * e * a) / (denominator * denominator)
            return (value, derivative)
        case .postStratify, .rake:
            preconditionFailure("proportional fitting has no calibration function")
        }
    }

    /// Newton's method for Σ dᵢ (1 + F(xᵢᵀη)) xᵢ = targets, from η = 0 (R's `grake`, with its rescaling of
    /// the weights when every target exceeds 20 × the sample total). Returns g per row of `columns`.
    func newton(_ columns: CalibrationColumns, base: [Double]) throws -> ([Double], Int, Double?) {
        let p = columns.count, n = columns.rowCount
        var d = base
        let sampleTotals = columns.transposeTimes(d)
        let ratios = zip(columns.targets, sampleTotals).map { $0 / $1 }
        var rescaling: Double?
        if let smallest = ratios.min(), smallest > 20 {
            let scale = ratios.reduce(0, +) / Double(ratios.count)
            rescaling = scale
            d = d.map { $0 * scale }
        }
        var eta = [Double](repeating: 0, count: p)
        var g = [Double](repeating: 1, count: n), derivative = [Double](repeating: 0, count: n)
        func evaluate() {
            for i in 0..<n {
                let (value, slope) = calibrationFunction(columns.dot(i, eta))
                g[i] = 1 + value
                derivative[i] = slope
            }
        }
        func misfit() -> [Double] {
            let achieved = columns.transposeTimes((0..<n).map { d[$0] * g[$0] })
            return (0..<p).map { columns.targets[$0] - achieved[$0] }
        }
        evaluate()
        var iterations = 0
        while true {
            iterations += 1
            let system = SymmetricSystem(columns.gram((0..<n).map { d[$0] * derivative[$0] }), p: p)
            if iterations == 1, let column = system.dependent.first {
                throw CalibrationError.collinear(column: columns.names[column])
            }
            var step = system.solve(misfit())
            for j in 0..<p { eta[j] += step[j] }
            evaluate()
            var halvings = 0
            while halvings < 50, g.contains(where: { !$0.isFinite }) || derivative.contains(where: { !$0.isFinite }) {
                halvings += 1
                for j in 0..<p { step[j] /= 2; eta[j] -= step[j] }
                evaluate()
            }
            let remaining = misfit()
            var worst = (error: 0.0, column: 0)
            for j in 0..<p {
                let error = abs(remaining[j]) / (1 + abs(columns.targets[j]))
                if !(error <= worst.error) { worst = (error.isNaN ? .infinity : error, j) }
            }
            if worst.error < tolerance {
                if let rescaling { for i in 0..<n { g[i] *= rescaling } }
                return (g, iterations, rescaling)
            }
            if iterations >= maxIterations {
                throw CalibrationError.notConverged(method: method.rawValue, iterations: iterations, worst: columns.names[worst.column],
                                                    relativeError: worst.error)
            }
        }
    }
}

/// The distinct combinations of margin categories (cells) among the rows, with the sum of the weights in
/// each: raking, post-stratification and calibration without numeric totals give every row of a cell the
/// same g, so they are solved on the cells (at most the product of the category counts, often far fewer
/// than the rows).
struct CalibrationUnits {
    let rowUnit: [Int32]
    let unitCodes: [[Int32]]
    let unitWeights: [Double]
    var count: Int { unitWeights.count }

    init(marginCodes: [[Int32]], categoryCounts: [Int], weights: [Double]) {
        let n = weights.count
        var strides: [Int] = [], product = 1
        for count in categoryCounts {
            strides.append(product)
            let (next, overflow) = product.multipliedReportingOverflow(by: max(1, count))
            product = overflow ? Int.max : next
        }
        var rowUnit = [Int32](repeating: 0, count: n)
        var unitOfRowKey: [Int] = []
        var unitWeights: [Double] = []
        func key(_ i: Int) -> Int { marginCodes.indices.reduce(0) { $0 + Int(marginCodes[$1][i]) * strides[$1] } }
        if product <= 1 << 22 {
            var slot = [Int32](repeating: -1, count: product)
            for i in 0..<n {
                let k = key(i)
                if slot[k] < 0 { slot[k] = Int32(unitWeights.count); unitWeights.append(0); unitOfRowKey.append(i) }
                let unit = slot[k]
                rowUnit[i] = unit
                unitWeights[Int(unit)] += weights[i]
            }
        } else if product < Int.max {
            var slot: [Int: Int32] = [:]
            for i in 0..<n {
                let k = key(i)
                let unit: Int32
                if let known = slot[k] { unit = known } else {
                    unit = Int32(unitWeights.count); slot[k] = unit; unitWeights.append(0); unitOfRowKey.append(i)
                }
                rowUnit[i] = unit
                unitWeights[Int(unit)] += weights[i]
            }
        } else {
            for i in 0..<n { rowUnit[i] = Int32(i); unitOfRowKey.append(i) }
            unitWeights = weights
        }
        self.rowUnit = rowUnit
        self.unitWeights = unitWeights
        self.unitCodes = marginCodes.map { codes in unitOfRowKey.map { codes[$0] } }
    }
}
