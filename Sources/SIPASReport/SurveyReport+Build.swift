import Foundation
import SIPASAnalysis
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASModels
import SIPASSupport

/// Choices for the report: how the analysis is run (`analysisOptions`) and how it is laid out (language,
/// title, the small-cell rule).
public struct ReportOptions: Sendable {
    public var language: Language
    /// The unit column (e.g. unit_id).
    public var groupColumn: String
    /// A figure based on fewer responses is suppressed ("—" with a footnote).
    public var minimumN: Int
    /// Survey year (default: the data's `year` column when it holds one value).
    public var year: Int?
    public var province: String?
    public var design: DesignSpecification
    public var intervalMethod: IntervalMethod
    /// Threshold for the "units at or above" statement, percent.
    public var threshold: Double
    /// Bootstrap replicates and seed for the driver-importance intervals.
    public var replicates: Int
    public var seed: UInt64
    public var adjustment: PValueAdjustment
    public var fieldwork: Fieldwork
    /// A column grouping the units into levels: each level gets its own ranking (Biểu số 4, 4a, …).
    public var levelColumn: String?
    /// A column with the units' names (default: `unit_name` when present).
    public var unitLabelColumn: String?
    /// Threads and the bootstrap's progress report; the report does not depend on it.
    public var execution = Execution()

    public init(language: Language = .vi, groupColumn: String, minimumN: Int = 10, year: Int? = nil, province: String? = nil,
                design: DesignSpecification = .init(), intervalMethod: IntervalMethod = .beta, threshold: Double = 90,
                replicates: Int = 200, seed: UInt64 = 2024, adjustment: PValueAdjustment = .holm, fieldwork: Fieldwork = .init(),
                levelColumn: String? = nil, unitLabelColumn: String? = nil) {
        self.language = language; self.groupColumn = groupColumn; self.minimumN = minimumN; self.year = year
        self.province = province; self.design = design; self.intervalMethod = intervalMethod; self.threshold = threshold
        self.replicates = replicates; self.seed = seed; self.adjustment = adjustment; self.fieldwork = fieldwork
        self.levelColumn = levelColumn; self.unitLabelColumn = unitLabelColumn
    }

    /// The analysis these options ask for (the same one `sipas compare` runs for its table).
    public var analysisOptions: SurveyAnalysisOptions {
        var index = IndexOptions(intervalMethod: intervalMethod, design: design)
        index.execution = execution
        return SurveyAnalysisOptions(groupColumn: groupColumn, index: index,
                              adjustment: adjustment, threshold: threshold, minimumN: minimumN, drivers: true,
                              driverReplicates: replicates, driverSeed: seed, levelColumn: levelColumn,
                              unitLabelColumn: unitLabelColumn, fieldwork: fieldwork)
    }
}

extension SurveyReport {
    /// Runs `SurveyAnalysis` once and lays it out (`build(analysis:options:)`).
    ///
    /// - Throws: the analyses' errors (missing columns, design errors naming file, row and column).
    public static func build(table: ResponseTable, previous: ResponseTable? = nil, options: ReportOptions) throws -> SurveyReport {
        build(analysis: try SurveyAnalysis.run(table: table, previous: previous, options: options.analysisOptions), options: options)
    }

    /// Lays out an analysis: every number, test and "significant" mark comes from `analysis`; nothing is
    /// re-estimated here. From `options` only the language, province, year and `minimumN` are used.
    public static func build(analysis: SurveyAnalysis, options: ReportOptions) -> SurveyReport {
        ReportBuilder(analysis: analysis, options: options).build()
    }
}

/// Lays out one `SurveyAnalysis` as a `SurveyReport`.
struct ReportBuilder {
    let analysis: SurveyAnalysis
    let options: ReportOptions
    let style: NumberStyle
    var vi: Bool { options.language == .vi }
    var comparison: IndexComparisonResult { analysis.comparison }
    var alpha: Double { analysis.significanceLevel }
    var language: Language { options.language }

    init(analysis: SurveyAnalysis, options: ReportOptions) {
        self.analysis = analysis; self.options = options; self.style = NumberStyle(language: options.language)
    }

    func t(_ vi: String, _ en: String) -> String { self.vi ? vi : en }
    func pct(_ value: Double?) -> String { style.fixed(value) + "%" }
    /// A p-value for people: "< 0,001" below 0.001, else three decimals.
    func pText(_ p: Double) -> String { p < 0.001 ? "< " + style.fixed(0.001, decimals: 3) : style.fixed(p, decimals: 3) }

    /// A percentage cell, suppressed when based on fewer than `minimumN` responses.
    func percent(_ value: Double?, n: Int) -> ReportCell { n < options.minimumN ? .suppressed(n: n) : .percent(value) }
    func interval(_ value: PercentEstimate?, n: Int) -> ReportCell {
        n < options.minimumN ? .suppressed(n: n) : .interval(value?.lower, value?.upper)
    }
    func name(_ unit: String) -> String { analysis.displayName(unit) }
    func shortName(_ unit: String) -> String { analysis.unitNames[unit] ?? unit }
    var adjustmentName: String {
        switch options.adjustment {
        case .holm: return "Holm"
        case .bh: return "Benjamini–Hochberg"
        case .none: return t("không hiệu chỉnh", "none")
        }
    }
    /// "tăng"/"giảm" (or "cao hơn"/"thấp hơn") when significant by the adjusted p, else "".
    func mark(_ d: IndexDifference, up: String, down: String) -> String {
        d.isSignificant(at: alpha) ? (d.estimate > 0 ? up : down) : ""
    }

    func build() -> SurveyReport {
        let year = options.year ?? analysis.year
        let place = options.province.map { t(" trên địa bàn tỉnh \($0)", " in \($0) province") } ?? ""
        let title = vi
            ? "Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước\(place)" + (year.map { " năm \($0)" } ?? "")
            : "Citizen satisfaction with the service of state administrative agencies\(place)" + (year.map { ", \($0)" } ?? "")
        let shortTitle = "SIPAS" + (year.map { " \($0)" } ?? "")

        var sections: [ReportSection] = []
        sections.append(methodSection())
        sections.append(fieldworkSection())
        if let composition = compositionSection() { sections.append(composition) }
        sections.append(indicesSection())
        sections.append(unitsSection())
        if comparison.previous != nil { sections.append(trendSection()) }
        if let waves = analysis.waves, waves.waves.count > 1 { sections.append(wavesSection(waves)) }
        var driverSentence: String?
        var concentrate: [String] = []
        if let drivers = analysis.drivers {
            let section = driversSection(drivers, headline: &driverSentence)
            sections.append(section)
            for case .quadrant(_, _, let points, _, _, _, _) in section.charts {
                concentrate = points.filter { $0.quadrant == PriorityQuadrant.concentrateHere.label.text(language) }.map(\.label)
            }
        }
        sections.append(recommendationsSection(concentrate: concentrate))
        sections.append(appendixSection())

        var highlights: [String] = []
        let province = comparison.province
        highlights.append(t("Chỉ số SIPAS chung: \(pct(province.index.estimate)) (KTC 95%: \(pct(province.index.lower)) – \(pct(province.index.upper))), n = \(style.integer(province.n)).",
                            "Overall SIPAS: \(pct(province.index.estimate)) (95% CI \(pct(province.index.lower)) – \(pct(province.index.upper))), n = \(style.integer(province.n))."))
        if let share = province.shareSatisfied?.estimate {
            highlights.append(t("Tỷ lệ người dân hài lòng (trả lời mức 4–5): \(pct(share)).", "Share satisfied (answers 4–5): \(pct(share))."))
        }
        highlights.append(unitStatement(comparison.units, level: nil))
        if let change = comparison.provinceChange {
            let significant = change.isSignificant(at: alpha)
            highlights.append(t("So với năm trước: \(change.estimate >= 0 ? "tăng" : "giảm") \(style.fixed(abs(change.estimate))) điểm phần trăm (KTC 95%: \(style.fixed(change.lower)) đến \(style.fixed(change.upper)); p = \(pText(change.adjustedPValue)); \(significant ? "có ý nghĩa thống kê" : "chưa có ý nghĩa thống kê")).",
                                "Against the previous year: \(change.estimate >= 0 ? "up" : "down") \(style.fixed(abs(change.estimate))) percentage points (95% CI \(style.fixed(change.lower)) to \(style.fixed(change.upper)); p = \(pText(change.adjustedPValue)); \(significant ? "statistically significant" : "not statistically significant"))."))
        }
        if let waves = analysis.waves, waves.waves.count > 1, let first = waves.waves.first, let last = waves.waves.last,
           let row = waves.rows.first(where: { $0.id == analysis.options.indexID && $0.kind == .overall }),
           let then = row.estimates.first ?? nil, let now = row.estimates.last ?? nil {
            highlights.append(t("Qua \(waves.waves.count) đợt khảo sát, chỉ số SIPAS từ \(pct(then.index.estimate)) (\(first.name)) đến \(pct(now.index.estimate)) (\(last.name)).",
                                "Across \(waves.waves.count) survey waves, SIPAS went from \(pct(then.index.estimate)) (\(first.name)) to \(pct(now.index.estimate)) (\(last.name))."))
        }
        if let driverSentence { highlights.append(driverSentence) }

        return SurveyReport(language: language, title: title, shortTitle: shortTitle, minimumN: options.minimumN,
                            highlights: highlights, sections: sections,
                            suppressionNote: t("—: dựa trên ít hơn \(options.minimumN) phiếu trả lời, không công bố.",
                                               "—: based on fewer than \(options.minimumN) responses; not published."))
    }

