import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASData
import SIPASInstrument
import SIPASModels
import SIPASEstimation

/// `sipas prepare`: the cleaned respondent table written as .sav, .zsav, .dta, .xlsx or .csv, read back by
/// sipas (the same indices as the source) and as an independent reader saw it (prepared-expected.json, written
/// once by pyreadstat from files sipas wrote: see Fixtures/README.md).
@Suite("sipas prepare")
struct PrepareCommandTests {
    static let source = StatFileReaderTests.fixture("survey.sav")
    static let csv = StatFileReaderTests.csv
    static let design = StatFileReaderTests.design
    let helper = StatFileReaderTests()

    func prepare(_ input: String, to output: String, _ extra: [String] = []) throws -> String {
        try PrepareCommand.parse([input, "-i", "khanhhoa-admin", "--output", output] + Self.design + extra).render()
    }

    /// An index output with the cells a cleaned file no longer distinguishes folded together: blank, missing
    /// codes and invalid cells of an item become one "not answered" count, and the list of invalid cells goes.
    func folded(_ value: Any) -> Any {
        switch value {
        case var object as [String: Any]:
            if object["item"] != nil, let blank = object["blank"] as? Int, let codes = object["missing_codes"] as? Int,
               let invalid = object["invalid"] as? Int {
                for key in ["blank", "missing_codes", "invalid", "missing_labels"] { object[key] = nil }
                object["not_answered"] = blank + codes + invalid
            }
            object["invalid_cells"] = nil
            return object.mapValues(folded)
        case let array as [Any]:
            return array.map(folded)
        default:
            return value
        }
    }

    @Test("each format read back gives the source's indices, design SEs and row accounting (1e-12), pooled and by unit",
          arguments: ["sav", "zsav", "dta", "xlsx", "csv"])
    func roundTrip(format: String) throws {
        try withTemporaryFolder { folder in
            let output = folder.path("prepared.\(format)")
            let receipt = try prepare(Self.source, to: output)
            #expect(receipt.hasPrefix("đã ghi \(output): 291 dòng × 37 cột"))
            #expect(receipt.contains("Số dòng: đọc 291 = dùng 290 + loại 1"))
            for flags in [Self.design, Self.design + ["--by", "unit_id"]] {
                let arguments = ["-i", "khanhhoa-admin", "--format", "json"] + flags
                let original = try helper.json(IndexCommand.parse([Self.csv] + arguments).render())
                let readBack = try helper.json(IndexCommand.parse([output] + arguments).render())
                helper.expectSame(folded(readBack), folded(original))
            }
            // The weights column is the design's weight; the same index follows from it.
            let reweighted = try helper.json(IndexCommand.parse([output, "-i", "khanhhoa-admin", "--format", "json", "--strata", "stratum",
                                                                 "--cluster", "cluster", "--weight", "design_weight"]).render())
            let original = try helper.json(IndexCommand.parse([Self.csv, "-i", "khanhhoa-admin", "--format", "json"] + Self.design).render())
            // (The design's summary names the weight column; its degrees of freedom are compared above.)
            func withoutDesign(_ value: Any) -> Any {
                var object = value as? [String: Any] ?? [:]
                object["design"] = nil
                return folded(object)
            }
            helper.expectSame(withoutDesign(reweighted), withoutDesign(original))
        }
    }

