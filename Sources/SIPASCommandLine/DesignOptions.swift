import ArgumentParser
import SIPASDesign
import SIPASEstimation

extension LonelyPSUPolicy: ExpressibleByArgument {}
extension IntervalMethod: ExpressibleByArgument {}
extension AnalyticIntervalMethod: ExpressibleByArgument {}
extension BootstrapMethod: ExpressibleByArgument {}

/// The survey-design flags shared by every estimating command.
public struct DesignOptions: ParsableArguments {
    @Option(name: .long, help: "Stratum column (e.g. stratum or unit_id).")
    public var strata: String?

    @Option(name: .long, help: ArgumentHelp("Cluster columns, stage 1 first (e.g. commune,village).", valueName: "col[,col2…]"))
    public var cluster: String?

    @Option(name: .long, help: "Sampling-weight column (positive numbers).")
    public var weight: String?

    @Option(name: .long, help: ArgumentHelp(
        "Finite-population correction per stage: population sizes (units in the stratum / in the parent cluster) or sampling fractions (values ≤ 1).",
        valueName: "col[,col2…]"))
    public var fpc: String?

    @Option(name: .long, help: "Strata with one sampled PSU: fail (default), adjust, average, remove or certainty.")
    public var lonelyPSU: LonelyPSUPolicy?

    @Option(name: .long, help: "A design file (YAML/JSON with strata, cluster, weight, fpc, lonely_psu, calibration: weights from population margins); flags override it.")
    public var design: String?

    public init() {}

    /// The design from the file (if any) with the flags laid over it.
    public var specification: DesignSpecification {
        get throws {
            func list(_ text: String?) -> [String]? {
                text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            }
            var result = try design.map { try DesignSpecification.load(path: $0) } ?? DesignSpecification()
            if let strata { result.strata = strata }
            if let clusters = list(cluster) { result.clusters = clusters }
            if let weight { result.weight = weight }
            if let fpcs = list(fpc) { result.fpc = fpcs }
            if let lonelyPSU { result.lonelyPSU = lonelyPSU }
            return result
        }
    }
}
