import Foundation
import Testing
@testable import SIPASData
@testable import SIPASInstrument

@Suite("Reading survey CSV")
struct CSVReaderTests {
    static let mini = try! Instrument.load(path: TestPaths.fixture("mini.yaml"))

    static var badFiles: [(String, String)] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("bad-csv/expected-errors.json")))
        let expected = try! JSONSerialization.jsonObject(with: data) as! [String: String]
        return expected.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    @Test("each file of the bad-CSV corpus fails with its expected message", arguments: badFiles)
    func badFile(name: String, expected: String) {
        let path = TestPaths.fixture("bad-csv/\(name)")
        do {
            _ = try CSVReader.read(path: path, instrument: Self.mini)
            Issue.record("\(name) was accepted; expected: \(expected)")
        } catch let error as DataError {
            #expect(error.description.contains(expected), "\(name): \(error.description)")
            #expect(error.description.hasPrefix(path), "the message names the file")
        } catch {
            Issue.record("\(name): unexpected error \(error)")
        }
    }

    @Test("BOM, ';', CRLF, NFD text and quoted fields with separators, quotes and newlines read like the plain file")
    func variantsAgree() throws {
        let plain = try CSVReader.read(path: TestPaths.fixture("good-csv/plain.csv"), instrument: Self.mini)
        let variant = try CSVReader.read(path: TestPaths.fixture("good-csv/bom-semicolon-crlf-nfd.csv"), instrument: Self.mini)
        #expect(variant.delimiter == UInt8(ascii: ";"))
        #expect(plain.rowCount == 5 && variant.rowCount == 5)
        for column in plain.items {
            #expect(variant.column(for: column.item.id)?.values == column.values, "\(column.item.id)")
        }
        let units = try variant.requireMetadata("unit")
        #expect(units.levels == ["Sở Tư pháp", "UBND huyện Mường Lát", "Sở Y tế"])
        #expect(units.levels[0].unicodeScalars.count == "Sở Tư pháp".precomposedStringWithCanonicalMapping.unicodeScalars.count,
                "stored as NFC")
        let notes = try variant.requireMetadata("note")
        #expect((0..<5).map { notes[$0] } == ["a; b", "line one\r\nline two", "say \"hi\"", "plain", ""])
    }

    @Test("values: blank and missing codes are missing, invalid cells are reported with row, line, column and value")
    func invalidValues() throws {
        let table = try CSVReader.read(path: TestPaths.fixture("invalid-values.csv"), instrument: Self.mini)
        #expect(table.column(for: "a1")?.values == [5, 0, 4, 0, 0])
        #expect(table.column(for: "b1")?.values == [0, 3, 4, 0, 0])
        #expect(table.column(for: "b1")?.missingCodeCounts == [9: 1])
        #expect(table.column(for: "overall")?.missingCodeCounts == [99: 1])
        #expect(table.invalidCellCount == 3)
        #expect(table.invalidCells == [
            InvalidCell(row: 1, line: 2, column: "b1", value: "7"),
            InvalidCell(row: 2, line: 3, column: "a1", value: "x"),
            InvalidCell(row: 5, line: 6, column: "a1", value: "0"),
        ])
        #expect(table.column(for: "a1")?.blankCount == 1)
    }

    @Test("--strict fails on the first invalid cell, naming file, line, row, column and what was expected")
    func strict() {
        let path = TestPaths.fixture("invalid-values.csv")
        #expect {
            try CSVReader.read(path: path, instrument: Self.mini, options: CSVReadOptions(strict: true))
        } throws: { error in
            (error as? DataError)?.description
                == "\(path):2 (row 1, column 'b1'): '7' is not a valid likert5 answer (expected 1-5, one of its labels ('Rất không hài lòng' … 'Rất hài lòng'), "
                + "a missing code 9/99 or blank)"
        }
    }

    @Test("--map reads items from differently named columns; unknown mapped items are an error")
    func mapping() throws {
        let text = "ma,Cau_1,Cau_2,b1,b2,b3\n1,5,4,3,2,1\n"
        let table = try CSVReader.read(text: text, source: "m.csv", instrument: Self.mini,
                                       options: CSVReadOptions(columnMapping: ["a1": "Cau_1", "a2": "Cau_2"]))
        #expect(table.column(for: "a1")?.values == [5])
        #expect(table.column(for: "a2")?.sourceColumn == "Cau_2")
        #expect(table.absentItems.map(\.id) == ["overall"])
        #expect(throws: DataError.self) {
            try CSVReader.read(text: text, source: "m.csv", instrument: Self.mini,
                               options: CSVReadOptions(columnMapping: ["zz": "Cau_1"]))
        }
    }

    @Test("spreadsheet exports: '4.0' is 4, '4.5' is invalid, spaces are trimmed; empty lines are counted")
    func numberForms() throws {
        let text = "a1,a2,b1,b2,b3\n4.0, 5 ,4.5,4,4\n\n3,3,3,3,3"
        let table = try CSVReader.read(text: text, source: "n.csv", instrument: Self.mini)
        #expect(table.rowCount == 3)
        #expect(table.emptyLineRows == [1])
        #expect(table.column(for: "a1")?.values == [4, 0, 3])
        #expect(table.column(for: "a2")?.values == [5, 0, 3])
        #expect(table.column(for: "b1")?.invalidCount == 1)
    }

    @Test("multi-select nominal cells hold several codes")
    func multiSelect() throws {
        let instrument = try #require(try InstrumentPreset.named("laichau-full"))
        let header = instrument.criteria.map(\.id).joined(separator: ",") + ",p02"
        let answers = Array(repeating: "5", count: 27).joined(separator: ",")
        let table = try CSVReader.read(text: "\(header)\n\(answers),1|4\n\(answers),2 3\n\(answers),\n\(answers),1|42\n",
                                       source: "p.csv", instrument: instrument)
        let column = try #require(table.column(for: "p02"))
        #expect(column.selections == [0b1001, 0b0110, 0, 0])
        #expect(column.values == [1, 1, 0, 0])
        #expect(column.invalidCount == 1)
    }
}