    @Test("the receipt speaks --lang: Vietnamese words and number style by default, English with --lang en")
    func receiptLanguage() throws {
        try withTemporaryFolder { folder in
            let data = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path
            let output = folder.path("prepared.csv")
            let vi = try PrepareCommand.parse([data, "-i", "khanhhoa-admin", "--output", output]).render()
            #expect(vi == "đã ghi \(output): 2.640 dòng × 35 cột (17 cột câu trả lời, 5 điểm yếu tố, design_weight, excluded_reason)\n"
                        + "Số dòng: đọc 2.640 = dùng 2.640 + loại 0\n", "\(vi)")
            #expect(try PrepareCommand.parse([data, "-i", "khanhhoa-admin", "--output", output, "--lang", "vi"]).render() == vi)
            let en = try PrepareCommand.parse([data, "-i", "khanhhoa-admin", "--output", output, "--lang", "en"]).render()
            #expect(en == "wrote \(output): 2,640 rows × 35 columns (17 answer columns, 5 factor scores, design_weight, excluded_reason)\n"
                        + "Rows: read 2,640 = used 2,640 + excluded 0\n", "\(en)")
            // Renamed columns and exclusion reasons are in the receipt's language too.
            let odd = try folder.file("odd.csv", "Câu hỏi 1,q01,q02,q03,q04,q05,q06,q07,q08,q09,q10,q11,q12,q13,q14,q15,q16\n"
                                          + "a,5,4,3,5,4,3,5,4,3,5,4,3,5,4,3,5\nb,,,,,,,,,,,,,,,,\n")
            let renamed = try PrepareCommand.parse([odd, "-i", "khanhhoa-admin", "-o", folder.path("odd.dta")]).render()
            #expect(renamed.contains("tên cột đã đổi cho hợp định dạng: 'Câu hỏi 1' → Cau_hoi_1"), "\(renamed)")
            #expect(renamed.contains("Số dòng: đọc 2 = dùng 1 + loại 1\n  - ") && !renamed.contains("no criterion answered"), "\(renamed)")
            let renamedEnglish = try PrepareCommand.parse([odd, "-i", "khanhhoa-admin", "-o", folder.path("odd.dta"), "--lang", "en"]).render()
            #expect(renamedEnglish.contains("columns renamed for the format: 'Câu hỏi 1' → Cau_hoi_1"))
            #expect(renamedEnglish.contains("  - no criterion answered (all blank, missing codes or invalid): 1"))
        }
    }

    @Test("factor scores, weights and exclusion reasons are the ones sipas computes; answers are cleaned codes",
          arguments: ["sav", "dta", "csv"])
    func derivedColumns(format: String) throws {
        try withTemporaryFolder { folder in
            let output = folder.path("prepared.\(format)")
            _ = try prepare(Self.source, to: output)
            let instrument = try Instrument.resolve("khanhhoa-admin")
            let original = try DataFile.read(path: Self.source, instrument: instrument)
            let back = try DataFile.read(path: output, columns: nil)
            for (factor, scores) in DriverAnalysis.factorScores(original) {
                let written = try back.numbers(named: "score_\(factor.id)")
                #expect(written.count == scores.count)
                #expect(zip(written, scores).allSatisfy { $0.isNaN && $1.isNaN || close($0, $1, relative: 1e-15) }, "\(factor.id)")
            }
            #expect(try back.numbers(named: "design_weight") == original.numbers(named: "weight"))
            let reasons = IndexAnalysis.rowReasons(table: original)
            let written = try back.requireMetadata("excluded_reason")
            #expect((0..<back.rowCount).map { written[$0] } == reasons.map { $0 ?? "" })
            #expect(written[50] == "no criterion answered (all blank, missing codes or invalid)")
            // Codes stay codes; a missing code (9), a refused 8 or an invalid 6 is blank.
            let q01 = try back.requireMetadata("q01")
            #expect(q01[5] == "" && q01[0] == "3")
            #expect(try back.requireMetadata("q03")[3] == "")
            #expect(try back.requireMetadata("q10")[40] == "")
            #expect(try back.requireMetadata("interview_date")[0] == "2024-05-10")
            #expect(try back.requireMetadata("unit_name")[0] == "Sở Tài chính")
        }
    }

    @Test("what pyreadstat read from sipas's .sav and .dta (prepared-expected.json) is what sipas reads back", arguments: ["sav", "dta"])
    func independentReader(format: String) throws {
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: StatFileReaderTests.fixture("prepared-expected.json")))) as? [String: Any])
        let file = try #require(expected[format] as? [String: Any])
        let columns = try #require(file["columns"] as? [[String: Any]])
        try withTemporaryFolder { folder in
            let output = folder.path("prepared.\(format)")
            _ = try prepare(Self.source, to: output)
            let back = try DataFile.read(path: output, columns: nil)
            #expect(back.rowCount == file["rows"] as? Int)
            #expect(back.columnNames == columns.map { $0["name"] as! String })
            for column in columns {
                let name = column["name"] as! String
                #expect((back.columnLabels[name] ?? "") == column["label"] as? String, "\(name)")
                #expect((back.valueLabels[name] ?? [:]) == column["value_labels"] as? [String: String], "\(name)")
                let text = try back.requireMetadata(name)
                #expect((0..<back.rowCount).filter { !text[$0].isEmpty }.count == column["present"] as? Int, "\(name)")
                let first = column["first"] as! [Any]
                for (row, value) in first.enumerated() {
                    switch value {
                    case is NSNull: #expect(text[row] == "", "\(name) row \(row)")
                    case let string as String: #expect(text[row] == string, "\(name) row \(row)")
                    case let number as NSNumber:
                        #expect(close(Double(text[row]), number.doubleValue, relative: 1e-15), "\(name) row \(row): \(text[row]) vs \(number)")
                    default: Issue.record("\(name): \(value)")
                    }
                }
                if let sum = column["sum"] as? NSNumber {
                    let total = try back.numbers(named: name).filter { !$0.isNaN }.reduce(0, +)
                    #expect(close(total, sum.doubleValue, relative: 1e-12), "\(name)")
                }
            }
            // Dates are dates to SPSS and Stata, not texts.
            let date = columns.first { $0["name"] as? String == "interview_date" }
            #expect(date?["format"] as? String == (format == "sav" ? "DATE11" : "%td"))
            // The labels come from the instrument (criteria, answers) and from the source file (unit names).
            #expect(back.valueLabels["q01"]?["5"] == "Rất hài lòng")
            #expect(back.valueLabels["unit_code"]?["1"] == "Sở Nội vụ")
            #expect(back.columnLabels["q04"]?.hasPrefix("Quy định thủ tục hành chính") == true)
        }
    }

    @Test("in a session: prepare writes the current dataset with the session's design and where filter")
    func session() throws {
        try withTemporaryFolder { folder in
            let session = REPLSession(workingDirectory: folder.path)
            #expect(!session.execute("open \(StatFileReaderTests.fixture("survey.dta")) as s").failed)
            #expect(!session.execute("instrument khanhhoa-admin").failed)
            #expect(!session.execute("design --strata stratum --cluster cluster --weight weight").failed)
            #expect(!session.execute("where unit_code = 1").failed)
            let outcome = session.execute("prepare --output scored.csv")
            #expect(!outcome.failed && outcome.output.contains("  - loại theo where unit_code = 1: 247"), "\(outcome.output)")
            #expect(session.execute("prepare --output scored.csv --lang en").output.contains("  - excluded by where unit_code = 1: 247"))
            let back = try DataFile.read(path: folder.path("scored.csv"), columns: nil)
            let codes = try back.requireMetadata("unit_code"), reasons = try back.requireMetadata("excluded_reason")
            #expect((0..<back.rowCount).allSatisfy { codes[$0] == "1" || reasons[$0] == "excluded by where unit_code = 1" })
            #expect(session.execute("help prepare").output.contains("prepare --output"))
        }
    }

    @Test("texts with commas, quotes, line breaks and Vietnamese survive .sav, .dta, .csv and .xlsx; a long text cannot go to Stata")
    func awkwardTexts() throws {
        try withTemporaryFolder { folder in
            let answers = (1...16).map { _ in "4" }.joined(separator: ",")
            let header = "note," + (1...16).map { String(format: "q%02d", $0) }.joined(separator: ",")
            let long = String(repeating: "ư", count: 1100)
            let data = try folder.file("notes.csv", header + "\n\"Phường 1, \"\"Hà Nội\"\"\r\ndòng 2\",\(answers)\n,\(answers)\n")
            // (.xlsx: libxlsxwriter stores the CR as _x000D_, as Excel does; the workbook reader decodes it.)
            for format in ["sav", "dta", "zsav", "csv", "xlsx"] {
                let output = folder.path("prepared-notes.\(format)")
                _ = try PrepareCommand.parse([data, "-i", "khanhhoa-admin", "-o", output]).render()
                let back = try DataFile.read(path: output, columns: ["note"])
                #expect(try back.requireMetadata("note")[0] == "Phường 1, \"Hà Nội\"\r\ndòng 2", "\(format)")
                #expect(try back.requireMetadata("note")[1] == "", "\(format)")
                #expect(back.rowCount == 2)
            }
            let longData = try folder.file("long.csv", header + "\n\(long),\(answers)\n")
            let error = #expect(throws: (any Error).self) {
                try PrepareCommand.parse([longData, "-i", "khanhhoa-admin", "-o", folder.path("long.dta")]).render()
            }
            #expect("\(error!)".contains("column 'note' holds a text of 2200 bytes; a Stata text column holds at most 2045"))
            _ = try PrepareCommand.parse([longData, "-i", "khanhhoa-admin", "-o", folder.path("long.sav")]).render()
            #expect(try DataFile.read(path: folder.path("long.sav"), columns: ["note"]).requireMetadata("note")[0] == long)
        }
    }

    @Test("workbook text escapes _xHHHH_ are decoded (ECMA-376 ST_Xstring); other underscores stay")
    func workbookEscapes() {
        func decoded(_ text: String) -> String { String(decoding: XLSXCellText.unescapingCharacters(Array(text.utf8)), as: UTF8.self) }
        #expect(decoded("a_x000D_\nb") == "a\r\nb")
        #expect(decoded("_x005F_x000D_") == "_x000D_")
        #expect(decoded("Phường_x0009_1") == "Phường\t1")
        #expect(decoded("unit_x1") == "unit_x1")
        #expect(decoded("q_x00zz_") == "q_x00zz_")
        #expect(decoded("_x") == "_x")
    }

    @Test("the workbook has the data sheet and a labels sheet")
    func workbookLabels() throws {
        try withTemporaryFolder { folder in
            let output = folder.path("prepared.xlsx")
            _ = try prepare(Self.source, to: output)
            #expect(try XLSXReader.sheetNames(path: output) == ["data", "labels"])
            let labels = try DataFile.read(path: output, columns: ["column", "label", "value labels"],
                                           selection: SheetSelection(sheet: "labels"))
            let names = try labels.requireMetadata("column")
            let row = try #require((0..<labels.rowCount).first { names[$0] == "q01" })
            #expect(try labels.requireMetadata("value labels")[row].hasPrefix("1 = Rất không hài lòng; 2 = Không hài lòng"))
        }
    }

    @Test("names SPSS and Stata refuse are changed and listed; other extensions and the data file itself are refused")
    func namesAndRefusals() throws {
        try withTemporaryFolder { folder in
            let data = try folder.file("odd.csv", "Câu hỏi 1,1st,q01,q02,q03,q04,q05,q06,q07,q08,q09,q10,q11,q12,q13,q14,q15,q16\n"
                                           + "a,1,5,4,3,5,4,3,5,4,3,5,4,3,5,4,3,5\nb,2,,,,,,,,,,,,,,,,\n")
            let receipt = try PrepareCommand.parse([data, "-i", "khanhhoa-admin", "-o", folder.path("odd.dta")]).render()
            #expect(receipt.contains("'Câu hỏi 1' → Cau_hoi_1, '1st' → v1st"))
            let back = try DataFile.read(path: folder.path("odd.dta"), columns: nil)
            #expect(back.columnNames.prefix(2) == ["Cau_hoi_1", "v1st"])
            #expect(try back.requireMetadata("excluded_reason")[1] == "no criterion answered (all blank, missing codes or invalid)")
            #expect(try back.requireMetadata("design_weight")[1] == "1")
            for bad in ["out.txt", "out", "folder/", ".sav", ""] {
                #expect(throws: (any Error).self, "\(bad)") {
                    try PrepareCommand.parseAsRoot([data, "-i", "khanhhoa-admin", "-o", bad.isEmpty ? "" : folder.path(bad)])
                }
            }
            #expect(throws: (any Error).self) { try PrepareCommand.parseAsRoot([data, "-i", "khanhhoa-admin", "-o", data]) }
        }
    }
}
