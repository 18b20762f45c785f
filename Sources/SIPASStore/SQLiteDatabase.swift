import CSQLite
import Foundation

/// A thin, safe layer over the SQLite C API: one connection, prepared statements with bound parameters,
/// transactions. Every value from a user or a file reaches SQL as a bound parameter; the only identifiers
/// written into SQL text are column names, always through `quoted(_:)`.
///
/// Source: SQLite C/C++ interface (https://sqlite.org/c3ref/intro.html), "SQL As Understood By SQLite".
final class SQLiteDatabase: StoreDatabase {
    var engine: StoreEngine { .sqlite }
    private var handle: OpaquePointer?
    let path: String

    /// Opens (and with `create`, creates) the database file at `path`.
    init(path: String, create: Bool) throws {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            handle = nil
            throw StoreError(store: path, en: "cannot open the store (\(message))", vi: "không mở được kho dữ liệu (\(message))")
        }
        sqlite3_busy_timeout(handle, 5000)
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit { sqlite3_close_v2(handle) }


    /// Runs SQL text without parameters (schema statements, PRAGMAs); several statements may be given.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw failure(text)
        }
    }

    /// Compiles one statement.
    func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure(lastError) }
        return Statement(statement, database: self)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws (the store is then
    /// as it was).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The rows of a query, each as its columns' values.
    func rows(_ sql: String, _ parameters: [Value]) throws -> [[Value]] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var result: [[Value]] = []
        while try statement.step() { result.append(statement.row()) }
        return result
    }

    func tableNames() throws -> [String] {
        try rows("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.text }
    }

    var keyDefinition: String { "INTEGER PRIMARY KEY" }
    var integerType: String { "INTEGER" }

    /// Answer columns carry no declared type, so a code stays an integer and any other cell its text.
    func createRowsTable(_ table: String, columns: [RowsTableColumn]) throws {
        let definitions = columns.map { quoted($0.name) + ($0.isItem ? "" : " TEXT") }
        try execute("CREATE TABLE \(table) (sipas_row INTEGER PRIMARY KEY, sipas_empty_line INTEGER NOT NULL"
                    + definitions.map { ", " + $0 }.joined() + ")")
    }

    func dropRowsTable(_ table: String) throws {
        try execute("DROP TABLE IF EXISTS \(table)")
    }

    func insertRows(_ table: String, columns: [RowsTableColumn], count: Int, fill: (Int, inout [StoreValue]) -> Void) throws {
        let placeholders = Array(repeating: "?", count: columns.count + 2).joined(separator: ", ")
        let columnList = (["sipas_row", "sipas_empty_line"] + columns.map { quoted($0.name) }).joined(separator: ", ")
        let insert = try prepare("INSERT INTO \(table) (\(columnList)) VALUES (\(placeholders))")
        var values = [StoreValue](repeating: .null, count: columns.count + 2)
        for row in 0..<count {
            fill(row, &values)
            try insert.bind(values)
            while try insert.step() {}
        }
    }

    func appendCSV(_ table: String, columns: [RowsTableColumn], to buffer: inout [UInt8]) throws {
        let statement = try prepare("SELECT * FROM \(table) ORDER BY sipas_row")
        try statement.bind([])
        let count = columns.count
        while try statement.step() {
            if statement.value(1).integer != 1 {
                for index in 0..<count {
                    if index > 0 { buffer.append(UInt8(ascii: ",")) }
                    statement.appendCSVField(index + 2, to: &buffer)
                }
            }
            buffer.append(10)
        }
    }

    fileprivate var lastError: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "no connection" }

    fileprivate func failure(_ message: String) -> StoreError {
        StoreError(store: path, en: "the database refused an operation (\(message))", vi: "cơ sở dữ liệu từ chối thao tác (\(message))")
    }

    typealias Value = StoreValue

    /// A compiled statement; finalized when released.
    final class Statement {
        private let statement: OpaquePointer
        private let database: SQLiteDatabase
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        fileprivate init(_ statement: OpaquePointer, database: SQLiteDatabase) {
            self.statement = statement
            self.database = database
        }

        deinit { sqlite3_finalize(statement) }

        /// Binds parameters 1…n (after clearing earlier bindings and resetting the statement).
        func bind(_ values: [Value]) throws {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            for (offset, value) in values.enumerated() {
                let index = Int32(offset + 1)
                let status: Int32
                switch value {
                case .null: status = sqlite3_bind_null(statement, index)
                case .integer(let number): status = sqlite3_bind_int64(statement, index, number)
                case .real(let number): status = sqlite3_bind_double(statement, index, number)
                case .text(let text): status = sqlite3_bind_text(statement, index, text, -1, Self.transient)
                }
                guard status == SQLITE_OK else { throw database.failure(database.lastError) }
            }
        }

        /// Advances: true while a row is available.
        func step() throws -> Bool {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw database.failure(database.lastError)
            }
        }

        var columnCount: Int { Int(sqlite3_column_count(statement)) }

        func value(_ column: Int) -> Value {
            let index = Int32(column)
            switch sqlite3_column_type(statement, index) {
            case SQLITE_NULL: return .null
            case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
            case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
            default:
                guard let text = sqlite3_column_text(statement, index) else { return .null }
                return .text(String(cString: text))
            }
        }

        func row() -> [Value] { (0..<columnCount).map(value) }

        /// Appends column `column` of the current row to `buffer` as a CSV field: nothing for NULL, the digits
        /// of an integer, text as its UTF-8 bytes (quoted, inner quotes doubled, when it holds a comma, quote or
        /// line break). Reads the bytes SQLite holds, without building a Swift string per cell.
        func appendCSVField(_ column: Int, to buffer: inout [UInt8]) {
            let index = Int32(column)
            switch sqlite3_column_type(statement, index) {
            case SQLITE_NULL: return
            case SQLITE_INTEGER:
                let number = sqlite3_column_int64(statement, index)
                if (0...9).contains(number) { buffer.append(UInt8(ascii: "0") + UInt8(number)); return }
                buffer.append(contentsOf: String(number).utf8)
            default:
                guard let text = sqlite3_column_text(statement, index) else { return }
                SIPASStore.appendCSVField(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, index))), to: &buffer)
            }
        }
    }
}
