import SIPASInstrument
/// The linearization of a calibration: influence values z are replaced by their residuals e from the
/// calibration variables before they enter the design variance, exactly as R survey's `svyrecvar` does for
/// designs made by `postStratify`, `rake` and `calibrate`:
///
/// - linear, raking, logit and post-stratify: e = z − w ∘ (X B̂), B̂ = (Xᵀ D X)⁻¹ Xᵀ D (z / w), the regression
///   of z/w on the calibration columns X weighted by the weights d before calibration (R:
///   `qr.resid(qr(mm * sqrt(d)), z / (g sqrt(d))) * g sqrt(d)`; for post-stratification X is the cells'
///   indicators and B̂ the d-weighted cell means of z/w). Solved by Cholesky factorisation of the equilibrated
///   XᵀDX with two steps of iterative refinement on the residual, which recover the accuracy the normal
///   equations would lose.
/// - rake: ten sweeps, each margin in turn, of e ← e − w ∘ (unweighted category means of e/w) — R's
///   backfitting approximation of the same projection (it uses exactly ten sweeps, so do we).
///
/// A domain's influence values (zero outside it) are residualised over the whole sample: the residuals are
/// nonzero on every row of the cells the domain shares, as in R's `svyby` on a calibrated design.
/// Deville & Särndal (1992); Lumley (2010), §7.4–7.5; R survey 4.1 `svyrecvar`.
struct CalibrationAdjustment: Sendable {
    enum Kind: Sendable {
        case regression(SymmetricSystem)
        case backfitting(categoryCounts: [[Double]])
    }

    let columns: CalibrationColumns
    let kind: Kind
    /// Final weights w and g relative to the weights the calibration started from (d).
    let weights: [Double]
    let gFromBase: [Double]
    /// XᵀDX (regression only), for iterative refinement.
    let gram: [Double]
    /// The full columns: every category of every margin (margin m's start at `fullOffset[m]`), then the
    /// regression's intercept and numeric columns. The coefficients of a residual are given on them.
    let fullOffset: [Int]
    let fullCount: Int
    /// Rake: the number of rows in each pair of full margin columns (row-major, fullCount²), so that the
    /// ten sweeps run on category sums instead of rows.
    let crossCounts: [Double]
    /// Per design stage, per unit (in unit order), the sums Σ wᵢ xᵢ_f over the unit's rows, as CSR:
    /// unit u's entries are `unitColumn[s][unitStart[s][u]..<unitStart[s][u + 1]]` with `unitValue` alike.
    var unitStart: [[Int]] = []
    var unitColumn: [[Int32]] = []
    var unitValue: [[Double]] = []
    /// Per stage, each unit's slot in the design's whole-sample domain.
    var slotOfUnit: [[Int32]] = []

    init(method: CalibrationMethod, columns: CalibrationColumns, weights: [Double], base: [Double]) throws {
        self.columns = columns
        self.weights = weights
        self.gFromBase = zip(weights, base).map { $0 / $1 }
        var offsets: [Int] = [], next = 0
        for m in columns.marginCodes.indices { offsets.append(next); next += columns.columnOf[m].count }
        fullOffset = offsets
        let marginColumns = next
        fullCount = marginColumns + (columns.interceptColumn == nil ? 0 : 1) + columns.numeric.count
        if method == .rake {
            let counts = columns.marginCodes.enumerated().map { m, codes in
                var counts = [Double](repeating: 0, count: columns.columnOf[m].count)
                for code in codes { counts[Int(code)] += 1 }
                return counts
            }
            kind = .backfitting(categoryCounts: counts)
            var cross = [Double](repeating: 0, count: marginColumns * marginColumns)
            for i in 0..<columns.rowCount {
                for a in columns.marginCodes.indices {
                    let fa = offsets[a] + Int(columns.marginCodes[a][i])
                    for b in columns.marginCodes.indices { cross[fa * marginColumns + offsets[b] + Int(columns.marginCodes[b][i])] += 1 }
                }
            }
            crossCounts = cross
            gram = []
        } else {
            let matrix = columns.gram(base)
            let system = SymmetricSystem(matrix, p: columns.count)
            if let column = system.dependent.first { throw CalibrationError.collinear(column: columns.names[column]) }
            kind = .regression(system)
            gram = matrix
            crossCounts = []
        }
    }

    /// Calls `body(full column, value)` for every nonzero entry of row i's full x.
    @inline(__always)
    func forEachFullEntry(_ i: Int, _ body: (Int, Double) -> Void) {
        for m in columns.marginCodes.indices { body(fullOffset[m] + Int(columns.marginCodes[m][i]), 1) }
        var next = fullOffset.last.map { $0 + columns.columnOf[fullOffset.count - 1].count } ?? 0
        if columns.interceptColumn != nil { body(next, 1); next += 1 }
        for t in columns.numeric.indices where columns.numeric[t][i] != 0 { body(next + t, columns.numeric[t][i]) }
    }