    // MARK: Sections

    /// The design in words, in the report's language (never the flag syntax).
    func designText(_ result: IndexResult) -> String {
        guard let design = result.design else {
            return t("mẫu ngẫu nhiên đơn giản (không khai báo thiết kế mẫu; khoảng tin cậy có thể hẹp hơn thực tế nếu mẫu được chọn theo cụm)",
                     "simple random sample (no design declared; intervals may be too narrow if the sample was clustered)")
        }
        let spec = options.design
        var parts: [String] = []
        if let replicates = result.replicates, let declared = spec.replicates {
            // A replicate-weight design: the replicates carry the strata and clusters.
            parts.append(t("trọng số lặp \(replicates.type) (\(style.integer(replicates.count)) lần lặp, cột \(declared.columns.pattern)); phương sai tính từ các lần lặp",
                           "\(replicates.type) replicate weights (\(style.integer(replicates.count)) replicates, columns \(declared.columns.pattern)); variances from the replicates"))
            if let weight = spec.weight { parts.append(t("trọng số toàn mẫu theo cột \(weight)", "full-sample weight from column \(weight)")) }
            parts.append(t("bậc tự do \(style.integer(design.degreesOfFreedom))", "\(style.integer(design.degreesOfFreedom)) degrees of freedom"))
            return parts.joined(separator: "; ")
        }
        if let strata = spec.strata {
            parts.append(t("phân tầng theo cột \(strata) (\(style.integer(design.strata)) tầng)", "stratified by column \(strata) (\(style.integer(design.strata)) strata)"))
        }
        if !spec.clusters.isEmpty {
            let columns = spec.clusters.joined(separator: ", ")
            parts.append(t("chọn theo cụm, cột \(columns) (\(style.integer(design.psus)) đơn vị mẫu cấp 1)",
                           "clustered by column \(columns) (\(style.integer(design.psus)) primary sampling units)"))
        } else {
            parts.append(t("mỗi người trả lời là một đơn vị mẫu cấp 1 (\(style.integer(design.psus)))", "each respondent is a primary sampling unit (\(style.integer(design.psus)))"))
        }
        if let weight = spec.weight { parts.append(t("trọng số theo cột \(weight)", "weighted by column \(weight)")) }
        if !spec.fpc.isEmpty {
            parts.append(t("hiệu chỉnh quần thể hữu hạn theo cột \(spec.fpc.joined(separator: ", "))", "finite population correction from column \(spec.fpc.joined(separator: ", "))"))
        }
        let lonely: String
        switch spec.lonelyPSU {
        case .fail: lonely = t("tầng chỉ có một đơn vị mẫu cấp 1 được coi là lỗi", "a stratum with a single primary sampling unit is an error")
        case .adjust: lonely = t("tầng chỉ có một đơn vị mẫu cấp 1 được căn giữa theo trung bình chung", "a stratum with a single primary sampling unit is centred at the grand mean")
        case .average: lonely = t("tầng chỉ có một đơn vị mẫu cấp 1 nhận phương sai trung bình của các tầng khác", "a stratum with a single primary sampling unit gets the other strata's average variance")
        case .remove: lonely = t("tầng chỉ có một đơn vị mẫu cấp 1 không đóng góp vào phương sai", "a stratum with a single primary sampling unit adds no variance")
        case .certainty: lonely = t("tầng chỉ có một đơn vị mẫu cấp 1 được coi là chọn chắc chắn (không có phương sai ở cấp 1)", "a stratum with a single primary sampling unit is a certainty selection (no first-stage variance)")
        }
        parts.append(lonely)
        parts.append(t("bậc tự do \(style.integer(design.degreesOfFreedom))", "\(style.integer(design.degreesOfFreedom)) degrees of freedom"))
        return parts.joined(separator: "; ")
    }

    func methodSection() -> ReportSection {
        let result = analysis.indices
        let instrument = result.instrument
        let basis = instrument.basis?.text(language) ?? instrument.source
        var paragraphs = [
            t("Bộ câu hỏi: \(instrument.title.text(.vi)) (\(instrument.id))" + (basis.map { "; căn cứ: \($0)" } ?? "") + ".",
              "Instrument: \(instrument.title.text(.en)) (\(instrument.id))" + (basis.map { "; basis: \($0)" } ?? "") + "."),
            t("Dữ liệu: tệp \(analysis.dataSet). Thiết kế mẫu: \(designText(result)).", "Data: file \(analysis.dataSet). Survey design: \(designText(result))."),
            t("Chỉ số tiêu chí = điểm trung bình / điểm tối đa × 100; chỉ số yếu tố, nội dung và SIPAS = trung bình các chỉ số tiêu chí. Tỷ lệ hài lòng = tỷ lệ trả lời mức 4–5, là một thống kê riêng.",
              "Criterion index = mean score / top score × 100; factor, content and SIPAS indices = mean of the criterion indices. Share satisfied = share of answers 4–5, a separate statistic."),
            t("Khoảng tin cậy 95%: \(IntervalNames.name(result.options.intervalMethod, language: .vi)). So sánh đơn vị với toàn tỉnh và giữa hai năm bằng kiểm định t; mỗi so sánh có một giá trị p và một p hiệu chỉnh (\(adjustmentName)) trong nhóm so sánh của nó: các đơn vị so với toàn tỉnh; các đơn vị so với năm trước; chỉ số SIPAS toàn tỉnh so với năm trước là một so sánh riêng (p hiệu chỉnh = p); các chỉ số khác của toàn tỉnh so với năm trước. \"Có ý nghĩa thống kê\" ở mọi chỗ trong báo cáo nghĩa là p hiệu chỉnh < 0,05.",
              "95% confidence intervals: \(IntervalNames.name(result.options.intervalMethod, language: .en)). Units against the province and year against year by t-tests; each comparison has one p and one p adjusted (\(adjustmentName)) within its family: units against the province; units against the previous year; the province's SIPAS against the previous year is a family of one (adjusted p = p); the province's other indices against the previous year. \"Statistically significant\" everywhere in this report means adjusted p < 0.05."),
            options.replicates > 0 && options.design.replicates == nil
                ? t("Phân tích yếu tố ảnh hưởng: khoảng tin cậy của tầm quan trọng bằng bootstrap \(style.integer(options.replicates)) lần, hạt giống ngẫu nhiên \(options.seed).",
                    "Driver importance: intervals from \(style.integer(options.replicates)) bootstrap replicates, seed \(options.seed).")
                : t("Phân tích yếu tố ảnh hưởng: không tính khoảng tin cậy bootstrap cho tầm quan trọng.", "Driver importance: no bootstrap intervals."),
            t("Số liệu dựa trên ít hơn \(options.minimumN) phiếu trả lời không được công bố (ký hiệu —).",
              "Figures based on fewer than \(options.minimumN) responses are not published (shown as —)."),
        ]
        for note in result.notes { paragraphs.append(t("Ghi chú: ", "Note: ") + note.text(language)) }
        return ReportSection(id: "method", heading: t("Giới thiệu: cơ sở và phương pháp", "Introduction: basis and method"), paragraphs: paragraphs)
    }

    /// A note from the estimators or models, in the report's language (they are written in English).

