extension SurveyDesign {
    /// The design covariance matrix of several estimators at once, from their influence values.
    ///
    /// `columns[j]` holds estimator j's influence values, one per design row (zero outside the rows it uses).
    /// The algorithm is that of `variance(_:)` with squares replaced by outer products of PSU totals:
    ///
    ///     V = Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_i (t_hi − t̄_h)(t_hi − t̄_h)ᵀ  +  later stages with FPC,
    ///
    /// t_hi the vector of totals over PSU i of stratum h. Lonely PSUs follow `lonelyPSU` exactly as in
    /// `variance`, which is the 1 × 1 case of this function.
    ///
    /// - Returns: a symmetric k × k matrix as rows, k = `columns.count`.
    /// - Throws: `DesignError.lonelyPSU` under the `fail` policy when a stratum has a single PSU.
    /// - Source: Lumley (2010), *Complex Surveys*, §2.2 and appendix; R `survey::svyrecvar`, which the
    ///   variance of `svyglm` coefficients uses.
    public func covariance(_ columns: [[Double]]) throws -> [[Double]] {
        for column in columns { precondition(column.count == rowCount, "influence values must have one value per row") }
        return try covariance(allRows, columns)
    }

    /// Design degrees of freedom over a subset of rows: the stage-1 PSUs with at least one of `rows` minus the
    /// strata with at least one of them — R survey's `degf` of a design subset to those rows (rows outside
    /// the subset keep their place in the variance with zero influence, but do not count here).
    public func degreesOfFreedom<Rows: Sequence>(rows: Rows) -> Int where Rows.Element == Int {
        if let replicates { return replicates.degreesOfFreedom }
        var psus = Set<Int>(), strata = Set<Int>()
        for row in rows {
            let psu = stageUnits[0][row]
            psus.insert(psu)
            strata.insert(stageParents[0][psu])
        }
        return psus.count - strata.count
    }

    /// The covariance of several estimators whose influence values are nonzero only on the rows of `domain`:
    /// `columns[j][i]` is estimator j's influence value at `domain.rows[i]`. Equal to `covariance(_:)` with
    /// zeros elsewhere, at a cost proportional to the domain's rows and the units they touch.
    ///
    /// This is the one point where influence values enter the variance: on a calibrated design they are
    /// first replaced by their calibration residuals over the whole sample (`varianceTotals(_:_:)`, which
    /// forms the residuals' unit totals from sums over the domain's rows), so the
    /// index, domain estimates, comparisons and regression all get the calibration's variance.
    public func covariance(_ domain: DesignDomain, _ columns: [[Double]]) throws -> [[Double]] {
        let k = columns.count
        guard k > 0 else { return [] }
        for column in columns { precondition(column.count == domain.rows.count, "influence values must have one value per domain row") }
        let (domain, totals) = varianceTotals(domain, columns)
        var flat = try stageCovariance(stage: 0, domain: domain, totals: totals, k: k)
        for a in 0..<k { for b in 0..<a { let s = (flat[a * k + b] + flat[b * k + a]) / 2; flat[a * k + b] = s; flat[b * k + a] = s } }
        return (0..<k).map { a in Array(flat[(a * k)..<(a * k + k)]) }
    }

    /// The design variance of one estimator with influence values `values` on the rows of `domain`.
    public func variance(_ domain: DesignDomain, _ values: [Double]) throws -> Double {
        try covariance(domain, [values])[0][0]
    }

    /// The design variance of one estimator from the totals of its influence values over the units `domain`
    /// touches, `unitTotals[stage][slot]` (slots as `DesignDomain.unitSlots(stage:)` numbers them): for callers that
    /// form the totals of many estimators in one pass over the rows. Summed row by row in row order, they
    /// give exactly `variance(_:_:)`. Not for calibrated designs, whose residuals are not sums over units:
    /// use `variance(_:_:)` with the values.
    public func variance(_ domain: DesignDomain, unitTotals: [[Double]]) throws -> Double {
        precondition(!isCalibrated, "a calibrated design's variance needs the influence values, not their unit totals")
        precondition(unitTotals.count == domain.stageCount, "one list of unit totals per stage")
        return try stageCovariance(stage: 0, domain: domain, totals: unitTotals, k: 1)[0]
    }

