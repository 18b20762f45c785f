import Foundation
import SIPASSupport
import Testing

/// Every option of every subcommand, run through extreme values, must end with an exit status (never a signal)
/// and within a time limit. The options come from the binary itself (`--experimental-dump-help`), so a new option
/// or command is swept without editing this file; a new command needs a base invocation below (the test fails
/// until it has one).
@Suite(.serialized) struct OptionSweepTests {
    static let binary = TestPaths.packageRoot.appendingPathComponent(".build/debug/sipas").path
    static let data = TestPaths.fixture("design/sipas-subset.csv")
    static let frame = TestPaths.fixture("sampling/frame.csv")
    static let outcomes = TestPaths.fixture("sampling/outcomes.csv")
    static let instrumentFile = TestPaths.fixture("mini.yaml")

    /// The values every option is tried with.
    static let extremes = ["0", "-1", "1e-300", "1e300", "nan", "inf", "9223372036854775807", ""]

    /// A valid invocation of each command (paths under `folder` for outputs and scripts).
    static func bases(folder: String) -> [String: [String]] {
        let items = (1...10).map { String(format: "q%02d", $0) }.joined(separator: ",")
        return [
            "repl": [],
            "help": ["index"],
            "run": ["\(folder)/script.sipas"],
            "index": [data, "-i", "khanhhoa-admin"],
            "estimate": [data, "--mean", "weight", "--proportion", "channel=truc_tuyen"],
            "compare": [data, "-i", "khanhhoa-admin", "--by", "unit_id"],
            "regress": [data, "--y", "overall", "--x", "q01,q02", "--na", "9,99"],
            "drivers": [data, "-i", "khanhhoa-admin"],
            "importance": [data, "--y", "overall", "--x", "q01,q02,q03", "--na", "9,99"],
            "report": [data, "-i", "khanhhoa-admin", "--format", "md", "--output", "\(folder)/report.md"],
            "prepare": [data, "-i", "khanhhoa-admin", "--output", "\(folder)/prepared.sav"],
            "alpha": [data, "--items", "q04,q05,q06,q07", "--na", "9,99"],
            "factors": [data, "--items", items, "--factors", "2", "--na", "9,99"],
            "ologit": [data, "--y", "overall", "--x", "q01,q05", "--na", "9,99"],
            "sample size": ["--margin", "2", "--sd", "15"],
            "sample allocate": ["--rules", "sonla-2024"],
            "sample select": [frame, "--n", "3", "--group-by", "unit"],
            "sample reserve": [frame, "--n", "3", "--group-by", "unit"],
            "sample recheck": [outcomes, "--fraction", "0.2"],
            "sample accounting": ["--issued", "100", "--returned-count", "90"],
            "instrument list": [],
            "instrument show": ["khanhhoa-admin"],
            "instrument check": [instrumentFile],
            "generate": ["--respondents", "100", "--output", "\(folder)/generated.csv"],
            "coverage": ["--simulations", "1", "--output", "\(folder)/coverage.md"],
            "store import": ["\(folder)/sweep.db", data, "--wave", "2024", "-i", "khanhhoa-admin"],
            "store list": ["\(folder)/sweep.db"],
            "store export": ["\(folder)/sweep.db", "--wave", "2024", "--output", "\(folder)/export.csv"],
            "store drop": ["\(folder)/sweep.db", "--wave", "none"],
            "trend": ["\(folder)/sweep.db", "--index", "SIPAS"],
            "weights": [data, "--design", TestPaths.fixture("calibration/sipas-rake.yaml"), "--output", "\(folder)/weights.csv"],
        ]
    }

    struct Option {
        var names: [String]
        var kind: String
        var valueName: String
        /// The accepted values of an enumerated option.
        var allValues: [String]
    }

