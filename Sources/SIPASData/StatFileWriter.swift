import CReadStat
import Foundation
import SIPASSupport

/// Writes a `LabelledTable` as an SPSS (.sav, or compressed .zsav) or Stata (.dta, format 118, Unicode) file
/// through ReadStat's writer, with variable labels and value labels.
///
/// - Names: SPSS and Stata want a letter first, then letters, digits or '_' (at most 64 bytes in SPSS, 32
///   characters in Stata); other names are changed (spaces and other signs become '_', a leading digit gets a
///   'v', Vietnamese letters lose their marks: "Câu 1" → "Cau_1") and kept unique; `write` returns the changes.
/// - Numbers are doubles; a missing number is system-missing ("."). A Stata column with value labels is written
///   as 32-bit integers when all its values are whole (Stata labels integers only); labels of values that are
///   not whole numbers are left out there.
/// - Dates (`Column.isDate`) are SPSS DATE11 or Stata %td variables.
/// - Texts are UTF-8 strings as wide as the longest value (Stata's limit: 2045 bytes).
/// - Labels are cut at a character boundary to the formats' limits (SPSS: 255 bytes for a variable label,
///   120 for a value label; Stata: 80 characters for a variable label, 32,000 bytes for a value label).
///
/// Every ReadStat call's result is checked; a failure throws `OutputFileError` naming the file, the column and
/// ReadStat's message. The file is written through `OutputFile` (atomic).
public enum StatFileWriter {
    public enum Format: Sendable {
        case sav, zsav, dta
    }

    /// Writes `table` to `path`; returns the columns renamed to fit the format (original → new name).
    @discardableResult
    public static func write(_ table: LabelledTable, to path: String, format: Format, fileLabel: String = "") throws
        -> [(from: String, to: String)]
    {
        let names = validNames(table.columns.map(\.name), format: format)
        try OutputFile.writing(to: path) { temporary in
            try writeFile(table, names: names, to: temporary, shownAs: path, format: format, fileLabel: fileLabel)
        }
        return zip(table.columns, names).compactMap { $0.name == $1 ? nil : ($0.name, $1) }
    }

    /// The context of ReadStat's data-writer callback: the open file and the first write error.
    final class Sink {
        let descriptor: Int32
        var failure: String?
        var messages: [String] = []
        init(descriptor: Int32) { self.descriptor = descriptor }

        static func from(_ context: UnsafeMutableRawPointer?) -> Sink { Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue() }
    }

    static let dataWriter: readstat_data_writer = { data, length, context in
        let sink = Sink.from(context)
        guard let data else { return 0 }
        var written = 0
        while written < length {
            let step = Glibc.write(sink.descriptor, data + written, length - written)
            if step < 0 {
                if errno == EINTR { continue }
                if sink.failure == nil { sink.failure = String(cString: strerror(errno)) }
                return -1
            }
            written += step
        }
        return written
    }

