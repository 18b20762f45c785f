import Foundation
import SIPASData
import SIPASInstrument
import FuzzSupport

/// One input: the bytes as an Excel workbook (ZIP, shared strings, styles, sheets, header search), read as a
/// survey and as a plain table. Seeds: the workbooks under Tests/SIPASTests/Fixtures/xlsx.
func fuzzXLSX(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let path = FuzzFile.write(bytes, count, name: "input.xlsx")
    _ = try? XLSXReader.read(path: path, instrument: FuzzFile.instrument)
    _ = try? XLSXReader.read(path: path, columns: ["q01"])
    _ = try? XLSXReader.sheetNames(path: path)
    return 0
}

FuzzFile.run(fuzzXLSX)
