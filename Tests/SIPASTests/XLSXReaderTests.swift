import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASData
import SIPASInstrument
import SIPASSupport

/// Excel workbooks read as the same data saved as CSV (issue 14, part 1). The fixtures in Fixtures/xlsx were
/// written by openpyxl and LibreOffice from design/sipas-subset.csv (make_fixtures.py); the edge cases no tool
/// writes on demand are built part by part (`HandMadeWorkbook`).
@Suite("Excel workbooks (.xlsx)")
struct XLSXReaderTests {
    static let csv = TestPaths.fixture("design/sipas-subset.csv")
    static func workbook(_ name: String) -> String { TestPaths.fixture("xlsx/\(name)") }
    /// Every fixture holding the subset's answers, made by each tool in each layout.
    static let equivalents = ["plain.xlsx", "office.xlsx", "plain-libreoffice.xlsx", "office-libreoffice.xlsx", "plain-libreoffice.xlsm"]
    static let design = ["--strata", "stratum", "--cluster", "cluster", "--weight", "weight"]

    // MARK: The same results as the CSV

    /// Two JSON outputs agree: the same keys and texts, numbers within 1e-12 (absolute + relative), the top-level
    /// "source" (the file name) aside.
    func expectSame(_ xlsx: Any, _ csv: Any, path: String = "") {
        switch (xlsx, csv) {
        case let (a as [String: Any], b as [String: Any]):
            let keys = Set(a.keys).union(b.keys).subtracting(path.isEmpty ? ["source"] : [])
            for key in keys.sorted() {
                guard let left = a[key], let right = b[key] else {
                    Issue.record("\(path).\(key) is in one output only")
                    continue
                }
                expectSame(left, right, path: "\(path).\(key)")
            }
        case let (a as [Any], b as [Any]):
            #expect(a.count == b.count, "\(path): \(a.count) vs \(b.count) elements")
            for (index, (left, right)) in zip(a, b).enumerated() { expectSame(left, right, path: "\(path)[\(index)]") }
        case let (a as String, b as String):
            #expect(a == b, "\(path)")
        case let (a as NSNumber, b as NSNumber):
            #expect(close(a.doubleValue, b.doubleValue, relative: 1e-12, absolute: 1e-12), "\(path): \(a) vs \(b)")
        case (is NSNull, is NSNull):
            break
        default:
            Issue.record("\(path): \(xlsx) vs \(csv)")
        }
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test("index: the same indices, design SEs and row accounting as the CSV, pooled and by unit", arguments: equivalents)
    func indexMatchesCSV(file: String) throws {
        for flags in [[], Self.design, Self.design + ["--by", "unit_id"]] {
            let arguments = ["-i", "khanhhoa-admin", "--format", "json"] + flags
            let fromCSV = try json(IndexCommand.parse([Self.csv] + arguments).render())
            let fromWorkbook = try json(IndexCommand.parse([Self.workbook(file)] + arguments).render())
            expectSame(fromWorkbook, fromCSV)
            let rows = try #require((fromWorkbook as? [String: Any])?["rows"] as? [String: Any])
            #expect(rows["read"] as? Int == 562)
        }
    }

    @Test("estimate: means, totals, proportions and ratios with design SEs, pooled and by unit", arguments: equivalents)
    func estimateMatchesCSV(file: String) throws {
        let arguments = ["--mean", "q01", "--mean", "overall", "--total", "weight", "--proportion", "gender=nu", "--ratio", "q01/q02",
                         "--format", "json"] + Self.design
        for by in [[], ["--by", "unit_id"]] {
            let fromCSV = try json(EstimateCommand.parse([Self.csv] + arguments + by).render())
            let fromWorkbook = try json(EstimateCommand.parse([Self.workbook(file)] + arguments + by).render())
            expectSame(fromWorkbook, fromCSV)
        }
    }

    @Test("one thread (no inflating beside the parse) reads the same table; a damaged sheet fails the same way")
    func oneThread() throws {
        let instrument = try Instrument.resolve("khanhhoa-admin")
        var outputs: [String] = []
        for threads in [1, 2] {
            let options = CSVReadOptions(threads: threads)
            let table = try DataFile.read(path: Self.workbook("office-libreoffice.xlsx"), instrument: instrument, options: options)
            outputs.append(table.items.map { "\($0.values)" }.joined() + table.metadata.map { "\($0.codes)\($0.levels)" }.joined())
            let damaged = #expect(throws: DataError.self) {
                try DataFile.read(path: Self.workbook("damaged-sheet.xlsx"), instrument: instrument, options: options)
            }
            #expect(damaged?.message.contains("fails its checksum") == true)
        }
        #expect(outputs[0] == outputs[1])
    }

