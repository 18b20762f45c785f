import ArgumentParser
import Foundation
import SIPASData
import SIPASDesign
import SIPASReport
import SIPASSupport

/// `sipas weights`: weights from the population — the design weights calibrated to the margins and totals of
/// the design file's `calibration` block, written as a column, with the diagnostics an analyst checks.
public struct WeightsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Calibrate the weights to population margins (post-stratify, rake, linear, raking, logit) and show diagnostics.",
        discussion: """
            The design file's calibration block gives the population figures (census or civil-registry counts by \
            gender, age group, district …) and the method; see docs/design.md, "Weights from the population". \
            Printed: each target with the weighted count before and after, the spread of g = calibrated / design \
            weight, Kish's weighting design effect and effective sample size, and the largest weights. --output \
            writes the weights as CSV (row, design_weight, g, weight). Every estimating command given the same \
            --design uses these weights, and its standard errors include the calibration.

            Example: sipas weights survey.csv --design design.yaml --output weights.csv
            """)

    @OptionGroup public var dataOptions: PlainDataOptions
    @OptionGroup(title: "Survey design (the design file's calibration block gives the population figures)")
    public var designOptions: DesignOptions
    @Option(name: .long, help: ArgumentHelp("Write the calibrated weights as CSV (row, design_weight, g, weight).", valueName: "file"))
    public var output: String?
    @Option(name: .long, help: ArgumentHelp("An identifier column to carry into the weights file and the largest-weights list.", valueName: "column"))
    public var id: String?
    @Option(name: .long, help: ArgumentHelp("Cap the weights at this multiple of the median weight and re-calibrate (overrides the file's trim).", valueName: "multiple"))
    public var trim: Double?
    @Option(name: .long, help: "How many of the largest weights to list.")
    public var largest = 10
    @Option(name: .long, help: "Output format: table or json.")
    public var format: OutputFormat = .table

    public init() {}

    public func validate() throws {
        if format == .csv { throw ValidationError("--format must be table or json (--output writes the CSV)") }
        try OptionCheck.number(trim, "--trim", from: 1, to: 1e6, exclusiveLower: true)
        try OptionCheck.count(largest, "--largest", from: 0, to: 10_000)
        if let output, output.isEmpty { throw ValidationError("--output names no file") }
        if let id, id.isEmpty { throw ValidationError("--id names no column") }
        guard try designOptions.specification(for: dataOptions).calibration != nil else {
            throw ValidationError("--design must name a design file with a calibration block (method and margins): "
                                  + "see docs/design.md, \"Weights from the population\"")
        }
    }

    public func report() throws -> WeightsReport {
        var specification = try designOptions.specification(for: dataOptions)
        guard var calibration = specification.calibration else {
            throw ValidationError("--design must name a design file with a calibration block")
        }
        if let trim { calibration.trimUpper = trim }
        specification.calibration = calibration
        var seen = Set<String>()
        let table = try dataOptions.load(columns: (specification.columns + [id].compactMap { $0 }).filter { seen.insert($0).inserted })
        let empty = Set(table.emptyLineRows)
        let rows = (0..<table.rowCount).filter { !empty.contains($0) }
        let design = try specification.build(table: table, rows: rows)
        guard let result = design.calibration else { preconditionFailure("a calibration block gives a calibrated design") }
        let data = try calibration.bind(table: table, rows: rows)
        let identifiers = try id.map { name -> (column: String, values: [String]) in
            let column = try table.requireMetadata(name)
            return (name, rows.map { column[$0] })
        }
        return WeightsReport(source: table.source, designSummary: specification.summary, specification: calibration, result: result,
                             diagnostics: WeightDiagnostics(result, specification: calibration, data: data, largest: largest),
                             rowNumbers: rows.map { $0 + 1 }, identifiers: identifiers)
    }

    public func render() throws -> String {
        let report = try report()
        var text = format == .json ? report.json().serialized(indent: 2) + "\n" : report.text()
        if let output {
            try OutputFile.write(report.csv(), to: output)
            if format != .json { text += "\nWrote \(report.result.weights.count) calibrated weights to \(output)\n" }
        }
        return text
    }

    public func run() throws { emit(try render()) }
}
