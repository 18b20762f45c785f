import Foundation
import Testing
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
import SIPASInstrument
@testable import SIPASModels
@testable import SIPASCommandLine
import SIPASSupport

/// The shortcuts behind issue 7's speed must not change a number: a domain's variance from the units it
/// touches equals the variance over every row with zeros outside the domain, and results do not depend on
/// the number of threads.
@Suite("Fast paths give the same numbers")
struct FastPathTests {
    /// A reproducible design: `strata` strata, clusters of villages, FPCs at both stages, some lonely PSUs.
    func randomDesign(rows: Int, seed: UInt64, lonely: LonelyPSUPolicy, fpc: Bool) throws -> SurveyDesign {
        var rng = RandomSource(seed: seed, stream: [1])
        var strata: [String] = [], psus: [String] = [], villages: [String] = [], weights: [Double] = []
        var psuSizes: [Double] = [], villageSizes: [Double] = []
        for row in 0..<rows {
            let stratum = rng.integer(in: 0...5)
            // Stratum 5 has a single PSU (a lonely PSU unless the policy fails).
            let psu = stratum == 5 ? 0 : rng.integer(in: 0...(2 + stratum))
            strata.append("S\(stratum)"); psus.append("P\(psu)"); villages.append("V\(rng.integer(in: 0...2))")
            weights.append(1 + Double(rng.integer(in: 0...40)) / 4)
            psuSizes.append(Double(10 + stratum)); villageSizes.append(6)
            _ = row
        }
        return try SurveyDesign(rows: rows, strata: strata, stages: [psus, villages], weights: weights,
                                populationSizes: fpc ? [psuSizes, villageSizes] : nil, lonelyPSU: lonely, summary: "test")
    }

    @Test("a domain's covariance, effective df and acceleration equal the all-rows computation with zeros outside",
          arguments: [LonelyPSUPolicy.adjust, .average, .remove, .certainty])
    func domainEqualsDense(policy: LonelyPSUPolicy) throws {
        for fpc in [false, true] {
            let design = try randomDesign(rows: 400, seed: 7, lonely: policy, fpc: fpc)
            var rng = RandomSource(seed: 11, stream: [2])
            // A domain that misses whole strata and some PSUs of the strata it touches.
            let rows = (0..<400).filter { _ in rng.integer(in: 0...3) == 0 }.filter { $0 % 7 != 0 }
            let columns = (0..<3).map { _ in rows.map { _ in Double(rng.integer(in: -50...50)) / 7 } }
            var dense = [[Double]](repeating: [Double](repeating: 0, count: 400), count: 3)
            for (j, column) in columns.enumerated() { for (position, row) in rows.enumerated() { dense[j][row] = column[position] } }
            let domain = design.domain(rows: rows)
            let fast = try design.covariance(domain, columns), full = try design.covariance(dense)
            for a in 0..<3 {
                for b in 0..<3 { #expect(close(fast[a][b], full[a][b], relative: 1e-12, absolute: 1e-12), "\(policy) fpc \(fpc) [\(a),\(b)]") }
            }
            #expect(full[0][0] > 0)
            let fastDF = try #require(design.effectiveDegreesOfFreedom(domain, columns[0]))
            #expect(close(fastDF, try #require(design.effectiveDegreesOfFreedom(dense[0])), relative: 1e-12))
            let fastA = try #require(design.acceleration(domain, columns[1]))
            #expect(close(fastA, try #require(design.acceleration(dense[1])), relative: 1e-10))
        }
    }

    @Test("the one-stage formula by brute force: Σ_h n_h/(n_h−1) Σ_i (t_hi − t̄_h)² over every PSU, domain rows only")
    func bruteForceOneStage() throws {
        let strata = ["A", "A", "A", "A", "B", "B", "B", "C", "C", "C", "C", "C"]
        let psus = ["1", "1", "2", "3", "1", "2", "2", "1", "2", "3", "4", "4"]
        let design = try SurveyDesign(rows: 12, strata: strata, stages: [psus], weights: nil, populationSizes: nil,
                                      lonelyPSU: .fail, summary: "")
        // Domain: rows 0, 2 (stratum A) and 8 (stratum C); stratum B untouched.
        let values = [1.5, -2.0, 4.0]
        let domainVariance = try design.variance(design.domain(rows: [0, 2, 8]), values)
        // A: PSU totals 1.5, −2, 0 → mean −1/6; C: totals 0, 4, 0, 0 → mean 1. B: zeros.
        let totalsA: [Double] = [1.5, -2.0, 0], totalsC: [Double] = [0, 4.0, 0, 0]
        let meanA = -1.0 / 6, meanC = 1.0
        var a = 0.0, c = 0.0
        for t in totalsA { a += (t - meanA) * (t - meanA) }
        for t in totalsC { c += (t - meanC) * (t - meanC) }
        let expected: Double = a * 3 / 2 + c * 4 / 3
        #expect(close(domainVariance, expected, relative: 1e-14))
    }

    @Test("index results are identical on one thread and on several")
    func threadCountDoesNotChangeResults() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path,
                                       instrument: instrument)
        var options = IndexOptions(design: DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight"))
        options.execution.threads = 1
        let one = try IndexAnalysis.run(table: table, by: ["unit_id"], options: options)
        options.execution.threads = 3
        let several = try IndexAnalysis.run(table: table, by: ["unit_id"], options: options)
        #expect(one.estimates.count == several.estimates.count && one.estimates.count > 500)
        for (x, y) in zip(one.estimates, several.estimates) {
            #expect(x.id == y.id && x.group == y.group)
            #expect(x.index.estimate == y.index.estimate && x.index.standardError == y.index.standardError)
            #expect(x.index.lower == y.index.lower && x.index.upper == y.index.upper)
        }
    }

