import Foundation

/// A value as the store holds it (a cell, a parameter).
enum StoreValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    var text: String? {
        switch self {
        case .null: return nil
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return value
        }
    }

    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}

/// The database engine a store lives in.
public enum StoreEngine: String, Sendable {
    /// One file on this computer (the default): SQLite.
    case sqlite
    /// A shared server: PostgreSQL.
    case postgres
}

/// One column of a wave's rows table: its name as in the file and whether it holds an item's answers (codes).
struct RowsTableColumn {
    var name: String
    var isItem: Bool
}

/// What `SurveyStore` asks of a database engine. The store's SQL is written once, with `?` parameters and
/// double-quoted identifiers, in the subset SQLite and PostgreSQL share; what differs between the engines (types of
/// keys, how a wave's rows are written and read, the list of tables) is here.
///
/// Every value from a user or a file reaches SQL as a bound parameter; the only identifiers written into SQL text are
/// column names, always through `quoted(_:)`, and table names sipas makes from numbers.
protocol StoreDatabase: AnyObject {
    var engine: StoreEngine { get }
    /// Runs statements without parameters, one per line ending in `;` (schema statements).
    func execute(_ sql: String) throws
    /// The rows of a query, each as its columns' values.
    func rows(_ sql: String, _ parameters: [StoreValue]) throws -> [[StoreValue]]
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// The names of the tables in the store's schema.
    func tableNames() throws -> [String]
    /// The column type of a table's integer key and of a reference to one.
    var keyDefinition: String { get }
    var integerType: String { get }
    /// Makes the table of a wave's rows (`sipas_row`, `sipas_empty_line`, then `columns`).
    func createRowsTable(_ table: String, columns: [RowsTableColumn]) throws
    /// Removes the table of a wave's rows (and anything the engine keeps beside it).
    func dropRowsTable(_ table: String) throws
    /// Writes `count` rows into a wave's rows table: `fill(row, &values)` sets the values of row `row`
    /// (`values[0]` sipas_row, `values[1]` sipas_empty_line, then the columns in order).
    func insertRows(_ table: String, columns: [RowsTableColumn], count: Int, fill: (Int, inout [StoreValue]) -> Void) throws
    /// The stored rows of a wave as CSV lines (`columns` fields each, an empty line where the file had one) appended
    /// to `buffer`, in file order.
    func appendCSV(_ table: String, columns: [RowsTableColumn], to buffer: inout [UInt8]) throws
}

extension StoreDatabase {
    /// Runs one statement with parameters, for its effect.
    func run(_ sql: String, _ parameters: [StoreValue] = []) throws {
        _ = try rows(sql, parameters)
    }

    func rows(_ sql: String) throws -> [[StoreValue]] { try rows(sql, []) }
}

/// An identifier (a column name from a file) as SQL text: in double quotes, inner quotes doubled. Both engines
/// read it so.
func quoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

/// Appends `bytes` to `buffer` as one CSV field: quoted (inner quotes doubled) when it holds a comma, a quote or
/// a line break.
func appendCSVField<Bytes: Collection>(_ bytes: Bytes, to buffer: inout [UInt8]) where Bytes.Element == UInt8 {
    let special = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
    guard special else { buffer.append(contentsOf: bytes); return }
    buffer.append(UInt8(ascii: "\""))
    for byte in bytes {
        if byte == UInt8(ascii: "\"") { buffer.append(byte) }
        buffer.append(byte)
    }
    buffer.append(UInt8(ascii: "\""))
}

/// Splits schema SQL into statements: one per line ending in `;` (the store's own schema text only).
func statements(_ sql: String) -> [String] {
    var result: [String] = []
    var current = ""
    for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
        current += line + "\n"
        if line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
            result.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
            current = ""
        }
    }
    let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
    if !rest.isEmpty { result.append(rest) }
    return result
}