    /// The coefficients a (on the full columns) of the residual e = z − w ∘ (X a) of influence values
    /// `values` given on design rows `rows` (zero elsewhere): computed from sums over those rows only.
    func coefficients(rows: [Int], values: [Double]) -> [Double] {
        var full = [Double](repeating: 0, count: fullCount)
        switch kind {
        case .regression(let system):
            let p = columns.count
            var b = [Double](repeating: 0, count: p)
            for (index, row) in rows.enumerated() where values[index] != 0 {
                let v = values[index] / gFromBase[row]
                columns.forEachEntry(row) { column, x in b[column] += v * x }
            }
            var beta = system.solve(b)
            for _ in 0..<2 {
                // Iterative refinement: r = b − (XᵀDX) β.
                var r = b
                for a in 0..<p { for c in 0..<p { r[a] -= gram[a * p + c] * beta[c] } }
                let delta = system.solve(r)
                for j in 0..<p { beta[j] += delta[j] }
            }
            // Reduced columns onto full ones: margins (reference categories get 0), intercept, numeric.
            for (m, columnOf) in columns.columnOf.enumerated() {
                for (c, column) in columnOf.enumerated() where column >= 0 { full[fullOffset[m] + c] = beta[column] }
            }
            var next = fullOffset.last.map { $0 + columns.columnOf[fullOffset.count - 1].count } ?? 0
            if let intercept = columns.interceptColumn { full[next] = beta[intercept]; next += 1 }
            for (t, column) in columns.numericColumn.enumerated() { full[next + t] = beta[column] }
        case .backfitting(let counts):
            // R's ten sweeps on the category sums S = Σ z/w: a margin's category mean of e/w is
            // (S − Σ_f N·a_f) / n with N the cross counts, and each sweep adds it to the margin's coefficients.
            let q = crossCounts.count == 0 ? 0 : Int(Double(crossCounts.count).squareRoot().rounded())
            var sums = [Double](repeating: 0, count: q)
            for (index, row) in rows.enumerated() where values[index] != 0 {
                let v = values[index] / weights[row]
                for m in columns.marginCodes.indices { sums[fullOffset[m] + Int(columns.marginCodes[m][row])] += v }
            }
            for _ in 0..<10 {
                for m in columns.marginCodes.indices {
                    let start = fullOffset[m]
                    var means = [Double](repeating: 0, count: counts[m].count)
                    for c in means.indices where counts[m][c] > 0 {
                        let f = start + c
                        var sum = sums[f]
                        for g in 0..<q where full[g] != 0 { sum -= crossCounts[f * q + g] * full[g] }
                        means[c] = sum / counts[m][c]
                    }
                    for c in means.indices { full[start + c] += means[c] }
                }
            }
        }
        return full
    }

    /// The residuals of influence values `z` (one per design row).
    func residuals(_ z: [Double]) -> [Double] {
        let n = z.count
        var e = z
        switch kind {
        case .regression(let system):
            var beta = [Double](repeating: 0, count: columns.count)
            for _ in 0..<3 {
                // δ = (XᵀDX)⁻¹ Xᵀ (e / g): the first pass gives B̂, the next two refine it.
                let delta = system.solve(columns.transposeTimes((0..<n).map { e[$0] / gFromBase[$0] }))
                for j in beta.indices { beta[j] += delta[j] }
                for i in 0..<n { e[i] = z[i] - weights[i] * columns.dot(i, beta) }
            }
        case .backfitting(let counts):
            for _ in 0..<10 {
                for (m, codes) in columns.marginCodes.enumerated() {
                    var means = [Double](repeating: 0, count: counts[m].count)
                    for i in 0..<n { means[Int(codes[i])] += e[i] / weights[i] }
                    for c in means.indices where counts[m][c] > 0 { means[c] /= counts[m][c] }
                    for i in 0..<n { e[i] -= weights[i] * means[Int(codes[i])] }
                }
            }
        }
        return e
    }
}

extension CalibrationAdjustment {
    /// Fills the per-unit sums of w·x of every stage of `design` (whose weights are the calibrated ones).
    mutating func prepare(for design: SurveyDesign, wholeSample: DesignDomain) {
        unitStart = []; unitColumn = []; unitValue = []; slotOfUnit = []
        var scratch = [Double](repeating: 0, count: fullCount)
        var touched: [Int] = []
        for stage in design.stageUnits.indices {
            let unitOf = design.stageUnits[stage]
            let unitCount = design.stageUnitCounts[stage]
            // Rows grouped by unit (a counting sort).
            var start = [Int](repeating: 0, count: unitCount + 1)
            for unit in unitOf { start[unit + 1] += 1 }
            for u in 0..<unitCount { start[u + 1] += start[u] }
            var position = Array(start.dropLast())
            var order = [Int](repeating: 0, count: unitOf.count)
            for (row, unit) in unitOf.enumerated() { order[position[unit]] = row; position[unit] += 1 }
            var entryStart = [0], columns: [Int32] = [], values: [Double] = []
            for u in 0..<unitCount {
                for row in order[start[u]..<start[u + 1]] {
                    let w = weights[row]
                    forEachFullEntry(row) { f, x in
                        if scratch[f] == 0 { touched.append(f) }
                        scratch[f] += w * x
                    }
                }
                touched.sort()
                for f in touched where scratch[f] != 0 { columns.append(Int32(f)); values.append(scratch[f]) }
                for f in touched { scratch[f] = 0 }
                touched.removeAll(keepingCapacity: true)
                entryStart.append(columns.count)
            }
            unitStart.append(entryStart); unitColumn.append(columns); unitValue.append(values)
            var slots = [Int32](repeating: -1, count: unitCount)
            for (slot, unit) in wholeSample.units[stage].enumerated() { slots[unit] = Int32(slot) }
            slotOfUnit.append(slots)
        }
    }

