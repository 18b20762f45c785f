import Foundation
import Yams
import SIPASInstrument

extension DesignSpecification {
    /// Reads a design file (YAML or JSON):
    ///
    ///     strata: stratum
    ///     cluster: [commune, village]
    ///     weight: weight
    ///     fpc: [n_communes, n_villages]
    ///     lonely_psu: adjust
    ///     calibration:
    ///       method: rake
    ///       margins: {gender: {nam: 53538, nu: 55724}, age_group: {18-29: 30000, …}}
    ///
    /// (the calibration block: `CalibrationSpecification.parse`; a replicate-weight design instead names its
    /// replicate columns in a `replicates` block: `ReplicateSpecification.parse`). Errors name the file, line and field.
    public static func load(path: String) throws -> DesignSpecification {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw DesignFileError(file: path, line: nil, field: "", message: "cannot read the file (does it exist? is it UTF-8?)", vi: "không đọc được tệp (tệp có tồn tại không? có phải UTF-8 không?)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw DesignFileError(file: path, line: nil, field: "", message: "the file is empty", vi: "tệp rỗng")
            }
            root = node
        } catch let error as DesignFileError {
            throw error
        } catch {
            throw DesignFileError(file: path, line: nil, field: "", message: "not valid YAML/JSON: \(error)", vi: "không phải YAML/JSON hợp lệ: \(error)")
        }
        guard let mapping = root.mapping else {
            throw DesignFileError(file: path, line: root.mark?.line, field: "", message: "expected a mapping of design keys", vi: "cần các cặp khóa: giá trị của thiết kế mẫu")
        }
        var specification = DesignSpecification()
        let allowed = ["strata", "cluster", "weight", "fpc", "lonely_psu", "calibration", "replicates"]
        for (key, value) in mapping {
            let name = key.string ?? ""
            let line = key.mark?.line
            func text() throws -> String {
                guard let string = value.scalar?.string, !string.isEmpty else {
                    throw DesignFileError(file: path, line: line, field: name, message: "expected a column name", vi: "cần một tên cột")
                }
                return string
            }
            func list() throws -> [String] {
                if let sequence = value.sequence {
                    return try sequence.map { item in
                        guard let string = item.scalar?.string, !string.isEmpty else {
                            throw DesignFileError(file: path, line: item.mark?.line, field: name, message: "expected column names", vi: "cần các tên cột")
                        }
                        return string
                    }
                }
                return [try text()]
            }
            switch name {
            case "strata": specification.strata = try text()
            case "cluster": specification.clusters = try list()
            case "weight": specification.weight = try text()
            case "fpc": specification.fpc = try list()
            case "lonely_psu":
                let raw = try text()
                guard let policy = LonelyPSUPolicy(rawValue: raw) else {
                    throw DesignFileError(file: path, line: line, field: name,
                                          message: "'\(raw)' is not a policy (fail, adjust, average, remove, certainty)",
                                          vi: "'\(raw)' không phải là một cách xử lý (fail, adjust, average, remove, certainty)")
                }
                specification.lonelyPSU = policy
            case "calibration":
                specification.calibration = try CalibrationSpecification.parse(value, file: path, line: line)
            case "replicates":
                specification.replicates = try ReplicateSpecification.parse(value, file: path, line: line)
            default:
                throw DesignFileError(file: path, line: line, field: name,
                                      message: "unknown key (expected one of: \(allowed.joined(separator: ", ")))",
                                      vi: "không có khóa này (cần một trong: \(allowed.joined(separator: ", ")))")
            }
        }
        return specification
    }
}

/// A problem in a design file, located by file, line and field.
/// The message is kept in English and, where written, Vietnamese (`vi`); without it the English one is shown.
public struct DesignFileError: Error, CustomStringConvertible, LocalizedFailure {
    public var file: String
    public var line: Int?
    public var field: String
    public var message: String
    public var vi: String?
    public init(file: String, line: Int?, field: String, message: String, vi: String? = nil) {
        self.file = file; self.line = line; self.field = field; self.message = message; self.vi = vi
    }
    public var description: String { text(.en) }
    public func text(_ language: Language) -> String {
        let location = line.map { "\(file):\($0)" } ?? file
        let message = language == .vi ? (vi ?? self.message) : self.message
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}
