import SIPASData
import SIPASEstimation
import SIPASInstrument
import SIPASSupport

/// A quadrant of the importance × performance matrix.
public enum PriorityQuadrant: String, CaseIterable, Sendable {
    /// High importance, low performance.
    case concentrateHere = "concentrate here"
    /// High importance, high performance.
    case keepUpTheGoodWork = "keep up the good work"
    /// Low importance, low performance.
    case lowPriority = "low priority"
    /// Low importance, high performance.
    case possibleOverkill = "possible overkill"

    public var label: LocalizedText {
        switch self {
        case .concentrateHere: return LocalizedText(vi: "Tập trung cải thiện", en: "Concentrate here")
        case .keepUpTheGoodWork: return LocalizedText(vi: "Tiếp tục duy trì", en: "Keep up the good work")
        case .lowPriority: return LocalizedText(vi: "Ưu tiên thấp", en: "Low priority")
        case .possibleOverkill: return LocalizedText(vi: "Có thể dư thừa", en: "Possible overkill")
        }
    }

    /// Importance ≥ its cut counts as high, performance ≥ its cut as high.
    public static func of(importance: Double, performance: Double, importanceCut: Double, performanceCut: Double) -> PriorityQuadrant {
        switch (importance >= importanceCut, performance >= performanceCut) {
        case (true, false): return .concentrateHere
        case (true, true): return .keepUpTheGoodWork
        case (false, false): return .lowPriority
        case (false, true): return .possibleOverkill
        }
    }
}

/// One factor's place in the matrix.
public struct FactorPriority: Sendable {
    public let factor: Factor
    /// LMG share of R² (0–1).
    public let importance: Double
    /// The factor index (percent) with its interval, from `IndexAnalysis` over the group's respondents.
    public let performance: PercentEstimate
    public let quadrant: PriorityQuadrant
    /// Share of bootstrap replicates whose LMG share puts the factor in the same quadrant (performance held at
    /// its estimate); nil without replicates.
    public let stability: Double?
}

/// The predicted overall item if one factor's mean score reached a target, the others unchanged.
public struct WhatIfPrediction: Sendable {
    public let factor: String
    public let target: Double
    /// The factor's current (weighted) mean score over the model's rows.
    public let currentMean: Double
    /// Predicted mean overall score now (= the fitted value at the means) and at the target, with the target's
    /// interval from the coefficient covariance: ŷ = gᵀb, Var = gᵀVg, g = (1, x̄₁, …, target, …).
    public let currentPrediction: Double
    public let prediction: Double
    public let lower: Double
    public let upper: Double
    /// The same on the index scale (score / top × 100).
    public let top: Double
}

/// Priorities of one model (pooled or one unit).
public struct ModelPriorities: Sendable {
    public let group: String?
    public let importanceCut: Double
    public let performanceCut: Double
    public let factors: [FactorPriority]
    public let whatIf: [WhatIfPrediction]
}

