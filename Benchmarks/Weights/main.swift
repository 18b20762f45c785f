// The raking benchmark of docs/performance-weights.md (scripts/bench-weights.sh runs it from a release build).
//
// A synthetic sample of N rows (default 1,000,000) with unequal design weights and three margins of 64, 64
// and 64 categories (override with BENCH_CATEGORIES=64,32,8), drawn from skewed shares; the targets are a
// population with other shares (every margin summing to the same N). It times, REPEAT times (default 5):
//   calibrate   CalibrationSpecification.calibrate: cells, iterative proportional fitting to 1e-10, the
//               weights, the targets table and the variance adjustment
//   prepare     SurveyDesign.calibrated: the per-unit sums of w·x the variance needs (once per design)
//   residuals   one estimate's variance on the calibrated design, calibration residuals included
// and prints per run "calibrate SECONDS ITERATIONS CELLS MAX_RELATIVE_ERROR", "prepare SECONDS", "residuals SECONDS".
// It asserts nothing.
import Foundation
import SIPASDesign
import SIPASSupport

let environment = ProcessInfo.processInfo.environment
let n = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000
let categories = (environment["BENCH_CATEGORIES"] ?? "64,64,64").split(separator: ",").compactMap { Int($0) }
let repeats = Int(environment["REPEAT"] ?? "") ?? 5
let method = CalibrationMethod(rawValue: environment["BENCH_METHOD"] ?? "rake") ?? .rake

var random = RandomSource(seed: 20_261_202)
var codes: [[Int32]] = []
var margins: [CalibrationMargin] = []
for (m, k) in categories.enumerated() {
    // Sample shares ∝ (1 + j)^-0.7 in a margin-specific order; population shares ∝ 1 + 0.5 sin(j).
    let sampleShares = (0..<k).map { pow(Double(1 + ($0 * (m + 3)) % k), -0.7) }
    var cumulative: [Double] = []
    var running = 0.0
    for share in sampleShares { running += share; cumulative.append(running) }
    cumulative = cumulative.map { $0 / running }
    codes.append((0..<n).map { _ in Int32(random.categorical(cumulative)) })
    let population = (0..<k).map { 1 + 0.5 * sin(Double($0)) }
    let total = population.reduce(0, +)
    margins.append(CalibrationMargin(variables: ["v\(m + 1)"], categories: (0..<k).map { ["c\($0 + 1)"] },
                                     counts: population.map { $0 / total * 5_000_000 }))
}
// Every category occurs (the smallest sample share is far above 1/n at these sizes).
let weights = (0..<n).map { _ in 0.5 + 4 * random.uniform() }
let specification = CalibrationSpecification(method: method, margins: margins, tolerance: 1e-10, maxIterations: 10_000)
let data = CalibrationData(marginCodes: codes, numeric: [], rowCount: n)
let influence = (0..<n).map { _ in random.normal() }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

print("rows \(n) margins \(categories.map(String.init).joined(separator: "x")) method \(method.rawValue)")
for _ in 0..<repeats {
    var result: CalibrationResult?
    let time = try seconds { result = try specification.calibrate(data, weights: weights) }
    let cells = Set((0..<n).map { i in codes.indices.reduce(0) { $0 * 64 + Int(codes[$1][i]) } }).count
    print("calibrate \(String(format: "%.4f", time)) \(result!.iterations) \(cells) \(String(format: "%.2e", result!.maxRelativeError))")
    var design = SurveyDesign.simpleRandomSample(rows: n)
    let prepareTime = seconds { design = design.calibrated(result!) }
    print("prepare \(String(format: "%.4f", prepareTime))")
    var variance = 0.0
    let residualTime = try seconds { variance = try design.variance(influence) }
    print("residuals \(String(format: "%.4f", residualTime)) \(variance)")
}
