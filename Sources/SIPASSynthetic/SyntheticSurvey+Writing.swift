import Foundation
import SIPASLinearAlgebra
import SIPASSupport

extension SyntheticSurvey {
    /// What the generator knows that the data only estimate.
    public struct Truth: Sendable {
        public var blankCells: [String: Int]
        public var invalidCells: [String: Int]
        public var missingCodeCells: [String: Int]
        /// OLS of overall on the five complete-data factor scores (intercept first), on the complete data.
        public var completeDataCoefficients: [Double]
        /// Per unit: the unweighted SIPAS of the complete (pre-missing, pre-invalid) answers, in percent.
        public var unitCompleteSIPAS: [Double]
    }

    public static var columns: [String] {
        ["respondent_id", "year", "unit_id", "unit_name", "unit_level", "stratum", "cluster", "weight", "gender",
         "age_group", "channel"] + factorItems.flatMap(\.items) + ["overall"]
    }

    /// Writes the CSV to `path` and returns the truth. Rows come in chunks of 100,000, each from its own
    /// random stream, so the bytes depend only on the configuration.
    @discardableResult
    public func write(to path: String) throws -> Truth {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path)
        else { throw SyntheticError.cannotWrite(path) }
        defer { try? handle.close() }
        var buffer = Self.columns.joined(separator: ",") + "\n"
        let itemNames = Self.factorItems.flatMap(\.items) + ["overall"]
        let itemFactor = Self.factorItems.enumerated().flatMap { f, entry in Array(repeating: f, count: entry.items.count) }
        var blank = [Int](repeating: 0, count: 17), invalid = [Int](repeating: 0, count: 17)
        var missingCode = [Int](repeating: 0, count: 17)
        var completeFit = StreamingLeastSquares(predictors: 6)
        var unitSums = [[Double]](repeating: [Double](repeating: 0, count: 16), count: Self.unitCount)
        var unitCounts = [Int](repeating: 0, count: Self.unitCount)
        var ageCumulative: [Double] = []
        var running = 0.0
        for share in Self.ageShares { running += share; ageCumulative.append(running) }
        var invalidCumulative: [Double] = []
        running = 0
        for share in Self.invalidShares { running += share; invalidCumulative.append(running) }

