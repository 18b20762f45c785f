import Foundation
import Testing
@testable import SIPASCommandLine
import SIPASData
import SIPASInstrument
import SIPASReport
@testable import SIPASStore

/// The survey archive (`sipas store`): a stored wave gives exactly its file's results, keeps out the columns
/// nobody asked for, cannot be turned into SQL by a column name, and every bad store is one clear sentence.
@Suite("Survey store")
struct StoreTests {
    static let dataset = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path
    static let design = ["--strata", "stratum", "--cluster", "cluster", "--weight", "weight"]

    /// A command's JSON with the data's name (a file path or "store#wave") replaced, so two runs compare whole.
    static func json(_ document: () throws -> String, sources: [String]) rethrows -> String {
        var text = try document()
        for source in sources { text = text.replacingOccurrences(of: source, with: "SOURCE") }
        return text
    }

    /// The criteria the admin instrument needs after the given ones (q04 … q16), as header names or a row's cells.
    static let restHeader = (4...16).map { String(format: ",q%02d", $0) }.joined()
    static let restCells = String(repeating: ",4", count: 13)

    static func importWave(_ store: String, _ file: String, wave: String, _ extra: [String] = []) throws -> StoreImportReport {
        try StoreImportCommand.parse([store, file, "--wave", wave, "-i", "khanhhoa-admin"] + extra).summary()
    }

