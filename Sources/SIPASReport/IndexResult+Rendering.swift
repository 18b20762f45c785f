import SIPASData
import SIPASEstimation
import SIPASInstrument

extension IndexResult {
    /// The result as a document: the table for people, the JSON document and the long-format CSV.
    public func document(language: Language, unitNames: [String: String] = [:]) -> ResultDocument {
        let style = NumberStyle(language: language)
        let vi = language == .vi
        let level = style.fixed(confidenceLevel * 100, decimals: 0)
        var machine = json()
        if !unitNames.isEmpty, case .object(var pairs) = machine {
            pairs.append(("unit_names", .object(unitNames.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
            machine = .object(pairs)
        }
        var document = ResultDocument(title: instrument.title.text(language), language: language, json: machine, csv: csvText())
        document.paragraph((vi ? "Dữ liệu: " : "Data: ") + source + (vi ? " · bộ câu hỏi: " : " · instrument: ") + instrument.id
                           + "\n" + rowsSummary(language: language))
        var table = TextTable(
            headers: (groupColumns.isEmpty ? [] : [vi ? "Nhóm" : "Group"])
                + [vi ? "Cấp" : "Level", "ID", vi ? "Nội dung" : "Label", "n", vi ? "Chỉ số %" : "Index %",
                   vi ? "KTC \(level)%" : "\(level)% CI", vi ? "Hài lòng %" : "Satisfied %", ""],
            alignments: (groupColumns.isEmpty ? [] : [.left]) + [.left, .left, .left, .right, .right, .left, .right, .left],
            maximumWidths: (groupColumns.isEmpty ? [] : [unitNames.isEmpty ? 24 : 32]) + [nil, nil, 44, nil, nil, nil, nil, nil])
        var markers: [String] = []
        for row in estimates {
            var groupText = row.group.isEmpty ? (vi ? "Toàn bộ" : "All") : row.group.map(\.value).joined(separator: " / ")
            if row.group.count == 1, let name = unitNames[row.group[0].value] { groupText += " " + name }
            var marker = ""
            if !row.notes.isEmpty {
                if let index = markers.firstIndex(of: row.notes.texts(language).joined(separator: "; ")) {
                    marker = "(\(index + 1))"
                } else {
                    markers.append(row.notes.texts(language).joined(separator: "; "))
                    marker = "(\(markers.count))"
                }
            }
            let indent = row.kind == .criterion ? "    " : row.kind == .factor ? "  " : ""
            let interval: TableCell = row.index.lower == nil ? .text("–") : .interval(row.index.lower, row.index.upper, decimals: 2)
            table.append(cells: (groupColumns.isEmpty ? [] : [.text(groupText)])
                + [.text(kindLabel(row.kind, language: language)), .text(indent + row.id), .text(row.label.text(language)),
                   .integer(row.n), .number(row.index.estimate, decimals: 2), interval,
                   .number(row.shareSatisfied?.estimate, decimals: 1), .text(marker)])
        }
        document.table(table)
        if !markers.isEmpty {
            document.paragraph(markers.enumerated().map { "(\($0.offset + 1)) \($0.element)" }.joined(separator: "\n"))
        }
        var methodName = IntervalNames.name(options.intervalMethod, language: language)
        if let bootstrap {
            methodName += " (\(bootstrap.method.rawValue), \(bootstrap.replicates) " + (vi ? "lần lặp" : "replicates") + ", seed \(bootstrap.seed))"
        }
        let designText = design.map { design in
            if let replicates {
                return "\(design.summary.text(language)); \(replicates.count) " + (vi ? "lần lặp" : "replicates") + ", "
                    + (vi ? "bậc tự do" : "df") + " = \(design.degreesOfFreedom)"
            }
            return "\(design.summary.text(language)); \(design.strata) " + (vi ? "tầng" : "strata") + ", \(design.psus) " + (vi ? "đơn vị mẫu cấp 1" : "PSU") + ", " + (vi ? "bậc tự do" : "df") + " = \(design.degreesOfFreedom)"
        }
            ?? (vi ? "mẫu ngẫu nhiên đơn giản" : "simple random sample")
        var method = vi
            ? "Chỉ số = điểm trung bình / điểm tối đa × 100 (Lai Châu §6.2); yếu tố, nội dung, SIPAS = trung bình các chỉ số tiêu chí. Hài lòng % = tỷ lệ trả lời 4–5.\nKTC: \(methodName); thiết kế mẫu: \(designText)."
            : "Index = mean score / top score × 100 (Lai Châu §6.2); factor, content and SIPAS = mean of criterion indices. Satisfied % = share of answers 4–5.\nCI: \(methodName); design: \(designText)."
        for note in notes { method += "\n" + (vi ? "Ghi chú: " : "Note: ") + note.text(language) }
        document.paragraph(method)
        return document
    }

    /// The JSON document (shape documented in docs/index-command.md; fields are added, never renamed).
    public func json() -> JSONValue {
        func percent(_ value: PercentEstimate) -> [(String, JSONValue)] {
            [("estimate", .number(value.estimate)), ("se", .number(value.standardError)),
             ("ci_lower", .number(value.lower)), ("ci_upper", .number(value.upper)),
             ("df", value.degreesOfFreedom.map { .integer($0) } ?? .null), ("df_effective", .number(value.effectiveDegreesOfFreedom)),
             ("deff", .number(value.designEffect)),
             ("method", .string(value.method))]
        }
        let indices: [JSONValue] = estimates.map { row in
            var pairs: [(String, JSONValue)] = [
                ("kind", .string(row.kind.rawValue)), ("id", .string(row.id)),
                ("group", .object(row.group.map { ($0.column, .string($0.value)) })),
            ]
            pairs += percent(row.index)
            pairs.append(("n", .integer(row.n)))
            pairs.append(("label", .object([("vi", .string(row.label.vi)), ("en", .string(row.label.en))])))
            if let share = row.shareSatisfied { pairs.append(("share_satisfied", .object(percent(share)))) }
            if let counts = row.answerCounts { pairs.append(("answer_counts", .array(counts.map { .integer($0) }))) }
            if let k = row.criteriaCount { pairs.append(("criteria", .integer(k))) }
            pairs.append(("notes", .array(row.notes.map { .string($0.en) })))
            return .object(pairs)
        }
        let rowsJSON: JSONValue = .object([
            ("read", .integer(rows.read)), ("used", .integer(rows.used)),
            ("excluded", .array(rows.excluded.map { .object([("reason", .string($0.reason)), ("count", .integer($0.count))]) })),
        ])
        let invalid: JSONValue = .object([
            ("count", .integer(invalidCellCount)),
            ("cells", .array(invalidCells.map {
                .object([("row", .integer($0.row)), ("line", .integer($0.line)), ("column", .string($0.column)),
                         ("value", .string($0.value))])
            })),
            ("truncated", .bool(invalidCellCount > invalidCells.count)),
        ])
        let items: JSONValue = .array(itemMissingness.map {
            var pairs: [(String, JSONValue)] = [("item", .string($0.item)), ("answered", .integer($0.answered)), ("blank", .integer($0.blank)),
                                                ("missing_codes", .integer($0.missingCodes)), ("invalid", .integer($0.invalid))]
            if !$0.missingLabels.isEmpty {
                pairs.append(("missing_labels", .object($0.missingLabels.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })))
            }
            return .object(pairs)
        })
        return .object([
            ("instrument", .string(instrument.id)), ("source", .string(source)),
            ("by", .array(groupColumns.map { .string($0) })), ("confidence_level", .number(confidenceLevel)),
            ("ci_method", .string(options.intervalMethod.rawValue)),
            ("bootstrap", bootstrap.map { .object([("method", .string($0.method.rawValue)), ("replicates", .integer($0.replicates)),
                                                   ("seed", .string(String($0.seed))),
                                                   ("strata_with_single_psu", .integer($0.strataWithSinglePSU))]) } ?? .null),
            ("design", design.map { design in
                if let replicates {
                    // A replicate-weight design has no strata or PSUs of its own: its replicates carry them.
                    return .object([("summary", .string(design.summary.en)), ("replicates", .object([
                        ("type", .string(replicates.type)), ("count", .integer(replicates.count)), ("scale", .number(replicates.scale))])),
                                    ("df", .integer(design.degreesOfFreedom))])
                }
                return .object([("summary", .string(design.summary.en)), ("strata", .integer(design.strata)),
                                ("psus", .integer(design.psus)), ("df", .integer(design.degreesOfFreedom))]) } ?? .null),
            ("indices", .array(indices)), ("rows", rowsJSON), ("invalid_cells", invalid), ("items", items),
            ("notes", .array(notes.map { .string($0.en) })),
        ])
    }

    public func csvText() -> String {
        var header = groupColumns + ["kind", "id", "label_vi", "label_en", "n", "estimate", "se", "ci_lower", "ci_upper",
                                     "df", "deff", "method", "share_satisfied", "share_ci_lower", "share_ci_upper", "notes"]
        header = header.map(csvField)
        var lines = [header.joined(separator: ",")]
        func number(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "" } ?? "" }
        for row in estimates {
            let groupValues = groupColumns.map { column in row.group.first { $0.column == column }?.value ?? "" }
            let fields = groupValues + [
                row.kind.rawValue, row.id, row.label.vi, row.label.en, String(row.n), number(row.index.estimate),
                number(row.index.standardError), number(row.index.lower), number(row.index.upper),
                row.index.degreesOfFreedom.map(String.init) ?? "", number(row.index.designEffect), row.index.method,
                number(row.shareSatisfied?.estimate), number(row.shareSatisfied?.lower), number(row.shareSatisfied?.upper),
                row.notes.map(\.en).joined(separator: "; "),
            ]
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table for people (the `table` format).
    public func tableText(language: Language) -> String { document(language: language).text() }

    /// "Rows: read 2,640 = used 2,630 + excluded 10 (…)", plus the invalid-cell summary.
    public func rowsSummary(language: Language) -> String {
        let style = NumberStyle(language: language)
        let vi = language == .vi
        var text = vi
            ? "Số dòng: đọc \(style.integer(rows.read)) = dùng \(style.integer(rows.used)) + loại \(style.integer(rows.read - rows.used))"
            : "Rows: read \(style.integer(rows.read)) = used \(style.integer(rows.used)) + excluded \(style.integer(rows.read - rows.used))"
        for exclusion in rows.excluded { text += "\n  - \(exclusion.text(language)): \(style.integer(exclusion.count))" }
        if invalidCellCount > 0 {
            text += vi ? "\nÔ không hợp lệ (coi là thiếu): \(style.integer(invalidCellCount))"
                : "\nInvalid cells (treated as missing): \(style.integer(invalidCellCount))"
            let shown = invalidCells.prefix(5).map {
                vi ? "dòng dữ liệu \($0.row) (dòng \($0.line) của tệp) \($0.column)='\($0.value)'"
                    : "row \($0.row) (line \($0.line)) \($0.column)='\($0.value)'"
            }
            text += " — " + shown.joined(separator: ", ") + (invalidCellCount > shown.count ? ", …" : "")
        }
        return text
    }

    func kindLabel(_ kind: IndexKind, language: Language) -> String {
        switch (kind, language) {
        case (.criterion, .vi): return "tiêu chí"
        case (.factor, .vi): return "yếu tố"
        case (.content, .vi): return "nội dung"
        case (.overall, .vi): return "chung"
        case (.overallItem, .vi): return "câu chung"
        case (.perception, .vi): return "nhận định"
        case (.expectation, .vi): return "mong đợi"
        case (.overallItem, .en): return "overall item"
        default: return kind.rawValue
        }
    }
}

/// Quotes a CSV field when it holds a comma, quote or newline.
public func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// Names of interval methods for people.
enum IntervalNames {
    static func name(_ method: IntervalMethod, language: Language) -> String {
        switch (method, language) {
        case (.beta, .vi): return "Korn–Graubard (beta), luôn nằm trong thang đo"
        case (.beta, .en): return "Korn–Graubard (beta), stays inside the scale"
        case (.logit, .vi): return "logit, luôn nằm trong thang đo"
        case (.logit, .en): return "logit, stays inside the scale"
        case (.wilson, .vi): return "Wilson với cỡ mẫu hiệu dụng"
        case (.wilson, .en): return "Wilson with effective sample size"
        case (.t, .vi): return "khoảng t"
        case (.t, .en): return "t-interval"
        case (.percentile, .vi): return "bootstrap phân vị"
        case (.percentile, .en): return "bootstrap percentile"
        case (.bca, .vi): return "bootstrap BCa"
        case (.bca, .en): return "bootstrap BCa"
        }
    }
}
