import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASReport
import SIPASEstimation

/// Issue 17, part 1: every result leaves as a real file — `--format table|json|csv|xlsx|md` on every command
/// that prints a table, and `export FILE` in a session by the file's extension. Workbooks are read back with
/// an independent reader (`WorkbookReadBack`) and their numbers compared with the command's JSON.
@Suite("Results as files: xlsx, csv, md, json")
struct ResultExportTests {
    static let data = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path

    func document(_ arguments: [String]) throws -> String {
        let parsed = try SIPASCommand.parseAsRoot(arguments)
        let command = try #require(parsed as? any DocumentCommand, "\(arguments[0]) is a document command")
        return try command.render()
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let text = try document(arguments + ["--format", "json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("index --by unit_id as a workbook: one sheet, frozen header, numbers equal to the JSON, Vietnamese labels")
    func indexWorkbook() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("index.xlsx")
        let base = ["index", Self.data, "-i", "khanhhoa-admin", "--by", "unit_id"]
        // The extension alone chooses the format; nothing goes to standard output.
        #expect(try document(base + ["--output", path]) == "")
        let workbook = try WorkbookReadBack(path: path)
        #expect(workbook.sheets.count == 1)
        let sheet = try #require(workbook.sheets.first)
        let header = try #require(sheet.row(startingWith: ["Nhóm", "Cấp", "ID", "Nội dung", "n", "Chỉ số %",
                                                           "KTC 95% (cận dưới)", "KTC 95% (cận trên)", "Hài lòng %"]))
        #expect(sheet.frozenAt == "A\(header + 1)", "the header row stays in view")
        #expect(sheet.landscape)
        #expect((sheet.widths[3] ?? 0) > 30, "the label column is wide enough for its labels")
        #expect((sheet.widths[4] ?? 0) < 15)
        let estimates = try #require(try json(base)["indices"] as? [[String: Any]])
        // Every estimate, interval and n of the JSON is a number cell of the row with the same unit and id.
        var checked = 0
        for row in (header + 1)...(header + estimates.count) {
            // The group cell is the unit's code and, from the data's unit_name column, its name.
            let cell = try #require(sheet.cell(row, 0)?.text)
            let unit = cell == "Toàn bộ" ? cell : String(cell.split(separator: " ").first ?? "")
            if unit != "Toàn bộ" { #expect(cell.count > unit.count + 1, "row \(row): the unit's name follows its code") }
            let id = try #require(sheet.cell(row, 2)?.text).trimmingCharacters(in: .whitespaces)
            // "Toàn bộ" rows are the province (no group), the others a unit.
            let entry = try #require(estimates.first {
                let group = ($0["group"] as? [String: String]) ?? [:]
                return (unit == "Toàn bộ" ? group.isEmpty : group["unit_id"] == unit) && $0["id"] as? String == id
            }, "row \(row): \(unit) \(id)")
            #expect(sheet.cell(row, 4)?.number == Double(entry["n"] as! Int))
            for (column, key) in [(5, "estimate"), (6, "ci_lower"), (7, "ci_upper")] {
                let expected = try #require(entry[key] as? Double)
                let actual = try #require(sheet.cell(row, column)?.number, "row \(row) column \(column) is a number")
                #expect(abs(actual - expected) <= 1e-12 * abs(expected), "\(unit) \(id) \(key)")
            }
            checked += 1
        }
        #expect(checked == estimates.count && checked > 500)
        #expect(sheet.allTexts.contains("Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)"))
    }

    @Test("drivers with priorities: a sheet per table with its short name, p and intervals as numbers")
    func driversWorkbook() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("drivers.xlsx")
        let base = ["drivers", Self.data, "-i", "khanhhoa-admin", "--priorities", "--replicates", "0"]
        _ = try document(base + ["--format", "xlsx", "--output", path])
        let workbook = try WorkbookReadBack(path: path)
        #expect(workbook.sheets.map(\.name) == ["Toàn bộ mẫu", "Ưu tiên toàn bộ"])
        let model = try #require(workbook["Toàn bộ mẫu"])
        let header = try #require(model.row(startingWith: ["yếu tố", "b", "SE", "KTC 95% (cận dưới)", "KTC 95% (cận trên)", "p"]))
        let object = try json(base)
        let coefficients = try #require(((object["models"] as? [[String: Any]])?.first?["coefficients"]) as? [[String: Any]])
        for (offset, coefficient) in coefficients.dropFirst().enumerated() {
            for (column, key) in [(1, "estimate"), (2, "se"), (3, "ci_lower"), (4, "ci_upper"), (5, "p")] {
                let expected = try #require(coefficient[key] as? Double)
                let actual = try #require(model.cell(header + 1 + offset, column)?.number)
                #expect(abs(actual - expected) <= 1e-12 * max(abs(expected), 1e-300), "\(key) of factor \(offset + 1)")
            }
        }
        // p stays a number whose format shows "< 0,0001" below the last place shown (4 for drivers), as the screen prints it.
        let styled = try ReportWorkbookReader(path: path)
        let pCell = try #require(styled.sheets[0].cells["F\(header + 1)"])
        #expect(pCell.type == nil && styled.formats[pCell.style] == "[<0.0001]\"< 0,0001\";0.0000")
        let priorities = try #require(workbook["Ưu tiên toàn bộ"])
        #expect(priorities.allTexts.contains { $0.hasPrefix("Ưu tiên — toàn bộ mẫu") })
    }

    @Test("every model command writes csv, md and xlsx; the CSV's numbers are the JSON's", arguments: [
        ["regress", data, "--y", "overall", "--x", "q01,q02", "--na", "0,9,99"],
        ["alpha", data, "--items", "q01,q02,q03,q04", "--na", "0,6,9,99"],
        ["factors", data, "--items", "q01,q02,q03,q04,q05,q06", "--factors", "2", "--na", "0,6,9,99"],
        ["ologit", data, "--y", "overall", "--x", "q01,q02", "--na", "0,6,9,99"],
        ["importance", data, "--y", "overall", "--x", "q01,q02,q03", "--na", "0,6,9,99", "--bootstrap-reps", "0"],
        ["estimate", data, "--mean", "q01", "--proportion", "unit_level=huyen", "--by", "unit_level"],
        ["compare", data, "-i", "khanhhoa-admin", "--by", "unit_level"],
    ])
    func everyFormat(arguments: [String]) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for format in ["csv", "md", "xlsx", "json", "table"] {
            let path = folder.path("out.\(format == "table" ? "txt" : format)")
            #expect(try document(arguments + ["--format", format, "--output", path]) == "")
            #expect(FileManager.default.fileExists(atPath: path), "\(arguments[0]) --format \(format)")
        }
        let csv = try String(contentsOfFile: folder.path("out.csv"), encoding: .utf8)
        let markdown = try String(contentsOfFile: folder.path("out.md"), encoding: .utf8)
        #expect(markdown.contains("| ---"), "Markdown has a pipe table")
        #expect(!csv.contains("–"), "CSV fields hold plain numbers, not the screen's dashes")
        let workbook = try WorkbookReadBack(path: folder.path("out.xlsx"))
        let numbers = workbook.sheets.flatMap(\.allNumbers)
        #expect(!numbers.isEmpty, "numbers are number cells")
        // Every number of the CSV (machine fields) is also a number cell of the workbook (compare's CSV is its
        // documented long format, with more fields than its tables).
        guard arguments[0] != "compare" else { return }
        let csvNumbers = csv.split(whereSeparator: { $0 == "," || $0 == "\n" }).compactMap { Double($0) }
        for value in csvNumbers.prefix(200) where value.isFinite {
            #expect(numbers.contains { abs($0 - value) <= 1e-12 * max(1, abs(value)) }, "\(arguments[0]): \(value)")
        }
    }

    @Test("format and output are checked before any work")
    func validation() throws {
        #expect(throws: (any Error).self) { try SIPASCommand.parseAsRoot(["index", Self.data, "-i", "khanhhoa-admin", "--format", "xlsx"]) }
        #expect(throws: (any Error).self) {
            try SIPASCommand.parseAsRoot(["index", Self.data, "-i", "khanhhoa-admin", "--format", "json", "--output", "x.csv"])
        }
        let message = SIPASCommand.fullMessage(for: ValidationErrorProbe.error(["alpha", Self.data, "--items", "q01,q02", "--format", "xlsx"]))
        #expect(message.contains("--output TỆP.xlsx"), "\(message)")
        let english = CommandLanguage.$current.withValue(.en) {
            SIPASCommand.fullMessage(for: ValidationErrorProbe.error(["alpha", Self.data, "--items", "q01,q02", "--format", "xlsx"]))
        }
        #expect(english.contains("--output FILE.xlsx"), "\(english)")
        let options = ResultOutputOptions(format: nil, output: "a/b/result.MD")
        #expect(options.effectiveFormat == .md)
        #expect(ResultOutputOptions(format: nil, output: "result.txt").effectiveFormat == .table)
        #expect(ResultOutputOptions(format: nil, output: nil).effectiveFormat == .table)
    }

    @Test("p values: '< 0,001' instead of 0,000; significant digits with the language's mark")
    func numberStyle() {
        let vi = NumberStyle(language: .vi), en = NumberStyle(language: .en)
        #expect(vi.pValue(0.0004) == "< 0,001")
        #expect(en.pValue(0.00004, decimals: 4) == "< 0.0001")
        #expect(vi.pValue(0.0331) == "0,033")
        #expect(vi.pStatement(0.0001) == "p < 0,001")
        #expect(en.pStatement(0.5) == "p = 0.500")
        #expect(vi.significant(0.023135, digits: 5) == "0,023135")
        #expect(TableCell.interval(1.5, 2.25, decimals: 1).machineFields == ["1.5", "2.25"])
        #expect(TableCell.interval(1.5, 2.25, decimals: 1).display(vi) == "[1,5; 2,3]" || TableCell.interval(1.5, 2.25, decimals: 1).display(vi) == "[1,5; 2,2]")
        #expect(TableCell.integer(nil).machineFields == [""])
        // Grouping never traps, even at the ends of Int's range.
        #expect(vi.integer(Int.min) == "-9.223.372.036.854.775.808")
        #expect(en.integer(Int.max) == "9,223,372,036,854,775,807")
    }

    @Test("sheet names: at most 31 characters, unique, without the characters Excel refuses")
    func sheetNames() {
        var used: Set<String> = []
        let long = ResultDocument.sheetName("Đơn vị: U01 [huyện] / xã * ? \\ 'quá dài để làm tên trang tính'", index: 0, language: .vi, used: &used)
        #expect(long.count <= 31)
        #expect(!long.contains { "[]:*?/\\'".contains($0) })
        let first = ResultDocument.sheetName("Bảng", index: 0, language: .vi, used: &used)
        let second = ResultDocument.sheetName("bảng", index: 1, language: .vi, used: &used)
        #expect(first == "Bảng" && second == "bảng 2")
        #expect(ResultDocument.sheetName(nil, index: 2, language: .en, used: &used) == "Table 3")
    }
}

