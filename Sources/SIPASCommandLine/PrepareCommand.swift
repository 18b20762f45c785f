import ArgumentParser
import Foundation
import SIPASData
import SIPASInstrument
import SIPASReport
import SIPASSupport

/// `sipas prepare`: the cleaned respondent table, with factor scores, weights and exclusion reasons, for SPSS,
/// Stata, Excel or CSV.
public struct PrepareCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Write the cleaned respondent table with factor scores, weights and exclusion reasons (.sav, .zsav, .dta, .xlsx, .csv).",
        discussion: """
            One row per row read, in file order: every column of the data file; each answer column as its item \
            (named by the instrument's id) holding the cleaned code (blank for blank cells, missing codes and \
            invalid values), labelled with the criterion's text and the instrument's answer labels; one \
            score_<factor> per factor (the mean of the factor's answered criteria, reversed items reversed, as \
            sipas drivers uses them); design_weight (the design's weight, 1 without --weight); and \
            excluded_reason (why sipas index leaves the row out; blank when it is used).

            The format follows the --output name: .sav (SPSS), .zsav (compressed SPSS), .dta (Stata 14+), \
            .xlsx (a data sheet and a sheet of labels) or .csv (UTF-8, ','). SPSS and Stata files carry the \
            variable and value labels; column names SPSS or Stata refuse are changed (the receipt lists them).

            Example:
              sipas prepare DATA.csv -i khanhhoa-admin --weight weight --output scored.sav
            """)

    @OptionGroup public var dataOptions: DataOptions
    @OptionGroup(title: "Survey design") public var designOptions: DesignOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write: .sav, .zsav, .dta, .xlsx or .csv.", valueName: "file"))
    public var output: String

    @Option(name: .long, help: "Language of the labels and messages, and number style: vi (default) or en.")
    public var lang: Language = .vi

    public init() {}

    static let extensions = ["sav", "zsav", "dta", "xlsx", "csv"]

    public func validate() throws {
        try OptionCheck.outputFile(output, "--output", extensions: Self.extensions)
        if (output as NSString).standardizingPath == (dataOptions.data as NSString).standardizingPath {
            throw OptionRefusal(vi: "--output trùng với chính tệp dữ liệu; hãy đặt tên tệp khác", en: "--output names the data file itself; give another file name")
        }
    }

    /// Writes the file; returns the receipt (what was written and the row accounting).
    public func render() throws -> String {
        let table = try dataOptions.load()
        for warning in table.warnings { warn(warning.text(lang), language: lang) }
        let prepared = try RespondentFile(table: table, design: try designOptions.specification(for: dataOptions), language: lang)
        var renamed: [(from: String, to: String)] = []
        switch (output as NSString).pathExtension.lowercased() {
        case "sav": renamed = try StatFileWriter.write(prepared.table, to: output, format: .sav, fileLabel: table.instrument.title.text(lang))
        case "zsav": renamed = try StatFileWriter.write(prepared.table, to: output, format: .zsav, fileLabel: table.instrument.title.text(lang))
        case "dta": renamed = try StatFileWriter.write(prepared.table, to: output, format: .dta, fileLabel: table.instrument.title.text(lang))
        case "xlsx": try OutputFile.writing(to: output) { try prepared.table.writeXLSX(to: $0) }
        default: try OutputFile.write(prepared.table.csvText(), to: output)
        }
        let style = NumberStyle(language: lang)
        let rows = style.integer(prepared.table.rowCount), columns = style.integer(prepared.table.columns.count)
        var text = lang == .vi
            ? "đã ghi \(output): \(rows) dòng × \(columns) cột (\(prepared.answerColumns) cột câu trả lời, "
                + "\(prepared.factorScores) điểm yếu tố, design_weight, excluded_reason)\n"
            : "wrote \(output): \(rows) rows × \(columns) columns "
                + "(\(prepared.answerColumns) answer columns, \(prepared.factorScores) factor scores, design_weight, excluded_reason)\n"
        if !renamed.isEmpty {
            text += (lang == .vi ? "tên cột đã đổi cho hợp định dạng: " : "columns renamed for the format: ")
                + renamed.map { "'\($0.from)' → \($0.to)" }.joined(separator: ", ") + "\n"
        }
        return text + prepared.rows.summaryText(language: lang) + "\n"
    }

    public func run() throws { emit(try render()) }
}
