import ArgumentParser
import Foundation
import Testing
@testable import SIPASCommandLine
@testable import SIPASData
@testable import SIPASEstimation
@testable import SIPASInstrument
@testable import SIPASSynthetic

@Suite("Synthetic data and the sipas command")
struct GeneratorAndCLITests {
    static let bundled = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path

    @Test("the generator is deterministic and its truth file matches what the reader finds")
    func generatorTruth() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = folder.path("a.csv"), second = folder.path("b.csv")
        let survey = try SyntheticSurvey(.init(respondents: 3000, seed: 11, invalidRate: 0.01))
        let truth = try survey.write(to: first)
        try SyntheticSurvey(.init(respondents: 3000, seed: 11, invalidRate: 0.01)).write(to: second)
        #expect(FileManager.default.contentsEqual(atPath: first, andPath: second))
        let table = try CSVReader.read(path: first, instrument: try #require(try InstrumentPreset.named("khanhhoa-admin")))
        #expect(table.rowCount == 3000)
        for column in table.items {
            let id = column.item.id
            #expect(column.blankCount == truth.blankCells[id], "\(id) blank")
            #expect(column.invalidCount == truth.invalidCells[id], "\(id) invalid")
            #expect(column.missingCodeCounts.values.reduce(0, +) == truth.missingCodeCells[id], "\(id) missing codes")
        }
        // Unit indices span roughly the Sơn La 2024 range (83.76%–99.2%, seed 002).
        #expect(truth.unitCompleteSIPAS.min()! > 78 && truth.unitCompleteSIPAS.min()! < 88)
        #expect(truth.unitCompleteSIPAS.max()! > 97)
        // Feedback items are skipped far more often than the others.
        #expect(truth.blankCells["q14"]! > 5 * truth.blankCells["q01"]!)
        // The OLS slopes of overall on the complete factor scores lie near the true ones (attenuated by rounding).
        for (estimate, trueValue) in zip(truth.completeDataCoefficients.dropFirst(), SyntheticSurvey.trueSlopes) {
            #expect(abs(estimate - trueValue) < 0.12)
        }
    }

