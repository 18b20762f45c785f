import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASData
import SIPASInstrument
import SIPASReport

/// SPSS (.sav, .zsav) and Stata (.dta) files read through ReadStat as the same data saved as CSV (issue 14,
/// part 2). The fixtures in Fixtures/statfiles were written by pyreadstat from units U01-U04 of the bundled
/// dataset (make_statfiles.py): subset.csv is what each of them must read as.
@Suite("SPSS and Stata files (ReadStat)")
struct StatFileReaderTests {
    static func fixture(_ name: String) -> String { TestPaths.fixture("statfiles/\(name)") }
    static let csv = fixture("subset.csv")
    static let equivalents = ["survey.sav", "survey.zsav", "survey.dta"]
    static let design = ["--strata", "stratum", "--cluster", "cluster", "--weight", "weight"]

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// An output with what a file format legitimately changes taken out: an item's blank and missing-code
    /// counts become their sum (a cell the file declares missing is counted under its own reason instead of
    /// blank or code 9), its missing labels go, and invalid cells keep their row but not their "line" (a .sav
    /// has no lines).
    func normalized(_ value: Any) -> Any {
        switch value {
        case var object as [String: Any]:
            if object["item"] != nil, let blank = object["blank"] as? Int, let codes = object["missing_codes"] as? Int {
                object["blank"] = nil
                object["missing_codes"] = nil
                object["missing_labels"] = nil
                object["not_answered"] = blank + codes
            }
            if object["row"] != nil && object["value"] != nil { object["line"] = nil }
            return object.mapValues(normalized)
        case let array as [Any]:
            return array.map(normalized)
        default:
            return value
        }
    }

    /// Two JSON outputs agree: the same keys and texts, numbers within 1e-12 (absolute + relative), the top-level
    /// "source" (the file name) aside.
    func expectSame(_ left: Any, _ right: Any, path: String = "") {
        switch (left, right) {
        case let (a as [String: Any], b as [String: Any]):
            let keys = Set(a.keys).union(b.keys).subtracting(path.isEmpty ? ["source"] : [])
            for key in keys.sorted() {
                guard let x = a[key], let y = b[key] else {
                    Issue.record("\(path).\(key) is in one output only")
                    continue
                }
                expectSame(x, y, path: "\(path).\(key)")
            }
        case let (a as [Any], b as [Any]):
            #expect(a.count == b.count, "\(path): \(a.count) vs \(b.count) elements")
            for (index, (x, y)) in zip(a, b).enumerated() { expectSame(x, y, path: "\(path)[\(index)]") }
        case let (a as String, b as String):
            #expect(a == b, "\(path)")
        case let (a as NSNumber, b as NSNumber):
            #expect(close(a.doubleValue, b.doubleValue, relative: 1e-12, absolute: 1e-12), "\(path): \(a) vs \(b)")
        case (is NSNull, is NSNull):
            break
        default:
            Issue.record("\(path): \(left) vs \(right)")
        }
    }

    // MARK: The same results as the CSV

    @Test("index: the same indices, design SEs and row accounting as the CSV, pooled and by unit", arguments: equivalents)
    func indexMatchesCSV(file: String) throws {
        for flags in [[], Self.design, Self.design + ["--by", "unit_id"], Self.design + ["--by", "unit_code"]] {
            let arguments = ["-i", "khanhhoa-admin", "--format", "json"] + flags
            let fromCSV = try json(IndexCommand.parse([Self.csv] + arguments).render())
            let fromFile = try json(IndexCommand.parse([Self.fixture(file)] + arguments).render())
            expectSame(normalized(fromFile), normalized(fromCSV))
            let rows = try #require((fromFile as? [String: Any])?["rows"] as? [String: Any])
            #expect(rows["read"] as? Int == 291)
        }
    }

