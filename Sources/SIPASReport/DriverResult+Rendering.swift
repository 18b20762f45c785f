import Foundation
import SIPASInstrument
import SIPASModels

extension DriverResult {
    public func json(language: Language) -> JSONValue {
        func label(_ text: LocalizedText) -> JSONValue { .object([("vi", .string(text.vi)), ("en", .string(text.en))]) }
        let modelsJSON: [JSONValue] = models.map { model in
            let r = model.regression
            let coefficients: [JSONValue] = r.coefficients.enumerated().map { index, c in
                var fields: [(String, JSONValue)] = [("term", .string(c.term))]
                if index > 0 { fields.append(("label", label(factors[index - 1].label))) }
                fields += [("estimate", .number(c.estimate)), ("se", .number(c.standardError)), ("t", .number(c.tStatistic)),
                           ("p", .number(c.pValue)), ("ci_lower", .number(c.confidenceLower)), ("ci_upper", .number(c.confidenceUpper)),
                           ("std_beta", .number(c.standardizedBeta)), ("vif", .number(c.varianceInflation))]
                if index > 0 {
                    let j = index - 1
                    fields += [("correlation", .number(model.correlations[j])),
                               ("lmg", .number(model.importance.lmg[j])),
                               ("lmg_share", .number(model.importance.lmg[j] / model.importance.rSquared)),
                               ("lmg_share_ci_lower", model.bootstrap.map { .number($0.shareIntervals[j].lower) } ?? .null),
                               ("lmg_share_ci_upper", model.bootstrap.map { .number($0.shareIntervals[j].upper) } ?? .null)]
                }
                return .object(fields)
            }
            return .object([
                ("group", model.group.map { .string($0) } ?? .null),
                ("n", .integer(r.observationCount)), ("r_squared", .number(r.rSquared)), ("adj_r_squared", .number(r.adjustedRSquared)),
                ("se_type", .string(r.standardErrorType.description)), ("df_inference", .integer(r.inferenceDegreesOfFreedom)),
                ("f_statistic", .number(r.robustFStatistic ?? r.fStatistic)), ("f_p_value", .number(r.robustFPValue ?? r.fPValue)),
                ("condition_number", .number(r.conditionNumber)),
                ("coefficients", .array(coefficients)),
                ("sentences", .array(sentences(model, language: language).map { .string($0) })),
                ("notes", .array(model.notes.map { .string($0.en) })),
            ])
        }
        return .object([
            ("instrument", .string(instrument.id)), ("source", .string(source)),
            ("outcome", .object([("id", .string(outcome.id)), ("label", label(outcome.label))])),
            ("predictors", .string("factor score = mean of the factor's answered criteria (reversed items reversed)")),
            ("by", groupColumn.map { .string($0) } ?? .null), ("design", designSummary.map { .string($0.en) } ?? .null),
            ("confidence_level", .number(options.confidenceLevel)),
            ("minimum_n", .integer(minimumObservations)),
            ("minimum_n_rule", .string("n >= \(options.observationsPerParameter) x (\(factors.count) factors + 1)")),
            ("bootstrap", options.replicates > 0 && options.design.replicates == nil
                ? .object([("replicates", .integer(options.replicates)), ("seed", .integer(Int(truncatingIfNeeded: options.seed))),
                           ("method", .string((options.bootstrapMethod ?? (options.design.clusters.isEmpty ? .respondent : .raoWu)).rawValue)),
                           ("interval", .string("percentile"))])
                : .null),
            ("models", .array(modelsJSON)),
            ("skipped", .array(skipped.map { .object([("group", .string($0.group)), ("n", .integer($0.observations)), ("reason", .string($0.reason))]) })),
            ("reliability", .array(reliability.map(\.json))),
            ("rows", rows.json()),
        ])
    }

