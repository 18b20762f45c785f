import Foundation
import SIPASSupport

/// A finite population of one unit's service users with known true indices, for coverage studies.
///
/// Answers follow the same ordered-probit model as `SyntheticSurvey` (commune effects, person and
/// person × factor effects, item effects, noise; cuts −2.9, −2.2, −1.25, −0.15). Every commune has the same
/// number of residents, so a sample of communes by simple random sampling and of residents within them is
/// self-weighting.
public struct SyntheticPopulation: Sendable {
    public let communes: Int
    public let residentsPerCommune: Int
    /// answers[item][person], person = commune · residentsPerCommune + resident.
    public let answers: [[UInt8]]
    /// True criterion indices (mean score / 5 × 100) and their mean, the true SIPAS.
    public let trueCriterionIndices: [Double]
    public var trueSIPAS: Double { trueCriterionIndices.reduce(0, +) / Double(trueCriterionIndices.count) }

    /// - Parameters:
    ///   - quality: the unit's latent quality (0.45 is typical; 1.65 gives a SIPAS near 99%).
    ///   - communeSD: SD of the commune effect (0 = no clustering).
    public init(quality: Double, communes: Int = 30, residentsPerCommune: Int = 300, communeSD: Double = 0.34, seed: UInt64) {
        self.communes = communes
        self.residentsPerCommune = residentsPerCommune
        var rng = RandomSource(seed: seed, stream: [7, UInt64(bitPattern: Int64((quality * 1000).rounded()))])
        let itemFactor = SyntheticSurvey.factorItems.enumerated().flatMap { f, entry in Array(repeating: f, count: entry.items.count) }
        let size = communes * residentsPerCommune
        var answers = [[UInt8]](repeating: [UInt8](repeating: 0, count: size), count: 16)
        let profile = (0..<5).map { _ in 0.12 * rng.normal() }
        for commune in 0..<communes {
            let effect = communeSD * rng.normal()
            for resident in 0..<residentsPerCommune {
                let person = commune * residentsPerCommune + resident
                let base = quality + effect + 0.55 * rng.normal()
                let specific = (0..<5).map { _ in 0.35 * rng.normal() }
                for j in 0..<16 {
                    let f = itemFactor[j]
                    let latent = base + profile[f] + specific[f] + SyntheticSurvey.itemEffects[j] + 0.60 * rng.normal()
                    answers[j][person] = UInt8(1 + SyntheticSurvey.cuts.reduce(0) { $0 + (latent > $1 ? 1 : 0) })
                }
            }
        }
        self.answers = answers
        trueCriterionIndices = answers.map { column in Double(column.reduce(0) { $0 + Int($1) }) / Double(size) / 5 * 100 }
    }

    /// Draws `sampledCommunes` communes by simple random sampling, then `perCommune` residents in each, and
    /// blanks each answer with probability `itemMissing`. Returns answers per item and each row's commune.
    public func sample(communes sampledCommunes: Int, perCommune: Int, itemMissing: Double = 0.02,
                       rng: inout RandomSource) -> (answers: [[Int?]], commune: [String]) {
        var communeOrder = Array(0..<communes)
        for i in 0..<sampledCommunes { communeOrder.swapAt(i, rng.integer(in: i...(communes - 1))) }
        var people: [Int] = [], labels: [String] = []
        for commune in communeOrder.prefix(sampledCommunes) {
            var residents = Array(0..<residentsPerCommune)
            for i in 0..<perCommune { residents.swapAt(i, rng.integer(in: i...(residentsPerCommune - 1))) }
            for resident in residents.prefix(perCommune) {
                people.append(commune * residentsPerCommune + resident)
                labels.append("C\(commune)")
            }
        }
        let sampled = answers.map { column in
            people.map { person -> Int? in rng.uniform() < itemMissing ? nil : Int(column[person]) }
        }
        return (sampled, labels)
    }

    /// A simple random sample of `n` residents from the whole population (no clustering).
    public func sampleRespondents(_ n: Int, itemMissing: Double = 0.02, rng: inout RandomSource) -> [[Int?]] {
        let size = communes * residentsPerCommune
        var chosen = Set<Int>()
        var people: [Int] = []
        while people.count < n {
            let person = rng.integer(in: 0...(size - 1))
            if chosen.insert(person).inserted { people.append(person) }
        }
        return answers.map { column in people.map { person -> Int? in rng.uniform() < itemMissing ? nil : Int(column[person]) } }
    }
}