    @Test("estimate, alpha, regress and compare read the same columns", arguments: equivalents)
    func otherCommandsMatchCSV(file: String) throws {
        let path = Self.fixture(file)
        // Columns without 9/99: without an instrument the CSV's 9 is a number, the file's user-missing 9 is blank.
        let estimate = ["--mean", "q02", "--mean", "q06", "--total", "weight", "--proportion", "gender=nu", "--ratio", "q02/q04",
                        "--format", "json"] + Self.design
        for by in [[], ["--by", "unit_id"]] {
            expectSame(try json(EstimateCommand.parse([path] + estimate + by).render()),
                       try json(EstimateCommand.parse([Self.csv] + estimate + by).render()))
        }
        let alpha = ["--items", "q02,q04,q06", "--format", "json"]
        expectSame(try json(AlphaCommand.parse([path] + alpha).render()), try json(AlphaCommand.parse([Self.csv] + alpha).render()))
        let regress = ["--y", "q02", "--x", "q04,q06,q09,weight", "--format", "json"]
        expectSame(try json(RegressCommand.parse([path] + regress).render()),
                   try json(RegressCommand.parse([Self.csv] + regress).render()))
        let compare = ["-i", "khanhhoa-admin", "--by", "unit_id", "--format", "json"] + Self.design
        expectSame(normalized(try json(CompareCommand.parse([path, "--previous", Self.csv] + compare).render())),
                   normalized(try json(CompareCommand.parse([Self.csv, "--previous", Self.csv] + compare).render())))
    }

    @Test("every column holds the CSV's text: codes stay codes, strings, ISO dates, weights to the last digit", arguments: equivalents)
    func sameTable(file: String) throws {
        let instrument = try Instrument.resolve("khanhhoa-admin")
        let fromCSV = try DataFile.read(path: Self.csv, instrument: instrument)
        let table = try DataFile.read(path: Self.fixture(file), instrument: instrument)
        #expect(table.rowCount == fromCSV.rowCount)
        #expect(table.columnNames == fromCSV.columnNames)
        for column in fromCSV.items {
            #expect(table.column(for: column.item.id)?.values == column.values, "\(column.item.id)")
        }
        for column in fromCSV.metadata where column.name != "weight" {
            let other = try table.requireMetadata(column.name)
            #expect((0..<table.rowCount).allSatisfy { other[$0] == column[$0] }, "\(column.name)")
        }
        #expect(try table.numbers(named: "weight") == fromCSV.numbers(named: "weight"))
        #expect(try table.requireMetadata("interview_date")[0] == "2024-05-10")
        #expect(try table.requireMetadata("unit_name")[0] == "Sở Tài chính")
    }

    @Test("variable labels and value labels are kept; codes stay codes", arguments: equivalents)
    func labels(file: String) throws {
        let table = try DataFile.read(path: Self.fixture(file), instrument: try Instrument.resolve("khanhhoa-admin"))
        #expect(table.columnLabels["q01"] == "Tiêu chí q01")
        #expect(table.columnLabels["unit_code"] == "Mã đơn vị")
        #expect(table.valueLabels["unit_code"]?["1"] == "Sở Nội vụ")
        #expect(table.valueLabels["unit_code"]?["4"] == "Sở Tài chính")
        #expect(table.valueLabels["q05"]?["5"] == "Rất hài lòng")
        #expect(try table.requireMetadata("unit_code")[0] == "4")
    }

    // MARK: Missing values the file declares

    @Test("SPSS user-missing values and ranges: the instrument's 9/99 stay codes, a refused 8 (range 7-8) has its own reason",
          arguments: ["survey.sav", "survey.zsav"])
    func spssUserMissing(file: String) throws {
        let instrument = try Instrument.resolve("khanhhoa-admin")
        let fromCSV = try DataFile.read(path: Self.csv, instrument: instrument)
        let table = try DataFile.read(path: Self.fixture(file), instrument: instrument)
        let q03 = try #require(table.column(for: "q03"))
        let reason = "SPSS user-missing 8 'Từ chối trả lời'"
        #expect(q03.missingLabelCounts == [reason: 7])
        #expect(q03.blankCount == fromCSV.column(for: "q03")!.blankCount - 7)
        #expect(table.fileMissingValues == [FileMissingCount(column: "q03", reason: reason, count: 7)])
        // 9 and 99 are declared missing in the file and by the instrument: counted as the codes, as in the CSV.
        for item in ["q01", "q05", "overall"] {
            #expect(table.column(for: item)?.missingCodeCounts == fromCSV.column(for: item)?.missingCodeCounts, "\(item)")
        }
        #expect(table.column(for: "overall")?.missingCodeCounts == [9: 1, 99: 1])
        // Without an instrument (regress, estimate) a user-missing value is blank, never a number.
        let plain = try DataFile.read(path: Self.fixture(file), columns: ["q03"])
        #expect(try plain.requireMetadata("q03")[3] == "")
    }