    /// The driver models (one per unit with --by), their sentences and notes, reliability, skipped units, rows
    /// and, when computed, the priorities: one document for every output format.
    public func document(language: Language, priorities: [ModelPriorities]? = nil) -> ResultDocument {
        let style = NumberStyle(language: language)
        let en = language == .en
        var jsonValue = json(language: language)
        if let priorities, case .object(var pairs) = jsonValue {
            pairs.insert(("priorities", .array(priorities.map { $0.json() })), at: pairs.count - 1)
            jsonValue = .object(pairs)
        }
        var document = ResultDocument(
            title: (en ? "Drivers of overall satisfaction (\(outcome.id))" : "Các yếu tố ảnh hưởng đến sự hài lòng chung (\(outcome.id))")
                + " — \(instrument.id), \(source)",
            language: language, json: jsonValue)
        var preface: [String] = []
        if let designSummary { preface.append((en ? "Design: " : "Thiết kế mẫu: ") + designSummary.text(language)) }
        if options.replicates > 0 && options.design.replicates == nil {
            preface.append(en ? "LMG intervals: \(options.replicates) bootstrap replicates, seed \(options.seed)"
                              : "Khoảng tin cậy LMG: \(options.replicates) lần lặp bootstrap, seed \(options.seed)")
        }
        document.paragraph(preface.joined(separator: "\n"))
        for model in models {
            let r = model.regression
            var table = TextTable(
                caption: (model.group.map { (en ? "Unit " : "Đơn vị ") + $0 } ?? (en ? "Pooled" : "Toàn bộ mẫu"))
                    + " — n = \(style.integer(r.observationCount)), R² = \(style.fixed(r.rSquared, decimals: 3)), " + (en ? "\(r.standardErrorType) SE, df = \(r.inferenceDegreesOfFreedom)"
                        : "SE \(r.standardErrorType.name(.vi)), bậc tự do = \(r.inferenceDegreesOfFreedom)"),
                sheetName: model.group.map { (en ? "Unit " : "Đơn vị ") + $0 } ?? (en ? "Pooled" : "Toàn bộ mẫu"),
                headers: [en ? "factor" : "yếu tố", "b", "SE", en ? "95% CI" : "KTC 95%", "p", "beta*", "VIF", "r", "LMG %",
                          en ? "95% CI of LMG %" : "KTC 95% của LMG %"],
                alignments: [.left] + Array(repeating: .right, count: 9), maximumWidths: [28] + Array(repeating: nil, count: 9))
            for (j, factor) in factors.enumerated() {
                let c = r.coefficients[j + 1]
                table.append(cells: [.text(factor.label.text(language)), .number(c.estimate, decimals: 3), .number(c.standardError, decimals: 3),
                                     .interval(c.confidenceLower, c.confidenceUpper, decimals: 3), .pValue(c.pValue, decimals: 4),
                                     .number(c.standardizedBeta, decimals: 3), .number(c.varianceInflation, decimals: 2),
                                     .number(model.correlations[j], decimals: 3),
                                     .number(100 * model.importance.lmg[j] / model.importance.rSquared, decimals: 1),
                                     model.bootstrap.map { .interval(100 * $0.shareIntervals[j].lower, 100 * $0.shareIntervals[j].upper, decimals: 1) } ?? .text("")])
            }
            document.table(table)
            var after = sentences(model, language: language).map { "  • " + $0 }
            if !model.notes.isEmpty {
                after.append(numberedNotes(model.notes, language: language))
            }
            document.paragraph(after.joined(separator: "\n"))
        }
        if !reliability.isEmpty {
            var lines = [en ? "Reliability of the factor scores (Cronbach's alpha, rows answering all of a factor's criteria):"
                            : "Độ tin cậy của điểm yếu tố (Cronbach's alpha, các dòng trả lời đủ tiêu chí của yếu tố):"]
            for entry in reliability {
                let value = entry.result.map { "alpha = \(style.fixed($0.alpha, decimals: 3)), n = \(style.integer($0.observationCount))" } ?? (entry.note ?? "")
                lines.append("  \(entry.factor.label.text(language)): \(value)")
            }
            document.paragraph(lines.joined(separator: "\n"))
        }
        if !skipped.isEmpty {
            var lines = [en ? "Units without a model (need n ≥ \(minimumObservations)):" : "Đơn vị không ước lượng mô hình (cần n ≥ \(minimumObservations)):"]
            for s in skipped { lines.append("  - \(s.group): \(s.reason)") }
            document.paragraph(lines.joined(separator: "\n"))
        }
        document.paragraph(rows.summaryText(language: language))
        for list in priorities ?? [] { list.append(to: &document) }
        return document
    }
}