    @Test("compare with an earlier wave: a workbook's sheet beside another workbook or a CSV file")
    func compareWaves() throws {
        let arguments = ["-i", "khanhhoa-admin", "--by", "unit_id", "--format", "json"] + Self.design
        let fromCSV = try json(CompareCommand.parse([Self.csv, "--previous", Self.csv] + arguments).render())
        for previous in [Self.workbook("plain-libreoffice.xlsx"), Self.csv, Self.workbook("office.xlsx")] {
            let mixed = try json(CompareCommand.parse([Self.workbook("office.xlsx"), "--sheet", "Phiếu", "--previous", previous]
                                                      + arguments).render())
            expectSame(mixed, fromCSV)
        }
    }

    @Test("alpha and regress read the same columns", arguments: equivalents)
    func modelsMatchCSV(file: String) throws {
        let alpha = ["--items", "q01,q02,q03", "--format", "json"]
        expectSame(try json(AlphaCommand.parse([Self.workbook(file)] + alpha).render()),
                   try json(AlphaCommand.parse([Self.csv] + alpha).render()))
        let regress = ["--y", "overall", "--x", "q01,q05,q09,weight", "--format", "json"]
        expectSame(try json(RegressCommand.parse([Self.workbook(file)] + regress).render()),
                   try json(RegressCommand.parse([Self.csv] + regress).render()))
    }

    // MARK: Cells

    @Test("cells: formulas' saved results, dates, booleans, numbers typed as text, an empty formula text")
    func officeCells() throws {
        for file in ["office.xlsx", "office-libreoffice.xlsx"] {
            let table = try DataFile.read(path: Self.workbook(file),
                                          columns: ["stt", "respondent_id", "weight", "q01", "q02", "q16", "ngay_khao_sat", "dong_y", "tong_diem"])
            let plain = try CSVReader.read(path: Self.csv, columns: ["respondent_id", "weight", "q01", "q02", "q16"])
            #expect(table.rowCount == 562, "\(file): the formatted empty rows below the data are not records")
            let stt = try table.requireMetadata("stt")
            #expect(stt[0] == "1" && stt[561] == "562", "ROW()-5, saved result")
            let date = try table.requireMetadata("ngay_khao_sat")
            #expect(date[0] == "2024-06-14 09:30:00")
            #expect(date[1] == "2024-05-03")
            let agreed = try table.requireMetadata("dong_y")
            #expect(agreed[0] == "TRUE" && agreed[4] == "FALSE")
            #expect(try table.requireMetadata("tong_diem")[0] == "61")
            // Numbers typed as text ("5", " 4") and formulas ("=4", '=""') read as the CSV's numbers and blanks.
            for column in ["respondent_id", "weight", "q01", "q02", "q16"] {
                let left = try table.requireMetadata(column), right = try plain.requireMetadata(column)
                #expect((0..<562).allSatisfy { left[$0] == right[$0] }, "\(file): \(column)")
            }
        }
    }

