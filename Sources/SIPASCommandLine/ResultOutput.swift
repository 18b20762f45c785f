import ArgumentParser
import Foundation
import SIPASReport
import SIPASSupport

extension OutputFormat: ExpressibleByArgument {}

/// `--format` and `--output` of every command that prints a result table. The format defaults to what the
/// output file's extension names (.xlsx, .csv, .json, .md), else `table`.
public struct ResultOutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Output format: table, json, csv, xlsx (an Excel workbook; needs --output) or md. Default: the --output file's extension, else table.",
        valueName: "format"))
    public var format: OutputFormat?

    @Option(name: .shortAndLong, help: "Write the output to this file instead of standard output.")
    public var output: String?

    public init() {}

    public init(format: OutputFormat?, output: String?) {
        self.format = format
        self.output = output
    }

    /// The format in effect.
    public var effectiveFormat: OutputFormat { format ?? output.flatMap(OutputFormat.implied(byPath:)) ?? .table }

    public func validate() throws {
        if effectiveFormat == .xlsx && output == nil {
            throw OptionRefusal(vi: "--format xlsx ghi một sổ tính Excel: hãy đặt tên tệp bằng --output TỆP.xlsx", en: "--format xlsx writes an Excel workbook: name the file with --output FILE.xlsx")
        }
        if let output, let format, let implied = OutputFormat.implied(byPath: output), implied != format, implied != .table {
            throw OptionRefusal(vi: "--output \(output) là tệp .\(implied.rawValue) nhưng --format là \(format.rawValue): hãy bỏ --format hoặc đổi tên tệp", en: "--output \(output) names a .\(implied.rawValue) file but --format is \(format.rawValue): drop --format or change the file name")
        }
    }

    /// Writes the document to `--output` in the format in effect and returns nil, or returns the text for
    /// standard output.
    @discardableResult
    public func deliver(_ document: ResultDocument) throws -> String? {
        let format = effectiveFormat
        guard let output else {
            if format == .xlsx { throw OptionRefusal(vi: "--format xlsx ghi một sổ tính Excel: hãy đặt tên tệp bằng --output TỆP.xlsx", en: "--format xlsx writes an Excel workbook: name the file with --output FILE.xlsx") }
            return document.rendered(as: format, width: Terminal.width)
        }
        if format == .xlsx {
            try OutputFile.writing(to: output) { try document.writeWorkbook(to: $0) }
        } else {
            try OutputFile.write(document.rendered(as: format), to: output)
        }
        return nil
    }
}

/// A command whose result is a `ResultDocument`: it only parses, computes and builds the document; writing
/// it in the chosen format (screen, CSV, workbook, …) is shared.
public protocol DocumentCommand: ParsableCommand {
    var resultOutput: ResultOutputOptions { get }
    func document() throws -> ResultDocument
}

extension DocumentCommand {
    /// The text for standard output ("" when the result went to `--output`).
    public func render() throws -> String { try resultOutput.deliver(try document()) ?? "" }

    public func run() throws { emit(try render()) }
}
