import Foundation
import SIPASData
import SIPASDesign
import SIPASInstrument
import Testing
import SIPASSupport

/// A bounded, seeded mutation fuzz of the readers: byte flips, insertions, deletions, duplicated spans and
/// special bytes (quotes, delimiters, line ends, NUL, invalid UTF-8) applied to real fixture files. Every input
/// must give a table or a located error; a trap would end the test process. Same inputs on every run (seeded).
struct ReaderFuzzTests {
    /// Inputs per reader: 3,000 in the suite; SIPAS_FUZZ_ITERATIONS sets more for a longer run by hand.
    static let iterations = Int(ProcessInfo.processInfo.environment["SIPAS_FUZZ_ITERATIONS"] ?? "") ?? 3_000

    static let specials: [UInt8] = [0x22, 0x2C, 0x3B, 0x0A, 0x0D, 0x00, 0xC3, 0xFF, 0xEF, 0xBB, 0xBF, 0x09, 0x20, 0x39]

    static func mutate(_ seed: [UInt8], _ random: inout RandomSource) -> [UInt8] {
        var bytes = seed
        let edits = 1 + Int(random.next() % 8)
        for _ in 0..<edits {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            switch random.next() % 6 {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(truncatingIfNeeded: 1 << (random.next() % 8))
            case 1: bytes.insert(specials[Int(random.next() % UInt64(specials.count))], at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3 where !bytes.isEmpty:
                let length = min(bytes.count - position, 1 + Int(random.next() % 40))
                bytes.insert(contentsOf: bytes[position..<(position + length)], at: position)
            case 4 where !bytes.isEmpty: bytes[position] = specials[Int(random.next() % UInt64(specials.count))]
            default: bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }

    @Test func csvReaderSurvivesMutatedFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let subset = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("design/sipas-subset.csv")))
        let seeds: [(bytes: [UInt8], instrument: Instrument)] = [
            (Array(subset.prefix(2_000)), try #require(try InstrumentPreset.named("khanhhoa-admin"))),
            (Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("good-csv/plain.csv")))),
             try Instrument.load(path: TestPaths.fixture("mini.yaml"))),
            (Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("good-csv/bom-semicolon-crlf-nfd.csv")))),
             try Instrument.load(path: TestPaths.fixture("mini.yaml"))),
        ]
        var random = RandomSource(seed: 20_241_201)
        var tables = 0, errors = 0
        let path = folder.path("fuzz.csv")
        for iteration in 0..<Self.iterations {
            let seed = seeds[iteration % seeds.count]
            let input = Self.mutate(seed.bytes, &random)
            try Data(input).write(to: URL(fileURLWithPath: path))
            for options in [CSVReadOptions(), CSVReadOptions(strict: true), CSVReadOptions(numericColumns: ["weight"])] {
                do {
                    _ = try CSVReader.read(path: path, instrument: seed.instrument, options: options)
                    tables += 1
                } catch let error as DataError {
                    errors += 1
                    #expect(!error.description.isEmpty)
                } catch {
                    errors += 1
                }
            }
            do { _ = try CSVReader.read(path: path, columns: nil); tables += 1 } catch { errors += 1 }
        }
        // Both outcomes occur, so the mutations reach past the header and the checks are exercised.
        #expect(tables > 100 && errors > 100, "tables \(tables), errors \(errors)")
    }

    @Test func instrumentReaderSurvivesMutatedFiles() throws {
        let seeds = [try String(contentsOfFile: TestPaths.fixture("mini.yaml"), encoding: .utf8),
                     try #require(InstrumentPreset.yaml(named: "khanhhoa-admin"))]
        var random = RandomSource(seed: 7)
        var instruments = 0, errors = 0
        for iteration in 0..<Self.iterations {
            let input = Self.mutate(Array(seeds[iteration % seeds.count].utf8), &random)
            do {
                _ = try Instrument.parse(String(decoding: input, as: UTF8.self), file: "fuzz.yaml")
                instruments += 1
            } catch {
                errors += 1
            }
        }
        #expect(instruments > 10 && errors > 100, "instruments \(instruments), errors \(errors)")
    }
}
