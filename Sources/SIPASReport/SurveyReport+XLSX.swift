import CXLSXWriter
import Foundation
import SIPASInstrument

/// An error writing a workbook, with the libxlsxwriter message.
/// The message in Vietnamese where it was written (libxlsxwriter's own messages are English).
public struct XLSXError: Error, CustomStringConvertible, LocalizedFailure {
    public var path: String
    public var message: String
    public var vi: String?
    public init(path: String, message: String, vi: String? = nil) { self.path = path; self.message = message; self.vi = vi }
    public var description: String { "cannot write \(path): \(message)" }
    public func text(_ language: Language) -> String {
        language == .vi ? "không ghi được sổ Excel \(path): \(vi ?? "thư viện libxlsxwriter báo lỗi: " + message)" : description
    }
}

extension SurveyReport {
    /// The row of the column headers (0-based; row 0 is the title, row 1 empty). Rows up to it are frozen.
    static let xlsxHeaderRow = 2

    /// Writes every table to one sheet of an .xlsx workbook (libxlsxwriter), ready for office use:
    /// - title in row 1 (bold), headers in row 3 (bold, wrapped, bottom border), then the body and the footer
    ///   (summary rows, bold); notes below in italics;
    /// - rows 1–3 frozen, so the headers stay on screen; the header row repeats on every printed page;
    /// - numbers stay numbers with one format per column: percentages 0.00, a coefficient and its interval
    ///   with the same decimals, p-values 0.000 shown as "< 0.001" below 0.001, counts #,##0; an interval is two
    ///   columns (lower, upper) with the same format; suppressed cells are the text "—";
    /// - column widths from the longest text or number in the column (title and notes excluded), 6–60 characters;
    /// - A4 landscape, one page wide, margins 1.5 cm.
    public func writeXLSX(to path: String) throws {
        guard let workbook = workbook_new(path) else { throw XLSXError(path: path, message: "workbook_new failed", vi: "không tạo được sổ (thư mục có ghi được không?)") }
        var closed = false
        defer { if !closed { _ = workbook_close(workbook) } }
        typealias Format = UnsafeMutablePointer<lxw_format>?
        func format(_ numberFormat: String?, bold: Bool = false) -> Format {
            let f = workbook_add_format(workbook)
            if let numberFormat { format_set_num_format(f, numberFormat) }
            if bold { format_set_bold(f) }
            return f
        }
        let titleFormat = format(nil, bold: true)
        format_set_font_size(titleFormat, 13)
        let header = format(nil, bold: true)
        format_set_text_wrap(header)
        format_set_align(header, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        format_set_bottom(header, UInt8(LXW_BORDER_THIN.rawValue))
        let muted = format(nil)
        format_set_italic(muted)
        /// (number format, bold) → format, made once.
        var formats: [String: Format] = [:]
        func numberFormat(_ code: String, bold: Bool) -> Format {
            let key = code + (bold ? "|b" : "")
            if let f = formats[key] { return f }
            let f = format(code, bold: bold)
            formats[key] = f
            return f
        }
        func decimalsCode(_ decimals: Int) -> String {
            let d = min(6, max(0, decimals))
            return d == 0 ? "0" : "0." + String(repeating: "0", count: d)
        }
        let pCode = NumberStyle(language: language).pValueFormatCode()

        var used: Set<String> = []
        let style = NumberStyle(language: .en)
        for (index, table) in tables.enumerated() {
            let name = sheetName(table, index: index, used: &used)
            guard let sheet = workbook_add_worksheet(workbook, name) else {
                throw XLSXError(path: path, message: "cannot add sheet '\(name)'", vi: "không thêm được trang '\(name)'")
            }
            func check(_ error: lxw_error) throws {
                if error != LXW_NO_ERROR { throw XLSXError(path: path, message: String(cString: lxw_strerror(error))) }
            }
            let headerRow = lxw_row_t(Self.xlsxHeaderRow)
            try check(worksheet_write_string(sheet, 0, 0, table.title, titleFormat))
            let columns = table.machineColumns(language: language)
            var widths = columns.map { min(30, max(6, $0.count)) }
            for (c, column) in columns.enumerated() { try check(worksheet_write_string(sheet, headerRow, lxw_col_t(c), column, header)) }
            let intervalColumns = Set(table.allRows.flatMap { row in row.indices.filter { row[$0].isInterval } })
            func widen(_ column: Int, _ text: String) {
                guard column < widths.count else { return }
                widths[column] = min(60, max(widths[column], text.count + 2))
            }
            for (r, row) in table.allRows.enumerated() {
                let bold = r >= table.rows.count
                let rowIndex = headerRow + 1 + lxw_row_t(r)
                var c = 0
                for (cellIndex, cell) in row.enumerated() {
                    let span = intervalColumns.contains(cellIndex) ? 2 : 1
                    func number(_ value: Double?, _ code: String, at column: Int) throws {
                        guard let value, value.isFinite else { return }
                        try check(worksheet_write_number(sheet, rowIndex, lxw_col_t(column), value, numberFormat(code, bold: bold)))
                        widen(column, style.fixed(value, decimals: 2))
                    }
                    switch cell {
                    case .text(let text):
                        if !text.isEmpty {
                            try check(worksheet_write_string(sheet, rowIndex, lxw_col_t(c), text, bold ? numberFormat("General", bold: true) : nil))
                            widen(c, text)
                        }
                    case .integer(let value): try number(Double(value), "#,##0", at: c)
                    case .percent(let value): try number(value, "0.00", at: c)
                    case .number(let value, let decimals): try number(value, decimalsCode(decimals), at: c)
                    case .interval(let lower, let upper):
                        try number(lower, "0.00", at: c)
                        try number(upper, "0.00", at: c + 1)
                    case .range(let lower, let upper, let decimals):
                        try number(lower, decimalsCode(decimals), at: c)
                        try number(upper, decimalsCode(decimals), at: c + 1)
                    case .pValue(let value):
                        try number(value, pCode, at: c)
                        widen(c, "< 0.001")
                    case .suppressed:
                        for k in 0..<span { try check(worksheet_write_string(sheet, rowIndex, lxw_col_t(c + k), "—", muted)) }
                    }
                    c += span
                }
            }
            var noteRow = Int(headerRow) + 2 + table.allRows.count
            for note in table.notes + (table.hasSuppressedCells ? [suppressionNote] : []) {
                try check(worksheet_write_string(sheet, lxw_row_t(noteRow), 0, note, muted))
                noteRow += 1
            }
            for (c, width) in widths.enumerated() {
                try check(worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c), Double(width), nil))
            }
            worksheet_freeze_panes(sheet, headerRow + 1, 0)
            worksheet_set_landscape(sheet)
            worksheet_set_paper(sheet, 9)  // A4
            worksheet_set_margins(sheet, 0.6, 0.6, 0.6, 0.6)
            worksheet_fit_to_pages(sheet, 1, 0)
            try check(worksheet_repeat_rows(sheet, headerRow, headerRow))
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
