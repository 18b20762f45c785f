import CXLSXWriter
import Foundation

/// An error writing a workbook, with the libxlsxwriter message.
public struct XLSXError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "cannot write \(path): \(message)" }
}

extension SurveyReport {
    /// Writes every table to one sheet of an .xlsx workbook (libxlsxwriter): title in row 1, headers in row 3,
    /// then the rows; percentages and intervals as numbers with the format 0.00 (intervals as two columns),
    /// counts as integers, suppressed cells as the text "—"; notes below the table.
    public func writeXLSX(to path: String) throws {
        guard let workbook = workbook_new(path) else { throw XLSXError(path: path, message: "workbook_new failed") }
        var closed = false
        defer { if !closed { _ = workbook_close(workbook) } }
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        let percent = workbook_add_format(workbook)
        format_set_num_format(percent, "0.00")
        let integer = workbook_add_format(workbook)
        format_set_num_format(integer, "#,##0")
        var decimalFormats: [Int: UnsafeMutablePointer<lxw_format>?] = [:]
        for decimals in 0...4 {
            let format = workbook_add_format(workbook)
            format_set_num_format(format, decimals == 0 ? "0" : "0." + String(repeating: "0", count: decimals))
            decimalFormats[decimals] = format
        }
        let muted = workbook_add_format(workbook)
        format_set_italic(muted)
        var used: Set<String> = []
        for (index, table) in tables.enumerated() {
            let name = sheetName(table, index: index, used: &used)
            guard let sheet = workbook_add_worksheet(workbook, name) else {
                throw XLSXError(path: path, message: "cannot add sheet '\(name)'")
            }
            func check(_ error: lxw_error) throws {
                if error != LXW_NO_ERROR { throw XLSXError(path: path, message: String(cString: lxw_strerror(error))) }
            }
            try check(worksheet_write_string(sheet, 0, 0, table.title, bold))
            let columns = table.machineColumns(language: language)
            for (c, column) in columns.enumerated() { try check(worksheet_write_string(sheet, 2, lxw_col_t(c), column, bold)) }
            let intervalColumns = Set(table.allRows.flatMap { row in row.indices.filter { row[$0].isInterval } })
            for (r, row) in table.allRows.enumerated() {
                let rowIndex = lxw_row_t(3 + r)
                var c = 0
                for (cellIndex, cell) in row.enumerated() {
                    let span = intervalColumns.contains(cellIndex) ? 2 : 1
                    func number(_ value: Double?, _ format: UnsafeMutablePointer<lxw_format>?, at column: Int) throws {
                        guard let value, value.isFinite else { return }
                        try check(worksheet_write_number(sheet, rowIndex, lxw_col_t(column), value, format))
                    }
                    switch cell {
                    case .text(let text): if !text.isEmpty { try check(worksheet_write_string(sheet, rowIndex, lxw_col_t(c), text, nil)) }
                    case .integer(let value): try number(Double(value), integer, at: c)
                    case .percent(let value): try number(value, percent, at: c)
                    case .number(let value, let decimals): try number(value, decimalFormats[min(4, max(0, decimals))] ?? percent, at: c)
                    case .interval(let lower, let upper):
                        try number(lower, percent, at: c)
                        try number(upper, percent, at: c + 1)
                    case .range(let lower, let upper, let decimals):
                        try number(lower, decimalFormats[min(4, max(0, decimals))] ?? percent, at: c)
                        try number(upper, decimalFormats[min(4, max(0, decimals))] ?? percent, at: c + 1)
                    case .pValue(let value): try number(value, decimalFormats[3] ?? percent, at: c)
                    case .suppressed:
                        for k in 0..<span { try check(worksheet_write_string(sheet, rowIndex, lxw_col_t(c + k), "—", muted)) }
                    }
                    c += span
                }
            }
            var noteRow = 4 + table.allRows.count
            for note in table.notes + (table.hasSuppressedCells ? [suppressionNote] : []) {
                try check(worksheet_write_string(sheet, lxw_row_t(noteRow), 0, note, muted))
                noteRow += 1
            }
            _ = worksheet_set_column(sheet, 0, lxw_col_t(max(0, columns.count - 1)), 14, nil)
        }
        closed = true
        let error = workbook_close(workbook)
        if error != LXW_NO_ERROR { throw XLSXError(path: path, message: String(cString: lxw_strerror(error))) }
    }

    /// Sheet names: "Biểu số 4" style from the table id, at most 31 characters, unique, without []:*?/\.
    func sheetName(_ table: ReportTable, index: Int, used: inout Set<String>) -> String {
        var base = table.id
        if table.id.hasPrefix("bieu-") { base = "Biểu số " + table.id.dropFirst(5) }
        if table.id == "questionnaire" { base = language == .vi ? "Phiếu khảo sát" : "Questionnaire" }
        base = String(base.filter { !"[]:*?/\\".contains($0) }.prefix(28))
        var name = base
        var k = 2
        while used.contains(name.lowercased()) { name = "\(base) \(k)"; k += 1 }
        used.insert(name.lowercased())
        return name
    }
}
