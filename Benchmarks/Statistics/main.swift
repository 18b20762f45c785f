// The sufficient-statistics benchmark: `index --by unit_id` on a data file through the row path
// (`IndexAnalysis.run`) and through `IndexStatistics` (collect, then infer), timed, with the largest
// difference between them. A program that prints numbers, not a test.
//
//     swift build -c release --product sipas-bench-statistics
//     .build/release/sipas-bench-statistics DATA.csv
import Foundation
import SIPASData
import SIPASDesign
import SIPASEstimation
import SIPASInstrument

func seconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else { print("usage: sipas-bench-statistics DATA.csv"); exit(2) }
let instrument = try InstrumentPreset.named("khanhhoa-admin")!
let (table, readTime) = try seconds { try CSVReader.read(path: arguments[1], instrument: instrument) }
print("read \(table.rowCount) rows: \(String(format: "%.2f", readTime)) s")
let designs: [(String, DesignSpecification)] = [
    ("strata + clusters + weights", DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight")),
    ("weights only (two passes)", DesignSpecification(weight: "weight")),
]
for (name, design) in designs {
    let options = IndexOptions(design: design)
    let (rows, rowTime) = try seconds { try IndexAnalysis.run(table: table, by: ["unit_id"], options: options).estimates }
    let ((collector, statistics), collectTime) = try seconds { () throws -> (IndexStatistics.Collector, IndexStatistics) in
        let collector = try IndexStatistics.Collector(table: table, by: ["unit_id"], options: options)
        return (collector, collector.statistics())
    }
    let (estimates, inferTime) = try seconds { try statistics.estimates(options: options, design: collector.design) }
    var largest = 0.0, compared = 0
    for (a, b) in zip(estimates, rows) {
        for (x, y) in [(a.index, b.index), (a.shareSatisfied, b.shareSatisfied)] {
            guard let x, let y, let se = y.standardError, se > 1e-9 else { continue }  // zero variance: rounding residue
            for (u, v) in [(x.estimate, y.estimate), (x.standardError, y.standardError), (x.lower, y.lower), (x.upper, y.upper)] {
                guard let u, let v else { continue }
                largest = max(largest, abs(u - v) / max(abs(v), 1))
                compared += 1
            }
        }
    }
    print("\(name): rows \(String(format: "%.2f", rowTime)) s; statistics \(String(format: "%.2f", collectTime)) s to collect "
          + "(\(statistics.cells.count) cells) + \(String(format: "%.3f", inferTime)) s to infer; "
          + "\(estimates.count) vs \(rows.count) rows, largest difference \(largest) over \(compared) numbers")
}
