import ArgumentParser
import Foundation
import SIPASSupport
import SIPASData
import SIPASInstrument

/// `sipas repl` (and `sipas` with no arguments): the interactive session.
public struct ReplCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Interactive session: open data, choose an instrument and design, run analyses (type help).",
        discussion: """
            On a terminal: line editing, history (~/.sipas_history, or $SIPAS_HISTORY) and tab completion of \
            commands, options, column names and instrument ids. Piped input works too: no prompts are printed \
            and the exit status is 1 if any command failed. An error never ends the session.
            """)

    @Option(name: .customLong("set"), help: ArgumentHelp("A variable for the session, NAME=VALUE (repeatable).", valueName: "name=value"))
    public var variables: [String] = []

    public init() {}

    /// Where the line history is kept: $SIPAS_HISTORY; else $XDG_STATE_HOME/sipas/history (the folder is
    /// created); else $HOME/.sipas_history — the HOME of the environment, not the account's home folder.
    public static func historyPath(_ environment: [String: String]) -> String {
        if let explicit = environment["SIPAS_HISTORY"], !explicit.isEmpty { return explicit }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            try? FileManager.default.createDirectory(atPath: state + "/sipas", withIntermediateDirectories: true)
            return state + "/sipas/history"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectoryForCurrentUser.path
        return (home.hasSuffix("/") ? home : home + "/") + ".sipas_history"
    }

    public func run() throws {
        let session = REPLSession(variables: try parseVariables(variables))
        let editor = LineEditor(historyPath: Self.historyPath(ProcessInfo.processInfo.environment))
        LineEditor.completer = { prefix, word in session.completions(linePrefix: prefix, word: word) }
        if editor.interactive {
            print("sipas 0.1.0 — help: help · thoát: quit")
        }
        var failures = 0
        while let line = editor.readLine(prompt: "sipas> ") {
            let outcome = session.execute(line)
            if outcome.failed {
                failures += 1
                FileHandle.standardError.write(outcome.output.data(using: .utf8)!)
            } else if !outcome.output.isEmpty {
                print(outcome.output, terminator: "")
            }
            if outcome.quit { break }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// `sipas run FILE.sipas`: a script of REPL commands.
public struct RunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script of REPL commands (a reproducible analysis); stops at the first error with FILE:LINE.",
        discussion: """
            Lines are REPL commands; # starts a comment; $NAME or ${NAME} is a variable set with 'let NAME = VALUE' \
            in the script or --set NAME=VALUE on the command line (e.g. the data path and the year). Relative \
            paths in the script are relative to the script's folder. Example: sipas run \
            notebooks-scripts/annual-report.sipas --set year=2024
            """)

    @Argument(help: "The script.") public var script: String
    @Option(name: .customLong("set"), help: ArgumentHelp("A script variable, NAME=VALUE (repeatable).", valueName: "name=value"))
    public var variables: [String] = []

    public init() {}

    /// Runs the script; returns the output, or throws `ScriptError` at the first failing line.
    public func render() throws -> String {
        guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
            throw ValidationError("cannot read \(script)")
        }
        try checkVariablesAreUsed(script: text)
        let folder = OutputFile.parentFolder(of: script)
        let session = REPLSession(variables: try parseVariables(variables),
                                  workingDirectory: folder.isEmpty ? FileManager.default.currentDirectoryPath
                                      : (folder.hasPrefix("/") ? folder : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(folder)))
        var output = ""
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            let outcome = session.execute(line)
            if outcome.failed {
                throw ScriptError(file: script, line: number + 1, message: outcome.output.trimmingCharacters(in: .whitespacesAndNewlines), output: output)
            }
            output += outcome.output
            if outcome.quit { break }
        }
        return output
    }

    public func run() throws {
        do {
            print(try render(), terminator: "")
        } catch let error as ScriptError {
            print(error.output, terminator: "")
            throw error
        }
    }
}