    func fieldworkSection() -> ReportSection {
        let result = analysis.indices
        let f = analysis.fieldwork
        var table = ReportTable(id: "bieu-1", title: t("Biểu số 1. Kết quả phiếu điều tra", "Table 1. Survey forms"),
                                columns: [t("Chỉ tiêu", "Item"), t("Số phiếu", "Count"), "%"])
        func share(_ part: Int, _ whole: Int?) -> ReportCell { whole.map { $0 > 0 ? .percent(100 * Double(part) / Double($0)) : .text("") } ?? .text("") }
        if let issued = f.issued { table.rows.append([.text(t("Phiếu phát ra", "Forms issued")), .integer(issued), .text("")]) }
        if let returned = f.returned { table.rows.append([.text(t("Phiếu thu về", "Forms returned")), .integer(returned), share(returned, f.issued)]) }
        if let valid = f.valid { table.rows.append([.text(t("Phiếu hợp lệ", "Valid forms")), .integer(valid), share(valid, f.returned)]) }
        if let rechecked = f.rechecked {
            table.rows.append([.text(t("Phiếu được phúc tra", "Forms re-checked")), .integer(rechecked), share(rechecked, f.returned ?? result.rows.read)])
            if let c = f.recheckConfirmed { table.rows.append([.text(t("  phúc tra: xác nhận đúng", "  re-check: confirmed")), .integer(c), share(c, rechecked)]) }
            if let c = f.recheckUnreachable { table.rows.append([.text(t("  phúc tra: không liên lạc được", "  re-check: unreachable")), .integer(c), share(c, rechecked)]) }
            if let c = f.recheckRefused { table.rows.append([.text(t("  phúc tra: không hợp tác", "  re-check: refused")), .integer(c), share(c, rechecked)]) }
        }
        table.rows.append([.text(t("Dòng dữ liệu đọc được", "Data rows read")), .integer(result.rows.read), .text("")])
        table.rows.append([.text(t("Dòng dữ liệu sử dụng", "Data rows used")), .integer(result.rows.used), share(result.rows.used, result.rows.read)])
        for exclusion in result.rows.excluded {
            table.rows.append([.text(t("  loại: ", "  excluded: ") + exclusion.text(language)), .integer(exclusion.count), share(exclusion.count, result.rows.read)])
        }
        if result.invalidCellCount > 0 {
            table.notes.append(t("\(style.integer(result.invalidCellCount)) ô có giá trị không hợp lệ được coi là thiếu.",
                                 "\(style.integer(result.invalidCellCount)) cells with invalid values were treated as missing."))
        }
        var paragraphs: [String] = []
        if let issued = f.issued, let returned = f.returned {
            paragraphs.append(t("Tổng số phiếu thu về là \(style.integer(returned))/\(style.integer(issued)) phiếu, đạt \(pct(100 * Double(returned) / Double(max(1, issued)))) số phiếu phát ra.",
                                "\(style.integer(returned)) of \(style.integer(issued)) forms were returned (\(pct(100 * Double(returned) / Double(max(1, issued))))."))
        }
        paragraphs.append(t("Số liệu được tổng hợp từ \(style.integer(result.rows.used)) phiếu (trên \(style.integer(result.rows.read)) dòng dữ liệu).",
                            "Results are computed from \(style.integer(result.rows.used)) responses (of \(style.integer(result.rows.read)) data rows)."))
        return ReportSection(id: "fieldwork", heading: t("Kết quả phiếu điều tra", "Survey forms"), paragraphs: paragraphs, tables: [table])
    }

    static let valueLabels: [String: LocalizedText] = [
        "nam": LocalizedText(vi: "Nam", en: "Male"), "nu": LocalizedText(vi: "Nữ", en: "Female"),
        "truc_tiep": LocalizedText(vi: "Trực tiếp", en: "In person"), "truc_tuyen": LocalizedText(vi: "Trực tuyến", en: "Online"),
        "tinh": LocalizedText(vi: "Sở, ban, ngành tỉnh", en: "Provincial department"),
        "huyen": LocalizedText(vi: "UBND cấp huyện", en: "District people's committee"),
        "xa": LocalizedText(vi: "UBND cấp xã", en: "Commune people's committee"),
    ]
    static let variableLabels: [String: LocalizedText] = [
        "gender": LocalizedText(vi: "Giới tính", en: "Gender"), "age_group": LocalizedText(vi: "Nhóm tuổi", en: "Age group"),
        "channel": LocalizedText(vi: "Hình thức giao dịch", en: "Channel"), "unit_level": LocalizedText(vi: "Cấp đơn vị", en: "Unit level"),
    ]

    /// A data value of `column` for people: the file's value label (SPSS/Stata), else the label of a known code,
    /// else the value as typed.
    func valueLabel(_ value: String, column: String? = nil) -> String {
        if value.isEmpty { return t("(trống)", "(blank)") }
        if let column, let label = analysis.valueLabels[column]?[value] { return label }
        return Self.valueLabels[value]?.text(language) ?? value
    }

    /// A level's name (`--level`'s column).
    func levelLabel(_ level: String) -> String { valueLabel(level, column: options.levelColumn) }

    /// Biểu số 2: who answered, unweighted. With levels, one table per level (2, 2a, …), as seed 002 II.1 has
    /// one for the departments and one for the districts.
    func compositionSection() -> ReportSection? {
        func table(_ number: String, level: String?, groups: [RespondentGroup], total: Int) -> ReportTable? {
            let levelName = level.map { " — " + levelLabel($0) } ?? ""
            var composition = ReportTable(id: "bieu-\(number)", title: t("Biểu số \(number). Thành phần người trả lời phiếu\(levelName)", "Table \(number). Respondents\(levelName)"),
                                          columns: [t("Đặc điểm", "Characteristic"), t("Nhóm", "Group"), t("Số phiếu", "Count"), t("Tỷ lệ %", "Share %")])
            for group in groups {
                composition.rows.append([.text(Self.variableLabels[group.variable]?.text(language) ?? group.variable), .text(valueLabel(group.value, column: group.variable)),
                                         .integer(group.count), .percent(100 * Double(group.count) / Double(max(1, total)))])
            }
            guard !composition.rows.isEmpty else { return nil }
            composition.notes.append(t("Tỷ lệ trên \(style.integer(total)) phiếu được sử dụng\(level == nil ? "" : " của cấp này"), không gia quyền.",
                                       "Shares of the \(style.integer(total)) responses used\(level == nil ? "" : " at this level"), unweighted."))
            return composition
        }
        let tables: [ReportTable]
        if analysis.levels.isEmpty {
            tables = [table("2", level: nil, groups: analysis.composition, total: analysis.respondentsUsed)].compactMap { $0 }
        } else {
            tables = analysis.levels.enumerated().compactMap { k, level in
                analysis.compositionByLevel[level].flatMap { table("2" + Self.suffix(k), level: level, groups: $0.groups, total: $0.used) }
            }
        }
        guard !tables.isEmpty else { return nil }
        return ReportSection(id: "composition", heading: t("Thành phần người trả lời", "Who answered"), tables: tables)
    }

    /// The code shown for an index: criteria and items keep their data column; in Vietnamese, contents and
    /// factors (whose codes are English words) are known by their label alone.
    func code(_ kind: IndexKind, _ id: String) -> ReportCell {
        vi && (kind == .content || kind == .factor) ? .text("") : .text(id)
    }

    func indexRow(_ e: IndexEstimate, kindLabel: String) -> [ReportCell] {
        [.text(kindLabel), code(e.kind, e.id), .text(e.label.text(language)), .integer(e.n),
         percent(e.index.estimate, n: e.n), interval(e.index, n: e.n),
         e.shareSatisfied == nil ? .text("") : percent(e.shareSatisfied?.estimate, n: e.n),
         e.shareSatisfied == nil ? .text("") : interval(e.shareSatisfied, n: e.n)]
    }

    var indexColumns: [String] {
        [t("Cấp", "Level"), t("Mã", "ID"), t("Nội dung", "Label"), "n", t("Chỉ số %", "Index %"), t("KTC 95%", "95% CI"),
         t("Hài lòng %", "Satisfied %"), t("KTC 95%", "95% CI")]
    }

    func kindLabel(_ kind: IndexKind) -> String {
        switch kind {
        case .overall: return "SIPAS"
        case .content: return t("nội dung", "content")
        case .factor: return t("yếu tố", "factor")
        case .criterion: return t("tiêu chí", "criterion")
        case .overallItem: return t("câu hài lòng chung", "overall item")
        case .perception: return t("nhận định", "perception")
        case .expectation: return t("mong đợi", "expectation")
        }
    }

