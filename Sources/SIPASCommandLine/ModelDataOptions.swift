import ArgumentParser
import Foundation
import SIPASData
import SIPASInstrument
import SIPASModels
import SIPASReport
import SIPASStore
import SIPASSupport

/// Options shared by commands that read a plain CSV (no questionnaire): the file, delimiter and missing values.
public struct PlainDataOptions: ParsableArguments {
    @Argument(help: "Data, one row per respondent: a CSV file with a header line (UTF-8, ',' or ';'), an Excel workbook (.xlsx, .xlsm), an SPSS (.sav, .zsav) or a Stata (.dta) file.")
    public var data: String

    @Option(name: .long, help: "Field delimiter: ',' or ';' or 'tab' (default: detected from the header line).")
    public var delimiter: String?

    @Option(name: .long, help: ArgumentHelp("Decimal mark of numbers in the file (weights, fpc, numeric columns): comma or point (default: comma when the delimiter is ';', else point, a quoted \"36,5\" reading as 36.5)."))
    public var decimal: DecimalMark?

    @Option(name: .customLong("na"),
            help: ArgumentHelp("Cell texts that mean missing, comma-separated; blank cells are always missing.",
                               valueName: "values"))
    public var missingValues = "NA"

    @Option(name: .shortAndLong,
            help: "Instrument (preset or YAML/JSON file): columns that are its items are read on its scale, with its answer labels, missing codes and missing labels, reversed items scored; other values of those columns count as missing.")
    public var instrument: String?

    @Option(name: .long, help: ArgumentHelp("A wave of the store named by DATA (sipas store import): its instrument and design are the defaults.",
                                            valueName: "wave"))
    public var wave: String?

    @OptionGroup public var sheetOptions: SheetOptions

    public init() {}

    /// The instrument given with -i, else a stored wave's own.
    func resolvedInstrument() throws -> Instrument? {
        if let instrument { return try Instrument.resolve(instrument) }
        guard let wave else { return nil }
        let store = try SurveyStore(path: data)
        return try store.wave(wave).instrument(store: data)
    }

    /// Reads the named columns of the file or stored wave (each must exist); the others are not decoded
    /// unless `all` is set (then every column is read as text).
    func load(columns: [String], all: Bool = false) throws -> ResponseTable {
        if let wave {
            let store = try SurveyStore(path: data)
            try DataOptions.refuseLeftOut(Set(columns), store: store, wave: wave)
            return try store.readColumns(wave: wave, columns: all ? nil : columns, options: CSVReadOptions(keptColumns: all ? nil : Set(columns)))
        }
        var options = CSVReadOptions(keptColumns: all ? nil : Set(columns), decimal: decimal)
        if let delimiter {
            guard delimiter == "," || delimiter == ";" || delimiter == "\\t" || delimiter == "tab" else {
                throw OptionRefusal(vi: "--delimiter phải là ',' hoặc ';' hoặc 'tab'", en: "--delimiter must be ',' or ';' or 'tab'")
            }
            options.delimiter = delimiter.count == 1 ? delimiter.utf8.first : UInt8(ascii: "\t")
        }
        return try DataFile.read(path: data, columns: columns, options: options, selection: sheetOptions.selection)
    }