    /// Covariance contributed at `stage` summed over its groups (strata for stage 1, the units of the previous
    /// stage later), each group's term multiplied by its weight (the product of the sampling fractions of the
    /// stages above; 1 at stage 1), plus the next stage when FPCs are given. Lonely PSUs follow `lonelyPSU`
    /// (R's `adjust` centres the single PSU at zero, the grand mean of influence values). Units the domain does
    /// not touch have zero totals: they enter each group's mean and sum of squares in closed form.
    ///
    /// - Returns: the k × k matrix, row-major.
    private func stageCovariance(stage: Int, domain: DesignDomain, totals: [[Double]], k: Int) throws -> [Double] {
        if replicates != nil { throw DesignError.replicatesUnsupported }
        let structure = stageStructures[stage]
        if lonelyPSU == .fail, let group = structure.firstLonelyGroup {
            throw DesignError.lonelyPSU(strata: [stage == 0 ? strataNames[group] : "(a stage-\(stage) cluster with one stage-\(stage + 1) unit)"])
        }
        let unitTotals = totals[stage]
        // The touched units of each touched group (worked out with the domain).
        let groups = domain.groups[stage], groupStart = domain.groupStart[stage], memberSlots = domain.memberSlots[stage]
        var sum = [Double](repeating: 0, count: k * k)
        var centred = [Double](repeating: 0, count: k)
        func accumulate(_ vector: [Double], _ scale: Double) {
            for a in 0..<k where vector[a] != 0 {
                let va = scale * vector[a]
                for b in 0..<k { sum[a * k + b] += va * vector[b] }
            }
        }
        for (index, group) in groups.enumerated() {
            let weight = structure.groupWeights?[group] ?? 1
            guard weight > 0 else { continue }
            let n = Double(structure.groupSizes[group])
            let populationSize = populationSizes?[stage][group] ?? .infinity
            let f = populationSize.isFinite ? (populationSize - n) / populationSize : 1  // 1 − sampling fraction
            if f < 1e-7 { continue }
            let members = memberSlots[groupStart[index]..<groupStart[index + 1]].lazy.map { Int($0) }
            if structure.groupSizes[group] > 1 && k == 1 {
                // One estimator (most calls): the same arithmetic without vectors.
                var mean = 0.0
                for slot in members { mean += unitTotals[slot] }
                mean /= n
                let scale = weight * f * n / (n - 1)
                for slot in members {
                    let centred = unitTotals[slot] - mean
                    if centred != 0 { sum[0] += scale * centred * centred }
                }
                let untouched = n - Double(members.count)
                if untouched > 0 && mean != 0 { sum[0] += scale * untouched * mean * mean }
            } else if structure.groupSizes[group] > 1 {
                var mean = [Double](repeating: 0, count: k)
                for slot in members { for j in 0..<k { mean[j] += unitTotals[slot * k + j] } }
                for j in 0..<k { mean[j] /= n }
                let scale = weight * f * n / (n - 1)
                for slot in members {
                    for j in 0..<k { centred[j] = unitTotals[slot * k + j] - mean[j] }
                    accumulate(centred, scale)
                }
                // The group's units outside the domain: total 0, centred at −mean.
                let untouched = n - Double(members.count)
                if untouched > 0 { accumulate(mean, scale * untouched) }
            } else if lonelyPSU == .adjust {
                for j in 0..<k { centred[j] = unitTotals[members.first! * k + j] }
                accumulate(centred, weight * f)
            }
        }
        let factor = structure.okGroups == 0 ? 0 : Double(structure.usedGroups) / Double(structure.okGroups)
        var covariance = sum.map { $0 * factor }
        if stage + 1 < stageStructures.count {
            let next = try stageCovariance(stage: stage + 1, domain: domain, totals: totals, k: k)
            for index in covariance.indices { covariance[index] += next[index] }
        }
        return covariance
    }
}