    func indicesSection() -> ReportSection {
        let result = analysis.indices
        let province = result.estimates.filter { $0.group.isEmpty }
        var table = ReportTable(id: "bieu-3", title: t("Biểu số 3. Chỉ số hài lòng toàn tỉnh theo nội dung, yếu tố và tiêu chí",
                                                       "Table 3. Indices for the whole province by content, factor and criterion"),
                                columns: indexColumns)
        let order: [IndexKind] = [.overall, .overallItem, .content, .factor, .criterion, .perception, .expectation]
        for kind in order {
            for e in province where e.kind == kind { table.rows.append(indexRow(e, kindLabel: kindLabel(kind))) }
        }
        let notes = Set(province.flatMap(\.notes).map { $0.text(language) })
        table.notes += notes.sorted()
        let profile = province.filter { $0.kind == .criterion }.map { e in
            ChartBar(label: "\(e.id) " + e.label.text(language), estimate: e.n < options.minimumN ? nil : e.index.estimate,
                     lower: e.index.lower, upper: e.index.upper, n: e.n)
        }
        let overall = province.first { $0.kind == .overall }
        var paragraphs: [String] = []
        for content in province where content.kind == .content {
            paragraphs.append(t("Chỉ số hài lòng về \(content.label.text(.vi)): \(content.n < options.minimumN ? "—" : pct(content.index.estimate)) (KTC 95%: \(pct(content.index.lower)) – \(pct(content.index.upper))).",
                                "\(content.label.text(.en)): \(content.n < options.minimumN ? "—" : pct(content.index.estimate)) (95% CI \(pct(content.index.lower)) – \(pct(content.index.upper)))."))
        }
        return ReportSection(
            id: "indices", heading: t("Chỉ số hài lòng toàn tỉnh", "Indices for the province"), paragraphs: paragraphs,
            charts: [.intervals(id: "criterion-profile", title: t("Chỉ số theo tiêu chí (KTC 95%)", "Criterion indices (95% CI)"),
                                bars: profile, reference: overall?.index.estimate, referenceLabel: "SIPAS")],
            tables: [table])
    }

    func published(_ units: [IndexEstimate]) -> [IndexEstimate] {
        units.filter { $0.n >= options.minimumN && $0.index.estimate != nil }
    }

