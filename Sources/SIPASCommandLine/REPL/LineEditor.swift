import CEditLine
import Foundation
import SIPASStore
import SIPASSupport

/// Reads command lines: with libedit (editing, history, tab completion) on a terminal, plain lines otherwise.
/// On a pipe nothing but command output is written: no prompt, no escape codes.
final class LineEditor {
    let interactive: Bool
    let historyPath: String?

    /// What libedit's completion hook needs: the session's completer, the candidates of the word being completed
    /// and the next one to hand out. libedit calls the hook from `readline`, on the thread reading lines; the lock
    /// is there so that the compiler can check every other access.
    struct CompletionState: @unchecked Sendable {
        var completer: ((String, String) -> [String])?
        var candidates: [String] = []
        var next = 0
    }
    static let completion = Locked(CompletionState())

    /// Installs the function that lists completions of (line before the word, word).
    static func setCompleter(_ completer: @escaping (String, String) -> [String]) {
        completion.withLock { $0.completer = completer }
    }

    init(historyPath: String?) {
        interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        self.historyPath = historyPath
        if interactive {
            sipas_install_interrupt_handler()
            using_history()
            if let historyPath { read_history(historyPath) }
            sipas_set_completer { text, start, _ in
                guard let text else { return nil }
                let word = String(cString: text)
                let line = String(cString: sipas_line_buffer())
                let prefix = String(line.utf8.prefix(Int(start))) ?? ""
                let completer = LineEditor.completion.withLock { UncheckedSendable($0.completer) }.value
                let candidates = completer?(prefix, word) ?? []
                LineEditor.completion.withLock { $0.candidates = candidates }
                sipas_completion_done()
                if candidates.isEmpty { return nil }
                return rl_completion_matches(text) { _, state in
                    let candidate: String? = LineEditor.completion.withLock { completion in
                        if state == 0 { completion.next = 0 }
                        guard completion.next < completion.candidates.count else { return nil }
                        defer { completion.next += 1 }
                        return completion.candidates[completion.next]
                    }
                    return candidate.flatMap { strdup($0) }
                }
            }
        }
    }

    /// Whether Ctrl-C was pressed since the last call (and forget it).
    static func takeInterrupt() -> Bool { sipas_take_interrupt() != 0 }
    static var interruptPending: Bool { sipas_interrupt_pending() != 0 }

    /// The next line, or nil at the end of input.
    func readLine(prompt: String) -> String? {
        guard interactive else { return Swift.readLine(strippingNewline: true) }
        guard let raw = readline(prompt) else {
            // Ctrl-C: the half-typed line is dropped and a new prompt follows; the session goes on.
            if sipas_take_interrupt() != 0 {
                print("")
                return ""
            }
            // Ctrl-D at the prompt: end the prompt's line so the shell's prompt starts on a line of its own.
            print("")
            return nil
        }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            // A server's password is kept out of the history file.
            add_history(StoreLocation.redacted(line))
            if let historyPath { write_history(historyPath) }
        }
        return line
    }
}
