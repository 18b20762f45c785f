import Foundation
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASModels

/// Forms issued, returned and valid, and re-check (phúc tra) outcomes, as the fieldwork team reports them
/// (seed 002, I.7 and I.9). Every field is optional: only what is given is shown.
public struct Fieldwork: Equatable, Sendable {
    public var issued: Int?
    public var returned: Int?
    public var valid: Int?
    public var rechecked: Int?
    public var recheckConfirmed: Int?
    public var recheckUnreachable: Int?
    public var recheckRefused: Int?
    public init(issued: Int? = nil, returned: Int? = nil, valid: Int? = nil, rechecked: Int? = nil,
                recheckConfirmed: Int? = nil, recheckUnreachable: Int? = nil, recheckRefused: Int? = nil) {
        self.issued = issued; self.returned = returned; self.valid = valid; self.rechecked = rechecked
        self.recheckConfirmed = recheckConfirmed; self.recheckUnreachable = recheckUnreachable; self.recheckRefused = recheckRefused
    }
}

/// Choices for `SurveyReport.build`.
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

    public init(language: Language = .vi, groupColumn: String, minimumN: Int = 10, year: Int? = nil, province: String? = nil,
                design: DesignSpecification = .init(), intervalMethod: IntervalMethod = .beta, threshold: Double = 90,
                replicates: Int = 200, seed: UInt64 = 2024, adjustment: PValueAdjustment = .holm, fieldwork: Fieldwork = .init()) {
        self.language = language; self.groupColumn = groupColumn; self.minimumN = minimumN; self.year = year
        self.province = province; self.design = design; self.intervalMethod = intervalMethod; self.threshold = threshold
        self.replicates = replicates; self.seed = seed; self.adjustment = adjustment; self.fieldwork = fieldwork
    }
}

extension SurveyReport {
    /// Assembles the report from `IndexComparison` (indices with intervals per unit, unit vs province, year vs
    /// year), and, when the instrument has an overall item, `DriverAnalysis` and `DriverPriorities`.
    ///
    /// - Throws: the analyses' errors (missing columns, design errors naming file, row and column).
    public static func build(table: ResponseTable, previous: ResponseTable? = nil, options: ReportOptions) throws -> SurveyReport {
        var builder = ReportBuilder(table: table, options: options)
        return try builder.build(previous: previous)
    }
}

/// Builds a `SurveyReport`; one instance per report.
struct ReportBuilder {
    let table: ResponseTable
    let options: ReportOptions
    let style: NumberStyle
    var vi: Bool { options.language == .vi }

    init(table: ResponseTable, options: ReportOptions) {
        self.table = table; self.options = options; self.style = NumberStyle(language: options.language)
    }

    func t(_ vi: String, _ en: String) -> String { self.vi ? vi : en }
    func pct(_ value: Double?) -> String { style.fixed(value) + "%" }

    /// A percentage cell, suppressed when based on fewer than `minimumN` responses.
    func percent(_ value: Double?, n: Int) -> ReportCell { n < options.minimumN ? .suppressed(n: n) : .percent(value) }
    func interval(_ value: PercentEstimate?, n: Int) -> ReportCell {
        n < options.minimumN ? .suppressed(n: n) : .interval(value?.lower, value?.upper)
    }

    var yearValue: Int? {
        if let year = options.year { return year }
        guard let column = table.metadata(named: "year") else { return nil }
        let values = Set(column.levels.filter { !$0.isEmpty })
        return values.count == 1 ? Int(values.first!) : nil
    }

    /// Unit id → display name (from a `unit_name` column when there is one).
    func unitNames() -> [String: String] {
        guard let ids = table.metadata(named: options.groupColumn), let names = table.metadata(named: "unit_name") else { return [:] }
        var result: [String: String] = [:]
        for row in 0..<table.rowCount where result[ids[row]] == nil && !names[row].isEmpty { result[ids[row]] = names[row] }
        return result
    }

