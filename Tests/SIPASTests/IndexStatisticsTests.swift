import Foundation
import Testing
@testable import SIPASData
@testable import SIPASDesign
@testable import SIPASEstimation
import SIPASInstrument
import SIPASSupport

/// Issue 20 part 2: the index from mergeable sufficient statistics equals the index from rows, on every design
/// the statistics can express, and statistics of shards added are the statistics of the whole.
///
/// Tolerance: every number (estimate, SE, bounds, design effect, effective df) within 1e-12 relative, or
/// 1e-12 absolute near 0; counts, degrees of freedom, methods and notes exactly.
@Suite("Index statistics give the row path's numbers")
struct IndexStatisticsTests {
    static let syntheticPath = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path

    /// The bundled synthetic survey with a second-stage unit (`village`, three per cluster) and population
    /// sizes: `fpc1` PSUs per stratum (2 × sampled + 1), `fpc2` villages per cluster (sampled + 2), and
    /// `fpc_rows` respondents per stratum (10 × sampled, for a one-stage design without clusters).
    static func augmentedSynthetic(_ folder: TemporaryFolder) throws -> ResponseTable {
        // The extra columns go at the end of each line; the labels they derive from are read as the reader reads them.
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let original = try CSVReader.read(path: syntheticPath, instrument: instrument)
        let text = try String(contentsOfFile: syntheticPath, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        try #require(lines.count == original.rowCount && original.emptyLineRows.isEmpty)
        let stratum = try original.requireMetadata("stratum"), cluster = try original.requireMetadata("cluster")
        let id = try original.requireMetadata("respondent_id")
        var clusters: [String: Set<String>] = [:], villages: [String: Set<String>] = [:], rows: [String: Int] = [:]
        func village(_ row: Int) -> String { "V\(Int(id[row])! % 3)" }
        for row in 0..<original.rowCount {
            clusters[stratum[row], default: []].insert(cluster[row])
            villages[cluster[row], default: []].insert(village(row))
            rows[stratum[row], default: 0] += 1
        }
        var output = header + ",village,fpc1,fpc2,fpc_rows\n"
        for (row, line) in lines.enumerated() {
            output += line + ",\(village(row)),\(2 * clusters[stratum[row]]!.count + 1),\(villages[cluster[row]]!.count + 2),\(10 * rows[stratum[row]]!)\n"
        }
        return try CSVReader.read(path: try folder.file("synthetic.csv", output), instrument: instrument)
    }

    /// A Lai Châu survey (criteria, interval-scale perception and expectation items, nominal and multi-select
    /// items) of 900 respondents in 4 strata × 5 clusters, with 10% of criterion answers blank.
    static func laiChau(_ folder: TemporaryFolder) throws -> ResponseTable {
        let instrument = try #require(try InstrumentPreset.named("laichau-full"))
        let items = instrument.criteria + instrument.perception + instrument.expectation
        var rng = RandomSource(seed: 20, stream: [2])
        var output = (["stratum", "cluster", "weight", "region"] + items.map(\.id)).joined(separator: ",") + "\n"
        for _ in 0..<900 {
            let stratum = rng.integer(in: 0...3)
            var fields = ["S\(stratum)", "S\(stratum)-C\(rng.integer(in: 0...4))", "\(1 + Double(rng.integer(in: 0...30)) / 7)",
                          ["north", "south", "centre"][rng.integer(in: 0...2)]]
            for item in items {
                if rng.integer(in: 0...9) == 0 { fields.append(""); continue }
                switch item.scale {
                case .likert5: fields.append("\(min(5, max(1, 3 + stratum % 2 + rng.integer(in: -2...1))))")
                case .interval4: fields.append("\(rng.integer(in: 1...4))")
                case .nominal(let categories):
                    let first = categories[rng.integer(in: 0...(categories.count - 1))].code
                    if item.multiSelect && rng.integer(in: 0...1) == 0 {
                        fields.append("\(first)|\(categories[rng.integer(in: 0...(categories.count - 1))].code)")
                    } else {
                        fields.append("\(first)")
                    }
                }
            }
            output += fields.joined(separator: ",") + "\n"
        }
        return try CSVReader.read(path: try folder.file("laichau.csv", output), instrument: instrument)
    }

    /// Expects two index results to agree row by row; returns the largest difference.
    @discardableResult
    static func compare(_ statistics: [IndexEstimate], _ rows: [IndexEstimate], _ label: String) -> Double {
        #expect(statistics.count == rows.count, "\(label): row count")
        var largest = 0.0, degenerate = 0
        func number(_ a: Double?, _ b: Double?, _ what: String) {
            guard let b else { #expect(a == nil, "\(label) \(what): \(a!) where rows give none"); return }
            guard let a else { Issue.record("\(label) \(what): none where rows give \(b)"); return }
            largest = max(largest, abs(a - b) / max(abs(b), 1))
            #expect(close(a, b, relative: 1e-12, absolute: 1e-12), "\(label) \(what): \(a) vs \(b)")
        }
        func percent(_ a: PercentEstimate?, _ b: PercentEstimate?, _ what: String) {
            guard let b else { #expect(a == nil, "\(label) \(what)"); return }
            guard let a else { Issue.record("\(label) \(what): missing"); return }
            if let se = b.standardError, se < 1e-9 {
                // Every answer one score: the row path's variance is rounding residue (≈ 1e-30, see
                // IndexFormulaTests' zero-width test), and the design effect, Satterthwaite df and Korn–Graubard
                // lower bound derived from it are noise; only the estimate and a ≈ 0 SE are reproducible.
                number(a.estimate, b.estimate, "\(what) estimate (zero variance)")
                #expect((a.standardError ?? 0) < 1e-9, "\(label) \(what): SE \(a.standardError ?? .nan) where rows give \(se)")
                number(a.upper, b.upper, "\(what) upper (zero variance)")
                degenerate += 1
                return
            }
            number(a.estimate, b.estimate, "\(what) estimate")
            number(a.standardError, b.standardError, "\(what) SE")
            number(a.lower, b.lower, "\(what) lower")
            number(a.upper, b.upper, "\(what) upper")
            number(a.designEffect, b.designEffect, "\(what) deff")
            number(a.effectiveDegreesOfFreedom, b.effectiveDegreesOfFreedom, "\(what) effective df")
            #expect(a.degreesOfFreedom == b.degreesOfFreedom, "\(label) \(what) df")
            #expect(a.method == b.method, "\(label) \(what) method")
        }
        for (a, b) in zip(statistics, rows) {
            let row = "\(label) \(b.id) \(b.group.map(\.value))"
            #expect(a.kind == b.kind && a.id == b.id && a.group == b.group, "\(row): a different row (\(a.id))")
            #expect(a.n == b.n && a.answerCounts == b.answerCounts && a.criteriaCount == b.criteriaCount, "\(row): counts")
            if !((b.index.standardError ?? 1) < 1e-9) {
                #expect(a.notes == b.notes, "\(row): notes \(a.notes) vs \(b.notes)")
            }
            #expect(a.label == b.label, "\(row): label")
            percent(a.index, b.index, "\(row) index")
            percent(a.shareSatisfied, b.shareSatisfied, "\(row) share")
        }
        #expect(degenerate < statistics.count, "\(label): mostly zero-variance rows (of 2 per row), little compared")
        return largest
    }

    /// Both paths on `table`; returns the largest difference.
    @discardableResult
    static func bothPaths(_ table: ResponseTable, by: [String], options: IndexOptions, _ label: String) throws -> Double {
        let rows = try IndexAnalysis.run(table: table, by: by, options: options).estimates
        let collector = try IndexStatistics.Collector(table: table, by: by, options: options)
        let statistics = try collector.statistics().estimates(options: options, design: collector.design)
        #expect(rows.contains { $0.index.standardError != nil }, "\(label): nothing to compare")
        return compare(statistics, rows, label)
    }

    static func options(_ design: DesignSpecification, _ method: IntervalMethod = .beta,
                        df: IntervalDegreesOfFreedom = .satterthwaite) -> IndexOptions {
        var options = IndexOptions(intervalMethod: method, design: design)
        options.intervalDegreesOfFreedom = df
        return options
    }

    /// The designs of the synthetic survey, with the interval settings the statistics can express for each.
    static let syntheticDesigns: [(String, DesignSpecification, IntervalDegreesOfFreedom)] = [
        ("no design", DesignSpecification(), .satterthwaite),
        ("no design, design df", DesignSpecification(), .design),
        ("weights only", DesignSpecification(weight: "weight"), .satterthwaite),
        ("strata", DesignSpecification(strata: "stratum", weight: "weight"), .satterthwaite),
        ("strata, design df", DesignSpecification(strata: "stratum", weight: "weight"), .design),
        ("strata + FPC, respondents as units", DesignSpecification(strata: "stratum", weight: "weight", fpc: ["fpc_rows"]), .satterthwaite),
        ("clusters", DesignSpecification(clusters: ["cluster"], weight: "weight"), .satterthwaite),
        ("strata + clusters", DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight"), .satterthwaite),
        ("strata + clusters + FPC", DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight", fpc: ["fpc1"]), .satterthwaite),
        // Some clusters have a single village: a lonely second-stage unit, adjusted.
        ("two stages, FPC at both", DesignSpecification(strata: "stratum", clusters: ["cluster", "village"], weight: "weight",
                                                        fpc: ["fpc1", "fpc2"], lonelyPSU: .adjust), .satterthwaite),
        ("two stages, FPC at both, no weights", DesignSpecification(strata: "stratum", clusters: ["cluster", "village"],
                                                                    fpc: ["fpc1", "fpc2"], lonelyPSU: .certainty), .satterthwaite),
    ]

    @Test("the synthetic survey: every design, the whole sample and domains (by unit, by gender), Korn–Graubard intervals")
    func syntheticDesignsAgree() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = try Self.augmentedSynthetic(folder)
        var largest = 0.0
        for (name, design, df) in Self.syntheticDesigns {
            for by in [[], ["unit_id"], ["gender", "channel"]] {
                largest = max(largest, try Self.bothPaths(table, by: by, options: Self.options(design, df: df), "\(name) by \(by)"))
            }
        }
        print("IndexStatisticsTests synthetic designs: largest relative difference \(largest)")
    }

    @Test("every analytic interval method, and the design's df for bounded intervals with clusters",
          arguments: [IntervalMethod.t, .logit, .beta, .wilson])
    func intervalMethodsAgree(method: IntervalMethod) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = try Self.augmentedSynthetic(folder)
        for (name, design, df) in Self.syntheticDesigns {
            try Self.bothPaths(table, by: ["unit_level"], options: Self.options(design, method, df: df), "\(name) \(method)")
        }
        let clustered = DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight", fpc: ["fpc1"])
        try Self.bothPaths(table, by: ["unit_id"], options: Self.options(clustered, method, df: .design), "clustered \(method), design df")
    }

    @Test("the design fixture sipas-subset.csv (missing answers) without a design and with strata and clusters")
    func fixtureAgrees() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: TestPaths.fixture("design/sipas-subset.csv"), instrument: instrument)
        #expect(table.items.contains { $0.blankCount > 0 }, "the fixture has missing answers")
        for by in [[], ["unit_id"]] {
            try Self.bothPaths(table, by: by, options: Self.options(DesignSpecification(), .t), "subset, no design, by \(by)")
            try Self.bothPaths(table, by: by, options: Self.options(DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight",
                                                                                        lonelyPSU: .adjust)),
                               "subset, strata + clusters, by \(by)")
        }
    }