    @Test("numbers become their shortest decimal; dates follow the 1900 and 1904 systems")
    func cellTextRules() {
        func number(_ raw: String, _ display: NumberDisplay = .number, date1904: Bool = false) -> String {
            var output: [UInt8] = []
            XLSXCellText.appendNumber(Array(raw.utf8), display: display, date1904: date1904, to: &output)
            return String(decoding: output, as: UTF8.self)
        }
        #expect(number("5") == "5")
        #expect(number("5.0") == "5")
        #expect(number("36.50") == "36.5")
        #expect(number(" 7 ") == "7")
        #expect(number("-0.0") == "0")
        #expect(number("4.0000000000000001E-2") == "0.04")
        #expect(number("0.30000000000000004") == "0.30000000000000004")
        #expect(number("1E-5") == "0.00001")
        #expect(number("1.5E+16") == "15000000000000000")
        #expect(number("34.918500000000002") == "34.9185")
        #expect(number("abc") == "abc")
        #expect(number("45443", .date) == "2024-05-31")
        #expect(number("45443.75", .date) == "2024-05-31 18:00:00")
        #expect(number("45443", .dateTime) == "2024-05-31 00:00:00")
        #expect(number("0.5", .time) == "12:00:00")
        #expect(number("1", .date) == "1900-01-01")
        #expect(number("59", .date) == "1900-02-28")
        #expect(number("60", .date) == "1900-02-29", "Excel's day that never was")
        #expect(number("61", .date) == "1900-03-01")
        #expect(number("0", .date, date1904: true) == "1904-01-01")
        #expect(number("43981", .date, date1904: true) == "2024-05-31")
        #expect(number("-1", .date) == "-1", "no calendar date: the number")
        #expect(XLSXCellText.letters(0) == "A" && XLSXCellText.letters(25) == "Z" && XLSXCellText.letters(26) == "AA")
        #expect(XLSXCellText.letters(16_383) == "XFD")
        #expect("AB3".withCString { XLSXCellText.column(ofReference: $0) } == 27)
        #expect("XFE1".withCString { XLSXCellText.column(ofReference: $0) } == nil)
        #expect(NumberDisplay(formatCode: "dd/mm/yyyy") == .date)
        #expect(NumberDisplay(formatCode: "[$-42A]d mmmm yyyy") == .date)
        #expect(NumberDisplay(formatCode: "h:mm AM/PM") == .time)
        #expect(NumberDisplay(formatCode: "[h]:mm:ss") == .time)
        #expect(NumberDisplay(formatCode: "yyyy-mm-dd hh:mm") == .dateTime)
        #expect(NumberDisplay(formatCode: "#,##0.00 \"đ\"") == .number)
        #expect(NumberDisplay(formatCode: "[Red]0.00;[Blue]-0.00") == .number)
        #expect(NumberDisplay(formatCode: "0.00E+00") == .number)
        #expect(NumberDisplay(formatCode: "General") == .number)
    }

    @Test("hand-made parts: shared rich text without phonetic runs, 1904 dates, booleans, error and unsaved formula cells, prefixes")
    func handMadeParts() throws {
        try withTemporaryFolder { folder in
            let rows = HandMadeWorkbook.row(1, [("A1", "s", "0"), ("B1", "s", "1"), ("C1", "s", "2"), ("D1", "s", "3"), ("E1", "s", "4")])
                + "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"B2\" t=\"s\"><v>5</v></c><c r=\"C2\" s=\"1\"><v>43981.5</v></c>"
                + "<c r=\"D2\" t=\"b\"><v>0</v></c><c r=\"E2\" t=\"e\"><v>#DIV/0!</v></c></row>"
                // No references: cells follow one another, rows follow the previous row.
                + "<row><c><v>2</v></c><c t=\"inlineStr\"><is><r><t>Hà </t></r><r><t>Nội</t></r></is></c><c s=\"1\"><v>0</v></c>"
                + "<c t=\"b\"><v>1</v></c><c><f>A3*2</f></c></row>"
            var book = HandMadeWorkbook(rows: rows, sharedStrings: ["id", "unit", "when", "ok", "q01",
                                                                    "<r><t>Đà</t></r><r><t> Nẵng</t></r><rPh sb=\"0\" eb=\"1\"><t>ダナン</t></rPh>"])
            book.styleFormats = ["dd/mm/yyyy"]
            book.date1904 = true
            for prefix in [nil, "x"] {
                book.prefix = prefix
                let path = folder.path("hand\(prefix ?? "").xlsx")
                try book.write(to: path)
                let table = try DataFile.read(path: path, columns: ["id", "unit", "when", "ok", "q01"])
                #expect(table.rowCount == 2)
                #expect(try table.requireMetadata("unit")[0] == "Đà Nẵng")
                #expect(try table.requireMetadata("unit")[1] == "Hà Nội")
                #expect(try table.requireMetadata("when")[0] == "2024-05-31 12:00:00")
                #expect(try table.requireMetadata("when")[1] == "1904-01-01")
                #expect(try table.requireMetadata("ok")[0] == "FALSE" && table.requireMetadata("ok")[1] == "TRUE")
                #expect(try table.requireMetadata("q01")[0] == "#DIV/0!")
                #expect(try table.requireMetadata("q01")[1] == "=A3*2", "a formula saved without its result shows its text")
            }
        }
    }

