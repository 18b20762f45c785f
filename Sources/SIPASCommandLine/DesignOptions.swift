import ArgumentParser
import SIPASDesign
import SIPASEstimation

extension LonelyPSUPolicy: ExpressibleByArgument {}
extension IntervalMethod: ExpressibleByArgument {}
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
    public var lonelyPSU: LonelyPSUPolicy = .fail

    public init() {}

    public var specification: DesignSpecification {
        func list(_ text: String?) -> [String] {
            text?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        }
        return DesignSpecification(strata: strata, clusters: list(cluster), weight: weight, fpc: list(fpc),
                                   lonelyPSU: lonelyPSU)
    }
}
