import ArgumentParser
import SIPASInstrument

/// The `sipas` command: one-shot subcommands for citizen-satisfaction survey analysis.
public struct SIPASCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sipas",
        abstract: "Citizen-satisfaction (SIPAS) survey indices with 95% confidence intervals.",
        discussion: """
            Start with the bundled dataset:
              sipas index datasets/sipas-2024-synthetic.csv --instrument khanhhoa-admin
              sipas index datasets/sipas-2024-synthetic.csv --instrument khanhhoa-admin --by unit_id --format json
            """,
        version: "0.1.0",
        subcommands: [ReplCommand.self, RunCommand.self, IndexCommand.self, EstimateCommand.self, CompareCommand.self,
                      RegressCommand.self, DriversCommand.self, ImportanceCommand.self, ReportCommand.self, PrepareCommand.self, AlphaCommand.self,
                      FactorsCommand.self, OrderedLogitCommand.self, WeightsCommand.self,
                      SampleCommand.self, StoreCommand.self, TrendCommand.self, InstrumentCommand.self, GenerateCommand.self, CoverageCommand.self],
        defaultSubcommand: ReplCommand.self)

    public init() {}

    /// The language a command line asked for (`--lang en`, `--lang=en`), Vietnamese when it names none: errors
    /// raised while running the command are told in it, as its output is.
    public static func language(of arguments: [String]) -> Language {
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let word = arguments[index]
            if word == "--lang", index + 1 < arguments.count, let language = Language(rawValue: arguments[index + 1]) { return language }
            if word.hasPrefix("--lang="), let language = Language(rawValue: String(word.dropFirst("--lang=".count))) { return language }
            index += 1
        }
        return .vi
    }
}

/// Writes command output to standard output, flushing once.
func emit(_ text: String) {
    Terminal.show(text)
}