/// The validation error a command line gives, for its message.
enum ValidationErrorProbe {
    static func error(_ arguments: [String]) -> Error {
        do {
            _ = try SIPASCommand.parseAsRoot(arguments)
            return CocoaError(.featureUnsupported)
        } catch { return error }
    }
}

@Suite("REPL export by extension")
struct REPLExportFormatTests {
    @Test("export FILE.xlsx/.csv/.json/.md/.txt writes the last result in that format; other extensions are refused")
    func exportByExtension() throws {
        let s = REPLSession(workingDirectory: REPLTests.root)
        _ = s.execute("open datasets/sipas-2024-synthetic.csv as d")
        _ = s.execute("instrument khanhhoa-admin")
        let shown = s.execute("compare --by unit_level").output
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for name in ["cmp.xlsx", "cmp.csv", "cmp.json", "cmp.md", "cmp.txt"] {
            let outcome = s.execute("export \(folder.path(name))")
            #expect(!outcome.failed, "\(name): \(outcome.output)")
            #expect(outcome.output.hasPrefix("đã ghi"))
        }
        #expect(try String(contentsOfFile: folder.path("cmp.txt"), encoding: .utf8) == shown)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path("cmp.json")))) as? [String: Any])
        let workbook = try WorkbookReadBack(path: folder.path("cmp.xlsx"))
        let versus = try #require(json["units_vs_province"] as? [[String: Any]])
        let numbers = workbook.sheets.flatMap(\.allNumbers)
        for entry in versus {
            let p = try #require(entry["p"] as? Double)
            #expect(numbers.contains { abs($0 - p) <= 1e-12 * max(p, 1e-300) }, "p of \(entry["label"] ?? "")")
        }
        #expect(try String(contentsOfFile: folder.path("cmp.csv"), encoding: .utf8).hasPrefix("section,label,first,second,estimate"))
        let refused = s.execute("export \(folder.path("cmp.docx"))")
        #expect(refused.failed && refused.output.contains(".xlsx, .csv, .json, .md"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("cmp.docx")))
        #expect(s.execute("set format xlsx").output.contains("export FILE.xlsx") || s.execute("set format xlsx").output.contains("export"))
    }

