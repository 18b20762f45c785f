import Foundation
import Yams

extension ReplicateSpecification {
    /// Reads the `replicates` block of a design file:
    ///
    ///     weight: pw                  # the full-sample weight
    ///     replicates:
    ///       columns: "rw*"            # every column whose name starts with rw (file order), or a list [rw1, rw2]
    ///       type: JK1                 # JK1, JKn, BRR, Fay, bootstrap, successive-difference (SDR)
    ///       rho: 0.5                  # Fay's factor (type Fay, or BRR with rho)
    ///       scale: 0.9333             # optional: the variance multiplier (default: the type's)
    ///       rscales: [0.5, 0.5, …]    # optional: one multiplier per replicate (required for JKn)
    ///       mse: false                # centre at the full-sample estimate instead of the replicates' mean
    ///
    /// Errors name the file, line and field.
    static func parse(_ node: Node, file: String, line: Int?) throws -> ReplicateSpecification {
        func fail(_ field: String, _ line: Int?, _ message: String, vi: String? = nil) -> DesignFileError {
            DesignFileError(file: file, line: line, field: "replicates" + (field.isEmpty ? "" : ".\(field)"), message: message, vi: vi)
        }
        guard let mapping = node.mapping else {
            throw fail("", node.mark?.line ?? line, "expected a mapping (columns, type, rho, scale, rscales, mse)", vi: "cần các cặp khóa: giá trị (columns, type, rho, scale, rscales, mse)")
        }
        func number(_ value: Node, _ field: String) throws -> Double {
            guard let text = value.scalar?.string, let number = Double(text.replacingOccurrences(of: "_", with: "")), number.isFinite else {
                throw fail(field, value.mark?.line, "'\(value.scalar?.string ?? "(not a number)")' is not a number", vi: "'\(value.scalar?.string ?? "(không phải số)")' không phải là số")
            }
            return number
        }
        func text(_ value: Node, _ field: String) throws -> String {
            guard let text = value.scalar?.string.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                throw fail(field, value.mark?.line, "expected a value, not an empty cell or a list", vi: "cần một giá trị, không phải ô trống hay một danh sách")
            }
            return text
        }
        var columns: ReplicateColumns?
        var type: ReplicateType?
        var rho: Double?, scale: Double?, rscales: [Double]?
        var mse = false
        let allowed = ["columns", "type", "rho", "scale", "rscales", "mse"]
        for (key, value) in mapping {
            let name = key.string ?? ""
            let keyLine = key.mark?.line
            switch name {
            case "columns":
                if let sequence = value.sequence {
                    let names = try sequence.map { try text($0, name) }
                    guard !names.isEmpty else { throw fail(name, keyLine, "expected column names or a prefix such as \"rw*\"", vi: "cần các tên cột hoặc một tiền tố như \"rw*\"") }
                    if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
                        throw fail(name, keyLine, "the column '\(repeated)' is listed twice", vi: "cột '\(repeated)' được ghi hai lần")
                    }
                    columns = .list(names)
                } else {
                    let raw = try text(value, name)
                    if raw.hasSuffix("*") {
                        let prefix = String(raw.dropLast())
                        guard !prefix.isEmpty, !prefix.contains("*") else {
                            throw fail(name, keyLine, "'\(raw)': give a prefix before the * (e.g. \"rw*\") or a list of columns", vi: "'\(raw)': hãy ghi tiền tố trước dấu * (ví dụ \"rw*\") hoặc một danh sách cột")
                        }
                        columns = .prefix(prefix)
                    } else {
                        columns = .list(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
                    }
                }
            case "type":
                let raw = try text(value, name)
                guard let parsed = ReplicateType(name: raw) else {
                    throw fail(name, keyLine, "'\(raw)' is not a replicate type (\(ReplicateType.allCases.map(\.rawValue).joined(separator: ", ")))", vi: "'\(raw)' không phải là kiểu trọng số lặp (\(ReplicateType.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                type = parsed
            case "rho":
                let value = try number(value, name)
                guard value >= 0, value < 1 else { throw fail(name, keyLine, "Fay's rho must be at least 0 and below 1, not \(value)", vi: "rho của Fay phải từ 0 đến dưới 1, không phải \(value)") }
                rho = value
            case "scale":
                let value = try number(value, name)
                guard value > 0 else { throw fail(name, keyLine, "the scale must be a positive number, not \(value)", vi: "scale phải là số dương, không phải \(value)") }
                scale = value
            case "rscales":
                guard let sequence = value.sequence, !sequence.isEmpty else {
                    throw fail(name, keyLine, "expected a list of numbers, one per replicate", vi: "cần một danh sách số, mỗi bản lặp một số")
                }
                rscales = try sequence.map { item in
                    let value = try number(item, name)
                    guard value >= 0 else { throw fail(name, item.mark?.line, "rscales must not be negative (\(value))", vi: "rscales không được âm (\(value))") }
                    return value
                }
            case "mse":
                switch value.scalar?.string.lowercased() {
                case "true", "yes": mse = true
                case "false", "no": mse = false
                default: throw fail(name, keyLine, "expected true or false", vi: "cần true hoặc false")
                }
            default:
                throw fail(name, keyLine, "unknown key (expected one of: \(allowed.joined(separator: ", ")))", vi: "không có khóa này (cần một trong: \(allowed.joined(separator: ", ")))")
            }
        }
        guard let columns else { throw fail("columns", line, "missing: name the replicate weight columns (a prefix such as \"rw*\" or a list)", vi: "thiếu: hãy nêu các cột trọng số lặp (một tiền tố như \"rw*\" hoặc một danh sách)") }
        guard var type else {
            throw fail("type", line, "missing: one of \(ReplicateType.allCases.map(\.rawValue).joined(separator: ", "))", vi: "thiếu: một trong \(ReplicateType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if type == .brr, rho != nil { type = .fay }
        if type == .fay, rho == nil { throw fail("rho", line, "type Fay needs rho (Fay's factor, e.g. 0.5)", vi: "kiểu Fay cần rho (hệ số Fay, ví dụ 0.5)") }
        if rho != nil, type != .fay { throw fail("rho", line, "rho is Fay's factor: only for type Fay (or BRR)", vi: "rho là hệ số Fay: chỉ dùng với kiểu Fay (hoặc BRR)") }
        if [.brr, .fay, .successiveDifference].contains(type), scale != nil || rscales != nil {
            // R's svrepdesign ignores them for these types (with a warning); sipas says so instead.
            throw fail(scale != nil ? "scale" : "rscales", line,
                       "type \(type.rawValue) fixes the variance multiplier (\(type == .brr ? "1/R" : type == .fay ? "1/(R(1 − ρ)²)" : "4/R")): remove scale and rscales",
                       vi: "kiểu \(type.rawValue) đã cố định hệ số nhân của phương sai (\(type == .brr ? "1/R" : type == .fay ? "1/(R(1 − ρ)²)" : "4/R")): hãy bỏ scale và rscales")
        }
        return ReplicateSpecification(columns: columns, type: type, rho: rho, scale: scale, rscales: rscales, mse: mse)
    }
}
