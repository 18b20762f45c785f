import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument

/// An archive of survey waves, in one SQLite file or in a PostgreSQL database: each wave's answers (as codes), the
/// instrument it was collected with, its design, the columns left out and what the import reported.
///
/// A wave read back gives exactly the table its file gave (the same codes, missing codes, invalid cells and
/// empty lines, in the same order), so every analysis of a stored wave equals the analysis of the file.
/// Schema: `StoreSchema`, docs/store.md.
public final class SurveyStore {
    /// The store as the user named it (a path, or a URL without its password).
    public let name: String
    public let location: StoreLocation
    let database: any StoreDatabase

    /// The engine the store lives in.
    public var engine: StoreEngine { database.engine }

    /// Whether `path` names a store: a `postgres://` URL, or a file that is an SQLite database (its first 16 bytes
    /// are "SQLite format 3\0").
    public static func isStore(path: String) -> Bool {
        if StoreLocation.isServer(path) { return true }
        guard kind(of: path) == .regular, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        return head == Data("SQLite format 3\u{0}".utf8)
    }

    /// Opens the store at `path` (a file, or a `postgres://` URL: `StoreLocation`); with `create`, makes it when it
    /// does not exist (on a server: its tables, in a database that exists). Upgrades an older schema; refuses a
    /// store written by a newer sipas and a database that is not a store.
    public init(path: String, create: Bool = false) throws {
        location = try StoreLocation.parse(path)
        name = location.display
        if case .server(let address) = location {
            database = try PostgresDatabase(address)
            try migrate(create: create)
            return
        }
        let kind = Self.kind(of: path)
        if kind == .folder || kind == .special {
            throw StoreError(store: path, en: kind == .folder ? "this is a folder, not a store file" : "this is not a regular file (a device, pipe or socket)",
                             vi: kind == .folder ? "đây là thư mục, không phải tệp kho" : "đây không phải tệp thông thường (thiết bị, ống hay socket)")
        }
        let exists = kind == .regular
        if !exists && !create {
            throw StoreError(store: path, en: "no such store (create one with: sipas store import \(path) DATA --wave W -i INSTRUMENT)",
                             vi: "không có kho này (tạo kho bằng: sipas store import \(path) TỆP --wave ĐỢT -i BỘ_CÂU_HỎI)")
        }
        if exists && !Self.isStore(path: path) && Self.fileSize(path) > 0 {
            throw StoreError(store: path, en: "this file is not a sipas store (an SQLite database)",
                             vi: "tệp này không phải kho dữ liệu sipas (cơ sở dữ liệu SQLite)")
        }
        database = try SQLiteDatabase(path: path, create: create)
        try migrate(create: true)
    }

    enum Kind { case missing, regular, folder, special }

