import Foundation
import SIPASCommandLine
import SIPASSampling
import Testing

/// `sipas sample recheck` draws only from returned, valid forms, read from the same outcome columns as
/// `sipas sample accounting` (returned = yes/no, excluded_reason blank = valid).
@Suite("Sampling: re-check eligibility")
struct SamplingRecheckTests {
    static let outcomes = SamplingCommandTests.fixture("outcomes.csv")

    /// The cells of `column` in a CSV written by the command (no quoted commas in these files).
    static func column(_ column: String, of path: String) throws -> [String] {
        let lines = try SamplingCommandTests.csvLines(path)
        let index = try #require(lines[0].split(separator: ",", omittingEmptySubsequences: false).firstIndex { $0 == column })
        return lines.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[index]) }
    }

    @Test func fixtureDrawsFromReturnedFormsOnly() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let output = folder.path("recheck.csv")
        // outcomes.csv (make_fixtures.py): 2,667 rows, the last 27 not returned, none excluded → 2,640 eligible;
        // 20% of 2,640 = 528.
        let text = try SampleRecheckCommand.parse([Self.outcomes, "--fraction", "0.2", "--by", "enumerator", "-o", output,
                                                   "--lang", "en"]).render()
        #expect(try Self.column("returned", of: output).count == 528)
        #expect(try Self.column("returned", of: output).allSatisfy { $0 == "yes" })
        #expect(text.contains("rows read: 2,667; not returned: 27; excluded: 0; eligible: 2,640"))
        #expect(text.contains("total") && text.contains("2,640") && text.contains(" 528"))
        #expect(!text.contains("2,667       533"))
        let json = try SampleRecheckCommand.parse([Self.outcomes, "--fraction", "0.2", "--by", "enumerator",
                                                   "--format", "json"]).render()
        for key in ["\"rows_read\": 2667", "\"not_returned\": 27", "\"excluded\": 0", "\"eligible\": 2640", "\"drawn\": 528",
                    "\"returned_column\": \"returned\""] {
            #expect(json.contains(key), "\(key)")
        }
    }

    @Test func excludedAndNotReturnedFormsAreNeverDrawn() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.file("outcomes.csv", """
            form,name,enumerator,returned,excluded_reason
            F1,Á Thị Kín Đáo,A,yes,
            F2,Lò Văn Sơn,A,no,
            F3,Cầm Thị Lan,A,yes,filled_by_official
            F4,Hồ Văn Nam,B,có,
            F5,Đỗ Thị Mai,B,0,
            F6,Vũ Đức Long,B,1,
            F7,Ngô Minh Hà,C,không,
            """ + "\n")
        let output = folder.path("recheck.csv")
        let text = try SampleRecheckCommand.parse([file, "--fraction", "1", "--by", "enumerator", "-o", output,
                                                   "--lang", "en"]).render()
        #expect(try Self.column("form", of: output) == ["F1", "F4", "F6"])
        #expect(text.contains("rows read: 7; not returned: 3; excluded: 1; eligible: 3"))
        // Stratum C has no eligible form: it is listed with 0 (and draws none).
        let json = try SampleRecheckCommand.parse([file, "--fraction", "1", "--by", "enumerator", "--format", "json"]).render()
        #expect(json.contains("\"stratum\": \"C\"") && json.contains("\"eligible\": 0"))
        // Other column names through the same options as `sample accounting`.
        let renamed = try folder.file("renamed.csv", "form,enumerator,came_back,dropped\nF1,A,yes,\nF2,A,no,\nF3,A,yes,x\n")
        let renamedOutput = folder.path("renamed-recheck.csv")
        _ = try SampleRecheckCommand.parse([renamed, "--fraction", "1", "--returned-column", "came_back",
                                            "--excluded-column", "dropped", "-o", renamedOutput]).render()
        #expect(try Self.column("form", of: renamedOutput) == ["F1"])
        // A column named explicitly must exist.
        #expect(throws: (any Error).self) {
            try SampleRecheckCommand.parse([renamed, "--fraction", "1", "--returned-column", "returned"]).render()
        }
    }

    @Test func withoutAReturnedColumnEveryRowIsAReturnedForm() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.file("returned.csv", "form,enumerator\nF1,A\nF2,A\nF3,B\nF4,B\nF5,B\n")
        let text = try SampleRecheckCommand.parse([file, "--fraction", "0.2", "--by", "enumerator", "--lang", "en"]).render()
        #expect(text.contains("no column 'returned': every row counts as a returned form"))
        #expect(text.contains("no column 'excluded_reason': every returned form counts as valid"))
        #expect(text.contains("rows read: 5; not returned: 0; excluded: 0; eligible: 5"))
        let json = try SampleRecheckCommand.parse([file, "--fraction", "0.2", "--format", "json"]).render()
        #expect(json.contains("\"returned_column\": null") && json.contains("\"eligible\": 5") && json.contains("\"drawn\": 1"))
    }

    @Test func eligibilityReadsTheFileAsAccountingDoes() throws {
        let returned = ["yes", "no", "có", "1", "0"], excluded = ["", "", "filled_by_official", "", ""]
        let eligibility = try RecheckEligibility(file: "f.csv", rows: 5, returned: returned, returnedColumn: "returned",
                                                 excludedReason: excluded, excludedColumn: "excluded")
        #expect(eligibility.statuses == [.eligible, .notReturned, .excluded, .eligible, .notReturned])
        #expect(eligibility.notes.isEmpty && eligibility.returnedColumn == "returned" && eligibility.excludedColumn == "excluded")
        let counts = try FieldworkAccounting.counts(file: "f.csv", returned: returned, returnedColumn: "returned",
                                                    excludedReason: excluded, excludedColumn: "excluded")
        #expect(counts.issued - counts.returned == eligibility.notReturned && counts.valid == eligibility.eligible)
        let draw = try RecheckDraw.draw(strata: ["A", "A", "A", "B", "B"], eligibility: eligibility, fraction: 1, seed: 1)
        #expect(draw.map(\.drawn) == [[0], [3]])
        #expect(draw.map(\.eligible) == [1, 1] && draw.map(\.notReturned) == [1, 1] && draw.map(\.excluded) == [1, 0])
        // Messages give the file's row numbers (empty lines skipped), never the cell.
        #expect(throws: SamplingError(file: "f.csv", row: 7, column: "returned", vi: "cần yes hoặc no (hoặc 1/0, true/false, có/không)", en: "expected yes or no (also 1/0, true/false, có/không)")) {
            try RecheckEligibility(file: "f.csv", rows: 2, returned: ["yes", "0912 555 777"], returnedColumn: "returned",
                                   excludedReason: nil, excludedColumn: "excluded_reason", rowNumbers: [5, 7])
        }
        let list = try RecheckEligibility(file: "f.csv", rows: 3, returned: nil, returnedColumn: "returned", excludedReason: nil,
                                          excludedColumn: "excluded_reason")
        #expect(list.eligible == 3 && list.returnedColumn == nil && list.notes.count == 2)
        // A list of returned forms draws exactly as before eligibility existed.
        #expect(try RecheckDraw.draw(strata: ["A", "B", "A"], eligibility: list, fraction: 0.5, seed: 9)
                == RecheckDraw.draw(strata: ["A", "B", "A"], fraction: 0.5, seed: 9))
    }

    @Test func anUnreadableReturnedCellNamesRowAndColumnOnly() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.file("outcomes.csv", "form,returned\nF1,yes\nF2,0987 654 321\n")
        let error = #expect(throws: (any Error).self) { try SampleRecheckCommand.parse([file, "--fraction", "0.5"]).render() }
        let message = "\(error.map { $0 } as Any)"
        #expect(message.contains("row 2") && message.contains("'returned'") && message.contains("expected yes or no"))
        #expect(!message.contains("0987 654 321") && !message.contains("654 321"))
    }
}
