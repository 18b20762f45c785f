import ArgumentParser
import SIPASModels
import SIPASReport

/// `sipas alpha`: Cronbach's alpha of a scale with item diagnostics.
public struct AlphaCommand: ModelCommand {
    public static let configuration = CommandConfiguration(
        commandName: "alpha",
        abstract: "Scale reliability: Cronbach's alpha, standardized alpha, item-rest correlations, alpha if item dropped.",
        discussion: """
            Uses the rows where every listed item is answered (other rows are counted with the first missing \
            item). Reverse-keyed items (--reverse) are scored (min + max) - x, where min and max are the \
            smallest and largest answers over all items unless --scale-min/--scale-max say otherwise. Agrees \
            with R psych::alpha (raw_alpha, std.alpha, r.drop, alpha.drop). See docs/regression.md.

            Examples:
              sipas alpha survey.csv --items q01,q02,q03
              sipas alpha survey.csv --items q01,q02,q03,q04 --reverse q04 --na 9,99
            """)

    @OptionGroup public var dataOptions: PlainDataOptions

    @Option(name: .long, help: ArgumentHelp("The scale's item columns, comma-separated (at least 2).", valueName: "columns"))
    public var items: String

    @Option(name: .long, help: ArgumentHelp("Reverse-keyed items among --items, comma-separated.", valueName: "columns"))
    public var reverse: String?

    @Option(name: .long, help: "Lowest possible answer, for reversing (default: the smallest answer found).")
    public var scaleMin: Double?

    @Option(name: .long, help: "Highest possible answer, for reversing (default: the largest answer found).")
    public var scaleMax: Double?

    @OptionGroup public var outputOptions: ModelOutputOptions

    public init() {}

    public func validate() throws {
        guard nameList(items).count >= 2 else { throw OptionRefusal(vi: "--items cần ít nhất 2 cột", en: "--items needs at least 2 columns") }
        try OptionCheck.number(scaleMin, "--scale-min", from: -1e9, to: 1e9)
        try OptionCheck.number(scaleMax, "--scale-max", from: -1e9, to: 1e9)
        if (scaleMin == nil) != (scaleMax == nil) { throw OptionRefusal(vi: "hãy ghi cả --scale-min và --scale-max, hoặc không ghi cả hai", en: "give both --scale-min and --scale-max, or neither") }
        if let scaleMin, let scaleMax, !(scaleMin < scaleMax) { throw OptionRefusal(vi: "--scale-min phải nhỏ hơn --scale-max", en: "--scale-min must be below --scale-max") }
    }

    public func analyze() throws -> ReliabilityResult {
        let names = nameList(items)
        let table = try dataOptions.load(columns: names)
        let range: ClosedRange<Double>? = try scaleMin.flatMap { low in scaleMax.map { low...$0 } } ?? dataOptions.instrumentScale(names)
        let reversed = nameList(reverse ?? "")
        for name in reversed where try dataOptions.isReversedItem(name) {
            throw OptionRefusal(vi: "--reverse \(name): bộ câu hỏi đã đảo chiều câu hỏi này", en: "--reverse \(name): the instrument already reverses this item")
        }
        return try ReliabilityAnalysis.cronbachAlpha(
            items: try names.map { try dataOptions.numbers(table, $0) }, reversed: Set(reversed),
            scaleRange: range, excludedBefore: dataOptions.emptyLineReasons(table))
    }

}
