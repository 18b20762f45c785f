import Foundation
import Testing
@testable import SIPASCommandLine
import SIPASData
import SIPASInstrument
@testable import SIPASStore

/// The survey archive on a real PostgreSQL server: the private server `scripts/with-postgres.sh` starts for the test
/// command (127.0.0.1, its own data folder and port, stopped afterwards). Each test works in a database of its own,
/// made and dropped here. Without the server the tests fail under CI=true and are skipped otherwise.
@Suite("Survey store on PostgreSQL")
struct PostgresStoreTests {
    static let dataset = StoreTests.dataset
    static let design = StoreTests.design

    /// The private server's superuser URL (with its password) and the password, or nil when no server was started.
    static func server() throws -> (components: URLComponents, password: String) {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["SIPAS_TEST_POSTGRES"], let password = environment["SIPAS_TEST_POSTGRES_PASSWORD"],
              let components = URLComponents(string: url) else {
            throw MissingRequirement(what: "a PostgreSQL server: run the tests through scripts/with-postgres.sh (the README's test command)")
        }
        return (components, password)
    }

    /// Whether scripts/with-postgres.sh started the private server for this run.
    static var serverStarted: Bool { ProcessInfo.processInfo.environment["SIPAS_TEST_POSTGRES"] != nil }

    /// The trait of every test that needs the server: skipped without it, failing under CI=true.
    static let needsServer: ConditionTrait = .requires(serverStarted, "needs the private server of scripts/with-postgres.sh (the README's test command)")

    /// A URL of the private server for `user` (password `password`, none when nil) and `database`, with `query`.
    static func url(_ server: URLComponents, user: String = "sipas_admin", password: String?, database: String, query: String = "") -> String {
        let credentials = user + (password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? "")
        return "postgres://\(credentials)@\(server.host ?? "127.0.0.1"):\(server.port ?? 5432)/\(database)" + query
    }

    /// Runs `body` with the URL of a new, empty database on the private server (as its superuser); the database is
    /// dropped afterwards, also when the body fails.
    static func withDatabase(_ body: (_ url: String, _ admin: PostgresDatabase, _ server: (components: URLComponents, password: String), _ name: String) throws -> Void) throws {
        let server = try server()
        let name = "sipas_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        guard case .server(let address) = try StoreLocation.parse(url(server.components, password: server.password, database: "postgres")) else {
            throw MissingRequirement(what: "a server URL for the maintenance database")
        }
        let maintenance = try PostgresDatabase(address)
        try maintenance.run("CREATE DATABASE \(name)")
        defer { try? maintenance.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let databaseURL = url(server.components, password: server.password, database: name)
        guard case .server(let inDatabase) = try StoreLocation.parse(databaseURL) else {
            throw MissingRequirement(what: "a server URL for database \(name)")
        }
        try body(databaseURL, try PostgresDatabase(inDatabase), server, name)
    }

    static func json(_ document: () throws -> String, sources: [String]) rethrows -> String {
        try StoreTests.json(document, sources: sources)
    }

