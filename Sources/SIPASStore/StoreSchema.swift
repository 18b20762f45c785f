/// The store's tables, created and upgraded by numbered migrations (`sipas_schema` records each one applied).
///
/// - `sipas_schema(version, applied_at, description)`: the migrations applied.
/// - `instruments(id, name, text, stored_at)`: each questionnaire by content (its YAML/JSON text), stored once;
///   a wave keeps the instrument it was collected with, so a later version of the questionnaire is a new row.
/// - `waves(id, name, instrument_id, source, imported_at, row_count, id_column, decimal_mark, column_map,
///   design, left_out, notes)`: one row per survey wave; `design` is JSON (strata, cluster, weight, fpc,
///   lonely_psu), `column_map` JSON (item → column), `left_out` the file's columns not stored, `notes` what
///   the import reported, `fieldwork` (schema 2) JSON counts of the fieldwork (issued, returned, valid,
///   rechecked, recheck_confirmed, recheck_unreachable, recheck_refused) or NULL.
/// - `wave_columns(wave_id, position, name, role)`: the stored columns of a wave in file order, each with its
///   role (`item`, `id`, `design`, `kept`).
/// - `wave_<id>(sipas_row, sipas_empty_line, <columns>)`: the wave's respondents, one row per data row of the
///   file in file order. An answer the instrument reads as valid is stored as its code (an integer: 1–5, or a
///   nominal item's category code); any other cell (a missing code, a missing label, an invalid entry, a
///   multi-select answer) keeps its text, and a blank cell is NULL.
///
/// Documented for other tools in docs/store.md.
enum StoreSchema {
    /// The newest schema this build knows.
    static var version: Int { migrations.last!.version }

    /// A migration's SQL for `database`'s engine: `{key}` becomes the engine's integer primary key, `{int}` its
    /// integer type for references, `{unique}` a UNIQUE constraint where the engine can index the column (PostgreSQL
    /// indexes the instrument's text by its MD5 instead: a questionnaire may be longer than a B-tree entry).
    static func sql(_ text: String, for database: any StoreDatabase) -> String {
        var sql = text.replacingOccurrences(of: "{key}", with: database.keyDefinition)
            .replacingOccurrences(of: "{int}", with: database.integerType)
            .replacingOccurrences(of: "{unique}", with: database.engine == .sqlite ? " UNIQUE" : "")
        if database.engine == .postgres, text.contains("CREATE TABLE instruments") {
            sql += "\nCREATE UNIQUE INDEX instruments_text ON instruments (md5(text));"
        }
        return sql
    }

    static let migrations: [(version: Int, description: String, sql: String)] = [
        (1, "instruments, waves, wave columns", """
            CREATE TABLE instruments (
                id {key},
                name TEXT NOT NULL,
                text TEXT NOT NULL{unique},
                stored_at TEXT NOT NULL
            );
            CREATE TABLE waves (
                id {key},
                name TEXT NOT NULL UNIQUE,
                instrument_id {int} NOT NULL REFERENCES instruments(id),
                source TEXT NOT NULL,
                imported_at TEXT NOT NULL,
                row_count {int} NOT NULL,
                id_column TEXT NOT NULL,
                decimal_mark TEXT NOT NULL,
                column_map TEXT NOT NULL,
                design TEXT NOT NULL,
                left_out TEXT NOT NULL,
                notes TEXT NOT NULL
            );
            CREATE TABLE wave_columns (
                wave_id {int} NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                PRIMARY KEY (wave_id, position)
            );
            """),
        (2, "fieldwork counts per wave", """
            ALTER TABLE waves ADD COLUMN fieldwork TEXT;
            """),
    ]
}
