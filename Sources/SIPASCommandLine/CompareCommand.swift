import ArgumentParser
import Foundation
import SIPASAnalysis
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASReport
import SIPASSupport

extension PValueAdjustment: ExpressibleByArgument {}

/// `sipas compare`: units against the province, against each other and against last year.
public struct CompareCommand: DocumentCommand {
    public static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare an index between units, with the province, and with an earlier year.",
        discussion: """
            For each unit (--by): the difference from the province with its 95% interval and p-value (the unit \
            is part of the province; the variance of the difference accounts for that), optionally every pair \
            of units (--pairwise), the change since an earlier wave (--previous FILE, independent samples), and \
            bootstrap intervals for each unit's rank (--ranks). p-values are adjusted within each family with Holm \
            (default) or Benjamini-Hochberg: units against the province; unit pairs; units against the earlier \
            wave; the province against the earlier wave is a family of one (adjusted p = p). A * marks adjusted \
            p < 0.05 — the same tests and numbers `sipas report` prints. The summary counts, Sơn La style, how many units reach the \
            threshold, beat the province or improved — and how many of those statements are significant.
            """)

    @OptionGroup public var dataOptions: DataOptions
    @OptionGroup(title: "Survey design") public var designOptions: DesignOptions
    @Option(name: .long, help: "The unit column (e.g. unit_id).") public var by: String
    @Option(name: .long, help: "Which index to compare: SIPAS (default), a content, factor or criterion id.") public var index = "SIPAS"
    @Option(name: .long, help: "An earlier wave's data file (same instrument, columns and design flags).") public var previous: String?
    @Option(name: .long, help: ArgumentHelp("An earlier wave of the same store (with DATA a store and --wave), instead of --previous.", valueName: "wave"))
    public var previousWave: String?
    @Option(name: .long, help: "p-value adjustment within each family of comparisons: holm (default), bh or none.") public var adjust: PValueAdjustment = .holm
    @Flag(name: .long, help: "Compare every pair of units.") public var pairwise = false
    @Flag(name: .long, help: "Bootstrap intervals for each unit's rank (1 = highest).") public var ranks = false
    @Option(name: .long, help: "Threshold for the summary, in percent.") public var threshold = 90.0
    @Option(name: .long, help: "Interval for the unit indices: beta (default), logit, wilson or t.") public var ci: IntervalMethod = .beta
    @Option(name: .long, help: "Bootstrap replicates for --ranks.") public var replicates = 1000
    @Option(name: .long, help: "Random seed for --ranks (printed).") public var seed: UInt64 = 2024
    @OptionGroup public var resultOutput: ResultOutputOptions
    @Option(name: .long, help: "Language of the table: vi or en.") public var lang: Language = .vi

    public init() {}

    public func validate() throws {
        if ci.isBootstrap { throw OptionRefusal(vi: "--ci ở đây phải là beta, logit, wilson hoặc t (--ranks dùng bootstrap)", en: "--ci must be beta, logit, wilson or t here (--ranks uses the bootstrap)") }
        try OptionCheck.number(threshold, "--threshold", from: 0, to: 100)
        try OptionCheck.replicates(replicates, "--replicates", minimum: 50)
    }

    public func document() throws -> ResultDocument {
        let (table, earlier) = try dataOptions.loadWaves(previous: previous, previousWave: previousWave)
        var options = IndexOptions(intervalMethod: ci, design: try designOptions.specification(for: dataOptions),
                                   bootstrap: BootstrapOptions(replicates: replicates, seed: seed))
        options.execution = CommandExecution.current
        // The same analysis `sipas report` lays out (without the driver model): one test and one adjusted p per quantity.
        let analysis = try SurveyAnalysis.run(table: table, previous: earlier, options: SurveyAnalysisOptions(
            groupColumn: by, indexID: index, index: options, adjustment: adjust, threshold: threshold,
            pairwise: pairwise, ranks: ranks, drivers: false))
        return analysis.comparison.document(language: lang, unitNames: analysis.unitNames)
    }
}

extension IndexComparisonResult {
    func differenceJSON(_ d: IndexDifference) -> JSONValue {
        let subject: JSONValue
        switch d.subject {
        case .province: subject = .string("province")
        case .unit(let id): subject = .object([("unit", .string(id))])
        case .pair(let a, let b): subject = .object([("units", .array([.string(a), .string(b)]))])
        }
        return .object([("subject", subject), ("label", .string(d.label)), ("first", .string(d.first)), ("second", .string(d.second)),
                 ("difference", .number(d.estimate)), ("se", .number(d.standardError)), ("ci_lower", .number(d.lower)),
                 ("ci_upper", .number(d.upper)), ("df", .number(d.degreesOfFreedom)), ("p", .number(d.pValue)),
                 ("p_adjusted", .number(d.adjustedPValue))])
    }

