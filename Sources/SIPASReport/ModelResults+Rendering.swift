import Foundation
import SIPASData
import SIPASModels

extension RowAccounting {
    /// {"read": …, "used": …, "excluded": [{"reason": …, "count": …}]}, the shape every command uses.
    public func json() -> JSONValue {
        .object([
            ("read", .integer(read)), ("used", .integer(used)),
            ("excluded", .array(excluded.map { .object([("reason", .string($0.reason)), ("count", .integer($0.count))]) })),
        ])
    }

    /// "Rows: read 200 = used 195 + excluded 5" and one line per reason.
    public func summaryText() -> String {
        var text = "Rows: read \(read) = used \(used) + excluded \(read - used)"
        for exclusion in excluded { text += "\n  - \(exclusion.reason): \(exclusion.count)" }
        return text
    }
}

/// Compact significant-digit formatting for model tables ("–" for nil or non-finite).
func significant(_ value: Double?, digits: Int = 5) -> String {
    guard let value, value.isFinite else { return "–" }
    return String(format: "%.\(digits)g", value)
}

func pValueText(_ p: Double) -> String {
    guard p.isFinite else { return "–" }
    return p < 0.0001 ? "<0.0001" : String(format: "%.4f", p)
}

extension RegressionResult {
    /// The machine-readable result (shape documented in docs/regression.md).
    public func json() -> JSONValue {
        let coefficientsJSON: [JSONValue] = coefficients.map { c in
            .object([
                ("term", .string(c.term)), ("estimate", .number(c.estimate)), ("se", .number(c.standardError)),
                ("t", .number(c.tStatistic)), ("p", .number(c.pValue)),
                ("ci_lower", .number(c.confidenceLower)), ("ci_upper", .number(c.confidenceUpper)),
                ("std_beta", .number(c.standardizedBeta)), ("vif", .number(c.varianceInflation)),
            ])
        }
        return .object([
            ("response", .string(responseName)),
            ("n", .integer(observationCount)),
            ("df_residual", .integer(residualDegreesOfFreedom)),
            ("df_inference", .integer(inferenceDegreesOfFreedom)),
            ("design", designSummary.map { .string($0) } ?? .null),
            ("r_squared", .number(rSquared)),
            ("r_squared_kind", .string(includesIntercept ? "centred" : "uncentred (no intercept)")),
            ("adj_r_squared", .number(adjustedRSquared)),
            ("sigma", .number(sigma)),
            ("f_statistic", .number(fStatistic)),
            ("f_p_value", .number(fPValue)),
            ("f_df", fDegreesOfFreedom.map { .array([.integer($0.numerator), .integer($0.denominator)]) } ?? .null),
            ("robust_f_statistic", .number(robustFStatistic)),
            ("robust_f_p_value", .number(robustFPValue)),
            ("condition_number", .number(conditionNumber)),
            ("condition_number_kind", .string("2-norm, design columns scaled to unit length (Belsley, Kuh & Welsch 1980)")),
            ("condition_number_unscaled", .number(unscaledConditionNumber)),
            ("se_type", .string(standardErrorType.description)),
            ("intercept", .bool(includesIntercept)),
            ("weights", weightName.map { .string($0) } ?? .null),
            ("cluster", clusterName.map { .string($0) } ?? .null),
            ("clusters", clusterCount.map { .integer($0) } ?? .null),
            ("confidence_level", .number(confidenceLevel)),
            ("coefficients", .array(coefficientsJSON)),
            ("wild_bootstrap", wildBootstrap.map { $0.json() } ?? .null),
            ("rows", rows.json()),
            ("notes", .array((notes + (wildBootstrap?.notes ?? [])).map { .string($0) })),
        ])
    }

