import ArgumentParser

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
                      SampleCommand.self, InstrumentCommand.self, GenerateCommand.self, CoverageCommand.self],
        defaultSubcommand: ReplCommand.self)

    public init() {}
}

/// Writes command output to standard output, flushing once.
func emit(_ text: String) {
    Terminal.show(text)
}
