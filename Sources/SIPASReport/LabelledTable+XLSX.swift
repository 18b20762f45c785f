import CXLSXWriter
import Foundation
import SIPASData

extension LabelledTable {
    /// Writes the table as an .xlsx workbook (libxlsxwriter): sheet 1 (`dataSheet`) holds the header (the column
    /// names, bold) and one row per table row, numbers as numbers and texts as text (blank cells for missing
    /// values; dates in the format yyyy-mm-dd); sheet 2 (`labelSheet`) lists each column's name, label and value labels ("1 = Rất không hài
    /// lòng; 2 = …"), the place SPSS users look for them.
    public func writeXLSX(to path: String, dataSheet: String = "data", labelSheet: String = "labels") throws {
        guard let workbook = workbook_new(path) else { throw XLSXError(path: path, message: "workbook_new failed", vi: "không tạo được sổ (thư mục có ghi được không?)") }
        var closed = false
        defer { if !closed { _ = workbook_close(workbook) } }
        func check(_ error: lxw_error) throws {
            if error != LXW_NO_ERROR { throw XLSXError(path: path, message: String(cString: lxw_strerror(error))) }
        }
        guard rowCount < 1_048_576, columns.count <= 16_384 else {
            throw XLSXError(path: path, message: "\(rowCount) rows × \(columns.count) columns do not fit in one Excel sheet "
                                + "(1,048,575 rows × 16,384 columns): write .sav, .dta or .csv instead",
                            vi: "\(rowCount) dòng × \(columns.count) cột không vừa một trang Excel (1.048.575 dòng × 16.384 cột): hãy ghi .sav, .dta hoặc .csv")
        }
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        let date = workbook_add_format(workbook)
        format_set_num_format(date, "yyyy-mm-dd")
        guard let data = workbook_add_worksheet(workbook, dataSheet) else { throw XLSXError(path: path, message: "cannot add sheet \(dataSheet)", vi: "không thêm được trang \(dataSheet)") }
        for (c, column) in columns.enumerated() {
            try check(worksheet_write_string(data, 0, lxw_col_t(c), column.name, bold))
            switch column.values {
            case .numbers(let numbers):
                for (r, value) in numbers.enumerated() {
                    guard let value, value.isFinite else { continue }
                    // A date is Excel's serial day (1900 system: 1970-01-01 is day 25569).
                    try check(worksheet_write_number(data, lxw_row_t(r + 1), lxw_col_t(c), column.isDate ? value + 25_569 : value,
                                                     column.isDate ? date : nil))
                }
            case .texts(let texts):
                for (r, text) in texts.enumerated() where !text.isEmpty {
                    try check(worksheet_write_string(data, lxw_row_t(r + 1), lxw_col_t(c), text, nil))
                }
            }
        }
        worksheet_freeze_panes(data, 1, 0)
        guard let labels = workbook_add_worksheet(workbook, labelSheet) else { throw XLSXError(path: path, message: "cannot add sheet \(labelSheet)", vi: "không thêm được trang \(labelSheet)") }
        for (c, header) in ["column", "label", "value labels"].enumerated() {
            try check(worksheet_write_string(labels, 0, lxw_col_t(c), header, bold))
        }
        for (r, column) in columns.enumerated() {
            let row = lxw_row_t(r + 1)
            try check(worksheet_write_string(labels, row, 0, column.name, nil))
            if !column.label.isEmpty { try check(worksheet_write_string(labels, row, 1, column.label, nil)) }
            let values = column.valueLabels.map { "\(LabelledTable.numberText($0.value)) = \($0.label)" }.joined(separator: "; ")
            if !values.isEmpty { try check(worksheet_write_string(labels, row, 2, values, nil)) }
        }
        _ = worksheet_set_column(labels, 0, 0, 18, nil)
        _ = worksheet_set_column(labels, 1, 2, 60, nil)
        closed = true
        let error = workbook_close(workbook)
        if error != LXW_NO_ERROR { throw XLSXError(path: path, message: String(cString: lxw_strerror(error))) }
    }
}
