import Foundation
import Testing
import SIPASCommandLine
import SIPASData
import SIPASEstimation
import SIPASAnalysis
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

        #expect(close(trendP, compareP, relative: 1e-12), "Biểu 6 \(trendP) vs compare \(compareP)")
        #expect(levelP == trendP, "Biểu 6a \(levelP) vs Biểu 6 \(trendP): one test, one number")
        #expect(close(levelP, compareP, relative: 1e-12), "Biểu 6a \(levelP) vs compare \(compareP)")
        let significant = compareP < 0.05
        #expect(trendSignificant == significant)
        #expect(levelSignificant == significant)
        #expect(findingSignificant == significant, "\(finding)")
        #expect(bar.significant == significant)

        // Every unit: Biểu số 4's adjusted p against the province and Biểu số 6's against last year are compare's.
        let versusProvince = try #require(json["units_vs_province"] as? [[String: Any]])
        func unit(_ entry: [String: Any]) -> String? { (entry["subject"] as? [String: Any])?["unit"] as? String }
        let ranking = try #require(report.tables.first { $0.id == "bieu-4" })
        for entry in versusProvince {
            let id = try #require(unit(entry)), p = try #require(entry["p_adjusted"] as? Double)
            let row = try #require(ranking.rows.first { $0[1] == .text(id) })
            guard case .pValue(let shown?) = row[7] else { Issue.record("\(id): no p"); continue }
            // JSONSerialization may lose the last binary digit of a shortest-form number: compare to 1e-12.
            #expect(close(shown, p, relative: 1e-12), "\(id)")
            #expect((row[8] != .text("")) == (p < 0.05), "\(id)")
        }
        for entry in changes where unit(entry) != nil {
            let id = try #require(unit(entry)), p = try #require(entry["p_adjusted"] as? Double)
            let row = try #require(trend.rows.first { if case .text(let name) = $0[0] { return name.hasSuffix("(\(id))") } else { return false } })
            guard case .pValue(let shown?) = row[pColumn] else { Issue.record("\(id): no p"); continue }
            #expect(close(shown, p, relative: 1e-12), "\(id)")
            #expect((row.last != .text("")) == (p < 0.05), "\(id)")
        }
        // The key findings' counts of significant units are compare's summary.
        let summary = try #require(json["summary"] as? [String: Any])
        let above = try #require(summary["significantly_above_province"] as? Int), below = try #require(summary["significantly_below_province"] as? Int)
        let statement = try #require(report.highlights.first { $0.contains("đơn vị cao hơn toàn tỉnh") })
        #expect(statement.contains("cao hơn toàn tỉnh (\(above) có ý nghĩa thống kê)") && statement.contains("thấp hơn (\(below) có ý nghĩa thống kê)"), "\(statement)")
    }

    /// Issue 18, part 3 (seed 002 II.1): with --level, who answered is told per level (Biểu số 2 for the
    /// departments, 2a for the districts); the counts are the file's own, counted here from its text.
    @Test func respondentsAreCountedPerLevel() throws {
        var options = ReportFixture.options()
        options.levelColumn = "unit_level"
        let report = try SurveyReport.build(table: try ReportFixture.table(), options: options)
        let departments = try #require(report.tables.first { $0.id == "bieu-2" })
        let districts = try #require(report.tables.first { $0.id == "bieu-2a" })
        #expect(departments.title.hasSuffix("— Sở, ban, ngành tỉnh") && districts.title.hasSuffix("— UBND cấp huyện"))
        #expect(!report.tables.contains { $0.id == "bieu-2b" })
        // The file's counts of level × gender, from its lines.
        // Fields split by commas outside double quotes (unit names such as "Sở Lao động, Thương binh và Xã hội" are quoted).
        func fields(_ line: Substring) -> [Substring] {
            var out: [Substring] = [], start = line.startIndex, quoted = false
            for i in line.indices {
                if line[i] == "\"" { quoted.toggle() } else if line[i] == ",", !quoted { out.append(line[start..<i]); start = line.index(after: i) }
            }
            return out + [line[start...]]
        }
        let lines = try String(contentsOfFile: ReportFixture.dataset, encoding: .utf8).split(separator: "\n").map(fields)
        let level = try #require(lines[0].firstIndex(of: "unit_level")), gender = try #require(lines[0].firstIndex(of: "gender"))
        func count(_ l: String, _ g: String) -> Int { lines.dropFirst().filter { $0[level] == Substring(l) && $0[gender] == Substring(g) }.count }
        for (table, code) in [(departments, "tinh"), (districts, "huyen")] {
            for (label, g) in [("Nam", "nam"), ("Nữ", "nu")] {
                let row = try #require(table.rows.first { $0[0] == .text("Giới tính") && $0[1] == .text(label) })
                #expect(row[2] == .integer(count(code, g)), "\(code) \(g): \(row)")
            }
            #expect(!table.rows.contains { $0[0] == .text("Cấp đơn vị") }, "the level itself is not a row of its own table")
        }
        let total = { (t: ReportTable) in t.rows.filter { $0[0] == .text("Giới tính") }.reduce(0) { if case .integer(let n) = $1[2] { return $0 + n } else { return $0 } } }
        #expect(total(departments) + total(districts) == lines.count - 1)
    }

    /// Issue 18, part 3: the year-over-year table per level (Biểu số 6c) holds the numbers `sipas compare --by
    /// unit_level --previous` gives for the same waves — a second code path (the comparison of "units" that are
    /// the levels) — and a unit only in last year's file is listed in Biểu số 6, not dropped.
    @Test func levelsChangeAsCompareByLevelSaysAndUnitsOfLastYearStay() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let previousPath = try writePreviousWave(in: folder)
        // This year without unit U07: it was surveyed last year only.
        let lines = try String(contentsOfFile: ReportFixture.dataset, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let unitColumn = try #require(lines[0].split(separator: ",").firstIndex(of: "unit_id"))
        let kept = lines.filter { line in line.split(separator: ",", omittingEmptySubsequences: false).dropFirst(unitColumn).first != "U07" }
        #expect(kept.count < lines.count)
        let currentPath = try folder.file("sipas-2024-without-U07.csv", kept.joined(separator: "\n"))
        var options = ReportFixture.options()
        options.levelColumn = "unit_level"
        let report = try SurveyReport.build(table: try ReportFixture.table(currentPath), previous: try ReportFixture.table(previousPath), options: options)

        let levels = try #require(report.tables.first { $0.id == "bieu-6c" })
        let arguments = ["compare", currentPath, "-i", "khanhhoa-admin", "--by", "unit_level", "--strata", "stratum",
                         "--cluster", "cluster", "--weight", "weight", "--previous", previousPath, "--format", "json"]
        let command = try #require(try SIPASCommand.parseAsRoot(arguments) as? CompareCommand)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try command.render().utf8)) as? [String: Any])
        let changes = try #require(json["vs_previous"] as? [[String: Any]]).filter { ($0["label"] as? String)?.hasPrefix("province") == false }
        #expect(levels.rows.count == 2 && changes.count == 2)
        let names = ["huyen": "UBND cấp huyện", "tinh": "Sở, ban, ngành tỉnh"]
        for change in changes {
            let level = try #require((change["label"] as? String)?.components(separatedBy: ":").first)
            let row = try #require(levels.rows.first { $0[0] == .text(names[level] ?? level) }, "no row for \(level)")
            guard case .number(let estimate?, _) = row[3], case .pValue(let p?) = row[5] else { Issue.record("row \(row)"); continue }
            #expect(close(estimate, try #require(change["difference"] as? Double), relative: 1e-12))
            #expect(close(p, try #require(change["p_adjusted"] as? Double), relative: 1e-12))
        }

        let units = try #require(report.tables.first { $0.id == "bieu-6" })
        let u07 = try #require(units.rows.first { $0[2] == .text("không có số liệu") }, "U07 is listed")
        guard case .percent(let before?) = u07[1] else { Issue.record("U07 without last year's figure: \(u07)"); return }
        let lastYear = try IndexAnalysis.run(table: try ReportFixture.table(previousPath), by: ["unit_id"], options: IndexOptions(design: ReportFixture.design))
        let expected = try #require(lastYear.estimates.first { $0.id == "SIPAS" && $0.group.first?.value == "U07" }?.index.estimate)
        #expect(close(before, expected, relative: 1e-12))
        #expect(units.notes.contains { $0.hasPrefix("1 đơn vị chỉ có trong số liệu năm trước") })
    }
}

