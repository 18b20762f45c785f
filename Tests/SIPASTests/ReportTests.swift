import Foundation
import Testing
import SIPASCommandLine
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASModels
import SIPASAnalysis
import SIPASReport
import SIPASSynthetic

/// Shared inputs: the bundled synthetic survey with its design, analysed once.
enum ReportFixture {
    static let dataset = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path
    static let design = DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight")

    static func table(_ path: String = dataset) throws -> ResponseTable {
        try CSVReader.read(path: path, instrument: try Instrument.resolve("khanhhoa-admin"))
    }

    static func options(_ language: Language = .vi, design: DesignSpecification = design) -> ReportOptions {
        ReportOptions(language: language, groupColumn: "unit_id", province: "Sơn La", design: design, replicates: 0,
                      fieldwork: Fieldwork(issued: 2667, returned: 2640, valid: 2640, rechecked: 810, recheckConfirmed: 703,
                                           recheckUnreachable: 103, recheckRefused: 4))
    }

    /// (report, the estimators' own index result over the same data and design)
    static let vietnamese: Result<(SurveyReport, IndexResult), Error> = Result {
        let data = try table()
        let report = try SurveyReport.build(table: data, options: options())
        let indices = try IndexAnalysis.run(table: data, by: ["unit_id"], options: IndexOptions(design: design))
        return (report, indices)
    }

    /// The report as a province publishes it (issue 18's "done when"): levels apart (`--level unit_level`) and the
    /// year change (`--previous`, a synthetic 2023 wave), in either language.
    static func published(_ language: Language = .vi) throws -> SurveyReport {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let previous = try table(try writePreviousWave(in: folder))
        var options = options(language)
        options.levelColumn = "unit_level"
        return try SurveyReport.build(table: try table(), previous: previous, options: options)
    }
    static let publishedVietnamese = Result { try published(.vi) }
}

/// Runs a program and returns its standard output (tests only: unzip, chromium).
func runProgram(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
    let result = try ChildProcess.run(path, arguments)
    return (result.status, result.output)
}

/// A program that must exist here; under CI=true a missing one is a failure, not a skip.

@Suite("Report")
struct ReportTests {
    func fixture() throws -> (SurveyReport, IndexResult) { try ReportFixture.vietnamese.get() }

    func unitEstimate(_ indices: IndexResult, _ unit: String, kind: IndexKind = .overall) throws -> IndexEstimate {
        try #require(indices.estimates.first { $0.kind == kind && $0.group.first?.value == unit })
    }

    @Test func titleAndShortNameFollowSeed000() throws {
        let (report, _) = try fixture()
        #expect(report.title == "Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước trên địa bàn tỉnh Sơn La năm 2024")
        #expect(report.shortTitle == "SIPAS 2024")
        #expect(report.sections.map(\.id) == ["method", "fieldwork", "composition", "indices", "units", "drivers", "recommendations", "appendix"])
    }

    @Test func unitSIPASInEveryFormatEqualsIndexAnalysis() throws {
        let (report, indices) = try fixture()
        let style = NumberStyle(language: .vi)
        let ranking = try #require(report.tables.first { $0.id == "bieu-4" })
        for unit in ["U05", "U12", "U22"] {
            let expected = try unitEstimate(indices, unit)
            let row = try #require(ranking.rows.first { $0[1] == .text(unit) })
            #expect(row[4] == .percent(expected.index.estimate))
            #expect(row[5] == .interval(expected.index.lower, expected.index.upper))
            let formatted = style.fixed(expected.index.estimate)
            #expect(formatted.contains(","))
            // Markdown: the unit's row holds the figure with the decimal comma.
            let line = try #require(report.markdown().split(separator: "\n").first { $0.contains("| \(unit) |") && $0.hasPrefix("| ") && $0.contains("[") })
            #expect(line.contains("| \(formatted) |"))
            #expect(line.contains("[\(style.fixed(expected.index.lower)); \(style.fixed(expected.index.upper))]"))
            // HTML: the same cell.
            #expect(report.html().contains("<td>\(unit)</td>"))
            #expect(report.html().contains("<td class=\"num\">\(formatted)</td>"))
            // CSV: the plain number.
            let csvLine = try #require(ranking.csv(language: .vi).split(separator: "\n").first { $0.contains(",\(unit),") })
            #expect(csvLine.contains(",\(expected.index.estimate!),"))
        }
        // JSON: the number itself.
        let json = try JSONSerialization.jsonObject(with: Data(report.json().serialized().utf8)) as! [String: Any]
        let sections = json["sections"] as! [[String: Any]]
        let tables = sections.flatMap { $0["tables"] as! [[String: Any]] }
        let units = try #require(tables.first { $0["id"] as? String == "bieu-4" })
        let rows = units["rows"] as! [[Any]]
        let u05 = try #require(rows.first { $0[1] as? String == "U05" })
        #expect(close(u05[4] as? Double, try unitEstimate(indices, "U05").index.estimate!, absolute: 1e-9))
    }

