import Foundation
import SIPASDesign
import SIPASInstrument

/// `sipas weights`: the calibrated weights of a survey and their diagnostics, ready to render.
public struct WeightsReport: Sendable {
    public let source: String
    /// The design in both languages ("tầng = …" / "strata = …").
    public let designDescription: LocalizedText
    /// The design in English (the JSON's `design`).
    public var designSummary: String { designDescription.en }
    public let specification: CalibrationSpecification
    public let result: CalibrationResult
    public let diagnostics: WeightDiagnostics
    /// Each design row's data row number (1-based, as errors count rows).
    public let rowNumbers: [Int]
    /// Each design row's identifier (`--id`), when asked for.
    public let identifiers: (column: String, values: [String])?

    public init(source: String, design: LocalizedText, specification: CalibrationSpecification, result: CalibrationResult,
                diagnostics: WeightDiagnostics, rowNumbers: [Int], identifiers: (column: String, values: [String])?) {
        self.source = source; self.designDescription = design; self.specification = specification; self.result = result
        self.diagnostics = diagnostics; self.rowNumbers = rowNumbers; self.identifiers = identifiers
    }

    static func number(_ value: Double, digits: Int = 4) -> String {
        guard value.isFinite else { return "–" }
        if abs(value) >= 1e6 || value == value.rounded() && abs(value) >= 1000 { return String(format: "%.0f", value) }
        return String(format: "%.\(digits)f", value)
    }

    static func fixed(_ value: Double) -> String { value.isFinite ? String(format: "%.2f", value) : "–" }

    /// The CSV of weights: row, the id column (if any), design_weight, g, weight (17 significant digits, so the
    /// file reproduces the numbers exactly).
    public func csv() -> String {
        var text = "row" + (identifiers.map { "," + Self.quoted($0.column) } ?? "") + ",design_weight,g,weight\n"
        for index in result.weights.indices {
            text += String(rowNumbers[index])
            if let identifiers { text += "," + Self.quoted(identifiers.values[index]) }
            let d = result.designWeights[index], w = result.weights[index]
            text += ",\(Self.exact(d)),\(Self.exact(w / d)),\(Self.exact(w))\n"
        }
        return text
    }

    static func exact(_ value: Double) -> String { String(format: "%.17g", value) }