    mutating func build(previous: ResponseTable?) throws -> SurveyReport {
        let indexOptions = IndexOptions(intervalMethod: options.intervalMethod, design: options.design)
        let comparison = try IndexComparison.run(current: table, previous: previous, by: options.groupColumn, indexID: "SIPAS",
                                                 options: indexOptions, adjustment: options.adjustment, threshold: options.threshold)
        let result = comparison.current
        let year = yearValue
        let yearText = year.map(String.init) ?? ""
        let place = options.province.map { t(" trên địa bàn tỉnh \($0)", " in \($0) province") } ?? ""
        let title = vi
            ? "Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước\(place)" + (year.map { " năm \($0)" } ?? "")
            : "Citizen satisfaction with the service of state administrative agencies\(place)" + (year.map { ", \($0)" } ?? "")
        let shortTitle = "SIPAS" + (yearText.isEmpty ? "" : " \(yearText)")

        var sections: [ReportSection] = []
        sections.append(methodSection(result))
        sections.append(fieldworkSection(result))
        if let composition = compositionSection() { sections.append(composition) }
        sections.append(indicesSection(result))
        sections.append(unitsSection(comparison))
        if let previous {
            var trend = trendSection(comparison)
            let earlier = try IndexAnalysis.run(table: previous, options: indexOptions)
            trend.tables.append(levelChanges(current: result, previous: earlier))
            sections.append(trend)
        }
        var driverSentence: String?
        var concentrate: [String] = []
        if table.instrument.overall != nil, let overall = table.instrument.overall, table.column(for: overall.id) != nil {
            let drivers = driversSection(&driverSentence)
            sections.append(drivers)
            for case .quadrant(_, _, let points, _, _, _, _) in drivers.charts {
                concentrate = points.filter { $0.quadrant == PriorityQuadrant.concentrateHere.label.text(options.language) }.map(\.label)
            }
        }
        sections.append(recommendationsSection(comparison, concentrate: concentrate))
        sections.append(appendixSection(result))

        var highlights: [String] = []
        let province = comparison.province
        highlights.append(t("Chỉ số SIPAS chung: \(pct(province.index.estimate)) (KTC 95%: \(pct(province.index.lower)) – \(pct(province.index.upper))), n = \(style.integer(province.n)).",
                            "Overall SIPAS: \(pct(province.index.estimate)) (95% CI \(pct(province.index.lower)) – \(pct(province.index.upper))), n = \(style.integer(province.n))."))
        if let share = province.shareSatisfied?.estimate {
            highlights.append(t("Tỷ lệ người dân hài lòng (trả lời mức 4–5): \(pct(share)).", "Share satisfied (answers 4–5): \(pct(share))."))
        }
        highlights.append(unitStatement(comparison))
        if let change = comparison.versusPrevious.first(where: { $0.label.hasPrefix("province:") }) {
            highlights.append(t("So với năm trước: \(change.estimate >= 0 ? "tăng" : "giảm") \(style.fixed(abs(change.estimate))) điểm phần trăm (KTC 95%: \(style.fixed(change.lower)) đến \(style.fixed(change.upper)); \(change.pValue < 0.05 ? "có ý nghĩa thống kê" : "chưa có ý nghĩa thống kê")).",
                                "Against the previous year: \(change.estimate >= 0 ? "up" : "down") \(style.fixed(abs(change.estimate))) percentage points (95% CI \(style.fixed(change.lower)) to \(style.fixed(change.upper)); \(change.pValue < 0.05 ? "statistically significant" : "not statistically significant"))."))
        }
        if let driverSentence { highlights.append(driverSentence) }

        return SurveyReport(language: options.language, title: title, shortTitle: shortTitle, minimumN: options.minimumN,
                            highlights: highlights, sections: sections,
                            suppressionNote: t("—: dựa trên ít hơn \(options.minimumN) phiếu trả lời, không công bố.",
                                               "—: based on fewer than \(options.minimumN) responses; not published."))
    }

    // MARK: Sections

    func methodSection(_ result: IndexResult) -> ReportSection {
        let instrument = result.instrument
        let designText = result.design.map {
            t("\($0.summary.vi); \($0.strata) tầng, \($0.psus) đơn vị mẫu cấp 1 (PSU), bậc tự do \($0.degreesOfFreedom)",
              "\($0.summary.en); \($0.strata) strata, \($0.psus) primary sampling units, \($0.degreesOfFreedom) degrees of freedom")
        } ?? t("mẫu ngẫu nhiên đơn giản (không khai báo thiết kế mẫu)", "simple random sample (no design declared)")
        var paragraphs = [
            t("Bộ câu hỏi: \(instrument.title.text(.vi)) (\(instrument.id))" + (instrument.source.map { "; căn cứ: \($0)" } ?? "") + ".",
              "Instrument: \(instrument.title.text(.en)) (\(instrument.id))" + (instrument.source.map { "; basis: \($0)" } ?? "") + "."),
            t("Dữ liệu: \(result.source). Thiết kế mẫu: \(designText).", "Data: \(result.source). Survey design: \(designText)."),
            t("Chỉ số tiêu chí = điểm trung bình / điểm tối đa × 100; chỉ số yếu tố, nội dung và SIPAS = trung bình các chỉ số tiêu chí. Tỷ lệ hài lòng = tỷ lệ trả lời mức 4–5, là một thống kê riêng.",
              "Criterion index = mean score / top score × 100; factor, content and SIPAS indices = mean of the criterion indices. Share satisfied = share of answers 4–5, a separate statistic."),
            t("Khoảng tin cậy 95%: \(IntervalNames.name(result.options.intervalMethod, language: .vi)); so sánh đơn vị với toàn tỉnh và giữa hai năm bằng kiểm định t, p hiệu chỉnh \(options.adjustment.rawValue). Phân tích yếu tố ảnh hưởng: bootstrap \(options.replicates) lần, seed \(options.seed).",
              "95% confidence intervals: \(IntervalNames.name(result.options.intervalMethod, language: .en)); units against the province and year against year by t-tests with \(options.adjustment.rawValue)-adjusted p-values. Driver importance: \(options.replicates) bootstrap replicates, seed \(options.seed)."),
            t("Số liệu dựa trên ít hơn \(options.minimumN) phiếu trả lời không được công bố (ký hiệu —).",
              "Figures based on fewer than \(options.minimumN) responses are not published (shown as —)."),
        ]
        for note in result.notes { paragraphs.append(t("Ghi chú: ", "Note: ") + note.text(options.language)) }
        return ReportSection(id: "method", heading: t("Giới thiệu: cơ sở và phương pháp", "Introduction: basis and method"), paragraphs: paragraphs)
    }

