import Foundation
import SIPASData
import SIPASInstrument
import FuzzSupport

/// One input: the bytes as a survey CSV read with the Khánh Hòa instrument (tokenizer, header, answers, labels,
/// decimal rules, row accounting). An error is an answer; a crash, a hang or a sanitizer report is a finding.
func fuzzCSV(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let path = FuzzFile.write(bytes, count, name: "input.csv")
    _ = try? CSVReader.read(path: path, instrument: FuzzFile.instrument)
    _ = try? CSVReader.read(path: path, instrument: FuzzFile.instrument, options: CSVReadOptions(delimiter: UInt8(ascii: ";")))
    return 0
}

FuzzFile.run(fuzzCSV)