    /// The commands (by path, without "sipas") and their options and positionals, read from the binary.
    static func commands() throws -> [(path: String, options: [Option])] {
        let dump = try ChildProcess.run(binary, ["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: dump.output) as? [String: Any])
        var result: [(String, [Option])] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let name = command["commandName"] as? String ?? ""
            let here = path + [name]
            let arguments = (command["arguments"] as? [[String: Any]] ?? []).map { argument in
                Option(names: (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String },
                       kind: argument["kind"] as? String ?? "",
                       valueName: argument["valueName"] as? String ?? "",
                       allValues: argument["allValues"] as? [String] ?? [])
            }
            let subcommands = command["subcommands"] as? [[String: Any]] ?? []
            if subcommands.isEmpty {
                result.append((here.dropFirst().joined(separator: " "), arguments))
            }
            for subcommand in subcommands { walk(subcommand, here) }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return result.filter { !$0.0.isEmpty }
    }

    /// The invocations for one command: each option (or positional) replaced by each extreme value, and for
    /// KEY=VALUE options the value part replaced; each flag added once.
    static func invocations(path: String, options: [Option], base: [String]) -> [[String]] {
        let words = path.split(separator: " ").map(String.init)
        var runs: [[String]] = [words + base]
        var positionalIndex = 0
        let positionalSlots = base.indices.filter { index in
            !base[index].hasPrefix("-") && (index == 0 || !base[index - 1].hasPrefix("-"))
        }
        for option in options {
            if option.names.contains("help") || option.names.contains("version") { continue }
            switch option.kind {
            case "flag":
                runs.append(words + base + ["--" + option.names[0]])
            case "positional":
                guard positionalIndex < positionalSlots.count else { continue }
                let slot = positionalSlots[positionalIndex]
                positionalIndex += 1
                for value in extremes {
                    var arguments = base
                    arguments[slot] = value
                    runs.append(words + arguments)
                }
            default:
                let long = option.names.first { $0.count > 1 } ?? option.names[0]
                let flag = "--" + long
                var stripped = base
                var key: String?
                if let at = stripped.firstIndex(where: { $0 == flag || (option.names.contains("i") && $0 == "-i") }),
                   at + 1 < stripped.count {
                    if let equals = stripped[at + 1].firstIndex(of: "=") { key = String(stripped[at + 1][..<equals]) }
                    stripped.removeSubrange(at...(at + 1))
                }
                if key == nil, option.valueName.contains("=") {
                    key = ["what-if": "procedures", "map": "q01", "set": "year", "proportion": "channel"][long] ?? "x"
                }
                for value in extremes + option.allValues {
                    runs.append(words + stripped + [flag, value])
                    if let key { runs.append(words + stripped + [flag, "\(key)=\(value)"]) }
                }
            }
        }
        return runs
    }

    @Test func noOptionValueEndsBySignalOrHangs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-sweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "open \(Self.data) as s\ninstrument khanhhoa-admin\nindex\n".write(toFile: "\(folder)/script.sipas", atomically: true, encoding: .utf8)
        let bases = Self.bases(folder: folder)
        // The store the store commands' runs read: one wave, imported once before the sweep.
        _ = try ChildProcess.run(Self.binary, ["store", "import"] + bases["store import"]!)
        var invocations: [[String]] = []
        for (path, options) in try Self.commands() {
            guard let base = bases[path] else {
                Issue.record("command '\(path)' has no base invocation in OptionSweepTests.bases")
                continue
            }
            invocations += Self.invocations(path: path, options: options, base: base)
        }
        #expect(invocations.count > 1_000)
        let failures = Locked<[String]>([])
        let slow = Locked<[(Double, String)]>([])
        let workers = 3, runs = invocations
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: runs.count, by: workers) {
                let arguments = runs[index]
                let work = "\(folder)/run-\(index)"
                try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: work) }
                do {
                    let started = Date()
                    defer {
                        let seconds = Date().timeIntervalSince(started)
                        if seconds > 1 { slow.withLock { $0.append((seconds, arguments.joined(separator: " "))) } }
                    }
                    let result = try ChildProcess.run(Self.binary, arguments, directory: work,
                                                      environment: ["SWIFT_BACKTRACE": "enable=no", "SIPAS_THREADS": "1"],
                                                      timeout: 60)
                    let crashed = result.status >= 128 || result.errorText.contains("Fatal error")
                        || result.errorText.contains("Program crashed")
                    if crashed || result.timedOut {
                        let what = result.timedOut ? "timed out" : "exit \(result.status)"
                        let first = result.errorText.split(separator: "\n").prefix(2).joined(separator: " | ")
                        failures.withLock { $0.append("sipas \(arguments.joined(separator: " ")): \(what): \(first)") }
                    }
                } catch {
                    failures.withLock { $0.append("sipas \(arguments.joined(separator: " ")): \(error)") }
                }
            }
        }
        if let path = ProcessInfo.processInfo.environment["SIPAS_SWEEP_TIMES"] {
            let lines = slow.value.sorted { $0.0 > $1.0 }.map { String(format: "%.1f s  ", $0.0) + $0.1 }
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let found = failures.value
        #expect(found.isEmpty, "\(found.count) of \(runs.count) invocations crashed or hung:\n\(found.sorted().joined(separator: "\n"))")
    }
}