    static func quoted(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// The diagnostics as the screen shows them, in `language` (numbers in its style: 94,97 / 94.97).
    public func text(_ language: Language = .en) -> String {
        let d = diagnostics
        let vi = language == .vi
        func pick(_ v: String, _ e: String) -> String { vi ? v : e }
        func local(_ text: String) -> String { vi ? Note.vi(text) : text }
        let style = NumberStyle(language: language)
        var out = pick("Dữ liệu: \(source) · \(style.integer(d.rowCount)) người trả lời · thiết kế: \(designDescription.vi)\n",
                       "Data: \(source) · \(d.rowCount) respondents · design: \(designDescription.en)\n")
        let methods = ["post-stratify": "hậu phân tầng", "rake": "raking lặp theo biên", "linear": "tuyến tính", "raking": "raking", "logit": "logit"]
        let method = specification.method.rawValue
        out += pick("Hiệu chỉnh quyền số: \(methods[method] ?? method) (\(method)), \(result.iterations) vòng lặp",
                    "Calibration: \(method), \(result.iterations) iteration\(result.iterations == 1 ? "" : "s")")
        if let cap = result.trimCap {
            out += pick(", cắt ở mức \(local(Self.number(cap))) sau \(result.trimRounds) vòng",
                        ", trimmed at \(Self.number(cap)) in \(result.trimRounds) round\(result.trimRounds == 1 ? "" : "s")")
        }
        let error = String(format: "%.2g", result.maxRelativeError)
        out += pick("; sai số tương đối lớn nhất \(local(error))\n\n", "; largest relative error \(error)\n\n")

        out += pick("Các tổng mục tiêu (tổng có trọng số trước và sau hiệu chỉnh):\n",
                    "Targets met (weighted counts before and after calibration):\n")
        var targets = TextTable(headers: vi ? ["biến", "nhóm", "n", "mục tiêu", "trước", "sau", "sau/mục tiêu − 1"]
                                            : ["variable", "category", "n", "target", "before", "after", "after/target − 1"],
                                alignments: [.left, .left, .right, .right, .right, .right, .right])
        for t in result.targets {
            targets.append([t.variable, t.category.isEmpty ? pick("(tổng)", "(total)") : t.category, t.respondents > 0 ? style.integer(t.respondents) : "",
                            style.fixed(t.target), style.fixed(t.initial), style.fixed(t.achieved),
                            local(String(format: "%.1e", t.target != 0 ? t.achieved / t.target - 1 : t.achieved))])
        }
        out += targets.rendered() + "\n"

        out += pick("g = quyền số hiệu chỉnh / quyền số thiết kế:\n", "g = calibrated weight / design weight:\n")
        var quantiles = TextTable(headers: d.quantileLevels.map { $0 == 0 ? pick("nhỏ nhất", "min") : $0 == 1 ? pick("lớn nhất", "max") : "\(Int(($0 * 100).rounded()))%" },
                                  alignments: d.quantileLevels.map { _ in .right })
        quantiles.append(d.gQuantiles.map { local(Self.number($0)) })
        out += quantiles.rendered() + "\n"

        out += pick("Quyền số (hệ số thiết kế Kish 1 + CV² của quyền số; n hiệu dụng = n / deff):\n",
                    "Weights (Kish design effect 1 + CV² of the weights; effective n = n / deff):\n")
        var summary = TextTable(headers: vi ? ["quyền số", "tổng", "nhỏ nhất", "lớn nhất", "lớn/nhỏ", "deff Kish", "n hiệu dụng"]
                                            : ["weights", "sum", "min", "max", "max/min", "Kish deff", "effective n"],
                                alignments: [.left, .right, .right, .right, .right, .right, .right])
        for (name, s) in [(pick("thiết kế", "design"), d.before), (pick("hiệu chỉnh", "calibrated"), d.after)] {
            summary.append([name, style.fixed(s.sum), local(Self.number(s.minimum)), local(Self.number(s.maximum)),
                            local(Self.number(s.maximum / s.minimum, digits: 2)), local(Self.number(s.kishDesignEffect, digits: 3)),
                            local(Self.number(s.effectiveSampleSize, digits: 1))])
        }
        out += summary.rendered() + "\n"

        if !d.largest.isEmpty {
            out += pick("Các quyền số hiệu chỉnh lớn nhất:\n", "Largest calibrated weights:\n")
            var largest = TextTable(headers: [pick("dòng", "row")] + (identifiers.map { [$0.column] } ?? [])
                                        + (vi ? ["quyền số", "quyền số thiết kế", "g", "ô"] : ["weight", "design weight", "g", "cell"]),
                                    alignments: [.right] + (identifiers.map { _ in [.left] } ?? []) + [.right, .right, .right, .left])
            for large in d.largest {
                largest.append([String(rowNumbers[large.designRow])] + (identifiers.map { [$0.values[large.designRow]] } ?? [])
                    + [local(Self.number(large.weight)), local(Self.number(large.designWeight)), local(Self.number(large.g)), large.cell])
            }
            out += largest.rendered()
        }
        for (index, note) in result.notes.enumerated() { out += "\n" + pick("Ghi chú", "Note") + " \(index + 1): \(note.text(language))" }
        return out + (result.notes.isEmpty ? "" : "\n")
    }

    public func json() -> JSONValue {
        func summary(_ s: WeightDiagnostics.Summary) -> JSONValue {
            .object([("sum", .number(s.sum)), ("min", .number(s.minimum)), ("max", .number(s.maximum)),
                     ("kish_deff", .number(s.kishDesignEffect)), ("effective_n", .number(s.effectiveSampleSize))])
        }
        let d = diagnostics
        return .object([
            ("source", .string(source)), ("design", .string(designSummary)), ("method", .string(specification.method.rawValue)),
            ("respondents", .integer(d.rowCount)), ("iterations", .integer(result.iterations)),
            ("trim", result.trimCap.map { .object([("cap", .number($0)), ("rounds", .integer(result.trimRounds))]) } ?? .null),
            ("max_relative_error", .number(result.maxRelativeError)),
            ("targets", .array(result.targets.map { t in
                .object([("variable", .string(t.variable)), ("category", .string(t.category)), ("n", .integer(t.respondents)),
                         ("target", .number(t.target)), ("before", .number(t.initial)), ("after", .number(t.achieved))])
            })),
            ("g_quantiles", .object(zip(d.quantileLevels, d.gQuantiles).map { (String($0.0), .number($0.1)) })),
            ("design_weights", summary(d.before)), ("calibrated_weights", summary(d.after)),
            ("largest", .array(d.largest.map { large in
                .object([("row", .integer(rowNumbers[large.designRow]))]
                    + (identifiers.map { [($0.column, JSONValue.string($0.values[large.designRow]))] } ?? [])
                    + [("weight", .number(large.weight)), ("design_weight", .number(large.designWeight)), ("g", .number(large.g)),
                       ("cell", .string(large.cell))])
            })),
            ("notes", .array(result.notes.map { .string($0.en) })),
        ])
    }
}
