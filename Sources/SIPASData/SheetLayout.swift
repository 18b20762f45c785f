import Foundation
import Synchronization

/// Where the table read from a workbook sheet sits in the sheet: the sheet's name, the header's row number
/// and each column's letter. Data record r (1-based, as `DataError.row` and `InvalidCell.row` count) is sheet
/// row `headerRow + r`: every sheet row below the header is one record, blank rows included.
public struct SheetLayout: Sendable, Equatable {
    public var sheet: String
    public var headerRow: Int
    /// Column name (as the table names it) → column letters.
    public var letters: [String: String]

    /// The sheet row of data record `row` (1-based).
    public func sheetRow(ofRecord row: Int) -> Int { headerRow + row }

    /// `error` told in the sheet's terms: its row becomes the sheet row, its column the cell ("H17"); an error on
    /// the header line is on the header row. Errors already located in a sheet are returned as they are.
    public func locate(_ error: DataError) -> DataError {
        guard error.sheet == nil else { return error }
        var located = error
        located.sheet = sheet
        let row = error.row.map(sheetRow(ofRecord:)) ?? (error.line == 1 ? headerRow : nil)
        located.line = row
        if let row, let column = error.column, let letter = letters[column] { located.cell = "\(letter)\(row)" }
        return located
    }

    // MARK: Registry

    /// The layouts of the tables read from workbooks in this process, by the table's `source`, so that errors
    /// raised later about those tables (`DataError.description`) name sheets and cells.
    public static func registered(for source: String) -> SheetLayout? {
        layouts.withLock { $0[source] }
    }

    static func register(_ layout: SheetLayout, for source: String) {
        layouts.withLock { $0[source] = layout }
    }

    /// Forgets `source` (it was read again as CSV, or from no sheet).
    static func unregister(_ source: String) {
        layouts.withLock { $0[source] = nil }
    }

    private static let layouts = Mutex<[String: SheetLayout]>([:])
}