    @Test("after report, export FILE.xlsx writes the report's workbook (one sheet per table), .html its page")
    func exportReport() throws {
        let s = REPLSession(workingDirectory: REPLTests.root)
        _ = s.execute("open datasets/sipas-2024-synthetic.csv as d")
        _ = s.execute("instrument khanhhoa-admin")
        _ = s.execute("design --strata stratum --cluster cluster --weight weight")
        let shown = s.execute("report --by unit_id --replicates 0 --format md")
        #expect(!shown.failed, "\(shown.output)")
        let report = try #require(s.lastReport)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for name in ["r.xlsx", "r.html", "r.md", "r.json", "r.txt"] {
            let outcome = s.execute("export \(folder.path(name))")
            #expect(!outcome.failed, "\(name): \(outcome.output)")
        }
        let workbook = try WorkbookReadBack(path: folder.path("r.xlsx"))
        #expect(workbook.sheets.count == report.tables.count)
        #expect(try String(contentsOfFile: folder.path("r.md"), encoding: .utf8) == report.markdown())
        #expect(try String(contentsOfFile: folder.path("r.txt"), encoding: .utf8) == shown.output)
        // The province's SIPAS is a number cell of the workbook, equal to the report's own index.
        let indices = try IndexAnalysis.run(table: try ReportFixture.table(), by: [], options: IndexOptions(design: ReportFixture.design))
        let sipas = try #require(indices.estimates.first { $0.kind == .overall }?.index.estimate)
        #expect(workbook.sheets.flatMap(\.allNumbers).contains { abs($0 - sipas) <= 1e-12 * sipas })
        #expect(s.execute("export \(folder.path("r.docx"))").failed)
    }

    @Test("the session's format and language reach every document command")
    func sessionDefaults() throws {
        let s = REPLSession(workingDirectory: REPLTests.root)
        _ = s.execute("open datasets/sipas-2024-synthetic.csv as d")
        _ = s.execute("set format md")
        let alpha = s.execute("alpha --items q01,q02,q03 --na 0,6,9,99")
        #expect(!alpha.failed, "\(alpha.output)")
        #expect(alpha.output.hasPrefix("# Cronbach's alpha"), "\(alpha.output)")
        #expect(alpha.output.contains("| câu hỏi |"))
        _ = s.execute("set lang en")
        _ = s.execute("set format table")
        let english = s.execute("estimate --mean q01").output
        #expect(english.contains("Rows read: 2,640") && english.contains("variable"), "\(english)")
    }
}

