import ArgumentParser
import Foundation
import SIPASSupport
import SIPASData
import SIPASDesign
import SIPASInstrument

/// `sipas repl` (and `sipas` with no arguments): the interactive session.
public struct ReplCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Interactive session: open data, choose an instrument and design, run analyses (type help).",
        discussion: """
            On a terminal: line editing, history ($SIPAS_HISTORY, else $XDG_STATE_HOME/sipas/history, else \
            $HOME/.sipas_history), tab completion of commands, options, column names, instrument ids and file \
            paths, tables as wide as the terminal and a pager for long output. Ctrl-C drops a half-typed line or \
            stops a running bootstrap; Ctrl-D ends. 'export FILE.xlsx' writes the last result as a workbook, \
            'save FILE.sipas' the session as a script. Piped input works too: no prompts are printed and the \
            exit status is 1 if any command failed. An error never ends the session.
            """)

    @Option(name: .customLong("set"), help: ArgumentHelp("A variable for the session, NAME=VALUE (repeatable).", valueName: "name=value"))
    public var variables: [String] = []
    @Option(name: .long, help: "Language of the session's messages and tables to start with: vi or en (later: set lang).")
    public var lang: Language = .vi

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
        let session = REPLSession(variables: try parseVariables(variables), language: lang)
        let editor = LineEditor(historyPath: Self.historyPath(ProcessInfo.processInfo.environment))
        LineEditor.setCompleter { prefix, word in session.completions(linePrefix: prefix, word: word) }
        if editor.interactive {
            print(lang == .vi ? "sipas 0.1.0 — trợ giúp: help · thoát: quit" : "sipas 0.1.0 — help: help · leave: quit")
        }
        var failures = 0
        var execution = CommandExecution.current
        if editor.interactive {
            // Ctrl-C during an analysis stops it at the next bootstrap replicate and returns to the prompt.
            let draw = execution.progress
            execution.progress = { done, total in
                if LineEditor.interruptPending { throw SessionInterrupted() }
                try draw?(done, total)
            }
        }
        CommandExecution.$current.withValue(execution) {
            while let line = editor.readLine(prompt: "sipas> ") {
                var outcome = session.execute(line)
                if editor.interactive && LineEditor.takeInterrupt() && !outcome.quit {
                    // Pressed while the line ran: what it computed is not shown.
                    outcome = REPLSession.Outcome(output: session.message("(đã dừng: Ctrl-C)", "(stopped: Ctrl-C)"), failed: false, quit: false)
                }
                if outcome.failed {
                    failures += 1
                    FileHandle.standardError.write(outcome.output.data(using: .utf8)!)
                } else if !outcome.output.isEmpty {
                    Terminal.show(outcome.output)
                    // Ctrl-C inside the pager is the pager's, not the next command's.
                    if editor.interactive { _ = LineEditor.takeInterrupt() }
                }
                if outcome.quit { break }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// Ctrl-C pressed while an analysis ran.
struct SessionInterrupted: Error, CustomStringConvertible {
    var description: String { "stopped: Ctrl-C" }
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
            throw OptionRefusal(vi: "không đọc được \(script)", en: "cannot read \(script)")
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
        guard parts.count == 2, !parts[0].isEmpty else { throw OptionRefusal(vi: "--set cần dạng TÊN=GIÁ_TRỊ, đã ghi '\(entry)'", en: "--set expects NAME=VALUE, got '\(entry)'") }
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
            case "open", "run", "export", "save": pool = pathCompletions(word)
            case "design" where !word.hasPrefix("-") && before.count == 1: pool = ["clear"] + pathCompletions(word)
            case "instrument": pool = InstrumentPreset.names + pathCompletions(word)
            case "set": pool = before.count == 1 ? ["lang", "format", "ci", "seed", "timing"]
                : ["vi", "en", "table", "json", "csv", "md", "beta", "logit", "wilson", "t", "percentile", "bca", "on", "off"]
            case "use": pool = state.datasets.map(\.name)
            case "help": pool = REPLHelp.entries.map(\.command)
            default:
                pool = state.currentDataset?.columns ?? []
                if word.hasPrefix("-") { pool = Self.optionNames[command] ?? [] }
                // A data file after an analysis command, or any word that starts like a path.
                if word.contains("/") || word.hasPrefix(".") || word.hasPrefix("~") { pool = pathCompletions(word) }
            }
        }
        return pool.filter { $0.hasPrefix(word) }.sorted()
    }

    /// Files and folders whose names start with the word, relative to the session's folder (folders end with
    /// '/'; hidden entries only when the word's name part starts with '.'), in the word's own spelling.
    func pathCompletions(_ word: String) -> [String] {
        let slash = word.lastIndex(of: "/")
        let folderPart = slash.map { String(word[...$0]) } ?? ""
        let namePrefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
        var folder = folderPart
        if folder.hasPrefix("~/") { folder = FileManager.default.homeDirectoryForCurrentUser.path + folder.dropFirst(1) }
        let path = folder.isEmpty ? workingDirectory : (folder.hasPrefix("/") ? folder : (workingDirectory as NSString).appendingPathComponent(folder))
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return names.filter { $0.hasPrefix(namePrefix) && (namePrefix.hasPrefix(".") || !$0.hasPrefix(".")) }.map { name in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            return folderPart + name + (isFolder.boolValue ? "/" : "")
        }
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
        "weights": ["--design", "--output", "--id", "--trim", "--largest", "--format", "--lang", "--replicates", "--count", "--seed", "--prefix"],
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
            let names = unknown.joined(separator: ", "), has = listed.joined(separator: ", ")
            throw OptionRefusal(vi: "--set \(names): \(script) không có biến nào tên như vậy" + (listed.isEmpty ? "" : " (các biến có: \(has))"),
                                en: "--set \(names): \(script) has no variable of that name" + (listed.isEmpty ? "" : " (it has: \(has))"))
        }
    }
}