extension OptionSweepTests {
    /// Session commands with extreme values, each after opening the data and choosing the instrument: every
    /// line must give a result or an error, and the session must go on (piped input; the exit status is 0 or 1).
    @Test func noSessionLineEndsBySignalOrHangs() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // One-character relative names: Foundation's path functions trap on them (`run 0` did).
        try "help\n".write(toFile: folder.path("0"), atomically: true, encoding: .utf8)
        let templates = ["set lang V", "set format V", "set ci V", "set seed V", "set timing V", "design --strata V",
                         "design --weight V", "design V", "where unit_id = V", "where q01 > V", "let x = V", "open V",
                         "use V", "instrument V", "export V", "index --by V", "index --replicates V", "compare --threshold V",
                         "drivers --what-if procedures=V", "sample size --margin V --sd 15", "alpha --items V",
                         "run V", "help V", "V"]
        var built: [String] = []
        for template in templates {
            for value in Self.extremes + ["0", "'0'", "\"\"", "--", "=", "*"] {
                built.append(template.replacingOccurrences(of: "V", with: value))
            }
        }
        let failures = Locked<[String]>([])
        let prelude = "open \(Self.data) as s\ninstrument khanhhoa-admin\nindex\n", lines = built
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            for index in stride(from: worker, to: lines.count, by: 3) {
                let line = lines[index]
                let input = Data((prelude + line + "\nshow\n").utf8)
                guard let result = try? ChildProcess.run(Self.binary, ["repl"], input: input, directory: folder.path,
                                                        environment: ["SWIFT_BACKTRACE": "enable=no"], timeout: 60) else {
                    failures.withLock { $0.append("\(line): could not start") }
                    continue
                }
                // `show` answers in the session's language (a swept `set lang en` switches it).
                let shown = result.outputText.contains("bộ câu hỏi: khanhhoa-admin") || result.outputText.contains("instrument: khanhhoa-admin")
                if result.status > 1 || result.timedOut || !shown {
                    failures.withLock { $0.append("\(line): exit \(result.status)\(result.timedOut ? " (timed out)" : "")") }
                }
            }
        }
        #expect(failures.value.isEmpty, "\(failures.value.sorted().joined(separator: "\n"))")
        // A script named by a one-character relative path runs (written again in case a swept line replaced it).
        try "help\n".write(toFile: folder.path("0"), atomically: true, encoding: .utf8)
        let run = try ChildProcess.run(Self.binary, ["run", "0"], directory: folder.path)
        #expect(run.status == 0, "\(run.errorText)")
    }
}