@Suite("Session history and save")
struct SessionSaveTests {
    @Test("save FILE.sipas writes the session's commands; sipas run replays them to the same outputs")
    func saveAndReplay() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let s = REPLSession(workingDirectory: REPLTests.root)
        let lines = ["let unit = U05", "open datasets/sipas-2024-synthetic.csv as d", "instrument khanhhoa-admin",
                     "design --strata stratum --cluster cluster --weight weight", "where unit_id = $unit", "index",
                     "where clear", "set lang en", "compare --by unit_level", "help index", "show",
                     "export \(folder.path("cmp.csv"))", "index --by nosuchcolumn"]
        var outputs = ""
        for line in lines {
            let outcome = s.execute(line)
            // What a replay reproduces: lines that ran (the failing one and the look-only ones are not saved).
            if !outcome.failed && !["help", "show"].contains(line.split(separator: " ").first.map(String.init) ?? "") {
                outputs += outcome.output
            }
        }
        let history = s.execute("history").output
        #expect(history.contains("   5  where unit_id = U05"), "variables are logged as they were: \(history)")
        #expect(!history.contains("nosuchcolumn") && !history.contains("help index") && !history.contains("show"))
        // Saved elsewhere: relative paths become absolute so the script runs from its own folder.
        let script = folder.path("session.sipas")
        let saved = s.execute("save \(script)")
        #expect(!saved.failed && saved.output.contains("10 commands"), "\(saved.output)")
        let text = try String(contentsOfFile: script, encoding: .utf8)
        #expect(text.contains("open \(REPLTests.root)/datasets/sipas-2024-synthetic.csv as d"), "\(text)")
        let replay = try RunCommand.parse([script]).render()
        #expect(replay == outputs)
        #expect(s.execute("save \(folder.path("session.txt"))").failed, "save writes .sipas scripts only")
    }

    @Test("every session command has help in both languages")
    func help() {
        for command in REPLSession.sessionCommands where !["exit"].contains(command) {
            let vi = REPLHelp.text(command, language: .vi), en = REPLHelp.text(command, language: .en)
            #expect(!vi.contains("no such command") && !en.contains("no such command") && vi != en, "help \(command)")
        }
    }
}