    static let errorHandler: readstat_error_handler = { message, context in
        guard let message else { return }
        Sink.from(context).messages.append(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func writeFile(_ table: LabelledTable, names: [String], to temporary: String, shownAs path: String,
                                  format: Format, fileLabel: String) throws {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputFileError(path: path, errno: errno) }
        defer { close(descriptor) }
        let sink = Sink(descriptor: descriptor)
        guard let writer = readstat_writer_init() else { throw OutputFileError(path: path, reason: "ReadStat could not start (out of memory)", vi: "ReadStat không khởi động được (hết bộ nhớ)") }
        defer { readstat_writer_free(writer) }
        func check(_ status: readstat_error_t, _ what: @autoclosure () -> String) throws {
            guard status != READSTAT_OK else { return }
            let reason = sink.failure ?? (readstat_error_message(status).map { String(cString: $0) } ?? "error \(status.rawValue)")
            let detail = sink.messages.last.map { " (\($0))" } ?? ""
            throw OutputFileError(path: path, reason: "\(what()): \(reason.lowercased())\(detail)")
        }
        try check(readstat_set_data_writer(writer, dataWriter), "setting up ReadStat")
        try check(readstat_writer_set_error_handler(writer, errorHandler), "setting up ReadStat")
        if format == .zsav { try check(readstat_writer_set_compression(writer, READSTAT_COMPRESS_BINARY), "choosing ZSAV compression") }
        if format == .dta { try check(readstat_writer_set_file_format_version(writer, 118), "choosing Stata format 118") }
        if !fileLabel.isEmpty {
            try check(readstat_writer_set_file_label(writer, cut(fileLabel, bytes: format == .dta ? 320 : 64)), "the file label")
        }

        // Variables, with their label sets.
        var variables: [UnsafeMutablePointer<readstat_variable_t>] = []
        var kinds: [ColumnKind] = []
        for (index, column) in table.columns.enumerated() {
            let kind = try columnKind(column, format: format, path: path)
            kinds.append(kind)
            guard let variable = readstat_add_variable(writer, names[index], kind.readStatType, kind.width) else {
                throw OutputFileError(path: path, reason: "ReadStat refused column '\(column.name)'", vi: "ReadStat không nhận cột '\(column.name)'")
            }
            if !column.label.isEmpty {
                readstat_variable_set_label(variable, format == .dta ? cut(column.label, characters: 80, bytes: 320)
                                                                      : cut(column.label, bytes: 255))
            }
            if case .numbers = column.values, !column.valueLabels.isEmpty {
                let labels = kind == .integer || format != .dta ? column.valueLabels : []
                let usable = labels.filter { format != .dta || Int32(exactly: $0.value) != nil }
                if !usable.isEmpty {
                    let setType = format == .dta ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE
                    guard let set = readstat_add_label_set(writer, setType, "labels\(index)") else {
                        throw OutputFileError(path: path, reason: "ReadStat refused the value labels of column '\(column.name)'", vi: "ReadStat không nhận nhãn giá trị của cột '\(column.name)'")
                    }
                    for (value, label) in usable {
                        if format == .dta {
                            readstat_label_int32_value(set, Int32(exactly: value)!, cut(label, bytes: 32_000))
                        } else {
                            readstat_label_double_value(set, value, cut(label, bytes: 120))
                        }
                    }
                    readstat_variable_set_label_set(variable, set)
                }
            }
            if column.isDate {
                readstat_variable_set_format(variable, format == .dta ? "%td" : "DATE11")
            }
            if case .numbers = column.values {
                readstat_variable_set_measure(variable, column.valueLabels.isEmpty ? READSTAT_MEASURE_SCALE : READSTAT_MEASURE_NOMINAL)
            } else {
                readstat_variable_set_measure(variable, READSTAT_MEASURE_NOMINAL)
            }
            variables.append(variable)
        }

        let context = Unmanaged.passUnretained(sink).toOpaque()
        try withExtendedLifetime(sink) {
            switch format {
            case .sav, .zsav: try check(readstat_begin_writing_sav(writer, context, table.rowCount), "starting the SPSS file")
            case .dta: try check(readstat_begin_writing_dta(writer, context, table.rowCount), "starting the Stata file")
            }
            for row in 0..<table.rowCount {
                try check(readstat_begin_row(writer), "row \(row + 1)")
                for (index, column) in table.columns.enumerated() {
                    let variable = variables[index]
                    let status: readstat_error_t
                    switch column.values {
                    case .numbers(let numbers):
                        if var value = numbers[row], value.isFinite {
                            // Dates: SPSS counts seconds from 1582-10-14, Stata days from 1960-01-01.
                            if column.isDate { value = format == .dta ? value + 3653 : value * 86_400 + 12_219_379_200 }
                            status = kinds[index] == .integer ? readstat_insert_int32_value(writer, variable, Int32(value))
                                                              : readstat_insert_double_value(writer, variable, value)
                        } else {
                            status = readstat_insert_missing_value(writer, variable)
                        }
                    case .texts(let texts):
                        status = readstat_insert_string_value(writer, variable, texts[row])
                    }
                    try check(status, "row \(row + 1), column '\(column.name)'")
                }
                try check(readstat_end_row(writer), "row \(row + 1)")
            }
            try check(readstat_end_writing(writer), "finishing the file")
        }
        if let failure = sink.failure { throw OutputFileError(path: path, reason: failure) }
    }

    enum ColumnKind: Equatable {
        case double, integer, text(width: Int)

        var readStatType: readstat_type_t {
            switch self {
            case .double: return READSTAT_TYPE_DOUBLE
            case .integer: return READSTAT_TYPE_INT32
            case .text: return READSTAT_TYPE_STRING
            }
        }

        var width: Int {
            if case .text(let width) = self { return width }
            return 0
        }
    }

    private static func columnKind(_ column: LabelledTable.Column, format: Format, path: String) throws -> ColumnKind {
        switch column.values {
        case .numbers(let numbers):
            // Stata labels integers only: a labelled column of whole numbers is written as integers.
            let whole = numbers.allSatisfy { $0.map { $0 == $0.rounded() && abs($0) <= 2_147_483_620 } ?? true }
            return format == .dta && !column.valueLabels.isEmpty && whole ? .integer : .double
        case .texts(let texts):
            let width = max(1, texts.map(\.utf8.count).max() ?? 1)
            if format == .dta && width > 2045 {
                throw OutputFileError(path: path, reason: "column '\(column.name)' holds a text of \(width) bytes; a Stata text "
                                          + "column holds at most 2045: write .sav, .xlsx or .csv instead",
                                      vi: "cột '\(column.name)' có một đoạn chữ dài \(width) byte; cột chữ của Stata chứa tối đa 2045 byte: "
                                          + "hãy ghi .sav, .xlsx hoặc .csv")
            }
            return .text(width: width)
        }
    }

    /// Names SPSS and Stata accept, unique (case-insensitively, as both programs compare them).
    static func validNames(_ names: [String], format: Format) -> [String] {
        let limit = format == .dta ? 32 : 64
        var used = Set<String>()
        return names.map { name in
            var ascii = name.precomposedStringWithCanonicalMapping
                .folding(options: [.diacriticInsensitive], locale: nil)
                .replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            ascii = String(ascii.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_") ? Character(scalar) : "_"
            })
            if ascii.isEmpty || !(ascii.first!.isLetter) { ascii = "v" + ascii }
            if format == .dta && ascii.hasPrefix("_") { ascii = "v" + ascii }
            var base = String(ascii.prefix(limit))
            if reserved.contains(base.uppercased()) { base = String(("v_" + base).prefix(limit)) }
            var candidate = base
            var k = 2
            while used.contains(candidate.lowercased()) {
                let suffix = "_\(k)"
                candidate = String(base.prefix(limit - suffix.count)) + suffix
                k += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }

    /// SPSS's reserved words (Stata's "_n", "_N", "_b" … begin with '_' and get a 'v' anyway).
    static let reserved: Set<String> = ["ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH",
                                        "BYTE", "INT", "LONG", "FLOAT", "DOUBLE", "IF", "IN", "STRL"]

    /// `text` cut at a character boundary to at most `characters` characters and `bytes` UTF-8 bytes.
    static func cut(_ text: String, characters: Int = .max, bytes: Int) -> String {
        var result = ""
        var count = 0
        var size = 0
        for character in text {
            let length = character.utf8.count
            guard count < characters, size + length <= bytes else { break }
            result.append(character)
            count += 1
            size += length
        }
        return result
    }
}
