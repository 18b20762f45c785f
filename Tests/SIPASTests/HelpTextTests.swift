import ArgumentParser
import Foundation
import Testing
@testable import SIPASCommandLine

/// Every command's `--help`, pinned word for word in Tests/SIPASTests/Fixtures/help/ (one file per command path,
/// "sample-size.txt" for `sipas sample size`), so that a change to help is a reviewed change. After changing help on
/// purpose: `SIPAS_UPDATE_HELP=1 swift test --filter HelpText`, then read the diff.
@Suite("Help text, pinned")
struct HelpTextTests {
    /// Every command path under `sipas`, depth first, with its type.
    static func commands(_ type: ParsableCommand.Type = SIPASCommand.self, path: [String] = []) -> [([String], ParsableCommand.Type)] {
        var found: [([String], ParsableCommand.Type)] = [(path, type)]
        for sub in type.configuration.subcommands {
            found += commands(sub, path: path + [sub._commandName])
        }
        return found
    }

    static let folder = TestPaths.fixture("help")

    static func file(_ path: [String]) -> String {
        (folder as NSString).appendingPathComponent((path.isEmpty ? "sipas" : path.joined(separator: "-")) + ".txt")
    }

    @Test("every command's --help equals its pinned text (100 columns)")
    func pinned() throws {
        let update = ProcessInfo.processInfo.environment["SIPAS_UPDATE_HELP"] == "1"
        let all = Self.commands()
        #expect(all.count > 25, "found \(all.count) commands")
        var expectedFiles: Set<String> = []
        for (path, type) in all {
            let text = SIPASCommand.helpMessage(for: type, columns: 100) + "\n"
            let file = Self.file(path)
            expectedFiles.insert((file as NSString).lastPathComponent)
            if update {
                try text.write(toFile: file, atomically: true, encoding: .utf8)
                continue
            }
            let pinned = try? String(contentsOfFile: file, encoding: .utf8)
            #expect(pinned == text, "sipas \(path.joined(separator: " ")) --help differs from \(file); if intended, run SIPAS_UPDATE_HELP=1 swift test --filter HelpText")
        }
        // A pinned file for a command that no longer exists is stale.
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter { $0.hasSuffix(".txt") })
        if update {
            for stale in present.subtracting(expectedFiles) { try FileManager.default.removeItem(atPath: (Self.folder as NSString).appendingPathComponent(stale)) }
        } else {
            #expect(present == expectedFiles, "stale or missing pinned help: \(present.symmetricDifference(expectedFiles).sorted())")
        }
    }
}