@Suite("Tables fit the terminal")
struct TerminalWidthTests {
    func table() -> TextTable {
        var table = TextTable(headers: ["ID", "Nội dung", "n", "Chỉ số %"], alignments: [.left, .left, .right, .right],
                              maximumWidths: [nil, 44, nil, nil])
        table.append(cells: [.text("q01"), .text("Bộ phận Tiếp nhận và trả kết quả có biển hiệu, sơ đồ chỉ dẫn rõ ràng, dễ thấy"),
                             .integer(2589), .number(94.1877, decimals: 2)])
        table.append(cells: [.text("q02"), .text("Ngắn"), .integer(12), .number(nil, decimals: 2)])
        return table
    }

    @Test("without a width labels stop at their maximum; with one they use the room there is, numbers whole")
    func widths() {
        let style = NumberStyle(language: .vi)
        let piped = table().rendered(style: style)
        #expect(piped.contains("Bộ phận Tiếp nhận và trả kết quả có biển hi…"))
        let wide = table().rendered(style: style, width: 160)
        #expect(wide.contains("sơ đồ chỉ dẫn rõ ràng, dễ thấy"), "a wide terminal shows whole labels")
        for width in [40, 60, 80] {
            let narrow = table().rendered(style: style, width: width)
            let lines = narrow.split(separator: "\n")
            #expect(lines.allSatisfy { $0.count <= width }, "fits \(width): \(narrow)")
            #expect(narrow.contains("2.589") && narrow.contains("94,19") && narrow.contains("–"))
            #expect(narrow.contains("…"))
        }
        // Not below 12 characters of label: at 20 columns the table is wider than the screen, labels still legible.
        #expect(table().rendered(style: style, width: 20).contains("Bộ phận Tiế…"))
    }
}

@Suite("Session defaults and completion")
struct SessionDefaultsTests {
    @Test("compare reuses the last --by; a line's own --by wins")
    func lastBy() {
        let s = REPLSession(workingDirectory: REPLTests.root)
        _ = s.execute("open datasets/sipas-2024-synthetic.csv as d")
        _ = s.execute("instrument khanhhoa-admin")
        _ = s.execute("set lang en")
        #expect(s.execute("compare").failed, "no --by yet")
        _ = s.execute("index --by unit_level")
        let compare = s.execute("compare")
        #expect(!compare.failed && compare.output.contains("Comparing SIPAS by unit_level"), "\(compare.output)")
        #expect(s.execute("compare --by unit_id").output.contains("by unit_id"))
        #expect(s.execute("show").output.contains("by (compare): unit_id"))
    }

    @Test("tab completion of file paths for open, instrument, run, export, save and data files")
    func paths() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.file("survey-2024.csv", "a\n1\n")
        _ = try folder.file(".hidden.csv", "a\n1\n")
        try FileManager.default.createDirectory(atPath: folder.path("surveys"), withIntermediateDirectories: true)
        let s = REPLSession(workingDirectory: folder.path)
        #expect(s.completions(linePrefix: "open ", word: "sur") == ["survey-2024.csv", "surveys/"])
        #expect(s.completions(linePrefix: "open ", word: "") .contains("survey-2024.csv"))
        #expect(!s.completions(linePrefix: "open ", word: "").contains(".hidden.csv"))
        #expect(s.completions(linePrefix: "open ", word: ".h") == [".hidden.csv"])
        #expect(s.completions(linePrefix: "export ", word: "\(folder.path)/surv") == ["\(folder.path)/survey-2024.csv", "\(folder.path)/surveys/"])
        #expect(s.completions(linePrefix: "instrument ", word: "khanhhoa-a") == ["khanhhoa-admin"])
        #expect(s.completions(linePrefix: "index ", word: "./sur") == ["./survey-2024.csv", "./surveys/"])
        #expect(s.completions(linePrefix: "design ", word: "cl") == ["clear"])
    }
}