    @Test func provinceFiguresAndRankingMatchTheEstimators() throws {
        let (report, indices) = try fixture()
        let province = try #require(indices.estimates.first { $0.kind == .overall && $0.group.isEmpty })
        let table = try #require(report.tables.first { $0.id == "bieu-3" })
        #expect(table.rows[0][4] == .percent(province.index.estimate))
        #expect(table.rows[0][6] == .percent(province.shareSatisfied?.estimate))
        #expect(report.highlights[0].contains(NumberStyle(language: .vi).fixed(province.index.estimate) + "%"))
        let ranking = try #require(report.tables.first { $0.id == "bieu-4" })
        let values = ranking.rows.compactMap { row -> Double? in if case .percent(let v) = row[4] { return v } else { return nil } }
        #expect(values == values.sorted(by: >))
        #expect(ranking.rows.first?[0] == .integer(1))
        let best = indices.estimates.filter { $0.kind == .overall && !$0.group.isEmpty }.max { $0.index.estimate! < $1.index.estimate! }!
        #expect(ranking.rows.first?[1] == .text(best.group[0].value))
        let fieldwork = try #require(report.tables.first { $0.id == "bieu-1" })
        #expect(fieldwork.rows.contains { $0[0] == .text("Phiếu phát ra") && $0[1] == .integer(2667) })
        #expect(report.markdown().contains("| Phiếu thu về | 2.640 | 98,99 |"))
    }

    @Test func driversAndPrioritiesArePresent() throws {
        let (report, _) = try fixture()
        let drivers = try #require(report.sections.first { $0.id == "drivers" })
        #expect(drivers.tables.map(\.id) == ["bieu-7", "bieu-8"])
        #expect(drivers.tables[0].rows.count == 5)
        // The same numbers as DriverAnalysis with the same design (design-based SEs).
        let analysis = try DriverAnalysis.run(table: try ReportFixture.table(), options: DriverOptions(
            groupColumn: "unit_id", design: ReportFixture.design, standardErrors: .design, replicates: 0))
        let pooled = try #require(analysis.models.first { $0.group == nil })
        for j in 0..<5 {
            let row = drivers.tables[0].rows[j]
            #expect(row[1] == .number(pooled.regression.coefficients[j + 1].estimate, decimals: 3))
            // b and its interval with the same decimals (3).
            #expect(row[2] == .range(pooled.regression.coefficients[j + 1].confidenceLower, pooled.regression.coefficients[j + 1].confidenceUpper, decimals: 3))
            #expect(row[3] == .number(100 * pooled.importance.lmg[j] / pooled.importance.rSquared, decimals: 1))
        }
        #expect(drivers.paragraphs.contains(analysis.sentences(pooled, language: .vi)[0]))
        guard case .quadrant(_, _, let points, _, _, _, _) = try #require(drivers.charts.first) else { Issue.record("no quadrant"); return }
        #expect(points.count == 5)
        #expect(abs(points.map(\.importance).reduce(0, +) - 100) < 1e-6)
        // Factors in the "concentrate here" quadrant are the ones the recommendations name.
        let recommendations = try #require(report.sections.first { $0.id == "recommendations" })
        let concentrate = points.filter { $0.quadrant == "Tập trung cải thiện" }.map(\.label)
        #expect(!concentrate.isEmpty)
        #expect(concentrate.allSatisfy { label in recommendations.paragraphs[0].contains(label) })
    }