    public func json() -> JSONValue {
        let s = summary
        var summaryPairs: [(String, JSONValue)] = [
            ("units", .integer(s.units)), ("threshold", .number(s.threshold)),
            ("at_least_threshold", .integer(s.atLeastThreshold)),
            ("significantly_at_least_threshold", .integer(s.significantlyAtLeastThreshold)),
            ("above_province", .integer(s.aboveProvince)), ("significantly_above_province", .integer(s.significantlyAboveProvince)),
            ("below_province", .integer(s.belowProvince)), ("significantly_below_province", .integer(s.significantlyBelowProvince)),
            ("highest", s.highest.map { .object([("unit", .string($0.unit)), ("estimate", .number($0.value))]) } ?? .null),
            ("lowest", s.lowest.map { .object([("unit", .string($0.unit)), ("estimate", .number($0.value))]) } ?? .null),
            ("median", .number(s.median)),
        ]
        if let better = s.betterThanPrevious {
            summaryPairs += [("better_than_previous", .integer(better)), ("significantly_better", .integer(s.significantlyBetter ?? 0)),
                             ("worse_than_previous", .integer(s.worseThanPrevious ?? 0)), ("significantly_worse", .integer(s.significantlyWorse ?? 0))]
        }
        return .object([
            ("index", .string(indexID)), ("by", .string(groupColumn)), ("adjustment", .string(adjustment.rawValue)),
            ("filter", current.filter.map(JSONValue.string) ?? .null),
            ("province", .object([("estimate", .number(province.index.estimate)), ("ci_lower", .number(province.index.lower)),
                                  ("ci_upper", .number(province.index.upper)), ("n", .integer(province.n))])),
            ("units_vs_province", .array(unitsVersusProvince.map(differenceJSON))),
            ("vs_previous", .array(versusPrevious.map(differenceJSON))),
            ("pairwise", .array(pairwise.map(differenceJSON))),
            ("ranks", .array(ranks.map { .object([("unit", .string($0.unit)), ("estimate", .number($0.estimate)),
                                                  ("rank", .integer($0.rank)), ("rank_lower", .integer($0.lower)),
                                                  ("rank_upper", .integer($0.upper))]) })),
            ("rank_bootstrap", rankBootstrap.map { .object([("method", .string($0.method.rawValue)), ("replicates", .integer($0.replicates)),
                                                           ("seed", .string(String($0.seed)))]) } ?? .null),
            ("summary", .object(summaryPairs)),
            ("rows", .object([("read", .integer(current.rows.read)), ("used", .integer(current.rows.used)),
                              ("excluded", .array(current.rows.excluded.map { .object([("reason", .string($0.reason)), ("count", .integer($0.count))]) }))])),
        ])
    }