    /// What is at `path` (a symbolic link counts as what it points to); never opens it, so a pipe cannot block.
    static func kind(of path: String) -> Kind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .folder
        default: return .special
        }
    }

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    private func migrate(create: Bool) throws {
        let tables = try database.tableNames()
        if !tables.contains("sipas_schema") {
            // A server's database may hold other tables; a file must be empty. Neither may hold tables named as
            // the store's.
            let clash = tables.first { ["waves", "instruments", "wave_columns"].contains($0) }
            if (database.engine == .sqlite && !tables.isEmpty) || clash != nil {
                throw StoreError(store: name, en: "this database is not a sipas store (it has no sipas_schema table)",
                                 vi: "cơ sở dữ liệu này không phải kho sipas (không có bảng sipas_schema)")
            }
            if !create {
                throw StoreError(store: name, en: "this database holds no sipas store yet (create one with: sipas store import \(name) DATA --wave W -i INSTRUMENT)",
                                 vi: "cơ sở dữ liệu này chưa có kho sipas (tạo bằng: sipas store import \(name) TỆP --wave ĐỢT -i BỘ_CÂU_HỎI)")
            }
        }
        // Only when missing: a role that may only read must be able to open the store.
        if !tables.contains("sipas_schema") { try database.execute("""
            CREATE TABLE sipas_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL)
            """) }
        let applied = try database.rows("SELECT MAX(version) FROM sipas_schema").first?.first?.integer ?? 0
        if applied > StoreSchema.version {
            throw StoreError(
                store: name,
                en: "the store was written by a newer sipas (schema version \(applied); this sipas reads up to \(StoreSchema.version)): update sipas",
                vi: "kho được ghi bằng phiên bản sipas mới hơn (lược đồ \(applied); bản này đọc tới \(StoreSchema.version)): hãy cập nhật sipas")
        }
        for migration in StoreSchema.migrations where migration.version > applied {
            try database.transaction {
                try database.execute(StoreSchema.sql(migration.sql, for: database))
                try database.run("INSERT INTO sipas_schema (version, applied_at, description) VALUES (?, ?, ?)",
                                 [.integer(Int64(migration.version)), .text(Self.now()), .text(migration.description)])
            }
        }
    }

    /// The schema version of the store.
    public var schemaVersion: Int {
        get throws { Int(try database.rows("SELECT MAX(version) FROM sipas_schema").first?.first?.integer ?? 0) }
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    // MARK: Waves

    /// One wave as `sipas store list` shows it.
    public struct WaveSummary: Equatable, Sendable {
        public var name: String
        public var rows: Int
        public var instrument: String
        public var columns: Int
        public var source: String
        public var importedAt: String
        public var design: DesignSpecification
    }

    /// The waves, in the order they were imported.
    public func waves() throws -> [WaveSummary] {
        try database.rows("""
            SELECT w.name, w.row_count, i.name, (SELECT COUNT(*) FROM wave_columns c WHERE c.wave_id = w.id), w.source,
                   w.imported_at, w.design
            FROM waves w JOIN instruments i ON i.id = w.instrument_id ORDER BY w.id
            """).map { row in
            WaveSummary(name: row[0].text ?? "", rows: Int(row[1].integer ?? 0), instrument: row[2].text ?? "",
                        columns: Int(row[3].integer ?? 0), source: row[4].text ?? "", importedAt: row[5].text ?? "",
                        design: try Self.design(json: row[6].text ?? "{}", store: name))
        }
    }

    /// What the store keeps about one wave, besides its rows.
    public struct StoredWave: Sendable {
        public var name: String
        public var instrumentName: String
        /// The instrument's text (YAML/JSON) as imported.
        public var instrumentText: String
        public var design: DesignSpecification
        public var idColumn: String
        public var columnMap: [String: String]
        public var leftOut: [String]
        public var notes: [String]
        /// The fieldwork counts stored with the wave (issued, returned, valid, rechecked, recheck_confirmed, …).
        public var fieldwork: [String: Int]?
        var id: Int64
        var decimal: String
        /// The stored columns, in file order.
        public var columns: [String]
        /// The same, each with whether it holds an item's answers.
        var rowsColumns: [RowsTableColumn]

        /// The instrument the wave was collected with.
        public func instrument(store: String) throws -> Instrument {
            try Instrument.parse(instrumentText, file: "\(store)#\(name)")
        }
    }

    /// The wave named `wave`, or an error listing the store's waves.
    public func wave(_ wave: String) throws -> StoredWave {
        let rows = try database.rows("""
            SELECT w.id, i.name, i.text, w.design, w.id_column, w.column_map, w.left_out, w.notes, w.decimal_mark, w.fieldwork
            FROM waves w JOIN instruments i ON i.id = w.instrument_id WHERE w.name = ?
            """, [.text(wave)])
        guard let row = rows.first, let id = row[0].integer else {
            let names = try waves().map(\.name)
            let list = names.isEmpty ? "" : names.joined(separator: ", ")
            throw StoreError(store: name,
                             en: "no wave '\(wave)' " + (names.isEmpty ? "(the store has no wave yet)" : "(waves: \(list))"),
                             vi: "không có đợt '\(wave)' " + (names.isEmpty ? "(kho chưa có đợt nào)" : "(các đợt: \(list))"))
        }
        let columns = try database.rows("SELECT name, role FROM wave_columns WHERE wave_id = ? ORDER BY position", [.integer(id)])
            .map { RowsTableColumn(name: $0[0].text ?? "", isItem: $0[1].text == "item") }
        return StoredWave(name: wave, instrumentName: row[1].text ?? "", instrumentText: row[2].text ?? "",
                          design: try Self.design(json: row[3].text ?? "{}", store: name), idColumn: row[4].text ?? "",
                          columnMap: (Self.decode(row[5].text) as? [String: String]) ?? [:],
                          leftOut: (Self.decode(row[6].text) as? [String]) ?? [],
                          notes: (Self.decode(row[7].text) as? [String]) ?? [],
                          fieldwork: (Self.decode(row[9].text) as? [String: Any])?.compactMapValues { ($0 as? NSNumber)?.intValue },
                          id: id, decimal: row[8].text ?? "auto", columns: columns.map(\.name), rowsColumns: columns)
    }

    /// Removes a wave and its rows (an instrument no other wave uses goes with it).
    public func drop(wave name: String) throws {
        let stored = try wave(name)
        try database.transaction { try remove(stored) }
    }

    func remove(_ stored: StoredWave) throws {
        try database.dropRowsTable(Self.rowsTable(stored.id))
        try database.run("DELETE FROM waves WHERE id = ?", [.integer(stored.id)])
        try database.run("DELETE FROM instruments WHERE id NOT IN (SELECT instrument_id FROM waves)")
    }

    /// The table holding a wave's rows: named by the wave's number, never by a name a user gave.
    static func rowsTable(_ id: Int64) -> String { "wave_\(id)" }

    // MARK: Encoding

    static func encode(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String?) -> Any? {
        guard let text, let data = text.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    static func json(_ design: DesignSpecification) -> String {
        var object: [String: Any] = ["cluster": design.clusters, "fpc": design.fpc, "lonely_psu": design.lonelyPSU.rawValue]
        if let strata = design.strata { object["strata"] = strata }
        if let weight = design.weight { object["weight"] = weight }
        return encode(object)
    }

    static func design(json: String, store: String) throws -> DesignSpecification {
        guard let object = decode(json) as? [String: Any] else {
            throw StoreError(store: store, en: "a wave's design record is damaged", vi: "bản ghi thiết kế mẫu của một đợt bị hỏng")
        }
        var design = DesignSpecification()
        design.strata = object["strata"] as? String
        design.clusters = object["cluster"] as? [String] ?? []
        design.weight = object["weight"] as? String
        design.fpc = object["fpc"] as? [String] ?? []
        if let policy = (object["lonely_psu"] as? String).flatMap(LonelyPSUPolicy.init(rawValue:)) { design.lonelyPSU = policy }
        return design
    }
}