/// Issue 18, part 2–3: the Vietnamese report is Vietnamese, numbers print one way, levels rank separately.
@Suite("Report wording and layout")
struct ReportWordingTests {
    /// English prose words that must not appear in the Vietnamese report's text (codes of data columns, the
    /// instrument id, method names — Holm, Korn–Graubard, bootstrap — and the command name are allowed).
    static let englishWords = [
        "the", "and", "with", "of", "for", "interpret", "care", "condition", "number", "strata", "clusters", "weights",
        "lonely", "PSU", "fail", "Decision", "criteria", "methodology", "Art", "items", "significant", "significantly",
        "province", "unit", "units", "note", "previous", "current", "Table", "Change", "Index", "Highest", "Lowest",
        "Median", "design", "Outcome", "predictors", "Importance", "Quadrant", "Concentrate", "Keep", "overkill",
        "priority", "sample", "degrees", "freedom", "interval", "estimate", "respondents", "excluded", "blank",
        "missing", "collinearity", "coefficients", "scaled", "Level", "Label", "Rank", "Satisfied",
        // content and factor codes of khanhhoa-admin (English words): shown by their Vietnamese labels instead
        "service", "procedures", "results", "access", "officials", "feedback",
    ]

    /// The visible text of an HTML page (no style, no tags).
    static func visibleText(_ html: String) -> String {
        var text = html
        if let start = text.range(of: "<style>"), let end = text.range(of: "</style>") { text.removeSubrange(start.lowerBound..<end.upperBound) }
        text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        for (entity, character) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    /// Words of `text` (letters only; a word touching a digit, '-', '_' or '.' is a code such as khanhhoa-admin).
    static func englishFound(in text: String) -> [String] {
        let wanted = Set(englishWords.map { $0.lowercased() })
        var found: Set<String> = []
        let pattern = try! NSRegularExpression(pattern: #"(?<![\p{L}\p{N}_.\-])[A-Za-z]+(?![\p{L}\p{N}_.\-])"#)
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let word = String(text[Range(match.range, in: text)!])
            if wanted.contains(word.lowercased()) { found.insert(word) }
        }
        return found.sorted()
    }

    @Test func theVietnameseReportHasNoEnglish() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let previous = try ReportFixture.table(try writePreviousWave(in: folder))
        let report = try SurveyReport.build(table: try ReportFixture.table(), previous: previous, options: ReportFixture.options())
        let markdown = report.markdown(), page = Self.visibleText(report.html())
        #expect(Self.englishFound(in: markdown) == [], "Markdown")
        #expect(Self.englishFound(in: page) == [], "HTML")
        // The published shape too: levels apart (Biểu 4a, 2a, 5a by level, 6c) and the year change.
        let published = try ReportFixture.publishedVietnamese.get()
        #expect(published.tables.contains { $0.id == "bieu-4a" } && published.tables.contains { $0.id == "bieu-6c" })
        #expect(Self.englishFound(in: published.markdown()) == [], "Markdown with levels")
        #expect(Self.englishFound(in: Self.visibleText(published.html())) == [], "HTML with levels")
        #expect(Self.englishFound(in: try ReportFixture.published(.en).markdown()).count > 10)
        // The scan itself finds English (guards against a pattern that matches nothing).
        let english = try SurveyReport.build(table: try ReportFixture.table(), previous: previous, options: ReportFixture.options(.en))
        #expect(Self.englishFound(in: english.markdown()).count > 10)
        // The data set by file name, never a path; the design in words.
        #expect(markdown.contains("tệp sipas-2024-synthetic.csv"))
        #expect(!markdown.contains(ReportFixture.dataset))
        #expect(!markdown.contains("datasets/"))
        #expect(markdown.contains("phân tầng theo cột stratum"))
        // A model note in Vietnamese (the condition number of the driver model).
        #expect(markdown.contains("số điều kiện 41,1"))
    }