@Suite("One language at a time")
struct OneLanguageTests {
    static let data = ResultExportTests.data
    static let design = ["--strata", "stratum", "--cluster", "cluster", "--weight", "weight"]

    /// English words that must not appear in Vietnamese output (method names — Korn–Graubard, LMG, Cronbach's
    /// alpha, bootstrap, Bartlett, KMO, SE, VIF, HC3 — are allowed).
    static let english = ["Rows", " read ", " used", "excluded", "Notes", "Note:", "interpret", "with care", "estimate", "variable",
                          "weighted", "clusters", "province", "strata =", "weights =", "lonely", "Data:", "design", "Condition",
                          "Answers", "replicates", "regression", "Ordered", "Exploratory", "correlations", "Unit ", "Pooled",
                          "Priorities", "What if", "Summary", "Significant", "Versus", " row ", " line ", "classical", "small sample",
                          "effective sample", "interval", " the ", " and ", " of ", " is ", "df =", "missing ", "empty line", "answered"]


    /// The data's unit names (as index's JSON lists them), longest first so that no name is cut by a shorter one.
    static let unitNames: [String] = {
        let json = (try? (SIPASCommand.parseAsRoot(["index", data, "-i", "khanhhoa-admin", "--by", "unit_id", "--format", "json"])
                          as? IndexCommand)?.render()) ?? nil
        let object = json.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return ((object?["unit_names"] as? [String: String]) ?? [:]).values.sorted { $0.count > $1.count }
    }()

    static let commands: [[String]] = [
        ["index", data, "-i", "khanhhoa-admin", "--by", "unit_level"] + design,
        ["compare", data, "-i", "khanhhoa-admin", "--by", "unit_id"] + design,
        ["estimate", data, "--mean", "q01", "--proportion", "unit_level=huyen", "--by", "unit_level"] + design,
        ["drivers", data, "-i", "khanhhoa-admin", "--replicates", "0", "--priorities"] + design,
        ["regress", data, "--y", "overall", "--x", "q01,q02", "--na", "0,6,9,99", "--se", "design"] + design,
        ["alpha", data, "--items", "q01,q02,q03,q04", "--na", "0,6,9,99"],
        ["factors", data, "--items", "q01,q02,q03,q04,q05,q06", "--factors", "2", "--na", "0,6,9,99"],
        ["ologit", data, "--y", "overall", "--x", "q01,q02", "--na", "0,6,9,99"],
        ["importance", data, "--y", "overall", "--x", "q01,q02,q03", "--na", "0,6,9,99", "--bootstrap-reps", "0"] + design,
    ]

    @Test("Vietnamese output holds no English words; English output no Vietnamese letters", arguments: commands)
    func vietnamese(arguments: [String]) throws {
        let vi = try #require(try SIPASCommand.parseAsRoot(arguments) as? any DocumentCommand).render()
        // Labels of the data (column names, unit codes) are names, not language: drop the data's own words.
        let found = Self.english.filter { vi.contains($0) }
        #expect(found.isEmpty, "\(arguments[0]) --lang vi shows \(found): \(vi.prefix(3000))")
        let en = try #require(try SIPASCommand.parseAsRoot(arguments + ["--lang", "en"]) as? any DocumentCommand).render()
        let vietnameseLetters = Set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
        // Names stay as they are: the province in the formula's citation, the units' names from the data.
        #expect(Self.unitNames.count == 32)
        var unnamed = en.replacingOccurrences(of: "Lai Châu", with: "")
        for name in Self.unitNames { unnamed = unnamed.replacingOccurrences(of: name, with: "") }
        let lines = unnamed.split(separator: "\n")
            .filter { $0.lowercased().contains { vietnameseLetters.contains($0) } }
        #expect(lines.isEmpty, "\(arguments[0]) --lang en shows Vietnamese: \(lines.prefix(5))")
    }

