import CFuzzer
import Foundation
import SIPASInstrument

/// The readers take paths: each input is written to a file in one private temporary folder per process
/// (removed by scripts/fuzz.sh when the run ends).
public enum FuzzFile {
    public nonisolated(unsafe) static let folder: String = {
        let path = NSTemporaryDirectory() + "sipas-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()
    public static let instrument: Instrument = try! InstrumentPreset.named("khanhhoa-admin")!

    public static func write(_ bytes: UnsafePointer<UInt8>, _ count: Int, name: String) -> String {
        let path = folder + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: bytes, count: count))
        return path
    }

    /// Runs libFuzzer with the command line's options and corpus folders, calling `test` for each input.
    public static func run(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }
}