    @Test("binomial draws follow the binomial distribution (inversion and rejection branches, p above ½)",
          arguments: [(12, 0.3), (40, 0.05), (1_000, 0.002), (200, 0.4), (5_000, 0.37), (30, 0.9), (1, 0.5)])
    func binomialDistribution(n: Int, p: Double) {
        var rng = RandomSource(seed: 99, stream: [UInt64(n)])
        let draws = 40_000
        var sum = 0.0, squares = 0.0
        var histogram: [Int: Int] = [:]
        for _ in 0..<draws {
            let x = rng.binomial(n, p)
            #expect(x >= 0 && x <= n)
            sum += Double(x); squares += Double(x * x)
            histogram[x, default: 0] += 1
        }
        let mean = sum / Double(draws), variance = squares / Double(draws) - mean * mean
        let trueMean = Double(n) * p, trueVariance = Double(n) * p * (1 - p)
        // Five standard errors of the sample mean and about five of the sample variance.
        #expect(abs(mean - trueMean) < 5 * (trueVariance / Double(draws)).squareRoot(), "mean \(mean) vs \(trueMean)")
        #expect(abs(variance / trueVariance - 1) < 5 * (2.0 / Double(draws)).squareRoot() + 0.01, "variance \(variance) vs \(trueVariance)")
        // The most likely value's frequency against its probability (log-pmf from lgamma).
        let mode = Int((Double(n + 1) * p).rounded(.down))
        let logPMF = lgamma(Double(n + 1)) - lgamma(Double(mode + 1)) - lgamma(Double(n - mode + 1))
            + Double(mode) * log(p) + Double(n - mode) * log1p(-p)
        let probability = exp(logPMF)
        let observed = Double(histogram[mode, default: 0]) / Double(draws)
        #expect(abs(observed - probability) < 5 * (probability * (1 - probability) / Double(draws)).squareRoot() + 1e-9,
                "P(X = \(mode)) \(observed) vs \(probability)")
    }

    /// Stratified, clustered, weighted rows with Likert-like values (many ties) and their cross-product vectors.
    func crossProductCase(method: BootstrapMethod, rows: Int = 600, levels: Int = 5) throws
        -> (Bootstrap, RelativeImportance.CrossProducts, [[Double]], [Double]) {
        var rng = RandomSource(seed: 5, stream: [3])
        var strata: [String] = [], psus: [String] = [], weights: [Double] = []
        var variables = [[Double]](repeating: [], count: 3)
        for _ in 0..<rows {
            strata.append("S\(rng.integer(in: 0...2))"); psus.append("P\(rng.integer(in: 0...4))")
            weights.append(Double(1 + rng.integer(in: 0...1)))
            let base = Double(rng.integer(in: 1...levels))
            variables[0].append(base)
            variables[1].append(min(Double(levels), max(1, base + Double(rng.integer(in: -1...1)))))
            variables[2].append(Double(rng.integer(in: 1...levels)))
        }
        let design = try SurveyDesign(rows: rows, strata: strata, stages: [psus], weights: weights, populationSizes: nil,
                                      lonelyPSU: .fail, summary: "")
        let bootstrap = Bootstrap(design: design, method: method, replicates: 20, seed: 17)
        return (bootstrap, RelativeImportance.CrossProducts(variables: variables, weights: design.weights), variables, design.weights)
    }

    @Test("replicate correlations from PSU sums equal the row-by-row ones with the same draws", arguments: [BootstrapMethod.raoWu, .cluster])
    func psuSumsEqualRows(method: BootstrapMethod) throws {
        let (bootstrap, moments, variables, weights) = try crossProductCase(method: method)
        let names = ["a", "b", "y"]
        let fast = try bootstrap.replicateSums(width: moments.width, vector: moments.vector) { try moments.correlation($0, names: names) }
        for b in 0..<bootstrap.replicates {
            let replicateWeights = zip(weights, bootstrap.multipliers(b)).map { $0 * $1 }
            let slow = try RelativeImportance.correlationMatrix(variables: variables, weights: replicateWeights, names: names)
            for i in 0..<3 { for j in 0..<3 { #expect(close(fast[b][i, j], slow[i, j], relative: 1e-12, absolute: 1e-13)) } }
        }
    }

    @Test("respondent replicates: class counts are multinomial within strata and give the row-by-row correlations",
          arguments: [(600, 5), (4000, 2), (4000, 3)])
    func respondentClassesEqualRows(rows: Int, levels: Int) throws {
        let (bootstrap, moments, variables, weights) = try crossProductCase(method: .respondent, rows: rows, levels: levels)
        let names = ["a", "b", "y"]
        let fast = try bootstrap.replicateSums(width: moments.width, vector: moments.vector) { try moments.correlation($0, names: names) }
        let design = bootstrap.design
        for b in 0..<bootstrap.replicates {
            let counts = bootstrap.respondentClassCounts(width: moments.width, vector: moments.vector, replicate: b)
            // n_h draws in every stratum.
            var drawn = [Int](repeating: 0, count: design.strataCount), size = drawn
            for (row, count) in counts { drawn[design.stageParents[0][design.stageUnits[0][row]]] += count }
            for row in 0..<design.rowCount { size[design.stageParents[0][design.stageUnits[0][row]]] += 1 }
            #expect(drawn == size)
            // The same replicate row by row: each class's count on its first row.
            var multipliers = [Double](repeating: 0, count: design.rowCount)
            for (row, count) in counts { multipliers[row] = Double(count) }
            let slow = try RelativeImportance.correlationMatrix(variables: variables, weights: zip(weights, multipliers).map { $0 * $1 },
                                                                names: names)
            for i in 0..<3 { for j in 0..<3 { #expect(close(fast[b][i, j], slow[i, j], relative: 1e-12, absolute: 1e-13)) } }
        }
        // Replicates differ from each other and from the full sample.
        #expect(fast[0][0, 2] != fast[1][0, 2])
    }

    @Test("drivers reports each factor's Cronbach's alpha, equal to sipas alpha on the factor's criteria")
    func driverReliabilityEqualsAlpha() throws {
        let data = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path
        let result = try DriversCommand.parse([data, "-i", "khanhhoa-admin", "--replicates", "0"]).analyze()
        #expect(result.reliability.map(\.factor.id) == ["access", "procedures", "officials", "results", "feedback"])
        for entry in result.reliability {
            let items = entry.factor.criteria.map(\.id).joined(separator: ",")
            // The bundled file's invalid cells are 0, 6, 9 and 99; --na makes the plain reader skip them likewise.
            let alone = try AlphaCommand.parse([data, "--items", items, "--na", "9,99,0,6"]).analyze()
            let reliability = try #require(entry.result)
            #expect(reliability.observationCount == alone.observationCount)
            #expect(close(reliability.alpha, alone.alpha, relative: 1e-12))
            #expect(close(reliability.standardizedAlpha, alone.standardizedAlpha, relative: 1e-12))
            #expect(reliability.alpha > 0.5 && reliability.alpha < 1)
        }
        let json = try DriversCommand.parse([data, "-i", "khanhhoa-admin", "--replicates", "0", "--format", "json"]).render()
        #expect(json.contains("\"reliability\"") && json.contains("\"standardized_alpha\""))
    }

    @Test("a session reads a file once: later analyses reuse the table when it has their columns, and see a changed file")
    func tableCache() throws {
        // As in a session: the tables read are kept (one-shot commands read every time).
        try CommandSession.$current.withValue(CommandSession(tables: TableCache())) {
            let header = "unit_id,stratum,x,q01,q02,q03,q04,q05,q06,q07,q08,q09,q10,q11,q12,q13,q14,q15,q16,overall\n"
            let row = ",4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,5\n"
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let path = try folder.file("data.csv", header + "U1,S1,a" + row + "U2,S1,b" + row)
            var options = try DataOptions.parse([path, "-i", "khanhhoa-admin"])
            let first = try options.load(keeping: ["unit_id"])
            #expect(first.metadata.map(\.name) == ["unit_id"] && first.skippedColumns == ["stratum", "x"])
            let second = try options.load(keeping: ["stratum"])
            #expect(Set(second.metadata.map(\.name)) == ["unit_id", "stratum"])
            let third = try options.load(keeping: ["unit_id"])
            #expect(third.metadata.count == 2, "a table with more columns than asked for is reused")
            #expect(throws: (any Error).self) { try third.requireMetadata("x") }
            // The file changes: read again.
            try (header + "U9,S1,a" + row).write(toFile: path, atomically: true, encoding: .utf8)
            let changed = try options.load(keeping: ["unit_id"])
            #expect(try changed.rowCount == 1 && changed.requireMetadata("unit_id")[0] == "U9")
            options.strict = true
            #expect(try options.load().metadata.count == 3, "other options: another entry, every column")
        }
    }

    @Test("the respondent bootstrap's class counts have the multinomial mean and variance, large classes and pooled")
    func classCountMoments() throws {
        let (base, moments, _, _) = try crossProductCase(method: .respondent, rows: 4000, levels: 3)
        let bootstrap = Bootstrap(design: base.design, method: .respondent, replicates: 1, seed: 3)
        var sums: [Int: (Double, Double)] = [:]  // first row → Σ count, Σ count²
        let replicates = 400
        var sizes: [Int: Int] = [:]
        for b in 0..<replicates {
            for (row, count) in bootstrap.respondentClassCounts(width: moments.width, vector: moments.vector, replicate: b) {
                let entry = sums[row] ?? (0, 0)
                sums[row] = (entry.0 + Double(count), entry.1 + Double(count * count))
            }
        }
        // A class of f rows in a stratum of n: mean f, variance f (1 − f/n).
        let design = base.design
        var stratumRows = [Int](repeating: 0, count: design.strataCount)
        for row in 0..<design.rowCount { stratumRows[design.stageParents[0][design.stageUnits[0][row]]] += 1 }
        let classes = bootstrap.respondentClassCounts(width: moments.width, vector: moments.vector, replicate: 0)
        var expectedSize: [Int: Int] = [:]
        func vectorOf(_ row: Int) -> [Double] {
            var values = [Double](repeating: 0, count: moments.width)
            moments.vector(row, &values)
            return values
        }
        for (row, _) in classes { sizes[row] = 0; expectedSize[row] = 0 }
        // Class sizes from the rows: count rows with the same stratum, weight and vector as each class's first row.
        for row in 0..<design.rowCount {
            if let first = classes.first(where: { first in
                design.stageParents[0][design.stageUnits[0][first.row]] == design.stageParents[0][design.stageUnits[0][row]]
                    && design.weights[first.row] == design.weights[row]
                    && vectorOf(first.row) == vectorOf(row)
            }) { expectedSize[first.row]! += 1 }
        }
        #expect(expectedSize.values.contains { $0 >= ResamplingClasses.pooledBelow } && expectedSize.values.contains { $0 < ResamplingClasses.pooledBelow })
        for (row, (sum, squares)) in sums {
            let f = Double(expectedSize[row]!), n = Double(stratumRows[design.stageParents[0][design.stageUnits[0][row]]])
            let mean = sum / Double(replicates), variance = squares / Double(replicates) - mean * mean
            let trueVariance = f * (1 - f / n)
            #expect(abs(mean - f) < 5 * (trueVariance / Double(replicates)).squareRoot() + 1e-9, "class at row \(row): mean \(mean) vs \(f)")
            #expect(abs(variance / trueVariance - 1) < 0.45, "class at row \(row): variance \(variance) vs \(trueVariance)")
        }
    }
}
