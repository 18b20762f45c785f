import ArgumentParser
import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument
import SIPASReport
import SIPASSupport

extension ReplicateMethod: ExpressibleByArgument {}

/// `sipas weights`: weights from the population — the design weights calibrated to the margins and totals of
/// the design file's `calibration` block, written as a column, with the diagnostics an analyst checks; or, with
/// `--replicates`, replicate weights built from the design, written beside the data.
public struct WeightsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Calibrate the weights to population margins (post-stratify, rake, linear, raking, logit) and show diagnostics; or build replicate weights.",
        discussion: """
            The design file's calibration block gives the population figures (census or civil-registry counts by \
            gender, age group, district …) and the method; see docs/design.md, "Weights from the population". \
            Printed: each target with the weighted count before and after, the spread of g = calibrated / design \
            weight, Kish's weighting design effect and effective sample size, and the largest weights. --output \
            writes the weights as CSV (row, design_weight, g, weight). Every estimating command given the same \
            --design uses these weights, and its standard errors include the calibration.

            Example: sipas weights survey.csv --design design.yaml --output weights.csv

            Replicate weights: --replicates jk1|jkn|bootstrap builds them from the design (strata, clusters, weight, \
            fpc; calibrated again per replicate when the design file has a calibration block), as R's \
            as.svrepdesign types "JK1" (unstratified, one replicate per PSU), "JKn" (one per PSU, within strata) and \
            "bootstrap" (--count replicates, default 200, drawn from --seed, the same on any number of threads). \
            --output writes the data with the replicate columns rw1, rw2, … (--prefix) after its own columns, and \
            a design file beside it (OUTPUT's name with -design.yaml) whose replicates block reads them: give it \
            as --design to index, estimate, compare or report.

            Example: sipas weights survey.csv --design design.yaml --replicates jkn --output survey-jkn.csv
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
    @Option(name: .long, help: "Language of the output: vi or en.")
    public var lang: Language = .vi
    @Option(name: .long, help: ArgumentHelp("Build replicate weights from the design instead: jk1 (unstratified), jkn or bootstrap; needs --output.", valueName: "type"))
    public var replicates: ReplicateMethod?
    @Option(name: .long, help: ArgumentHelp("Bootstrap replicates to draw (2 to 10,000; default 200).", valueName: "R"))
    public var count: Int?
    @Option(name: .long, help: "Seed of the bootstrap replicates (default 2024); shown in the output.")
    public var seed: UInt64?
    @Option(name: .long, help: ArgumentHelp("Name of the replicate columns: PREFIX1, PREFIX2, … (default rw).", valueName: "prefix"))
    public var prefix: String?

    public init() {}

    public func validate() throws {
        if format == .csv { throw OptionRefusal(vi: "--format phải là table hoặc json (--output ghi tệp CSV)", en: "--format must be table or json (--output writes the CSV)") }
        try OptionCheck.number(trim, "--trim", from: 1, to: 1e6, exclusiveLower: true)
        try OptionCheck.count(largest, "--largest", from: 0, to: 10_000)
        if let output, output.isEmpty { throw OptionRefusal(vi: "--output không nêu tệp nào", en: "--output names no file") }
        if let id, id.isEmpty { throw OptionRefusal(vi: "--id không nêu cột nào", en: "--id names no column") }
        let specification = try designOptions.specification(for: dataOptions)
        if let replicates {
            guard output != nil else { throw OptionRefusal(vi: "--replicates cần --output TỆP (dữ liệu kèm các cột trọng số lặp)", en: "--replicates needs --output FILE (the data with the replicate columns)") }
            if specification.replicates != nil {
                throw OptionRefusal(vi: "--replicates tạo trọng số lặp từ thiết kế gồm tầng, cụm và trọng số; tệp thiết kế đã có khối replicates", en: "--replicates builds replicate weights from a design of strata, clusters and weights; the design file already has a replicates block")
            }
            if specification.isEmpty { throw OptionRefusal(vi: "--replicates cần một thiết kế mẫu: --design TỆP hoặc --strata, --cluster, --weight, --fpc", en: "--replicates needs a design: --design FILE or --strata, --cluster, --weight, --fpc") }
            if replicates != .bootstrap, count != nil || seed != nil {
                throw OptionRefusal(vi: "--count và --seed chỉ dùng với --replicates bootstrap (jackknife có một bản lặp cho mỗi đơn vị mẫu cấp 1 và không rút ngẫu nhiên)", en: "--count and --seed are for --replicates bootstrap (a jackknife has one replicate per PSU and draws nothing)")
            }
            try OptionCheck.count(count, "--count", from: 2, to: 10_000)
            if let prefix {
                guard !prefix.isEmpty, prefix.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "." }) else {
                    throw OptionRefusal(vi: "--prefix chỉ gồm chữ, chữ số, '_' hoặc '.' (đã ghi '\(prefix)')", en: "--prefix must be letters, digits, '_' or '.' (got '\(prefix)')")
                }
            }
            if trim != nil { throw OptionRefusal(vi: "--trim dùng cho trọng số hiệu chỉnh, không dùng với --replicates", en: "--trim is for calibrated weights, not with --replicates") }
            return
        }
        if count != nil || seed != nil || prefix != nil {
            throw OptionRefusal(vi: "--count, --seed và --prefix chỉ dùng với --replicates", en: "--count, --seed and --prefix are for --replicates")
        }
        if specification.replicates != nil {
            throw OptionRefusal(vi: "tệp thiết kế có khối replicates: sipas weights hiệu chỉnh thiết kế gồm tầng, cụm và trọng số (hoặc tạo trọng số lặp bằng --replicates)", en: "the design file has a replicates block: sipas weights calibrates a design of strata, clusters and weights (or builds replicates with --replicates)")
        }
        guard specification.calibration != nil else {
            throw OptionRefusal(vi: "--design phải là tệp thiết kế có khối calibration (method và margins): xem docs/design.md, mục \"Weights from the population\"",
                                en: "--design must name a design file with a calibration block (method and margins): see docs/design.md, \"Weights from the population\"")
        }
    }

    public func report() throws -> WeightsReport {
        var specification = try designOptions.specification(for: dataOptions)
        guard var calibration = specification.calibration else {
            throw OptionRefusal(vi: "--design phải là tệp thiết kế có khối calibration", en: "--design must name a design file with a calibration block")
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
        return WeightsReport(source: table.source, design: specification.description, specification: calibration, result: result,
                             diagnostics: WeightDiagnostics(result, specification: calibration, data: data, largest: largest),
                             rowNumbers: rows.map { $0 + 1 }, identifiers: identifiers)
    }

    public func render() throws -> String {
        if replicates != nil { return try renderReplicates() }
        let report = try report()
        var text = format == .json ? report.json().serialized(indent: 2) + "\n" : report.text(lang)
        if let output {
            try OutputFile.write(report.csv(), to: output)
            if format != .json {
                let count = NumberStyle(language: lang).integer(report.result.weights.count)
                text += lang == .vi ? "\nĐã ghi \(count) quyền số hiệu chỉnh vào \(output)\n" : "\nWrote \(count) calibrated weights to \(output)\n"
            }
        }
        return text
    }

    public func run() throws { emit(try render()) }

    /// Builds the replicate weights and writes the data with them (`--replicates`); the text says how to use them.
    func renderReplicates() throws -> String {
        guard let method = replicates, let output else { throw OptionRefusal(vi: "--replicates cần --output TỆP", en: "--replicates needs --output FILE") }
        let specification = try designOptions.specification(for: dataOptions)
        let table = try dataOptions.load(columns: specification.columns, all: true)
        let empty = Set(table.emptyLineRows)
        let rows = (0..<table.rowCount).filter { !empty.contains($0) }
        let design = try specification.build(table: table, rows: rows)
        let built = try design.replicateWeights(method, count: count ?? 200, seed: seed ?? 2024)
        let prefix = self.prefix ?? "rw"
        let names = (1...built.count).map { "\(prefix)\($0)" }
        if let clash = names.first(where: { table.columnNames.contains($0) }) {
            throw OptionRefusal(vi: "dữ liệu đã có cột '\(clash)': hãy chọn --prefix khác", en: "the data already has a column '\(clash)': choose another --prefix")
        }
        // The data's columns as read (text), then the replicate weights, one row per design row.
        let columns = try table.columnNames.map { try table.requireMetadata($0) }
        var text = (table.columnNames + names).map(Self.field).joined(separator: ",") + "\n"
        for (index, row) in rows.enumerated() {
            var fields = columns.map { Self.field($0[row]) }
            for replicate in built.weights { fields.append(Self.number(replicate[index])) }
            text += fields.joined(separator: ",") + "\n"
        }
        try OutputFile.write(text, to: output)
        var replicateSpecification = built.specification(prefix: prefix)
        replicateSpecification.mse = false
        let block = Self.designFile(weight: specification.weight, replicates: replicateSpecification, method: method, seed: built.seed)
        let designPath = Self.designPath(for: output)
        try OutputFile.write(block, to: designPath)
        if format == .json {
            let json = JSONValue.object([
                ("source", .string(table.source)), ("design", .string(specification.summary)), ("type", .string(method.type.rawValue)),
                ("replicates", .integer(built.count)), ("scale", .number(built.scale)),
                ("rscales", built.rscales.map { .array($0.map { .number($0) }) } ?? .null),
                ("df", .integer(built.degreesOfFreedom)), ("seed", built.seed.map { .string(String($0)) } ?? .null),
                ("columns", .string("\(prefix)1…\(prefix)\(built.count)")), ("output", .string(output)), ("design_file", .string(designPath)),
            ])
            return json.serialized(indent: 2) + "\n"
        }
        if lang == .vi {
            let seedText = built.seed.map { ", hạt giống \($0)" } ?? ""
            let scale = Note.vi(String(format: "%.6g", built.scale))  // the design file keeps every digit
            return """
                Trọng số lặp \(method.type.rawValue) từ thiết kế \(specification.description.vi): \(built.count) bản lặp\(seedText), \
                hệ số \(scale), bậc tự do \(built.degreesOfFreedom).
                Đã ghi dữ liệu kèm các cột \(prefix)1…\(prefix)\(built.count) vào \(output) và tệp thiết kế \(designPath).
                Cách dùng: sipas index \(output) -i … --design \(designPath) (tệp thiết kế này đọc các cột "\(prefix)*", kiểu \(method.type.rawValue)).

                """
        }
        let seedText = built.seed.map { ", seed \($0)" } ?? ""
        return """
            \(method.type.rawValue) replicate weights from the design \(specification.summary): \(built.count) replicates\(seedText), \
            scale \(String(format: "%.6g", built.scale)), df \(built.degreesOfFreedom).
            Wrote the data with columns \(prefix)1…\(prefix)\(built.count) to \(output) and the design file \(designPath).
            Use: sipas index \(output) -i … --design \(designPath) (its replicates block: columns "\(prefix)*", type \(method.type.rawValue)).

            """
    }

    /// OUTPUT's name with -design.yaml in place of its extension.
    static func designPath(for output: String) -> String {
        let base = (output as NSString).deletingPathExtension
        return (base.isEmpty ? output : base) + "-design.yaml"
    }

    /// The design file that reads the written replicates back.
    static func designFile(weight: String?, replicates: ReplicateSpecification, method: ReplicateMethod, seed: UInt64?) -> String {
        var lines = ["# Replicate weights built by sipas weights --replicates \(method.rawValue)" + (seed.map { " (seed \($0))" } ?? "")]
        if let weight { lines.append("weight: \(weight)") }
        lines += ["replicates:", "  columns: \"\(replicates.columns.pattern)\"", "  type: \(replicates.type.rawValue)"]
        if let scale = replicates.scale { lines.append("  scale: \(number(scale))") }
        if let rscales = replicates.rscales { lines.append("  rscales: [\(rscales.map(number).joined(separator: ", "))]") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number written so that reading it back gives the same Double.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    static func field(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