    @Test("A wave stored on PostgreSQL gives the file's indices and SEs exactly; compare across waves equals the files'", Self.needsServer)
    func indexAndCompareEqualFiles() throws {
        try Self.withDatabase { url, _, _, _ in
            try withTemporaryFolder { folder in
                let display = StoreLocation.redacted(url)
                let report = try StoreTests.importWave(url, Self.dataset, wave: "2024", Self.design + ["--by", "unit_id"])
                #expect(report.summary.rows == 2640)
                #expect(report.summary.invalidCells == 28)
                for arguments in [["--by", "unit_id"], ["--by", "unit_id", "--ci", "t"], ["--by", "gender"]] {
                    let fromStore = try Self.json({ try IndexCommand.parse([url, "--wave", "2024", "--format", "json"] + arguments).render() },
                                                  sources: [display + "#2024"])
                    let fromFile = try Self.json({ try IndexCommand.parse([Self.dataset, "-i", "khanhhoa-admin", "--format", "json"]
                                                                              + Self.design + arguments).render() }, sources: [Self.dataset])
                    #expect(fromStore.contains("\"se\""))
                    #expect(fromStore == fromFile, "index \(arguments) differs between the PostgreSQL wave and the file")
                }
                let earlier = folder.path("2023.csv")
                _ = try GenerateCommand.parse(["--seed", "2023", "--year", "2023", "--output", earlier]).run()
                _ = try StoreTests.importWave(url, earlier, wave: "2023", Self.design + ["--by", "unit_id"])
                let fromStore = try Self.json({
                    try CompareCommand.parse([url, "--wave", "2024", "--previous-wave", "2023", "--by", "unit_id", "--format", "json"]).render()
                }, sources: [display + "#2024"])
                let fromFiles = try Self.json({
                    try CompareCommand.parse([Self.dataset, "-i", "khanhhoa-admin", "--previous", earlier, "--by", "unit_id", "--format", "json"]
                                             + Self.design).render()
                }, sources: [Self.dataset])
                #expect(fromStore.contains("vs_previous"))
                #expect(fromStore == fromFiles)
                let waves = try SurveyStore(path: url).waves()
                #expect(waves.map(\.name) == ["2024", "2023"])
                #expect(waves.map(\.rows) == [2640, 2640])
                #expect(try SurveyStore(path: url).engine == .postgres)
            }
        }
    }

    @Test("The PostgreSQL wave reads back with the file's codes, missing codes, invalid cells and empty lines; names stay out", Self.needsServer)
    func tableEqualsFile() throws {
        try Self.withDatabase { url, admin, _, _ in
            try withTemporaryFolder { folder in
                let csv = """
                    respondent_id,unit_id,q01,q02,q03,full_name,phone\(StoreTests.restHeader)
                    1,U1,5,4,Hài lòng,Nguyễn Văn An,0912345678\(StoreTests.restCells)
                    2,U1,9,,x,Trần Thị Bình,0987654321\(StoreTests.restCells)

                    3,U2,"4",2,"tab\there, ""quoted"" \\ back",Lê Văn Cường,0901234567\(StoreTests.restCells)
                    4,U2,05,3,4.0,Phạm Thị Dung,0911111111\(StoreTests.restCells)
                    """
                let file = try folder.file("wave.csv", csv)
                let summary = try StoreTests.importWave(url, file, wave: "w1", ["--by", "unit_id"]).summary
                #expect(summary.leftOut == ["full_name", "phone"])
                let instrument = try Instrument.resolve("khanhhoa-admin")
                let original = try DataFile.read(path: file, instrument: instrument)
                let stored = try SurveyStore(path: url).read(wave: "w1")
                #expect(stored.rowCount == original.rowCount)
                #expect(stored.emptyLineRows == original.emptyLineRows)
                #expect(stored.invalidCellCount == original.invalidCellCount)
                for (a, b) in zip(stored.items, original.items) {
                    #expect(a.values == b.values, "\(a.item.id)")
                    #expect(a.blankCount == b.blankCount && a.missingCodeCounts == b.missingCodeCounts && a.invalidCount == b.invalidCount)
                }
                // The export is the SQLite store's export, byte for byte.
                let sqlite = folder.path("survey.db")
                _ = try StoreTests.importWave(sqlite, file, wave: "w1", ["--by", "unit_id"])
                #expect(try SurveyStore(path: url).csvText(wave: "w1") == SurveyStore(path: sqlite).csvText(wave: "w1"))
                // Codes are INTEGER; the cells that are not whole numbers are kept beside them, as written.
                let codes = try admin.rows("SELECT q01, q03 FROM wave_1 ORDER BY sipas_row")
                #expect(codes[0] == [.integer(5), .integer(4)])
                #expect(codes[1] == [.integer(9), .null])
                let kept = try admin.rows("SELECT sipas_row, position, text FROM wave_1_cells ORDER BY sipas_row, position")
                #expect(kept.contains([.integer(2), .integer(4), .text("x")]))
                // Names and phone numbers never reach the server.
                let columns = try admin.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()")
                    .compactMap { $0.first?.text }
                #expect(!columns.contains("full_name") && !columns.contains("phone"))
                for table in ["wave_1", "wave_1_cells", "waves", "wave_columns"] {
                    let dump = try admin.rows("SELECT CAST(t AS TEXT) FROM \(table) t").compactMap { $0.first?.text }.joined(separator: "\n")
                    for secret in ["0912345678", "0987654321", "Nguyễn Văn An", "Lê Văn Cường"] {
                        #expect(!dump.contains(secret), "\(secret) is in \(table)")
                    }
                }
            }
        }
    }

