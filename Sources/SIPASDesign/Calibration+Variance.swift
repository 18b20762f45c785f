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

    init(method: CalibrationMethod, columns: CalibrationColumns, weights: [Double], base: [Double]) throws {
        self.columns = columns
        self.weights = weights
        self.gFromBase = zip(weights, base).map { $0 / $1 }
        if method == .rake {
            kind = .backfitting(categoryCounts: columns.marginCodes.enumerated().map { m, codes in
                var counts = [Double](repeating: 0, count: columns.columnOf[m].count)
                for code in codes { counts[Int(code)] += 1 }
                return counts
            })
        } else {
            let system = SymmetricSystem(columns.gram(base), p: columns.count)
            if let column = system.dependent.first { throw CalibrationError.collinear(column: columns.names[column]) }
            kind = .regression(system)
        }
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

extension SurveyDesign {
    /// The design with calibrated weights: estimates use `calibration.weights`, and every variance (index,
    /// domain estimates, regression) replaces influence values by their calibration residuals
    /// (`CalibrationAdjustment`). The design's strata, clusters and FPCs are unchanged.
    public func calibrated(_ calibration: CalibrationResult) -> SurveyDesign {
        precondition(calibration.weights.count == rowCount, "one calibrated weight per design row")
        var design = self
        design.weights = calibration.weights
        design.calibration = calibration
        design.wholeSample = allRows
        design.isSimpleRandomSample = false
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
}
