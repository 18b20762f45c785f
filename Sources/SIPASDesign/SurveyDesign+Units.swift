extension SurveyDesign {
    /// Whether every respondent is its own PSU (no clusters declared, or clusters of one respondent each): then
    /// the design variance needs only per-stratum sums of the influence values and of their squares
    /// (`variance(strata:)`), not one total per unit.
    public var respondentsAreUnits: Bool { stageUnits.count == 1 && psuCount == rowCount }

    /// The stages whose units enter the variance: stage 1 always, a later stage only when FPCs give the stage
    /// above a positive sampling fraction (otherwise the first stage is the ultimate cluster).
    public var varianceStageCount: Int { stageStructures.count }

    /// The unit of design row `row` at `stage` (0 = PSU), numbered as the design numbers them (0..<units of the
    /// stage, nested in strata).
    public func unit(ofRow row: Int, stage: Int) -> Int { stageUnits[stage][row] }

    /// The stratum of design row `row` (0..<`strataCount`), numbered in order of first appearance.
    public func stratum(ofRow row: Int) -> Int { stageParents[0][stageUnits[0][row]] }

    /// The domain that touches `units` (distinct units of `stage`, `stage < varianceStageCount`) and, at every
    /// stage above, their ancestors: what `variance(_:unitTotals:)`, `effectiveDegreesOfFreedom(_:psuTotals:)`
    /// and `acceleration(_:psuTotals:)` need when the influence totals were summed per unit elsewhere (a
    /// database's GROUP BY, `IndexStatistics`). The domain has no rows: `unitSlots(stage:)` maps each of
    /// `units`, in order, to its ancestor's slot at each stage, so `stageTotals` of per-unit totals gives the
    /// totals of every stage.
    public func domain(units: [Int], stage: Int) -> DesignDomain {
        precondition(stage < stageUnits.count, "no such stage")
        var touched: [[Int]] = [], slots: [[Int32]] = []
        // The ancestor of each given unit at each stage, from the given stage up.
        var ancestors = [[Int]](repeating: [], count: stage + 1)
        ancestors[stage] = units
        if stage > 0 {
            for level in stride(from: stage, to: 0, by: -1) { ancestors[level - 1] = ancestors[level].map { stageParents[level][$0] } }
        }
        for level in 0...stage {
            var slotOfUnit = [Int32](repeating: -1, count: stageUnitCounts[level])
            var list: [Int] = []
            var slotOfMember = [Int32](repeating: 0, count: units.count)
            for (index, unit) in ancestors[level].enumerated() {
                if slotOfUnit[unit] < 0 { slotOfUnit[unit] = Int32(list.count); list.append(unit) }
                slotOfMember[index] = slotOfUnit[unit]
            }
            touched.append(list)
            slots.append(slotOfMember)
        }
        return domain(rows: [], units: touched, slots: slots)
    }

    /// The design variance of an estimator when every respondent is its own PSU (`respondentsAreUnits`), from
    /// per stratum h the sum Σt and the sum of squares Σt² of its influence values over the domain's rows:
    ///
    ///     V = Σ_h (1 − f_h) · n_h/(n_h − 1) · (Σt² − (Σt)²/n_h),
    ///
    /// n_h the respondents of stratum h in the whole sample (rows outside the domain have t = 0, so
    /// Σ_i (t_i − t̄_h)² over all n_h rows is Σt² − (Σt)²/n_h). A stratum of one respondent follows `lonelyPSU`
    /// as in `variance(_:_:)`. Equal to `variance(_:_:)` with the values; the sums can come from a GROUP BY.
    ///
    /// - Throws: `DesignError.lonelyPSU` under the `fail` policy when a stratum has a single respondent.
    /// - Source: Lumley (2010), *Complex Surveys*, §2.2 (one stage, with replacement or with an FPC);
    ///   R `survey::svyrecvar`.
    public func variance(strata sums: [(stratum: Int, total: Double, sumOfSquares: Double)]) throws -> Double {
        precondition(respondentsAreUnits, "per-stratum sums give the variance only when every respondent is its own PSU")
        precondition(!isCalibrated, "a calibrated design's variance needs the influence values")
        let structure = stageStructures[0]
        if lonelyPSU == .fail, let group = structure.firstLonelyGroup { throw DesignError.lonelyPSU(strata: [strataNames[group]]) }
        var sum = 0.0
        for (stratum, total, squares) in sums {
            let size = structure.groupSizes[stratum]
            let n = Double(size)
            let populationSize = populationSizes?[0][stratum] ?? .infinity
            let f = populationSize.isFinite ? (populationSize - n) / populationSize : 1
            if f < 1e-7 { continue }
            if size > 1 {
                // A sum of squares, formed from sums: it can round below 0 when every value is equal.
                sum += f * n / (n - 1) * max(0, squares - total * total / n)
            } else if lonelyPSU == .adjust {
                sum += f * squares
            }
        }
        let factor = structure.okGroups == 0 ? 0 : Double(structure.usedGroups) / Double(structure.okGroups)
        return sum * factor
    }
}

extension SurveyDesign {
    /// Satterthwaite's effective degrees of freedom (`effectiveDegreesOfFreedom(_:_:)`) when every respondent
    /// is its own PSU, from per stratum h the power sums [Σt, Σt², Σt³, Σt⁴] of the influence values over the
    /// domain's rows (strata not listed: all zero). With μ_h = Σt/n_h and c_h = n_h/(n_h − 1) over the n_h
    /// respondents of each stratum with n_h > 1 (n = Σ n_h of those),
    ///
    ///     Σ v = Σ_h c_h Σ_i (t_i − μ_h)²,   Σ v² = Σ_h c_h² Σ_i (t_i − μ_h)⁴,   df* = 2 (Σ v)² / (n/(n − 1) (Σ v² − (Σ v)²/n)),
    ///
    /// the centred second and fourth powers expanded binomially in the power sums (rows outside the domain
    /// have t = 0). Equal to `effectiveDegreesOfFreedom(_:_:)` with the values.
    ///
    /// - Source: Satterthwaite (1946); Kott (1994) for survey variances.
    public func effectiveDegreesOfFreedom(strata sums: [(stratum: Int, powers: [Double])]) -> Double? {
        precondition(respondentsAreUnits, "per-stratum power sums give the effective df only when every respondent is its own PSU")
        let sizes = stageStructures[0].groupSizes
        let n = sizes.reduce(0.0) { $0 + ($1 > 1 ? Double($1) : 0) }
        guard n > 1 else { return nil }
        var total = 0.0, squares = 0.0
        for (stratum, s) in sums where sizes[stratum] > 1 {
            let size = Double(sizes[stratum]), mean = s[0] / size, c = size / (size - 1)
            let second = s[1] - mean * s[0]
            let fourth = s[3] - 4 * mean * s[2] + 6 * mean * mean * s[1] - 4 * mean * mean * mean * s[0] + size * mean * mean * mean * mean
            total += c * second
            squares += c * c * fourth
        }
        let spread = (squares - total * total / n) * n / (n - 1)
        guard total > 0, spread > 0 else { return nil }
        return 2 * total * total / spread
    }
}
