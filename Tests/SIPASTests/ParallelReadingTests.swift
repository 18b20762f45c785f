import Foundation
import Testing
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
import SIPASInstrument
@testable import SIPASCommandLine
import SIPASSupport

/// Issue 7's reader: a large file is parsed in pieces on several threads, design weights are read as numbers,
/// and the index of a clustered design forms every composite's unit totals in one pass. None of it may change
/// a table, an error message or a number.
@Suite("Reading in pieces and numeric columns give the same table")
struct ParallelReadingTests {
    static let header = "respondent_id,unit_id,note,weight,q01,q02,q03,q04,q05,q06,q07,q08,q09,q10,q11,q12,q13,q14,q15,q16,overall\n"

    /// A CSV of about `rows` × 60 bytes: quoted notes with commas (and, with `newlines`, a line end inside the
    /// quotes near the start of every row, so that most line ends a piece could start after are inside a field),
    /// blank and invalid answers, missing codes, empty lines and Vietnamese text.
    static func text(rows: Int, newlines: Bool) -> String {
        var rng = RandomSource(seed: 7, stream: [rows, newlines ? 1 : 0].map(UInt64.init))
        var lines = [header.dropLast()]
        for row in 1...rows {
            if row % 997 == 0 { lines.append(""); continue }
            let note: String
            switch row % 5 {
            case 0: note = newlines ? "\"a\nlong remark about the service, with a comma and ä \"\"quote\"\"\"" : "\"Sở Văn hóa, Thể thao\""
            case 1: note = "Ban Dân tộc"
            default: note = ""
            }
            let weight = row % 211 == 0 ? "" : String(format: "%.4f", 10 + rng.uniform() * 90)
            let answers = (0..<17).map { _ -> String in
                let draw = rng.integer(in: 0...40)
                return draw == 0 ? "" : draw == 1 ? "9" : draw == 2 ? "7" : String(1 + draw % 5)
            }
            lines.append(Substring("\(row),U\(row % 7),\(note),\(weight),\(answers.joined(separator: ","))"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func read(_ text: String, threads: Int, options: CSVReadOptions = .init()) throws -> ResponseTable {
        var options = options
        options.threads = threads
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        return try CSVReader.read(text: text, source: "test.csv", instrument: instrument, options: options)
    }

    static func expectSame(_ a: ResponseTable, _ b: ResponseTable) {
        #expect(a.rowCount == b.rowCount)
        #expect(a.emptyLineRows == b.emptyLineRows)
        #expect(a.invalidCellCount == b.invalidCellCount && a.invalidCells == b.invalidCells)
        #expect(a.items.count == b.items.count)
        for (x, y) in zip(a.items, b.items) {
            #expect(x.values == y.values && x.blankCount == y.blankCount && x.invalidCount == y.invalidCount)
            #expect(x.missingCodeCounts == y.missingCodeCounts)
        }
        #expect(a.metadata.map(\.name) == b.metadata.map(\.name))
        for (x, y) in zip(a.metadata, b.metadata) { #expect(x.levels == y.levels && x.codes == y.codes) }
        #expect(a.numberColumns.map(\.name) == b.numberColumns.map(\.name))
        for (x, y) in zip(a.numberColumns, b.numberColumns) {
            #expect(x.values.map(\.bitPattern) == y.values.map(\.bitPattern))
        }
    }

    @Test("pieces on 2 and 3 threads give the table of one pass (quoted commas; quoted line ends send it through one pass)",
          arguments: [false, true])
    func piecesEqualOnePass(newlines: Bool) throws {
        let text = Self.text(rows: 24_000, newlines: newlines)
        #expect(text.utf8.count > 1 << 20, "large enough to be read in pieces")
        let options = CSVReadOptions(numericColumns: ["weight"])
        let one = try Self.read(text, threads: 1, options: options)
        #expect(one.rowCount == 24_000 && one.emptyLineRows.count == 24)
        #expect(one.invalidCellCount > 100 && one.invalidCells.first.map { $0.line > $0.row } == true)
        for threads in [2, 3] {
            Self.expectSame(one, try Self.read(text, threads: threads, options: options))
            Self.expectSame(try Self.read(text, threads: 1), try Self.read(text, threads: threads))
        }
    }

    @Test("the pieces split where they should: after line ends, covering the file once")
    func pieceBoundaries() throws {
        let text = Self.text(rows: 24_000, newlines: false)
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            let buffer = UnsafeRawBufferPointer(raw)
            let pieces = CSVReader.pieces(buffer, from: 100, count: 3)
            #expect(pieces.count == 3 && pieces.first?.lowerBound == 100 && pieces.last?.upperBound == buffer.count)
            for (left, right) in zip(pieces, pieces.dropFirst()) {
                #expect(left.upperBound == right.lowerBound && buffer[right.lowerBound - 1] == UInt8(ascii: "\n"))
            }
            #expect(CSVReader.pieces(UnsafeRawBufferPointer(rebasing: buffer[0..<5000]), from: 0, count: 3).count == 1,
                    "a small file is one piece")
        }
    }

    @Test("an error in a file read in pieces names the same row, line and column as one pass")
    func errorsNameTheFilesRow() throws {
        var lines = Self.text(rows: 24_000, newlines: false).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[18_000] += ",extra"
        let broken = lines.joined(separator: "\n")
        func message(_ threads: Int, _ options: CSVReadOptions = .init()) -> String {
            do { _ = try Self.read(broken, threads: threads, options: options); return "no error" } catch { return "\(error)" }
        }
        #expect(message(1) == message(3) && message(1).contains("test.csv:18001 (row 18000)"))
        lines[18_000] = String(lines[18_000].dropLast(6))
        lines[20_000] = lines[20_000].replacingOccurrences(of: ".", with: "x")
        let badWeight = lines.joined(separator: "\n")
        func weightMessage(_ threads: Int) -> String {
            do { _ = try Self.read(badWeight, threads: threads, options: CSVReadOptions(numericColumns: ["weight"])); return "no error" }
            catch { return "\(error)" }
        }
        #expect(weightMessage(1) == weightMessage(2))
        #expect(weightMessage(1).contains("weight") && weightMessage(1).contains("is not a number") && weightMessage(1).contains("test.csv:20001 (row 20000"))
    }

    @Test("fast number parsing gives exactly what Double(String) gives, and leaves the rest to it")
    func fastNumbers() throws {
        var rng = RandomSource(seed: 11)
        for _ in 0..<20_000 {
            let digits = rng.integer(in: 1...19)
            var text = String((0..<digits).map { _ in Character(String(rng.integer(in: 0...9))) })
            let point = rng.integer(in: 0...digits)
            if point > 0 && point < digits { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            if rng.integer(in: 0...3) == 0 { text = "-" + text }
            let parsed = Array(text.utf8).withUnsafeBytes { NumberColumn.fastParse($0) }
            if let parsed {
                #expect(parsed.bitPattern == Double(text)!.bitPattern, "\(text)")
            }
        }
        for text in ["33.8380", "0.0001", "-0", "123456789012345", "9007199254740991"] {
            #expect(Array(text.utf8).withUnsafeBytes { NumberColumn.fastParse($0) }?.bitPattern == Double(text)!.bitPattern)
        }
        for text in [".5", "17.", "+3", "1e5", " 4", "4 ", "1.2.3", "", "-", "99999999999999999999", "nan"] {
            #expect(Array(text.utf8).withUnsafeBytes { NumberColumn.fastParse($0) } == nil, "\(text)")
        }
    }

    @Test("a column read as numbers holds what parsing its text gives; blank is NaN; asking for its text is a clear error")
    func numericColumns() throws {
        let text = Self.header + "1,U1,,33.8380,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,5\n2,U1,,,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,5\n"
            + "3,U2,, 1e2 ,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,5\n"
        let numeric = try Self.read(text, threads: 1, options: CSVReadOptions(numericColumns: ["weight"]))
        let plain = try Self.read(text, threads: 1)
        #expect(try numeric.numbers(named: "weight").map(\.bitPattern) == plain.numbers(named: "weight").map(\.bitPattern))
        #expect(try numeric.numbers(named: "weight")[0] == 33.838 && numeric.numbers(named: "weight")[1].isNaN
                && numeric.numbers(named: "weight")[2] == 100)
        #expect(numeric.metadata(named: "weight") == nil)
        #expect(throws: DataError.self) { try numeric.requireMetadata("weight") }
        do { _ = try numeric.requireMetadata("weight") } catch { #expect("\(error)".contains("read as numbers")) }
    }

    @Test("a session that read a column as numbers reads it again as text when an analysis needs its text")
    func cacheKeepsTextWhenAsked() throws {
        // As in a session: the tables read are kept (one-shot commands read every time).
        try CommandSession.$current.withValue(CommandSession(tables: TableCache())) {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let path = try folder.file("data.csv", Self.header + "1,U1,,2.5,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,5\n")
            let options = try DataOptions.parse([path, "-i", "khanhhoa-admin"])
            let numbers = try options.load(keeping: ["unit_id"], numbers: ["weight"])
            #expect(numbers.numberColumns.map(\.name) == ["weight"] && numbers.metadata(named: "weight") == nil)
            #expect(try options.load(keeping: [], numbers: ["weight"]).numberColumns.count == 1, "reused")
            let text = try options.load(keeping: ["weight"])
            #expect(try text.requireMetadata("weight")[0] == "2.5" && text.metadata(named: "unit_id") != nil)
            let again = try options.load(keeping: ["unit_id"], numbers: ["weight"])
            #expect(try again.numbers(named: "weight") == [2.5], "the text column serves a numeric request")
        }
    }

    @Test("index variances from one pass over the rows equal the design variance of each estimate's full influence vector",
          arguments: [true, false])
    func fusedTotalsEqualDenseVariance(clustered: Bool) throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path,
                                       instrument: instrument)
        let specification = clustered ? DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight")
            : DesignSpecification(strata: "stratum", weight: "weight")
        var options = IndexOptions(intervalMethod: .t, design: specification)
        options.keepInfluence = true
        let result = try IndexAnalysis.run(table: table, by: ["unit_id"], options: options)
        let design = try specification.build(table: table, rows: Array(0..<table.rowCount))
        var checked = 0
        for estimate in result.estimates {
            guard let influence = estimate.influence, let se = estimate.index.standardError else { continue }
            let variance = try design.variance(influence)
            #expect(abs(variance - se * se) <= 1e-12 * max(variance, 1e-300), "\(estimate.id) \(estimate.group)")
            checked += 1
        }
        #expect(checked > 500)
    }
}
