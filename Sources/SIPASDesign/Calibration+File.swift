import Foundation
import Yams

extension CalibrationSpecification {
    /// Reads the `calibration` block of a design file:
    ///
    ///     calibration:
    ///       method: rake                    # post-stratify, rake, linear, raking, logit
    ///       margins:                        # per variable, each category's population count
    ///         gender: {nam: 53538, nu: 55724}
    ///         age_group: {"18-29": 30112, "30-44": 31005, "45-59": 27890, "60+": 20255}
    ///       margins_file: margins.csv       # or: CSV with columns variable,category,count
    ///       cells:                          # or: cross-classified counts (one margin of several variables)
    ///         - {gender: nam, age_group: "18-29", count: 15100}
    ///       totals: {api99: 3914069}        # population totals of numeric variables
    ///       population: 6194                # population size (an intercept when there are no margins)
    ///       bounds: [0.5, 2.0]              # on g = calibrated / design weight
    ///       trim: {upper: 5}                # no weight above 5 × the median weight
    ///       tolerance: 1e-10
    ///       max_iterations: 100
    ///
    /// `margins_file` is read relative to the design file's folder. Errors name the file, line and field.
    static func parse(_ node: Node, file: String, line: Int?) throws -> CalibrationSpecification {
        func fail(_ field: String, _ line: Int?, _ message: String, vi: String? = nil) -> DesignFileError {
            DesignFileError(file: file, line: line, field: "calibration.\(field)", message: message, vi: vi)
        }
        guard let mapping = node.mapping else {
            throw fail("", node.mark?.line ?? line, "expected a mapping (method, margins, totals, population, bounds, trim)", vi: "cần các cặp khóa: giá trị (method, margins, totals, population, bounds, trim)")
        }
        func number(_ value: Node, _ field: String) throws -> Double {
            guard let text = value.scalar?.string, let number = Double(text.replacingOccurrences(of: "_", with: "")) else {
                throw fail(field, value.mark?.line, "'\(value.scalar?.string ?? "(not a number)")' is not a number", vi: "'\(value.scalar?.string ?? "(không phải số)")' không phải là số")
            }
            return number
        }
        func text(_ value: Node, _ field: String) throws -> String {
            guard let text = value.scalar?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail(field, value.mark?.line, "expected a value, not an empty cell or a list", vi: "cần một giá trị, không phải ô trống hay một danh sách")
            }
            return text.trimmingCharacters(in: .whitespaces)
        }
        var method: CalibrationMethod?
        var margins: [CalibrationMargin] = []
        var totals: [CalibrationTotal] = []
        var population: Double?
        var bounds: (Double, Double)?
        var trim: Double?
        var tolerance = 1e-10
        var maxIterations: Int?
        let allowed = ["method", "margins", "margins_file", "cells", "totals", "population", "bounds", "trim", "tolerance", "max_iterations"]
        for (key, value) in mapping {
            let name = key.string ?? ""
            let keyLine = key.mark?.line
            switch name {
            case "method":
                let raw = try text(value, name)
                guard let parsed = CalibrationMethod(rawValue: raw) else {
                    throw fail(name, keyLine, "'\(raw)' is not a method (\(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", ")))", vi: "'\(raw)' không phải là một phương pháp (\(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                method = parsed
            case "margins":
                guard let variables = value.mapping else {
                    throw fail(name, keyLine, "expected per variable a mapping of category: count, e.g. gender: {nam: 53538, nu: 55724}", vi: "cần cho mỗi biến các cặp nhóm: số đếm, ví dụ gender: {nam: 53538, nu: 55724}")
                }
                for (variableKey, categories) in variables {
                    let variable = try text(variableKey, name)
                    guard let pairs = categories.mapping, !pairs.isEmpty else {
                        throw fail("\(name).\(variable)", variableKey.mark?.line, "expected a mapping of category: count", vi: "cần các cặp nhóm: số đếm")
                    }
                    var margin = CalibrationMargin(variables: [variable], categories: [], counts: [])
                    for (category, count) in pairs {
                        margin.categories.append([try text(category, "\(name).\(variable)")])
                        margin.counts.append(try number(count, "\(name).\(variable).\(category.string ?? "")"))
                    }
                    margins.append(margin)
                }
            case "margins_file":
                let relative = try text(value, name)
                let base = (file as NSString).deletingLastPathComponent
                let path = relative.hasPrefix("/") || base.isEmpty ? relative : (base as NSString).appendingPathComponent(relative)
                margins += try readMarginsFile(path)
            case "cells":
                guard let rows = value.sequence, !rows.isEmpty else {
                    throw fail(name, keyLine, "expected a list of cells, e.g. - {gender: nam, age_group: \"18-29\", count: 15100}", vi: "cần một danh sách ô, ví dụ - {gender: nam, age_group: \"18-29\", count: 15100}")
                }
                var margin: CalibrationMargin?
                for row in rows {
                    guard let cell = row.mapping else { throw fail(name, row.mark?.line, "expected a mapping of variable: category and count", vi: "cần các cặp biến: nhóm và số đếm (count)") }
                    var variables: [String] = [], values: [String] = []
                    var count: Double?
                    for (k, v) in cell {
                        let variable = try text(k, name)
                        if variable == "count" { count = try number(v, "\(name).count") } else {
                            variables.append(variable); values.append(try text(v, "\(name).\(variable)"))
                        }
                    }
                    guard let count else { throw fail(name, row.mark?.line, "the cell has no count", vi: "ô không có số đếm (count)") }
                    guard !variables.isEmpty else { throw fail(name, row.mark?.line, "the cell names no variable", vi: "ô không nêu biến nào") }
                    if margin == nil { margin = CalibrationMargin(variables: variables, categories: [], counts: []) }
                    guard Set(variables) == Set(margin!.variables), variables.count == margin!.variables.count else {
                        throw fail(name, row.mark?.line, "every cell must name the same variables (\(margin!.variables.joined(separator: ", ")))", vi: "mọi ô phải nêu cùng các biến (\(margin!.variables.joined(separator: ", ")))")
                    }
                    // In the first cell's variable order.
                    let ordered = margin!.variables.map { values[variables.firstIndex(of: $0)!] }
                    margin!.categories.append(ordered)
                    margin!.counts.append(count)
                }
                margins.append(margin!)
            case "totals":
                guard let pairs = value.mapping else { throw fail(name, keyLine, "expected a mapping of variable: population total", vi: "cần các cặp biến: tổng của tổng thể") }
                for (variable, total) in pairs {
                    let variableName = try text(variable, name)
                    totals.append(CalibrationTotal(variable: variableName, total: try number(total, "\(name).\(variableName)")))
                }
            case "population": population = try number(value, name)
            case "bounds":
                guard let pair = value.sequence, pair.count == 2 else {
                    throw fail(name, keyLine, "expected [lower, upper], e.g. [0.5, 2.0]", vi: "cần [dưới, trên], ví dụ [0.5, 2.0]")
                }
                func bound(_ node: Node) throws -> Double {
                    let raw = node.scalar?.string.lowercased() ?? ""
                    if raw == "-inf" || raw == "-.inf" { return -.infinity }
                    if raw == "inf" || raw == ".inf" { return .infinity }
                    return try number(node, name)
                }
                bounds = (try bound(pair[0]), try bound(pair[1]))
            case "trim":
                guard let options = value.mapping, options.count == 1, let upper = options["upper"] else {
                    throw fail(name, keyLine, "expected {upper: N}: no weight above N × the median calibrated weight", vi: "cần {upper: N}: không quyền số nào lớn hơn N × trung vị quyền số hiệu chỉnh")
                }
                trim = try number(upper, "\(name).upper")
            case "tolerance": tolerance = try number(value, name)
            case "max_iterations":
                let raw = try number(value, name)
                guard raw >= 1, raw <= 1_000_000, raw == raw.rounded() else { throw fail(name, keyLine, "expected a whole number from 1 to 1000000", vi: "cần một số nguyên từ 1 đến 1000000") }
                maxIterations = Int(raw)
            default:
                throw fail(name, keyLine, "unknown key (expected one of: \(allowed.joined(separator: ", ")))", vi: "không có khóa này (cần một trong: \(allowed.joined(separator: ", ")))")
            }
        }
        guard let method else {
            throw fail("method", line, "missing: say how to calibrate (\(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", ")))", vi: "thiếu: hãy nêu cách hiệu chỉnh (\(CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var specification = CalibrationSpecification(method: method, margins: margins, totals: totals, population: population,
                                                     bounds: bounds.map { (lower: $0.0, upper: $0.1) }, trimUpper: trim,
                                                     tolerance: tolerance, maxIterations: maxIterations)
        specification.source = file
        do {
            try specification.validate()
        } catch CalibrationError.specification(let field, let message, let vi) {
            throw fail(field, line, message, vi: vi)
        }
        return specification
    }

    /// Margins from a CSV file with the header `variable,category,count` (comma or semicolon separated; a
    /// variable's categories in file order).
    static func readMarginsFile(_ path: String) throws -> [CalibrationMargin] {
        func fail(_ line: Int?, _ message: String, vi: String? = nil) -> DesignFileError {
            DesignFileError(file: path, line: line, field: "", message: message, vi: vi)
        }
        guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
            throw fail(nil, "cannot read the margins file (does it exist? is it UTF-8?)", vi: "không đọc được tệp biên (tệp có tồn tại không? có phải UTF-8 không?)")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r")) }
        guard let header = lines.first else { throw fail(1, "the margins file is empty", vi: "tệp biên rỗng") }
        let separator: Character = header.contains(";") && !header.contains(",") ? ";" : ","
        func fields(_ line: String) -> [String] {
            line.split(separator: separator, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        guard fields(header).map({ $0.lowercased() }) == ["variable", "category", "count"] else {
            throw fail(1, "expected the header variable,category,count, found '\(header)'", vi: "cần dòng tiêu đề variable,category,count, nhưng thấy '\(header)'")
        }
        var margins: [CalibrationMargin] = []
        var position: [String: Int] = [:]
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = fields(line)
            guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw fail(index + 1, "expected three fields variable,category,count, found '\(line)'", vi: "cần ba trường variable,category,count, nhưng thấy '\(line)'")
            }
            guard let count = Double(parts[2]) else { throw fail(index + 1, "count '\(parts[2])' is not a number", vi: "số đếm '\(parts[2])' không phải là số") }
            if position[parts[0]] == nil {
                position[parts[0]] = margins.count
                margins.append(CalibrationMargin(variables: [parts[0]], categories: [], counts: []))
            }
            margins[position[parts[0]]!].categories.append([parts[1]])
            margins[position[parts[0]]!].counts.append(count)
        }
        guard !margins.isEmpty else { throw fail(2, "the margins file lists no category", vi: "tệp biên không liệt kê nhóm nào") }
        return margins
    }
}