    /// Every comparison as one CSV row (decimal points, for spreadsheets and other tools): the province, each
    /// unit's index, the differences (unit − province, versus the previous year, pairs) and rank intervals.
    public func csvText() -> String {
        let header = ["section", "label", "first", "second", "estimate", "se", "ci_lower", "ci_upper", "df", "p",
                      "p_adjusted", "n", "rank", "rank_lower", "rank_upper"]
        var lines = [header.joined(separator: ",")]
        func number(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "" } ?? "" }
        func add(_ fields: [String]) { lines.append(fields.map(csvField).joined(separator: ",")) }
        add(["province", indexID, "", "", number(province.index.estimate), number(province.index.standardError),
             number(province.index.lower), number(province.index.upper), province.index.degreesOfFreedom.map(String.init) ?? "",
             "", "", String(province.n), "", "", ""])
        for unit in units {
            add(["unit", unit.group.first?.value ?? "", "", "", number(unit.index.estimate), number(unit.index.standardError),
                 number(unit.index.lower), number(unit.index.upper), unit.index.degreesOfFreedom.map(String.init) ?? "",
                 "", "", String(unit.n), "", "", ""])
        }
        for (section, list) in [("unit_vs_province", unitsVersusProvince), ("vs_previous", versusPrevious), ("pairwise", pairwise)] {
            for d in list {
                add([section, d.label, d.first, d.second, number(d.estimate), number(d.standardError), number(d.lower),
                     number(d.upper), number(d.degreesOfFreedom), number(d.pValue), number(d.adjustedPValue), "", "", "", ""])
            }
        }
        for r in ranks {
            add(["rank", r.unit, "", "", number(r.estimate), "", "", "", "", "", "", "", String(r.rank), String(r.lower), String(r.upper)])
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparisons as a document (CSV: the long format of `csvText`).
    /// `unitNames`: code → name, shown after each unit's code (the data's unit_name or `--unit-label`).
    public func document(language: Language, unitNames: [String: String] = [:]) -> ResultDocument {
        func named(_ unit: String) -> String { unitNames[unit].map { unit + " " + $0 } ?? unit }
        let style = NumberStyle(language: language)
        let vi = language == .vi
        // Under a session's where filter the reference is all filtered rows, not the province: its name in the
        // title, the table's header and the summary.
        let (titled, header, reference): (String, String, String)
        if let filter = current.filter {
            (titled, header, reference) = vi ? ("chung các dòng lọc (\(filter))", "Đơn vị − mức chung", "mức chung")
                : ("all filtered rows (\(filter))", "Unit − all filtered", "the filtered rows")
        } else {
            (titled, header, reference) = vi ? ("toàn tỉnh", "Đơn vị − toàn tỉnh", "toàn tỉnh") : ("province", "Unit − province", "the province")
        }
        var document = ResultDocument(
            title: (vi ? "So sánh chỉ số \(indexID) theo \(groupColumn)" : "Comparing \(indexID) by \(groupColumn)")
                + " — \(titled): " + style.fixed(province.index.estimate) + "% ["
                + style.fixed(province.index.lower) + "; " + style.fixed(province.index.upper) + "]",
            language: language, json: json(), csv: csvText())
        func differences(_ title: String, _ list: [IndexDifference], label: (IndexDifference) -> String) {
            guard !list.isEmpty else { return }
            var table = TextTable(caption: nil, headers: [title, vi ? "Chênh lệch" : "Difference", vi ? "KTC 95%" : "95% CI", "p",
                                                          vi ? "p hiệu chỉnh" : "p adjusted", ""],
                                  alignments: [.left, .right, .left, .right, .right, .left])
            for d in list {
                table.append(cells: [.text(label(d)), .number(d.estimate, decimals: 2), .interval(d.lower, d.upper, decimals: 2),
                                     .pValue(d.pValue, decimals: 3), .pValue(d.adjustedPValue, decimals: 3),
                                     .text(d.isSignificant(at: significanceLevel) ? "*" : "")])
            }
            document.table(table)
        }
        differences(header, unitsVersusProvince) { named($0.first) }
        differences(vi ? "So với năm trước" : "Versus previous year", versusPrevious) {
            // The province's change carries the subject "province" (`IndexComparison.change`): named in the table's language.
            let subject = String($0.label.split(separator: ":", maxSplits: 1).first ?? Substring($0.label))
            return subject == "province" && unitNames["province"] == nil ? (vi ? "Toàn tỉnh" : "Province") : named(subject)
        }
        differences(vi ? "Từng cặp đơn vị" : "Unit pairs", pairwise) { $0.label }
        if !ranks.isEmpty {
            var table = TextTable(headers: [vi ? "Đơn vị" : "Unit", vi ? "Chỉ số %" : "Index %", vi ? "Hạng" : "Rank",
                                            vi ? "Hạng thấp (95%)" : "Rank low (95%)", vi ? "Hạng cao (95%)" : "Rank high (95%)"],
                                  alignments: [.left, .right, .right, .right, .right])
            for r in ranks {
                table.append(cells: [.text(named(r.unit)), .number(r.estimate, decimals: 2), .integer(r.rank), .integer(r.lower), .integer(r.upper)])
            }
            document.table(table)
            if let b = rankBootstrap {
                document.paragraph("Bootstrap: \(b.method.rawValue), \(b.replicates) " + (vi ? "lần lặp" : "replicates") + ", seed \(b.seed)")
            }
        }
        let s = summary
        let threshold = style.fixed(s.threshold, decimals: 0)
        var text: String
        if vi {
            text = "Tóm tắt: \(s.units) đơn vị; \(s.atLeastThreshold) đạt ≥ \(threshold)% (\(s.significantlyAtLeastThreshold) có ý nghĩa thống kê); "
                + "\(s.aboveProvince) cao hơn \(reference) (\(s.significantlyAboveProvince) có ý nghĩa), \(s.belowProvince) thấp hơn (\(s.significantlyBelowProvince) có ý nghĩa)"
            if let better = s.betterThanPrevious {
                text += "; \(better) tăng so với năm trước (\(s.significantlyBetter ?? 0) có ý nghĩa), \(s.worseThanPrevious ?? 0) giảm (\(s.significantlyWorse ?? 0) có ý nghĩa)"
            }
        } else {
            text = "Summary: \(s.units) units; \(s.atLeastThreshold) at ≥ \(threshold)% (\(s.significantlyAtLeastThreshold) significantly); "
                + "\(s.aboveProvince) above \(reference) (\(s.significantlyAboveProvince) significantly), \(s.belowProvince) below (\(s.significantlyBelowProvince) significantly)"
            if let better = s.betterThanPrevious {
                text += "; \(better) improved on the previous year (\(s.significantlyBetter ?? 0) significantly), \(s.worseThanPrevious ?? 0) declined (\(s.significantlyWorse ?? 0) significantly)"
            }
        }
        if let high = s.highest, let low = s.lowest {
            text += vi ? ". Cao nhất: \(high.unit) \(style.fixed(high.value))%; thấp nhất: \(low.unit) \(style.fixed(low.value))%; trung vị \(style.fixed(s.median))%."
                : ". Highest: \(high.unit) \(style.fixed(high.value))%; lowest: \(low.unit) \(style.fixed(low.value))%; median \(style.fixed(s.median))%."
        }
        text += "\n" + (vi ? "Khác biệt có ý nghĩa (*): p hiệu chỉnh (\(adjustment.rawValue)) < 0,05." : "Significant (*): adjusted p (\(adjustment.rawValue)) < 0.05.")
        document.paragraph(text)
        return document
    }

    /// The table for people.
    public func tableText(language: Language) -> String { document(language: language).text() }
}