    @Test("Stata extended missing .a/.b/.c count as missing, each under its own reason with its label")
    func stataExtendedMissing() throws {
        let instrument = try Instrument.resolve("khanhhoa-admin")
        let fromCSV = try DataFile.read(path: Self.csv, instrument: instrument)
        let table = try DataFile.read(path: Self.fixture("survey.dta"), instrument: instrument)
        #expect(table.column(for: "q01")?.missingLabelCounts == ["Stata missing .a 'Không biết'": 2])
        #expect(table.column(for: "q05")?.missingLabelCounts == ["Stata missing .b 'Không trả lời'": 1])
        #expect(table.column(for: "overall")?.missingLabelCounts == ["Stata missing .a 'Không biết'": 1, "Stata missing .b 'Không trả lời'": 1])
        #expect(table.column(for: "q03")?.missingLabelCounts == ["Stata missing .c 'Từ chối trả lời'": 7])
        #expect(fromCSV.column(for: "q01")?.missingCodeCounts == [9: 2])
        #expect(table.fileMissingValues.map(\.count).reduce(0, +) == 12)
        // The per-item table of an index names the reasons.
        let output = try IndexCommand.parse([Self.fixture("survey.dta"), "-i", "khanhhoa-admin", "--format", "json"]).render()
        #expect(output.contains("\"Stata missing .c 'Từ chối trả lời'\": 7"))
    }

    // MARK: Bad files

