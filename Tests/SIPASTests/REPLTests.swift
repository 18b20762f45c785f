import Foundation
import Testing
@testable import SIPASCommandLine

@Suite("REPL session and scripts")
struct REPLTests {
    static let root = TestPaths.packageRoot.path

    func session() -> REPLSession { REPLSession(workingDirectory: Self.root) }

    @Test("commands keep state: open, instrument, design, where, set; analyses use it")
    func state() throws {
        let s = session()
        #expect(!s.execute("open datasets/sipas-2024-synthetic.csv as d").failed)
        #expect(s.state.current == "d")
        #expect(!s.execute("instrument khanhhoa-admin").failed)
        #expect(!s.execute("design --strata stratum --cluster cluster --weight weight").failed)
        #expect(!s.execute("set lang en").failed)
        #expect(!s.execute("set format json").failed)
        let output = s.execute("index --by unit_level").output
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect((object["design"] as? [String: Any])?["df"] as? Int == 402)
        #expect((object["by"] as? [String]) == ["unit_level"])
        // where: filtered rows are excluded with their reason and stay in the design.
        #expect(s.execute("where unit_level = huyen and q01 >= 4").output.contains("keeps"))
        let filtered = try #require(try JSONSerialization.jsonObject(with: Data(s.execute("index").output.utf8)) as? [String: Any])
        let rows = try #require(filtered["rows"] as? [String: Any])
        let excluded = try #require(rows["excluded"] as? [[String: Any]])
        #expect(excluded.first?["reason"] as? String == "excluded by where unit_level = huyen and q01 >= 4")
        #expect((rows["used"] as! Int) + excluded.reduce(0) { $0 + ($1["count"] as! Int) } == 2640)
        #expect((filtered["design"] as? [String: Any])?["df"] as? Int == 402, "the design is not cut by the filter")
        // compare under a filter: the reference is all filtered rows, said so, not "the province".
        let compared = try #require(try JSONSerialization.jsonObject(with: Data(s.execute("compare --by unit_id").output.utf8)) as? [String: Any])
        #expect(compared["filter"] as? String == "unit_level = huyen and q01 >= 4")
        #expect(!s.execute("set format table").failed)
        let text = s.execute("compare --by unit_id").output
        #expect(text.contains("— all filtered rows (unit_level = huyen and q01 >= 4):") && text.contains("Unit − all filtered"), "\(text)")
        #expect(!text.contains("province") && text.contains("above the filtered rows"), "\(text)")
        #expect(!s.execute("set lang vi").failed)
        let vi = s.execute("compare --by unit_id").output
        #expect(vi.contains("— chung các dòng lọc (unit_level = huyen and q01 >= 4):") && vi.contains("cao hơn mức chung") && !vi.contains("toàn tỉnh"), "\(vi)")
        #expect(!s.execute("set lang en").failed)
        #expect(s.execute("regress --y overall --x q01").failed, "regress refuses an active filter")
        #expect(!s.execute("where clear").failed)
        #expect(s.state.filterDescription == nil)
    }

    @Test("an error never ends the session and leaves the state unchanged", arguments: [
        ("frobnicate", "unknown command 'frobnicate'"),
        ("index --bogus", "Unknown option '--bogus'"),
        ("index --by no_such_column", "no such column; the file has: respondent_id"),
        ("open no/such/file.csv", "does not exist"),
        ("instrument no-such-instrument", "no such preset or file"),
        ("where unit_level ~ huyen", "where: unknown comparison"),
        ("where nosuch = 1", "where: no column 'nosuch'"),
        ("set ci magic", "set ci beta|logit|wilson|t|percentile|bca"),
        ("index $undefined", "unknown variable $undefined"),
        ("design --strata", "Missing value for '--strata <strata>'"),
    ])
    func errors(line: String, expected: String) {
        let s = session()
        _ = s.execute("open datasets/sipas-2024-synthetic.csv as d")
        _ = s.execute("instrument khanhhoa-admin")
        _ = s.execute("set lang en")
        let before = s.state
        let outcome = s.execute(line)
        #expect(outcome.failed)
        #expect(!outcome.quit)
        #expect(outcome.output.hasPrefix("Error: "))
        #expect(outcome.output.contains(expected), "got: \(outcome.output)")
        #expect(s.state == before)
        #expect(!s.execute("show").failed, "the session goes on")
    }

