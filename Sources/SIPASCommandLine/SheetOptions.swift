import ArgumentParser
import SIPASData
import SIPASEstimation

/// `--sheet` and `--header-row`: which sheet of an Excel workbook to read and where its header is.
public struct SheetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Excel workbooks: the sheet to read, by name or number (default: the first visible sheet).",
                                            valueName: "name|n"))
    public var sheet: String?

    @Option(name: .customLong("header-row"),
            help: ArgumentHelp("Excel workbooks: the row that names the columns (default: the first row naming the columns the analysis needs).",
                               valueName: "n"))
    public var headerRow: Int?

    public init() {}

    public func validate() throws {
        if let headerRow, !(1...1_048_576).contains(headerRow) {
            throw OptionRefusal(vi: "--header-row phải là số dòng từ 1 đến 1.048.576", en: "--header-row must be a row number from 1 to 1,048,576")
        }
        if let sheet, sheet.trimmingCharacters(in: .whitespaces).isEmpty { throw OptionRefusal(vi: "--sheet phải ghi tên một trang tính", en: "--sheet must name a sheet") }
    }

    public var selection: SheetSelection { SheetSelection(sheet: sheet, headerRow: headerRow) }

    /// The options as command-line words (for a REPL session passing a dataset's sheet to a command).
    static func arguments(_ selection: SheetSelection) -> [String] {
        (selection.sheet.map { ["--sheet", $0] } ?? []) + (selection.headerRow.map { ["--header-row", String($0)] } ?? [])
    }
}

extension SurveyStatistic {
    /// The data columns the statistic reads (for finding a workbook's header row).
    var columns: [String] {
        switch self {
        case .mean(let column), .total(let column), .proportion(let column, _): return [column]
        case .ratio(let numerator, let denominator): return [numerator, denominator]
        }
    }
}