    /// The commands that print no result document, run through the binary in a folder of their own (their
    /// files land there): what they print, errors and warnings included, in one language at a time.
    static let otherCommands: [[String]] = [
        ["weights", "datasets/sipas-2024-synthetic.csv", "--design", "datasets/guide/thiet-ke-2024.yaml", "--largest", "3", "--output", "w.csv"],
        ["weights", "datasets/sipas-2024-synthetic.csv", "--replicates", "bootstrap", "--count", "5", "--output", "rep.csv"] + design,
        ["generate", "--respondents", "1500", "--seed", "7", "--output", "g.csv"],
        ["instrument", "list"],
        ["instrument", "show", "khanhhoa-admin", "--outline"],
        ["instrument", "check", "datasets/guide/../../docs/guide/instrument-template.yaml"],
        ["sample", "size", "--margin", "3", "--sd", "15", "--population", "1500"],
        ["prepare", "datasets/sipas-2024-synthetic.csv", "-i", "khanhhoa-admin", "--output", "p.csv"],
        ["store", "import", "kho.db", "datasets/sipas-2024-synthetic.csv", "--wave", "2024", "-i", "khanhhoa-admin"],
        ["store", "list", "kho.db"],
        ["trend", "kho.db"],
    ]

    @Test("weights, generate, instrument, sample, prepare, store and trend speak one language at a time")
    func otherCommandsSpeakOneLanguage() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createSymbolicLink(atPath: folder.path("datasets"), withDestinationPath: TestPaths.packageRoot.appendingPathComponent("datasets").path)
        let binary = TestPaths.packageRoot.appendingPathComponent(".build/debug/sipas").path
        let vietnameseLetters = Set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
        for (language, round) in [("vi", 0), ("en", 1)] {
            if round == 1 { try? FileManager.default.removeItem(atPath: folder.path("kho.db")) }
            for arguments in Self.otherCommands {
                let run = try ChildProcess.run(binary, arguments + ["--lang", language], directory: folder.path)
                #expect(run.status == 0, "\(arguments.joined(separator: " ")) --lang \(language): \(run.errorText)")
                // Option names, file names, column names (with '_') and quoted texts (the instrument's own labels,
                // which list both languages' spellings) are what the user typed or the data holds, not language.
                let text = (run.outputText + run.errorText)
                    .replacingOccurrences(of: #"--[a-z][a-z-]*"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"\S*_\S*"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #""[^"]*""#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"\S+\.(csv|yaml|db|json|sav)\b"#, with: "", options: .regularExpression)
                if language == "vi" {
                    let found = Self.english.filter { text.contains($0) }
                    #expect(found.isEmpty, "\(arguments.joined(separator: " ")) shows \(found): \(text.prefix(2000))")
                } else {
                    var unnamed = text
                    for place in ["Lai Châu", "Khánh Hòa", "Huế", "Sơn La"] { unnamed = unnamed.replacingOccurrences(of: place, with: "") }
                    for name in Self.unitNames { unnamed = unnamed.replacingOccurrences(of: name, with: "") }
                    let lines = unnamed.split(separator: "\n").filter { $0.lowercased().contains { vietnameseLetters.contains($0) } }
                    #expect(lines.isEmpty, "\(arguments.joined(separator: " ")) --lang en shows Vietnamese: \(lines.prefix(5))")
                }
            }
        }
    }
}

@Suite("Unit names beside codes")
struct UnitNameTests {
    @Test("index --by unit_id shows the data's unit_name beside each code; --unit-label must hold one name per unit")
    func names() throws {
        let data = ResultExportTests.data
        func render(_ extra: [String]) throws -> String {
            try #require(try SIPASCommand.parseAsRoot(["index", data, "-i", "khanhhoa-admin"] + extra) as? IndexCommand).render()
        }
        let table = try render(["--by", "unit_id"])
        let firstName = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n")
            .first { $0.contains(",U01,") }.map { String($0.split(separator: ",")[3]) }
        let name = try #require(firstName)
        #expect(table.contains("U01 " + name.prefix(20)), "names beside codes")
        let json = try render(["--by", "unit_id", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["unit_names"] as? [String: String])?["U01"] == name)
        // A column with several values for one unit is refused, naming the unit but none of the values.
        #expect {
            try render(["--by", "unit_level", "--unit-label", "unit_name"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("more than one value") && !text.contains("Sở ") && !text.contains("Ban ") && !text.contains("UBND")
        }
        let compare = try #require(try SIPASCommand.parseAsRoot(["compare", data, "-i", "khanhhoa-admin", "--by", "unit_id"]) as? CompareCommand).render()
        #expect(compare.contains("U01 " + name), "compare shows names beside codes too")
        // The default unit_name column holds many names per level: no names, no error.
        let levels = try render(["--by", "unit_level", "--format", "json"])
        let levelObject = try #require(try JSONSerialization.jsonObject(with: Data(levels.utf8)) as? [String: Any])
        #expect(levelObject["unit_names"] == nil, "no names unless the column holds one per unit")
    }
}
