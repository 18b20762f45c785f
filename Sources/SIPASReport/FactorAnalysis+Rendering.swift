import Foundation
import SIPASModels

extension FactorAnalysisResult {
    var factorLabels: [String] { (1..<(factorCount + 1)).map { "F\($0)" } }

    /// The machine-readable result (shape documented in docs/drivers.md).
    public func json() -> JSONValue {
        func matrix(_ rows: [[Double]]) -> JSONValue { .array(rows.map { .array($0.map { .number($0) }) }) }
        var cumulative = 0.0
        return .object([
            ("items", .array(items.map { .string($0) })),
            ("n", .integer(observationCount)),
            ("factors", .integer(factorCount)),
            ("extraction", .string(extraction.rawValue)),
            ("rotation", .string(rotation.rawValue)),
            ("kmo", .number(samplingAdequacy.overall)),
            ("kmo_items", .array(zip(items, samplingAdequacy.items).map { .object([("item", .string($0)), ("kmo", .number($1))]) })),
            ("bartlett", .object([
                ("chi_squared", .number(bartlett.chiSquared)), ("df", .integer(bartlett.degreesOfFreedom)),
                ("p", .number(bartlett.pValue)),
            ])),
            ("eigenvalues", .array(eigenvalues.map { .number($0) })),
            ("loadings", .array(items.indices.map { i in
                .object([
                    ("item", .string(items[i])),
                    ("loadings", .array(loadings[i].map { .number($0) })),
                    ("communality", .number(communalities[i])),
                    ("uniqueness", .number(uniquenesses[i])),
                ])
            })),
            ("variance", .array((0..<factorCount).map { f in
                cumulative += proportionOfVariance[f]
                return .object([
                    ("factor", .string(factorLabels[f])), ("ss_loadings", .number(sumsOfSquaredLoadings[f])),
                    ("proportion", .number(proportionOfVariance[f])), ("cumulative", .number(cumulative)),
                ])
            })),
            ("factor_correlations", factorCorrelations.map(matrix) ?? .null),
            ("iterations", .integer(iterations)),
            ("converged", .bool(converged)),
            ("correlation", matrix(correlation)),
            ("rows", rows.json()),
            ("notes", .array(notes.map { .string($0) })),
        ])
    }

    /// Loadings with communalities, variance explained, KMO, Bartlett, eigenvalues, rows and notes.
    public func tableText() -> String {
        let extractionText = extraction == .principalAxis ? "principal axis" : "maximum likelihood"
        var text = "Exploratory factor analysis: \(factorCount) factor(s), \(extractionText) extraction, \(rotation.rawValue) rotation, "
            + "\(items.count) items, n = \(observationCount) complete rows\n\n"
        var table = TextTable(headers: ["item"] + factorLabels + ["h2", "u2", "KMO"],
                              alignments: [.left] + Array(repeating: .right, count: factorCount + 3))
        for i in items.indices {
            table.append([items[i]] + loadings[i].map { String(format: "%.3f", $0) }
                + [String(format: "%.3f", communalities[i]), String(format: "%.3f", uniquenesses[i]),
                   String(format: "%.3f", samplingAdequacy.items[i])])
        }
        var cumulative = 0.0
        table.append(["SS loadings"] + sumsOfSquaredLoadings.map { String(format: "%.3f", $0) } + ["", "", ""])
        table.append(["Proportion"] + proportionOfVariance.map { String(format: "%.3f", $0) } + ["", "", ""])
        table.append(["Cumulative"] + proportionOfVariance.map { cumulative += $0; return String(format: "%.3f", cumulative) } + ["", "", ""])
        text += table.rendered() + "\n"
        if let factorCorrelations {
            var phi = TextTable(headers: ["factor correlations"] + factorLabels, alignments: [.left] + Array(repeating: .right, count: factorCount))
            for (f, row) in factorCorrelations.enumerated() { phi.append([factorLabels[f]] + row.map { String(format: "%.3f", $0) }) }
            text += phi.rendered() + "\n"
        }
        text += "KMO (sampling adequacy) = \(String(format: "%.3f", samplingAdequacy.overall)); Bartlett's sphericity χ²("
            + "\(bartlett.degreesOfFreedom)) = \(significant(bartlett.chiSquared, digits: 6)), p = \(pValueText(bartlett.pValue))\n"
        text += "Eigenvalues of the correlation matrix: " + eigenvalues.map { String(format: "%.3f", $0) }.joined(separator: ", ") + "\n"
        text += "\(extraction == .principalAxis ? "Principal-axis" : "Maximum-likelihood") iterations: \(iterations)\(converged ? "" : " (not converged)")\n"
        text += rows.summaryText() + "\n"
        if !notes.isEmpty { text += "\nNotes:\n" + notes.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n" }
        return text
    }
}
