import ArgumentParser
import Foundation
import SIPASInstrument

/// The language of the command line being run: its `--lang` for a one-shot command (bound by `main`), the
/// session's for a line typed in `sipas` or run from a script (bound while each line is parsed and run).
/// Messages written where no command's options are at hand (option groups' `validate()`, warnings from shared
/// data options) follow it. A task-local value, so that sessions and commands run side by side (tests, a
/// server) never see each other's language.
enum CommandLanguage {
    @TaskLocal static var current: Language = .vi
}

/// An option value or combination refused in a command's `validate()`, before any work starts, written in both
/// languages. ArgumentParser prints a validation error through its `description`, so that is the text in
/// `CommandLanguage.current`; `text(_:)` gives either language on request.
struct OptionRefusal: LocalizedFailure {
    var vi: String
    var en: String

    init(vi: String, en: String) { self.vi = vi; self.en = en }

    func text(_ language: Language) -> String { language == .vi ? vi : en }
    var description: String { text(CommandLanguage.current) }
}

/// ArgumentParser's own messages (unknown option, missing argument, a value of the wrong kind, usage lines) in
/// Vietnamese. ArgumentParser writes them in English only; the wording it uses is matched line by line and the
/// user's words inside it (option names, values) are kept as they were typed. A message that matches none of
/// the patterns keeps its English wording behind the Vietnamese prefix.
enum ParserMessages {
    /// `message` (ArgumentParser's full error text, "Error: …" and usage lines) in `language`.
    static func text(_ message: String, _ language: Language) -> String {
        guard language == .vi else { return message }
        return message.components(separatedBy: "\n").map(vietnamese).joined(separator: "\n")
    }

    private static let patterns: [(NSRegularExpression, String)] = [
        (#"^Error: "#, "Lỗi: "),
        (#"^Usage: "#, "Cách dùng: "),
        // The option's one-line help is English (as --help is): the Vietnamese line names the option only.
        (#"^Help:  (.+?)  .*$"#, "Trợ giúp: $1"),
        (#"^Help:  "#, "Trợ giúp: "),
        (#"^(\s*)See '(.+)' for more information\.$"#, "$1Xem '$2' để biết thêm."),
        (#"Unknown option '([^']*)'\. Did you mean '([^']*)'\?"#, "không có tuỳ chọn '$1'; có phải ý bạn là '$2'?"),
        (#"Unknown option '([^']*)'"#, "không có tuỳ chọn '$1'"),
        (#"Missing value for '([^']*)'"#, "thiếu giá trị cho '$1'"),
        (#"Missing expected argument '([^']*)'"#, "thiếu đối số bắt buộc '$1'"),
        (#"Missing one of: (.*)$"#, "thiếu một trong: $1"),
        (#"Missing required subcommand\."#, "thiếu lệnh con."),
        (#"(\d+) unexpected arguments: (.*)$"#, "$1 đối số thừa: $2"),
        (#"Unexpected argument '([^']*)'"#, "đối số thừa '$1'"),
        (#"The option '([^']*)' does not take any value, but '([^']*)' was specified\."#,
         "tuỳ chọn '$1' không nhận giá trị, nhưng đã ghi '$2'."),
        (#"The value '([^']*)' is invalid for '([^']*)'"#, "giá trị '$1' không hợp lệ cho '$2'"),
        (#"\. Please provide one of the following:"#, ". Hãy ghi một trong các giá trị sau:"),
        (#"\. Please provide one of (.*)\.$"#, ". Hãy ghi một trong: $1."),
        (#"Value to be set with (.*) had already been set with (.*)$"#, "giá trị ghi bằng $1 đã được ghi bằng $2"),
        (#"Invalid option: "#, "tuỳ chọn không hợp lệ: "),
        (#"' or '"#, "' hoặc '"),
        (#"' and '"#, "' và '"),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    private static func vietnamese(_ line: String) -> String {
        var line = line
        for (pattern, template) in patterns {
            let range = NSRange(line.startIndex..., in: line)
            line = pattern.stringByReplacingMatches(in: line, range: range, withTemplate: template)
        }
        return line
    }
}
