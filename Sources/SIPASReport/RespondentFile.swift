import Foundation
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASModels

/// The respondent table `sipas prepare` writes for SPSS, Stata, Excel or CSV users: one row per row read, in
/// file order, with
///
/// - every column of the data file in its order; an answer column becomes its item (named by the item's id,
///   after --map) holding the cleaned code — a valid answer's code, missing (blank) for a blank cell, a missing
///   code ("don't know") or an invalid value — labelled with the criterion's text and the instrument's answer
///   labels; another column keeps its values (as numbers when every value is one, as dates when every value
///   is an ISO date, with the labels the file carried);
/// - one score per factor, `score_<factor>`: the respondent's mean over the factor's answered criteria, reversed
///   items reversed, exactly as `sipas drivers` uses it (`DriverAnalysis.factorScores`); missing when none
///   of them is answered;
/// - `design_weight`: the weight the design gives the row (1 without --weight), missing on empty lines;
/// - `excluded_reason`: why `sipas index` leaves the row out (`IndexAnalysis.rowReasons`), blank when used.
///
/// Names are made unique by a suffix ("_2") if the file already has them.
public struct RespondentFile: Sendable {
    public var table: LabelledTable
    /// The rows as `sipas index` accounts for them.
    public var rows: RowAccounting
    public var answerColumns: Int
    public var factorScores: Int

    public init(table source: ResponseTable, design specification: DesignSpecification = .init(), language: Language = .vi) throws {
        let n = source.rowCount
        var columns: [LabelledTable.Column] = []
        var answerColumns = 0
        for name in source.columnNames {
            if let item = source.items.first(where: { $0.sourceColumn == name }) {
                columns.append(Self.answerColumn(item, rowCount: n, language: language))
                answerColumns += 1
            } else if let numbers = source.numberColumns.first(where: { $0.name == name }) {
                columns.append(LabelledTable.Column(name: name, label: source.columnLabels[name] ?? "",
                                                    values: .numbers(numbers.values.map { $0.isNaN ? nil : $0 })))
            } else if let text = source.metadata(named: name) {
                columns.append(Self.otherColumn(text, table: source))
            }
        }
        let scores = DriverAnalysis.factorScores(source)
        for (factor, values) in scores {
            let label = (language == .vi ? "Điểm yếu tố: " : "Factor score: ") + factor.label.text(language)
            columns.append(LabelledTable.Column(name: "score_\(factor.id)", label: label,
                                                values: .numbers(values.map { $0.isNaN ? nil : $0 })))
        }
        let emptyLines = Set(source.emptyLineRows)
        let designRows = (0..<n).filter { !emptyLines.contains($0) }
        var weights = [Double?](repeating: nil, count: n)
        if specification.isEmpty {
            for row in designRows { weights[row] = 1 }
        } else {
            let design = try specification.build(table: source, rows: designRows)
            for (position, row) in designRows.enumerated() { weights[row] = design.weights[position] }
        }
        columns.append(LabelledTable.Column(name: "design_weight",
                                            label: language == .vi ? "Trọng số thiết kế" : "Design weight",
                                            values: .numbers(weights)))
        let reasons = IndexAnalysis.rowReasons(table: source)
        columns.append(LabelledTable.Column(name: "excluded_reason",
                                            label: language == .vi ? "Lý do loại khỏi chỉ số (trống: dùng)"
                                                                   : "Why the row is left out of the indices (blank: used)",
                                            values: .texts(reasons.map { $0 ?? "" })))
        // Unique names, the data file's own first.
        var used = Set<String>()
        for index in columns.indices {
            let base = columns[index].name
            var name = base
            var k = 2
            while used.contains(name.lowercased()) { name = "\(base)_\(k)"; k += 1 }
            used.insert(name.lowercased())
            columns[index].name = name
        }
        self.table = LabelledTable(columns: columns, rowCount: n)
        self.rows = RowAccounting(reasons: reasons, labels: IndexAnalysis.reasonLabels(table: source))
        self.answerColumns = answerColumns
        self.factorScores = scores.count
    }

    /// An answer column: the cleaned code per row, the criterion's text and the instrument's answer labels.
    static func answerColumn(_ column: ItemColumn, rowCount: Int, language: Language) -> LabelledTable.Column {
        let item = column.item
        if item.multiSelect, let selections = column.selections {
            // Several codes per row: "1;3" as text.
            let codes: [Int]
            if case .nominal(let categories) = item.scale { codes = categories.map(\.code) } else { codes = Array(1...64) }
            let texts = selections.map { bits in
                codes.indices.filter { $0 < 64 && bits & (1 << UInt64($0)) != 0 }.map { String(codes[$0]) }.joined(separator: ";")
            }
            return LabelledTable.Column(name: item.id, label: item.label.text(language), values: .texts(texts))
        }
        var codeOf: [Double?] = [nil] + (1...255).map { Double($0) }
        if case .nominal(let categories) = item.scale {
            codeOf = [nil] + categories.map { Double($0.code) }
        }
        let values = column.values.map { Int($0) < codeOf.count ? codeOf[Int($0)] : nil }
        let labels = item.answerLabels.map { (value: Double($0.code), label: $0.label.text(language)) }
        return LabelledTable.Column(name: item.id, label: item.label.text(language), values: .numbers(values), valueLabels: labels)
    }

    /// Another column: numbers when every non-blank value is one (by the file's decimal rule, no leading zero
    /// as in an id "007"), else text; with the file's column and value labels.
    static func otherColumn(_ column: TextColumn, table: ResponseTable) -> LabelledTable.Column {
        let label = table.columnLabels[column.name] ?? ""
        var parsed: [Double?] = []
        var numeric = column.levels.contains { !$0.isEmpty }
        for level in column.levels where numeric {
            if level.isEmpty { parsed.append(nil); continue }
            let digits = level.drop { $0 == "-" }
            if digits.count > 1 && digits.hasPrefix("0") && !digits.hasPrefix("0.") && !digits.hasPrefix("0,") { numeric = false; break }
            guard let value = table.decimalRule.value(level) else { numeric = false; break }
            parsed.append(value)
        }
        if !numeric, column.levels.contains(where: { !$0.isEmpty }) {
            // A column of ISO dates (as read from an SPSS/Stata date or a workbook's date cells) stays a date.
            let days = column.levels.map { $0.isEmpty ? nil : LabelledTable.days(isoDate: $0) }
            if zip(column.levels, days).allSatisfy({ $0.isEmpty || $1 != nil }) {
                return LabelledTable.Column(name: column.name, label: label, values: .numbers(column.codes.map { days[Int($0)].map(Double.init) }),
                                            isDate: true)
            }
        }
        guard numeric else {
            return LabelledTable.Column(name: column.name, label: label, values: .texts((0..<column.codes.count).map { column[$0] }))
        }
        let labels = (table.valueLabels[column.name] ?? [:]).compactMap { key, text in
            table.decimalRule.value(key).map { (value: $0, label: text) }
        }.sorted { $0.value < $1.value }
        return LabelledTable.Column(name: column.name, label: label, values: .numbers(column.codes.map { parsed[Int($0)] }),
                                    valueLabels: labels)
    }
}
