import Foundation
import SIPASData
import SIPASSupport

/// A `where` condition: `COLUMN OP VALUE [and COLUMN OP VALUE …]`, OP one of = != < <= > >= in.
///
/// Text columns compare as text (= != in) or, for < <= > >=, as numbers; survey items compare by their answer
/// code (q05 >= 4). Rows that do not pass stay in the data and the design and are counted as excluded.
struct RowFilter: Equatable, Sendable {
    enum Operation: String, Sendable { case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", oneOf = "in" }
    struct Condition: Equatable, Sendable {
        var column: String
        var operation: Operation
        var values: [String]
    }
    var conditions: [Condition]

    var description: String {
        conditions.map { c in
            c.operation == .oneOf ? "\(c.column) in (\(c.values.joined(separator: ", ")))" : "\(c.column) \(c.operation.rawValue) \(c.values[0])"
        }.joined(separator: " and ")
    }

    /// Parses the words after `where`.
    static func parse(_ words: [String]) throws -> RowFilter {
        // Re-tokenize so "unit_level=huyen", "q05>=4" and "in (a, b)" all work.
        let text = words.joined(separator: " ")
        var tokens: [String] = []
        var current = ""
        var index = text.startIndex
        func flush() { if !current.isEmpty { tokens.append(current); current = "" } }
        while index < text.endIndex {
            let c = text[index]
            let rest = text[index...]
            if let op = ["<=", ">=", "!=", "==", "=", "<", ">"].first(where: { rest.hasPrefix($0) }) {
                flush(); tokens.append(op == "==" ? "=" : op); index = text.index(index, offsetBy: op.count); continue
            }
            if c == "(" || c == ")" || c == "," { flush(); tokens.append(String(c)); index = text.index(after: index); continue }
            if c == " " { flush(); index = text.index(after: index); continue }
            current.append(c)
            index = text.index(after: index)
        }
        flush()
        var conditions: [Condition] = []
        var position = 0
        func fail(_ vi: String, _ en: String) -> Error {
            OptionRefusal(vi: "where: \(vi). Ví dụ: where unit_level = huyen and q05 >= 4",
                          en: "where: \(en). Example: where unit_level = huyen and q05 >= 4")
        }
        while position < tokens.count {
            guard position + 2 < tokens.count || (position + 1 < tokens.count && tokens[position + 1] == "in") else {
                throw fail("điều kiện chưa đủ '\(tokens[position...].joined(separator: " "))'", "incomplete condition '\(tokens[position...].joined(separator: " "))'")
            }
            let column = tokens[position]
            let opText = tokens[position + 1].lowercased()
            guard let operation = Operation(rawValue: opText) else { throw fail("không có phép so sánh '\(tokens[position + 1])'", "unknown comparison '\(tokens[position + 1])'") }
            position += 2
            var values: [String] = []
            if operation == .oneOf {
                guard position < tokens.count, tokens[position] == "(" else { throw fail("'in' cần một danh sách: in (a, b)", "'in' needs a list: in (a, b)") }
                position += 1
                while position < tokens.count && tokens[position] != ")" {
                    if tokens[position] != "," { values.append(tokens[position]) }
                    position += 1
                }
                guard position < tokens.count else { throw fail("thiếu ')'", "missing ')'") }
                position += 1
            } else {
                guard position < tokens.count else { throw fail("thiếu giá trị sau \(opText)", "missing value after \(opText)") }
                values = [tokens[position]]
                position += 1
            }
            conditions.append(Condition(column: column, operation: operation, values: values))
            if position < tokens.count {
                guard tokens[position].lowercased() == "and" else { throw fail("cần 'and' trước '\(tokens[position])'", "expected 'and' before '\(tokens[position])'") }
                position += 1
            }
        }
        guard !conditions.isEmpty else { throw fail("chưa có điều kiện nào", "no condition") }
        return RowFilter(conditions: conditions)
    }

    /// Which rows pass; throws naming a column the table does not have.
    func mask(_ table: ResponseTable) throws -> [Bool] {
        var keep = [Bool](repeating: true, count: table.rowCount)
        for condition in conditions {
            let numeric = [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(condition.operation)
            // Numbers as the data's own cells are read (decimals only; the file's decimal mark).
            let target = table.decimalRule.value(condition.values.first ?? "") ?? NumberText.decimal(condition.values.first ?? "")
            if numeric && target == nil {
                throw OptionRefusal(vi: "where: '\(condition.values[0])' không phải là số", en: "where: '\(condition.values[0])' is not a number")
            }
            func test(text: String?, number: Double?) -> Bool {
                switch condition.operation {
                case .equal: return text == condition.values[0]
                case .notEqual: return text != condition.values[0]
                case .oneOf: return text.map { condition.values.contains($0) } ?? false
                case .less: return number.map { $0 < target! } ?? false
                case .lessOrEqual: return number.map { $0 <= target! } ?? false
                case .greater: return number.map { $0 > target! } ?? false
                case .greaterOrEqual: return number.map { $0 >= target! } ?? false
                }
            }
            if let column = table.metadata(named: condition.column) {
                for row in 0..<table.rowCount where keep[row] {
                    let text = column[row]
                    keep[row] = test(text: text, number: table.decimalRule.value(text))
                }
            } else if let column = table.column(for: condition.column) {
                for row in 0..<table.rowCount where keep[row] {
                    let value = column.values[row]
                    let answer = value == 0 ? nil : column.item.scale.top == nil ? Int(value) : Int(value)
                    keep[row] = test(text: answer.map(String.init), number: answer.map(Double.init))
                }
            } else {
                let names = table.metadata.map(\.name) + table.items.map(\.item.id)
                throw OptionRefusal(vi: "where: không có cột '\(condition.column)'; các cột: \(names.joined(separator: ", "))",
                                    en: "where: no column '\(condition.column)'; columns: \(names.joined(separator: ", "))")
            }
        }
        return keep
    }
}