    @Test("the bundled dataset is what `sipas generate` writes with the documented options")
    func bundledDatasetReproduces() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("regenerated.csv")
        try SyntheticSurvey(.init(respondents: 2640, seed: 2024, year: 2024, invalidRate: 0.001)).write(to: path)
        #expect(FileManager.default.contentsEqual(atPath: path, andPath: Self.bundled))
    }

    @Test("`sipas index --format json` keeps the documented shape")
    func indexJSON() throws {
        let command = try IndexCommand.parse([Self.bundled, "--instrument", "khanhhoa-admin", "--by", "unit_id", "--format", "json"])
        let text = try command.render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let indices = try #require(object["indices"] as? [[String: Any]])
        let rows = try #require(object["rows"] as? [String: Any])
        #expect(rows["read"] as? Int == 2640)
        let excluded = try #require(rows["excluded"] as? [[String: Any]])
        #expect((rows["used"] as! Int) + excluded.reduce(0) { $0 + ($1["count"] as! Int) } == 2640)
        for key in ["kind", "id", "group", "estimate", "se", "ci_lower", "ci_upper", "n", "method"] {
            #expect(indices.allSatisfy { $0[key] != nil }, "every row has \(key)")
        }
        let pooled = indices.filter { ($0["group"] as? [String: String])?.isEmpty == true }
        #expect(pooled.filter { $0["kind"] as? String == "criterion" }.count == 16)
        #expect(pooled.filter { $0["kind"] as? String == "factor" }.count == 5)
        #expect(pooled.filter { $0["kind"] as? String == "content" }.count == 1)
        #expect(pooled.filter { $0["kind"] as? String == "overall" }.count == 1)
        let units = Set(indices.compactMap { ($0["group"] as? [String: String])?["unit_id"] })
        #expect(units.count == 32)
        let u01 = try #require(indices.first { $0["kind"] as? String == "criterion" && $0["id"] as? String == "q01"
            && ($0["group"] as? [String: String]) == ["unit_id": "U01"] })
        #expect(u01["method"] as? String == "beta")
        #expect(indices.allSatisfy { ($0["ci_upper"] as? Double ?? 0) <= 100 }, "the default interval stays inside the scale")
        let estimate = try #require(u01["estimate"] as? Double)
        #expect((u01["ci_lower"] as! Double) < estimate && estimate < (u01["ci_upper"] as! Double))
    }

    @Test("the unit overall indices agree with an independent recomputation from the raw file")
    func unitIndicesIndependent() throws {
        // Recompute each unit's SIPAS directly from the CSV text with the seed formula, without the library.
        let lines = try String(contentsOfFile: Self.bundled, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let unitColumn = header.firstIndex(of: "unit_id")!
        let items = (1...16).map { String(format: "q%02ld", $0) }
        var sums: [String: [Double]] = [:], counts: [String: [Double]] = [:]
        for line in lines.dropFirst() {
            // Unit names may hold quoted commas; they sit before the item columns, so parse from the right.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let tail = Array(fields.suffix(17))
            let unit = fields[unitColumn]
            for (j, _) in items.enumerated() {
                guard let value = Int(tail[j]), (1...5).contains(value) else { continue }
                sums[unit, default: Array(repeating: 0, count: 16)][j] += Double(value)
                counts[unit, default: Array(repeating: 0, count: 16)][j] += 1
            }
        }
        let result = try IndexAnalysis.run(
            table: try CSVReader.read(path: Self.bundled, instrument: try #require(try InstrumentPreset.named("khanhhoa-admin"))),
            by: ["unit_id"])
        for (unit, unitSums) in sums {
            let expected = zip(unitSums, counts[unit]!).reduce(0) { $0 + $1.0 / $1.1 / 5 * 100 } / 16
            let row = try #require(result.estimates.first { $0.kind == .overall && $0.group == [GroupValue(column: "unit_id", value: unit)] })
            #expect(close(row.index.estimate, expected, relative: 1e-12), "\(unit)")
        }
    }

    @Test("table and CSV output: Vietnamese decimal comma, English point, every row accounted for")
    func tableAndCSV() throws {
        let vi = try IndexCommand.parse([Self.bundled, "--instrument", "khanhhoa-admin"]).render()
        #expect(vi.contains("Số dòng: đọc 2.640 = dùng"))
        #expect(vi.contains("SIPAS"))
        let en = try IndexCommand.parse([Self.bundled, "-i", "khanhhoa-admin", "--lang", "en"]).render()
        #expect(en.contains("Rows: read 2,640 = used"))
        let csv = try IndexCommand.parse([Self.bundled, "-i", "khanhhoa-admin", "--format", "csv", "--by", "unit_level"]).render()
        let csvLines = csv.split(separator: "\n")
        #expect(csvLines[0].hasPrefix("unit_level,kind,id,label_vi,label_en,n,estimate,se,ci_lower,ci_upper"))
        // 24 rows (1 overall + 1 content + 5 factors + 16 criteria + overall item) for all, tinh and huyen.
        #expect(csvLines.count == 1 + 3 * 24)
    }

    @Test("a missing criterion column is an error that lists the columns found")
    func missingColumnMessage() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", "unit_id,q01,q02\nU1,5,5\n")
        #expect {
            try IndexCommand.parse([path, "--instrument", "khanhhoa-admin"]).render()
        } throws: { error in
            let text = String(describing: error)
            return text.contains("q03, q04") && text.contains("Columns found: unit_id, q01, q02") && text.contains(path)
        }
    }

    @Test("instrument subcommands list, show and check")
    func instrumentCommands() throws {
        let list = try InstrumentCommand.List.parse([]).render()
        #expect(list.split(separator: "\n").count == 4)
        let yaml = try InstrumentCommand.Show.parse(["khanhhoa-admin"]).render()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("copy.yaml", yaml)
        let check = try InstrumentCommand.Check.parse([path, "--lang", "en"]).render()
        #expect(check.contains("OK — instrument 'khanhhoa-admin', 1 content(s), 5 factor(s), 16 criteria"))
        let outline = try InstrumentCommand.Show.parse(["laichau-full", "--outline", "--lang", "en"]).render()
        #expect(outline.contains("expectation e10 [interval4]"))
    }
}