extension ModelPriorities {
    public func json() -> JSONValue {
        .object([
            ("group", group.map { .string($0) } ?? .null),
            ("importance", .string("LMG share of R²")), ("performance", .string("factor index (%)")),
            ("importance_cut", .number(importanceCut)), ("performance_cut", .number(performanceCut)),
            ("factors", .array(factors.map { f in
                .object([("factor", .string(f.factor.id)), ("importance", .number(f.importance)),
                         ("performance", .number(f.performance.estimate)), ("performance_ci_lower", .number(f.performance.lower)),
                         ("performance_ci_upper", .number(f.performance.upper)),
                         ("quadrant", .string(f.quadrant.rawValue)),
                         ("quadrant_label", .object([("vi", .string(f.quadrant.label.vi)), ("en", .string(f.quadrant.label.en))])),
                         ("same_quadrant_share", .number(f.stability))])
            })),
            ("what_if", .array(whatIf.map { w in
                .object([("factor", .string(w.factor)), ("target", .number(w.target)), ("current_mean", .number(w.currentMean)),
                         ("current_prediction", .number(w.currentPrediction)), ("prediction", .number(w.prediction)),
                         ("ci_lower", .number(w.lower)), ("ci_upper", .number(w.upper)),
                         ("prediction_index", .number(w.prediction / w.top * 100)),
                         ("ci_lower_index", .number(w.lower / w.top * 100)), ("ci_upper_index", .number(w.upper / w.top * 100))])
            })),
        ])
    }

    /// The priority table (importance × performance) and the what-if predictions, added to the drivers' document.
    public func append(to document: inout ResultDocument) {
        let language = document.language
        let style = NumberStyle(language: language)
        let en = language == .en
        var table = TextTable(
            caption: (en ? "Priorities — " : "Ưu tiên — ") + (group.map { (en ? "unit " : "đơn vị ") + $0 } ?? (en ? "pooled" : "toàn bộ mẫu"))
                + (en ? " (cut lines: importance \(style.fixed(100 * importanceCut, decimals: 1))% of R², performance \(style.fixed(performanceCut))%)"
                      : " (ngưỡng: tầm quan trọng \(style.fixed(100 * importanceCut, decimals: 1))% R², chỉ số \(style.fixed(performanceCut))%)"),
            sheetName: (en ? "Priorities " : "Ưu tiên ") + (group ?? (en ? "pooled" : "toàn bộ")),
            headers: [en ? "factor" : "yếu tố", en ? "importance %" : "tầm quan trọng %", en ? "index %" : "chỉ số %",
                      en ? "95% CI" : "KTC 95%", en ? "quadrant" : "nhóm", en ? "same in replicates %" : "ổn định %"],
            alignments: [.left, .right, .right, .left, .left, .right], maximumWidths: [28, nil, nil, nil, nil, nil])
        for f in factors {
            table.append(cells: [.text(f.factor.label.text(language)), .number(100 * f.importance, decimals: 1),
                                 .number(f.performance.estimate, decimals: 2), .interval(f.performance.lower, f.performance.upper, decimals: 2),
                                 .text(f.quadrant.label.text(language)), .number(f.stability.map { 100 * $0 }, decimals: 0)])
        }
        document.table(table)
        let lines = whatIf.map { w in
            en
                ? "  What if '\(w.factor)' reached \(style.fixed(w.target)) (now \(style.fixed(w.currentMean))): overall \(style.fixed(w.currentPrediction)) → \(style.fixed(w.prediction)) (95% CI \(style.fixed(w.lower)) to \(style.fixed(w.upper))), index \(style.fixed(w.prediction / w.top * 100))%"
                : "  Nếu '\(w.factor)' đạt \(style.fixed(w.target)) (hiện \(style.fixed(w.currentMean))): hài lòng chung \(style.fixed(w.currentPrediction)) → \(style.fixed(w.prediction)) (KTC 95%: \(style.fixed(w.lower)) đến \(style.fixed(w.upper))), chỉ số \(style.fixed(w.prediction / w.top * 100))%"
        }
        document.paragraph(lines.joined(separator: "\n"))
    }
}

extension FactorReliability {
    var json: JSONValue {
        let items: [JSONValue] = factor.criteria.map { JSONValue.string($0.id) }
        var fields: [(String, JSONValue)] = [("factor", .string(factor.id)), ("items", .array(items))]
        if let result {
            fields += [("n", .integer(result.observationCount)), ("alpha", .number(result.alpha)),
                       ("standardized_alpha", .number(result.standardizedAlpha))]
        } else {
            fields += [("n", .null), ("alpha", .null), ("standardized_alpha", .null)]
        }
        fields.append(("note", note.map(JSONValue.string) ?? .null))
        return .object(fields)
    }
}
