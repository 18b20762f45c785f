import Foundation
import Testing

/// The user guides (docs/huong-dan in Vietnamese, docs/guide in English) show commands with their output as
/// printed. Every such block is marked as runnable:
///
///     ```sipas-run
///     $ sipas index datasets/sipas-2024-synthetic.csv --instrument khanhhoa-admin
///     …the exact output…
///     ```
///
/// The first line is `$ ` and the command (continued on the next lines while a line ends with ` \`), run by
/// `/bin/sh` from the package root with the built `sipas` first on PATH; the rest of the block is what it prints
/// (standard output, then standard error, as a terminal shows them when the command is run without a terminal).
/// `$OUT` is a temporary folder, one per page and removed after it, shared by the page's blocks in order, so a
/// block may read what an earlier block of the same page wrote; its path is written `$OUT` in the output too.
/// The info string may add `exit=N` for a command that is meant to fail with status N (default 0).
///
/// Outputs are generated, not typed: `SIPAS_UPDATE_GUIDE=1 swift test --filter GuideTests` rewrites every block's
/// output in the pages from what the commands print now; review the diff before committing. (`--filter` matches
/// the type and function names, not the suite's display name.)
@Suite("User guide")
struct GuideTests {
    static let binary = TestPaths.packageRoot.appendingPathComponent(".build/debug/sipas").path
    static let folders = ["docs/huong-dan", "docs/guide"]
    /// The same pages in both languages (Vietnamese name, English name).
    static let pairs = [("README.md", "README.md"), ("bat-dau.md", "getting-started.md"),
                        ("mot-nam-lam-viec.md", "a-years-work.md"), ("phuong-phap.md", "methodology.md"),
                        ("hoi-dap.md", "faq.md")]

    /// Every page of both guides, as paths relative to the package root.
    static let pages: [String] = folders.flatMap { folder -> [String] in
        let url = TestPaths.packageRoot.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted().map { "\(folder)/\($0)" }
    }

    /// One runnable block of a page.
    struct Block {
        /// Line numbers (1-based) of the opening fence and of the first output line; the output runs up to the
        /// closing fence (exclusive), at `closingLine`.
        var fenceLine: Int
        var outputLine: Int
        var closingLine: Int
        var command: String
        var expectedStatus: Int32
        var expected: [String]
    }

    static let marker = "```sipas-run"