    @Test func smallCellsAreSuppressedInEveryFormat() throws {
        // 3 respondents of a new unit U99 (copies of the first rows), no design.
        let lines = try String(contentsOfFile: ReportFixture.dataset, encoding: .utf8).split(separator: "\n").map(String.init)
        var text = lines.prefix(301).joined(separator: "\n") + "\n"
        for line in lines[1...3] {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[2] = "U99"; fields[3] = "Đơn vị nhỏ"
            text += fields.joined(separator: ",") + "\n"
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", text)
        let table = try ReportFixture.table(path)
        let report = try SurveyReport.build(table: table, options: ReportFixture.options(design: DesignSpecification()))
        let indices = try IndexAnalysis.run(table: table, by: ["unit_id"])
        let small = try unitEstimate(indices, "U99")
        #expect(small.n == 3)
        let hidden = NumberStyle(language: .vi).fixed(small.index.estimate)
        let ranking = try #require(report.tables.first { $0.id == "bieu-4" })
        let row = try #require(ranking.rows.first { $0[1] == .text("U99") })
        #expect(row[4] == .suppressed(n: 3))
        #expect(row[0] == .text(""))
        let markdownRow = try #require(report.markdown().split(separator: "\n").first { $0.contains("| U99 |") && $0.contains("Đơn vị nhỏ") })
        #expect(markdownRow.contains("—"))
        #expect(!markdownRow.contains(hidden))
        #expect(report.markdown().contains(report.suppressionNote))
        #expect(report.html().contains("<td class=\"num suppressed\" title=\"n = 3\">—</td>"))
        #expect(ranking.csv(language: .vi).split(separator: "\n").first { $0.contains(",U99,") }.map { !$0.contains(String(small.index.estimate!)) } == true)
        #expect(report.json().serialized().contains("{\"suppressed\":true,\"n\":3}"))
        // Highest / lowest / median statements skip the suppressed unit.
        #expect(!report.highlights.joined().contains("U99"))
    }

    @Test func htmlIsEscapedAndSelfContained() throws {
        let table = try ReportFixture.table()
        var options = ReportFixture.options(design: DesignSpecification())
        options.province = "<script>alert(\"x\")</script> & 'Co'"
        let html = try SurveyReport.build(table: table, options: options).html()
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.range(of: #"(src|href)\s*="#, options: .regularExpression) == nil)
        #expect(html.contains("@media print") && html.contains("size:A4") && html.contains("name=\"viewport\""))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
    }

    @Test func englishUsesDecimalPointsAndEnglishLabels() throws {
        let table = try ReportFixture.table()
        let report = try SurveyReport.build(table: table, options: ReportFixture.options(.en))
        let (_, indices) = try fixture()
        let province = try #require(indices.estimates.first { $0.kind == .overall && $0.group.isEmpty })
        #expect(report.title == "Citizen satisfaction with the service of state administrative agencies in Sơn La province, 2024")
        #expect(report.markdown().contains("| SIPAS | SIPAS |"))
        #expect(report.highlights[0].contains(String(format: "%.2f%%", province.index.estimate!)))
        #expect(report.markdown().contains("Forms issued"))
    }

    @Test func yearOverYearUsesTheComparison() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let previousPath = folder.path("2023.csv")
        _ = try SyntheticSurvey(.init(respondents: 2640, seed: 2023, year: 2023)).write(to: previousPath)
        let table = try ReportFixture.table(), previous = try ReportFixture.table(previousPath)
        let report = try SurveyReport.build(table: table, previous: previous, options: ReportFixture.options())
        let comparison = try IndexComparison.run(current: table, previous: previous, by: "unit_id",
                                                 options: IndexOptions(design: ReportFixture.design))
        let trend = try #require(report.tables.first { $0.id == "bieu-6" })
        let provinceChange = try #require(comparison.versusPrevious.first { $0.label.hasPrefix("province:") })
        #expect(trend.rows[0][0] == .text("Toàn tỉnh"))
        #expect(trend.rows[0][3] == .number(provinceChange.estimate, decimals: 2))
        #expect(trend.rows[0][4] == .interval(provinceChange.lower, provinceChange.upper))
        #expect(report.charts.contains { $0.id == "year-change" })
        // Biểu số 6a: the SIPAS row of the level table agrees with the comparison's province change.
        let levels = try #require(report.tables.first { $0.id == "bieu-6a" })
        let sipas = try #require(levels.rows.first { $0[1] == .text("SIPAS") })
        guard case .number(let change?, _) = sipas[5], case .interval(let lower?, let upper?) = sipas[6] else { Issue.record("no change"); return }
        #expect(close(change, provinceChange.estimate, absolute: 1e-9))
        #expect(close(lower, provinceChange.lower, absolute: 1e-6) && close(upper, provinceChange.upper, absolute: 1e-6))
        #expect(levels.rows.count > 20)
        #expect(report.html().contains("id=\"chart-year-change\""))
    }

    @Test(.requires(installedProgram(["/usr/bin/unzip"]) != nil, "needs unzip"))
    func xlsxReadsBackWithNumbersAndVietnameseText() throws {
        let unzip = try requiredProgram(["/usr/bin/unzip"])
        let (report, indices) = try fixture()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("report.xlsx")
        try report.writeXLSX(to: path)
        let workbook = String(decoding: try runProgram(unzip, ["-p", path, "xl/workbook.xml"]).output, as: UTF8.self)
        #expect(workbook.contains("name=\"Biểu số 4\""))
        #expect(workbook.contains("name=\"Phiếu khảo sát\""))
        #expect(workbook.components(separatedBy: "<sheet ").count - 1 == report.tables.count)
        let strings = String(decoding: try runProgram(unzip, ["-p", path, "xl/sharedStrings.xml"]).output, as: UTF8.self)
        #expect(strings.contains("Biểu số 4. Chỉ số SIPAS của các cơ quan, đơn vị (xếp hạng)"))
        #expect(strings.contains("Sở Văn hóa, Thể thao và Du lịch"))
        // Sheet 4 is Biểu số 4: every unit's SIPAS is a numeric cell equal to IndexAnalysis's estimate.
        let index = try #require(report.tables.firstIndex { $0.id == "bieu-4" })
        let sheet = String(decoding: try runProgram(unzip, ["-p", path, "xl/worksheets/sheet\(index + 1).xml"]).output, as: UTF8.self)
        // Numeric cells carry no t="s" (shared string) type: <c r="E4" s="2"><v>94.97…</v></c>.
        let numbers = sheet.components(separatedBy: "<c ").dropFirst().filter { !$0.contains("t=\"s\"") }.compactMap { cell -> Double? in
            guard let start = cell.range(of: "<v>"), let end = cell.range(of: "</v>") else { return nil }
            return Double(cell[start.upperBound..<end.lowerBound])
        }
        for unit in ["U05", "U12", "U22"] {
            let expected = try unitEstimate(indices, unit).index.estimate!
            #expect(numbers.contains { abs($0 - expected) <= 1e-12 * expected }, "\(unit) \(expected)")
        }
        #expect(!sheet.contains("t=\"str\""))
    }

    @Test(.requires(installedProgram(chromiumPaths) != nil, "needs chromium"))
    func htmlRendersInHeadlessChromium() throws {
        let chromium = try requiredProgram(chromiumPaths)
        let (report, _) = try fixture()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = URL(fileURLWithPath: folder.path)
        let page = directory.appendingPathComponent("report.html")
        try report.html().write(to: page, atomically: true, encoding: .utf8)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.path)/profile"]
        let dom = String(decoding: try runProgram(chromium, flags + ["--dump-dom", page.absoluteString]).output, as: UTF8.self)
        #expect(dom.contains(report.title))
        for chart in report.charts {
            let start = try #require(dom.range(of: "id=\"chart-\(chart.id)\""), "chart \(chart.id) missing")
            let rest = dom[start.upperBound...]
            let svgStart = try #require(rest.range(of: "<svg"))
            let svgEnd = try #require(rest.range(of: "</svg>"))
            let svg = rest[svgStart.lowerBound..<svgEnd.upperBound]
            #expect(svg.contains("<circle") || svg.contains("<rect"), "chart \(chart.id) is empty")
        }
        let shot = directory.appendingPathComponent("shot.png").path
        _ = try runProgram(chromium, flags + ["--screenshot=\(shot)", "--window-size=1200,3000", page.absoluteString])
        let size = (try FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 10_000)
    }

    @Test func commandWritesFormatsAndWorksInTheREPL() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = folder.path
        let base = ["report", ReportFixture.dataset, "--instrument", "khanhhoa-admin", "--by", "unit_id", "--replicates", "0"]
        for format in ["md", "html", "json", "xlsx", "csv"] {
            let output = directory + "/r." + format
            let command = try #require(try SIPASCommand.parseAsRoot(base + ["--format", format, "--output", output]) as? ReportCommand)
            #expect(try command.render().hasPrefix("đã ghi"))
            #expect(FileManager.default.fileExists(atPath: output))
        }
        #expect(FileManager.default.fileExists(atPath: directory + "/r.csv/bieu-4.csv"))
        let session = REPLSession(workingDirectory: TestPaths.packageRoot.path)
        #expect(!session.execute("open datasets/sipas-2024-synthetic.csv as d").failed)
        #expect(!session.execute("instrument khanhhoa-admin").failed)
        let outcome = session.execute("report --by unit_id --replicates 0 --format md --lang en")
        #expect(!outcome.failed)
        #expect(outcome.output.contains("# Citizen satisfaction"))
    }
}