    @Test func pValuesBelowOneThousandthPrintAsLessThan() throws {
        let vi = NumberStyle(language: .vi), en = NumberStyle(language: .en)
        #expect(ReportCell.pValue(0.0000123).display(vi) == "< 0,001")
        #expect(ReportCell.pValue(0.0000123).display(en) == "< 0.001")
        #expect(ReportCell.pValue(0.0331).display(vi) == "0,033")
        #expect(ReportCell.pValue(0.001).display(vi) == "0,001")
        #expect(ReportCell.pValue(nil).display(vi) == "")
        #expect(ReportCell.range(0.0162, 0.1766, decimals: 3).display(vi) == "[0,016; 0,177]")
        let (report, _) = try ReportFixture.vietnamese.get()
        #expect(!report.markdown().contains("| 0,000 |"))
        let ranking = try #require(report.tables.first { $0.id == "bieu-4" })
        let p = try #require(ranking.columns.firstIndex(of: "p hiệu chỉnh"))
        #expect(ranking.rows.allSatisfy { if case .pValue = $0[p] { return true }; return $0[p] == .text("") })
    }

    @Test func eachLevelIsRankedInItsOwnTableAgainstThePooledProvince() throws {
        var options = ReportFixture.options()
        options.levelColumn = "unit_level"
        let table = try ReportFixture.table()
        let analysis = try SurveyAnalysis.run(table: table, options: options.analysisOptions)
        let report = SurveyReport.build(analysis: analysis, options: options)
        #expect(analysis.levels == ["tinh", "huyen"])
        let departments = try #require(report.tables.first { $0.id == "bieu-4" })
        let districts = try #require(report.tables.first { $0.id == "bieu-4a" })
        #expect(departments.rows.count == 20 && districts.rows.count == 12)
        #expect(departments.title.contains("Sở, ban, ngành tỉnh") && districts.title.contains("UBND cấp huyện"))
        let province = try #require(analysis.comparison.province.index.estimate)
        for (ranking, level) in [(departments, "tinh"), (districts, "huyen")] {
            let units = analysis.units(inLevel: level)
            #expect(ranking.footer.count == 6)
            let values = units.compactMap(\.index.estimate)
            #expect(ranking.footer[0][4] == .percent(values.max()))
            #expect(ranking.footer[1][4] == .percent(values.min()))
            // The level's own SIPAS (its respondents pooled: a domain estimate, not the mean of its units).
            let pooled = try #require(analysis.levelIndices[level])
            #expect(ranking.footer[3][4] == .percent(pooled.index.estimate))
            #expect(ranking.footer[3][5] == .interval(pooled.index.lower, pooled.index.upper))
            #expect(ranking.footer[4][4] == .integer(values.filter { $0 >= 90 }.count))
            #expect(ranking.footer[5][4] == .integer(values.filter { $0 > province }.count))
            // Ranked within the level.
            let shown = ranking.rows.compactMap { row -> Double? in if case .percent(let v) = row[4] { return v } else { return nil } }
            #expect(shown == shown.sorted(by: >))
        }
        #expect(report.charts.contains { $0.id == "units-ranked-a" })
        // One content: no per-content table identical to SIPAS; the factor tables take Biểu số 5 and 5a.
        #expect(table.instrument.contents.count == 1)
        #expect(report.tables.first { $0.id == "bieu-5" }?.title.contains("theo yếu tố") == true)
        let extremes = try #require(report.tables.first { $0.id == "bieu-5a" })
        let factors = table.instrument.contents.flatMap(\.factors)
        // Each factor summarised for the province and then for each level (seed 002 II.2.2).
        #expect(extremes.rows.count == factors.count * 3)
        #expect(extremes.columns == ["Yếu tố", "Phạm vi", "Chung %", "Cao nhất", "Cao nhất %", "Thấp nhất", "Thấp nhất %", "Trung vị %", "Số đơn vị ≥ 90%"])
        for (f, factor) in factors.enumerated() {
            for (s, scope) in [nil, "tinh", "huyen"].enumerated() {
                let row = extremes.rows[f * 3 + s]
                #expect(row[0] == .text(factor.label.vi))
                let unitValues = analysis.units(inLevel: scope).compactMap { unit -> Double? in
                    let e = analysis.indices.estimates.first { $0.kind == .factor && $0.id == factor.id && $0.group.first?.value == unit.group[0].value }
                    guard let e, e.n >= options.minimumN else { return nil }
                    return e.index.estimate
                }
                let pooled = scope.map { level in analysis.levelEstimates[level]?.first { $0.kind == .factor && $0.id == factor.id } }
                    ?? analysis.indices.estimates.first { $0.kind == .factor && $0.id == factor.id && $0.group.isEmpty }
                #expect(row[2] == .percent(try #require(pooled).index.estimate))
                #expect(row[4] == .percent(unitValues.max()))
                #expect(row[6] == .percent(unitValues.min()))
                #expect(row[8] == .integer(unitValues.filter { $0 >= 90 }.count))
            }
        }
        #expect(extremes.rows[1][1] == .text("Sở, ban, ngành tỉnh") && extremes.rows[0][1] == .text("Toàn tỉnh"))
        // A level column the data lacks is an error naming it.
        options.levelColumn = "no_such_column"
        #expect(throws: (any Error).self) { try SurveyAnalysis.run(table: table, options: options.analysisOptions) }
    }
}