    /// The runnable blocks of a page's lines.
    static func blocks(in lines: [String], page: String) -> [Block] {
        var result: [Block] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix(marker) else { index += 1; continue }
            let options = line.dropFirst(marker.count).split(separator: " ")
            var status: Int32 = 0
            for option in options where option.hasPrefix("exit=") { status = Int32(option.dropFirst(5)) ?? 0 }
            var position = index + 1
            var commandLines: [String] = []
            if position < lines.count, lines[position].hasPrefix("$ ") {
                commandLines.append(String(lines[position].dropFirst(2)))
                while commandLines.last!.hasSuffix("\\"), position + 1 < lines.count {
                    position += 1
                    commandLines.append(lines[position])
                }
                position += 1
            } else {
                Issue.record("\(page):\(index + 1): a sipas-run block must start with a line '$ sipas …'")
            }
            let outputStart = position
            while position < lines.count, !lines[position].hasPrefix("```") { position += 1 }
            if position == lines.count { Issue.record("\(page):\(index + 1): the sipas-run block is not closed") }
            result.append(Block(fenceLine: index + 1, outputLine: outputStart + 1, closingLine: position + 1,
                                command: commandLines.joined(separator: "\n"), expectedStatus: status,
                                expected: Array(lines[outputStart..<min(position, lines.count)])))
            index = position + 1
        }
        return result
    }

    /// Lines as compared: trailing spaces removed (editors strip them; table renderers pad), no trailing blank lines.
    static func normalized(_ lines: [String]) -> [String] {
        var result = lines.map { line -> String in
            var line = Substring(line)
            while line.last == " " || line.last == "\t" || line.last == "\r" { line = line.dropLast() }
            return String(line)
        }
        while result.last == "" { result.removeLast() }
        return result
    }

    /// What the command prints, with the temporary folder written as `$OUT`.
    static func run(_ command: String, out: TemporaryFolder) throws -> (lines: [String], status: Int32) {
        let binaryFolder = (binary as NSString).deletingLastPathComponent
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let result = try ChildProcess.run("/bin/sh", ["-c", "exec 2>&1\n" + command], directory: TestPaths.packageRoot.path,
                                          environment: ["PATH": "\(binaryFolder):\(path)", "OUT": out.path, "COLUMNS": "100",
                                                        "SIPAS_THREADS": "2"],
                                          timeout: 120)
        var text = result.outputText + result.errorText
        text = text.replacingOccurrences(of: out.path, with: "$OUT")
        if text.hasSuffix("\n") { text.removeLast() }
        return (text.components(separatedBy: "\n"), result.timedOut ? -1 : result.status)
    }

    /// A unified diff of the expected and the printed lines (diff -u), for the failure message.
    static func diff(expected: [String], got: [String]) -> String {
        guard let folder = try? TemporaryFolder() else { return "" }
        defer { folder.remove() }
        guard let a = try? folder.file("page", expected.joined(separator: "\n") + "\n"),
              let b = try? folder.file("printed", got.joined(separator: "\n") + "\n"),
              let result = try? ChildProcess.run("/usr/bin/diff", ["-u", a, b]) else { return "" }
        let lines = result.outputText.components(separatedBy: "\n").dropFirst(2)
        return lines.prefix(60).joined(separator: "\n") + (lines.count > 60 ? "\n…" : "")
    }

    @Test("every runnable block prints what its page shows", .requires(sipasBinaryBuilt, "needs the built binary (swift build)"),
          arguments: pages)
    func page(_ page: String) throws {
        try requireBinary()
        let file = TestPaths.packageRoot.appendingPathComponent(page).path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let blocks = Self.blocks(in: lines, page: page)
        let update = ProcessInfo.processInfo.environment["SIPAS_UPDATE_GUIDE"] == "1"
        let out = try TemporaryFolder()
        defer { out.remove() }
        var replacements: [(Block, [String])] = []
        for block in blocks {
            let (printed, status) = try Self.run(block.command, out: out)
            let got = Self.normalized(printed)
            if status != block.expectedStatus {
                Issue.record("\(page):\(block.fenceLine): `\(block.command)` ended with status \(status), the page expects \(block.expectedStatus) (exit=N in the info string)\n\(got.prefix(20).joined(separator: "\n"))")
            }
            if update {
                replacements.append((block, got))
            } else if got != Self.normalized(block.expected) {
                Issue.record("\(page):\(block.fenceLine): the output of `\(block.command)` differs from the page (line \(block.outputLine)); regenerate with SIPAS_UPDATE_GUIDE=1 swift test --filter GuideTests and review the diff:\n\(Self.diff(expected: Self.normalized(block.expected), got: got))")
            }
        }
        if update, !replacements.isEmpty {
            for (block, got) in replacements.reversed() {
                lines.replaceSubrange((block.outputLine - 1)..<(block.closingLine - 1), with: got)
            }
            let updated = lines.joined(separator: "\n")
            if updated != text { try updated.write(toFile: file, atomically: true, encoding: .utf8) }
        }
    }

    @Test("both guides have the same pages, each with as many runnable blocks")
    func samePages() throws {
        for (vi, en) in Self.pairs {
            let paths = ["docs/huong-dan/\(vi)", "docs/guide/\(en)"]
            let counts = try paths.map { path -> Int in
                let file = TestPaths.packageRoot.appendingPathComponent(path).path
                guard FileManager.default.fileExists(atPath: file) else {
                    Issue.record("\(path) is missing")
                    return -1
                }
                return Self.blocks(in: try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n"), page: path).count
            }
            #expect(counts[0] == counts[1], "\(paths[0]) has \(counts[0]) runnable blocks, \(paths[1]) \(counts[1])")
        }
        #expect(Set(Self.pages) == Set(Self.pairs.flatMap { ["docs/huong-dan/\($0.0)", "docs/guide/\($0.1)"] }),
                "pages without a counterpart: \(Self.pages)")
    }

    /// Subcommands that take `--lang`: the English guide passes `--lang en` to each of them, the Vietnamese guide
    /// never does (Vietnamese is the default), so each page shows the program's output in its own language.
    static let languageCommands = ["index", "compare", "drivers", "importance", "report", "prepare", "sample"]

    @Test("each guide runs the commands in its own language")
    func languages() throws {
        for page in Self.pages {
            let file = TestPaths.packageRoot.appendingPathComponent(page).path
            let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
            for block in Self.blocks(in: lines, page: page) {
                let words = block.command.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
                let subcommands = words.indices.dropLast().filter { words[$0] == "sipas" }.map { words[$0 + 1] }
                let english = block.command.contains("--lang en")
                if page.hasPrefix("docs/huong-dan/") {
                    #expect(!english, "\(page):\(block.fenceLine): the Vietnamese guide shows the default (Vietnamese) output")
                } else if subcommands.contains(where: Self.languageCommands.contains) {
                    #expect(english, "\(page):\(block.fenceLine): the English guide passes --lang en")
                }
            }
        }
    }

    @Test("the README's first two commands are the install and the test commands")
    func readmeCommands() throws {
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```sh\n").dropFirst().prefix(2).map { $0.components(separatedBy: "\n```")[0] }
        #expect(blocks == ["bash scripts/setup.sh && swift run -c release sipas index datasets/sipas-2024-synthetic.csv --instrument khanhhoa-admin",
                           "bash scripts/setup.sh && swift build && bash scripts/with-postgres.sh swift test"])
        #expect(!readme.prefix(upTo: readme.range(of: "```")!.lowerBound).contains("`sipas "), "no command before the first two")
    }

    @Test("every relative link of the guides and the README's guide section points to a file")
    func links() throws {
        for page in Self.pages + ["README.md"] {
            let file = TestPaths.packageRoot.appendingPathComponent(page)
            let text = try String(contentsOf: file, encoding: .utf8)
            let folder = file.deletingLastPathComponent()
            let pattern = try NSRegularExpression(pattern: #"\]\(([^)#\s]+)(#[^)]*)?\)"#)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let target = String(text[Range(match.range(at: 1), in: text)!])
                if target.contains("://") || target.hasPrefix("mailto:") { continue }
                let path = folder.appendingPathComponent(target).standardizedFileURL.path
                #expect(FileManager.default.fileExists(atPath: path), "\(page): the link \(target) points to nothing")
                // Pictures stay small (scripts/guide-pictures.sh renders them and checks the same limit).
                if target.hasSuffix(".png"), let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int {
                    #expect(size > 1_000 && size < 300_000, "\(page): \(target) is \(size) bytes (limit 300 KB)")
                }
            }
        }
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("docs/huong-dan/README.md") && readme.contains("docs/guide/README.md"))
    }
}
