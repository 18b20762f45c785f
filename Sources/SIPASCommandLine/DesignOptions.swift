import ArgumentParser
import SIPASDesign
import SIPASEstimation
import SIPASData

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

    @Option(name: .long, help: "A design file (YAML/JSON with strata, cluster, weight, fpc, lonely_psu, calibration: weights from population margins; or weight and replicates: replicate weight columns, type, scale — see docs/design.md); flags override it. A stored wave (--wave) has its imported design unless this is given.")
    public var design: String?

    public init() {}

    /// The design for `data`: a stored wave's own design unless --design names a file, with the flags laid over
    /// it; for a data file, the same as `specification`.
    func specification(for data: some WaveSource) throws -> DesignSpecification {
        guard design == nil, let stored = try data.storedDesign() else { return try specification }
        return try overlay(stored)
    }

    /// The design from the file (if any) with the flags laid over it.
    public var specification: DesignSpecification {
        get throws { try overlay(try design.map { try DesignSpecification.load(path: $0) } ?? DesignSpecification()) }
    }

    private func overlay(_ base: DesignSpecification) throws -> DesignSpecification {
        func list(_ text: String?) -> [String]? {
            text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }
        var result = base
        if let strata { result.strata = strata }
        if let clusters = list(cluster) { result.clusters = clusters }
        if let weight { result.weight = weight }
        if let fpcs = list(fpc) { result.fpc = fpcs }
        if let lonelyPSU { result.lonelyPSU = lonelyPSU }
        return result
    }
}