    /// A table for people: coefficients, fit statistics, rows and notes.
    public func tableText() -> String {
        let level = Int((confidenceLevel * 100).rounded())
        var table = TextTable(headers: ["term", "estimate", "SE", "t", "p", "\(level)% CI low", "\(level)% CI high", "std beta", "VIF"],
                              alignments: [.left] + Array(repeating: .right, count: 8))
        for c in coefficients {
            table.append([c.term, significant(c.estimate), significant(c.standardError), String(format: "%.2f", c.tStatistic),
                          pValueText(c.pValue), significant(c.confidenceLower), significant(c.confidenceUpper),
                          c.standardizedBeta.map { String(format: "%.3f", $0) } ?? "", c.varianceInflation.map { String(format: "%.2f", $0) } ?? ""])
        }
        var seText = "\(standardErrorType) standard errors"
        if let clusterName, let clusterCount { seText += " (clusters: \(clusterName), \(clusterCount) clusters)" }
        if let designSummary { seText += " (\(designSummary); t with \(inferenceDegreesOfFreedom) df)" }
        var text = "Linear regression of \(responseName)\(weightName.map { ", weighted by \($0)" } ?? "") — \(seText)\n\n"
        text += table.rendered() + "\n"
        text += "n = \(observationCount), residual df = \(residualDegreesOfFreedom), R² = \(String(format: "%.4f", rSquared))"
            + (includesIntercept ? "" : " (uncentred)") + ", adjusted R² = \(String(format: "%.4f", adjustedRSquared)), "
            + "σ = \(significant(sigma))\n"
        if let fStatistic, let fPValue, let df = fDegreesOfFreedom {
            text += "F(\(df.numerator), \(df.denominator)) = \(significant(fStatistic)), p = \(pValueText(fPValue)) (classical)"
            if let robustFStatistic, let robustFPValue {
                text += "; robust Wald F = \(significant(robustFStatistic)), p = \(pValueText(robustFPValue)) (\(standardErrorType))"
            }
            text += "\n"
        }
        text += "Condition number \(String(format: "%.1f", conditionNumber)) (columns scaled to unit length; unscaled \(significant(unscaledConditionNumber, digits: 3)))\n"
        if let wildBootstrap { text += "\n" + wildBootstrap.tableText() + "\n" }
        text += rows.summaryText() + "\n"
        let allNotes = notes + (wildBootstrap?.notes ?? [])
        if !allNotes.isEmpty { text += "\nNotes:\n" + allNotes.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n" }
        return text
    }
}

extension WildClusterBootstrapResult {
    public func json() -> JSONValue {
        .object([
            ("method", .string("wild cluster bootstrap-t: restricted (null imposed) p-values, unrestricted symmetric percentile-t CIs")),
            ("weights", .string(weights.rawValue)),
            ("replications", .integer(replications)),
            ("enumerated", .bool(enumerated)),
            ("seed", seed.map { .string(String($0)) } ?? .null),
            ("cluster", .string(clusterName)),
            ("clusters", .integer(clusterCount)),
            ("confidence_level", .number(confidenceLevel)),
            ("coefficients", .array(coefficients.map { c in
                .object([("term", .string(c.term)), ("t", .number(c.tStatistic)), ("p", .number(c.pValue)),
                         ("ci_lower", .number(c.confidenceLower)), ("ci_upper", .number(c.confidenceUpper))])
            })),
        ])
    }

    public func tableText() -> String {
        let level = Int((confidenceLevel * 100).rounded())
        var text = "Wild cluster bootstrap-t (\(weights.rawValue) weights, \(replications) replications"
            + (enumerated ? ", all sign patterns" : seed.map { ", seed \($0)" } ?? "") + "; \(clusterCount) clusters of \(clusterName))\n"
        var table = TextTable(headers: ["term", "t (CR1)", "bootstrap p", "\(level)% CI low", "\(level)% CI high"],
                              alignments: [.left, .right, .right, .right, .right])
        for c in coefficients {
            table.append([c.term, String(format: "%.2f", c.tStatistic), String(format: "%.4f", c.pValue),
                          significant(c.confidenceLower), significant(c.confidenceUpper)])
        }
        text += table.rendered() + "\n"
        text += "p: null imposed (WCR), share of |t*| ≥ |t|; CI: unrestricted percentile-t, estimate ± q·SE (q = \(level)% quantile of |t*|)\n"
        return text
    }
}

extension ReliabilityResult {
    /// The machine-readable result (shape documented in docs/regression.md).
    public func json() -> JSONValue {
        .object([
            ("alpha", .number(alpha)),
            ("std_alpha", .number(standardizedAlpha)),
            ("n", .integer(observationCount)),
            ("scale_min", .number(scaleMinimum)),
            ("scale_max", .number(scaleMaximum)),
            ("items", .array(items.map { item in
                .object([
                    ("item", .string(item.item)), ("reversed", .bool(item.reversed)),
                    ("mean", .number(item.mean)), ("sd", .number(item.standardDeviation)),
                    ("item_rest_r", .number(item.itemRestCorrelation)),
                    ("alpha_if_dropped", .number(item.alphaIfDropped)),
                    ("std_alpha_if_dropped", .number(item.standardizedAlphaIfDropped)),
                ])
            })),
            ("rows", rows.json()),
            ("notes", .array(notes.map { .string($0) })),
        ])
    }

    public func tableText() -> String {
        var text = "Cronbach's alpha = \(String(format: "%.4f", alpha)) (standardized \(String(format: "%.4f", standardizedAlpha))), "
            + "\(items.count) items, n = \(observationCount) complete rows\n\n"
        var table = TextTable(headers: ["item", "mean", "SD", "item-rest r", "alpha if dropped"],
                              alignments: [.left, .right, .right, .right, .right])
        for item in items {
            table.append([item.item + (item.reversed ? " (reversed)" : ""), String(format: "%.3f", item.mean),
                          String(format: "%.3f", item.standardDeviation), String(format: "%.3f", item.itemRestCorrelation),
                          item.alphaIfDropped.map { String(format: "%.4f", $0) } ?? "–"])
        }
        text += table.rendered() + "\n"
        if items.contains(where: \.reversed) {
            text += "Reversed items scored (\(significant(scaleMinimum)) + \(significant(scaleMaximum))) − x.\n"
        }
        text += rows.summaryText() + "\n"
        if !notes.isEmpty { text += "\nNotes:\n" + notes.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n" }
        return text
    }
}