/// A script line that failed.
public struct ScriptError: Error, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    var output: String
    public var description: String { "\(file):\(line): \(message)" }
}

func parseVariables(_ entries: [String]) throws -> [String: String] {
    var result: [String: String] = [:]
    for entry in entries {
        let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--set expects NAME=VALUE, got '\(entry)'") }
        result[parts[0]] = parts[1]
    }
    return result
}

extension REPLSession {
    /// Tab completion: commands first, then options of the command, column names, instrument ids, settings.
    public func completions(linePrefix: String, word: String) -> [String] {
        let before = (try? CommandWords.split(linePrefix, variables: state.variables)) ?? []
        var pool: [String]
        if before.isEmpty {
            pool = Self.sessionCommands + Self.analysisCommands
        } else {
            let command = before[0]
            switch command {
            case "instrument": pool = InstrumentPreset.names
            case "set": pool = before.count == 1 ? ["lang", "format", "ci", "seed", "timing"]
                : ["vi", "en", "table", "json", "csv", "beta", "logit", "wilson", "t", "percentile", "bca", "on", "off"]
            case "use": pool = state.datasets.map(\.name)
            case "help": pool = REPLHelp.entries.map(\.command)
            default:
                pool = state.currentDataset?.columns ?? []
                if word.hasPrefix("-") { pool = Self.optionNames[command] ?? [] }
            }
        }
        return pool.filter { $0.hasPrefix(word) }.sorted()
    }

    static let optionNames: [String: [String]] = [
        "index": ["--by", "--format", "--lang", "--ci", "--bootstrap", "--replicates", "--seed", "--strata", "--cluster",
                  "--weight", "--fpc", "--lonely-psu", "--design", "--map", "--strict", "--confidence", "--small-n", "--output"],
        "estimate": ["--mean", "--total", "--proportion", "--ratio", "--by", "--ci-method", "--format", "--strata", "--cluster", "--weight", "--fpc"],
        "compare": ["--by", "--index", "--previous", "--pairwise", "--ranks", "--adjust", "--threshold", "--ci", "--replicates", "--seed", "--format"],
        "regress": ["--y", "--x", "--weight", "--no-intercept", "--se", "--wild-bootstrap", "--weights", "--seed", "--format"],
        "alpha": ["--items", "--reverse", "--format"],
        "ologit": ["--y", "--x", "--weight", "--na", "--confidence", "--format"],
        "factors": ["--items", "--factors", "--rotation", "--extraction", "--na", "--format"],
        "design": ["--strata", "--cluster", "--weight", "--fpc", "--lonely-psu"],
        "weights": ["--design", "--output", "--id", "--trim", "--largest", "--format"],
    ]
}

extension RunCommand {
    /// A `--set NAME=…` the script neither declares (`let`/`default NAME = …`) nor uses ($NAME, ${NAME}) is a
    /// misspelling that would otherwise be ignored silently: an error naming the script's variables.
    func checkVariablesAreUsed(script text: String) throws {
        let given = try parseVariables(variables).keys.sorted()
        guard !given.isEmpty else { return }
        var known = Set<String>()
        for line in text.components(separatedBy: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if words.count >= 2, ["let", "default"].contains(words[0]) { known.insert(words[1]) }
            var rest = Substring(line)
            while let dollar = rest.firstIndex(of: "$") {
                rest = rest[rest.index(after: dollar)...]
                if rest.first == "{" {
                    let name = rest.dropFirst().prefix { $0 != "}" }
                    known.insert(String(name))
                } else {
                    known.insert(String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }))
                }
            }
        }
        let unknown = given.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            let listed = known.filter { !$0.isEmpty }.sorted()
            throw ValidationError("--set \(unknown.joined(separator: ", ")): \(script) has no variable of that name"
                                  + (listed.isEmpty ? "" : " (it has: \(listed.joined(separator: ", ")))"))
        }
    }
}
