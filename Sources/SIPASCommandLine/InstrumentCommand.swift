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
        @Option(name: .long, help: "Language of the list: vi or en.") public var lang: Language = .vi
        public init() {}
        public func render() throws -> String {
            try InstrumentPreset.names.map { name in
                let instrument = try InstrumentPreset.named(name)!
                let criteria = instrument.criteria.count, factors = instrument.contents.flatMap(\.factors).count
                return lang == .vi
                    ? "\(name)  \(criteria) tiêu chí, \(factors) yếu tố — \(instrument.title.vi)"
                    : "\(name)  \(criteria) criteria, \(factors) factors — \(instrument.title.en)"
            }.joined(separator: "\n") + "\n"
        }
        public func run() throws { emit(try render()) }
    }

    public struct Show: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Print a preset as YAML (to copy and edit) or an instrument's structure as an outline, with its answer labels, aliases and missing codes and labels.")
        @Argument(help: "Preset name or instrument file.") public var instrument: String
        @Flag(name: .long, help: "Print the structure as an outline instead of YAML.") public var outline = false
        @Option(name: .long, help: "Language of the outline: vi or en.") public var lang: Language = .vi
        public init() {}

        public func render() throws -> String {
            if !outline, let yaml = InstrumentPreset.yaml(named: instrument) { return yaml + "\n" }
            let parsed = try Instrument.resolve(instrument)
            let vi = lang == .vi
            var lines = ["\(parsed.id): \(parsed.title.text(lang))"] + Self.answerLines(parsed, lang)
            for content in parsed.contents {
                lines.append("  \(content.id): \(content.label.text(lang))")
                for factor in content.factors {
                    lines.append("    \(factor.id): \(factor.label.text(lang))")
                    for item in factor.criteria {
                        lines.append("      \(item.id) [\(item.scale.name)\(item.reversed ? (vi ? ", đảo chiều" : ", reversed") : "")] \(item.label.text(lang))")
                    }
                }
            }
            if let overall = parsed.overall { lines.append("  \(vi ? "câu hỏi chung" : "overall item") \(overall.id): \(overall.label.text(lang))") }
            for item in parsed.perception { lines.append("  \(vi ? "cảm nhận" : "perception") \(item.id) [\(item.scale.name)] \(item.label.text(lang))") }
            for item in parsed.expectation { lines.append("  \(vi ? "mong đợi" : "expectation") \(item.id) [\(item.scale.name)] \(item.label.text(lang))") }
            return lines.joined(separator: "\n") + "\n"
        }
        public func run() throws { emit(try render()) }

        /// The answer labels, aliases and missing codes and labels, once per distinct set, with the items using it.
        static func answerLines(_ instrument: Instrument, _ lang: Language) -> [String] {
            var lines: [String] = []
            var labelSets: [(scale: String, labels: [AnswerLabel], items: [String])] = []
            var missingSets: [(codes: [Int], labels: [MissingLabel], items: [String])] = []
            for item in instrument.items {
                if item.scale.top != nil, !item.answerLabels.isEmpty {
                    if let index = labelSets.firstIndex(where: { $0.scale == item.scale.name && $0.labels == item.answerLabels }) {
                        labelSets[index].items.append(item.id)
                    } else {
                        labelSets.append((item.scale.name, item.answerLabels, [item.id]))
                    }
                }
                if !item.missingCodes.isEmpty || !item.missingLabels.isEmpty {
                    if let index = missingSets.firstIndex(where: { $0.codes == item.missingCodes && $0.labels == item.missingLabels }) {
                        missingSets[index].items.append(item.id)
                    } else {
                        missingSets.append((item.missingCodes, item.missingLabels, [item.id]))
                    }
                }
            }
            let vi = lang == .vi
            func quoted(_ text: String) -> String { "\"\(text)\"" }
            /// "all 28 likert5 items" ("cả 28 câu hỏi likert5") when the set is every item of its kind, else the ids.
            func items(_ ids: [String], of all: [Item], _ kind: String) -> String {
                guard ids.count == all.count && ids.count > 1 else { return ids.joined(separator: ", ") }
                return vi ? "cả \(ids.count) câu hỏi" + (kind.isEmpty ? "" : " " + kind) : "all \(ids.count) " + (kind.isEmpty ? "" : kind + " ") + "items"
            }
            for set in labelSets {
                let ofScale = instrument.items.filter { $0.scale.name == set.scale }
                lines.append("  \(vi ? "nhãn câu trả lời" : "answer labels") [\(set.scale)] (\(items(set.items, of: ofScale, set.scale))): "
                             + set.labels.map { "\($0.code) = \(quoted($0.label.text(lang)))" }.joined(separator: "; "))
                let aliases = set.labels.filter { !$0.aliases.isEmpty }
                if !aliases.isEmpty {
                    lines.append(vi ? "    tên gọi khác: " : "    aliases: " + aliases.map { "\($0.code) = \($0.aliases.map(quoted).joined(separator: ", "))" }
                        .joined(separator: "; "))
                }
            }
            for set in missingSets {
                var parts: [String] = []
                if !set.codes.isEmpty { parts.append((vi ? "mã " : "codes ") + set.codes.map(String.init).joined(separator: ", ")) }
                if !set.labels.isEmpty {
                    parts.append((vi ? "nhãn " : "labels ") + set.labels.map { quoted($0.text) + ($0.code.map { " = \($0)" } ?? "") }.joined(separator: ", "))
                }
                lines.append("  \(vi ? "thiếu" : "missing") (\(items(set.items, of: instrument.items, ""))): " + parts.joined(separator: "; "))
            }
            return lines
        }
    }

    public struct Check: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Check an instrument file and summarize it.")
        @Argument(help: "Instrument file (YAML or JSON).") public var file: String
        @Option(name: .long, help: "Language of the summary: vi or en.") public var lang: Language = .vi
        public init() {}
        public func render() throws -> String {
            let parsed = try Instrument.load(path: file)
            let labelled = parsed.items.filter { !$0.answerLabels.isEmpty }.count
            let aliases = parsed.items.reduce(0) { $0 + $1.answerLabels.reduce(0) { $0 + $1.aliases.count } }
            let missingLabels = parsed.items.reduce(0) { $0 + $1.missingLabels.count }
            if lang == .vi {
                return "\(file): hợp lệ — bộ câu hỏi '\(parsed.id)', \(parsed.contents.count) nội dung, "
                    + "\(parsed.contents.flatMap(\.factors).count) yếu tố, \(parsed.criteria.count) tiêu chí, "
                    + "\(parsed.perception.count) câu hỏi cảm nhận và \(parsed.expectation.count) câu hỏi mong đợi"
                    + (parsed.overall.map { ", câu hỏi chung '\($0.id)'" } ?? ", không có câu hỏi chung")
                    + "; \(labelled) câu hỏi có nhãn câu trả lời, \(aliases) tên gọi khác, \(missingLabels) nhãn thiếu\n"
            }
            return "\(file): OK — instrument '\(parsed.id)', \(parsed.contents.count) content(s), "
                + "\(parsed.contents.flatMap(\.factors).count) factor(s), \(parsed.criteria.count) criteria, "
                + "\(parsed.perception.count) perception and \(parsed.expectation.count) expectation item(s)"
                + (parsed.overall.map { ", overall item '\($0.id)'" } ?? ", no overall item")
                + "; \(labelled) item(s) with answer labels, \(aliases) alias(es), \(missingLabels) missing label(s)\n"
        }
        public func run() throws { emit(try render()) }
    }
}
