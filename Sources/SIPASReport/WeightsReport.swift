import Foundation
import SIPASDesign

/// `sipas weights`: the calibrated weights of a survey and their diagnostics, ready to render.
public struct WeightsReport: Sendable {
    public let source: String
    public let designSummary: String
    public let specification: CalibrationSpecification
    public let result: CalibrationResult
    public let diagnostics: WeightDiagnostics
    /// Each design row's data row number (1-based, as errors count rows).
    public let rowNumbers: [Int]
    /// Each design row's identifier (`--id`), when asked for.
    public let identifiers: (column: String, values: [String])?

    public init(source: String, designSummary: String, specification: CalibrationSpecification, result: CalibrationResult,
                diagnostics: WeightDiagnostics, rowNumbers: [Int], identifiers: (column: String, values: [String])?) {
        self.source = source; self.designSummary = designSummary; self.specification = specification; self.result = result
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

    public func text() -> String {
        let d = diagnostics
        var out = "Data: \(source) · \(d.rowCount) respondents · design: \(designSummary)\n"
        out += "Calibration: \(specification.method.rawValue), \(result.iterations) iteration\(result.iterations == 1 ? "" : "s")"
        if let cap = result.trimCap { out += ", trimmed at \(Self.number(cap)) in \(result.trimRounds) round\(result.trimRounds == 1 ? "" : "s")" }
        out += "; largest relative error \(String(format: "%.2g", result.maxRelativeError))\n\n"

        out += "Targets met (weighted counts before and after calibration):\n"
        var targets = TextTable(headers: ["variable", "category", "n", "target", "before", "after", "after/target − 1"],
                                alignments: [.left, .left, .right, .right, .right, .right, .right])
        for t in result.targets {
            targets.append([t.variable, t.category.isEmpty ? "(total)" : t.category, t.respondents > 0 ? String(t.respondents) : "",
                            Self.fixed(t.target), Self.fixed(t.initial), Self.fixed(t.achieved),
                            String(format: "%.1e", t.target != 0 ? t.achieved / t.target - 1 : t.achieved)])
        }
        out += targets.rendered() + "\n"

        out += "g = calibrated weight / design weight:\n"
        var quantiles = TextTable(headers: d.quantileLevels.map { $0 == 0 ? "min" : $0 == 1 ? "max" : "\(Int(($0 * 100).rounded()))%" },
                                  alignments: d.quantileLevels.map { _ in .right })
        quantiles.append(d.gQuantiles.map { Self.number($0) })
        out += quantiles.rendered() + "\n"

        out += "Weights (Kish design effect 1 + CV² of the weights; effective n = n / deff):\n"
        var summary = TextTable(headers: ["weights", "sum", "min", "max", "max/min", "Kish deff", "effective n"],
                                alignments: [.left, .right, .right, .right, .right, .right, .right])
        for (name, s) in [("design", d.before), ("calibrated", d.after)] {
            summary.append([name, Self.fixed(s.sum), Self.number(s.minimum), Self.number(s.maximum),
                            Self.number(s.maximum / s.minimum, digits: 2), Self.number(s.kishDesignEffect, digits: 3),
                            Self.number(s.effectiveSampleSize, digits: 1)])
        }
        out += summary.rendered() + "\n"

        if !d.largest.isEmpty {
            out += "Largest calibrated weights:\n"
            var largest = TextTable(headers: ["row"] + (identifiers.map { [$0.column] } ?? []) + ["weight", "design weight", "g", "cell"],
                                    alignments: [.right] + (identifiers.map { _ in [.left] } ?? []) + [.right, .right, .right, .left])
            for large in d.largest {
                largest.append([String(rowNumbers[large.designRow])] + (identifiers.map { [$0.values[large.designRow]] } ?? [])
                    + [Self.number(large.weight), Self.number(large.designWeight), Self.number(large.g), large.cell])
            }
            out += largest.rendered()
        }
        for (index, note) in result.notes.enumerated() { out += "\nNote \(index + 1): \(note)" }
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
            ("notes", .array(result.notes.map { .string($0) })),
        ])
    }
}