/// Importance × performance priorities and what-if predictions for the driver models.
///
/// Importance = the factor's LMG share of R²; performance = its factor index (mean of its criterion indices,
/// Khánh Hòa 2782 Art. 7) over all respondents of the group, with the interval of `IndexAnalysis` under the same
/// design. Cut lines: the mean importance across factors (= 1/p for LMG shares) and the mean factor index,
/// unless targets are given. Source: Martilla & James (1977), importance–performance analysis.
public enum DriverPriorities {
    public static func compute(result: DriverResult, table: ResponseTable, importanceCut: Double? = nil,
                               performanceCut: Double? = nil, whatIf: [(factor: String, target: Double)] = []) throws -> [ModelPriorities]
    {
        let factorIDs = result.factors.map(\.id)
        for (factor, target) in whatIf {
            guard factorIDs.contains(factor) else {
                throw ModelError.invalidSpecification(vi: "--what-if ghi yếu tố '\(factor)'; các yếu tố của bộ câu hỏi là \(factorIDs.joined(separator: ", "))",
                                                      en: "--what-if names factor '\(factor)'; the instrument's factors are \(factorIDs.joined(separator: ", "))")
            }
            // A factor score is a mean of answers on its criteria's scale: a target outside it cannot be reached.
            let tops = result.instrument.contents.flatMap(\.factors).first { $0.id == factor }?.criteria.compactMap(\.scale.top) ?? []
            if let top = tops.max(), !(target.isFinite && target >= 1 && target <= Double(top)) {
                throw ModelError.invalidSpecification(vi: "--what-if \(factor)=\(Note.vi("\(target)")): điểm yếu tố nằm trên thang trả lời của nó, từ 1 đến \(top)",
                                                      en: "--what-if \(factor)=\(target): a factor score lies on its answer scale, from 1 to \(top)")
            }
        }
        let indices = try IndexAnalysis.run(table: table, by: result.groupColumn.map { [$0] } ?? [],
                                            options: IndexOptions(confidenceLevel: result.options.confidenceLevel, design: result.options.design))
        let scores = DriverAnalysis.factorScores(table)
        let p = result.factors.count
        return try result.models.map { model in
            let group = model.group.map { [GroupValue(column: result.groupColumn!, value: $0)] } ?? []
            let performance = try result.factors.map { factor -> PercentEstimate in
                guard let estimate = indices.estimates.first(where: { $0.kind == .factor && $0.id == factor.id && $0.group == group }),
                      estimate.index.estimate != nil else {
                    throw ModelError.invalidSpecification(vi: "không có chỉ số cho yếu tố '\(factor.id)'\(model.group.map { " trong \($0)" } ?? "")",
                                                          en: "no index for factor '\(factor.id)'\(model.group.map { " in \($0)" } ?? "")")
                }
                return estimate.index
            }
            let shares = model.importance.lmg.map { $0 / model.importance.rSquared }
            let iCut = importanceCut ?? shares.reduce(0, +) / Double(p)
            let pCut = performanceCut ?? performance.map { $0.estimate! }.reduce(0, +) / Double(p)
            let factors = result.factors.enumerated().map { j, factor -> FactorPriority in
                let quadrant = PriorityQuadrant.of(importance: shares[j], performance: performance[j].estimate!, importanceCut: iCut, performanceCut: pCut)
                let stability = model.bootstrap.map { b -> Double in
                    let same = b.replicateValues.filter { values in
                        let total = values.reduce(0, +)
                        let cut = importanceCut ?? 1 / Double(p)
                        return PriorityQuadrant.of(importance: values[j] / total, performance: performance[j].estimate!,
                                                   importanceCut: cut, performanceCut: pCut) == quadrant
                    }.count
                    return Double(same) / Double(max(1, b.replicateValues.count))
                }
                return FactorPriority(factor: factor, importance: shares[j], performance: performance[j], quadrant: quadrant, stability: stability)
            }
            // What-if at the model's (weighted) mean factor scores.
            let w = model.weights ?? [Double](repeating: 1, count: model.rows.count)
            let total = w.reduce(0, +)
            let means = scores.map { column in zip(model.rows, w).reduce(0) { $0 + $1.1 * column.scores[$1.0] } / total }
            let b = model.regression.coefficients.map(\.estimate)
            let v = model.regression.covariance
            let q = Distribution.studentTQuantile(1 - (1 - result.options.confidenceLevel) / 2,
                                                  degreesOfFreedom: Double(model.regression.inferenceDegreesOfFreedom))
            let current = zip(b, [1] + means).reduce(0) { $0 + $1.0 * $1.1 }
            let predictions = whatIf.map { factor, target -> WhatIfPrediction in
                let j = factorIDs.firstIndex(of: factor)!
                var g = [1] + means
                g[j + 1] = target
                let prediction = zip(b, g).reduce(0) { $0 + $1.0 * $1.1 }
                var variance = 0.0
                for a in 0..<g.count { for c in 0..<g.count { variance += g[a] * v[a, c] * g[c] } }
                let se = variance.squareRoot()
                return WhatIfPrediction(factor: factor, target: target, currentMean: means[j], currentPrediction: current,
                                        prediction: prediction, lower: prediction - q * se, upper: prediction + q * se,
                                        top: Double(result.outcome.scale.top ?? 5))
            }
            return ModelPriorities(group: model.group, importanceCut: iCut, performanceCut: pCut, factors: factors, whatIf: predictions)
        }
    }
}
