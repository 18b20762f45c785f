import Foundation
import SIPASData
import SIPASInstrument
import FuzzSupport

/// One input: the bytes as an instrument file (YAML through Yams, then every check of the loader).
func fuzzInstrument(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let path = FuzzFile.write(bytes, count, name: "input.yaml")
    _ = try? Instrument.load(path: path)
    return 0
}

FuzzFile.run(fuzzInstrument)
