import Foundation
import Testing
import SIPASCommandLine
import SIPASData
import SIPASEstimation
import SIPASReport
import SIPASSynthetic

/// The previous wave of the bundled survey: 2023, generated with seed 2023, written into `folder`.
func writePreviousWave(in folder: TemporaryFolder) throws -> String {
    let path = folder.path("sipas-2023.csv")
    _ = try SyntheticSurvey(.init(respondents: 2640, seed: 2023, year: 2023)).write(to: path)
    return path
}

/// Issue 18: one question ("did the province's SIPAS change since last year?") has one answer everywhere —
/// the key findings, Biểu số 6, Biểu số 6a, the chart and `sipas compare`.
@Suite("Report consistency")
struct ReportConsistencyTests {
    /// The province's p (as a number) and significance in every place the report and `compare` state them.
    @Test func theYearChangeHasOneTestAndOneAdjustedP() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let previousPath = try writePreviousWave(in: folder)
        let table = try ReportFixture.table(), previous = try ReportFixture.table(previousPath)
        let report = try SurveyReport.build(table: table, previous: previous, options: ReportFixture.options())

        // Biểu số 6: the province row.
        let trend = try #require(report.tables.first { $0.id == "bieu-6" })
        let provinceRow = try #require(trend.rows.first { $0[0] == .text("Toàn tỉnh") })
        let pColumn = try #require(trend.columns.firstIndex { $0.hasPrefix("p") })
        guard case .pValue(let trendP?) = provinceRow[pColumn] else { Issue.record("no p in Biểu 6"); return }
        let trendSignificant = provinceRow.last != .text("")

        // Biểu số 6a: the SIPAS row.
        let levels = try #require(report.tables.first { $0.id == "bieu-6a" })
        let sipas = try #require(levels.rows.first { $0[1] == .text("SIPAS") })
        let levelPColumn = try #require(levels.columns.firstIndex { $0.hasPrefix("p") })
        guard case .pValue(let levelP?) = sipas[levelPColumn] else { Issue.record("no p in Biểu 6a"); return }
        let levelSignificant = sipas.last != .text("")

        // Key findings.
        let finding = try #require(report.highlights.first { $0.hasPrefix("So với năm trước") })
        let findingSignificant = !finding.contains("chưa có ý nghĩa")

        // The chart.
        let bars: [ChangeBar] = report.charts.compactMap { if case .change(_, _, let bars) = $0 { return bars } else { return nil } }.first ?? []
        let bar = try #require(bars.first { $0.label == "Toàn tỉnh" })

        // `sipas compare` on the same inputs (JSON, full precision).
        let arguments = ["compare", ReportFixture.dataset, "-i", "khanhhoa-admin", "--by", "unit_id", "--strata", "stratum",
                         "--cluster", "cluster", "--weight", "weight", "--previous", previousPath, "--format", "json"]
        let command = try #require(try SIPASCommand.parseAsRoot(arguments) as? CompareCommand)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try command.render().utf8)) as? [String: Any])
        let changes = try #require(json["vs_previous"] as? [[String: Any]])
        let province = try #require(changes.first { ($0["label"] as? String)?.hasPrefix("province") == true })
        let compareP = try #require(province["p_adjusted"] as? Double)

        #expect(close(trendP, compareP, absolute: 1e-12), "Biểu 6 \(trendP) vs compare \(compareP)")
        #expect(close(levelP, compareP, absolute: 1e-12), "Biểu 6a \(levelP) vs compare \(compareP)")
        let significant = compareP < 0.05
        #expect(trendSignificant == significant)
        #expect(levelSignificant == significant)
        #expect(findingSignificant == significant, "\(finding)")
        #expect(bar.significant == significant)
    }
}
