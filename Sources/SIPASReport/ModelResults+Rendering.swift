import Foundation
import SIPASInstrument
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

    /// "Rows: read 200 = used 195 + excluded 5" (or "Số dòng: đọc … = dùng … + loại …") and one line per reason.
    public func summaryText(language: Language = .en) -> String {
        let style = NumberStyle(language: language)
        var text = language == .vi
            ? "Số dòng: đọc \(style.integer(read)) = dùng \(style.integer(used)) + loại \(style.integer(read - used))"
            : "Rows: read \(style.integer(read)) = used \(style.integer(used)) + excluded \(style.integer(read - used))"
        for exclusion in excluded { text += "\n  - \(exclusion.text(language)): \(style.integer(exclusion.count))" }
        return text
    }
}

/// "Ghi chú:" / "Notes:" and the notes numbered, or "" when there are none.
func numberedNotes(_ notes: [Note], language: Language) -> String {
    guard !notes.isEmpty else { return "" }
    return (language == .vi ? "Ghi chú:\n" : "Notes:\n")
        + notes.enumerated().map { "  \($0.offset + 1). \($0.element.text(language))" }.joined(separator: "\n")
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
            ("design", designSummary.map { .string($0.en) } ?? .null),
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
            ("notes", .array((notes + (wildBootstrap?.notes ?? [])).map { .string($0.en) })),
        ])
    }

    /// Coefficients, fit statistics, rows and notes, for people and as a workbook.
    public func document(language: Language) -> ResultDocument {
        let style = NumberStyle(language: language)
        let vi = language == .vi
        let level = Int((confidenceLevel * 100).rounded())
        var table = TextTable(headers: vi ? ["biến", "hệ số", "SE", "t", "p", "KTC \(level)%", "beta chuẩn hóa", "VIF"]
                                 : ["term", "estimate", "SE", "t", "p", "\(level)% CI", "std beta", "VIF"],
                              alignments: [.left, .right, .right, .right, .right, .left, .right, .right])
        for c in coefficients {
            table.append(cells: [.text(c.term), .significant(c.estimate, digits: 5), .significant(c.standardError, digits: 5),
                                 .number(c.tStatistic, decimals: 2), .pValue(c.pValue, decimals: 4),
                                 .text("[\(style.significant(c.confidenceLower)); \(style.significant(c.confidenceUpper))]"),
                                 c.standardizedBeta.map { .number($0, decimals: 3) } ?? .text(""),
                                 c.varianceInflation.map { .number($0, decimals: 2) } ?? .text("")])
        }
        var seText = vi ? "sai số chuẩn \(standardErrorType.name(.vi))" : "\(standardErrorType) standard errors"
        if let clusterName, let clusterCount { seText += vi ? " (cụm: \(clusterName), \(clusterCount) cụm)" : " (clusters: \(clusterName), \(clusterCount) clusters)" }
        if let designSummary { seText += vi ? " (\(designSummary.vi); t với \(inferenceDegreesOfFreedom) bậc tự do)" : " (\(designSummary.en); t with \(inferenceDegreesOfFreedom) df)" }
        let weighted = weightName.map { vi ? ", trọng số \($0)" : ", weighted by \($0)" } ?? ""
        var document = ResultDocument(title: (vi ? "Hồi quy tuyến tính của \(responseName)" : "Linear regression of \(responseName)") + weighted + " — " + seText,
                                      language: language, json: json())
        document.table(table)
        var fit = "n = \(style.integer(observationCount)), " + (vi ? "bậc tự do phần dư" : "residual df") + " = \(residualDegreesOfFreedom), R² = \(style.fixed(rSquared, decimals: 4))"
            + (includesIntercept ? "" : (vi ? " (không trừ trung bình)" : " (uncentred)")) + (vi ? ", R² hiệu chỉnh = " : ", adjusted R² = ")
            + style.fixed(adjustedRSquared, decimals: 4) + ", σ = \(style.significant(sigma))"
        if let fStatistic, let fPValue, let df = fDegreesOfFreedom {
            fit += "\nF(\(df.numerator), \(df.denominator)) = \(style.significant(fStatistic)), \(style.pStatement(fPValue, decimals: 4)) " + (vi ? "(cổ điển)" : "(classical)")
            if let robustFStatistic, let robustFPValue {
                fit += (vi ? "; F Wald vững = " : "; robust Wald F = ") + "\(style.significant(robustFStatistic)), \(style.pStatement(robustFPValue, decimals: 4)) (\(standardErrorType.name(language)))"
            }
        }
        fit += vi ? "\nSố điều kiện \(style.fixed(conditionNumber, decimals: 1)) (các cột chuẩn hóa về độ dài 1; chưa chuẩn hóa \(style.significant(unscaledConditionNumber, digits: 3)))"
            : "\nCondition number \(style.fixed(conditionNumber, decimals: 1)) (columns scaled to unit length; unscaled \(style.significant(unscaledConditionNumber, digits: 3)))"
        document.paragraph(fit)
        if let wildBootstrap { wildBootstrap.append(to: &document) }
        document.paragraph(rows.summaryText(language: language))
        document.paragraph(numberedNotes(notes + (wildBootstrap?.notes ?? []), language: language))
        return document
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

    /// The bootstrap table and how to read it, added to a regression's document.
    func append(to document: inout ResultDocument) {
        let vi = document.language == .vi
        let style = NumberStyle(language: document.language)
        let level = Int((confidenceLevel * 100).rounded())
        let detail = (enumerated ? (vi ? ", mọi tổ hợp dấu" : ", all sign patterns") : seed.map { ", seed \($0)" } ?? "")
        var table = TextTable(caption: vi
                ? "Bootstrap-t cụm hoang dã (trọng số \(weights.rawValue), \(replications) lần lặp\(detail); \(clusterCount) cụm \(clusterName))"
                : "Wild cluster bootstrap-t (\(weights.rawValue) weights, \(replications) replications\(detail); \(clusterCount) clusters of \(clusterName))",
            headers: vi ? ["biến", "t (CR1)", "p bootstrap", "KTC \(level)%"] : ["term", "t (CR1)", "bootstrap p", "\(level)% CI"],
            alignments: [.left, .right, .right, .left])
        for c in coefficients {
            table.append(cells: [.text(c.term), .number(c.tStatistic, decimals: 2), .number(c.pValue, decimals: 4),
                                 .text("[\(style.significant(c.confidenceLower)); \(style.significant(c.confidenceUpper))]")])
        }
        document.table(table)
        document.paragraph(vi
            ? "p: áp đặt giả thuyết không (WCR), tỷ lệ |t*| ≥ |t|; KTC: percentile-t không ràng buộc, hệ số ± q·SE (q = phân vị \(level)% của |t*|)"
            : "p: null imposed (WCR), share of |t*| ≥ |t|; CI: unrestricted percentile-t, estimate ± q·SE (q = \(level)% quantile of |t*|)")
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
            ("notes", .array(notes.map { .string($0.en) })),
        ])
    }

    /// Alpha, the item table, rows and notes.
    public func document(language: Language) -> ResultDocument {
        let style = NumberStyle(language: language)
        let vi = language == .vi
        var document = ResultDocument(
            title: "Cronbach's alpha = \(style.fixed(alpha, decimals: 4)) (" + (vi ? "chuẩn hóa " : "standardized ")
                + "\(style.fixed(standardizedAlpha, decimals: 4))), \(items.count) " + (vi ? "câu hỏi" : "items")
                + ", n = \(style.integer(observationCount)) " + (vi ? "dòng đủ trả lời" : "complete rows"),
            language: language, json: json())
        var table = TextTable(headers: vi ? ["câu hỏi", "trung bình", "SD", "r với phần còn lại", "alpha nếu bỏ"]
                                 : ["item", "mean", "SD", "item-rest r", "alpha if dropped"],
                              alignments: [.left, .right, .right, .right, .right])
        for item in items {
            table.append(cells: [.text(item.item + (item.reversed ? (vi ? " (đảo chiều)" : " (reversed)") : "")),
                                 .number(item.mean, decimals: 3), .number(item.standardDeviation, decimals: 3),
                                 .number(item.itemRestCorrelation, decimals: 3), .number(item.alphaIfDropped, decimals: 4)])
        }
        document.table(table)
        if items.contains(where: \.reversed) {
            document.paragraph((vi ? "Câu đảo chiều được chấm (" : "Reversed items scored (")
                               + "\(style.significant(scaleMinimum)) + \(style.significant(scaleMaximum))) − x.")
        }
        document.paragraph(rows.summaryText(language: language))
        document.paragraph(numberedNotes(notes, language: language))
        return document
    }
}