    @Test("A stored wave gives the file's indices and standard errors exactly, by unit and with the design")
    func indexEqualsFile() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            let report = try Self.importWave(store, Self.dataset, wave: "2024", Self.design + ["--by", "unit_id"])
            #expect(report.summary.rows == 2640)
            #expect(report.summary.invalidCells == 28)
            for arguments in [["--by", "unit_id"], ["--by", "unit_id", "--ci", "t"], ["--by", "gender"]] {
                let fromStore = try Self.json({ try IndexCommand.parse([store, "--wave", "2024", "--format", "json"] + arguments).render() },
                                              sources: [store + "#2024"])
                let fromFile = try Self.json({ try IndexCommand.parse([Self.dataset, "-i", "khanhhoa-admin", "--format", "json"]
                                                                          + Self.design + arguments).render() }, sources: [Self.dataset])
                #expect(fromStore.contains("\"se\""))
                #expect(fromStore == fromFile, "index \(arguments) differs between the stored wave and the file")
            }
            // The design is the stored wave's default; a flag given overrides that field only.
            let unweighted = try IndexCommand.parse([store, "--wave", "2024", "--format", "json", "--weight", "weight",
                                                     "--strata", "stratum", "--cluster", "cluster"]).render()
            let defaulted = try IndexCommand.parse([store, "--wave", "2024", "--format", "json"]).render()
            #expect(unweighted == defaulted)
            let overridden = try IndexCommand.parse([store, "--wave", "2024", "--format", "json", "--strata", "unit_id"]).render()
            #expect(overridden != defaulted)
        }
    }

    @Test("The read-back table has the file's codes, missing codes, invalid cells and row count")
    func tableEqualsFile() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            let csv = """
                respondent_id,unit_id,q01,q02,q03,full_name,phone\(Self.restHeader)
                1,U1,5,4,Hài lòng,Nguyễn Văn An,0912345678\(Self.restCells)
                2,U1,9,,x,Trần Thị Bình,0987654321\(Self.restCells)

                3,U2,"4",2,1,Lê Văn Cường,0901234567\(Self.restCells)
                """
            let file = try folder.file("wave.csv", csv)
            let summary = try Self.importWave(store, file, wave: "w1", ["--by", "unit_id"]).summary
            #expect(summary.leftOut == ["full_name", "phone"])
            let instrument = try Instrument.resolve("khanhhoa-admin")
            let original = try DataFile.read(path: file, instrument: instrument)
            let stored = try SurveyStore(path: store).read(wave: "w1")
            #expect(stored.rowCount == original.rowCount)
            #expect(stored.emptyLineRows == original.emptyLineRows)
            #expect(stored.invalidCellCount == original.invalidCellCount)
            for (a, b) in zip(stored.items, original.items) {
                #expect(a.values == b.values, "\(a.item.id)")
                #expect(a.blankCount == b.blankCount && a.missingCodeCounts == b.missingCodeCounts && a.invalidCount == b.invalidCount)
            }
            // Valid answers are stored as integer codes (an answer label too), other cells as their text.
            let database = try SurveyStore(path: store).database
            let rows = try database.rows("SELECT typeof(q01), q01, typeof(q03), q03 FROM wave_1 ORDER BY sipas_row")
            #expect(rows[0] == [.text("integer"), .integer(5), .text("integer"), .integer(4)])
            #expect(rows[1] == [.text("text"), .text("9"), .text("text"), .text("x")])
            // Names and phone numbers never reach the store file.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: store))
            for secret in ["0912345678", "0987654321", "Nguyễn Văn An", "Lê Văn Cường"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is in the store file")
            }
            // A left-out column asked for later is named, with how to keep it.
            let error = #expect(throws: DataError.self) {
                try IndexCommand.parse([store, "--wave", "w1", "--by", "phone"]).render()
            }
            #expect(error?.text(.vi).contains("--keep phone") == true)
        }
    }

    @Test("compare across stored waves equals compare --previous on the files; the report and the trend agree")
    func compareAcrossWaves() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            let earlier = folder.path("2023.csv")
            _ = try GenerateCommand.parse(["--seed", "2023", "--year", "2023", "--output", earlier]).run()
            _ = try Self.importWave(store, Self.dataset, wave: "2024", Self.design + ["--by", "unit_id"])
            _ = try Self.importWave(store, earlier, wave: "2023", Self.design + ["--by", "unit_id"])
            let fromStore = try Self.json({
                try CompareCommand.parse([store, "--wave", "2024", "--previous-wave", "2023", "--by", "unit_id", "--format", "json"]).render()
            }, sources: [store + "#2024"])
            let fromFiles = try Self.json({
                try CompareCommand.parse([Self.dataset, "-i", "khanhhoa-admin", "--previous", earlier, "--by", "unit_id", "--format", "json"]
                                         + Self.design).render()
            }, sources: [Self.dataset])
            #expect(fromStore.contains("vs_previous"))
            #expect(fromStore == fromFiles)
            // The report of stored waves is the report of the files (the data line names the store's wave).
            let reports = try [[store, "--wave", "2024", "--previous-wave", "2023"],
                               [Self.dataset, "-i", "khanhhoa-admin", "--previous", earlier] + Self.design].enumerated().map { index, data in
                let output = folder.path("report\(index).json")
                try ReportCommand.parse(data + ["--by", "unit_id", "--format", "json", "--output", output]).run()
                return try String(contentsOfFile: output, encoding: .utf8)
                    .replacingOccurrences(of: "survey.db#2024", with: "SOURCE").replacingOccurrences(of: "sipas-2024-synthetic.csv", with: "SOURCE")
            }
            #expect(reports[0].contains("2024"))
            #expect(reports[0] == reports[1])
            // The trend's change 2023 → 2024 is compare's province change, number for number; each wave's index is the file's.
            let trend = try #require(try JSONSerialization.jsonObject(with: Data(TrendCommand.parse(
                [store, "--waves", "2023,2024", "--index", "SIPAS,q01", "--format", "json"]).render().utf8)) as? [String: Any])
            let compare = try #require(try JSONSerialization.jsonObject(with: Data(CompareCommand.parse(
                [store, "--wave", "2024", "--previous-wave", "2023", "--by", "unit_id", "--format", "json"]).render().utf8)) as? [String: Any])
            let indices = try #require(trend["indices"] as? [[String: Any]])
            #expect(indices.map { $0["id"] as? String } == ["SIPAS", "q01"])
            let change = try #require((indices[0]["changes"] as? [[String: Any]])?.first)
            let provinceChange = try #require((compare["vs_previous"] as? [[String: Any]])?.first { $0["subject"] as? String == "province" })
            for key in ["difference", "se", "ci_lower", "ci_upper", "df", "p"] {
                #expect(change[key] as? Double == provinceChange[key] as? Double, "\(key)")
            }
            let fileIndex = try #require(try JSONSerialization.jsonObject(with: Data(IndexCommand.parse(
                [earlier, "-i", "khanhhoa-admin", "--format", "json"] + Self.design).render().utf8)) as? [String: Any])
            let fileSIPAS = try #require((fileIndex["indices"] as? [[String: Any]])?.first { $0["id"] as? String == "SIPAS" })
            let trendSIPAS2023 = try #require((indices[0]["waves"] as? [[String: Any]])?.first)
            #expect(trendSIPAS2023["estimate"] as? Double == fileSIPAS["estimate"] as? Double)
            #expect(trendSIPAS2023["se"] as? Double == fileSIPAS["se"] as? Double)
            let unknown = #expect(throws: DataError.self) { try TrendCommand.parse([store, "--index", "q99"]).render() }
            #expect(unknown?.text(.vi).contains("không có chỉ số 'q99'") == true)
            let waves = try SurveyStore(path: store).waves()
            #expect(waves.map(\.name) == ["2024", "2023"])
            #expect(waves[0].design.weight == "weight" && waves[0].design.clusters == ["cluster"])
        }
    }

    @Test("The report across stored waves: its last wave is the report's own figures, its last change Table 6's, as trend computes them")
    func reportAcrossWaves() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            for (year, seed) in [(2022, 2022), (2023, 2023)] {
                let file = folder.path("\(year).csv")
                _ = try GenerateCommand.parse(["--seed", String(seed), "--year", String(year), "--output", file]).run()
                _ = try Self.importWave(store, file, wave: String(year), Self.design + ["--by", "unit_id"])
            }
            _ = try Self.importWave(store, Self.dataset, wave: "2024", Self.design + ["--by", "unit_id"])
            let arguments = [store, "--wave", "2024", "--previous-wave", "2023", "--trend-waves", "2022,2023", "--by", "unit_id", "--replicates", "0"]
            let report = try ReportCommand.parse(arguments).makeReport()
            let waves = try #require(report.tables.first { $0.id == "bieu-6b" })
            let sipas = waves.rows.prefix(3)
            #expect(sipas.map { $0[1] } == [.text("2022"), .text("2023"), .text("2024")])
            #expect(sipas.first?[0] == .text("SIPAS"))
            // The last wave is the report's province figure, the one before the previous year's (Table 6).
            let change = try #require(report.tables.first { $0.id == "bieu-6" })
            let province = try #require(change.rows.first { $0[0] == .text("Toàn tỉnh") })
            #expect(sipas.last?[3] == province[2])
            #expect(sipas[sipas.startIndex + 1][3] == province[1])
            // Its change and adjusted p are Table 6's.
            guard case .number(let difference?, _) = sipas.last?[5], case .pValue(let p?) = sipas.last?[7],
                  case .number(let tableDifference?, _) = province[3], case .pValue(let tableP?) = province[5] else {
                Issue.record("no change in Biểu 6b or 6"); return
            }
            #expect(abs(difference - tableDifference) < 1e-12 && abs(p - tableP) < 1e-12)
            // sipas trend on the same waves gives the same numbers.
            let trend = try JSONSerialization.jsonObject(with: Data(try TrendCommand.parse([store, "--waves", "2022,2023,2024", "--format", "json"]).render().utf8)) as? [String: Any]
            let rows = try #require(trend?["indices"] as? [[String: Any]])
            let sipasTrend = try #require(rows.first { $0["id"] as? String == "SIPAS" })
            let changes = try #require(sipasTrend["changes"] as? [[String: Any]])
            #expect(changes.count == 2)
            #expect(abs((changes[1]["difference"] as? Double ?? .nan) - difference) < 1e-12)
            #expect(abs((changes[1]["p_adjusted"] as? Double ?? .nan) - p) < 1e-12)
            let middle: ReportCell? = sipas[sipas.startIndex + 1][5]
            guard case .number(let first?, _) = middle else { Issue.record("no 2022→2023 change"); return }
            #expect(abs((changes[0]["difference"] as? Double ?? .nan) - first) < 1e-12)
            // The chart has one bar per wave; the finding names the first and last waves; no English in Vietnamese.
            let bars = report.charts.compactMap { chart -> [ChartBar]? in
                if case .intervals(let id, _, let bars, _, _) = chart, id == "waves-sipas" { return bars } else { return nil }
            }.first ?? []
            #expect(bars.map(\.label) == ["2022", "2023", "2024"])
            #expect(report.highlights.contains { $0.hasPrefix("Qua 3 đợt khảo sát") && $0.contains("(2022)") && $0.contains("(2024)") })
            #expect(ReportWordingTests.englishFound(in: report.markdown()) == [])
            #expect(report.html().contains("waves-sipas"))
            // The current wave is added last, not listed; a file is not a store.
            #expect(throws: (any Error).self) { try ReportCommand.parse([store, "--wave", "2024", "--trend-waves", "2023,2024", "--by", "unit_id"]).makeReport() }
            let notStore = #expect(throws: DataError.self) {
                try ReportCommand.parse([Self.dataset, "-i", "khanhhoa-admin", "--trend-waves", "2023", "--by", "unit_id"]).makeReport()
            }
            #expect(notStore?.text(.vi).contains("--trend-waves") == true)
        }
    }

    @Test("trend --by gives each unit's change as compare --previous-wave --by does: same difference, SE, df and adjusted p")
    func unitTrends() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            let earlier = folder.path("2023.csv")
            _ = try GenerateCommand.parse(["--seed", "2023", "--year", "2023", "--output", earlier]).run()
            _ = try Self.importWave(store, earlier, wave: "2023", Self.design + ["--by", "unit_id"])
            _ = try Self.importWave(store, Self.dataset, wave: "2024", Self.design + ["--by", "unit_id"])
            func object(_ text: String) throws -> [String: Any] {
                try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            }
            let compare = try object(try CompareCommand.parse([store, "--wave", "2024", "--previous-wave", "2023", "--by", "unit_id", "--format", "json"]).render())
            let trend = try object(try TrendCommand.parse([store, "--waves", "2023,2024", "--by", "unit_id", "--format", "json"]).render())
            let changes = try #require(compare["vs_previous"] as? [[String: Any]])
            let units = try #require(trend["units"] as? [[String: Any]])
            #expect(trend["group_column"] as? String == "unit_id")
            #expect(units.count == 32)
            var compared = 0
            for entry in changes {
                guard let unit = (entry["subject"] as? [String: Any])?["unit"] as? String else { continue }
                let row = try #require(units.first { $0["unit"] as? String == unit }, "\(unit) missing from trend --by")
                let change = try #require((row["changes"] as? [[String: Any]])?.first)
                for key in ["difference", "se", "df", "p", "p_adjusted", "ci_lower", "ci_upper"] {
                    #expect(change[key] as? Double == entry[key] as? Double, "\(unit) \(key)")
                }
                compared += 1
            }
            #expect(compared == 32)
            // The table shows each unit with both waves.
            let text = try TrendCommand.parse([store, "--waves", "2023,2024", "--by", "unit_id", "--lang", "en"]).render()
            #expect(text.contains("SIPAS of each unit (unit_id) across the waves"))
            #expect(text.contains("among the units of one pair of waves"))
        }
    }

    @Test("A workbook wave with its header in row 3 reads back as the workbook does")
    func workbookWave() throws {
        try withTemporaryFolder { folder in
            let r = Self.restCells
            let csv = "respondent_id,unit_id,weight,q01,q02,q03\(Self.restHeader)\n1,U1,1.5,5,4,3\(r)\n2,U1,2,4,4,9\(r)\n3,U2,1,3,,5\(r)\n4,U2,2.25,5,5,5\(r)\n"
            let workbook = folder.path("forms.xlsx")
            try HandMadeWorkbook(rows: sheetRows(csv: csv, headerRow: 3)).write(to: workbook)
            let store = folder.path("survey.db")
            _ = try Self.importWave(store, workbook, wave: "xl", ["--weight", "weight", "--by", "unit_id"])
            let fromStore = try Self.json({ try IndexCommand.parse([store, "--wave", "xl", "--by", "unit_id", "--format", "json"]).render() },
                                          sources: [store + "#xl"])
            let fromFile = try Self.json({
                try IndexCommand.parse([workbook, "-i", "khanhhoa-admin", "--weight", "weight", "--by", "unit_id", "--format", "json"]).render()
            }, sources: [workbook])
            #expect(fromStore.contains("\"U2\""))
            #expect(fromStore == fromFile)
        }
    }

    @Test("A column or wave name made of SQL is stored as a name and runs nothing")
    func injection() throws {
        try withTemporaryFolder { folder in
            let evil = "x\"); DROP TABLE waves; --"
            let csv = "respondent_id,\"\(evil.replacingOccurrences(of: "\"", with: "\"\""))\",q01,q02,q03\(Self.restHeader)\n1,a,5,4,3\(Self.restCells)\n2,b,4,3,4\(Self.restCells)\n3,a,3,5,5\(Self.restCells)\n"
            let file = try folder.file("evil.csv", csv)
            let store = folder.path("survey.db")
            let wave = "2024'; DROP TABLE instruments; --"
            let summary = try Self.importWave(store, file, wave: wave, ["--keep", evil]).summary
            #expect(summary.columns.contains(evil))
            let opened = try SurveyStore(path: store)
            #expect(try opened.waves().map(\.name) == [wave])
            let table = try opened.read(wave: wave)
            let column = try #require(table.metadata(named: evil))
            #expect((0..<table.rowCount).map { column[$0] } == ["a", "b", "a"])
            let byEvil = try IndexCommand.parse([store, "--wave", wave, "--by", evil, "--format", "json"]).render()
            #expect(byEvil.contains("\"a\"") && byEvil.contains("\"b\""))
            let tables = try opened.database.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap { $0.first?.text }
            #expect(tables == ["instruments", "sipas_schema", "wave_1", "wave_columns", "waves"])
        }
    }

    @Test("Re-importing is refused without --replace; a failing import leaves the store as it was")
    func replaceAndTransactions() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            let header = "respondent_id,q01,q02,q03" + Self.restHeader + "\n", cells = Self.restCells + "\n"
            let first = try folder.file("a.csv", header + "1,5,5,5" + cells + "2,4,4,4" + cells)
            let second = try folder.file("b.csv", header + "1,3,3,3" + cells + "2,3,3,3" + cells + "3,3,3,3" + cells)
            _ = try Self.importWave(store, first, wave: "w")
            let refused = #expect(throws: StoreError.self) { try Self.importWave(store, second, wave: "w") }
            #expect(refused?.text(.en).contains("--replace") == true)
            #expect(try SurveyStore(path: store).waves().map(\.rows) == [2])
            // A replacement whose file fails keeps the old wave.
            #expect(throws: DataError.self) { try Self.importWave(store, second, wave: "w", ["--replace", "--keep", "no_such_column"]) }
            #expect(try SurveyStore(path: store).waves().map(\.rows) == [2])
            let replaced = try Self.importWave(store, second, wave: "w", ["--replace"])
            #expect(replaced.summary.replaced)
            #expect(try SurveyStore(path: store).waves().map(\.rows) == [3])
            // A transaction that throws half-way rolls back what it wrote.
            let opened = try SurveyStore(path: store)
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try opened.database.transaction {
                    try opened.database.run("DELETE FROM wave_columns")
                    throw Stop()
                }
            }
            #expect(try opened.database.rows("SELECT COUNT(*) FROM wave_columns").first?.first == .integer(17))
            // Dropping the wave removes its rows and the instrument no wave uses any more.
            try opened.drop(wave: "w")
            #expect(try opened.waves().isEmpty)
            #expect(try opened.database.rows("SELECT COUNT(*) FROM instruments").first?.first == .integer(0))
            #expect(try opened.database.rows("SELECT name FROM sqlite_master WHERE name = 'wave_2'").isEmpty)
        }
    }

    @Test("An export reads back as the wave: same indices as the file")
    func export() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            _ = try Self.importWave(store, Self.dataset, wave: "2024", Self.design)
            let exported = folder.path("out/2024.csv")
            try StoreExportCommand.parse([store, "--wave", "2024", "--output", exported]).run()
            let fromExport = try Self.json({ try IndexCommand.parse([exported, "-i", "khanhhoa-admin", "--format", "json"] + Self.design).render() },
                                           sources: [exported])
            let fromFile = try Self.json({ try IndexCommand.parse([Self.dataset, "-i", "khanhhoa-admin", "--format", "json"] + Self.design).render() },
                                         sources: [Self.dataset])
            #expect(fromExport == fromFile)
        }
    }

    @Test("Bad stores and waves: one sentence each, never a hang")
    func badStores() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            _ = try Self.importWave(store, Self.dataset, wave: "2024")
            func message(_ body: () throws -> Void) -> String {
                do { try body(); return "" } catch let error as LocalizedFailure { return error.text(.en) } catch { return "\(error)" }
            }
            #expect(message { _ = try IndexCommand.parse([store, "--wave", "2023"]).render() }.contains("no wave '2023' (waves: 2024)"))
            #expect(message { _ = try IndexCommand.parse([store]).render() }.contains("this is a sipas store: name the wave with --wave (waves: 2024)"))
            #expect(message { _ = try StoreListCommand.parse([folder.path("none.db")]).render() }.contains("no such store"))
            #expect(message { _ = try StoreListCommand.parse([folder.path]).render() }.contains("is a folder"))
            let pipe = folder.path("pipe")
            #expect(mkfifo(pipe, 0o600) == 0)
            #expect(message { _ = try StoreListCommand.parse([pipe]).render() }.contains("not a regular file"))
            let text = try folder.file("notes.db", "hello\n")
            #expect(message { _ = try StoreListCommand.parse([text]).render() }.contains("not a sipas store"))
            // A store written by a newer sipas is refused, naming both schema versions.
            try SurveyStore(path: store).database.run("INSERT INTO sipas_schema VALUES (99, 'later', 'future')")
            #expect(message { _ = try StoreListCommand.parse([store]).render() }.contains("schema version 99; this sipas reads up to 2"))
        }
    }

    @Test("A session opens a stored wave: analyses take its instrument and design, filters and model commands read it")
    func sessionOpensWave() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            _ = try Self.importWave(store, Self.dataset, wave: "2024", Self.design + ["--by", "unit_id"])
            let session = REPLSession(workingDirectory: folder.path)
            let bare = session.execute("open survey.db")
            #expect(bare.failed && bare.output.contains("--wave") && bare.output.contains("2024"))
            let opened = session.execute("open survey.db --wave 2024 as y24")
            #expect(!opened.failed && opened.output.contains("2.640"))
            _ = session.execute("set format json")
            let index = session.execute("index --by unit_id")
            #expect(!index.failed)
            let file = try IndexCommand.parse([Self.dataset, "-i", "khanhhoa-admin", "--by", "unit_id", "--format", "json", "--lang", "vi"]
                                              + Self.design).render()
            #expect(index.output.replacingOccurrences(of: store + "#2024", with: "SOURCE")
                    == file.replacingOccurrences(of: Self.dataset, with: "SOURCE"))
            let filtered = session.execute("where unit_level = huyen")
            #expect(!filtered.failed && filtered.output.contains("1.137"))
            _ = session.execute("where clear")
            let regression = session.execute("regress --y overall --x q01,q02 --se design")
            #expect(!regression.failed && regression.output.contains("q02"))
            // The archive's own commands run in a session too, the store named relative to the session's folder.
            _ = session.execute("set format table")
            let list = session.execute("store list survey.db")
            #expect(!list.failed && list.output.contains("Đợt") && list.output.contains("2024"), "\(list.output)")
            _ = session.execute("set lang en")
            let trend = session.execute("trend survey.db --index SIPAS")
            #expect(!trend.failed && trend.output.contains("Indices across waves: 2024"), "\(trend.output)")
        }
    }

    @Test("Fieldwork counts are stored with the wave (never the outcome file's rows) and fill the report's table")
    func fieldwork() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            let outcomes = TestPaths.fixture("sampling/outcomes.csv")
            let report = try Self.importWave(store, Self.dataset, wave: "2024", ["--by", "unit_id", "--fieldwork", outcomes])
            #expect(report.fieldwork?["issued"] == 2667 && report.fieldwork?["returned"] == 2640 && report.fieldwork?["rechecked"] == 810)
            let stored = try SurveyStore(path: store).wave("2024").fieldwork
            #expect(stored == report.fieldwork)
            // The report of the stored wave shows the counts without --fieldwork; the file's own counts are the same.
            let fromStore = try ReportCommand.parse([store, "--wave", "2024", "--by", "unit_id"]).fieldworkCounts()
            let fromFile = try ReportCommand.parse([Self.dataset, "-i", "khanhhoa-admin", "--by", "unit_id", "--fieldwork", outcomes]).fieldworkCounts()
            #expect(fromStore == fromFile && fromStore.issued == 2667)
            // Counts given on the command line win over the stored ones.
            #expect(try ReportCommand.parse([store, "--wave", "2024", "--by", "unit_id", "--issued", "3000"]).fieldworkCounts().issued == 3000)
            // The outcome file names respondents and their phones: none of that reaches the store.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: store))
            for secret in ["Cầm Đức Long", "0987 654 321", "0907521029"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is in the store file")
            }
        }
    }

    @Test("An older store is upgraded when opened: its waves stay, the new column arrives, the schema says so")
    func migration() throws {
        try withTemporaryFolder { folder in
            let store = folder.path("survey.db")
            _ = try Self.importWave(store, Self.dataset, wave: "2024")
            // Make it a schema-1 store, as an earlier sipas wrote it.
            let old = try SurveyStore(path: store)
            try old.database.execute("ALTER TABLE waves DROP COLUMN fieldwork; DELETE FROM sipas_schema WHERE version > 1")
            #expect(try old.database.rows("SELECT MAX(version) FROM sipas_schema").first?.first == .integer(1))
            let upgraded = try SurveyStore(path: store)
            #expect(try upgraded.schemaVersion == 2)
            #expect(try upgraded.waves().map(\.rows) == [2640])
            #expect(try upgraded.wave("2024").fieldwork == nil)
            let columns = try upgraded.database.rows("SELECT name FROM pragma_table_info('waves')").compactMap { $0.first?.text }
            #expect(columns.contains("fieldwork"))
        }
    }
}
