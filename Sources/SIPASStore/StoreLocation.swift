import Foundation

/// Where a store lives, as the user named it: a file path (SQLite) or a `postgres://` URL (PostgreSQL).
///
/// A URL is read as libpq reads one: `postgres[ql]://[user[:password]@][host][:port][/database][?param=value&…]`
/// with `sslmode` (disable, allow, prefer, require, verify-ca, verify-full), `sslrootcert` and `connect_timeout`
/// (seconds). What the URL leaves out comes from PGUSER, PGHOST, PGPORT, PGDATABASE, PGSSLMODE and
/// PGCONNECT_TIMEOUT, then libpq's defaults (the login name, localhost, 5432, the user's name as database,
/// prefer, 10 s). The password: the URL's, else PGPASSWORD, else the first matching line of the password file
/// (PGPASSFILE or ~/.pgpass; `host:port:database:user:password`, `*` matches anything, `\:` and `\\` escape;
/// ignored when others may read it, as libpq does).
///
/// `display` is the name every message uses: the URL without its password.
///
/// Source: PostgreSQL 15 documentation, libpq §34.1.1 "Connection Strings", §34.15 "Environment Variables",
/// §34.16 "The Password File".
public enum StoreLocation: Equatable, Sendable {
    case file(String)
    case server(ServerAddress)

    /// A PostgreSQL server, database and user, and how to connect.
    public struct ServerAddress: Equatable, Sendable {
        public var host: String
        public var port: Int
        public var database: String
        public var user: String
        /// Never printed: not part of `display`.
        var password: String?
        /// Where the password came from (for the message when the server refuses it).
        var passwordSource: String?
        public var sslMode: String
        public var sslRootCertificate: String?
        public var connectTimeout: Double
        /// The URL as the user wrote it, with the password removed.
        public var display: String
        /// A password file that was ignored because others may read it.
        var ignoredPasswordFile: String?
    }

    /// Whether `text` names a PostgreSQL server rather than a file.
    public static func isServer(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// The name to show: the path, or the URL without its password.
    public var display: String {
        switch self {
        case .file(let path): return path
        case .server(let address): return address.display
        }
    }

    /// `text` without the password of a `postgres://` URL in it (for history lines and echoed commands).
    public static func redacted(_ text: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: "(postgres(?:ql)?://[^:@/\\s]*):[^\\s/]*@", options: [.caseInsensitive]) else { return text }
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1@")
    }

    /// Reads `text`: a URL when it starts with postgres:// or postgresql://, otherwise a path.
    public static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreLocation {
        guard isServer(text) else { return .file(text) }
        let display = redacted(text)
        func bad(_ en: String, _ vi: String) -> StoreError { StoreError(store: display, en: en, vi: vi) }
        guard let components = URLComponents(string: text) else {
            throw bad("this is not a valid PostgreSQL URL (expected postgres://user@host:port/database)",
                      "đây không phải URL PostgreSQL hợp lệ (cần dạng postgres://người_dùng@máy:cổng/cơ_sở_dữ_liệu)")
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        let known: Set<String> = ["sslmode", "sslrootcert", "connect_timeout", "application_name"]
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw bad("unknown URL parameter '\(unknown)' (sipas reads sslmode, sslrootcert, connect_timeout)",
                      "tham số URL '\(unknown)' không được hỗ trợ (sipas đọc sslmode, sslrootcert, connect_timeout)")
        }
        let user = nonEmpty(components.user) ?? nonEmpty(environment["PGUSER"]) ?? nonEmpty(environment["USER"]) ?? loginName()
        let host = nonEmpty(components.host) ?? nonEmpty(environment["PGHOST"]) ?? "localhost"
        if host.hasPrefix("/") {
            throw bad("a Unix socket folder as host is not supported: give a host name or 127.0.0.1",
                      "không hỗ trợ thư mục socket Unix làm máy chủ: hãy ghi tên máy hoặc 127.0.0.1")
        }
        var port = 5432
        if let given = components.port {
            port = given
        } else if let text = nonEmpty(environment["PGPORT"]) {
            guard let value = Int(text) else { throw bad("PGPORT is not a port number (\(text))", "PGPORT không phải số cổng (\(text))") }
            port = value
        }
        guard (1...65535).contains(port) else {
            throw bad("the port must be a number from 1 to 65535 (got \(port))", "cổng phải là số từ 1 đến 65535 (nhận \(port))")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = nonEmpty(path.removingPercentEncoding ?? path) ?? nonEmpty(environment["PGDATABASE"]) ?? user
        let sslMode = (parameters["sslmode"] ?? nonEmpty(environment["PGSSLMODE"]) ?? "prefer").lowercased()
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw bad("sslmode must be disable, allow, prefer, require, verify-ca or verify-full (got \(sslMode))",
                      "sslmode phải là disable, allow, prefer, require, verify-ca hoặc verify-full (nhận \(sslMode))")
        }
        var timeout = 10.0
        if let text = parameters["connect_timeout"] ?? nonEmpty(environment["PGCONNECT_TIMEOUT"]) {
            guard let value = Double(text), value.isFinite, value > 0, value <= 3600 else {
                throw bad("connect_timeout must be a number of seconds from 1 to 3600 (got \(text))",
                          "connect_timeout phải là số giây từ 1 đến 3600 (nhận \(text))")
            }
            timeout = max(1, value)
        }
        var address = ServerAddress(host: host, port: port, database: database, user: user, password: nil, passwordSource: nil,
                                    sslMode: sslMode, sslRootCertificate: parameters["sslrootcert"], connectTimeout: timeout,
                                    display: display, ignoredPasswordFile: nil)
        if let password = components.password {
            address.password = password
            address.passwordSource = "the URL"
        } else if let password = nonEmpty(environment["PGPASSWORD"]) {
            address.password = password
            address.passwordSource = "PGPASSWORD"
        } else {
            let file = nonEmpty(environment["PGPASSFILE"]) ?? (nonEmpty(environment["HOME"]).map { $0 + "/.pgpass" } ?? "")
            if !file.isEmpty, let found = passwordFromFile(file, host: host, port: port, database: database, user: user) {
                switch found {
                case .password(let password):
                    address.password = password
                    address.passwordSource = file
                case .tooOpen:
                    address.ignoredPasswordFile = file
                }
            }
        }
        return .server(address)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    private static func loginName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "postgres"
    }

    enum PasswordFileResult: Equatable { case password(String), tooOpen }

    /// The password of the first line of the password file that matches, or `.tooOpen` when the file may be read
    /// by the group or others (libpq then ignores it).
    static func passwordFromFile(_ path: String, host: String, port: Int, database: String, user: String) -> PasswordFileResult? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
              let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
        if status.st_mode & 0o077 != 0 { return .tooOpen }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped { fields[fields.count - 1].append(character); escaped = false; continue }
                if character == "\\" { escaped = true; continue }
                if character == ":" && fields.count < 5 { fields.append(""); continue }
                fields[fields.count - 1].append(character)
            }
            guard fields.count == 5 else { continue }
            let matches = zip(fields.prefix(4), wanted).allSatisfy { field, value in
                field == "*" || field == value
            }
            if matches { return .password(fields[4]) }
        }
        return nil
    }
}
