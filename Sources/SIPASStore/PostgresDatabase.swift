import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A store on a PostgreSQL server, through postgres-nio: one connection, parameters bound (`?` in the store's SQL
/// becomes `$1`, `$2`, …), a wave's rows written with `COPY … FROM STDIN` and read as a stream.
///
/// The command line is synchronous; each call waits for the server's answer (`blocking`). The connection has
/// a timeout (connect_timeout, 10 s by default) and every failure becomes one sentence naming what to fix; the
/// password is never part of one.
///
/// A wave's rows table on PostgreSQL types its answer columns INTEGER (the codes); a cell of an answer column that
/// is not a whole number (an invalid entry, a text missing label) is kept in `wave_<id>_cells (sipas_row,
/// position, text)` so that the wave reads back exactly as its file.
///
/// Source: postgres-nio (https://github.com/vapor/postgres-nio); PostgreSQL 15 documentation, COPY (text format),
/// §55 "Frontend/Backend Protocol".
final class PostgresDatabase: StoreDatabase {
    var engine: StoreEngine { .postgres }
    let address: StoreLocation.ServerAddress
    private let connection: PostgresConnection
    private let logger = Logger(label: "sipas.store", factory: { _ in SwiftLogNoOpLogHandler() })

    init(_ address: StoreLocation.ServerAddress) throws {
        self.address = address
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: try Self.tls(address))
        configuration.options.connectTimeout = .milliseconds(Int64(address.connectTimeout * 1000))
        configuration.options.additionalStartupParameters = [("application_name", "sipas")]
        let logger = self.logger
        do {
            connection = try blocking(timeout: address.connectTimeout + 5) {
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            }
        } catch {
            throw Self.connectionFailure(error, address)
        }
    }

    deinit {
        let connection = self.connection
        try? blocking(timeout: 5) { try await connection.close() }
    }

    private static func tls(_ address: StoreLocation.ServerAddress) throws -> PostgresConnection.Configuration.TLS {
        guard address.sslMode != "disable" else { return .disable }
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch address.sslMode {
        case "verify-full": configuration.certificateVerification = .fullVerification
        case "verify-ca": configuration.certificateVerification = .noHostnameVerification
        default: configuration.certificateVerification = .none
        }
        if let root = address.sslRootCertificate { configuration.trustRoots = .file(root) }
        do {
            let context = try NIOSSLContext(configuration: configuration)
            return ["allow", "prefer"].contains(address.sslMode) ? .prefer(context) : .require(context)
        } catch {
            throw StoreError(store: address.display, en: "cannot set up TLS (sslrootcert \(address.sslRootCertificate ?? "-") unreadable?)",
                             vi: "không thiết lập được TLS (không đọc được sslrootcert \(address.sslRootCertificate ?? "-")?)")
        }
    }

    // MARK: Failures

    private func failure(_ error: Error) -> StoreError { Self.failure(error, address) }

    /// A failure while connected: the server's own message (never the query's parameters).
    static func failure(_ error: Error, _ address: StoreLocation.ServerAddress) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let state = info[.sqlState] ?? ""
                let message = info[.message] ?? "error \(state)"
                if state == "42501" {
                    return StoreError(store: address.display,
                                      en: "the server refused: \(message) (user \(address.user) may only read this store; ask its owner for the right)",
                                      vi: "máy chủ từ chối: \(message) (người dùng \(address.user) chỉ được đọc kho này; hãy xin quyền từ người quản lý kho)")
                }
                return StoreError(store: address.display, en: "the server refused an operation (\(message))",
                                  vi: "máy chủ từ chối thao tác (\(message))")
            }
            if error.code == .serverClosedConnection || error.code == .clientClosedConnection || error.code == .uncleanShutdown {
                return StoreError(store: address.display, en: "the connection to the server was lost", vi: "mất kết nối tới máy chủ")
            }
        }
        if error is BlockingTimeout {
            return StoreError(store: address.display, en: "the server did not answer in time", vi: "máy chủ không trả lời kịp thời")
        }
        return StoreError(store: address.display, en: "the server operation failed (\(String(describing: type(of: error))))",
                          vi: "thao tác trên máy chủ thất bại (\(String(describing: type(of: error))))")
    }

    /// A failure to connect, as one sentence naming what to fix.
    static func connectionFailure(_ error: Error, _ address: StoreLocation.ServerAddress) -> StoreError {
        let place = "\(address.host):\(address.port)"
        func say(_ en: String, _ vi: String) -> StoreError { StoreError(store: address.display, en: en, vi: vi) }
        if error is BlockingTimeout {
            return say("no answer from \(place) within \(Int(address.connectTimeout)) s (is the host right, and the server reachable?)",
                       "\(place) không trả lời trong \(Int(address.connectTimeout)) giây (máy chủ có đúng và truy cập được không?)")
        }
        let ignoredFile = address.ignoredPasswordFile.map { file in
            (en: "; \(file) was ignored because others may read it (chmod 600 \(file))",
             vi: "; \(file) bị bỏ qua vì người khác đọc được (chmod 600 \(file))")
        } ?? (en: "", vi: "")
        guard let error = error as? PSQLError else { return failure(error, address) }
        if let info = error.serverInfo {
            let state = info[.sqlState] ?? ""
            switch state {
            case "28P01", "28000":
                var en = "the server refused the password of user \(address.user)"
                var vi = "máy chủ từ chối mật khẩu của người dùng \(address.user)"
                if let source = address.passwordSource {
                    en += " (taken from \(source)): correct it there"
                    vi += " (lấy từ \(source == "the URL" ? "URL" : source)): hãy sửa ở đó"
                } else {
                    en += " (no password was given: set PGPASSWORD or add a line to ~/.pgpass)"
                    vi += " (chưa có mật khẩu: đặt PGPASSWORD hoặc thêm một dòng vào ~/.pgpass)"
                }
                en += ignoredFile.en
                vi += ignoredFile.vi
                if state == "28000" {
                    let message = info[.message] ?? ""
                    return say("the server refused user \(address.user) (\(message))", "máy chủ từ chối người dùng \(address.user) (\(message))")
                }
                return say(en, vi)
            case "3D000":
                return say("the server has no database '\(address.database)' (create it with: createdb \(address.database))",
                           "máy chủ không có cơ sở dữ liệu '\(address.database)' (tạo bằng: createdb \(address.database))")
            default:
                let message = info[.message] ?? state
                return say("the server refused the connection (\(message))", "máy chủ từ chối kết nối (\(message))")
            }
        }
        switch error.code {
        case .authMechanismRequiresPassword:
            return say("the server asks for a password for user \(address.user): set PGPASSWORD or add a line to ~/.pgpass" + ignoredFile.en,
                       "máy chủ yêu cầu mật khẩu cho người dùng \(address.user): đặt PGPASSWORD hoặc thêm một dòng vào ~/.pgpass" + ignoredFile.vi)
        case .sslUnsupported:
            return say("the server does not offer TLS, which sslmode=\(address.sslMode) requires (use sslmode=prefer, or enable ssl on the server)",
                       "máy chủ không hỗ trợ TLS mà sslmode=\(address.sslMode) đòi hỏi (dùng sslmode=prefer hoặc bật ssl trên máy chủ)")
        case .unsupportedAuthMechanism:
            return say("the server asks for an authentication method sipas does not speak (use scram-sha-256 or md5 in pg_hba.conf)",
                       "máy chủ yêu cầu phương thức xác thực sipas không hỗ trợ (hãy dùng scram-sha-256 hoặc md5 trong pg_hba.conf)")
        default: break
        }
        let underlying = error.underlying.map { String(describing: $0) } ?? ""
        if underlying.localizedCaseInsensitiveContains("refused") {
            return say("nothing answers at \(place) (connection refused): is the server running, and is the port right?",
                       "không có gì trả lời tại \(place) (kết nối bị từ chối): máy chủ có đang chạy và cổng có đúng không?")
        }
        if underlying.localizedCaseInsensitiveContains("timeout") || underlying.localizedCaseInsensitiveContains("timed out") {
            return say("no answer from \(place) within \(Int(address.connectTimeout)) s (is the host right, and the server reachable?)",
                       "\(place) không trả lời trong \(Int(address.connectTimeout)) giây (máy chủ có đúng và truy cập được không?)")
        }
        if underlying.localizedCaseInsensitiveContains("resolve") || underlying.localizedCaseInsensitiveContains("unknown host")
            || underlying.localizedCaseInsensitiveContains("getaddrinfo") {
            return say("no host named \(address.host) is known (check the URL's host)",
                       "không tìm thấy máy chủ tên \(address.host) (hãy kiểm tra tên máy trong URL)")
        }
        return say("cannot connect to \(place) (\(underlying.isEmpty ? "\(error.code)" : underlying))",
                   "không kết nối được tới \(place) (\(underlying.isEmpty ? "\(error.code)" : underlying))")
    }

    // MARK: Queries

    /// The store's SQL with `?` parameters as PostgreSQL's `$1`, `$2`, … (outside quotes).
    static func numbered(_ sql: String) -> String {
        var result = ""
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    private func query(_ sql: String, _ parameters: [StoreValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: parameters.count)
        for value in parameters {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            }
        }
        return PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings)
    }

    static func value(_ cell: PostgresCell) -> StoreValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int64.self)).map(StoreValue.integer) ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(StoreValue.real) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
        default:
            return (try? cell.decode(String.self)).map(StoreValue.text) ?? .null
        }
    }

    func execute(_ sql: String) throws {
        for statement in statements(sql) { try run(statement, []) }
    }

    func rows(_ sql: String, _ parameters: [StoreValue]) throws -> [[StoreValue]] {
        let query = query(sql, parameters)
        let connection = self.connection, logger = self.logger
        do {
            return try blocking {
                var result: [[StoreValue]] = []
                for try await row in try await connection.query(query, logger: logger) {
                    result.append(row.map(Self.value))
                }
                return result
            }
        } catch {
            throw failure(error)
        }
    }

    func transaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN", [])
        do {
            let result = try body()
            try run("COMMIT", [])
            return result
        } catch {
            try? run("ROLLBACK", [])
            throw error
        }
    }

    func tableNames() throws -> [String] {
        try rows("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", []).compactMap { $0.first?.text }
    }

    var keyDefinition: String { "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" }
    var integerType: String { "BIGINT" }

    static func cellsTable(_ table: String) -> String { table + "_cells" }

    func createRowsTable(_ table: String, columns: [RowsTableColumn]) throws {
        if let long = columns.first(where: { $0.name.utf8.count > 63 }) {
            throw StoreError(store: address.display,
                             en: "column '\(long.name)' has a name longer than PostgreSQL's 63 bytes: rename it in the file",
                             vi: "cột '\(long.name)' có tên dài quá 63 byte mà PostgreSQL cho phép: hãy đổi tên trong tệp")
        }
        let definitions = columns.map { quoted($0.name) + ($0.isItem ? " INTEGER" : " TEXT") }
        try run("CREATE TABLE \(table) (sipas_row BIGINT PRIMARY KEY, sipas_empty_line SMALLINT NOT NULL"
                + definitions.map { ", " + $0 }.joined() + ")", [])
        try run("CREATE TABLE \(Self.cellsTable(table)) (sipas_row BIGINT NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL, "
                + "PRIMARY KEY (sipas_row, position))", [])
    }

    func dropRowsTable(_ table: String) throws {
        try run("DROP TABLE IF EXISTS \(Self.cellsTable(table))", [])
        try run("DROP TABLE IF EXISTS \(table)", [])
    }

    /// A cell of an answer column that PostgreSQL can hold as INTEGER and that reads back as the same text:
    /// digits without a leading zero (or "0"), an optional minus, at most 9 digits.
    static func integerText(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              digits.first != 48 || digits.count == 1, !(bytes.first == UInt8(ascii: "-") && digits == [48]) else { return nil }
        return Int64(text)
    }

    /// Appends `text` to a COPY text-format line: backslash, tab, line feed and carriage return escaped.
    private static func appendCopyText(_ text: String, to buffer: inout ByteBuffer) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case 9: buffer.writeString("\\t")
            case 10: buffer.writeString("\\n")
            case 13: buffer.writeString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    func insertRows(_ table: String, columns: [RowsTableColumn], count: Int, fill: (Int, inout [StoreValue]) -> Void) throws {
        // postgres-nio writes each name between double quotes as given: the inner quotes are doubled here, so a
        // column name cannot end the identifier.
        let names = ["sipas_row", "sipas_empty_line"] + columns.map { $0.name.replacingOccurrences(of: "\"", with: "\"\"") }
        var cells: [(row: Int64, position: Int, text: String)] = []
        let connection = self.connection, logger = self.logger
        let batch = 4096
        do {
            try withoutActuallyEscaping(fill) { fill in
            // The closure is let go before the block ends (the finished task may still hold the box).
            let fillBox = UncheckedBox(Optional(fill))
            defer { fillBox.value = nil }
            try blocking {
                try await connection.copyFrom(table: table, columns: names, logger: logger) { writer in
                    var values = [StoreValue](repeating: .null, count: columns.count + 2)
                    var buffer = ByteBuffer()
                    buffer.reserveCapacity(1 << 20)
                    for row in 0..<count {
                        fillBox.value?(row, &values)
                        for (index, value) in values.enumerated() {
                            if index > 0 { buffer.writeInteger(UInt8(9)) }
                            switch value {
                            case .null: buffer.writeString("\\N")
                            case .integer(let number): buffer.writeString(String(number))
                            case .real(let number): buffer.writeString(String(number))
                            case .text(let text):
                                if index >= 2, columns[index - 2].isItem {
                                    if let number = Self.integerText(text) {
                                        buffer.writeString(String(number))
                                    } else {
                                        buffer.writeString("\\N")
                                        cells.append((values[0].integer ?? Int64(row + 1), index - 2, text))
                                    }
                                } else {
                                    Self.appendCopyText(text, to: &buffer)
                                }
                            }
                        }
                        buffer.writeInteger(UInt8(10))
                        if row % batch == batch - 1 {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
                guard !cells.isEmpty else { return }
                let cellRows = cells
                try await connection.copyFrom(table: Self.cellsTable(table), columns: ["sipas_row", "position", "text"], logger: logger) { writer in
                    var buffer = ByteBuffer()
                    for (index, cell) in cellRows.enumerated() {
                        buffer.writeString("\(cell.row)\t\(cell.position)\t")
                        Self.appendCopyText(cell.text, to: &buffer)
                        buffer.writeInteger(UInt8(10))
                        if index % batch == batch - 1 {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            }
            }
        } catch {
            throw failure(error)
        }
    }

    func appendCSV(_ table: String, columns: [RowsTableColumn], to buffer: inout [UInt8]) throws {
        var extra: [Int64: [(Int, String)]] = [:]
        for row in try rows("SELECT sipas_row, position, text FROM \(Self.cellsTable(table)) ORDER BY sipas_row, position", []) {
            guard let number = row[0].integer, let position = row[1].integer, let text = row[2].text else { continue }
            extra[number, default: []].append((Int(position), text))
        }
        let names = (["sipas_row", "sipas_empty_line"] + columns.map { quoted($0.name) }).joined(separator: ", ")
        let query = PostgresQuery(unsafeSQL: "SELECT \(names) FROM \(table) ORDER BY sipas_row")
        let connection = self.connection, logger = self.logger
        let count = columns.count
        let output = UncheckedBox([UInt8]())
        swap(&output.value, &buffer)
        defer { swap(&output.value, &buffer) }
        do {
            try blocking {
                var fields = [String?](repeating: nil, count: count)
                for try await row in try await connection.query(query, logger: logger) {
                    var cells = row.makeIterator()
                    let number = cells.next().map(Self.value)?.integer ?? 0
                    let empty = cells.next().map(Self.value)?.integer ?? 0
                    if empty != 1 {
                        for index in 0..<count { fields[index] = cells.next().map(Self.value)?.text }
                        for (position, text) in extra[number] ?? [] where position < count { fields[position] = text }
                        for index in 0..<count {
                            if index > 0 { output.value.append(UInt8(ascii: ",")) }
                            if let text = fields[index] { appendCSVField(Array(text.utf8), to: &output.value) }
                        }
                    }
                    output.value.append(10)
                }
            }
        } catch {
            throw failure(error)
        }
    }
}

/// A value handed to asynchronous work that runs while the caller waits (so it is never shared at once).
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// The work did not finish within its time limit.
struct BlockingTimeout: Error {}

/// Runs asynchronous work from synchronous code and waits for its result (the command line is synchronous). The
/// work runs on `StoreExecutor`'s threads and postgres-nio's event loops, never on Swift's cooperative pool: a
/// caller that is itself on that pool (a test, a task) would otherwise wait for a thread it holds. With a
/// `timeout` in seconds, gives up with `BlockingTimeout` after it (the work is cancelled).
func blocking<T>(timeout: Double? = nil, _ body: @escaping () async throws -> T) throws -> T {
    let result = UncheckedBox<Result<T, Error>?>(nil)
    let work = UncheckedBox(body)
    let semaphore = DispatchSemaphore(value: 0)
    let task = Task(executorPreference: StoreExecutor.shared) {
        do { result.value = .success(try await work.value()) } catch { result.value = .failure(error) }
        semaphore.signal()
    }
    if let timeout {
        if semaphore.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            throw BlockingTimeout()
        }
    } else {
        semaphore.wait()
    }
    return try result.value!.get()
}

/// Runs the store's asynchronous work on Dispatch threads of its own (see `blocking`).
final class StoreExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = StoreExecutor()
    private let queue = DispatchQueue(label: "sipas.store", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