    /// Per stage, the totals of the calibration residuals of k estimators over every unit, in the
    /// whole-sample domain's slot order (`[slot * k + j]`): Σ z over the unit's domain rows minus Σ_f a_f ·
    /// Σ w x_f over all its rows. Equal to summing `residuals(_:)` row by row, at a cost proportional to the
    /// domain's rows and the units' entries.
    func residualTotals(design: SurveyDesign, domain: DesignDomain, columns values: [[Double]]) -> [[Double]] {
        let k = values.count
        let fits = values.map { self.coefficients(rows: domain.rows, values: $0) }
        return design.stageUnits.indices.map { stage in
            let unitOf = design.stageUnits[stage], slots = slotOfUnit[stage]
            var totals = [Double](repeating: 0, count: design.stageUnitCounts[stage] * k)
            for (j, column) in values.enumerated() {
                for (index, row) in domain.rows.enumerated() where column[index] != 0 {
                    totals[Int(slots[unitOf[row]]) * k + j] += column[index]
                }
                let a = fits[j]
                let start = unitStart[stage], entries = unitColumn[stage], sums = unitValue[stage]
                for unit in 0..<design.stageUnitCounts[stage] {
                    var fitted = 0.0
                    for e in start[unit]..<start[unit + 1] { fitted += a[Int(entries[e])] * sums[e] }
                    totals[Int(slots[unit]) * k + j] -= fitted
                }
            }
            return totals
        }
    }
}

extension SurveyDesign {
    /// The design with calibrated weights: estimates use `calibration.weights`, and every variance (index,
    /// domain estimates, regression) replaces influence values by their calibration residuals
    /// (`CalibrationAdjustment`). The design's strata, clusters and FPCs are unchanged.
    public func calibrated(_ calibration: CalibrationResult) -> SurveyDesign {
        precondition(calibration.weights.count == rowCount, "one calibrated weight per design row")
        var design = self
        design.weights = calibration.weights
        design.calibration = calibration
        let whole = allRows
        design.wholeSample = whole
        design.isSimpleRandomSample = false
        // What the calibration wants the reader to know travels with the design's description, which every
        // output shows.
        if !calibration.notes.isEmpty {
            design.summary += " — calibration: " + calibration.notes.map(\.en).joined(separator: "; ")
            design.description = LocalizedText(vi: design.description.vi + " — hiệu chỉnh quyền số: " + calibration.notes.map(\.vi).joined(separator: "; "),
                                               en: design.summary)
        }
        var adjustment = calibration.adjustment
        adjustment.prepare(for: design, wholeSample: whole)
        design.calibration = CalibrationResult(replacing: calibration, adjustment: adjustment)
        return design
    }

    /// Whether variances use calibration residuals (the design was calibrated).
    public var isCalibrated: Bool { calibration != nil }

    /// Influence values on the rows of `domain` as the variance sees them: unchanged without calibration;
    /// with it, the calibration residuals of the values (zero outside the domain) on every design row.
    public func residualised(_ domain: DesignDomain, _ columns: [[Double]]) -> (domain: DesignDomain, columns: [[Double]]) {
        guard let calibration, let wholeSample else { return (domain, columns) }
        let full = columns.map { column -> [Double] in
            var values = [Double](repeating: 0, count: rowCount)
            for (index, row) in domain.rows.enumerated() { values[row] = column[index] }
            return calibration.adjustment.residuals(values)
        }
        return (wholeSample, full)
    }

    /// Per stage, the unit totals the variance uses for influence values `columns` on the rows of `domain`,
    /// with the domain whose slots they follow: the domain's own without calibration; with it, the whole
    /// sample's, of the calibration residuals.
    func varianceTotals(_ domain: DesignDomain, _ columns: [[Double]]) -> (domain: DesignDomain, totals: [[Double]]) {
        guard let calibration, let wholeSample else { return (domain, domain.totals(columns)) }
        return (wholeSample, calibration.adjustment.residualTotals(design: self, domain: domain, columns: columns))
    }
}