    @Test("truncated, random-bytes, empty and missing files: one sentence naming the file, no crash")
    func badFiles() throws {
        try withTemporaryFolder { folder in
            let sav = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("survey.sav")))
            let dta = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("survey.dta")))
            let zsav = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("survey.zsav")))
            // Fixed pseudo-random bytes (xorshift), so every run tries the same file.
            var state: UInt64 = 0x2545_F491_4F6C_DD1D
            let random = Data((0..<4096).map { _ -> UInt8 in
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                return UInt8(truncatingIfNeeded: state >> 24)
            })
            let cases: [(String, Data, String)] = [
                ("cut-header.sav", sav.prefix(3000), "the file ends too early or is damaged"),
                ("cut-data.sav", sav.prefix(40_000), "the file ends too early or is damaged"),
                ("cut.zsav", zsav.prefix(5000), "the file ends too early or is damaged"),
                ("cut.dta", dta.prefix(20_000), "the file ends too early or is damaged"),
                ("random.sav", Data("$FL2".utf8) + random, "SPSS"),
                ("random-named.sav", random, "is not an SPSS data file (.sav, .zsav) that can be read"),
                ("random.dta", random, "Stata"),
                ("empty.sav", Data(), "the file is empty"),
                ("portable.por", random, "an SPSS portable file (.por), which sipas does not read"),
            ]
            for (name, bytes, fragment) in cases {
                let path = folder.path(name)
                try bytes.write(to: URL(fileURLWithPath: path))
                let error = #expect(throws: DataError.self, "\(name)") {
                    try IndexCommand.parse([path, "-i", "khanhhoa-admin"]).render()
                }
                let text = error?.description ?? ""
                #expect(text.contains(fragment), "\(name): \(text)")
                #expect(text.hasPrefix(path + ": ") && !text.contains("\n"), "\(text)")
            }
            let missing = #expect(throws: DataError.self) { try DataFile.read(path: folder.path("none.dta"), columns: nil) }
            #expect(missing?.description == folder.path("none.dta") + ": the file does not exist")
        }
    }

    @Test("damaged copies (cut anywhere, bytes overwritten in the header or the data) read or fail with one located sentence",
          arguments: equivalents)
    func damagedCopies(file: String) throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture(file))))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // a fixed xorshift sequence: the same copies on every run
        func next(_ bound: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let instrument = try Instrument.resolve("khanhhoa-admin")
        try withTemporaryFolder { folder in
            for copy in 0..<24 {
                var bytes = original
                if copy % 3 == 0 {
                    bytes = Array(bytes.prefix(next(bytes.count)))
                } else {
                    for _ in 0..<[1, 4, 32][copy % 3] {
                        bytes[next(copy % 2 == 0 ? min(bytes.count, 4000) : bytes.count)] = UInt8(next(256))
                    }
                }
                let path = folder.path("copy-\(copy)." + (file as NSString).pathExtension)
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                do {
                    _ = try DataFile.read(path: path, instrument: instrument)
                } catch let error as DataError {
                    #expect(error.description.hasPrefix(path) && !error.description.contains("\n"), "\(error)")
                }
            }
        }
    }

    @Test("a text weight and a sheet option are named by file, row and column, without lines")
    func locatedErrors() throws {
        let path = Self.fixture("survey.sav")
        let weight = #expect(throws: DataError.self) {
            try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--weight", "gender"]).render()
        }
        #expect(weight?.description == "\(path) (row 1, column 'gender'): 'nam' is not a number")
        let sheet = #expect(throws: DataError.self) { try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--sheet", "2"]).render() }
        #expect(sheet?.description.hasSuffix("this file is read as an SPSS file") == true)
    }

    @Test("value labels are shown where the column is displayed: index and compare by a coded unit, the report's composition and levels")
    func valueLabelsAreShown() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // 120 respondents in 3 coded districts (no name column), coded gender and level, with SPSS value labels.
        let n = 120
        let items = try Instrument.resolve("khanhhoa-admin").criteria.map(\.id) + ["overall"]
        var columns: [LabelledTable.Column] = [
            .init(name: "district", values: .numbers((0..<n).map { Double($0 % 3 + 1) }),
                  valueLabels: [(1, "Huyện Mường Lát"), (2, "Huyện Bắc Yên"), (3, "Huyện Sốp Cộp")]),
            .init(name: "gender", values: .numbers((0..<n).map { Double($0 % 2 + 1) }), valueLabels: [(1, "Nam"), (2, "Nữ")]),
            .init(name: "unit_level", values: .numbers((0..<n).map { $0 % 3 == 0 ? 1 : 2 }), valueLabels: [(1, "Cấp tỉnh"), (2, "Cấp huyện")]),
        ]
        for (k, item) in items.enumerated() {
            columns.append(.init(name: item, values: .numbers((0..<n).map { Double(3 + ($0 * 7 + k) % 3) })))
        }
        let path = folder.path("coded.sav")
        try StatFileWriter.write(LabelledTable(columns: columns, rowCount: n), to: path, format: .sav)

        let index = try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--by", "district"]).render()
        #expect(index.contains("Huyện Mường Lát") && index.contains("Huyện Sốp Cộp"), "\(index)")
        let compare = try CompareCommand.parse([path, "-i", "khanhhoa-admin", "--by", "district"]).render()
        #expect(compare.contains("1 Huyện Mường Lát") && compare.contains("2 Huyện Bắc Yên"), "\(compare)")
        // The codes stay codes in the machine output.
        let object = try #require(try json(IndexCommand.parse([path, "-i", "khanhhoa-admin", "--by", "district", "--format", "json"]).render()) as? [String: Any])
        let groups = (object["indices"] as? [[String: Any]] ?? []).compactMap { ($0["group"] as? [String: String])?["district"] }
        #expect(Set(groups) == ["1", "2", "3"])

        let options = ReportOptions(language: .vi, groupColumn: "district", province: "Tỉnh mẫu", replicates: 0, levelColumn: "unit_level")
        let report = try SurveyReport.build(table: try DataFile.read(path: path, instrument: try Instrument.resolve("khanhhoa-admin")),
                                            options: options)
        let markdown = report.markdown()
        #expect(markdown.contains("| Giới tính | Nam |") && markdown.contains("| Giới tính | Nữ |"), "composition by label")
        #expect(markdown.contains("— Cấp tỉnh (xếp hạng)") && markdown.contains("— Cấp huyện (xếp hạng)"), "level tables by label")
        #expect(markdown.contains("Huyện Bắc Yên (2)"), "unit names from the value labels")
    }

    @Test("the session opens .sav and .dta files and analyses them as the CSV")
    func sessionOpen() throws {
        for file in ["survey.sav", "survey.dta"] {
            let session = REPLSession(workingDirectory: TestPaths.packageRoot.path)
            let opened = session.execute("open \(Self.fixture(file)) as s")
            #expect(!opened.failed && opened.output.contains("291"), "\(opened.output)")
            #expect(!session.execute("instrument khanhhoa-admin").failed)
            #expect(!session.execute("set format json").failed)
            let output = session.execute("index --by unit_id").output
            let csvSession = REPLSession(workingDirectory: TestPaths.packageRoot.path)
            _ = csvSession.execute("open \(Self.csv) as s")
            _ = csvSession.execute("instrument khanhhoa-admin")
            _ = csvSession.execute("set format json")
            expectSame(normalized(try json(output)), normalized(try json(csvSession.execute("index --by unit_id").output)))
        }
    }
}
