import ArgumentParser
import SIPASInstrument

/// `sipas instrument`: list, show and check questionnaires.
public struct InstrumentCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "instrument",
        abstract: "List the preset instruments, print one, or check an instrument file.",
        subcommands: [List.self, Show.self, Check.self])

    public init() {}

    public struct List: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "List the preset instruments.")
        public init() {}
        public func render() throws -> String {
            try InstrumentPreset.names.map { name in
                let instrument = try InstrumentPreset.named(name)!
                return "\(name)  \(instrument.criteria.count) criteria, \(instrument.contents.flatMap(\.factors).count) factors — \(instrument.title.en)"
            }.joined(separator: "\n") + "\n"
        }
        public func run() throws { emit(try render()) }
    }

    public struct Show: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Print a preset as YAML (to copy and edit) or an instrument's structure as an outline.")
        @Argument(help: "Preset name or instrument file.") public var instrument: String
        @Flag(name: .long, help: "Print the structure as an outline instead of YAML.") public var outline = false
        @Option(name: .long, help: "Language of the outline: vi or en.") public var lang: Language = .vi
        public init() {}

        public func render() throws -> String {
            if !outline, let yaml = InstrumentPreset.yaml(named: instrument) { return yaml + "\n" }
            let parsed = try Instrument.resolve(instrument)
            var lines = ["\(parsed.id): \(parsed.title.text(lang))"]
            for content in parsed.contents {
                lines.append("  \(content.id): \(content.label.text(lang))")
                for factor in content.factors {
                    lines.append("    \(factor.id): \(factor.label.text(lang))")
                    for item in factor.criteria {
                        lines.append("      \(item.id) [\(item.scale.name)\(item.reversed ? ", reversed" : "")] \(item.label.text(lang))")
                    }
                }
            }
            if let overall = parsed.overall { lines.append("  overall item \(overall.id): \(overall.label.text(lang))") }
            for item in parsed.perception { lines.append("  perception \(item.id) [\(item.scale.name)] \(item.label.text(lang))") }
            for item in parsed.expectation { lines.append("  expectation \(item.id) [\(item.scale.name)] \(item.label.text(lang))") }
            return lines.joined(separator: "\n") + "\n"
        }
        public func run() throws { emit(try render()) }
    }

    public struct Check: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Check an instrument file and summarize it.")
        @Argument(help: "Instrument file (YAML or JSON).") public var file: String
        public init() {}
        public func render() throws -> String {
            let parsed = try Instrument.load(path: file)
            return "\(file): OK — instrument '\(parsed.id)', \(parsed.contents.count) content(s), "
                + "\(parsed.contents.flatMap(\.factors).count) factor(s), \(parsed.criteria.count) criteria, "
                + "\(parsed.perception.count) perception and \(parsed.expectation.count) expectation item(s)"
                + (parsed.overall.map { ", overall item '\($0.id)'" } ?? ", no overall item") + "\n"
        }
        public func run() throws { emit(try render()) }
    }
}
