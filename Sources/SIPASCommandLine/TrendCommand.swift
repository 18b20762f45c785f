import ArgumentParser
import Foundation
import SIPASAnalysis
import SIPASData
import SIPASEstimation
import SIPASInstrument
import SIPASReport
import SIPASStore
import SIPASSupport

/// `sipas trend STORE --waves 2022,2023,2024`: each province index across stored waves, with the change from
/// each wave to the next and its test.
public struct TrendCommand: DocumentCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Each index across the waves of a store, with the change from wave to wave and its test.",
        discussion: """
            Every wave is read from the store with its own instrument and design (flags given here replace those \
            fields for every wave) and its province-level indices computed as sipas index computes them. A change \
            is this wave minus the wave before, each wave an independent sample (variances add, Welch \
            degrees of freedom), as compare --previous tests it; p values are adjusted among the indices of one \
            pair of waves, SIPAS its own family. See docs/store.md.

            Example: sipas trend survey.db --waves 2022,2023,2024 --index SIPAS,access,procedures
            Each unit too: sipas trend survey.db --waves 2023,2024 --by unit_id
            """)

    @Argument(help: ArgumentHelp("The store (sipas store import): a file or a PostgreSQL URL.", valueName: "store")) public var store: String

    @Option(name: .long, help: ArgumentHelp("The waves in order, comma-separated (default: every wave of the store, sorted by name).",
                                            valueName: "w1,w2,…"))
    public var waves: String?

    @Option(name: .long, help: ArgumentHelp("The indices to show: ids such as SIPAS, a content, factor or criterion id (default: all).",
                                            valueName: "id[,id2…]"))
    public var index: String?

    @Option(name: .long, help: ArgumentHelp("A unit column (e.g. unit_id): also each unit's SIPAS across the waves, with the change from wave to wave (the units of a pair of waves adjusted together, as compare --previous does).", valueName: "column"))
    public var by: String?

    @Option(name: .shortAndLong, help: "Instrument for every wave instead of each wave's own (a preset or a YAML/JSON file).")
    public var instrument: String?

    @OptionGroup(title: "Survey design (default: each wave's stored design)") public var designOptions: DesignOptions

    @Option(name: .long, help: "Interval method: beta (default, Korn-Graubard), logit, wilson or t.")
    public var ci: IntervalMethod = .beta

    @Option(name: .long, help: "p-value adjustment among the indices of a pair of waves: holm (default), bh or none.")
    public var adjust: PValueAdjustment = .holm

    @Option(name: .long, help: "Confidence level of the intervals.") public var confidence: Double = 0.95

    @Option(name: .long, help: "Language of the table: vi or en.") public var lang: Language = .vi

    @OptionGroup public var resultOutput: ResultOutputOptions

    public init() {}

    public func validate() throws {
        if ci.isBootstrap {
            throw OptionRefusal(vi: "--ci ở đây là beta, logit, wilson hoặc t", en: "--ci must be beta, logit, wilson or t here")
        }
        try OptionCheck.confidence(confidence)
        if let waves, nameList(waves).isEmpty {
            throw OptionRefusal(vi: "--waves không nêu đợt nào", en: "--waves names no wave")
        }
    }

    public func document() throws -> ResultDocument {
        let archive = try SurveyStore(path: store)
        let names = try waves.map(nameList) ?? archive.waves().map(\.name).sorted()
        guard !names.isEmpty else {
            throw StoreError(store: store, en: "the store has no wave yet (sipas store import)", vi: "kho chưa có đợt nào (sipas store import)")
        }
        var results: [TrendResult.Wave] = []
        for name in names {
            var data = try DataOptions.parse([store, "--wave", name])
            data.instrument = instrument
            let design = try designOptions.specification(for: data)
            let table = try data.load(keeping: design.textColumns + (by.map { [$0] } ?? []), numbers: design.numericColumns)
            var options = IndexOptions(confidenceLevel: confidence, intervalMethod: ci, design: design)
            options.execution = CommandExecution.current
            results.append(TrendResult.Wave(name: name, result: try IndexAnalysis.run(table: table, by: by.map { [$0] } ?? [], options: options)))
        }
        let wanted = index.map(nameList)
        let trend = TrendResult.run(waves: results, indices: wanted, adjustment: adjust, groupColumn: by)
        if let wanted, let missing = wanted.first(where: { id in !trend.rows.contains { $0.id == id } }) {
            let known = results.last.map { $0.result.estimates.filter(\.group.isEmpty).map(\.id) } ?? []
            throw DataError(file: StoreLocation.redacted(store), message: "no index '\(missing)' in these waves (indices: \(known.joined(separator: ", ")))",
                            vi: "các đợt này không có chỉ số '\(missing)' (các chỉ số: \(known.joined(separator: ", ")))")
        }
        return trend.document(language: lang)
    }
}
