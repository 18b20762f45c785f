import Foundation
import SIPASModels

extension OrderedLogitResult {
    /// The machine-readable result (shape documented in docs/drivers.md).
    public func json() -> JSONValue {
        func parameters(_ list: [OrderedLogitParameter], oddsRatio: Bool) -> JSONValue {
            .array(list.map { c in
                var fields: [(String, JSONValue)] = [
                    ("term", .string(c.term)), ("estimate", .number(c.estimate)), ("se", .number(c.standardError)),
                    ("z", .number(c.zStatistic)), ("p", .number(c.pValue)),
                    ("ci_lower", .number(c.confidenceLower)), ("ci_upper", .number(c.confidenceUpper)),
                ]
                if oddsRatio { fields.append(("odds_ratio", .number(Foundation.exp(c.estimate)))) }
                return .object(fields)
            })
        }
        return .object([
            ("response", .string(responseName)),
            ("model", .string("proportional odds: logit P(Y <= k) = zeta_k - x'b (MASS::polr)")),
            ("n", .integer(observationCount)),
            ("weights", weightName.map { .string($0) } ?? .null),
            ("categories", .array(zip(categories, categoryCounts).map { .object([("value", .number($0)), ("count", .integer($1))]) })),
            ("coefficients", parameters(coefficients, oddsRatio: true)),
            ("thresholds", parameters(thresholds, oddsRatio: false)),
            ("log_likelihood", .number(logLikelihood)),
            ("deviance", .number(deviance)),
            ("aic", .number(aic)),
            ("iterations", .integer(iterations)),
            ("confidence_level", .number(confidenceLevel)),
            ("rows", rows.json()),
            ("notes", .array(notes.map { .string($0) })),
        ])
    }

    public func tableText() -> String {
        let level = Int((confidenceLevel * 100).rounded())
        var text = "Ordered logit (proportional odds) of \(responseName)\(weightName.map { ", weighted by \($0)" } ?? ""): "
            + "logit P(\(responseName) ≤ k) = ζ_k − x'b\n\n"
        var table = TextTable(headers: ["term", "estimate", "SE", "z", "p", "\(level)% CI low", "\(level)% CI high", "odds ratio"],
                              alignments: [.left] + Array(repeating: .right, count: 7))
        for c in coefficients {
            table.append([c.term, significant(c.estimate), significant(c.standardError), String(format: "%.2f", c.zStatistic),
                          pValueText(c.pValue), significant(c.confidenceLower), significant(c.confidenceUpper),
                          significant(Foundation.exp(c.estimate), digits: 4)])
        }
        for c in thresholds {
            table.append(["cut " + c.term, significant(c.estimate), significant(c.standardError), String(format: "%.2f", c.zStatistic),
                          "", "", "", ""])
        }
        text += table.rendered() + "\n"
        text += "n = \(observationCount), log-likelihood = \(significant(logLikelihood, digits: 8)), deviance = \(significant(deviance, digits: 8)), "
            + "AIC = \(significant(aic, digits: 8)), Newton steps \(iterations)\n"
        text += "Answers: " + zip(categories, categoryCounts).map { "\(significant($0, digits: 6)): \($1)" }.joined(separator: ", ") + "\n"
        text += rows.summaryText() + "\n"
        if !notes.isEmpty { text += "\nNotes:\n" + notes.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n" }
        return text
    }
}