    @Test("On PostgreSQL too, a column or wave name made of SQL is stored as a name and runs nothing", Self.needsServer)
    func injection() throws {
        try Self.withDatabase { url, admin, _, _ in
            try withTemporaryFolder { folder in
                let evil = "x\"); DROP TABLE waves; --"
                let csv = "respondent_id,\"\(evil.replacingOccurrences(of: "\"", with: "\"\""))\",q01,q02,q03\(StoreTests.restHeader)\n1,a,5,4,3\(StoreTests.restCells)\n2,b,4,3,4\(StoreTests.restCells)\n3,a,3,5,5\(StoreTests.restCells)\n"
                let file = try folder.file("evil.csv", csv)
                let wave = "2024'; DROP TABLE instruments; --"
                let summary = try StoreTests.importWave(url, file, wave: wave, ["--keep", evil]).summary
                #expect(summary.columns.contains(evil))
                let opened = try SurveyStore(path: url)
                #expect(try opened.waves().map(\.name) == [wave])
                let column = try #require(try opened.read(wave: wave).metadata(named: evil))
                #expect((0..<3).map { column[$0] } == ["a", "b", "a"])
                let byEvil = try IndexCommand.parse([url, "--wave", wave, "--by", evil, "--format", "json"]).render()
                #expect(byEvil.contains("\"a\"") && byEvil.contains("\"b\""))
                let tables = try admin.tableNames().sorted()
                #expect(tables == ["instruments", "sipas_schema", "wave_1", "wave_1_cells", "wave_columns", "waves"])
                try opened.drop(wave: wave)
                #expect(try admin.tableNames().sorted() == ["instruments", "sipas_schema", "wave_columns", "waves"])
            }
        }
    }

    @Test("A failing import leaves the server's store as it was; re-import needs --replace", Self.needsServer)
    func transactions() throws {
        try Self.withDatabase { url, admin, _, _ in
            try withTemporaryFolder { folder in
                let header = "respondent_id,q01,q02,q03" + StoreTests.restHeader + "\n", cells = StoreTests.restCells + "\n"
                let good = try folder.file("good.csv", header + "1,5,4,3" + cells + "2,4,4,4" + cells)
                _ = try StoreTests.importWave(url, good, wave: "2024")
                let again = #expect(throws: StoreError.self) { try StoreTests.importWave(url, good, wave: "2024") }
                #expect(again?.text(.en).contains("--replace") == true)
                // A column PostgreSQL cannot name fails inside the transaction: nothing of the new wave stays.
                let long = String(repeating: "cột_dài", count: 8)
                let bad = try folder.file("bad.csv", "respondent_id,\(long),q01,q02,q03" + StoreTests.restHeader + "\n1,a,5,4,3" + cells)
                let error = #expect(throws: StoreError.self) { try StoreTests.importWave(url, bad, wave: "2025", ["--keep", long]) }
                #expect(error?.text(.en).contains("63 bytes") == true)
                #expect(try SurveyStore(path: url).waves().map(\.name) == ["2024"])
                #expect(try admin.tableNames().filter { $0.hasPrefix("wave_") && $0 != "wave_columns" }.sorted() == ["wave_1", "wave_1_cells"])
                let replaced = try StoreTests.importWave(url, good, wave: "2024", ["--replace"]).summary
                #expect(replaced.replaced)
            }
        }
    }

    @Test("Bad servers, passwords, databases, waves and schemas: one sentence each, never a hang, never the password", Self.needsServer)
    func badConnections() throws {
        try Self.withDatabase { url, admin, server, name in
            let secret = "Wr0ng-S3cret-\(UUID().uuidString.prefix(6))"
            func failure(_ store: String, _ arguments: [String] = []) -> StoreError? {
                #expect(throws: StoreError.self) { try IndexCommand.parse([store, "--wave", "2024"] + arguments).render() }
            }
            func check(_ error: StoreError?, _ words: String, _ viWords: String) {
                let en = error?.text(.en) ?? "", vi = error?.text(.vi) ?? ""
                #expect(en.contains(words), "\(en)")
                #expect(vi.contains(viWords), "\(vi)")
                #expect(!en.contains(secret) && !vi.contains(secret) && !en.contains(server.password), "a password in: \(en)")
                #expect(!en.contains("\n"))
            }
            // A port where nothing listens.
            let started = Date()
            check(failure("postgres://sipas_admin:\(secret)@127.0.0.1:1/\(name)"), "connection refused", "kết nối bị từ chối")
            // The wrong password, from the URL.
            check(failure(Self.url(server.components, password: secret, database: name)), "refused the password of user sipas_admin",
                  "từ chối mật khẩu")
            // No password at all.
            let none = Self.url(server.components, password: nil, database: name)
            let noPassword = failure(none)
            #expect(noPassword?.text(.en).contains("PGPASSWORD") == true, "\(noPassword?.text(.en) ?? "")")
            // A database the server does not have.
            check(failure(Self.url(server.components, password: server.password, database: "no_such_db")), "no database 'no_such_db'",
                  "không có cơ sở dữ liệu 'no_such_db'")
            // A URL parameter sipas does not read; a bad sslmode; a port out of range.
            check(failure(url + "?sslmod=require"), "unknown URL parameter 'sslmod'", "sslmod")
            check(failure(url + "?sslmode=always"), "sslmode must be", "sslmode phải là")
            check(failure("postgres://u@127.0.0.1:70000/x"), "port", "cổng")
            // TLS asked for from a server without it.
            check(failure(url + "?sslmode=require"), "does not offer TLS", "không hỗ trợ TLS")
            #expect(Date().timeIntervalSince(started) < 20, "the failures took too long")
            // An address that never answers (or is unreachable): an answer within the timeout, not a hang.
            let blackHole = Date()
            let silent = failure("postgres://u:\(secret)@10.255.255.1:5432/x?connect_timeout=2")
            #expect(silent != nil)
            #expect(Date().timeIntervalSince(blackHole) < 10)
            #expect(silent?.text(.en).contains(secret) == false)
            // A database with no store, a missing wave, a store of a newer schema.
            check(failure(url), "holds no sipas store yet", "chưa có kho sipas")
            try withTemporaryFolder { folder in
                let header = "respondent_id,q01,q02,q03" + StoreTests.restHeader + "\n", cells = StoreTests.restCells + "\n"
                let good = try folder.file("good.csv", header + "1,5,4,3" + cells + "2,4,4,4" + cells)
                _ = try StoreTests.importWave(url, good, wave: "2023")
            }
            check(failure(url), "no wave '2024' (waves: 2023)", "không có đợt '2024'")
            try admin.run("INSERT INTO sipas_schema (version, applied_at, description) VALUES (99, 'later', 'from the future')")
            check(failure(url), "newer sipas (schema version 99", "mới hơn")
        }
    }

    @Test("Analysts read through a role that cannot write (the GRANTs of docs/store.md)", Self.needsServer)
    func readOnlyRole() throws {
        try Self.withDatabase { url, admin, server, name in
            _ = try StoreTests.importWave(url, Self.dataset, wave: "2024", Self.design + ["--by", "unit_id"])
            let reader = "reader_\(name.suffix(6))"
            let password = "read-\(UUID().uuidString.prefix(8))"
            // As docs/store.md gives them.
            try admin.execute("""
                CREATE ROLE \(reader) LOGIN PASSWORD '\(password)';
                GRANT CONNECT ON DATABASE \(name) TO \(reader);
                GRANT USAGE ON SCHEMA public TO \(reader);
                GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(reader);
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO \(reader);
                """)
            defer { try? admin.execute("DROP OWNED BY \(reader);\nDROP ROLE IF EXISTS \(reader);") }
            let readerURL = Self.url(server.components, user: reader, password: password, database: name)
            let asReader = try IndexCommand.parse([readerURL, "--wave", "2024", "--format", "json"]).render()
            let asOwner = try IndexCommand.parse([url, "--wave", "2024", "--format", "json"]).render()
            #expect(asReader.replacingOccurrences(of: StoreLocation.redacted(readerURL), with: "S")
                    == asOwner.replacingOccurrences(of: StoreLocation.redacted(url), with: "S"))
            let error = #expect(throws: StoreError.self) { try StoreTests.importWave(readerURL, Self.dataset, wave: "2025") }
            #expect(error?.text(.en).contains("may only read this store") == true, "\(error?.text(.en) ?? "")")
            #expect(error?.text(.en).contains(password) == false)
            let drop = #expect(throws: StoreError.self) { try SurveyStore(path: readerURL).drop(wave: "2024") }
            #expect(drop?.text(.en).contains("may only read") == true)
            #expect(try SurveyStore(path: url).waves().map(\.name) == ["2024"])
        }
    }

    @Test("The password comes from PGPASSWORD or ~/.pgpass as libpq reads them, and never appears in output", Self.needsServer)
    func passwordSources() throws {
        let binary = LocalizedErrorTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build sipas first (swift build)")
        try Self.withDatabase { url, _, server, name in
            try withTemporaryFolder { folder in
                let bare = Self.url(server.components, password: nil, database: name)
                let imported = try ChildProcess.run(binary, ["store", "import", bare, Self.dataset, "--wave", "2024", "-i", "khanhhoa-admin"],
                                                    environment: ["PGPASSWORD": server.password, "HOME": folder.path], timeout: 120)
                #expect(imported.status == 0, "\(imported.errorText)")
                #expect(!imported.outputText.contains(server.password) && !imported.errorText.contains(server.password))
                // ~/.pgpass: used when private to its owner, ignored (and said so) when others may read it.
                let pgpass = folder.path(".pgpass")
                let line = "# sipas test\n\(server.components.host ?? "127.0.0.1"):\(server.components.port ?? 5432):*:sipas_admin:\(server.password.replacingOccurrences(of: ":", with: "\\:"))\n"
                try line.write(toFile: pgpass, atomically: true, encoding: .utf8)
                chmod(pgpass, 0o600)
                let listed = try ChildProcess.run(binary, ["store", "list", bare], environment: ["HOME": folder.path, "PGPASSWORD": ""], timeout: 60)
                #expect(listed.status == 0, "\(listed.errorText)")
                #expect(listed.outputText.contains("2024"))
                #expect(!listed.outputText.contains(server.password))
                chmod(pgpass, 0o644)
                let open = try ChildProcess.run(binary, ["store", "list", bare, "--lang", "en"], environment: ["HOME": folder.path, "PGPASSWORD": ""], timeout: 60)
                #expect(open.status == 1)
                #expect(open.errorText.contains("was ignored because others may read it"), "\(open.errorText)")
                // A wrong password in the URL: the message names the user, never the password.
                let wrong = "Zz9-wrong-\(name.suffix(4))"
                let refused = try ChildProcess.run(binary, ["index", Self.url(server.components, password: wrong, database: name), "--wave", "2024"],
                                                   environment: ["HOME": folder.path], timeout: 60)
                #expect(refused.status == 1)
                #expect(refused.errorText.contains("sipas_admin"))
                #expect(!refused.errorText.contains(wrong) && !refused.outputText.contains(wrong), "\(refused.errorText)")
            }
        }
    }

    @Test("A postgres:// URL is read as libpq reads it; the password file's rules; the password is never shown")
    func locations() throws {
        let environment = ["PGUSER": "envuser", "PGHOST": "envhost", "PGPORT": "6543", "PGDATABASE": "envdb", "HOME": "/nonexistent"]
        guard case .server(let full) = try StoreLocation.parse("postgresql://ana:s%40cret@db.local:5433/sipas?sslmode=require&connect_timeout=3",
                                                               environment: environment) else { Issue.record("not a server"); return }
        #expect(full.user == "ana" && full.host == "db.local" && full.port == 5433 && full.database == "sipas")
        #expect(full.password == "s@cret" && full.sslMode == "require" && full.connectTimeout == 3)
        #expect(full.display == "postgresql://ana@db.local:5433/sipas?sslmode=require&connect_timeout=3")
        guard case .server(let bare) = try StoreLocation.parse("postgres://", environment: environment) else { Issue.record("not a server"); return }
        #expect(bare.user == "envuser" && bare.host == "envhost" && bare.port == 6543 && bare.database == "envdb")
        #expect(bare.password == nil && bare.sslMode == "prefer" && bare.connectTimeout == 10)
        guard case .server(let fromEnvironment) = try StoreLocation.parse("postgres://u@h/d", environment: ["PGPASSWORD": "pw"]) else {
            Issue.record("not a server"); return
        }
        #expect(fromEnvironment.password == "pw" && fromEnvironment.passwordSource == "PGPASSWORD" && fromEnvironment.database == "d")
        #expect(try StoreLocation.parse("survey.db") == .file("survey.db"))
        #expect(StoreLocation.redacted("open postgres://u:p@ss@h/d --wave 1") == "open postgres://u@h/d --wave 1")
        #expect(StoreLocation.redacted("postgres://u@h/d") == "postgres://u@h/d")
        for bad in ["postgres://u@h:0/d", "postgres://u@h/d?sslmode=maybe", "postgres://u@h/d?connect_timeout=-1", "postgres://u@h/d?host=x"] {
            #expect(throws: StoreError.self, "\(bad)") { try StoreLocation.parse(bad, environment: [:]) }
        }
        try withTemporaryFolder { folder in
            let file = folder.path("pgpass")
            try "# comment\nother:5432:*:ana:nope\ndb.local:5433:sipas:ana:pa\\:ss\\\\word\n*:*:*:*:fallback\n".write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
            #expect(StoreLocation.passwordFromFile(file, host: "db.local", port: 5433, database: "sipas", user: "ana") == .password("pa:ss\\word"))
            #expect(StoreLocation.passwordFromFile(file, host: "x", port: 1, database: "y", user: "z") == .password("fallback"))
            chmod(file, 0o640)
            #expect(StoreLocation.passwordFromFile(file, host: "db.local", port: 5433, database: "sipas", user: "ana") == .tooOpen)
            guard case .server(let ignored) = try StoreLocation.parse("postgres://ana@db.local:5433/sipas", environment: ["PGPASSFILE": file]) else {
                Issue.record("not a server"); return
            }
            #expect(ignored.password == nil && ignored.ignoredPasswordFile == file)
        }
    }

    @Test("Odd store URLs end with a message and status 1, never a signal or a hang")
    func oddURLs() throws {
        let binary = LocalizedErrorTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build sipas first (swift build)")
        let urls = ["postgres://", "postgres://:@", "postgres://u@[::1", "postgres://u@h:99999999999/d", "postgresql://%zz@h/d",
                    "postgres://u@h/d?sslmode=", "postgres://u@h/d?connect_timeout=nan", "postgres://u@h/d?connect_timeout=1e300",
                    "postgres://u@127.0.0.1:1/d?connect_timeout=1", "POSTGRES://u:pw@127.0.0.1:1/%00", "postgres://u@127.0.0.1:1/d?sslmode=verify-full&sslrootcert=/nonexistent"]
        for url in urls {
            for command in [["index", url, "--wave", "2024"], ["store", "list", url], ["trend", url]] {
                let result = try ChildProcess.run(binary, command, environment: ["PGHOST": "127.0.0.1", "PGPORT": "1"], timeout: 30)
                #expect(!result.timedOut, "\(command) hung")
                #expect(result.status == 1, "\(command) ended with \(result.status): \(result.errorText.prefix(300))")
                #expect(!result.errorText.contains(":pw@"), "\(command): the password is shown")
            }
        }
    }
}
