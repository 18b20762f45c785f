import ArgumentParser
import Foundation
import SIPASInstrument
import SIPASReport
import SIPASSupport
import SIPASSynthetic

/// `sipas generate`: deterministic synthetic survey data with known truth.
public struct GenerateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic SIPAS-like survey (CSV) and its truth (JSON).",
        discussion: """
            32 units (20 provincial departments, 12 districts) as strata, 5-20 communes per unit as clusters, \
            weights, q01-q16 and overall (likert5), gender, age group and channel. Unit and commune effects make \
            design effects real; unit indices span roughly 83-99%. The same options give the same bytes on \
            every machine. The truth file holds the true driver coefficients and the exact counts of blank, \
            missing-code and invalid cells. See docs/generator.md.
            """)

    @Option(name: .long, help: "Number of respondents (at least 1,280).") public var respondents = 2640
    @Option(name: .long, help: "Random seed.") public var seed: UInt64 = 2024
    @Option(name: .long, help: "Survey year written to the year column.") public var year = 2024
    @Option(name: .long, help: "Share of answers replaced by the codes 0, 6, 9 or 99.") public var invalidRate = 0.001
    @Option(name: .shortAndLong, help: "Output CSV file.") public var output: String
    @Option(name: .long, help: "Truth JSON file (default: OUTPUT.truth.json).") public var truth: String?
    @Option(name: .long, help: "Language of the messages: vi or en.") public var lang: Language = .vi

    public init() {}

    public func validate() throws {
        try OptionCheck.count(respondents, "--respondents", from: 1_280, to: 50_000_000)
        try OptionCheck.count(year, "--year", from: 1900, to: 2200)
        try OptionCheck.number(invalidRate, "--invalid-rate", from: 0, to: 0.5)
        // The generator keeps a few numbers per respondent (commune, unit, weights) while it writes.
        try OptionCheck.memory(bytes: Double(respondents) * 64, for: LocalizedText(vi: "tạo \(respondents) người trả lời", en: "generating \(respondents) respondents"))
    }

    public func run() throws {
        let survey = try SyntheticSurvey(.init(respondents: respondents, seed: seed, year: year, invalidRate: invalidRate))
        let facts = try OutputFile.writing(to: output) { try survey.write(to: $0) }
        let truthPath = truth ?? output + ".truth.json"
        try OutputFile.write(survey.truthJSON(facts), to: truthPath)
        let range = (facts.unitCompleteSIPAS.min() ?? 0, facts.unitCompleteSIPAS.max() ?? 0)
        let style = NumberStyle(language: lang), low = style.fixed(range.0), high = style.fixed(range.1)
        emit(lang == .vi
             ? "đã ghi \(output) (\(respondents) người trả lời, hạt giống \(seed)) và \(truthPath); SIPAS của đơn vị tính trên phiếu trả lời đủ từ \(low)% đến \(high)%\n"
             : "wrote \(output) (\(respondents) respondents, seed \(seed)) and \(truthPath); unit SIPAS of complete answers \(low)%..\(high)%\n")
    }
}