    @Test("an error result (#DIV/0!) or an unsaved formula in an answer column is an invalid answer, located")
    func errorCellsAreInvalidAnswers() throws {
        try withTemporaryFolder { folder in
            let instrument = try Instrument.resolve(TestPaths.fixture("mini.yaml"))
            let items = instrument.items.map(\.id)
            var rows = HandMadeWorkbook.row(1, values: ["id"] + items)
            rows += HandMadeWorkbook.row(2, values: ["1"] + items.map { _ in "4" })
            rows += "<row r=\"3\"><c r=\"A3\"><v>2</v></c><c r=\"B3\" t=\"e\"><v>#DIV/0!</v></c><c r=\"C3\"><f>B3+1</f></c></row>"
            let path = folder.path("errors.xlsx")
            try HandMadeWorkbook(rows: rows).write(to: path)
            let table = try DataFile.read(path: path, instrument: instrument)
            #expect(table.invalidCellCount == 2)
            #expect(table.invalidCells.map(\.value) == ["#DIV/0!", "=B3+1"])
            #expect(table.invalidCells.allSatisfy { $0.line == 3 }, "line is the sheet row")
            let strict = #expect(throws: DataError.self) {
                try DataFile.read(path: path, instrument: instrument, options: CSVReadOptions(strict: true))
            }
            #expect(strict?.cell == "B3")
            #expect(strict?.description.contains("sheet 'Sheet1', cell B3 (column '\(items[0])'): '#DIV/0!' is not a valid") == true)
        }
    }

    // MARK: Rows: blank rows, header detection, --header-row

    @Test("a blank row inside the data is an excluded empty line, as in the CSV; blank rows below are not rows")
    func blankRows() throws {
        try withTemporaryFolder { folder in
            let text = try String(contentsOfFile: Self.csv, encoding: .utf8).replacingOccurrences(of: "\"", with: "")
            var lines = text.split(separator: "\n").map(String.init)
            lines.insert("", at: 40)
            let csvPath = try folder.file("blank.csv", lines.joined(separator: "\n") + "\n")
            // Title and blank rows above; the data in columns C…; styled empty rows below.
            let rows = HandMadeWorkbook.row(1, values: ["BẢNG KẾT QUẢ"]) + sheetRows(csv: lines.joined(separator: "\n"), headerRow: 4, firstColumn: 2)
                + "<row r=\"700\"><c r=\"C700\" s=\"0\"/></row><row r=\"701\"><c r=\"D701\" t=\"inlineStr\"><is><t></t></is></c></row>"
            let path = folder.path("blank.xlsx")
            try HandMadeWorkbook(rows: rows).write(to: path)
            let arguments = ["-i", "khanhhoa-admin", "--format", "json"] + Self.design
            let fromCSV = try json(IndexCommand.parse([csvPath] + arguments).render())
            let fromWorkbook = try json(IndexCommand.parse([path] + arguments).render())
            expectSame(fromWorkbook, fromCSV)
            let rowsJSON = try #require((fromWorkbook as? [String: Any])?["rows"] as? [String: Any])
            #expect(rowsJSON["read"] as? Int == 563)
            #expect(SheetLayout.registered(for: path)?.headerRow == 4)
        }
    }

    @Test("the header is found below titles and merged cells; --header-row overrides it")
    func headerDetection() throws {
        let office = Self.workbook("office.xlsx")
        _ = try DataFile.read(path: office, instrument: try Instrument.resolve("khanhhoa-admin"))
        #expect(SheetLayout.registered(for: office)?.headerRow == 5)
        // Without needed columns (a session's open): the first row of words that fills the sheet's width.
        _ = try DataFile.read(path: office, columns: nil)
        #expect(SheetLayout.registered(for: office)?.headerRow == 5)
        let given = try json(IndexCommand.parse([office, "-i", "khanhhoa-admin", "--header-row", "5", "--format", "json"]).render())
        let found = try json(IndexCommand.parse([office, "-i", "khanhhoa-admin", "--format", "json"]).render())
        expectSame(given, found)
        // Row 4 holds the group headings, not the columns.
        let wrong = #expect(throws: DataError.self) { try IndexCommand.parse([office, "-i", "khanhhoa-admin", "--header-row", "4"]).render() }
        #expect(wrong?.sheet == "Phiếu" && wrong?.line == 4)
        #expect(wrong?.description.contains("needs criterion column(s) q01") == true)
        let empty = #expect(throws: DataError.self) { try IndexCommand.parse([office, "-i", "khanhhoa-admin", "--header-row", "3"]).render() }
        #expect(empty?.description.contains("row 3: the header row given (--header-row 3) is empty") == true)
        // Columns no row names: which are missing, from the row that names most; no cell is quoted.
        let missing = #expect(throws: DataError.self) { try IndexCommand.parse([office, "-i", "khanhhoa-admin", "--map", "q05=Q5"]).render() }
        #expect(missing?.description.contains("the header seems to be row 5, which lacks Q5") == true)
        #expect(missing?.description.contains("--header-row N") == true)
        #expect(missing?.description.contains("Sở") == false)
    }

    @Test("the header names a column twice: both cells are named")
    func duplicateHeader() throws {
        try withTemporaryFolder { folder in
            let path = folder.path("twice.xlsx")
            try HandMadeWorkbook(rows: sheetRows(csv: "id,q01,q01\n1,4,5\n", headerRow: 2)).write(to: path)
            let error = #expect(throws: DataError.self) { try DataFile.read(path: path, columns: ["id"]) }
            #expect(error?.description.contains("sheet 'Sheet1', row 2 (column 'q01'): the header names this column twice (cells B2 and C2)") == true)
        }
    }

    // MARK: Sheets

    @Test("--sheet by name (any case) and by number; an unknown name lists the sheets")
    func sheetSelection() throws {
        let office = Self.workbook("office.xlsx")
        let arguments = ["-i", "khanhhoa-admin", "--format", "json"]
        let first = try json(IndexCommand.parse([office] + arguments).render())
        for sheet in ["Phiếu", "phiếu", "1"] {
            expectSame(try json(IndexCommand.parse([office, "--sheet", sheet] + arguments).render()), first)
        }
        let summary = try DataFile.read(path: office, columns: ["unit_id", "so_phieu"], selection: SheetSelection(sheet: "Tổng hợp"))
        #expect(summary.rowCount == 8)
        #expect(try summary.requireMetadata("so_phieu").numbers(file: office).compactMap { $0 }.reduce(0, +) == 562)
        let unknown = #expect(throws: DataError.self) { try IndexCommand.parse([office, "--sheet", "Phieu 2024"] + arguments).render() }
        #expect(unknown?.description.contains("no sheet 'Phieu 2024'. Its sheets: 1 'Phiếu', 2 'Tổng hợp', 3 'Danh mục' (hidden)") == true)
        let number = #expect(throws: DataError.self) { try IndexCommand.parse([office, "--sheet", "7"] + arguments).render() }
        #expect(number?.description.contains("no sheet number 7: it has 3 sheets") == true)
        let other = #expect(throws: DataError.self) { try IndexCommand.parse([office, "--sheet", "2"] + arguments).render() }
        #expect(other?.description.contains("sheet 'Tổng hợp'") == true)
        let csv = #expect(throws: DataError.self) { try IndexCommand.parse([Self.csv, "--sheet", "1"] + arguments).render() }
        #expect(csv?.description.contains("apply to Excel workbooks") == true)
    }

    @Test("the first visible sheet is the default; --sheet N counts hidden sheets too")
    func hiddenFirstSheet() throws {
        try withTemporaryFolder { folder in
            var book = HandMadeWorkbook(sheets: [("Danh mục", sheetRows(csv: "ma,ten\n1,x\n")), ("Data", sheetRows(csv: "id,q01\n1,5\n2,4\n"))])
            let path = folder.path("sheets.xlsx")
            try book.write(to: path)
            #expect(try DataFile.read(path: path, columns: nil).columnNames == ["ma", "ten"])
            book.hiddenSheets = [0]
            try book.write(to: path)
            #expect(try DataFile.read(path: path, columns: nil).columnNames == ["id", "q01"])
            #expect(try DataFile.read(path: path, columns: nil, selection: SheetSelection(sheet: "1")).columnNames == ["ma", "ten"])
            #expect(try XLSXReader.sheetNames(path: path) == ["Danh mục", "Data"])
        }
    }

    // MARK: Errors are located; bad files get one sentence

    @Test("a text answer and a text weight are named by sheet and cell")
    func locatedErrors() throws {
        let path = Self.workbook("text-in-answer.xlsx")
        let strict = #expect(throws: DataError.self) { try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--strict"]).render() }
        #expect(strict?.description == "\(path), sheet 'Phiếu', cell H17 (column 'q03'): 'năm' is not a valid likert5 answer "
                    + "(expected 1-5, one of its labels ('Rất không hài lòng' … 'Rất hài lòng'), a missing code 9/99, "
                    + "a missing label ('Không biết', 'Don't know', 'Không trả lời', 'No answer') or blank)")
        let output = try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--format", "json"]).render()
        let invalid = try #require((try json(output) as? [String: Any])?["invalid_cells"] as? [String: Any])
        let cells = try #require(invalid["cells"] as? [[String: Any]])
        #expect(cells.first?["line"] as? Int == 17 && cells.first?["row"] as? Int == 16)
        let weight = #expect(throws: DataError.self) { try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--weight", "weight"]).render() }
        #expect(weight?.description == "\(path), sheet 'Phiếu', cell E20 (column 'weight'): 'không rõ' is not a number")
    }

    @Test("an error raised after reading (a blank design variable) names the sheet and cell")
    func laterErrorsAreLocated() throws {
        try withTemporaryFolder { folder in
            let path = folder.path("blank-stratum.xlsx")
            var csv = "respondent_id,stratum,q01,q02,q03,q04,q05,q06,q07,q08,q09,q10,q11,q12,q13,q14,q15,q16\n"
            for id in 1...6 { csv += "\(id),\(id == 4 ? "" : "S\(id % 2)")" + String(repeating: ",4", count: 16) + "\n" }
            try HandMadeWorkbook(rows: HandMadeWorkbook.row(1, values: ["Phiếu khảo sát"]) + sheetRows(csv: csv, headerRow: 3)).write(to: path)
            let error = #expect(throws: DataError.self) { try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--strata", "stratum"]).render() }
            #expect(error?.description.contains("\(path), sheet 'Sheet1', cell B7 (column 'stratum'): blank") == true, "\(String(describing: error))")
        }
    }

    @Test("damaged, encrypted and mislabelled files: one sentence, no crash", arguments: [
        ("truncated.xlsx", "the workbook is damaged: it cannot be opened as a ZIP archive"),
        ("damaged-sheet.xlsx", "the workbook is damaged: xl/worksheets/sheet1.xml fails its checksum"),
        ("malformed-xml.xlsx", "is not well-formed XML (line 1: mismatched tag)"),
        ("encrypted.xlsx", "password-protected (encrypted) workbook or an old .xls file"),
        ("csv-named.xlsx", "is named like an Excel workbook but is not one"),
        ("web-page.xls", "a web page (HTML) saved with an .xls name"),
        ("plain.ods", "an OpenDocument spreadsheet (.ods)"),
    ])
    func badFiles(file: String, fragment: String) throws {
        let path = Self.workbook(file)
        let error = #expect(throws: DataError.self) { try IndexCommand.parse([path, "-i", "khanhhoa-admin"]).render() }
        let text = error?.description ?? ""
        #expect(text.contains(fragment), "\(text)")
        #expect(text.hasPrefix(path + ": ") && !text.contains("\n"))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 < 200_000)
    }

    @Test("a deflate stream that runs past its entry (a fuzzing find) fails in a second with one sentence, through the binary",
          .requires(sipasBinaryBuilt, "needs the built binary (swift build)"))
    func inflatePastEntry() throws {
        let binary = sipasBinary
        try requireBinary()
        // In a child process with a time limit: before the fix the reader never returned.
        let path = Self.workbook("inflate-past-entry.xlsx")
        let result = try ChildProcess.run(binary, ["index", path, "-i", "khanhhoa-admin", "--lang", "en"], timeout: 60)
        #expect(result.status == 1)
        #expect(result.errorText.contains("\(path): the workbook is damaged: xl/worksheets/sheet1.xml fails its checksum"), "\(result.errorText)")
        #expect(result.errorText.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1)
    }

    @Test("a damaged copy of a workbook, cut or overwritten anywhere, fails with a DataError and never hangs or crashes")
    func mutatedWorkbooks() throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.workbook("text-in-answer.xlsx"))))
        var random = SplitMix(seed: 14)
        try withTemporaryFolder { folder in
            for trial in 0..<60 {
                var bytes = original
                switch trial % 3 {
                case 0: bytes.removeLast(Int(random.next() % UInt64(bytes.count - 1)) + 1)
                case 1:
                    let start = Int(random.next() % UInt64(bytes.count - 16))
                    for index in start..<start + 16 { bytes[index] = UInt8(truncatingIfNeeded: random.next()) }
                default:
                    bytes[Int(random.next() % UInt64(bytes.count))] ^= 0xFF
                }
                let path = folder.path("mutated-\(trial).xlsx")
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                do {
                    _ = try DataFile.read(path: path, instrument: try Instrument.resolve("khanhhoa-admin"))
                } catch let error as DataError {
                    #expect(!error.description.isEmpty)
                }
            }
        }
    }

    // MARK: Commands and the session

    @Test("a session opens a sheet, says where the header is, and passes the sheet to analyses")
    func session() throws {
        let s = REPLSession(workingDirectory: TestPaths.fixtures.path)
        _ = s.execute("set lang en")
        let opened = s.execute("open xlsx/office.xlsx --sheet Phiếu as o")
        #expect(opened.output.contains("opened o: 562 rows, 32 columns, sheet 'Phiếu', header row 5"), "\(opened.output)")
        #expect(s.state.currentDataset?.selection == SheetSelection(sheet: "Phiếu"))
        #expect(!s.execute("instrument khanhhoa-admin").failed)
        #expect(!s.execute("set format json").failed)
        let fromWorkbook = try json(s.execute("index --by unit_id").output)
        let fromCSV = try json(IndexCommand.parse([Self.csv, "-i", "khanhhoa-admin", "--by", "unit_id", "--format", "json",
                                                   "--lang", "en"]).render())
        expectSame(fromWorkbook, fromCSV)
        #expect(s.execute("where unit_id = U05").output.contains("keeps 66 of 562 rows"))
        #expect(s.execute("open xlsx/office.xlsx sheet Nope").output.contains("no sheet 'Nope'"))
        #expect(s.execute("open xlsx/office.xlsx --header-row x").failed)
    }

    @Test("sampling commands read a frame from a workbook")
    func samplingFrame() throws {
        try withTemporaryFolder { folder in
            var csv = "id,name,field\n"
            for id in 1...50 { csv += "\(id),Người \(id),\(id % 2 == 0 ? "dat_dai" : "tu_phap")\n" }
            let path = folder.path("frame.xlsx")
            try HandMadeWorkbook(rows: HandMadeWorkbook.row(1, values: ["DANH SÁCH TỔNG THỂ"]) + sheetRows(csv: csv, headerRow: 3)).write(to: path)
            let file = try SamplingFile(path: path, columns: ["id", "field"])
            #expect(file.rows.count == 50)
            #expect(try file.texts("field").filter { $0 == "dat_dai" }.count == 25)
        }
    }
}

/// A small seeded generator for the mutation test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
