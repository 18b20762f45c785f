import SIPASAnalysis
import SIPASEstimation
import SIPASInstrument

extension TrendResult {
    /// The trend as a document: one row per index and wave (n, index, interval) with the change from the wave
    /// before, its interval and adjusted p; each wave's data and design below.
    public func document(language: Language) -> ResultDocument {
        let vi = language == .vi
        let names = waves.map(\.name)
        var document = ResultDocument(title: vi ? "Xu hướng các chỉ số qua các đợt: \(names.joined(separator: ", "))"
                                                : "Indices across waves: \(names.joined(separator: ", "))",
                                      language: language, json: json())
        var table = TextTable(
            headers: vi ? ["Cấp", "ID", "Nội dung", "Đợt", "n", "Chỉ số %", "KTC 95%", "Thay đổi", "KTC 95% thay đổi", "p hiệu chỉnh", ""]
                        : ["Level", "ID", "Index", "Wave", "n", "Index %", "95% CI", "Change", "95% CI of change", "p adjusted", ""],
            alignments: [.left, .left, .left, .left, .right, .right, .left, .right, .left, .right, .left],
            maximumWidths: [nil, nil, 44, nil, nil, nil, nil, nil, nil, nil, nil])
        let reference = waves.last?.result
        for row in rows {
            for (index, wave) in waves.enumerated() {
                let estimate = row.estimates[index], change = row.changes[index]
                let first = index == 0
                table.append(cells: [
                    .text(first ? (reference?.kindLabel(row.kind, language: language) ?? row.kind.rawValue) : ""),
                    .text(first ? row.id : ""), .text(first ? row.label.text(language) : ""), .text(wave.name),
                    .integer(estimate?.n), .number(estimate?.index.estimate, decimals: 2),
                    .interval(estimate?.index.lower, estimate?.index.upper, decimals: 2),
                    .number(change?.estimate, decimals: 2), .interval(change?.lower, change?.upper, decimals: 2),
                    .pValue(change?.adjustedPValue, decimals: 3),
                    .text(change.map { $0.isSignificant(at: 1 - (waves[index].result.confidenceLevel)) ? "*" : "" } ?? ""),
                ])
            }
        }
        document.table(table)
        if let column = groupColumn, !units.isEmpty {
            var unitTable = TextTable(
                caption: vi ? "\(primaryID) của từng đơn vị (\(column)) qua các đợt" : "\(primaryID) of each unit (\(column)) across the waves",
                sheetName: vi ? "Đơn vị" : "Units",
                headers: vi ? ["Đơn vị", "Đợt", "n", "Chỉ số %", "KTC 95%", "Thay đổi", "KTC 95% thay đổi", "p hiệu chỉnh", ""]
                            : ["Unit", "Wave", "n", "Index %", "95% CI", "Change", "95% CI of change", "p adjusted", ""],
                alignments: [.left, .left, .right, .right, .left, .right, .left, .right, .left])
            for row in units {
                for (index, wave) in waves.enumerated() {
                    let estimate = row.estimates[index], change = row.changes[index]
                    unitTable.append(cells: [
                        .text(index == 0 ? row.unit : ""), .text(wave.name), .integer(estimate?.n),
                        .number(estimate?.index.estimate, decimals: 2), .interval(estimate?.index.lower, estimate?.index.upper, decimals: 2),
                        .number(change?.estimate, decimals: 2), .interval(change?.lower, change?.upper, decimals: 2),
                        .pValue(change?.adjustedPValue, decimals: 3),
                        .text(change.map { $0.isSignificant(at: 1 - (waves[index].result.confidenceLevel)) ? "*" : "" } ?? ""),
                    ])
                }
            }
            document.table(unitTable)
        }
        var notes: [String] = []
        notes.append(vi
            ? "Thay đổi = đợt này − đợt liền trước (điểm phần trăm); mỗi đợt là một mẫu độc lập: phương sai cộng lại, bậc tự do Welch–Satterthwaite. p hiệu chỉnh \(adjustment.rawValue) giữa các chỉ số của cùng một cặp đợt, \(primaryID) là một họ riêng. (*) p hiệu chỉnh < 0,05."
            : "Change = this wave − the wave before (percentage points); each wave is an independent sample: variances add, Welch–Satterthwaite degrees of freedom. p adjusted (\(adjustment.rawValue)) among the indices of one pair of waves, \(primaryID) its own family. (*) adjusted p < 0.05.")
        if groupColumn != nil && !units.isEmpty {
            notes.append(vi
                ? "Đơn vị: p hiệu chỉnh \(adjustment.rawValue) giữa các đơn vị của cùng một cặp đợt (như sipas compare --previous); một đơn vị không có trong một đợt thì để trống."
                : "Units: p adjusted (\(adjustment.rawValue)) among the units of one pair of waves (as sipas compare --previous); a unit missing from a wave is left blank.")
        }
        for wave in waves {
            let design = wave.result.design.map { $0.summary.text(language) } ?? (vi ? "mẫu ngẫu nhiên đơn giản" : "simple random sample")
            let rows = wave.result.rows
            notes.append(vi
                ? "Đợt \(wave.name): \(wave.result.source) · thiết kế: \(design) · đọc \(NumberStyle(language: language).integer(rows.read)) dòng, dùng \(NumberStyle(language: language).integer(rows.used))"
                : "Wave \(wave.name): \(wave.result.source) · design: \(design) · read \(NumberStyle(language: language).integer(rows.read)) rows, used \(NumberStyle(language: language).integer(rows.used))")
        }
        document.paragraph(notes.joined(separator: "\n"))
        return document
    }

    func json() -> JSONValue {
        func estimateJSON(_ wave: String, _ estimate: IndexEstimate?) -> JSONValue {
            .object([("wave", .string(wave)), ("n", estimate.map { .integer($0.n) } ?? .null),
                     ("estimate", .number(estimate?.index.estimate)), ("se", .number(estimate?.index.standardError)),
                     ("ci_lower", .number(estimate?.index.lower)), ("ci_upper", .number(estimate?.index.upper))])
        }
        func changeJSON(_ from: String, _ to: String, _ d: IndexDifference) -> JSONValue {
            .object([("from", .string(from)), ("to", .string(to)), ("difference", .number(d.estimate)), ("se", .number(d.standardError)),
                     ("ci_lower", .number(d.lower)), ("ci_upper", .number(d.upper)), ("df", .number(d.degreesOfFreedom)),
                     ("p", .number(d.pValue)), ("p_adjusted", .number(d.adjustedPValue))])
        }
        let names = waves.map(\.name)
        var unitEntries: [(String, JSONValue)] = []
        if let groupColumn {
            unitEntries = [("group_column", .string(groupColumn)), ("units", .array(units.map { row in
                .object([("unit", .string(row.unit)),
                         ("waves", .array(names.indices.map { estimateJSON(names[$0], row.estimates[$0]) })),
                         ("changes", .array(names.indices.compactMap { index in
                             row.changes[index].map { changeJSON(names[index - 1], names[index], $0) }
                         }))])
            }))]
        }
        return .object([
            ("waves", .array(names.map { .string($0) })),
            ("adjustment", .string(adjustment.rawValue)),
            ("indices", .array(rows.map { row in
                .object([("kind", .string(row.kind.rawValue)), ("id", .string(row.id)), ("label", .string(row.label.en)),
                         ("waves", .array(names.indices.map { estimateJSON(names[$0], row.estimates[$0]) })),
                         ("changes", .array(names.indices.compactMap { index in
                             row.changes[index].map { changeJSON(names[index - 1], names[index], $0) }
                         }))])
            })),
        ] + unitEntries)
    }
}
