import CSQLite
import Foundation

/// A thin, safe layer over the SQLite C API: one connection, prepared statements with bound parameters,
/// transactions. Every value from a user or a file reaches SQL as a bound parameter; the only identifiers
/// written into SQL text are column names, always through `quoted(_:)`.
///
/// Source: SQLite C/C++ interface (https://sqlite.org/c3ref/intro.html), "SQL As Understood By SQLite".
final class SQLiteDatabase {
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

    /// An identifier (a column name from a file) as SQL text: in double quotes, inner quotes doubled.
    static func quoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

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
    func rows(_ sql: String, _ parameters: [Value] = []) throws -> [[Value]] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var result: [[Value]] = []
        while try statement.step() { result.append(statement.row()) }
        return result
    }

    /// Runs one statement with parameters, for its effect.
    func run(_ sql: String, _ parameters: [Value] = []) throws {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        while try statement.step() {}
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    fileprivate var lastError: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "no connection" }

    fileprivate func failure(_ message: String) -> StoreError {
        StoreError(store: path, en: "the database refused an operation (\(message))", vi: "cơ sở dữ liệu từ chối thao tác (\(message))")
    }

    /// A value as SQLite holds it.
    enum Value: Equatable {
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
                let bytes = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, index)))
                let special = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
                guard special else { buffer.append(contentsOf: bytes); return }
                buffer.append(UInt8(ascii: "\""))
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                    buffer.append(byte)
                }
                buffer.append(UInt8(ascii: "\""))
            }
        }
    }
}
