import Foundation
import ArgumentParser
import SIPASDesign
import SIPASInstrument
import SIPASSupport

/// A progress bar for long work (bootstrap replicates), drawn on standard error only when it is a terminal,
/// so pipes, scripts and CI logs never see escape codes.
public enum ProgressBar {
    /// The bootstrap's progress report (`Execution.progress`), or nil when standard error is not a terminal.
    public static var reporter: ProgressReport? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        return { done, total in
            let width = 30
            // Redraw at most ~100 times per run.
            guard done == total || done % max(1, total / 100) == 0 else { return }
            let filled = width * done / max(1, total)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line = done == total ? "\r\u{1B}[K" : "\rbootstrap \(bar) \(done)/\(total)"
            FileHandle.standardError.write(line.data(using: .utf8)!)
        }
    }

    /// Runs the command line with the progress bar installed (when standard error is a terminal).
    public static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let language = SIPASCommand.language(of: arguments)
        CommandExecution.$current.withValue(Execution(progress: reporter)) {
            CommandLanguage.$current.withValue(language) { run(arguments, language) }
        }
    }

    private static func run(_ arguments: [String], _ language: Language) -> Never {
        do {
            var command = try SIPASCommand.parseAsRoot(arguments)
            try command.run()
            SIPASCommand.exit()
        } catch let failure as LocalizedFailure {
            // A located problem with the user's files, told in the language the command line asked for.
            FileHandle.standardError.write(Data(((language == .vi ? "Lỗi: " : "Error: ") + failure.text(language) + "\n").utf8))
            SIPASCommand.exit(withError: ExitCode.failure)
        } catch {
            // Help and version go out as ArgumentParser writes them; its error messages (and the options'
            // refusals it wraps) are told in the command line's language.
            let code = SIPASCommand.exitCode(for: error)
            guard code != .success else { SIPASCommand.exit(withError: error) }
            let message = ParserMessages.text(SIPASCommand.fullMessage(for: error), language)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            SIPASCommand.exit(withError: code)
        }
    }
}

/// How the command being run executes its long work: `main` binds a progress bar on a terminal, a session binds
/// one that also stops at Ctrl-C. Commands copy it into the options they hand the library (`IndexOptions.execution`,
/// `DriverOptions.execution`, `CSVReadOptions.threads` …), so the library itself only sees explicit values. A
/// task-local value: commands run side by side (tests, sessions) never see each other's.
enum CommandExecution {
    @TaskLocal static var current = Execution()
}
