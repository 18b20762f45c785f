import ArgumentParser
import Foundation
import SIPASData
import SIPASInstrument
import SIPASReport
import SIPASSampling
import SIPASSupport

/// A CSV read as plain text for sampling: a frame, a units list, a returned-forms list or an outcome file.
///
/// Privacy: a frame's cells (names, addresses, phones) are only ever copied into an output list the user asked
/// for with --output; messages name the row and column, never a cell's value. Not even the header line is quoted:
/// in a frame saved without its header, the first line is a person.
struct SamplingFile {
    let path: String
    let header: [String]
    /// Data rows (empty lines skipped), each in header order.
    let rows: [[String]]
    /// The 1-based data row number in the file of each kept row (for messages).
    let rowNumbers: [Int]
    let emptyLines: Int

    /// - Parameter sheet: for a workbook, the sheet and header row (`--sheet`, `--header-row`); the default is
    ///   the first visible sheet and the first row naming `columns`.
    init(path: String, columns: [String], sheet: SheetSelection = .init()) throws {
        // The columns are checked here, not by the reader, whose message lists the header line.
        // In a workbook, the header is the first row naming the columns (its messages quote no cell).
        let workbook = try DataFile.format(of: path) == .xlsx
        if !workbook, sheet.sheet != nil || sheet.headerRow != nil {
            throw SamplingError(file: path, vi: "--sheet và --header-row chỉ dùng cho sổ Excel (.xlsx, .xlsm)",
                                en: "--sheet and --header-row apply to Excel workbooks (.xlsx, .xlsm) only")
        }
        let table = try DataFile.read(path: path, columns: workbook ? columns : nil, selection: sheet)
        self.path = path
        header = table.metadata.map(\.name)
        let empty = Set(table.emptyLineRows)
        var rows: [[String]] = [], numbers: [Int] = []
        for row in 0..<table.rowCount where !empty.contains(row) {
            rows.append(table.metadata.map { $0[row] })
            numbers.append(row + 1)
        }
        self.rows = rows
        rowNumbers = numbers
        emptyLines = empty.count
        for column in columns { _ = try index(column) }
    }

    /// The position of `column` in the header. A missing column's message does not list the header's names (in a
    /// file without a header line they would be a person's data); it names one that differs only in case or accents.
    func index(_ column: String) throws -> Int {
        guard let index = header.firstIndex(of: column) else {
            let fold = { (name: String) in name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
            let near = header.first { fold($0) == fold(column) }
            throw SamplingError(file: path,
                                vi: "dòng tiêu đề không có cột '\(column)' (dòng này có \(header.count) cột, không liệt kê ra: "
                                    + "nếu tệp lưu thiếu dòng tiêu đề thì đó sẽ là dữ liệu của một người)"
                                    + (near.map { "; '\($0)' chỉ khác ở chữ hoa/thường hoặc dấu" } ?? ""),
                                en: "no column '\(column)' in the header line (it has \(header.count) columns, not "
                                    + "listed: in a file saved without its header line they would be a person's data)"
                                    + (near.map { "; '\($0)' differs only in case or accents" } ?? ""))
        }
        return index
    }

    func texts(_ column: String) throws -> [String] {
        let index = try index(column)
        return rows.map { $0[index] }
    }

    /// Whole numbers ≥ 0; the error names the row and column, never the cell.
    func counts(_ column: String) throws -> [Int] {
        let index = try index(column)
        return try rows.indices.map { row in
            let text = rows[row][index].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ".", with: "")
            guard let value = Int(text), value >= 0 else {
                throw SamplingError(file: path, row: rowNumbers[row], column: column, vi: "cần một số nguyên ≥ 0", en: "expected a whole number ≥ 0")
            }
            return value
        }
    }

    /// Numbers (decimal point or comma); the error names the row and column, never the cell.
    func numbers(_ column: String) throws -> [Double] {
        let index = try index(column)
        return try rows.indices.map { row in
            let text = rows[row][index]
            guard let value = NumberText.decimal(text) ?? NumberText.decimal(text, decimalComma: true) else {
                throw SamplingError(file: path, row: rowNumbers[row], column: column, vi: "cần một số", en: "expected a number")
            }
            return value
        }
    }

    /// The group key of each row: the named columns' values joined by " / " (one group when none).
    func groupKeys(_ columns: [String]) throws -> [String] {
        let indices = try columns.map(index)
        return rows.map { row in indices.map { row[$0] }.joined(separator: " / ") }
    }
}

/// Formats of the sampling commands' summaries (their frames and samples are files of their own).
enum SummaryFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case table, json
}

/// Options every sampling command shares.
struct SamplingOutputOptions: ParsableArguments {
    @Option(name: .long, help: "Summary format on standard output: table or json.")
    var format: SummaryFormat = .table

    @Option(name: .long, help: "Language of the summary and its number style: vi (1.500; 94,97; default) or en (1,500; 94.97).")
    var lang: Language = .vi

    var style: NumberStyle { NumberStyle(language: lang) }
}


/// Groups of rows in Vietnamese alphabetical order of their keys: (key, row indices in file order).
func groupedRows(_ keys: [String]) -> [(key: String, rows: [Int])] {
    var members: [String: [Int]] = [:]
    for (row, key) in keys.enumerated() { members[key, default: []].append(row) }
    let names = Array(members.keys)
    return VietnameseCollation.sortedIndices(names.map { [$0] }).map { (names[$0], members[names[$0]]!) }
}

/// Writes a list the user asked for; a summary line says where it went (never what it holds).
func writeList(_ text: String, to path: String) throws {
    try writeFile(text, to: path)
}

func percentText(_ value: Double?, _ style: NumberStyle, decimals: Int = 1) -> String {
    guard let value else { return "–" }
    return style.fixed(value, decimals: decimals) + "%"
}

/// Names compared after NFC normalization, case-insensitively.
func sameName(_ a: String, _ b: String) -> Bool {
    a.precomposedStringWithCanonicalMapping.lowercased().trimmingCharacters(in: .whitespaces)
        == b.precomposedStringWithCanonicalMapping.lowercased().trimmingCharacters(in: .whitespaces)
}