@Suite("Report charts")
struct ReportChartTests {
    /// The SVG of one chart of the page.
    static func svg(_ html: String, chart id: String) throws -> String {
        let start = try #require(html.range(of: "id=\"chart-\(id)\""))
        let end = try #require(html.range(of: "</figure>", range: start.upperBound..<html.endIndex))
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test func estimatesAreDotsAndWhiskersAndQuadrantsFollowMartillaAndJames() throws {
        let (report, _) = try ReportFixture.vietnamese.get()
        let html = report.html()
        // Ranked units: the axis starts above 0, so no bars — a dot and whiskers per unit.
        let units = try Self.svg(html, chart: "units-ranked")
        #expect(!units.contains("<rect"))
        #expect(units.components(separatedBy: "<circle").count - 1 == 32)
        #expect(!(try Self.svg(html, chart: "criterion-profile")).contains("<rect"))
        // A narrow viewBox (legible at 390 px: 13-unit text scales to about 11 px).
        #expect(units.contains("viewBox=\"0 0 440.0"))
        // Quadrant labels where Martilla & James (1977) put them: importance on x, performance on y.
        let matrix = try Self.svg(html, chart: "priority-matrix")
        func position(_ label: String) throws -> (x: Double, y: Double) {
            let text = try #require(matrix.range(of: ">\(label)</text>"))
            let tag = matrix[..<text.lowerBound]
            let open = try #require(tag.range(of: "<text ", options: .backwards))
            let attributes = String(tag[open.upperBound...])
            func value(_ name: String) -> Double {
                guard let r = attributes.range(of: "\(name)=\"") else { return .nan }
                return Double(attributes[r.upperBound...].prefix { $0 != "\"" }) ?? .nan
            }
            return (value("x"), value("y"))
        }
        let concentrate = try position("Tập trung cải thiện"), keep = try position("Tiếp tục duy trì")
        let low = try position("Ưu tiên thấp"), overkill = try position("Có thể dư thừa")
        #expect(concentrate.x > low.x && concentrate.y > keep.y)   // high importance, low performance: bottom right
        #expect(keep.x > overkill.x && keep.y < concentrate.y)     // high importance, high performance: top right
        #expect(low.x < concentrate.x && low.y > overkill.y)       // low, low: bottom left
        #expect(overkill.x < keep.x && overkill.y < low.y)         // low importance, high performance: top left
        #expect(html.contains("<ol class=\"legend\">"))
        // Printable to A4.
        #expect(html.contains("@page{size:A4"))
    }
}

@Suite("Report unit labels")
struct ReportUnitLabelTests {
    @Test func aUnitLabelColumnMustHoldOneValuePerUnitAndIsNeverEchoed() throws {
        let table = try ReportFixture.table()
        var options = ReportFixture.options()
        options.unitLabelColumn = "unit_name"
        let analysis = try SurveyAnalysis.run(table: table, options: options.analysisOptions)
        #expect(analysis.unitNames["U12"] == "Sở Văn hóa, Thể thao và Du lịch")
        #expect(analysis.displayName("U12") == "Sở Văn hóa, Thể thao và Du lịch (U12)")
        // A column that varies within a unit (a respondent's own answer) is refused without printing its values.
        options.unitLabelColumn = "age_group"
        do {
            _ = try SurveyAnalysis.run(table: table, options: options.analysisOptions)
            Issue.record("a varying label column was accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains("--unit-label age_group"))
            for value in ["18-29", "30-44", "45-59", "60+"] { #expect(!message.contains(value)) }
        }
        options.unitLabelColumn = "no_such_column"
        #expect(throws: (any Error).self) { try SurveyAnalysis.run(table: table, options: options.analysisOptions) }
    }
}
