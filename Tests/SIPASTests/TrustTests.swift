import ArgumentParser
import Foundation
@testable import SIPASCommandLine
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument
import SIPASSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Regression tests for the defects of issue 13 (crashes from option values, silently wrong numbers, personal
/// data in messages, damage to the machine). Each failed before its fix.
struct TrustTests {
    static let subset = TestPaths.fixture("design/sipas-subset.csv")
    static let bundled = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path

    /// The message ArgumentParser shows for `arguments`, or nil when they parse and validate.
    func refusal<C: ParsableCommand>(_ command: C.Type, _ arguments: [String]) -> String? {
        do {
            _ = try C.parse(arguments)
            return nil
        } catch {
            return C.message(for: error)
        }
    }

    // MARK: Option values are checked where options are parsed

    @Test(arguments: [
        (["--margin", "1e-9", "--sd", "15"], "--margin"), (["--margin", "2", "--sd", "1e300"], "--sd"),
        (["--margin", "2", "--sd", "15", "--deff", "1e300"], "--deff"),
        (["--margin", "2", "--sd", "15", "--icc", "0.05", "--cluster-size", "1e300"], "--cluster-size"),
        (["--margin", "2", "--sd", "15", "--icc", "1.5", "--cluster-size", "30"], "--icc"),
        (["--margin", "nan", "--sd", "15"], "--margin"), (["--margin", "2", "--sd", "15", "--confidence", "1"], "--confidence"),
    ])
    func sampleSizeOptionsAreRanged(arguments: [String], option: String) throws {
        let message = try #require(refusal(SampleSizeCommand.self, arguments))
        #expect(message.contains(option) && message.contains("phải là"), "\(message)")
        let english = try #require(CommandLanguage.$current.withValue(.en) { refusal(SampleSizeCommand.self, arguments) })
        #expect(english.contains(option) && english.contains("must be"), "\(english)")
    }

    @Test func countOptionsAreRanged() throws {
        let huge = "9223372036854775807"
        let accounting = try #require(refusal(SampleAccountingCommand.self, ["--issued", "10", "--returned-count", "9", "--confirmed", huge]))
        #expect(accounting.contains("--confirmed"))
        let wild = try #require(refusal(RegressCommand.self, [Self.subset, "--y", "overall", "--x", "q01", "--se", "cluster:cluster",
                                                              "--wild-bootstrap", "9999999999999"]))
        #expect(wild.contains("--wild-bootstrap"))
        let generate = try #require(refusal(GenerateCommand.self, ["--respondents", huge, "--output", "x.csv"]))
        #expect(generate.contains("--respondents") && generate.contains("50.000.000"), "\(generate)")
        let english = try #require(CommandLanguage.$current.withValue(.en) {
            refusal(GenerateCommand.self, ["--respondents", huge, "--output", "x.csv"])
        })
        #expect(english.contains("50,000,000"), "\(english)")
        let zero = try #require(refusal(SampleSelectCommand.self, [TestPaths.fixture("sampling/frame.csv"), "--n", "0"]))
        #expect(zero.contains("--n"))
        #expect(refusal(IndexCommand.self, [Self.subset, "-i", "khanhhoa-admin", "--confidence", "nan"]) != nil)
        #expect(refusal(CoverageCommand.self, ["--simulations", huge]) != nil)
        #expect(refusal(SampleSizeCommand.self, ["--margin", "2", "--sd", "15"]) == nil)
    }

    @Test func estimateOffersNoBootstrapWithoutReplicates() throws {
        for method in ["bca", "percentile"] {
            let message = try #require(refusal(EstimateCommand.self, [Self.subset, "--proportion", "channel=truc_tuyen", "--ci-method", method]))
            #expect(message.contains("ci-method"), "\(message)")
        }
        let command = try EstimateCommand.parse([Self.subset, "--proportion", "channel=truc_tuyen", "--ci-method", "beta"])
        #expect(try command.render().contains("channel"))
    }

    @Test func whatIfTargetsLieOnTheScale() throws {
        let command = try DriversCommand.parse([Self.subset, "-i", "khanhhoa-admin", "--what-if", "procedures=-5", "--replicates", "0"])
        #expect {
            try command.render()
        } throws: { "\($0)".contains("procedures=-5") && "\($0)".contains("from 1 to 5") }
        let fine = try DriversCommand.parse([Self.subset, "-i", "khanhhoa-admin", "--what-if", "procedures=4.5", "--replicates", "0"])
        #expect(try fine.render().contains("4"))
    }

    // MARK: Model commands read item columns through the instrument

    @Test func alphaUsesTheInstrumentsScaleAndMissingCodes() throws {
        // The README example: with the instrument, 9/99 are missing and 0/6 invalid, as in `drivers`.
        let withInstrument = try AlphaCommand.parse([Self.bundled, "-i", "khanhhoa-admin", "--items", "q04,q05,q06,q07", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(withInstrument.render().utf8)) as? [String: Any])
        let alpha = try #require(json["alpha"] as? Double)
        #expect(abs(alpha - 0.8222) < 5e-5, "alpha \(alpha)")
        // The drivers' reliability of the same factor is the same number.
        let drivers = try DriversCommand.parse([Self.bundled, "-i", "khanhhoa-admin", "--format", "json", "--replicates", "0"])
        let driverJSON = try #require(try JSONSerialization.jsonObject(with: Data(drivers.render().utf8)) as? [String: Any])
        let reliability = try #require(driverJSON["reliability"] as? [[String: Any]])
        let procedures = try #require(reliability.first { ($0["factor"] as? String) == "procedures" })
        #expect(abs((procedures["alpha"] as? Double ?? 0) - alpha) < 1e-12)
        // Without one, the codes count as answers (and a warning says so on standard error).
        let without = try AlphaCommand.parse([Self.bundled, "--items", "q04,q05,q06,q07", "--format", "json"])
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(without.render().utf8)) as? [String: Any])
        #expect(abs((plain["alpha"] as? Double ?? 0) - alpha) > 0.1)
        #expect(PlainDataOptions.offScaleNote("q04", [1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 9, 4]) != nil)
        #expect(PlainDataOptions.offScaleNote("q04", [1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 4]) == nil)
    }

    // MARK: Numbers that were silently wrong

    /// The subset with one cell replaced.
    func subsetWith(column: String, row: Int, value: String) throws -> (path: String, cleanup: () -> Void) {
        let text = try String(contentsOfFile: Self.subset, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let index = try #require(header.firstIndex(of: "\"\(column)\"") ?? header.firstIndex(of: column))
        var cells = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[index] = value
        lines[row] = cells.joined(separator: ",")
        let folder = try TemporaryFolder()
        return (try folder.file("data.csv", lines.joined(separator: "\n")), { folder.remove() })
    }

    @Test func weightsThatOverflowAreErrorsNamingTheRow() throws {
        let (path, cleanup) = try subsetWith(column: "weight", row: 5, value: "1e308")
        defer { cleanup() }
        let command = try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--weight", "weight"])
        #expect {
            try command.render()
        } throws: { error in
            "\(error)".contains("row 5") && "\(error)".contains("weight") && "\(error)".contains("overflows")
        }
        let (spread, cleanSpread) = try subsetWith(column: "weight", row: 5, value: "1e100")
        defer { cleanSpread() }
        #expect(throws: DataError.self) { try IndexCommand.parse([spread, "-i", "khanhhoa-admin", "--weight", "weight"]).render() }
    }

    @Test func hexadecimalAndNonFiniteTextAreNotNumbers() throws {
        for text: String in ["0x10", "nan", "inf", "-infinity", "1e999", "1,5", "", " ", "1e", "--1", "1.2.3"] {
            #expect(NumberText.decimal(text) == nil, "\(text)")
        }
        for (text, value) in [("36.5", 36.5), (" 5", 5.0), ("-2", -2.0), (".5", 0.5), ("1e-3", 0.001), ("+7", 7.0), ("17.", 17.0)] {
            #expect(NumberText.decimal(text) == value, "\(text)")
        }
        #expect(NumberText.decimal("36,5", decimalComma: true) == 36.5)
        let (path, cleanup) = try subsetWith(column: "weight", row: 5, value: "0x10")
        defer { cleanup() }
        #expect {
            try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--weight", "weight"]).render()
        } throws: { error in
            "\(error)".contains("'0x10' is not a number")
        }
    }

    @Test func anIntervalIsNeverShownWithoutItsEstimate() throws {
        // Weights whose sums are finite but whose squares are not: the variance overflows, so the rows keep
        // their estimates and lose SE and interval (before, intervals came out of an infinite variance).
        let csv = "q01,q02,w\n5,4,1e160\n4,5,1e160\n3,4,1e160\n"
        let instrument = try Self.instrument(items: ["q01", "q02"])
        let table = try CSVReader.read(text: csv, source: "t.csv", instrument: instrument, options: CSVReadOptions(numericColumns: ["w"]))
        let result = try IndexAnalysis.run(table: table, options: IndexOptions(design: DesignSpecification(weight: "w")))
        #expect(result.estimates.count == 5)
        for row in result.estimates {
            let consistent = row.index.estimate != nil || (row.index.lower == nil && row.index.upper == nil)
            #expect(consistent, Comment(rawValue: row.id))
            #expect(row.index.standardError.map(\.isFinite) ?? true)
            #expect([row.index.lower, row.index.upper].allSatisfy { $0.map(\.isFinite) ?? true })
        }
    }

    @Test func aFileWithNoUsableRowFails() throws {
        let header = try #require(try String(contentsOfFile: Self.subset, encoding: .utf8).split(separator: "\n").first)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let headerOnly = try folder.file("header-only.csv", String(header) + "\n")
        #expect {
            try IndexCommand.parse([headerOnly, "-i", "khanhhoa-admin"]).render()
        } throws: { "\($0)".contains("no data rows") }
        // Answers written as words that are not the instrument's labels ("Rất hài lòng" now reads as 5): every row
        // is excluded, and the message says why.
        let words = String(header) + "\n" + (1...5).map { id in
            "\(id),2024,\"U01\",\"x\",\"tinh\",\"U01\",\"U01-C1\",1,\"nu\",\"18-29\",\"x\"," + Array(repeating: "Rất tốt", count: 17).joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let wordsFile = try folder.file("words.csv", words)
        #expect {
            try IndexCommand.parse([wordsFile, "-i", "khanhhoa-admin"]).render()
        } throws: { "\($0)".contains("no row can be used") && "\($0)".contains("hold words") }
    }

    @Test func repeatedRespondentIDsAreReported() throws {
        let (path, cleanup) = try subsetWith(column: "respondent_id", row: 2, value: "3")
        defer { cleanup() }
        let output = try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--format", "json"]).render()
        #expect(output.contains("value(s) of respondent_id occur on more than one row: 3 (rows 1, 2)"))
        #expect {
            try IndexCommand.parse([path, "-i", "khanhhoa-admin", "--strict"]).render()
        } throws: { "\($0)".contains("respondent_id") && "\($0)".contains("rows 1, 2") }
    }

    @Test func byAcceptsAnItemColumn() throws {
        let output = try IndexCommand.parse([Self.subset, "-i", "khanhhoa-admin", "--by", "q01", "--format", "json"]).render()
        #expect(output.contains("\"q01\""))
        #expect {
            try IndexCommand.parse([Self.subset, "-i", "khanhhoa-admin", "--by", "nosuch"]).render()
        } throws: { "\($0)".contains("respondent_id, year, unit_id") }
    }

    @Test func semicolonFilesWithCommasInTheHeaderAreDetected() throws {
        let csv = "ma phieu;q01 (thái độ, tác phong);q02\n1;5;4\n2;4;36,5\n3;3;4\n"
        let table = try CSVReader.read(text: csv, source: "s.csv", columns: ["q02"])
        #expect(table.delimiter == UInt8(ascii: ";"))
        #expect(table.columnNames == ["ma phieu", "q01 (thái độ, tác phong)", "q02"])
        // A header split at the wrong character: the error suggests --delimiter.
        let wrong = "a;b;c\n1;2;3\n"
        #expect {
            try CSVReader.read(text: wrong, source: "w.csv", instrument: Self.oneItem, options: CSVReadOptions(delimiter: UInt8(ascii: ",")))
        } throws: { "\($0)".contains("--delimiter") }
    }

    static let oneItem: Instrument = try! instrument(items: ["q01"])

    /// A one-factor likert5 instrument with the given criteria.
    static func instrument(items: [String]) throws -> Instrument {
        let criteria = items.map { "                  - {id: \($0), label: {vi: \"\($0)\", en: \"\($0)\"}, scale: likert5}" }
        return try Instrument.parse("""
            id: small
            title: {vi: "Nhỏ", en: "Small"}
            contents:
              - id: c
                label: {vi: "C", en: "C"}
                factors:
                  - id: f
                    label: {vi: "F", en: "F"}
                    criteria:
            \(criteria.joined(separator: "\n"))
            """, file: "small.yaml")
    }

    // MARK: Personal data

    @Test func valueSuggestionsNeverListCellsOfOtherColumns() throws {
        let csv = "ho_ten,dien_thoai,channel\nNguyễn Văn A,0912345678,x\nTrần Thị B,0987654321,y\n"
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("data.csv", csv)
        for option in ["dien_thoai=123", "ho_ten=Xyz"] {
            do {
                _ = try EstimateCommand.parse([path, "--proportion", option]).render()
                Issue.record("expected an error")
            } catch {
                let text = "\(error)"
                #expect(!text.contains("0912345678") && !text.contains("Nguyễn") && !text.contains("Trần"), "\(text)")
                #expect(text.contains("no row has the value"))
            }
        }
    }

    // MARK: Output files

    @Test(.requires(getuid() == 0, "making a device node needs root (CI runs as root)"))
    func outputIntoADeviceWritesInPlaceAndNeverReplacesIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-output-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A character device like /dev/null (major 1, minor 3), made here: needs root, as CI runs.
        let device = folder + "/null"
        guard mknod(device, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 else {
            Issue.record("mknod failed: \(String(cString: strerror(errno)))")
            return
        }
        try OutputFile.write("report\n", to: device)
        var status = stat()
        #expect(stat(device, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR, "the device was replaced")
        // Through a command too.
        try IndexCommand.parse([Self.subset, "-i", "khanhhoa-admin", "--output", device]).run()
        #expect(stat(device, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
        // A FIFO is written in place as well (a reader on the other end gets the bytes).
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = Locked<[UInt8]>([])
        let done = DispatchSemaphore(value: 0)
        Thread {
            let descriptor = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 256)
            while descriptor >= 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                received.withLock { $0 += buffer[0..<count] }
            }
            if descriptor >= 0 { close(descriptor) }
            done.signal()
        }.start()
        try OutputFile.write("through the pipe\n", to: fifo)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(String(decoding: received.value, as: UTF8.self) == "through the pipe\n")
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func outputFilesAreReplacedAtomicallyFoldersRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-output-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: OutputFileError.self) { try OutputFile.write("x", to: folder) }
        let nested = folder + "/a/b/out.txt"
        try OutputFile.write("one", to: nested)
        try OutputFile.write("two", to: nested)
        #expect(try String(contentsOfFile: nested, encoding: .utf8) == "two")
        // A symbolic link keeps pointing at its file, which gets the new content.
        let link = folder + "/link.txt"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: nested)
        try OutputFile.write("three", to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == nested)
        #expect(try String(contentsOfFile: nested, encoding: .utf8) == "three")
        // One-character relative names (Foundation's path functions trapped on "0"), in a child process so the
        // test process keeps its working folder; no temporary file is left behind.
        let binary = TestPaths.packageRoot.appendingPathComponent(".build/debug/sipas").path
        let run = try ChildProcess.run(binary, ["alpha", Self.subset, "--items", "q04,q05", "--output", "0"], directory: folder)
        #expect(run.status == 0, "\(run.errorText)")
        #expect(try String(contentsOfFile: folder + "/0", encoding: .utf8).contains("Cronbach"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".part") }.isEmpty)
    }
}
