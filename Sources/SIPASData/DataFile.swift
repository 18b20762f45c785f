import Foundation
import SIPASInstrument

/// The one entry point for reading survey data: a CSV file, an Excel workbook, an SPSS or a Stata file, told
/// apart by the file's first bytes (and, for SPSS and Stata, by its name), read into the same `ResponseTable`.
///
/// A file starting "$FL2" or "$FL3" (or named .sav/.zsav) is read as SPSS data, one starting "<stata_dta>" or
/// named .dta as Stata data (`StatFileReader`, through ReadStat); a ZIP archive (PK\x03\x04) is read as a
/// workbook (`XLSXReader`); an OLE2 compound file (D0 CF 11 E0) is a
/// password-protected workbook or an old .xls and is refused with one sentence saying what to do; anything
/// else is read as CSV (`CSVReader`), except a file named .xlsx/.xlsm/.xlsb that is not a ZIP archive or a
/// web page saved as .xls, which are refused.
public enum DataFile {
    public enum Format: Sendable, Equatable {
        case csv, xlsx, sav, dta
    }

    /// The format of the file at `path`; CSV when it cannot be opened (the CSV reader then says why).
    public static func format(of path: String) throws -> Format {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .csv }
        defer { try? handle.close() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return .csv }
        let head = [UInt8]((try? handle.read(upToCount: 512)) ?? Data())
        let name = (path as NSString).pathExtension.lowercased()
        if head.starts(with: Array("$FL2".utf8)) || head.starts(with: Array("$FL3".utf8)) || ["sav", "zsav"].contains(name) { return .sav }
        if head.starts(with: Array("<stata_dta>".utf8)) || name == "dta" { return .dta }
        if ["por", "sas7bdat", "xpt"].contains(name) {
            let program = name == "por" ? "an SPSS portable file (.por)" : "a SAS data file (.\(name))"
            throw DataError(file: path, message: "this is \(program), which sipas does not read: save it as .sav (SPSS), .dta "
                                + "(Stata), .xlsx or CSV UTF-8")
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .xlsx }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw DataError(file: path, message: "this is a password-protected (encrypted) workbook or an old .xls file, which sipas "
                                + "cannot read: save it as .xlsx without a password (File > Save As > Excel Workbook)")
        }
        if ["xlsx", "xlsm", "xlsb"].contains(name) {
            throw DataError(file: path, message: "the file is named like an Excel workbook but is not one (an Excel workbook is a ZIP "
                                + "archive; this file is not, or it is damaged). Open it in Excel or LibreOffice and save it as .xlsx")
        }
        let text = String(decoding: head.prefix(200), as: UTF8.self).lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        if name == "xls" && (text.hasPrefix("<") || text.contains("<html") || text.contains("<table")) {
            throw DataError(file: path, message: "this is a web page (HTML) saved with an .xls name, not a workbook: open it in Excel "
                                + "or LibreOffice and save it as .xlsx or as CSV UTF-8")
        }
        return .csv
    }

    /// Reads survey data with an instrument. For a workbook, `selection` picks the sheet and header row and
    /// `neededColumns` joins the instrument's criteria in finding the header; a CSV file takes neither.
    public static func read(path: String, instrument: Instrument, options: CSVReadOptions = .init(),
                            selection: SheetSelection = .init(), neededColumns: [String] = []) throws -> ResponseTable
    {
        RecordFiles.unregister(path)
        switch try format(of: path) {
        case .xlsx:
            return try XLSXReader.read(path: path, instrument: instrument, options: options, selection: selection,
                                       neededColumns: neededColumns)
        case .sav, .dta:
            try refuseSheet(selection, path: path)
            SheetLayout.unregister(path)
            return try StatFileReader.read(path: path, kind: try format(of: path) == .sav ? .spss : .stata, instrument: instrument,
                                           options: options)
        case .csv:
            try refuseSheet(selection, path: path)
            SheetLayout.unregister(path)
            return try CSVReader.read(path: path, instrument: instrument, options: options)
        }
    }

    /// Reads any data file as plain text columns; each of `columns` must exist (and, in a workbook, names the
    /// header row).
    public static func read(path: String, columns: [String]? = nil, options: CSVReadOptions = .init(),
                            selection: SheetSelection = .init()) throws -> ResponseTable
    {
        RecordFiles.unregister(path)
        switch try format(of: path) {
        case .xlsx:
            return try XLSXReader.read(path: path, columns: columns, options: options, selection: selection)
        case .sav, .dta:
            try refuseSheet(selection, path: path)
            SheetLayout.unregister(path)
            return try StatFileReader.read(path: path, kind: try format(of: path) == .sav ? .spss : .stata, columns: columns,
                                           options: options)
        case .csv:
            try refuseSheet(selection, path: path)
            SheetLayout.unregister(path)
            return try CSVReader.read(path: path, columns: columns, options: options)
        }
    }

    private static func refuseSheet(_ selection: SheetSelection, path: String) throws {
        guard selection.isDefault else {
            let kind = try format(of: path)
            let read = kind == .sav ? "an SPSS file" : kind == .dta ? "a Stata file" : "CSV"
            throw DataError(file: path, message: "--sheet and --header-row apply to Excel workbooks (.xlsx); this file is read as \(read)")
        }
    }
}