    var missingSet: Set<String> {
        Set(missingValues.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// A numeric column (blank and --na texts are nil); errors name file, row and column. A column that is an
    /// item of the instrument (-i) holds scores: its missing codes and answers off its scale are nil (counted on
    /// standard error), reversed items are scored top + 1 − answer. Without an instrument, a column whose values
    /// mostly lie on a 1–5 (or 1–4, 1–7, 1–10) scale but not all gets a warning naming the values outside.
    func numbers(_ table: ResponseTable, _ name: String) throws -> Variable {
        let column = try table.requireMetadata(name)
        let item = try resolvedInstrument()?.item(name)
        // An item's cells may hold its answer labels, read as `index` reads them: a label (or alias) as its code,
        // a missing label as missing.
        var missing = missingSet, labelled: [String: Double] = [:]
        if let item, item.scale.top != nil {
            let meanings = item.answerTextIndex()
            for text in column.levels where !text.isEmpty && table.decimalRule.value(text) == nil {
                switch meanings[AnswerText.normalized(text)] {
                case .answer(let code)?: labelled[text] = Double(code)
                case .missingCode?, .missingLabel?: missing.insert(text)
                case nil: break
                }
            }
        }
        let values = try column.numbers(file: data, missingValues: missing, decimal: table.decimalRule, recoded: labelled)
        if let item, item.scale.top != nil {
            var invalid = 0
            let scored = values.map { value -> Double? in
                guard let value else { return nil }
                let code = Int(exactly: value)
                if let code, item.missingCodes.contains(code) { return nil }
                guard let code, item.scale.isValid(code) else { invalid += 1; return nil }
                return Double(item.score(code))
            }
            if invalid > 0 {
                warn(LocalizedText(vi: "\(name): \(invalid) giá trị không phải câu trả lời trên thang \(item.scale.validAnswers(.vi)) của bộ câu hỏi và được tính là thiếu",
                                   en: "\(name): \(invalid) value(s) are not answers on the \(item.scale.validAnswers) scale of the instrument and count as missing"))
            }
            return Variable(name, scored)
        }
        if instrument == nil, let note = Self.offScaleNote(name, values) { warn(note) }
        return Variable(name, values)
    }

    /// Whether `name` is an item the instrument reverses (scored top + 1 − answer by `numbers`).
    func isReversedItem(_ name: String) throws -> Bool { try resolvedInstrument()?.item(name)?.reversed ?? false }

    /// The range of the instrument's scale for the item columns among `names` (1…top), when they share one.
    func instrumentScale(_ names: [String]) throws -> ClosedRange<Double>? {
        guard let instrument = try resolvedInstrument() else { return nil }
        let tops = Set(names.compactMap { instrument.item($0)?.scale.top })
        guard tops.count == 1, let top = tops.first else { return nil }
        return 1...Double(top)
    }

    /// A warning for a column whose values are mostly whole numbers on a rating scale but not all: codes such
    /// as 9/99 ("don't know") or 0/6 would otherwise enter the analysis as answers.
    public static func offScaleNote(_ name: String, _ values: [Double?]) -> LocalizedText? {
        let present = values.compactMap { $0 }
        guard present.count >= 10, present.allSatisfy({ $0 == $0.rounded() }) else { return nil }
        for top in [4.0, 5, 7, 10] {
            let outside = present.filter { $0 < 1 || $0 > top }
            guard Double(outside.count) <= 0.1 * Double(present.count) else { continue }
            guard !outside.isEmpty else { return nil }
            let shown = Set(outside).sorted().prefix(6).map { String(Int(exactly: $0) ?? 0) }.joined(separator: ", ")
            return LocalizedText(
                vi: "\(name): \(outside.count) giá trị nằm ngoài thang 1–\(Int(top)) mà phần lớn câu trả lời dùng (\(shown)); "
                    + "nếu đó là mã như 'không biết', hãy ghi chúng sau --na hoặc ghi bộ câu hỏi bằng -i",
                en: "\(name): \(outside.count) value(s) lie outside the 1–\(Int(top)) scale most answers use (\(shown)); "
                    + "if they are codes such as 'don't know', give --na with them or the instrument with -i")
        }
        return nil
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
        for row in table.emptyLineRows { reasons[row] = ExclusionReason.emptyLine.en }
        return reasons
    }
}

/// Writes a warning line to standard error (the result itself goes to standard output or --output), its prefix
/// in the language of the text.
func warn(_ text: String, language: Language) {
    FileHandle.standardError.write(Data(((language == .vi ? "Cảnh báo: " : "Warning: ") + text + "\n").utf8))
}

/// Writes a warning in the language of the command line being run (its `--lang`, or the session's).
func warn(_ text: LocalizedText) {
    warn(text.text(CommandLanguage.current), language: CommandLanguage.current)
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

/// A result that renders as a document (table for people, JSON, CSV, workbook, Markdown).
public protocol ModelResult {
    func document(language: Language) -> ResultDocument
}

/// `--format`, `--output` and `--lang`, shared by the model commands.
public struct ModelOutputOptions: ParsableArguments {
    @OptionGroup public var result: ResultOutputOptions

    @Option(name: .long, help: "Language of the table and messages: vi or en.")
    public var lang: Language = .vi

    public init() {}
}

/// The model commands (regress, alpha, factors, importance, ologit): analyze, then render in the chosen
/// format to standard output or `--output`.
public protocol ModelCommand: DocumentCommand {
    associatedtype Result: ModelResult
    var outputOptions: ModelOutputOptions { get }
    func analyze() throws -> Result
}

extension ModelCommand {
    public var resultOutput: ResultOutputOptions { outputOptions.result }
    public func document() throws -> ResultDocument { try analyze().document(language: outputOptions.lang) }
}

extension FactorAnalysisResult: ModelResult {}
extension ImportanceReport: ModelResult {}
extension OrderedLogitResult: ModelResult {}
extension RegressionResult: ModelResult {}
extension ReliabilityResult: ModelResult {}
