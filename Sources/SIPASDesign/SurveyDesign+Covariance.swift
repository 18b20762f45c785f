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
        let k = columns.count
        guard k > 0 else { return [] }
        for column in columns { precondition(column.count == rowCount, "influence values must have one value per row") }
        // totals[stage][unit][j]
        let totals = stageUnits.indices.map { stage -> [[Double]] in
            var t = [[Double]](repeating: [Double](repeating: 0, count: k), count: stageUnitCounts[stage])
            let unitOf = stageUnits[stage]
            for j in 0..<k {
                let column = columns[j]
                for row in 0..<rowCount { t[unitOf[row]][j] += column[row] }
            }
            return t
        }
        var result = try stageCovariance(stage: 0, totals: totals, groupWeights: nil, k: k)
        for a in 0..<k { for b in 0..<a { let s = (result[a][b] + result[b][a]) / 2; result[a][b] = s; result[b][a] = s } }
        return result
    }

    /// Design degrees of freedom over a subset of rows: the stage-1 PSUs with at least one of `rows` minus the
    /// strata with at least one of them — R survey's `degf` of a design subset to those rows (rows outside
    /// the subset keep their place in the variance with zero influence, but do not count here).
    public func degreesOfFreedom<Rows: Sequence>(rows: Rows) -> Int where Rows.Element == Int {
        var psus = Set<Int>(), strata = Set<Int>()
        for row in rows {
            let psu = stageUnits[0][row]
            psus.insert(psu)
            strata.insert(stageParents[0][psu])
        }
        return psus.count - strata.count
    }

    /// Covariance contributed at `stage` summed over its groups (strata for stage 1, the units of the previous
    /// stage later), each group's term multiplied by `groupWeights` (the product of the sampling fractions of
    /// the stages above; nil = 1), plus the next stage when FPCs are given. Lonely PSUs follow `lonelyPSU`
    /// (R's `adjust` centres the single PSU at zero, the grand mean of influence values).
    private func stageCovariance(stage: Int, totals: [[[Double]]], groupWeights: [Double]?, k: Int) throws -> [[Double]] {
        let parents = stageParents[stage]
        let groupCount = stage == 0 ? strataCount : stageUnitCounts[stage - 1]
        var members = [[Int]](repeating: [], count: groupCount)
        for (unit, p) in parents.enumerated() { members[p].append(unit) }
        var sum = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        func accumulate(_ vector: [Double], _ scale: Double) {
            for a in 0..<k where vector[a] != 0 {
                for b in 0..<k { sum[a][b] += scale * vector[a] * vector[b] }
            }
        }
        var okGroups = 0, usedGroups = 0
        for group in 0..<groupCount where !members[group].isEmpty {
            let weight = groupWeights?[group] ?? 1
            guard weight > 0 else { continue }
            usedGroups += 1
            let n = Double(members[group].count)
            let populationSize = populationSizes?[stage][group] ?? .infinity
            let f = populationSize.isFinite ? (populationSize - n) / populationSize : 1  // 1 − sampling fraction
            if f < 1e-7 { okGroups += 1; continue }
            let unitTotals = members[group].map { totals[stage][$0] }
            if members[group].count > 1 {
                var mean = [Double](repeating: 0, count: k)
                for t in unitTotals { for j in 0..<k { mean[j] += t[j] / n } }
                let scale = weight * f * n / (n - 1)
                for t in unitTotals { accumulate((0..<k).map { t[$0] - mean[$0] }, scale) }
                okGroups += 1
                continue
            }
            switch lonelyPSU {
            case .fail:
                throw DesignError.lonelyPSU(strata: [stage == 0 ? strataNames[group] : "(a stage-\(stage) cluster with one stage-\(stage + 1) unit)"])
            case .adjust:
                accumulate(unitTotals[0], weight * f)
                okGroups += 1
            case .remove, .certainty:
                okGroups += 1
            case .average:
                break
            }
        }
        let factor = okGroups == 0 ? 0 : Double(usedGroups) / Double(okGroups)
        var covariance = sum.map { row in row.map { $0 * factor } }
        if let sizes = populationSizes, stage + 1 < stageUnits.count {
            var sampledInGroup = [Int](repeating: 0, count: groupCount)
            for p in parents { sampledInGroup[p] += 1 }
            let fractions = (0..<stageUnitCounts[stage]).map { unit -> Double in
                let group = parents[unit]
                let fraction = sizes[stage][group].isFinite ? Double(sampledInGroup[group]) / sizes[stage][group] : 0
                return (groupWeights?[group] ?? 1) * fraction
            }
            if fractions.contains(where: { $0 > 0 }) {
                let next = try stageCovariance(stage: stage + 1, totals: totals, groupWeights: fractions, k: k)
                for a in 0..<k { for b in 0..<k { covariance[a][b] += next[a][b] } }
            }
        }
        return covariance
    }
}
