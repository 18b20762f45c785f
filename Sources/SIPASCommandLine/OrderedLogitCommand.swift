import ArgumentParser
import SIPASModels
import SIPASReport

/// `sipas ologit`: proportional-odds (ordered logit) driver model for an ordered answer such as overall satisfaction.
public struct OrderedLogitCommand: ModelCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ologit",
        abstract: "Ordered logit (proportional odds) driver model: slopes, odds ratios, cut-points, SEs, log-likelihood.",
        discussion: """
            Fits logit P(Y <= k) = zeta_k - x'b by maximum likelihood (Newton-Raphson, analytic Hessian), the \
            parameterization of R MASS::polr: a positive b makes higher answers more likely, and exp(b) is the \
            odds ratio of answering above any cut-point per unit of x. Standard errors from the observed \
            information; Wald z, p and CIs. --weight multiplies each row's log-likelihood (as polr's weights; \
            the SEs then treat weights as frequencies). Rows with a missing Y, X or weight are dropped and \
            counted. See docs/drivers.md.

            Examples:
              sipas ologit survey.csv --y overall --x q01,q05,q09,q13 --na 9,99
              sipas ologit survey.csv --y overall --x f1,f2,f3 --format json
            """)

    @OptionGroup public var dataOptions: PlainDataOptions

    @Option(name: .customLong("y"), help: ArgumentHelp("The ordered response column (at least 3 distinct values).", valueName: "column"))
    public var response: String

    @Option(name: .customLong("x"), help: ArgumentHelp("Predictor columns, comma-separated.", valueName: "columns"))
    public var predictors: String

    @Option(name: .long, help: ArgumentHelp("Weight column (multiplies each row's log-likelihood).", valueName: "column"))
    public var weight: String?

    @Option(name: .long, help: "Confidence level of the Wald intervals.")
    public var confidence = 0.95

    @OptionGroup public var outputOptions: ModelOutputOptions

    public init() {}

    public func validate() throws {
        guard !nameList(predictors).isEmpty else { throw OptionRefusal(vi: "--x không nêu cột nào", en: "--x names no column") }
        try OptionCheck.confidence(confidence)
    }

    public func analyze() throws -> OrderedLogitResult {
        let xNames = nameList(predictors)
        var seen = Set<String>()
        let columns = ([response] + xNames + [weight].compactMap { $0 }).filter { seen.insert($0).inserted }
        let table = try dataOptions.load(columns: columns)
        let data = try RegressionData(
            response: try dataOptions.numbers(table, response), predictors: try xNames.map { try dataOptions.numbers(table, $0) },
            weights: try weight.map { try dataOptions.numbers(table, $0) }, excludedBefore: dataOptions.emptyLineReasons(table))
        return try OrderedLogit.fit(data, confidenceLevel: confidence)
    }

}