    /// The Sơn La–style statement for a set of units (all units, or one level), from the comparison's tests.
    func unitStatement(_ units: [IndexEstimate], level: String?) -> String {
        let shown = published(units)
        let threshold = style.fixed(options.threshold, decimals: 0)
        let differences = Dictionary(comparison.unitsVersusProvince.compactMap { d in d.subject.unit.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
        let provinceValue = comparison.province.index.estimate ?? .nan
        let at = shown.filter { $0.index.estimate! >= options.threshold }.count
        let atSignificantly = shown.filter { ($0.index.lower ?? -.infinity) >= options.threshold }.count
        let above = shown.filter { $0.index.estimate! > provinceValue }
        let below = shown.filter { $0.index.estimate! < provinceValue }
        let aboveSignificantly = above.filter { differences[$0.group[0].value]?.isSignificant(at: alpha) == true }.count
        let belowSignificantly = below.filter { differences[$0.group[0].value]?.isSignificant(at: alpha) == true }.count
        let prefix = level.map { levelLabel($0) + ": " } ?? ""
        var text = prefix + t("\(at)/\(shown.count) đơn vị có chỉ số SIPAS từ \(threshold)% trở lên (\(atSignificantly) đơn vị có cả khoảng tin cậy từ \(threshold)% trở lên); \(above.count) đơn vị cao hơn toàn tỉnh (\(aboveSignificantly) có ý nghĩa thống kê), \(below.count) thấp hơn (\(belowSignificantly) có ý nghĩa thống kê).",
                              "\(at) of \(shown.count) units have a SIPAS of \(threshold)% or more (\(atSignificantly) with the whole interval at or above \(threshold)%); \(above.count) are above the province (\(aboveSignificantly) significantly), \(below.count) below (\(belowSignificantly) significantly).")
        if let highest = shown.max(by: { $0.index.estimate! < $1.index.estimate! }), let lowest = shown.min(by: { $0.index.estimate! < $1.index.estimate! }) {
            let middle = OrderStatistics.median(shown.compactMap(\.index.estimate))
            text += t(" Cao nhất: \(name(highest.group[0].value)) \(pct(highest.index.estimate)); thấp nhất: \(name(lowest.group[0].value)) \(pct(lowest.index.estimate)); trung vị \(pct(middle)).",
                      " Highest: \(name(highest.group[0].value)) \(pct(highest.index.estimate)); lowest: \(name(lowest.group[0].value)) \(pct(lowest.index.estimate)); median \(pct(middle)).")
        }
        let hidden = units.count - shown.count
        if hidden > 0 {
            text += t(" \(hidden) đơn vị có ít hơn \(options.minimumN) phiếu không được xếp hạng.", " \(hidden) units with fewer than \(options.minimumN) responses are not ranked.")
        }
        return text
    }

    /// "4", "4a", "4b", … for the k-th ranking table.
    static func suffix(_ k: Int) -> String { k == 0 ? "" : String(UnicodeScalar(UInt8(96 + min(k, 26)))) }

    /// One ranking table (Biểu số 4…) for a set of units, with summary rows: highest, lowest, median, count at
    /// or above the threshold, count above the province. The province figure is the whole province's estimate
    /// (all respondents pooled, every level together), the same as in Biểu số 3.
    func rankingTable(_ units: [IndexEstimate], number: String, level: String?) -> (ReportTable, [ChartBar]) {
        let differences = Dictionary(comparison.unitsVersusProvince.compactMap { d in d.subject.unit.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
        let shown = published(units).sorted { $0.index.estimate! > $1.index.estimate! }
        let hidden = units.filter { !($0.n >= options.minimumN && $0.index.estimate != nil) }
        let levelName = level.map(levelLabel)
        var ranking = ReportTable(
            id: "bieu-\(number)",
            title: t("Biểu số \(number). Chỉ số SIPAS của các cơ quan, đơn vị" + (levelName.map { " — \($0)" } ?? "") + " (xếp hạng)",
                     "Table \(number). SIPAS by unit" + (levelName.map { " — \($0)" } ?? "") + " (ranked)"),
            columns: [t("Hạng", "Rank"), t("Mã", "ID"), t("Cơ quan, đơn vị", "Unit"), "n", t("SIPAS %", "SIPAS %"), t("KTC 95%", "95% CI"),
                      t("So với toàn tỉnh (điểm %)", "Versus province (points)"), t("p hiệu chỉnh", "Adjusted p"), t("Có ý nghĩa", "Significant"),
                      t("Hài lòng %", "Satisfied %")])
        var bars: [ChartBar] = []
        for (rank, e) in shown.enumerated() {
            let id = e.group[0].value
            let d = differences[id]
            ranking.rows.append([.integer(rank + 1), .text(id), .text(shortName(id)), .integer(e.n), .percent(e.index.estimate),
                                 .interval(e.index.lower, e.index.upper), .number(d?.estimate, decimals: 2), .pValue(d?.adjustedPValue),
                                 .text(d.map { mark($0, up: t("cao hơn", "above"), down: t("thấp hơn", "below")) } ?? ""),
                                 .percent(e.shareSatisfied?.estimate)])
            bars.append(ChartBar(label: name(id), estimate: e.index.estimate, lower: e.index.lower, upper: e.index.upper, n: e.n))
        }
        for e in hidden {
            let id = e.group[0].value
            ranking.rows.append([.text(""), .text(id), .text(shortName(id)), .integer(e.n), .suppressed(n: e.n), .suppressed(n: e.n),
                                 .suppressed(n: e.n), .text(""), .text(""), .suppressed(n: e.n)])
            bars.append(ChartBar(label: name(id), estimate: nil, lower: nil, upper: nil, n: e.n))
        }
        // Summary rows (seed 002 II.2): over the published units of this table.
        let values = shown.compactMap(\.index.estimate)
        let blank: [ReportCell] = [.text(""), .text(""), .text(""), .text(""), .text("")]
        func summary(_ label: String, _ unit: IndexEstimate?, _ value: ReportCell) -> [ReportCell] {
            [.text(""), .text(unit?.group[0].value ?? ""), .text(label + (unit.map { ": " + shortName($0.group[0].value) } ?? "")), .text(""), value] + blank
        }
        if let top = shown.first, let bottom = shown.last {
            ranking.footer.append(summary(t("Cao nhất", "Highest"), top, .percent(top.index.estimate)))
            ranking.footer.append(summary(t("Thấp nhất", "Lowest"), bottom, .percent(bottom.index.estimate)))
            ranking.footer.append(summary(t("Trung vị", "Median"), nil, .percent(OrderStatistics.median(values))))
        }
        if let level, let pooled = analysis.levelIndices[level] {
            var row = summary(t("Chỉ số SIPAS chung của khối (gộp người trả lời)", "SIPAS of the level (respondents pooled)"), nil,
                              percent(pooled.index.estimate, n: pooled.n))
            row[3] = .integer(pooled.n)
            row[5] = interval(pooled.index, n: pooled.n)
            ranking.footer.append(row)
        }
        let threshold = style.fixed(options.threshold, decimals: 0)
        ranking.footer.append(summary(t("Số đơn vị đạt từ \(threshold)% trở lên", "Units at \(threshold)% or more"), nil,
                                    .integer(values.filter { $0 >= options.threshold }.count)))
        let provinceValue = comparison.province.index.estimate ?? .nan
        ranking.footer.append(summary(t("Số đơn vị cao hơn toàn tỉnh (\(pct(provinceValue)))", "Units above the province (\(pct(provinceValue)))"), nil,
                                    .integer(values.filter { $0 > provinceValue }.count)))
        ranking.notes.append(t("Có ý nghĩa: khác toàn tỉnh với p hiệu chỉnh (\(adjustmentName), trên tất cả các đơn vị) < 0,05; phương sai của chênh lệch tính đến việc đơn vị là một phần của tỉnh.",
                               "Significant: differs from the province with adjusted p (\(adjustmentName), across all units) < 0.05; the variance of the difference accounts for the unit being part of the province."))
        ranking.notes.append(t("Toàn tỉnh: chỉ số SIPAS của tất cả người trả lời gộp chung (mọi cấp), như Biểu số 3.",
                               "Province: the SIPAS of all respondents pooled (every level), as in Table 3."))
        return (ranking, bars)
    }

    /// Per-unit indices of one kind (contents or factors) and the highest / lowest / median unit for each.
    func byUnitTables(kind: IndexKind, items: [(id: String, label: String)], number: String, extremesNumber: String,
                      title: (String, String), extremesTitle: (String, String), columnLabel: (String, String)) -> [ReportTable] {
        let result = analysis.indices
        var byUnit = ReportTable(id: "bieu-\(number)", title: t("Biểu số \(number). " + title.0, "Table \(number). " + title.1),
                                 columns: [t("Mã", "ID"), t("Cơ quan, đơn vị", "Unit"), "n"] + items.map { $0.label + " %" })
        var values: [String: [(String, Double)]] = [:]
        for unit in comparison.units {
            let id = unit.group[0].value
            var row: [ReportCell] = [.text(id), .text(shortName(id)), .integer(unit.n)]
            for item in items {
                let e = result.estimates.first { $0.kind == kind && $0.id == item.id && $0.group.first?.value == id }
                row.append(e.map { percent($0.index.estimate, n: $0.n) } ?? .percent(nil))
                if let e, e.n >= options.minimumN, let v = e.index.estimate { values[item.id, default: []].append((id, v)) }
            }
            byUnit.rows.append(row)
        }
        // Seed 002 II.2.2: for each factor (content), the pooled figure, the highest, lowest and median unit and
        // the count of units at or above the threshold; with levels, once for the province and once per level.
        let scopes: [String?] = [nil] + analysis.levels.map { Optional($0) }
        let withLevels = scopes.count > 1
        let threshold = style.fixed(options.threshold, decimals: 0)
        var columns = [t(columnLabel.0, columnLabel.1)]
        if withLevels { columns.append(t("Phạm vi", "Scope")) }
        columns += [withLevels ? t("Chung %", "Pooled %") : t("Toàn tỉnh %", "Province %"), t("Cao nhất", "Highest"), t("Cao nhất %", "Highest %"),
                    t("Thấp nhất", "Lowest"), t("Thấp nhất %", "Lowest %"), t("Trung vị %", "Median %"),
                    t("Số đơn vị ≥ \(threshold)%", "Units ≥ \(threshold)%")]
        var extremes = ReportTable(id: "bieu-\(extremesNumber)", title: t("Biểu số \(extremesNumber). " + extremesTitle.0, "Table \(extremesNumber). " + extremesTitle.1),
                                   columns: columns)
        for item in items {
            for scope in scopes {
                let inScope = Set(analysis.units(inLevel: scope).map { $0.group[0].value })
                let list = (values[item.id] ?? []).filter { inScope.contains($0.0) }
                let pooled: IndexEstimate?
                if let scope {
                    pooled = analysis.levelEstimates[scope]?.first { $0.kind == kind && $0.id == item.id }
                } else {
                    pooled = result.estimates.first { $0.kind == kind && $0.id == item.id && $0.group.isEmpty }
                }
                let high = list.max { $0.1 < $1.1 }, low = list.min { $0.1 < $1.1 }
                var row: [ReportCell] = [.text(item.label)]
                if withLevels { row.append(.text(scope.map(levelLabel) ?? t("Toàn tỉnh", "Province"))) }
                row.append(pooled.map { percent($0.index.estimate, n: $0.n) } ?? .percent(nil))
                row.append(.text(high.map { name($0.0) } ?? ""))
                row.append(.percent(high?.1))
                row.append(.text(low.map { name($0.0) } ?? ""))
                row.append(.percent(low?.1))
                row.append(.percent(OrderStatistics.median(list.map(\.1))))
                row.append(.integer(list.filter { $0.1 >= options.threshold }.count))
                extremes.rows.append(row)
            }
        }
        extremes.notes.append(t("Cao nhất, thấp nhất, trung vị và số đơn vị đạt từ \(threshold)%: trên các đơn vị có từ \(options.minimumN) phiếu trở lên."
                                + (withLevels ? " Chung: người trả lời của mọi đơn vị trong phạm vi gộp chung (Toàn tỉnh: mọi cấp)." : ""),
                                "Highest, lowest, median and units at \(threshold)% or more: over the units with at least \(options.minimumN) responses."
                                + (withLevels ? " Pooled: all respondents of the scope's units together (Province: every level)." : "")))
        return [byUnit, extremes]
    }

    func unitsSection() -> ReportSection {
        var tables: [ReportTable] = []
        var charts: [ReportChart] = []
        var paragraphs: [String] = []
        let groups: [String?] = analysis.levels.isEmpty ? [nil] : analysis.levels
        for (k, level) in groups.enumerated() {
            let units = analysis.units(inLevel: level)
            let number = "4" + Self.suffix(k)
            let (table, bars) = rankingTable(units, number: number, level: level)
            tables.append(table)
            paragraphs.append(unitStatement(units, level: level))
            let levelName = level.map { " — " + levelLabel($0) } ?? ""
            charts.append(.intervals(id: k == 0 ? "units-ranked" : "units-ranked-\(Self.suffix(k))",
                                     title: t("Chỉ số SIPAS theo đơn vị\(levelName), xếp hạng (KTC 95%)", "SIPAS by unit\(levelName), ranked (95% CI)"),
                                     bars: bars, reference: comparison.province.index.estimate, referenceLabel: t("Toàn tỉnh", "Province")))
        }
        if groups.count > 1 {
            let unassigned = comparison.units.filter { analysis.unitLevels[$0.group[0].value] == nil }
            if !unassigned.isEmpty {
                paragraphs.append(t("\(unassigned.count) đơn vị không có giá trị ở cột cấp (\(options.levelColumn ?? "")) và không thuộc biểu xếp hạng theo cấp nào: ",
                                    "\(unassigned.count) units have no value in the level column (\(options.levelColumn ?? "")) and are in no level's ranking: ")
                                  + unassigned.map { name($0.group[0].value) }.joined(separator: "; ") + ".")
            }
        }
        let contents = analysis.instrument.contents
        if contents.count > 1 {
            tables += byUnitTables(kind: .content, items: contents.map { ($0.id, $0.label.text(language)) }, number: "5", extremesNumber: "5a",
                                   title: ("Chỉ số hài lòng theo nội dung của các cơ quan, đơn vị", "Content indices by unit"),
                                   extremesTitle: ("Đơn vị cao nhất, thấp nhất và trung vị theo nội dung", "Highest, lowest and median unit by content"),
                                   columnLabel: ("Nội dung", "Content"))
        } else {
            paragraphs.append(t("Bộ câu hỏi có một nội dung: chỉ số nội dung trùng với chỉ số SIPAS nên không lập biểu riêng theo nội dung.",
                                "The instrument has one content: its index equals SIPAS, so there is no separate table by content."))
        }
        let factors = contents.flatMap(\.factors)
        let (factorNumber, factorExtremes) = contents.count > 1 ? ("5b", "5c") : ("5", "5a")
        tables += byUnitTables(kind: .factor, items: factors.map { ($0.id, $0.label.text(language)) }, number: factorNumber, extremesNumber: factorExtremes,
                               title: ("Chỉ số hài lòng theo yếu tố của các cơ quan, đơn vị", "Factor indices by unit"),
                               extremesTitle: ("Đơn vị cao nhất, thấp nhất và trung vị theo yếu tố", "Highest, lowest and median unit by factor"),
                               columnLabel: ("Yếu tố", "Factor"))
        return ReportSection(id: "units", heading: t("Chỉ số hài lòng của các cơ quan, đơn vị", "Indices by unit"),
                             paragraphs: paragraphs, charts: charts, tables: tables)
    }

    func trendSection() -> ReportSection {
        let unitN = Dictionary(comparison.units.map { ($0.group[0].value, $0.n) }, uniquingKeysWith: { a, _ in a })
        let current = Dictionary(comparison.units.map { ($0.group[0].value, $0.index.estimate) }, uniquingKeysWith: { a, _ in a })
        var table = ReportTable(id: "bieu-6", title: t("Biểu số 6. Thay đổi chỉ số SIPAS so với năm trước", "Table 6. Change in SIPAS since the previous year"),
                                columns: changeColumns(t("Đơn vị", "Unit")))
        var bars: [ChangeBar] = []
        for d in comparison.versusPrevious {
            let label: String, now: Double?, n: Int
            switch d.subject {
            case .province: label = t("Toàn tỉnh", "Province"); now = comparison.province.index.estimate; n = comparison.province.n
            case .unit(let id): label = name(id); now = current[id] ?? nil; n = unitN[id] ?? 0
            case .pair: continue
            }
            let significant = d.isSignificant(at: alpha)
            table.rows.append(changeRow(label, now: now, n: n, d))
            if n < options.minimumN { continue }
            bars.append(ChangeBar(label: label, change: d.estimate, lower: d.lower, upper: d.upper, significant: significant))
        }
        // Units with no estimate in one of the two years are listed, not dropped.
        let compared = Set(comparison.unitChanges.compactMap(\.subject.unit))
        for unit in comparison.units where !compared.contains(unit.group[0].value) {
            let id = unit.group[0].value
            table.rows.append([.text(name(id)), .text(t("không có số liệu", "no data")), percent(unit.index.estimate, n: unit.n),
                               .text(""), .text(""), .text(""), .text("")])
        }
        // Units of the previous year that this year's file does not have.
        for id in analysis.unitsOnlyInPrevious {
            let before = comparison.previous?.estimates.first { $0.id == analysis.options.indexID && $0.group.map(\.value) == [id] }
            table.rows.append([.text(name(id)), before.map { percent($0.index.estimate, n: $0.n) } ?? .text(""),
                               .text(t("không có số liệu", "no data")), .text(""), .text(""), .text(""), .text("")])
        }
        if !analysis.unitsOnlyInPrevious.isEmpty {
            table.notes.append(t("\(analysis.unitsOnlyInPrevious.count) đơn vị chỉ có trong số liệu năm trước (không có phiếu năm nay): \(analysis.unitsOnlyInPrevious.map(name).joined(separator: ", ")).",
                                 "\(analysis.unitsOnlyInPrevious.count) unit(s) only in the previous year's data (no forms this year): \(analysis.unitsOnlyInPrevious.map(name).joined(separator: ", "))."))
        }
        table.notes.append(t("p của các đơn vị được hiệu chỉnh (\(adjustmentName)) trên tất cả các đơn vị; thay đổi của toàn tỉnh là một so sánh riêng nên p hiệu chỉnh = p (cùng số với Biểu số 6a và lệnh sipas compare).",
                             "Unit p-values are adjusted (\(adjustmentName)) across all units; the province's change is a family of one, so its adjusted p equals its p (the same number as in Table 6a and in sipas compare)."))
        table.notes.append(t("Hai năm là hai mẫu độc lập: phương sai của thay đổi = tổng hai phương sai (bậc tự do Welch–Satterthwaite).",
                             "The two years are independent samples: the variance of a change is the sum of the two variances (Welch–Satterthwaite degrees of freedom)."))
        let s = comparison.summary
        let paragraph = t("\(s.betterThanPrevious ?? 0) đơn vị tăng so với năm trước (\(s.significantlyBetter ?? 0) có ý nghĩa thống kê), \(s.worseThanPrevious ?? 0) đơn vị giảm (\(s.significantlyWorse ?? 0) có ý nghĩa thống kê).",
                          "\(s.betterThanPrevious ?? 0) units improved on the previous year (\(s.significantlyBetter ?? 0) significantly), \(s.worseThanPrevious ?? 0) declined (\(s.significantlyWorse ?? 0) significantly).")
        return ReportSection(id: "trend", heading: t("So sánh với năm trước", "Change since the previous year"), paragraphs: [paragraph],
                             charts: [.change(id: "year-change", title: t("Thay đổi SIPAS so với năm trước (điểm %, KTC 95%)", "Change in SIPAS since the previous year (points, 95% CI)"), bars: bars)],
                             tables: [table, levelChanges()] + levelYearChanges())
    }

    /// The columns of a year-change table (Biểu số 6, 6c) after its first, `subject`.
    func changeColumns(_ subject: String) -> [String] {
        [subject, t("Năm trước %", "Previous %"), t("Năm nay %", "Current %"), t("Thay đổi (điểm %)", "Change (points)"),
         t("KTC 95%", "95% CI"), t("p hiệu chỉnh", "Adjusted p"), t("Có ý nghĩa", "Significant")]
    }

    /// A row of a year-change table (Biểu số 6, 6c): then (now − change), now, the change with its interval,
    /// adjusted p and mark; every figure suppressed when fewer than `minimumN` responded this year.
    func changeRow(_ label: String, now: Double?, n: Int, _ d: IndexDifference) -> [ReportCell] {
        if n < options.minimumN {
            return [.text(label), .suppressed(n: n), .suppressed(n: n), .suppressed(n: n), .suppressed(n: n), .text(""), .text("")]
        }
        return [.text(label), .percent(now.map { $0 - d.estimate }), .percent(now), .number(d.estimate, decimals: 2),
                .interval(d.lower, d.upper), .pValue(d.adjustedPValue), .text(mark(d, up: t("tăng", "up"), down: t("giảm", "down")))]
    }

    /// Each level's SIPAS now and the year before (Biểu số 6c): the level's respondents pooled in each year, as
    /// `SurveyAnalysis.levelChanges` tested them (Welch, adjusted across the levels). None without --level or
    /// when the previous year's file has no level column.
    func levelYearChanges() -> [ReportTable] {
        guard !analysis.levelChanges.isEmpty else { return [] }
        var table = ReportTable(id: "bieu-6c", title: t("Biểu số 6c. Thay đổi chỉ số SIPAS theo cấp so với năm trước", "Table 6c. Change in SIPAS by level since the previous year"),
                                columns: changeColumns(t("Cấp", "Level")))
        for d in analysis.levelChanges {
            guard let level = d.subject.unit else { continue }
            let now = analysis.levelIndices[level]
            let n = now?.n ?? 0
            table.rows.append(changeRow(levelLabel(level), now: now?.index.estimate, n: n, d))
        }
        table.notes.append(t("Mỗi cấp gộp mọi phiếu của các đơn vị thuộc cấp đó trong từng năm; p được hiệu chỉnh (\(adjustmentName)) giữa các cấp (cùng số với lệnh sipas compare --by \(analysis.options.levelColumn ?? "") --previous).",
                             "Each level pools every form of its units in each year; p adjusted (\(adjustmentName)) across the levels (the same numbers as sipas compare --by \(analysis.options.levelColumn ?? "") --previous)."))
        return [table]
    }

    /// The province's indices across the survey waves (Biểu số 6b): SIPAS and each content in every wave with its
    /// interval, and the change from the wave before as `TrendResult` tested it (the tests of `sipas trend` and of
    /// `compare --previous`); a chart of SIPAS by wave.
    func wavesSection(_ waves: TrendResult) -> ReportSection {
        var table = ReportTable(id: "bieu-6b", title: t("Biểu số 6b. Các chỉ số toàn tỉnh qua các đợt khảo sát", "Table 6b. The province's indices across the survey waves"),
                                columns: [t("Chỉ số", "Index"), t("Đợt", "Wave"), "n", t("Chỉ số %", "Index %"), t("KTC 95%", "95% CI"),
                                          t("Thay đổi (điểm %)", "Change (points)"), t("KTC 95% của thay đổi", "95% CI of change"),
                                          t("p hiệu chỉnh", "Adjusted p"), t("Có ý nghĩa", "Significant")])
        var bars: [ChartBar] = []
        // The contents when there are several (with one, its index is the SIPAS itself).
        let contents = waves.rows.filter { $0.kind == .content }.count
        for row in waves.rows where row.kind == .overall || (row.kind == .content && contents > 1) {
            for (index, wave) in waves.waves.enumerated() {
                let label = index == 0 ? (row.kind == .overall ? "SIPAS" : row.label.text(language)) : ""
                guard let estimate = row.estimates[index] else {
                    table.rows.append([.text(label), .text(wave.name), .text(t("không có", "none")), .text(""), .text(""), .text(""), .text(""), .text(""), .text("")])
                    continue
                }
                if row.kind == .overall && row.id == analysis.options.indexID {
                    bars.append(ChartBar(label: wave.name, estimate: estimate.n < options.minimumN ? nil : estimate.index.estimate,
                                         lower: estimate.index.lower, upper: estimate.index.upper, n: estimate.n))
                }
                guard estimate.n >= options.minimumN else {
                    table.rows.append([.text(label), .text(wave.name), .suppressed(n: estimate.n), .suppressed(n: estimate.n), .suppressed(n: estimate.n),
                                       .text(""), .text(""), .text(""), .text("")])
                    continue
                }
                var cells: [ReportCell] = [.text(label), .text(wave.name), .integer(estimate.n), .percent(estimate.index.estimate),
                                           .interval(estimate.index.lower, estimate.index.upper)]
                if let change = row.changes[index] {
                    cells += [.number(change.estimate, decimals: 2), .interval(change.lower, change.upper), .pValue(change.adjustedPValue),
                              .text(mark(change, up: t("tăng", "up"), down: t("giảm", "down")))]
                } else {
                    cells += [.text(""), .text(""), .text(""), .text("")]
                }
                table.rows.append(cells)
            }
        }
        table.notes.append(t("Thay đổi = đợt này − đợt liền trước; mỗi đợt là một mẫu độc lập (phương sai cộng lại, bậc tự do Welch–Satterthwaite), như Biểu số 6 và 6a và lệnh sipas trend. p hiệu chỉnh (\(adjustmentName)) giữa các chỉ số của cùng một cặp đợt; SIPAS là một so sánh riêng.",
                             "Change = this wave − the wave before; each wave is an independent sample (variances add, Welch–Satterthwaite degrees of freedom), as in Tables 6 and 6a and in sipas trend. p adjusted (\(adjustmentName)) among the indices of one pair of waves; SIPAS is a comparison of its own."))
        let design = designText(analysis.indices)
        table.notes.append(t("Mọi đợt được tính với cùng bộ câu hỏi và thiết kế mẫu của đợt này (\(design)).",
                             "Every wave is computed with this wave's instrument and design (\(design))."))
        let names = waves.waves.map(\.name)
        let paragraph = t("Các chỉ số toàn tỉnh qua \(names.count) đợt khảo sát (\(names.joined(separator: ", "))), mỗi đợt với khoảng tin cậy 95% và thay đổi so với đợt liền trước.",
                          "The province's indices across \(names.count) survey waves (\(names.joined(separator: ", "))), each with its 95% interval and the change from the wave before.")
        return ReportSection(id: "waves", heading: t("Qua các đợt khảo sát", "Across the survey waves"), paragraphs: [paragraph],
                             charts: [.intervals(id: "waves-sipas", title: t("Chỉ số SIPAS qua các đợt (KTC 95%)", "SIPAS by survey wave (95% CI)"),
                                                 bars: bars, reference: nil, referenceLabel: nil)],
                             tables: [table])
    }

    /// Every province index then and now (Biểu số 6a), as `SurveyAnalysis.provinceChanges` tested them.
    func levelChanges() -> ReportTable {
        var table = ReportTable(id: "bieu-6a", title: t("Biểu số 6a. Thay đổi các chỉ số toàn tỉnh so với năm trước", "Table 6a. Change in the province's indices since the previous year"),
                                columns: [t("Cấp", "Level"), t("Mã", "ID"), t("Nội dung", "Label"), t("Năm trước %", "Previous %"), t("Năm nay %", "Current %"),
                                          t("Thay đổi (điểm %)", "Change (points)"), t("KTC 95%", "95% CI"), t("p hiệu chỉnh", "Adjusted p"), t("Có ý nghĩa", "Significant")])
        for change in analysis.provinceChanges {
            let d = change.difference
            table.rows.append([.text(kindLabel(change.kind)), code(change.kind, change.id), .text(change.label.text(language)),
                               .percent(change.previous.index.estimate), .percent(change.current.index.estimate), .number(d.estimate, decimals: 2),
                               .interval(d.lower, d.upper), .pValue(d.adjustedPValue), .text(mark(d, up: t("tăng", "up"), down: t("giảm", "down")))])
        }
        table.notes.append(t("SIPAS toàn tỉnh là một so sánh riêng (p hiệu chỉnh = p, như Biểu số 6); p của các chỉ số còn lại được hiệu chỉnh (\(adjustmentName)) cùng nhau. Chỉ số dựa trên ít hơn \(analysis.options.minimumN) phiếu ở một trong hai năm không được kiểm định. Hai năm là hai mẫu độc lập.",
                             "The province's SIPAS is a family of one (adjusted p = p, as in Table 6); the other indices' p-values are adjusted (\(adjustmentName)) together. Indices based on fewer than \(analysis.options.minimumN) responses in either year are not tested. The two years are independent samples."))
        return table
    }

    func driversSection(_ findings: DriverFindings, headline: inout String?) -> ReportSection {
        let heading = t("Các yếu tố ảnh hưởng đến sự hài lòng và ưu tiên cải thiện", "Drivers of satisfaction and priorities")
        let result: DriverResult, priorities: [ModelPriorities]
        switch findings {
        case .failed(let reason):
            return ReportSection(id: "drivers", heading: heading, paragraphs: [t("Không ước lượng được mô hình: ", "No driver model: ") + reason.text(language)])
        case .fitted(let r, let p): result = r; priorities = p
        }
        guard let pooled = result.models.first(where: { $0.group == nil }), let pooledPriorities = priorities.first(where: { $0.group == nil }) else {
            return ReportSection(id: "drivers", heading: heading, paragraphs: [t("Không có mô hình chung cho toàn tỉnh.", "No pooled model for the province.")])
        }
        var paragraphs = [t("Biến phụ thuộc: \(result.outcome.label.vi) (cột \(result.outcome.id)); biến giải thích: điểm trung bình của từng yếu tố. n = \(style.integer(pooled.regression.observationCount)), R² = \(style.fixed(pooled.regression.rSquared, decimals: 3)).",
                            "Outcome: \(result.outcome.label.en) (\(result.outcome.id)); predictors: each factor's mean score. n = \(style.integer(pooled.regression.observationCount)), R² = \(style.fixed(pooled.regression.rSquared, decimals: 3)).")]
        paragraphs += result.sentences(pooled, language: language)
        var importance = ReportTable(
            id: "bieu-7", title: t("Biểu số 7. Tầm quan trọng của các yếu tố (toàn tỉnh)", "Table 7. Importance of the factors (province)"),
            columns: [t("Yếu tố", "Factor"), "b", t("KTC 95% của b", "95% CI of b"), t("Tầm quan trọng % R²", "Importance % of R²"), t("KTC 95%", "95% CI"),
                      t("Chỉ số %", "Index %"), t("Nhóm ưu tiên", "Quadrant")])
        var points: [QuadrantPoint] = []
        for (j, factor) in result.factors.enumerated() {
            let c = pooled.regression.coefficients[j + 1]
            let share = 100 * pooled.importance.lmg[j] / pooled.importance.rSquared
            let p = pooledPriorities.factors[j]
            importance.rows.append([.text(factor.label.text(language)), .number(c.estimate, decimals: 3),
                                    .range(c.confidenceLower, c.confidenceUpper, decimals: 3), .number(share, decimals: 1),
                                    pooled.bootstrap.map { .range(100 * $0.shareIntervals[j].lower, 100 * $0.shareIntervals[j].upper, decimals: 1) } ?? .text(""),
                                    .percent(p.performance.estimate), .text(p.quadrant.label.text(language))])
            points.append(QuadrantPoint(label: factor.label.text(language), importance: 100 * p.importance,
                                        performance: p.performance.estimate ?? 0, quadrant: p.quadrant.label.text(language)))
        }
        importance.notes += pooled.notes.texts(language)
        importance.notes.append(t("Nhóm ưu tiên theo phân tích tầm quan trọng – kết quả (Martilla và James, 1977): quan trọng cao, chỉ số thấp: Tập trung cải thiện; quan trọng cao, chỉ số cao: Tiếp tục duy trì; quan trọng thấp, chỉ số thấp: Ưu tiên thấp; quan trọng thấp, chỉ số cao: Có thể dư thừa (có thể đang đầu tư quá mức).",
                                  "Quadrants of importance–performance analysis (Martilla & James, 1977): high importance, low index: Concentrate here; high, high: Keep up the good work; low, low: Low priority; low importance, high index: Possible overkill."))
        if let top = points.max(by: { $0.importance < $1.importance }) {
            headline = t("Yếu tố quan trọng nhất đối với sự hài lòng chung: \(top.label) (\(style.fixed(top.importance, decimals: 0))% phần biến thiên được giải thích; nhóm: \(top.quadrant)).",
                         "Most important driver of overall satisfaction: \(top.label) (\(style.fixed(top.importance, decimals: 0))% of the explained variation; quadrant: \(top.quadrant)).")
        }
        var perUnit = ReportTable(id: "bieu-8", title: t("Biểu số 8. Nhóm ưu tiên của từng yếu tố theo đơn vị", "Table 8. Priority quadrant of each factor by unit"),
                                  columns: [t("Đơn vị", "Unit"), "n"] + result.factors.map { $0.label.text(language) })
        for p in priorities {
            guard let id = p.group else { continue }
            let n = result.models.first { $0.group == id }?.regression.observationCount ?? 0
            perUnit.rows.append([.text(name(id)), .integer(n)] + p.factors.map { .text($0.quadrant.label.text(language)) })
        }
        for skipped in result.skipped {
            perUnit.rows.append([.text(name(skipped.group)), .integer(skipped.observations)]
                                + result.factors.map { _ in .text(t("không đủ số liệu", "too few responses")) })
        }
        perUnit.notes.append(t("Mô hình theo đơn vị khi n ≥ \(result.minimumObservations). Nhóm: tầm quan trọng so với mức trung bình (100/số yếu tố %) và chỉ số so với trung bình các yếu tố của đơn vị.",
                               "A unit model needs n ≥ \(result.minimumObservations). Quadrant: importance against the mean share (100/number of factors %) and index against the unit's mean factor index."))
        return ReportSection(
            id: "drivers", heading: heading, paragraphs: paragraphs,
            charts: [.quadrant(id: "priority-matrix", title: t("Ma trận tầm quan trọng × kết quả (toàn tỉnh)", "Importance × performance (province)"),
                               points: points, importanceCut: 100 * pooledPriorities.importanceCut, performanceCut: pooledPriorities.performanceCut,
                               xLabel: t("Tầm quan trọng (% R²)", "Importance (% of R²)"), yLabel: t("Chỉ số yếu tố %", "Factor index %"))],
            tables: [importance, perUnit])
    }

    /// Comments and proposals (seed 000 §8b), stated only from significant results: factors to concentrate on,
    /// units significantly below the province, units significantly worse than last year.
    func recommendationsSection(concentrate: [String]) -> ReportSection {
        let small = Set(comparison.units.filter { $0.n < options.minimumN }.map { $0.group[0].value })
        let below = comparison.unitsVersusProvince.filter { $0.estimate < 0 && $0.isSignificant(at: alpha) }
            .sorted { $0.estimate < $1.estimate }.compactMap(\.subject.unit).filter { !small.contains($0) }.map(name)
        let worse = comparison.unitChanges.filter { $0.estimate < 0 && $0.isSignificant(at: alpha) }
            .compactMap(\.subject.unit).filter { !small.contains($0) }.map(name)
        var paragraphs: [String] = []
        if !concentrate.isEmpty {
            paragraphs.append(t("Ưu tiên cải thiện (quan trọng với sự hài lòng chung nhưng chỉ số dưới mức trung bình): \(concentrate.joined(separator: "; ")).",
                                "Improve first (important for overall satisfaction but below the mean index): \(concentrate.joined(separator: "; "))."))
        }
        paragraphs.append(below.isEmpty
            ? t("Không có đơn vị nào thấp hơn toàn tỉnh có ý nghĩa thống kê.", "No unit is significantly below the province.")
            : t("Đơn vị thấp hơn toàn tỉnh có ý nghĩa thống kê, cần rà soát: \(below.joined(separator: "; ")).",
                "Units significantly below the province, to review: \(below.joined(separator: "; "))."))
        if comparison.previous != nil {
            if let change = comparison.provinceChange, change.isSignificant(at: alpha) {
                paragraphs.append(t("Chỉ số SIPAS toàn tỉnh \(change.estimate > 0 ? "tăng" : "giảm") so với năm trước có ý nghĩa thống kê (p = \(pText(change.adjustedPValue))).",
                                    "The province's SIPAS \(change.estimate > 0 ? "rose" : "fell") significantly since the previous year (p = \(pText(change.adjustedPValue)))."))
            }
            paragraphs.append(worse.isEmpty
                ? t("Không có đơn vị nào giảm so với năm trước có ý nghĩa thống kê.", "No unit declined significantly since the previous year.")
                : t("Đơn vị giảm so với năm trước có ý nghĩa thống kê: \(worse.joined(separator: "; ")).",
                    "Units that declined significantly since the previous year: \(worse.joined(separator: "; "))."))
        }
        paragraphs.append(t("Các nhận định trên chỉ dựa trên khác biệt có ý nghĩa thống kê (p hiệu chỉnh < 0,05); khác biệt nhỏ hơn sai số mẫu không được coi là thay đổi thực.",
                            "These statements rest only on statistically significant differences (adjusted p < 0.05); differences within sampling error are not treated as real changes."))
        return ReportSection(id: "recommendations", heading: t("Nhận xét và đề xuất", "Comments and proposals"), paragraphs: paragraphs)
    }

    func appendixSection() -> ReportSection {
        let result = analysis.indices
        let instrument = analysis.instrument
        let criteria = instrument.criteria
        var byCriterion = ReportTable(id: "bieu-9", title: t("Biểu số 9. Chỉ số theo tiêu chí của các cơ quan, đơn vị", "Table 9. Criterion indices by unit"),
                                      columns: [t("Mã", "ID"), t("Cơ quan, đơn vị", "Unit")] + criteria.map { $0.id + " %" })
        for unit in comparison.units {
            let id = unit.group[0].value
            var row: [ReportCell] = [.text(id), .text(shortName(id))]
            for item in criteria {
                let e = result.estimates.first { $0.kind == .criterion && $0.id == item.id && $0.group.first?.value == id }
                row.append(e.map { percent($0.index.estimate, n: $0.n) } ?? .percent(nil))
            }
            byCriterion.rows.append(row)
        }
        var questionnaire = ReportTable(id: "questionnaire", title: t("Phụ lục: Phiếu khảo sát (bộ câu hỏi)", "Appendix: the questionnaire"),
                                        columns: [t("Nội dung", "Content"), t("Yếu tố", "Factor"), t("Câu", "Item"), t("Câu hỏi", "Question"), t("Thang đo", "Scale")])
        for content in instrument.contents {
            for factor in content.factors {
                for item in factor.criteria {
                    questionnaire.rows.append([.text(content.label.text(language)), .text(factor.label.text(language)), .text(item.id),
                                               .text(item.label.text(language) + (item.reversed ? t(" (đảo chiều)", " (reversed)") : "")), .text(item.scale.validAnswers)])
                }
            }
        }
        let others: [(ItemRole, [Item])] = [(.overall, instrument.overall.map { [$0] } ?? []),
                                            (.perception, instrument.perception), (.expectation, instrument.expectation)]
        for (role, items) in others {
            for item in items {
                questionnaire.rows.append([.text(kindLabel(role == .overall ? .overallItem : role == .perception ? .perception : .expectation)), .text(""),
                                           .text(item.id), .text(item.label.text(language)), .text(item.scale.validAnswers)])
            }
        }
        return ReportSection(id: "appendix", heading: t("Phụ lục", "Appendix"), tables: [byCriterion, questionnaire])
    }
}