    func fieldworkSection(_ result: IndexResult) -> ReportSection {
        let f = options.fieldwork
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
            table.rows.append([.text(t("  loại: ", "  excluded: ") + exclusion.reason), .integer(exclusion.count), share(exclusion.count, result.rows.read)])
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

    /// Rows the index analysis uses: not an empty line, in the filter, unit given, at least one criterion answered.
    func usedRows() -> [Int] {
        let empty = Set(table.emptyLineRows)
        let group = table.metadata(named: options.groupColumn)
        let criteria = table.instrument.criteria.compactMap { table.column(for: $0.id) }
        return (0..<table.rowCount).filter { row in
            !empty.contains(row) && table.passesFilter(row) && !(group?[row].isEmpty ?? false)
                && criteria.contains { $0.values[row] != 0 }
        }
    }

    static let valueLabels: [String: LocalizedText] = [
        "nam": LocalizedText(vi: "Nam", en: "Male"), "nu": LocalizedText(vi: "Nữ", en: "Female"),
        "truc_tiep": LocalizedText(vi: "Trực tiếp", en: "In person"), "truc_tuyen": LocalizedText(vi: "Trực tuyến", en: "Online"),
        "tinh": LocalizedText(vi: "Sở, ban, ngành tỉnh", en: "Provincial department"),
        "huyen": LocalizedText(vi: "UBND cấp huyện", en: "District people's committee"),
    ]

    func compositionSection() -> ReportSection? {
        let variables: [(String, LocalizedText)] = [
            ("gender", LocalizedText(vi: "Giới tính", en: "Gender")), ("age_group", LocalizedText(vi: "Nhóm tuổi", en: "Age group")),
            ("channel", LocalizedText(vi: "Hình thức giao dịch", en: "Channel")), ("unit_level", LocalizedText(vi: "Cấp đơn vị", en: "Unit level")),
        ]
        let rows = usedRows()
        var composition = ReportTable(id: "bieu-2", title: t("Biểu số 2. Thành phần người trả lời phiếu", "Table 2. Respondents"),
                                columns: [t("Đặc điểm", "Characteristic"), t("Nhóm", "Group"), t("Số phiếu", "Count"), t("Tỷ lệ %", "Share %")])
        for (name, label) in variables {
            guard let column = table.metadata(named: name) else { continue }
            var counts: [String: Int] = [:]
            for row in rows { counts[column[row].isEmpty ? "" : column[row], default: 0] += 1 }
            for value in counts.keys.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }) {
                let shown = value.isEmpty ? t("(trống)", "(blank)") : (Self.valueLabels[value]?.text(options.language) ?? value)
                composition.rows.append([.text(label.text(options.language)), .text(shown), .integer(counts[value]!),
                                   .percent(100 * Double(counts[value]!) / Double(max(1, rows.count)))])
            }
        }
        guard !composition.rows.isEmpty else { return nil }
        composition.notes.append(t("Tỷ lệ trên \(style.integer(rows.count)) phiếu được sử dụng, không gia quyền.",
                             "Shares of the \(style.integer(rows.count)) responses used, unweighted."))
        return ReportSection(id: "composition", heading: t("Thành phần người trả lời", "Who answered"), tables: [composition])
    }

    func indexRow(_ e: IndexEstimate, kindLabel: String) -> [ReportCell] {
        [.text(kindLabel), .text(e.id), .text(e.label.text(options.language)), .integer(e.n),
         percent(e.index.estimate, n: e.n), interval(e.index, n: e.n),
         e.shareSatisfied == nil ? .text("") : percent(e.shareSatisfied?.estimate, n: e.n),
         e.shareSatisfied == nil ? .text("") : interval(e.shareSatisfied, n: e.n)]
    }

    var indexColumns: [String] {
        [t("Cấp", "Level"), "ID", t("Nội dung", "Label"), "n", t("Chỉ số %", "Index %"), t("KTC 95%", "95% CI"),
         t("Hài lòng %", "Satisfied %"), t("KTC 95%", "95% CI")]
    }

    func kindLabel(_ kind: IndexKind) -> String {
        switch kind {
        case .overall: return t("SIPAS", "SIPAS")
        case .content: return t("nội dung", "content")
        case .factor: return t("yếu tố", "factor")
        case .criterion: return t("tiêu chí", "criterion")
        case .overallItem: return t("câu hài lòng chung", "overall item")
        case .perception: return t("nhận định", "perception")
        case .expectation: return t("mong đợi", "expectation")
        }
    }

    func indicesSection(_ result: IndexResult) -> ReportSection {
        let province = result.estimates.filter { $0.group.isEmpty }
        var table = ReportTable(id: "bieu-3", title: t("Biểu số 3. Chỉ số hài lòng toàn tỉnh theo nội dung, yếu tố và tiêu chí",
                                                       "Table 3. Indices for the whole province by content, factor and criterion"),
                                columns: indexColumns)
        let order: [IndexKind] = [.overall, .overallItem, .content, .factor, .criterion, .perception, .expectation]
        for kind in order {
            for e in province where e.kind == kind { table.rows.append(indexRow(e, kindLabel: kindLabel(kind))) }
        }
        let notes = Set(province.flatMap(\.notes).map { $0.text(options.language) })
        table.notes += notes.sorted()
        let profile = province.filter { $0.kind == .criterion }.map { e in
            ChartBar(label: "\(e.id) " + e.label.text(options.language), estimate: e.n < options.minimumN ? nil : e.index.estimate,
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

    func unitStatement(_ comparison: IndexComparisonResult) -> String {
        let s = comparison.summary
        let threshold = style.fixed(s.threshold, decimals: 0)
        let published = comparison.units.filter { $0.n >= options.minimumN && $0.index.estimate != nil }
        let highest = published.max { $0.index.estimate! < $1.index.estimate! }
        let lowest = published.min { $0.index.estimate! < $1.index.estimate! }
        let names = unitNames()
        func name(_ e: IndexEstimate) -> String { let id = e.group[0].value; return names[id].map { "\($0) (\(id))" } ?? id }
        var text = t("\(s.atLeastThreshold)/\(s.units) đơn vị có chỉ số SIPAS từ \(threshold)% trở lên (\(s.significantlyAtLeastThreshold) đơn vị có cả khoảng tin cậy từ \(threshold)% trở lên); \(s.aboveProvince) đơn vị cao hơn toàn tỉnh (\(s.significantlyAboveProvince) có ý nghĩa thống kê), \(s.belowProvince) thấp hơn (\(s.significantlyBelowProvince) có ý nghĩa thống kê).",
                     "\(s.atLeastThreshold) of \(s.units) units have a SIPAS of \(threshold)% or more (\(s.significantlyAtLeastThreshold) with the whole interval at or above \(threshold)%); \(s.aboveProvince) are above the province (\(s.significantlyAboveProvince) significantly), \(s.belowProvince) below (\(s.significantlyBelowProvince) significantly).")
        if let highest, let lowest {
            text += t(" Cao nhất: \(name(highest)) \(pct(highest.index.estimate)); thấp nhất: \(name(lowest)) \(pct(lowest.index.estimate)); trung vị \(pct(median(published.compactMap(\.index.estimate)))).",
                      " Highest: \(name(highest)) \(pct(highest.index.estimate)); lowest: \(name(lowest)) \(pct(lowest.index.estimate)); median \(pct(median(published.compactMap(\.index.estimate)))).")
        }
        return text
    }

    func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    func unitsSection(_ comparison: IndexComparisonResult) -> ReportSection {
        let names = unitNames()
        let differences = Dictionary(comparison.unitsVersusProvince.map { ($0.first, $0) }, uniquingKeysWith: { a, _ in a })
        let published = comparison.units.filter { $0.n >= options.minimumN && $0.index.estimate != nil }
            .sorted { $0.index.estimate! > $1.index.estimate! }
        let hidden = comparison.units.filter { !($0.n >= options.minimumN && $0.index.estimate != nil) }
        var ranking = ReportTable(
            id: "bieu-4", title: t("Biểu số 4. Chỉ số SIPAS của các cơ quan, đơn vị (xếp hạng)", "Table 4. SIPAS by unit (ranked)"),
            columns: [t("Hạng", "Rank"), t("Mã", "ID"), t("Cơ quan, đơn vị", "Unit"), "n", t("SIPAS %", "SIPAS %"), t("KTC 95%", "95% CI"),
                      t("So với toàn tỉnh (điểm %)", "Versus province (points)"), t("Có ý nghĩa", "Significant"), t("Hài lòng %", "Satisfied %")])
        var bars: [ChartBar] = []
        for (rank, e) in published.enumerated() {
            let id = e.group[0].value
            let d = differences[id]
            ranking.rows.append([.integer(rank + 1), .text(id), .text(names[id] ?? id), .integer(e.n), .percent(e.index.estimate),
                                 .interval(e.index.lower, e.index.upper), .number(d?.estimate, decimals: 2),
                                 .text(d.map { $0.adjustedPValue < 1 - comparison.current.confidenceLevel ? ($0.estimate > 0 ? t("cao hơn", "above") : t("thấp hơn", "below")) : "" } ?? ""),
                                 .percent(e.shareSatisfied?.estimate)])
            bars.append(ChartBar(label: names[id].map { "\($0) (\(id))" } ?? id, estimate: e.index.estimate, lower: e.index.lower, upper: e.index.upper, n: e.n))
        }
        for e in hidden {
            let id = e.group[0].value
            ranking.rows.append([.text(""), .text(id), .text(names[id] ?? id), .integer(e.n), .suppressed(n: e.n), .suppressed(n: e.n),
                                 .suppressed(n: e.n), .text(""), .suppressed(n: e.n)])
            bars.append(ChartBar(label: names[id].map { "\($0) (\(id))" } ?? id, estimate: nil, lower: nil, upper: nil, n: e.n))
        }
        ranking.notes.append(t("Có ý nghĩa: khác toàn tỉnh với p hiệu chỉnh (\(options.adjustment.rawValue)) < 0,05; phương sai của chênh lệch tính đến việc đơn vị là một phần của tỉnh.",
                               "Significant: differs from the province with \(options.adjustment.rawValue)-adjusted p < 0.05; the variance of the difference accounts for the unit being part of the province."))

        // Per content by unit (Biểu số 5) and highest / lowest / median per content.
        let result = comparison.current
        let contents = table.instrument.contents
        var byContent = ReportTable(id: "bieu-5", title: t("Biểu số 5. Chỉ số hài lòng theo nội dung của các cơ quan, đơn vị", "Table 5. Content indices by unit"),
                                    columns: [t("Mã", "ID"), t("Cơ quan, đơn vị", "Unit"), "n"] + contents.map { $0.label.text(options.language) + " %" })
        let unitIDs = comparison.units.map { $0.group[0].value }
        var contentValues: [String: [(String, Double)]] = [:]
        for id in unitIDs {
            var row: [ReportCell] = [.text(id), .text(names[id] ?? id), .integer(comparison.units.first { $0.group[0].value == id }?.n ?? 0)]
            for content in contents {
                let e = result.estimates.first { $0.kind == .content && $0.id == content.id && $0.group.first?.value == id }
                row.append(e.map { percent($0.index.estimate, n: $0.n) } ?? .percent(nil))
                if let e, e.n >= options.minimumN, let v = e.index.estimate { contentValues[content.id, default: []].append((id, v)) }
            }
            byContent.rows.append(row)
        }
        var extremes = ReportTable(id: "bieu-5a", title: t("Biểu số 5a. Đơn vị cao nhất, thấp nhất và trung vị theo nội dung", "Table 5a. Highest, lowest and median unit by content"),
                                   columns: [t("Nội dung", "Content"), t("Toàn tỉnh %", "Province %"), t("Cao nhất", "Highest"), "%", t("Thấp nhất", "Lowest"), "%", t("Trung vị %", "Median %")])
        for content in contents {
            let values = contentValues[content.id] ?? []
            let all = result.estimates.first { $0.kind == .content && $0.id == content.id && $0.group.isEmpty }
            let high = values.max { $0.1 < $1.1 }, low = values.min { $0.1 < $1.1 }
            extremes.rows.append([.text(content.label.text(options.language)), all.map { percent($0.index.estimate, n: $0.n) } ?? .percent(nil),
                                  .text(high.map { names[$0.0] ?? $0.0 } ?? ""), .percent(high?.1), .text(low.map { names[$0.0] ?? $0.0 } ?? ""),
                                  .percent(low?.1), .percent(median(values.map(\.1)))])
        }
        return ReportSection(
            id: "units", heading: t("Chỉ số hài lòng của các cơ quan, đơn vị", "Indices by unit"), paragraphs: [unitStatement(comparison)],
            charts: [.intervals(id: "units-ranked", title: t("Chỉ số SIPAS theo đơn vị, xếp hạng (KTC 95%)", "SIPAS by unit, ranked (95% CI)"),
                                bars: bars, reference: comparison.province.index.estimate, referenceLabel: t("Toàn tỉnh", "Province"))],
            tables: [ranking, byContent, extremes])
    }

    func trendSection(_ comparison: IndexComparisonResult) -> ReportSection {
        let names = unitNames()
        let unitN = Dictionary(comparison.units.map { ($0.group[0].value, $0.n) }, uniquingKeysWith: { a, _ in a })
        var table = ReportTable(id: "bieu-6", title: t("Biểu số 6. Thay đổi chỉ số SIPAS so với năm trước", "Table 6. Change in SIPAS since the previous year"),
                                columns: [t("Đơn vị", "Unit"), t("Năm trước %", "Previous %"), t("Năm nay %", "Current %"),
                                          t("Thay đổi (điểm %)", "Change (points)"), t("KTC 95%", "95% CI"), t("p hiệu chỉnh", "Adjusted p"), t("Có ý nghĩa", "Significant")])
        var bars: [ChangeBar] = []
        for d in comparison.versusPrevious {
            let isProvince = d.label.hasPrefix("province:")
            let id = isProvince ? "" : String(d.label.split(separator: ":").first ?? "")
            let name = isProvince ? t("Toàn tỉnh", "Province") : (names[id].map { "\($0) (\(id))" } ?? id)
            let current = isProvince ? comparison.province.index.estimate : comparison.units.first { $0.group[0].value == id }?.index.estimate
            let n = isProvince ? comparison.province.n : (unitN[id] ?? 0)
            // The province is one pre-specified comparison: its own p; units: adjusted across units.
            let p = isProvince ? d.pValue : d.adjustedPValue
            let significant = p < 0.05
            if n < options.minimumN {
                table.rows.append([.text(name), .suppressed(n: n), .suppressed(n: n), .suppressed(n: n), .suppressed(n: n), .text(""), .text("")])
                continue
            }
            table.rows.append([.text(name), .percent(current.map { $0 - d.estimate }), .percent(current), .number(d.estimate, decimals: 2),
                               .interval(d.lower, d.upper), .number(p, decimals: 3),
                               .text(significant ? (d.estimate > 0 ? t("tăng", "up") : t("giảm", "down")) : "")])
            bars.append(ChangeBar(label: name, change: d.estimate, lower: d.lower, upper: d.upper, significant: significant))
        }
        table.notes.append(t("p của các đơn vị được hiệu chỉnh (\(options.adjustment.rawValue)) cho nhiều so sánh; p của toàn tỉnh là một so sánh riêng, không hiệu chỉnh.",
                             "Unit p-values are adjusted (\(options.adjustment.rawValue)) for multiple comparisons; the province's p is a single comparison, unadjusted."))
        table.notes.append(t("Hai năm là hai mẫu độc lập: phương sai của thay đổi = tổng hai phương sai (bậc tự do Welch–Satterthwaite).",
                             "The two years are independent samples: the variance of a change is the sum of the two variances (Welch–Satterthwaite degrees of freedom)."))
        let s = comparison.summary
        let paragraph = t("\(s.betterThanPrevious ?? 0) đơn vị tăng so với năm trước (\(s.significantlyBetter ?? 0) có ý nghĩa thống kê), \(s.worseThanPrevious ?? 0) đơn vị giảm (\(s.significantlyWorse ?? 0) có ý nghĩa thống kê).",
                          "\(s.betterThanPrevious ?? 0) units improved on the previous year (\(s.significantlyBetter ?? 0) significantly), \(s.worseThanPrevious ?? 0) declined (\(s.significantlyWorse ?? 0) significantly).")
        return ReportSection(id: "trend", heading: t("So sánh với năm trước", "Change since the previous year"), paragraphs: [paragraph],
                             charts: [.change(id: "year-change", title: t("Thay đổi SIPAS so với năm trước (điểm %, KTC 95%)", "Change in SIPAS since the previous year (points, 95% CI)"), bars: bars)],
                             tables: [table])
    }

    /// Every province index then and now (Biểu số 6a): change = now − then, Var = V₁ + V₂ (independent samples),
    /// Welch–Satterthwaite df, p-values Holm/BH-adjusted across the table.
    func levelChanges(current: IndexResult, previous: IndexResult) -> ReportTable {
        var table = ReportTable(id: "bieu-6a", title: t("Biểu số 6a. Thay đổi các chỉ số toàn tỉnh so với năm trước", "Table 6a. Change in the province's indices since the previous year"),
                                columns: [t("Cấp", "Level"), "ID", t("Nội dung", "Label"), t("Năm trước %", "Previous %"), t("Năm nay %", "Current %"),
                                          t("Thay đổi (điểm %)", "Change (points)"), t("KTC 95%", "95% CI"), t("p hiệu chỉnh", "Adjusted p"), t("Có ý nghĩa", "Significant")])
        struct Change { var now: IndexEstimate; var before: IndexEstimate; var difference: Double; var lower: Double; var upper: Double; var p: Double }
        var changes: [Change] = []
        let level = current.confidenceLevel
        for now in current.estimates where now.group.isEmpty {
            guard let before = previous.estimates.first(where: { $0.group.isEmpty && $0.kind == now.kind && $0.id == now.id }),
                  let x = now.index.estimate, let y = before.index.estimate,
                  let s1 = now.index.standardError, let s2 = before.index.standardError,
                  now.n >= options.minimumN, before.n >= options.minimumN else { continue }
            let v1 = s1 * s1, v2 = s2 * s2
            let df1 = Double(now.index.degreesOfFreedom ?? max(1, now.n - 1)), df2 = Double(before.index.degreesOfFreedom ?? max(1, before.n - 1))
            let welch = (v1 + v2) * (v1 + v2) / (v1 * v1 / df1 + v2 * v2 / df2)
            let df = welch.isFinite && welch > 0 ? welch : min(df1, df2)
            let se = (v1 + v2).squareRoot()
            let q = Distribution.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: df)
            let p = se > 0 ? 2 * Distribution.studentTCDF(-abs(x - y) / se, degreesOfFreedom: df) : (x == y ? 1 : 0)
            changes.append(Change(now: now, before: before, difference: x - y, lower: x - y - q * se, upper: x - y + q * se, p: p))
        }
        let adjusted = options.adjustment.adjust(changes.map(\.p))
        for (change, p) in zip(changes, adjusted) {
            table.rows.append([.text(kindLabel(change.now.kind)), .text(change.now.id), .text(change.now.label.text(options.language)),
                               .percent(change.before.index.estimate), .percent(change.now.index.estimate), .number(change.difference, decimals: 2),
                               .interval(change.lower, change.upper), .number(p, decimals: 3),
                               .text(p < 1 - level ? (change.difference > 0 ? t("tăng", "up") : t("giảm", "down")) : "")])
        }
        table.notes.append(t("p hiệu chỉnh (\(options.adjustment.rawValue)) trên tất cả các chỉ số của biểu; hai năm là hai mẫu độc lập.",
                             "p adjusted (\(options.adjustment.rawValue)) across all indices of the table; the two years are independent samples."))
        return table
    }

    func driversSection(_ headline: inout String?) -> ReportSection {
        let heading = t("Các yếu tố ảnh hưởng đến sự hài lòng và ưu tiên cải thiện", "Drivers of satisfaction and priorities")
        let driverOptions = DriverOptions(groupColumn: options.groupColumn, design: options.design,
                                          standardErrors: options.design.isEmpty ? .hc3 : .design, replicates: options.replicates, seed: options.seed)
        let result: DriverResult, priorities: [ModelPriorities]
        do {
            result = try DriverAnalysis.run(table: table, options: driverOptions)
            priorities = try DriverPriorities.compute(result: result, table: table)
        } catch {
            return ReportSection(id: "drivers", heading: heading, paragraphs: [t("Không ước lượng được mô hình: ", "No driver model: ") + "\(error)"])
        }
        guard let pooled = result.models.first(where: { $0.group == nil }), let pooledPriorities = priorities.first(where: { $0.group == nil }) else {
            return ReportSection(id: "drivers", heading: heading)
        }
        var paragraphs = [t("Biến phụ thuộc: \(result.outcome.label.vi) (\(result.outcome.id)); biến giải thích: điểm trung bình của từng yếu tố. n = \(style.integer(pooled.regression.observationCount)), R² = \(style.fixed(pooled.regression.rSquared, decimals: 3)).",
                            "Outcome: \(result.outcome.label.en) (\(result.outcome.id)); predictors: each factor's mean score. n = \(style.integer(pooled.regression.observationCount)), R² = \(style.fixed(pooled.regression.rSquared, decimals: 3)).")]
        paragraphs += result.sentences(pooled, language: options.language)
        var importance = ReportTable(
            id: "bieu-7", title: t("Biểu số 7. Tầm quan trọng của các yếu tố (toàn tỉnh)", "Table 7. Importance of the factors (province)"),
            columns: [t("Yếu tố", "Factor"), "b", t("KTC 95%", "95% CI"), t("Tầm quan trọng % R²", "Importance % of R²"), t("KTC 95%", "95% CI"),
                      t("Chỉ số %", "Index %"), t("Nhóm ưu tiên", "Quadrant")])
        var points: [QuadrantPoint] = []
        for (j, factor) in result.factors.enumerated() {
            let c = pooled.regression.coefficients[j + 1]
            let share = 100 * pooled.importance.lmg[j] / pooled.importance.rSquared
            let p = pooledPriorities.factors[j]
            importance.rows.append([.text(factor.label.text(options.language)), .number(c.estimate, decimals: 3),
                                    .interval(c.confidenceLower, c.confidenceUpper), .number(share, decimals: 1),
                                    pooled.bootstrap.map { .interval(100 * $0.shareIntervals[j].lower, 100 * $0.shareIntervals[j].upper) } ?? .text(""),
                                    .percent(p.performance.estimate), .text(p.quadrant.label.text(options.language))])
            points.append(QuadrantPoint(label: factor.label.text(options.language), importance: 100 * p.importance,
                                        performance: p.performance.estimate ?? 0, quadrant: p.quadrant.label.text(options.language)))
        }
        importance.notes += pooled.notes.texts(options.language)
        if let top = points.max(by: { $0.importance < $1.importance }) {
            headline = t("Yếu tố quan trọng nhất đối với sự hài lòng chung: \(top.label) (\(style.fixed(top.importance, decimals: 0))% phần biến thiên được giải thích; nhóm: \(top.quadrant)).",
                         "Most important driver of overall satisfaction: \(top.label) (\(style.fixed(top.importance, decimals: 0))% of the explained variation; quadrant: \(top.quadrant)).")
        }
        let names = unitNames()
        var perUnit = ReportTable(id: "bieu-8", title: t("Biểu số 8. Nhóm ưu tiên của từng yếu tố theo đơn vị", "Table 8. Priority quadrant of each factor by unit"),
                                  columns: [t("Đơn vị", "Unit"), "n"] + result.factors.map { $0.label.text(options.language) })
        for p in priorities where p.group != nil {
            let id = p.group!
            let n = result.models.first { $0.group == id }?.regression.observationCount ?? 0
            perUnit.rows.append([.text(names[id].map { "\($0) (\(id))" } ?? id), .integer(n)] + p.factors.map { .text($0.quadrant.label.text(options.language)) })
        }
        for skipped in result.skipped {
            perUnit.rows.append([.text(names[skipped.group].map { "\($0) (\(skipped.group))" } ?? skipped.group), .integer(skipped.observations)]
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
    func recommendationsSection(_ comparison: IndexComparisonResult, concentrate: [String]) -> ReportSection {
        let names = unitNames()
        func name(_ id: String) -> String { names[id].map { "\($0) (\(id))" } ?? id }
        let level = 1 - comparison.current.confidenceLevel
        let small = Set(comparison.units.filter { $0.n < options.minimumN }.map { $0.group[0].value })
        let below = comparison.unitsVersusProvince.filter { $0.estimate < 0 && $0.adjustedPValue < level && !small.contains($0.first) }
            .sorted { $0.estimate < $1.estimate }.map { name($0.first) }
        let worse = comparison.versusPrevious.filter { !$0.label.hasPrefix("province:") && $0.estimate < 0 && $0.adjustedPValue < 0.05 }
            .compactMap { $0.label.split(separator: ":").first.map(String.init) }.filter { !small.contains($0) }.map(name)
        var paragraphs: [String] = []
        if !concentrate.isEmpty {
            paragraphs.append(t("Ưu tiên cải thiện (quan trọng với sự hài lòng chung nhưng chỉ số dưới mức trung bình): \(concentrate.joined(separator: "; ")).",
                                "Improve first (important for overall satisfaction but below the mean index): \(concentrate.joined(separator: "; "))."))
        }
        paragraphs.append(below.isEmpty
            ? t("Không có đơn vị nào thấp hơn toàn tỉnh có ý nghĩa thống kê.", "No unit is significantly below the province.")
            : t("Đơn vị thấp hơn toàn tỉnh có ý nghĩa thống kê, cần rà soát: \(below.joined(separator: "; ")).",
                "Units significantly below the province, to review: \(below.joined(separator: "; "))."))
        if !comparison.versusPrevious.isEmpty {
            paragraphs.append(worse.isEmpty
                ? t("Không có đơn vị nào giảm so với năm trước có ý nghĩa thống kê.", "No unit declined significantly since the previous year.")
                : t("Đơn vị giảm so với năm trước có ý nghĩa thống kê: \(worse.joined(separator: "; ")).",
                    "Units that declined significantly since the previous year: \(worse.joined(separator: "; "))."))
        }
        paragraphs.append(t("Các nhận định trên chỉ dựa trên khác biệt có ý nghĩa thống kê (p hiệu chỉnh < 0,05); khác biệt nhỏ hơn sai số mẫu không được coi là thay đổi thực.",
                            "These statements rest only on statistically significant differences (adjusted p < 0.05); differences within sampling error are not treated as real changes."))
        return ReportSection(id: "recommendations", heading: t("Nhận xét và đề xuất", "Comments and proposals"), paragraphs: paragraphs)
    }

    func appendixSection(_ result: IndexResult) -> ReportSection {
        let names = unitNames()
        let criteria = table.instrument.criteria
        var byCriterion = ReportTable(id: "bieu-9", title: t("Biểu số 9. Chỉ số theo tiêu chí của các cơ quan, đơn vị", "Table 9. Criterion indices by unit"),
                                      columns: [t("Mã", "ID"), t("Cơ quan, đơn vị", "Unit")] + criteria.map { $0.id + " %" })
        let units = result.estimates.filter { $0.kind == .overall && !$0.group.isEmpty }.map { $0.group[0].value }
        for id in units {
            var row: [ReportCell] = [.text(id), .text(names[id] ?? id)]
            for item in criteria {
                let e = result.estimates.first { $0.kind == .criterion && $0.id == item.id && $0.group.first?.value == id }
                row.append(e.map { percent($0.index.estimate, n: $0.n) } ?? .percent(nil))
            }
            byCriterion.rows.append(row)
        }
        var questionnaire = ReportTable(id: "questionnaire", title: t("Phụ lục: Phiếu khảo sát (bộ câu hỏi)", "Appendix: the questionnaire"),
                                        columns: [t("Nội dung", "Content"), t("Yếu tố", "Factor"), t("Câu", "Item"), t("Câu hỏi", "Question"), t("Thang đo", "Scale")])
        let language = options.language
        for content in table.instrument.contents {
            for factor in content.factors {
                for item in factor.criteria {
                    questionnaire.rows.append([.text(content.label.text(language)), .text(factor.label.text(language)), .text(item.id),
                                               .text(item.label.text(language) + (item.reversed ? t(" (đảo chiều)", " (reversed)") : "")), .text(item.scale.validAnswers)])
                }
            }
        }
        let others: [(ItemRole, [Item])] = [(.overall, table.instrument.overall.map { [$0] } ?? []),
                                            (.perception, table.instrument.perception), (.expectation, table.instrument.expectation)]
        for (role, items) in others {
            for item in items {
                questionnaire.rows.append([.text(kindLabel(role == .overall ? .overallItem : role == .perception ? .perception : .expectation)), .text(""),
                                           .text(item.id), .text(item.label.text(language)), .text(item.scale.validAnswers)])
            }
        }
        return ReportSection(id: "appendix", heading: t("Phụ lục", "Appendix"), tables: [byCriterion, questionnaire])
    }
}
