import Foundation
import SIPASInstrument
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
            ("notes", .array(notes.map { .string($0.en) })),
        ])
    }

    /// Loadings with communalities, variance explained, KMO, Bartlett, eigenvalues, rows and notes.
    public func document(language: Language) -> ResultDocument {
        let style = NumberStyle(language: language)
        let vi = language == .vi
        let extractionText = extraction == .principalAxis ? (vi ? "trục chính" : "principal axis") : (vi ? "hợp lý cực đại" : "maximum likelihood")
        var document = ResultDocument(
            title: vi ? "Phân tích nhân tố khám phá: \(factorCount) nhân tố, trích \(extractionText), xoay \(rotation.rawValue), \(items.count) câu hỏi, n = \(style.integer(observationCount)) dòng đủ trả lời"
                : "Exploratory factor analysis: \(factorCount) factor(s), \(extractionText) extraction, \(rotation.rawValue) rotation, \(items.count) items, n = \(style.integer(observationCount)) complete rows",
            language: language, json: json())
        var table = TextTable(headers: [vi ? "câu hỏi" : "item"] + factorLabels + ["h2", "u2", "KMO"],
                              alignments: [.left] + Array(repeating: .right, count: factorCount + 3))
        for i in items.indices {
            table.append(cells: [.text(items[i])] + loadings[i].map { .number($0, decimals: 3) }
                + [.number(communalities[i], decimals: 3), .number(uniquenesses[i], decimals: 3),
                   .number(samplingAdequacy.items[i], decimals: 3)])
        }
        var cumulative = 0.0
        let blank: [TableCell] = [.text(""), .text(""), .text("")]
        table.append(cells: [.text(vi ? "Tổng bình phương hệ số tải" : "SS loadings")] + sumsOfSquaredLoadings.map { .number($0, decimals: 3) } + blank)
        table.append(cells: [.text(vi ? "Tỷ lệ phương sai" : "Proportion")] + proportionOfVariance.map { .number($0, decimals: 3) } + blank)
        table.append(cells: [.text(vi ? "Tích lũy" : "Cumulative")] + proportionOfVariance.map { cumulative += $0; return .number(cumulative, decimals: 3) } + blank)
        document.table(table)
        if let factorCorrelations {
            var phi = TextTable(headers: [vi ? "tương quan giữa các nhân tố" : "factor correlations"] + factorLabels,
                                alignments: [.left] + Array(repeating: .right, count: factorCount))
            for (f, row) in factorCorrelations.enumerated() { phi.append(cells: [.text(factorLabels[f])] + row.map { .number($0, decimals: 3) }) }
            document.table(phi)
        }
        let eigen = eigenvalues.map { style.fixed($0, decimals: 3) }.joined(separator: "; ")
        let iterationsText = extraction == .principalAxis ? (vi ? "Số vòng lặp trục chính" : "Principal-axis iterations")
            : (vi ? "Số vòng lặp hợp lý cực đại" : "Maximum-likelihood iterations")
        document.paragraph((vi ? "KMO (mức phù hợp của mẫu) = " : "KMO (sampling adequacy) = ") + style.fixed(samplingAdequacy.overall, decimals: 3)
            + (vi ? "; kiểm định cầu Bartlett χ²(" : "; Bartlett's sphericity χ²(") + "\(bartlett.degreesOfFreedom)) = "
            + style.significant(bartlett.chiSquared, digits: 6) + ", " + style.pStatement(bartlett.pValue, decimals: 4) + "\n"
            + (vi ? "Giá trị riêng của ma trận tương quan: " : "Eigenvalues of the correlation matrix: ") + eigen + "\n"
            + "\(iterationsText): \(iterations)" + (converged ? "" : (vi ? " (chưa hội tụ)" : " (not converged)")))
        document.paragraph(rows.summaryText(language: language))
        document.paragraph(numberedNotes(notes, language: language))
        return document
    }
}
