import Foundation

/// The terminal sipas writes to, if standard output is one: its size, and a pager for output longer than the
/// screen. On a pipe or a file nothing changes: no width, no pager, the same bytes every time.
enum Terminal {
    /// Columns of the terminal on standard output; nil when it is not a terminal.
    static var width: Int? { size?.columns }

    static var size: (columns: Int, rows: Int)? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 else { return nil }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// The pager command: $SIPAS_PAGER, else $PAGER, else `less -FRSX` when installed; "" or "none" turns it off.
    static var pager: String? {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["SIPAS_PAGER"] ?? environment["PAGER"] {
            let trimmed = chosen.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed == "none" || trimmed == "cat" ? nil : trimmed
        }
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/less") ? "less -FRSX" : nil
    }

    /// Writes `text` to standard output, through the pager when it is longer than the terminal's screen.
    static func show(_ text: String) {
        guard let size, let pager, text.reduce(0, { $0 + ($1 == "\n" ? 1 : 0) }) >= size.rows - 1 else {
            print(text, terminator: "")
            return
        }
        // posix_spawn, not Foundation's Process: the pager must stay in the terminal's foreground process group
        // to read keys (Process starts a new group, where `less` would be stopped by SIGTTIN).
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { print(text, terminator: ""); return }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        // Ctrl-C while paging belongs to the pager: sipas ignores it until the pager ends.
        // A pager quit early (q) closes the pipe: the write fails instead of raising SIGPIPE.
        var ignore = sigaction(), previous = sigaction(), previousPipe = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        sigaction(SIGINT, &ignore, &previous)
        sigaction(SIGPIPE, &ignore, &previousPipe)
        defer {
            sigaction(SIGINT, &previous, nil)
            sigaction(SIGPIPE, &previousPipe, nil)
        }
        var child: pid_t = 0
        let arguments = ["/bin/sh", "-c", pager]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let started = posix_spawn(&child, "/bin/sh", &actions, &attributes, &argv, environ)
        close(fds[0])
        guard started == 0 else {
            close(fds[1])
            print(text, terminator: "")
            return
        }
        let data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let written = data[offset...].withUnsafeBufferPointer { write(fds[1], $0.baseAddress, $0.count) }
            if written <= 0 { break }  // the pager quit before reading everything
            offset += written
        }
        close(fds[1])
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
    }
}
