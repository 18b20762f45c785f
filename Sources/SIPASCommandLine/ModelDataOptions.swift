import ArgumentParser
import Foundation
import SIPASData
import SIPASModels
import SIPASReport
import SIPASSupport

/// Output formats of the model commands.
public enum ModelOutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case table, json
}

/// Options shared by commands that read a plain CSV (no questionnaire): the file, delimiter and missing values.
public struct PlainDataOptions: ParsableArguments {
    @Argument(help: "Data: a CSV file with a header line, one row per respondent (UTF-8, ',' or ';').")
    public var data: String

    @Option(name: .long, help: "Field delimiter: ',' or ';' or 'tab' (default: detected from the header line).")
    public var delimiter: String?

    @Option(name: .customLong("na"),
            help: ArgumentHelp("Cell texts that mean missing, comma-separated; blank cells are always missing.",
                               valueName: "values"))
    public var missingValues = "NA"

    public init() {}

    /// Reads the named columns of the file (each must exist); the others are not decoded.
    func load(columns: [String]) throws -> ResponseTable {
        var options = CSVReadOptions(keptColumns: Set(columns))
        if let delimiter {
            guard delimiter == "," || delimiter == ";" || delimiter == "\\t" || delimiter == "tab" else {
                throw ValidationError("--delimiter must be ',' or ';' or 'tab'")
            }
            options.delimiter = delimiter.count == 1 ? delimiter.utf8.first : UInt8(ascii: "\t")
        }
        return try CSVReader.read(path: data, columns: columns, options: options)
    }

    var missingSet: Set<String> {
        Set(missingValues.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// A numeric column (blank and --na texts are nil); errors name file, row and column.
    func numbers(_ table: ResponseTable, _ name: String) throws -> Variable {
        Variable(name, try table.requireMetadata(name).numbers(file: data, missingValues: missingSet))
    }

    /// A text column with blank and --na texts as nil.
    func labels(_ table: ResponseTable, _ name: String) throws -> [String?] {
        let column = try table.requireMetadata(name)
        let missing = missingSet
        return (0..<table.rowCount).map { row in
            let text = column[row]
            return text.isEmpty || missing.contains(text) ? nil : text
        }
    }

    /// "empty line" for rows that were empty lines, nil for the others.
    func emptyLineReasons(_ table: ResponseTable) -> [String?] {
        var reasons = [String?](repeating: nil, count: table.rowCount)
        for row in table.emptyLineRows { reasons[row] = "empty line" }
        return reasons
    }
}

/// "a,b, c" → ["a", "b", "c"].
func nameList(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Writes `text` to `path`, or to standard output when `path` is nil.
func deliver(_ text: String, to path: String?) throws {
    guard let path else { emit(text); return }
    try writeFile(text, to: path)
}

/// Writes a file the user asked for through `OutputFile` (atomic for regular files, in place for devices).
func writeFile(_ text: String, to path: String) throws {
    try OutputFile.write(text, to: path)
}

/// A result that prints as a table for people or as JSON for tools.
public protocol ModelResult {
    func json() -> JSONValue
    func tableText() -> String
}

/// `--format` and `--output`, shared by the model commands.
public struct ModelOutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table or json.")
    public var format: ModelOutputFormat = .table

    @Option(name: .shortAndLong, help: "Write the output to this file instead of standard output.")
    public var output: String?

    public init() {}
}

/// The model commands (regress, alpha, factors, importance, ologit): analyze, then render in the chosen
/// format to standard output or `--output`.
public protocol ModelCommand: ParsableCommand {
    associatedtype Result: ModelResult
    var outputOptions: ModelOutputOptions { get }
    func analyze() throws -> Result
}

extension ModelCommand {
    public func render() throws -> String {
        let result = try analyze()
        switch outputOptions.format {
        case .json: return result.json().serialized(indent: 2) + "\n"
        case .table: return result.tableText()
        }
    }

    public func run() throws { try deliver(try render(), to: outputOptions.output) }
}

extension FactorAnalysisResult: ModelResult {}
extension ImportanceReport: ModelResult {}
extension OrderedLogitResult: ModelResult {}
extension RegressionResult: ModelResult {}
extension ReliabilityResult: ModelResult {}
