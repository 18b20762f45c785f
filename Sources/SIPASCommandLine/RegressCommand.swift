import ArgumentParser
import SIPASData
import SIPASDesign
import SIPASModels
import SIPASReport

/// `sipas regress`: ordinary or weighted least squares with classical, robust or cluster-robust SEs.
extension WildBootstrapWeights: ExpressibleByArgument {}

public struct RegressCommand: ModelCommand {
    public static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Linear regression (driver analysis): coefficients, SEs, t, p, CIs, standardized betas, VIF, R², F.",
        discussion: """
            Fits Y = b0 + b1 X1 + ... by least squares through LAPACK (pivoted QR, never normal equations); \
            with --weight, weighted least squares. Collinear predictors are an error that names them. Rows \
            with a missing Y, X, weight or cluster value are dropped and counted with the reason. \
            Standard errors (--se): classical; hc0, hc1, hc2, hc3 (heteroskedasticity-robust, as R \
            sandwich::vcovHC); cluster:COL (cluster-robust, as sandwich::vcovCL with its default HC1 \
            adjustment G/(G-1)*(n-1)/(n-k)); design (survey design from --strata, --cluster, --weight, --fpc, \
            as R survey::svyglm: t with PSUs - strata - k + 1 degrees of freedom; --strata, --cluster and --fpc need --se design; \
            a design file with a replicates block refits the model with every replicate's weights, as svyglm on \
            svrepdesign, with degf - k + 1 degrees of freedom). Otherwise p-values and 95% \
            CIs use t with n-k degrees of freedom. The \
            condition number is the 2-norm one of the design with columns scaled to unit length. \
            See docs/regression.md.

            Answer codes that mean "no answer" (e.g. 9 or 99 in survey items) are numbers to a plain CSV: \
            list them with --na so they count as missing (--na NA,9,99).

            With --se cluster:COL --wild-bootstrap B: wild cluster bootstrap-t (Cameron, Gelbach & Miller 2008) \
            with the null imposed for each coefficient's p-value and a symmetric percentile-t CI from the \
            unrestricted bootstrap; multipliers --weights webb (Webb's six points, default) or rademacher \
            (all 2^G sign patterns when 2^G <= B); seeded with --seed (printed). Use it with fewer than about \
            30-50 clusters or very unequal clusters.

            Examples:
              sipas regress survey.csv --y overall --x f1,f2,f3,f4,f5
              sipas regress survey.csv --y overall --x f1,f2 --se cluster:commune --wild-bootstrap 9999 --seed 7
              sipas regress survey.csv --y overall --x f1,f2,f3 --se hc3
              sipas regress survey.csv --y overall --x f1,f2 --weight w \\
                --se cluster:commune --format json
              sipas regress survey.csv --y overall --x f1,f2,f3,f4,f5 --se design \\
                --strata stratum --cluster cluster --weight weight
            """)

    @OptionGroup public var dataOptions: PlainDataOptions

    @Option(name: .customLong("y"), help: ArgumentHelp("The response (outcome) column.", valueName: "column"))
    public var response: String

    @Option(name: .customLong("x"), help: ArgumentHelp("Predictor columns, comma-separated.", valueName: "columns"))
    public var predictors: String

    @OptionGroup(title: "Survey design (--weight alone: weighted least squares)")
    public var designOptions: DesignOptions

    var weight: String? { designOptions.weight }

    @Flag(name: .long, help: "Fit without an intercept (R² is then uncentred).")
    public var noIntercept = false

    @Option(name: .customLong("se"),
            help: ArgumentHelp("Standard errors: classical, hc0, hc1, hc2, hc3, cluster:COLUMN or design.", valueName: "type"))
    public var standardErrors = "classical"

    @Option(name: .long, help: ArgumentHelp(
        "With --se cluster:COLUMN: wild cluster bootstrap-t with this many replications (999 or more recommended): restricted p-values and percentile-t CIs.",
        valueName: "B"))
    public var wildBootstrap: Int?

    @Option(name: .customLong("weights"), help: "Wild bootstrap multipliers: webb (six-point, default) or rademacher.")
    public var bootstrapWeights: WildBootstrapWeights = .webb

    @Option(name: .long, help: "Random seed of the wild bootstrap (printed).")
    public var seed: UInt64 = 2024

    @Option(name: .long, help: "Confidence level of the coefficient intervals.")
    public var confidence = 0.95

    @OptionGroup public var outputOptions: ModelOutputOptions

    public init() {}

    /// The SE type and, for cluster SEs, the cluster column.
    func standardErrorChoice() throws -> (StandardErrorType, String?) {
        let text = standardErrors.trimmingCharacters(in: .whitespaces)
        return try parseStandardErrors(text)
    }

    /// The design flags; a stored wave's own design only with --se design (other SEs take the flags alone, as
    /// for a file).
    func specification(_ type: StandardErrorType) throws -> DesignSpecification {
        type == .design ? try designOptions.specification(for: dataOptions) : try designOptions.specification
    }

    public func validate() throws {
        try OptionCheck.confidence(confidence)
        guard !nameList(predictors).isEmpty || !noIntercept else { throw OptionRefusal(vi: "--x không nêu cột nào", en: "--x names no column") }
        let (type, _) = try standardErrorChoice()
        let spec = try specification(type)
        if type != .design && (spec.strata != nil || !spec.clusters.isEmpty || !spec.fpc.isEmpty) {
            throw OptionRefusal(vi: "--strata, --cluster và --fpc mô tả một thiết kế mẫu: hãy dùng chúng với --se design "
                                    + "(sai số chuẩn vững theo cụm mà không cần thiết kế: --se cluster:CỘT)",
                                en: "--strata, --cluster and --fpc describe a survey design: use them with --se design "
                                    + "(for cluster-robust SEs without a design use --se cluster:COLUMN)")
        }
        if type != .design && spec.replicates != nil {
            throw OptionRefusal(vi: "khối replicates của tệp thiết kế cho sai số chuẩn theo trọng số lặp: hãy dùng nó với --se design", en: "the design file's replicates block gives replicate standard errors: use it with --se design")
        }
        if type != .design && spec.calibration != nil {
            throw OptionRefusal(vi: "khối calibration của tệp thiết kế cho trọng số theo tổng thể và phương sai của chúng: hãy dùng nó với --se design",
                                en: "the design file's calibration block gives weights from the population and their variance: use it with --se design")
        }
        if let wildBootstrap {
            guard type == .cluster else { throw OptionRefusal(vi: "--wild-bootstrap cần --se cluster:CỘT", en: "--wild-bootstrap needs --se cluster:COLUMN") }
            try OptionCheck.replicates(wildBootstrap, "--wild-bootstrap (999 or more recommended)", minimum: 99, maximum: 1_000_000)
        }
    }

    /// Fits the model described by the options.
    public func analyze() throws -> RegressionResult {
        let (type, clusterColumn) = try standardErrorChoice()
        let xNames = nameList(predictors)
        let spec = try specification(type)
        var seen = Set<String>()
        let columns = ([response] + xNames + [weight, clusterColumn].compactMap { $0 } + spec.columns).filter { seen.insert($0).inserted }
        // Replicate weight columns given by a prefix ("rw*") are found among all the file's columns.
        let table = try dataOptions.load(columns: columns.filter { !$0.hasSuffix("*") }, all: spec.replicates != nil)
        if type == .design {
            // The design covers every row except empty lines; rows dropped from the fit keep zero influence.
            let empty = Set(table.emptyLineRows)
            let designRows = (0..<table.rowCount).filter { !empty.contains($0) }
            let design = try spec.build(table: table, rows: designRows)
            var weights = [Double?](repeating: nil, count: table.rowCount)
            for (r, row) in designRows.enumerated() { weights[row] = design.weights[r] }
            let data = try RegressionData(
                response: try dataOptions.numbers(table, response),
                predictors: try xNames.map { try dataOptions.numbers(table, $0) },
                weights: Variable(weight ?? "design weight", weights),
                excludedBefore: dataOptions.emptyLineReasons(table))
            let model = LinearRegression(includesIntercept: !noIntercept, standardErrors: .design, confidenceLevel: confidence)
            return try model.fit(data, design: RegressionDesign(design: design, rows: designRows))
        }
        let data = try RegressionData(
            response: try dataOptions.numbers(table, response),
            predictors: try xNames.map { try dataOptions.numbers(table, $0) },
            weights: try weight.map { try dataOptions.numbers(table, $0) },
            clusters: try clusterColumn.map { ($0, try dataOptions.labels(table, $0)) },
            excludedBefore: dataOptions.emptyLineReasons(table))
        let model = LinearRegression(includesIntercept: !noIntercept, standardErrors: type, confidenceLevel: confidence)
        var result = try model.fit(data)
        if let wildBootstrap {
            result.wildBootstrap = try WildClusterBootstrap.run(
                data, includesIntercept: !noIntercept, replications: wildBootstrap, weights: bootstrapWeights, seed: seed,
                confidenceLevel: confidence)
        }
        return result
    }

    /// The rendered output.
}

/// `--se` as given to `regress` and `drivers`: classical, hc0–hc3, design, or cluster:COLUMN.
func parseStandardErrors(_ text: String) throws -> (StandardErrorType, String?) {
    switch text.lowercased() {
    case "classical": return (.classical, nil)
    case "hc0": return (.hc0, nil)
    case "hc1": return (.hc1, nil)
    case "hc2": return (.hc2, nil)
    case "hc3": return (.hc3, nil)
    case "design": return (.design, nil)
    default:
        if text.lowercased().hasPrefix("cluster:") {
            let column = String(text.dropFirst("cluster:".count)).trimmingCharacters(in: .whitespaces)
            if !column.isEmpty { return (.cluster, column) }
        }
        throw OptionRefusal(vi: "--se phải là classical, hc0, hc1, hc2, hc3, cluster:CỘT hoặc design, đã ghi '\(text)'", en: "--se must be classical, hc0, hc1, hc2, hc3, cluster:COLUMN or design, got '\(text)'")
    }
}
