import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion for the tests (the `sipas` binary, tmux, unzip, chromium).
///
/// Foundation's `Process.waitUntilExit()` can hang on Linux when several tests start children at once (the child
/// is left a zombie and the run loop never hears of it): seen here as a CI run that never ended. This helper uses
/// `posix_spawn` and `waitpid` directly. Standard input, output and error go through temporary files, never pipes,
/// so a child that leaves a daemon behind (the tmux server, chromium's crash handler) cannot hold a test open, and
/// the child closes every other descriptor the test process has open.
enum ChildProcess {
    struct Result {
        var status: Int32
        var timedOut = false
        var output: Data
        var errorOutput: Data
        var outputText: String { String(decoding: output, as: UTF8.self) }
        var errorText: String { String(decoding: errorOutput, as: UTF8.self) }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `path` with `arguments`; `input` is its standard input (empty when nil), `directory` its working folder,
    /// `environment` extra variables. With `timeout` (seconds) a child still running then is killed and the result
    /// has `timedOut` set (and the status of the kill, 137).
    static func run(_ path: String, _ arguments: [String], input: Data? = nil, directory: String? = nil,
                    environment: [String: String] = [:], timeout: Double? = nil) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputPath = folder.appendingPathComponent("stdin").path
        let outputPath = folder.appendingPathComponent("stdout").path
        let errorPath = folder.appendingPathComponent("stderr").path
        try (input ?? Data()).write(to: URL(fileURLWithPath: inputPath))

        let inputFD = open(inputPath, O_RDONLY | O_CLOEXEC)
        let outputFD = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let errorFD = open(errorPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { for fd in [inputFD, outputFD, errorFD] where fd >= 0 { close(fd) } }
        guard inputFD >= 0, outputFD >= 0, errorFD >= 0 else { throw SpawnError(description: "cannot open files in \(folder.path)") }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputFD, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, errorFD, 2)
        if let closeFrom = GlibcExtension.closeFrom { _ = closeFrom(&actions, 3) }

        var program = path, programArguments = arguments
        if let directory {
            if let changeDirectory = GlibcExtension.changeDirectory {
                _ = directory.withCString { changeDirectory(&actions, $0) }
            } else {
                // Older C libraries: let the shell change folder, then replace itself with the program.
                program = "/bin/sh"
                programArguments = ["-c", "cd \"$0\" && exec \"$@\"", directory, path] + arguments
            }
        }

        let argv = ([program] + programArguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard spawned == 0 else { throw SpawnError(description: "cannot start \(program): \(String(cString: strerror(spawned)))") }

        var status: Int32 = 0
        var timedOut = false
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        while true {
            let reaped = waitpid(pid, &status, deadline == nil ? 0 : WNOHANG)
            if reaped == pid { break }
            if reaped == -1 {
                guard errno == EINTR else { throw SpawnError(description: "waitpid(\(pid)) failed: \(String(cString: strerror(errno)))") }
                continue
            }
            if let deadline, Date() > deadline, !timedOut {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(2_000)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitStatus, timedOut: timedOut,
                      output: (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data(),
                      errorOutput: (try? Data(contentsOf: URL(fileURLWithPath: errorPath))) ?? Data())
    }
}

/// glibc's non-portable spawn file actions (2.29+ and 2.34+), looked up at run time because Swift's Glibc module
/// does not declare them.
private enum GlibcExtension {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
