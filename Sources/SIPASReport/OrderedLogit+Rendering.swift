import Foundation
import SIPASInstrument
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
            ("notes", .array(notes.map { .string($0.en) })),
        ])
    }

    /// Coefficients with odds ratios, cut points, fit, answer counts, rows and notes.
    public func document(language: Language) -> ResultDocument {
        let style = NumberStyle(language: language)
        let vi = language == .vi
        let level = Int((confidenceLevel * 100).rounded())
        let weighted = weightName.map { vi ? ", trọng số \($0)" : ", weighted by \($0)" } ?? ""
        var document = ResultDocument(
            title: (vi ? "Logit thứ bậc (tỷ lệ odds tỷ lệ) của \(responseName)" : "Ordered logit (proportional odds) of \(responseName)")
                + weighted + ": logit P(\(responseName) ≤ k) = ζ_k − x'b",
            language: language, json: json())
        var table = TextTable(headers: vi ? ["biến", "hệ số", "SE", "z", "p", "KTC \(level)%", "tỷ số odds"]
                                 : ["term", "estimate", "SE", "z", "p", "\(level)% CI", "odds ratio"],
                              alignments: [.left, .right, .right, .right, .right, .left, .right])
        for c in coefficients {
            table.append(cells: [.text(c.term), .significant(c.estimate, digits: 5), .significant(c.standardError, digits: 5),
                                 .number(c.zStatistic, decimals: 2), .pValue(c.pValue, decimals: 4),
                                 .text("[\(style.significant(c.confidenceLower)); \(style.significant(c.confidenceUpper))]"),
                                 .significant(Foundation.exp(c.estimate), digits: 4)])
        }
        for c in thresholds {
            table.append(cells: [.text((vi ? "ngưỡng " : "cut ") + c.term), .significant(c.estimate, digits: 5),
                                 .significant(c.standardError, digits: 5), .number(c.zStatistic, decimals: 2),
                                 .text(""), .text(""), .text("")])
        }
        document.table(table)
        document.paragraph("n = \(style.integer(observationCount)), " + (vi ? "log hợp lý" : "log-likelihood") + " = \(style.significant(logLikelihood, digits: 8)), "
            + (vi ? "độ lệch" : "deviance") + " = \(style.significant(deviance, digits: 8)), AIC = \(style.significant(aic, digits: 8)), "
            + (vi ? "số bước Newton" : "Newton steps") + " \(iterations)\n"
            + (vi ? "Câu trả lời: " : "Answers: ") + zip(categories, categoryCounts).map { "\(style.significant($0, digits: 6)): \(style.integer($1))" }.joined(separator: "; "))
        document.paragraph(rows.summaryText(language: language))
        document.paragraph(numberedNotes(notes, language: language))
        return document
    }
}
