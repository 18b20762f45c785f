import CXLSXWriter
import Foundation
import SIPASInstrument

extension ResultDocument {
    /// Writes the document as an .xlsx workbook (libxlsxwriter): one sheet per table, named after its caption.
    /// Each sheet starts with the document's title (bold) and the paragraphs before the table, then the header
    /// row (bold, frozen), then the rows: counts, indices and p values as numbers with a display format (the
    /// decimals shown on screen), intervals as two number columns, labels as text. Paragraphs after a table go
    /// below it. Column widths follow the content; pages print on A4 landscape, one page wide.
    public func writeWorkbook(to path: String) throws {
        guard let workbook = workbook_new(path) else { throw XLSXError(path: path, message: "workbook_new failed", vi: "không tạo được sổ (thư mục có ghi được không?)") }
        var closed = false
        defer { if !closed { _ = workbook_close(workbook) } }
        func check(_ error: lxw_error) throws {
            if error != LXW_NO_ERROR { throw XLSXError(path: path, message: String(cString: lxw_strerror(error))) }
        }
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        let header = workbook_add_format(workbook)
        format_set_bold(header)
        format_set_bottom(header, UInt8(LXW_BORDER_THIN.rawValue))
        format_set_text_wrap(header)
        format_set_align(header, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        let muted = workbook_add_format(workbook)
        format_set_italic(muted)
        let integer = workbook_add_format(workbook)
        format_set_num_format(integer, "#,##0")
        let general = workbook_add_format(workbook)
        format_set_num_format(general, "General")
        /// Number format code → format, made once.
        var formats: [String: UnsafeMutablePointer<lxw_format>?] = [:]
        func numberFormat(_ code: String) -> UnsafeMutablePointer<lxw_format>? {
            if let format = formats[code] { return format }
            let format = workbook_add_format(workbook)
            format_set_num_format(format, code)
            formats[code] = format
            return format
        }
        func decimalFormat(_ decimals: Int) -> UnsafeMutablePointer<lxw_format>? {
            let places = max(0, min(10, decimals))
            return numberFormat(places == 0 ? "0" : "0." + String(repeating: "0", count: places))
        }
        func pFormat(_ decimals: Int) -> UnsafeMutablePointer<lxw_format>? {
            numberFormat(NumberStyle(language: language).pValueFormatCode(decimals: decimals))
        }

        // Paragraphs before the first table lead its sheet; later ones follow the table before them.
        var sheets: [(table: TextTable?, before: [String], after: [String])] = []
        var pending: [String] = []
        for block in blocks {
            switch block {
            case .paragraph(let text):
                if sheets.isEmpty { pending.append(text) } else { sheets[sheets.count - 1].after.append(text) }
            case .table(let table):
                sheets.append((table, sheets.isEmpty ? pending : [], []))
                pending = []
            }
        }
        if sheets.isEmpty { sheets.append((nil, pending, [])) }

        var used: Set<String> = []
        for (sheetIndex, sheet) in sheets.enumerated() {
            let name = Self.sheetName(sheet.table?.sheetName ?? sheet.table?.caption, index: sheetIndex, language: language, used: &used)
            guard let worksheet = workbook_add_worksheet(workbook, name) else {
                throw XLSXError(path: path, message: "cannot add sheet '\(name)'", vi: "không thêm được trang '\(name)'")
            }
            var row: UInt32 = 0
            func writeText(_ text: String, column: Int, format: UnsafeMutablePointer<lxw_format>?) throws {
                guard !text.isEmpty else { return }
                // Excel holds at most 32,767 characters in a cell.
                let clipped = text.count > 32_000 ? String(text.prefix(32_000)) + "…" : text
                try check(worksheet_write_string(worksheet, row, lxw_col_t(column), clipped, format))
            }
            func writeLines(_ paragraphs: [String], format: UnsafeMutablePointer<lxw_format>?) throws {
                for paragraph in paragraphs {
                    for line in paragraph.components(separatedBy: "\n") {
                        try writeText(line.trimmingCharacters(in: .whitespaces), column: 0, format: format)
                        row += 1
                    }
                }
            }
            if !title.isEmpty {
                try writeText(title, column: 0, format: bold)
                row += 1
            }
            try writeLines(sheet.before, format: nil)
            var widths: [Int] = []
            if let table = sheet.table {
                if let caption = table.caption, !caption.isEmpty {
                    try writeText(caption, column: 0, format: bold)
                    row += 1
                }
                row += 1
                let headers = table.machineHeaders(language: language)
                for (column, text) in headers.enumerated() { try writeText(text, column: column, format: header) }
                widths = headers.map { min(30, max(6, $0.count + 1)) }
                let intervals = table.intervalColumns
                let headerRow = row
                row += 1
                let style = NumberStyle(language: language)
                for cells in table.cells {
                    var column = 0
                    for (index, cell) in cells.enumerated() {
                        let span = intervals.contains(index) ? 2 : 1
                        func number(_ value: Double?, _ format: UnsafeMutablePointer<lxw_format>?, at target: Int) throws {
                            guard let value, value.isFinite else { return }
                            try check(worksheet_write_number(worksheet, row, lxw_col_t(target), value, format))
                        }
                        switch cell {
                        case .text(let text): try writeText(text, column: column, format: nil)
                        case .integer(let value): try number(value.map(Double.init), integer, at: column)
                        case .number(let value, let decimals): try number(value, decimalFormat(decimals), at: column)
                        case .significant(let value, _): try number(value, general, at: column)
                        case .pValue(let value, let decimals): try number(value, pFormat(max(decimals, 3)), at: column)
                        case .interval(let lower, let upper, let decimals):
                            try number(lower, decimalFormat(decimals), at: column)
                            try number(upper, decimalFormat(decimals), at: column + 1)
                        }
                        // Widths from what the cell shows (an interval's halves are each about half of it).
                        let shown = cell.isInterval ? max(cell.machineFields.map(\.count).max() ?? 0, 6) : cell.display(style).count
                        for k in 0..<span where column + k < widths.count {
                            widths[column + k] = max(widths[column + k], min(60, shown + 2))
                        }
                        column += span
                    }
                    row += 1
                }
                worksheet_freeze_panes(worksheet, headerRow + 1, 0)
                try check(worksheet_autofilter(worksheet, headerRow, 0, max(headerRow, row - 1), lxw_col_t(max(0, headers.count - 1))))
                row += 1
            }
            try writeLines(sheet.after, format: muted)
            for (column, width) in widths.enumerated() {
                try check(worksheet_set_column(worksheet, lxw_col_t(column), lxw_col_t(column), Double(width), nil))
            }
            worksheet_set_landscape(worksheet)
            worksheet_set_paper(worksheet, 9)
            worksheet_fit_to_pages(worksheet, 1, 0)
        }
        closed = true
        let error = workbook_close(workbook)
        if error != LXW_NO_ERROR { throw XLSXError(path: path, message: String(cString: lxw_strerror(error))) }
    }

    /// A sheet name from a caption: at most 31 characters, unique (case-insensitively), without []:*?/\ and
    /// not starting or ending with an apostrophe; "Bảng N"/"Table N" when there is no caption.
    static func sheetName(_ caption: String?, index: Int, language: Language, used: inout Set<String>) -> String {
        var base = String((caption ?? "").filter { !"[]:*?/\\'".contains($0) && !$0.isNewline }.prefix(27))
            .trimmingCharacters(in: .whitespaces)
        if base.isEmpty { base = (language == .vi ? "Bảng " : "Table ") + String(index + 1) }
        var name = base
        var k = 2
        while used.contains(name.lowercased()) { name = "\(base) \(k)"; k += 1 }
        used.insert(name.lowercased())
        return name
    }
}