    @Test("variables, default parameters, comments, quoting and > FILE")
    func language() throws {
        let temporary = try TemporaryFolder()
        defer { temporary.remove() }
        let folder = temporary.path
        let s = REPLSession(variables: ["year": "2030"], workingDirectory: Self.root)
        _ = s.execute("default year = 2024   # a parameter with a default")
        _ = s.execute("default unit = U05")
        #expect(s.state.variables == ["year": "2030", "unit": "U05"])
        _ = s.execute("open 'datasets/sipas-2024-synthetic.csv' as \"d\"")
        _ = s.execute("instrument khanhhoa-admin")
        let outcome = s.execute("index --by unit_id --format csv > \(folder)/index-${year}.csv")
        #expect(!outcome.failed, "\(outcome.output)")
        let written = try String(contentsOfFile: "\(folder)/index-2030.csv", encoding: .utf8)
        #expect(written.hasPrefix("unit_id,kind,id"))
        #expect(s.execute("# only a comment").output.isEmpty)
    }

    @Test("completion offers commands, options, columns and instrument ids")
    func completion() {
        let s = session()
        _ = s.execute("open datasets/sipas-2024-synthetic.csv as d")
        #expect(s.completions(linePrefix: "", word: "in") == ["index", "instrument", "instruments"])
        #expect(s.completions(linePrefix: "index ", word: "--b") == ["--bootstrap", "--by"])
        #expect(s.completions(linePrefix: "index --by ", word: "unit_") == ["unit_id", "unit_level", "unit_name"])
        #expect(s.completions(linePrefix: "instrument ", word: "khanhhoa-") == ["khanhhoa-admin", "khanhhoa-education", "khanhhoa-health"])
    }

    @Test("help in Vietnamese and English")
    func help() {
        let s = session()
        #expect(s.execute("help").output.contains("Mở tệp dữ liệu CSV"))
        _ = s.execute("set lang en")
        #expect(s.execute("help index").output.contains("Criterion, factor, content and SIPAS indices"))
    }

    @Test("every command's help has an example on the bundled data, and the examples run in order without an error")
    func helpExamples() throws {
        let commands = REPLHelp.entries.map(\.command)
        #expect(Set(commands) == Set(REPLHelp.examples.map(\.command)), "one example per command")
        #expect(Set(commands).isSuperset(of: REPLSession.sessionCommands.filter { $0 != "exit" && $0 != "clear" }), "help lists every session command")
        #expect(Set(commands).isSuperset(of: REPLSession.analysisCommands), "help lists every analysis command")
        // The examples write their files into a folder of their own, where datasets/ is the bundled data.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createSymbolicLink(atPath: folder.path("datasets"), withDestinationPath: TestPaths.packageRoot.appendingPathComponent("datasets").path)
        let s = REPLSession(workingDirectory: folder.path)
        for (command, lines) in REPLHelp.examples where command != "quit" {
            for line in lines {
                let outcome = s.execute(line)
                #expect(!outcome.failed, "help \(command)'s example '\(line)' failed: \(outcome.output)")
            }
        }
        #expect(s.execute("quit").quit)
        for file in ["gia-lap.csv", "bao-cao.md", "sach.csv", "kho.db", "chi-so.xlsx", "phien.sipas"] {
            #expect(FileManager.default.fileExists(atPath: folder.path(file)), "\(file) written by its example")
        }
        // Each command's help in one language: Vietnamese placeholders and prose (commands, options and the
        // example lines are what the user types, so they are left out of the check).
        for command in commands {
            let help = REPLHelp.text(command, language: .vi).components(separatedBy: "\n")
            let typed = Set(REPLHelp.examples.first { $0.command == command }?.lines ?? []).map { "    " + $0 }
            let prose = help.dropFirst().filter { !typed.contains($0) }.joined(separator: "\n")
                .replacingOccurrences(of: "'sipas \(command) --help'", with: "")
            let english = ReportWordingTests.englishFound(in: prose) + ["Example", "Every", "option", "FILE"].filter(prose.contains)
            #expect(english.isEmpty, "help \(command) in Vietnamese has \(english): \(prose)")
            for placeholder in ["FILE", "NAME", "COL", "VALUE", "COMMAND", "STORE"] {
                #expect(!(help.first ?? "").contains(placeholder), "help \(command)'s usage line in Vietnamese: \(help.first ?? "")")
            }
            let inEnglish = REPLHelp.text(command, language: .en)
            #expect(inEnglish.contains("Example (on the bundled data):") && !inEnglish.contains("Ví dụ"))
        }
    }