    @Test("lonely PSUs under every policy but fail: a domain design where single-PSU strata appear",
          arguments: [LonelyPSUPolicy.adjust, .average, .remove, .certainty])
    func lonelyPoliciesAgree(policy: LonelyPSUPolicy) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = try Self.augmentedSynthetic(folder)
        // Strata by unit level, clusters by unit: levels with one unit have a lonely PSU.
        let design = DesignSpecification(strata: "unit_level", clusters: ["unit_id"], weight: "weight", lonelyPSU: policy)
        try Self.bothPaths(table, by: ["gender"], options: Self.options(design), "lonely \(policy)")
    }

    @Test("nominal, multi-select and interval-scale items (Lai Châu), with and without a design")
    func nominalItemsAgree() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = try Self.laiChau(folder)
        let designs: [(DesignSpecification, IntervalDegreesOfFreedom)] = [
            (DesignSpecification(), .design), (DesignSpecification(), .satterthwaite),
            (DesignSpecification(strata: "stratum", weight: "weight"), .satterthwaite),
            (DesignSpecification(strata: "stratum", clusters: ["cluster"], weight: "weight"), .satterthwaite),
        ]
        for (design, df) in designs {
            for by in [[], ["region"]] {
                let options = Self.options(design, df: df)
                let rows = try IndexAnalysis.run(table: table, by: by, options: options).estimates
                #expect(rows.contains { $0.id.contains(":") && $0.index.standardError != nil }, "nominal categories are estimated")
                #expect(rows.contains { $0.kind == .perception && $0.index.standardError != nil })
                try Self.bothPaths(table, by: by, options: options, "Lai Châu \(design.summary) by \(by)")
            }
        }
    }

    /// Expects two statistics to hold the same keys, the same counts and sums within 1e-12.
    static func expectSame(_ a: IndexStatistics, _ b: IndexStatistics, _ label: String) {
        #expect(Set(a.cells.keys) == Set(b.cells.keys), "\(label): cell keys")
        #expect(Set(a.strata.keys) == Set(b.strata.keys), "\(label): stratum keys")
        func sums(_ x: [Double], _ y: [Double], _ what: String) {
            #expect(x.count == y.count)
            for (u, v) in zip(x, y) where !close(u, v, relative: 1e-12, absolute: 1e-9) { Issue.record("\(label) \(what): \(u) vs \(v)"); return }
        }
        for (key, cell) in b.cells {
            guard let other = a.cells[key] else { continue }
            #expect(other.answers == cell.answers && other.scoreCounts == cell.scoreCounts && other.respondents == cell.respondents
                    && other.nominalAnswers == cell.nominalAnswers && other.chosen == cell.chosen, "\(label) \(key): counts")
            sums(other.weight, cell.weight, "weight"); sums(other.score, cell.score, "score"); sums(other.topTwo, cell.topTwo, "top two")
            sums(other.respondentWeight, cell.respondentWeight, "respondent weight")
            sums(other.nominalWeight, cell.nominalWeight, "nominal weight"); sums(other.chosenWeight, cell.chosenWeight, "chosen weight")
        }
        for (key, cell) in b.strata {
            guard let other = a.strata[key] else { continue }
            for (x, y) in [(other.crossProducts, cell.crossProducts)] + (cell.squaredCrossProducts.map { [(other.squaredCrossProducts!, $0)] } ?? []) {
                sums(x.scoreScore, y.scoreScore, "ΣwYY"); sums(x.scoreAnswer, y.scoreAnswer, "ΣwYa"); sums(x.answerAnswer, y.answerAnswer, "Σwaa")
                sums(x.topTop, y.topTop, "ΣwTT"); sums(x.topAnswer, y.topAnswer, "ΣwTa")
            }
        }
    }

    @Test("statistics of shards added are the statistics of the whole: shards by stratum and by row ranges")
    func shardsMerge() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = try Self.augmentedSynthetic(folder)
        let cases: [(DesignSpecification, IntervalDegreesOfFreedom)] = [
            (DesignSpecification(strata: "stratum", clusters: ["cluster", "village"], weight: "weight", fpc: ["fpc1", "fpc2"],
                                 lonelyPSU: .adjust), .satterthwaite),
            (DesignSpecification(strata: "stratum", weight: "weight"), .design),
            (DesignSpecification(strata: "stratum", weight: "weight"), .satterthwaite),
        ]
        let stratum = try table.requireMetadata("stratum")
        for (design, df) in cases {
            let options = Self.options(design, df: df)
            let collector = try IndexStatistics.Collector(table: table, by: ["unit_id", "gender"], options: options)
            let whole = collector.statistics()
            var byStratum: [UInt32: [Int]] = [:]
            for row in 0..<table.rowCount { byStratum[stratum.codes[row], default: []].append(row) }
            let n = table.rowCount
            let ranges = [0..<1, 1..<517, 517..<1234, 1234..<(n - 3), (n - 3)..<n]
            let rows = try IndexAnalysis.run(table: table, by: ["unit_id", "gender"], options: options).estimates
            for (name, rowShards) in [("by stratum", Array(byStratum.values)), ("by row range", ranges.map { Array($0) })] {
                let firstPass = rowShards.map { collector.statistics(rows: $0) }
                let means = firstPass.dropFirst().reduce(firstPass[0], +)
                // The second pass of each shard with the merged first pass's means.
                let shards = firstPass.enumerated().map { index, statistics in
                    var statistics = statistics
                    if collector.needsPowerSums { statistics.powerSums = collector.powerSums(rows: rowShards[index], means: means) }
                    return statistics
                }
                let merged = shards.dropFirst().reduce(shards[0], +)
                #expect((merged.powerSums == nil) == !collector.needsPowerSums)
                if let powers = merged.powerSums, let all = whole.powerSums {
                    #expect(Set(powers.keys) == Set(all.keys))
                    for (key, sums) in all {
                        for (a, b) in zip(powers[key]!, sums) where !close(a, b, relative: 1e-12, absolute: 1e-9) {
                            Issue.record("\(name) power sums \(key): \(a) vs \(b)"); break
                        }
                    }
                }
                Self.expectSame(merged, whole, "\(design.summary) \(name)")
                Self.compare(try merged.estimates(options: options, design: collector.design), rows, "\(design.summary) merged \(name)")
                // Merging in another order gives the same statistics.
                Self.expectSame(shards.reversed().dropFirst().reduce(shards.last!, +), whole, "\(design.summary) \(name), reversed")
            }
            // A shard alone is a smaller sample, not the whole: its statistics differ.
            #expect(collector.statistics(rows: byStratum.values.first!).cells.count < whole.cells.count)
        }
    }

    @Test("what needs rows is refused with a reason, not a crash")
    func refusals() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        let table = try CSVReader.read(path: Self.syntheticPath, instrument: instrument)
        func reason(_ options: IndexOptions) -> StatisticsUnavailable? {
            do { _ = try IndexStatistics.Collector(table: table, options: options); return nil } catch let error as StatisticsUnavailable {
                return error
            } catch { Issue.record("\(error)"); return nil }
        }
        #expect(reason(IndexOptions()) == nil)
        #expect(reason(IndexOptions(design: DesignSpecification(clusters: ["cluster"]))) == nil)
        #expect(reason(IndexOptions(intervalMethod: .percentile, design: DesignSpecification(clusters: ["cluster"]))) == .bootstrapInterval)
        #expect(reason(IndexOptions(intervalMethod: .bca)) == .bootstrapInterval)
        let calibrated = try DesignSpecification.load(path: TestPaths.fixture("calibration/sipas-rake.yaml"))
        #expect(reason(IndexOptions(intervalMethod: .t, design: calibrated)) == .calibratedDesign)
        var influence = IndexOptions(design: DesignSpecification(clusters: ["cluster"]))
        influence.keepInfluence = true
        #expect(reason(influence) == .influenceValues)
        // The default interval (Korn–Graubard with Satterthwaite's df) without clusters needs Σ z³, Σ z⁴: the
        // first pass alone is refused, with the second it is the row path's.
        let collector = try IndexStatistics.Collector(table: table, options: IndexOptions())
        #expect(collector.needsPowerSums)
        let first = collector.statistics(rows: 0..<table.rowCount)
        #expect(throws: StatisticsUnavailable.powerSumsNeeded) { try first.estimates(options: IndexOptions(), design: nil) }
        #expect(throws: StatisticsUnavailable.bootstrapInterval) {
            try first.estimates(options: IndexOptions(intervalMethod: .percentile), design: nil)
        }
        var complete = first
        complete.powerSums = collector.powerSums(rows: 0..<table.rowCount, means: first)
        Self.compare(try complete.estimates(options: IndexOptions(), design: nil), try IndexAnalysis.run(table: table).estimates, "two passes")
        #expect(!(try IndexStatistics.Collector(table: table, options: IndexOptions(intervalMethod: .t)).needsPowerSums))
    }
}