        let chunk = 100_000
        let n = configuration.respondents
        var answers = [Int](repeating: 0, count: 16)
        for (chunkIndex, low) in stride(from: 0, to: n, by: chunk).enumerated() {
            var rng = RandomSource(seed: configuration.seed, stream: [1, UInt64(chunkIndex)])
            for i in low..<min(n, low + chunk) {
                let cluster = assignment[i]
                let u = clusterUnit[cluster]
                let online = rng.uniform() < onlineShare[u]
                let age = rng.categorical(ageCumulative)
                let gender = rng.uniform() < 0.47 ? "nam" : "nu"
                let weight = units[u].population / Double(units[u].respondents) * clusterWeightAdjustment[cluster]
                    * exp(0.15 * rng.normal())
                let general = 0.55 * rng.normal()
                let specific = (0..<5).map { _ in 0.35 * rng.normal() }
                let base = units[u].latentQuality + clusterEffect[cluster] + general + (online ? 0.10 : 0)
                    + Self.ageEffects[age]
                for j in 0..<16 {
                    let f = itemFactor[j]
                    let latent = base + factorProfile[u][f] + specific[f] + Self.itemEffects[j] + 0.60 * rng.normal()
                    answers[j] = 1 + Self.cuts.reduce(0) { $0 + (latent > $1 ? 1 : 0) }
                    unitSums[u][j] += Double(answers[j])
                }
                unitCounts[u] += 1
                var factorScores = [Double](repeating: 0, count: 5)
                for j in 0..<16 { factorScores[itemFactor[j]] += Double(answers[j]) }
                for f in 0..<5 { factorScores[f] /= Double(Self.factorItems[f].items.count) }
                let linear = Self.trueIntercept + zip(Self.trueSlopes, factorScores).reduce(0) { $0 + $1.0 * $1.1 }
                let overall = Int(min(5, max(1, (linear + 0.45 * rng.normal()).rounded(.toNearestOrEven))))
                try completeFit.append([1.0] + factorScores, Double(overall))

                // Missingness, then invalid codes on the cells that are still answered.
                var cells = answers + [overall]
                var missing = (0..<16).map { _ in rng.uniform() < 0.02 }
                if rng.uniform() < 0.18 { for j in 13..<16 { missing[j] = true } }
                missing.append(rng.uniform() < 0.01)
                var text = [String](repeating: "", count: 17)
                for j in 0..<17 {
                    let makeInvalid = rng.uniform() < configuration.invalidRate
                    let code = Self.invalidCodes[rng.categorical(invalidCumulative)]
                    if missing[j] {
                        blank[j] += 1
                    } else if makeInvalid {
                        cells[j] = code
                        if code == 9 || code == 99 { missingCode[j] += 1 } else { invalid[j] += 1 }
                        text[j] = String(code)
                    } else {
                        text[j] = String(cells[j])
                    }
                }
                let unit = units[u]
                buffer += "\(i + 1),\(configuration.year),\(unit.id),\(quoted(unit.name)),\(unit.level),\(unit.id),"
                buffer += "\(clusterName[cluster]),\(String(format: "%.4f", weight)),\(gender),\(Self.ageGroups[age]),"
                buffer += online ? "truc_tuyen," : "truc_tiep,"
                buffer += text.joined(separator: ",")
                buffer += "\n"
                if buffer.utf8.count > 1 << 20 {
                    handle.write(Data(buffer.utf8))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        handle.write(Data(buffer.utf8))

        var unitSIPAS: [Double] = []
        for u in 0..<Self.unitCount {
            let criterionMeans = unitSums[u].map { $0 / Double(unitCounts[u]) }
            unitSIPAS.append(criterionMeans.reduce(0, +) / 16 / 5 * 100)
        }
        let coefficients = try completeFit.solve()
        return Truth(blankCells: Dictionary(uniqueKeysWithValues: zip(itemNames, blank)),
                     invalidCells: Dictionary(uniqueKeysWithValues: zip(itemNames, invalid)),
                     missingCodeCells: Dictionary(uniqueKeysWithValues: zip(itemNames, missingCode)),
                     completeDataCoefficients: coefficients, unitCompleteSIPAS: unitSIPAS)
    }

    /// The truth as JSON (sorted keys, so the file is byte-for-byte reproducible).
    public func truthJSON(_ truth: Truth) throws -> Data {
        let names = ["intercept"] + Self.factorItems.map(\.factor)
        let object: [String: Any] = [
            "generator": "sipas generate", "generator_version": Self.generatorVersion,
            "respondents": configuration.respondents, "seed": configuration.seed, "year": configuration.year,
            "invalid_rate": configuration.invalidRate,
            "true_model": [
                "formula": "overall = clamp(round(b0 + sum_f b_f * F_f + N(0, 0.45^2)), 1, 5); F_f = mean of the respondent's complete answers on factor f",
                "b0": Self.trueIntercept,
                "b": Dictionary(uniqueKeysWithValues: zip(Self.factorItems.map(\.factor), Self.trueSlopes)),
                "note": "rounding and clipping at 5 attenuate OLS slopes; complete_data_ols is the estimand on this file's complete data",
            ],
            "complete_data_ols": Dictionary(uniqueKeysWithValues: zip(names, truth.completeDataCoefficients)),
            "blank_cells": truth.blankCells, "invalid_cells": truth.invalidCells,
            "missing_code_cells": truth.missingCodeCells,
            "units": units.enumerated().map { index, unit in
                ["unit_id": unit.id, "unit_name": unit.name, "unit_level": unit.level, "respondents": unit.respondents,
                 "clusters": unit.clusters, "population": unit.population, "latent_quality": unit.latentQuality,
                 "sipas_complete_unweighted": truth.unitCompleteSIPAS[index]] as [String: Any]
            },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}

/// A CSV field, quoted when it contains a comma or a quote.
func quoted(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