    @Test("a script stops at the first error with FILE:LINE")
    func scriptError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.file("bad.sipas", "# test\nopen \(Self.root)/datasets/sipas-2024-synthetic.csv\ninstrument khanhhoa-admin\nindex --by nothing\nindex\n")
        #expect {
            try RunCommand.parse([path]).render()
        } throws: { error in
            guard let error = error as? ScriptError else { return false }
            // A script runs in Vietnamese unless it says `set lang en`: the message is too.
            return error.line == 4 && error.description.hasPrefix("\(path):4: ") && error.description.contains("không có cột này")
        }
    }

    /// The bundled analyses reproduce their committed outputs (golden files). A change that moves a number
    /// shows up here; regenerate with SIPAS_UPDATE_GOLDEN=1 swift test --filter golden, and review the diff.
    @Test("notebooks-scripts reproduce their golden outputs", arguments: ["annual-report", "driver-walkthrough", "sampling-fieldwork"])
    func golden(name: String) throws {
        let script = "\(Self.root)/notebooks-scripts/\(name).sipas"
        let output = try RunCommand.parse([script]).render().replacingOccurrences(of: Self.root, with: "<root>")
        let expectedPath = "\(Self.root)/notebooks-scripts/expected/\(name).txt"
        if ProcessInfo.processInfo.environment["SIPAS_UPDATE_GOLDEN"] == "1" {
            try output.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        if output != expected {
            let outputLines = output.components(separatedBy: "\n"), expectedLines = expected.components(separatedBy: "\n")
            let first = zip(outputLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("\(name): output differs from \(expectedPath) at line \((first?.offset ?? min(outputLines.count, expectedLines.count)) + 1): got '\(first?.element.0 ?? "")', expected '\(first?.element.1 ?? "")'")
        }
    }
}

@Suite("The sipas binary: pipes and a terminal", .requires(sipasBinaryBuilt, "needs the built binary (swift build)"))
struct REPLProcessTests {
    static let binary = sipasBinary

    @Test("piped input: no prompt or escape codes, exit status 1 when a command failed")
    func pipe() throws {
        try requireBinary()
        func run(_ input: String) throws -> (String, String, Int32) {
            let result = try ChildProcess.run(Self.binary, [], input: Data(input.utf8), directory: TestPaths.packageRoot.path)
            return (result.outputText, result.errorText, result.status)
        }
        let (out, _, status) = try run("set lang en\nopen datasets/sipas-2024-synthetic.csv as d\ninstrument khanhhoa-admin\nset format csv\nindex\n")
        #expect(status == 0)
        #expect(out.hasPrefix("lang = en\nopened d: 2640 rows, 28 columns\n"))
        #expect(!out.contains("sipas>") && !out.contains("\u{1B}"))
        let (_, errors, failed) = try run("set lang en\nnonsense\nshow\n")
        #expect(failed == 1)
        #expect(errors.contains("Error: unknown command 'nonsense'"))
        // --lang starts the session in that language (as set lang does).
        let english = try ChildProcess.run(Self.binary, ["repl", "--lang", "en"], input: Data("open datasets/sipas-2024-synthetic.csv as d\nnonsense\n".utf8),
                                           directory: TestPaths.packageRoot.path)
        #expect(english.outputText.hasPrefix("opened d: 2640 rows, 28 columns\n") && english.errorText.contains("Error: unknown command 'nonsense'"))
        let refused = try ChildProcess.run(Self.binary, ["repl", "--lang", "fr"], input: Data(), directory: TestPaths.packageRoot.path)
        #expect(refused.status != 0 && refused.errorText.contains("--lang"))
    }

    @Test("a terminal: prompt, tab completion and history recall (tmux)",
          .requires(installedProgram(["/usr/bin/tmux", "/bin/tmux"]) != nil, "needs tmux"))
    func terminal() throws {
        try requireBinary()
        let tmux = try requiredProgram(["/usr/bin/tmux", "/bin/tmux"])
        let session = "sipas-test-\(UInt32.random(in: 0...UInt32.max))"
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let history = folder.path("\(session).history")
        func tmuxRun(_ arguments: [String]) throws -> String {
            // A private server (`-L`), so a user's own tmux is never touched. `new-session` forks that server,
            // which outlives the call; ChildProcess never hands it a pipe, and `kill-server` below ends it.
            try ChildProcess.run(tmux, ["-L", session] + arguments).outputText
        }
        func screen() throws -> String { try tmuxRun(["capture-pane", "-p", "-t", session]) }
        func waitFor(_ text: String) throws -> Bool {
            for _ in 0..<100 {
                if try screen().contains(text) { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
        _ = try tmuxRun(["new-session", "-d", "-s", session, "-x", "160", "-y", "40", "-c", TestPaths.packageRoot.path,
                         "env SIPAS_HISTORY=\(history) \(Self.binary) repl"])
        defer { _ = try? tmuxRun(["kill-server"]) }
        #expect(try waitFor("sipas>"), "prompt shown on a terminal")
        _ = try tmuxRun(["send-keys", "-t", session, "set lang e", "n", "Enter"])
        #expect(try waitFor("lang = en"))
        _ = try tmuxRun(["send-keys", "-t", session, "instrum", "Tab"])
        #expect(try waitFor("sipas> instrument"), "tab completes the command")
        _ = try tmuxRun(["send-keys", "-t", session, " khanhhoa-a", "Tab", "Enter"])
        #expect(try waitFor("instrument: khanhhoa-admin (16 criteria)"), "tab completes the instrument id")
        _ = try tmuxRun(["send-keys", "-t", session, "Up"])
        #expect(try waitFor("sipas> instrument khanhhoa-admin"), "history recalls the last line")
        // Output longer than the screen goes through the pager (less), which q leaves.
        _ = try tmuxRun(["send-keys", "-t", session, "C-u", "index datasets/sipas-2024-synthetic.csv --by unit_id", "Enter"])
        let paged = try waitFor("\n:")
        #expect(paged, "a long table opens the pager: \((try? screen()) ?? "")")
        _ = try tmuxRun(["send-keys", "-t", session, "q"])
        // Ctrl-C clears a half-typed line and keeps the session (its instrument) alive.
        _ = try tmuxRun(["send-keys", "-t", session, "C-u", "open no-such-fi"])
        #expect(try waitFor("sipas> open no-such-fi"))
        _ = try tmuxRun(["send-keys", "-t", session, "C-c"])
        _ = try tmuxRun(["send-keys", "-t", session, "show", "Enter"])
        let kept = try waitFor("instrument: khanhhoa-admin\n")
        #expect(kept, "Ctrl-C on a line keeps the session: \((try? screen()) ?? "")")
        // Ctrl-C during a long bootstrap stops it and returns to the prompt.
        _ = try tmuxRun(["send-keys", "-t", session, "open datasets/sipas-2024-synthetic.csv as d", "Enter"])
        #expect(try waitFor("opened d"))
        _ = try tmuxRun(["send-keys", "-t", session, "index --cluster cluster --ci bca --replicates 100000", "Enter"])
        Thread.sleep(forTimeInterval: 1.5)
        _ = try tmuxRun(["send-keys", "-t", session, "C-c"])
        let stopped = try waitFor("(stopped: Ctrl-C)")
        #expect(stopped, "Ctrl-C stops the running analysis: \((try? screen()) ?? "")")
        _ = try tmuxRun(["send-keys", "-t", session, "show", "Enter"])
        #expect(try waitFor("dataset: d ("), "the session goes on after an interrupted analysis")
        _ = try tmuxRun(["send-keys", "-t", session, "C-u", "quit", "Enter"])
        Thread.sleep(forTimeInterval: 0.5)
        // libedit's history format escapes spaces as \040.
        let saved = ((try? String(contentsOfFile: history, encoding: .utf8)) ?? "").replacingOccurrences(of: "\\040", with: " ")
        #expect(saved.contains("instrument khanhhoa-admin"), "history persists in the history file")
    }
}

@Suite("REPL export")
struct REPLExportTests {
    @Test("export writes the last analysis output; before any analysis it is an error")
    func export() throws {
        let s = REPLSession(workingDirectory: REPLTests.root)
        #expect(s.execute("export x.txt").output.contains("chưa có gì để ghi"))
        _ = s.execute("open datasets/sipas-2024-synthetic.csv as d")
        _ = s.execute("instrument khanhhoa-admin")
        _ = s.execute("set format csv")
        let shown = s.execute("index").output
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("export.csv")
        #expect(!s.execute("export \(path)").failed)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == shown)
    }
}
