import ArgumentParser
import SIPASModels
import SIPASReport

extension FactorRotation: ExpressibleByArgument {}
extension FactorExtraction: ExpressibleByArgument {}

/// `sipas factors`: exploratory factor analysis of Likert items.
public struct FactorsCommand: ModelCommand {
    public static let configuration = CommandConfiguration(
        commandName: "factors",
        abstract: "Exploratory factor analysis: KMO, Bartlett's test, eigenvalues, principal-axis loadings, varimax/promax.",
        discussion: """
            Uses the rows where every listed item is answered (other rows are counted with the first missing \
            item). Extraction is principal axis with iterated communalities (starting from squared multiple \
            correlations) or maximum likelihood (--extraction ml, uniquenesses in [0.005, 1]). Rotation: \
            \(FactorRotation.varimax.rawValue) (Kaiser-normalized, orthogonal); \(FactorRotation.promax.rawValue) \
            (oblique, power 4, with factor correlations; Kaiser-normalized: each item's loadings are divided by \
            the square root of its communality before rotating and multiplied back — what R psych::fa(rotate = \
            "promax") and SPSS's PROMAX(4) with its default Kaiser normalization give); \
            \(FactorRotation.promaxRaw.rawValue) (the same promax without that normalization: psych::fa(rotate = \
            "Promax"), stats::promax on the unnormalized loadings); \(FactorRotation.none.rawValue). Factors are \
            ordered by variance and signed so each column of loadings sums to a positive number. Agrees with R \
            psych::fa(fm = "pa" | "ml", rotate = "varimax" | "promax" | "Promax" | "none"), psych::KMO and \
            psych::cortest.bartlett. See docs/drivers.md.

            Examples:
              sipas factors survey.csv --items q01,q02,q03,q04,q05,q06 --factors 2 --na 9,99
              sipas factors survey.csv --items q01,q02,q03,q04,q05,q06,q07,q08,q09,q10 --factors 3 --rotation promax
              sipas factors survey.csv --items q01,q02,q03,q04,q05,q06 --factors 2 --extraction ml
            """)

    @OptionGroup public var dataOptions: PlainDataOptions

    @Option(name: .long, help: ArgumentHelp("The item columns, comma-separated (at least 3).", valueName: "columns"))
    public var items: String

    @Option(name: .long, help: "Number of factors to extract (1 to items − 1).")
    public var factors: Int

    @Option(name: .long, help: """
        Rotation: \(FactorRotation.allCases.map(\.rawValue).joined(separator: ", ")) \
        (\(FactorRotation.promax.rawValue) is Kaiser-normalized as psych::fa and SPSS; \
        \(FactorRotation.promaxRaw.rawValue) is psych's "Promax", unnormalized).
        """)
    public var rotation: FactorRotation = .varimax

    @Option(name: .long, help: "Extraction: pa (principal axis) or ml (maximum likelihood).")
    public var extraction: FactorExtraction = .principalAxis

    @OptionGroup public var outputOptions: ModelOutputOptions

    public init() {}

    public func validate() throws {
        let names = nameList(items)
        guard names.count >= 3 else { throw OptionRefusal(vi: "--items cần ít nhất 3 cột", en: "--items needs at least 3 columns") }
        guard factors >= 1, factors < names.count else {
            throw OptionRefusal(vi: "--factors phải từ 1 đến \(names.count - 1) với \(names.count) câu hỏi", en: "--factors must be between 1 and \(names.count - 1) for \(names.count) items")
        }
    }

    public func analyze() throws -> FactorAnalysisResult {
        let names = nameList(items)
        let table = try dataOptions.load(columns: names)
        return try FactorAnalysis.explore(
            items: try names.map { try dataOptions.numbers(table, $0) }, factors: factors, extraction: extraction,
            rotation: rotation, excludedBefore: dataOptions.emptyLineReasons(table))
    }

}
