import Foundation
import Testing

/// Paths used by the tests, located from this source file so no resource bundle is needed.
enum TestPaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    /// ../shared beside the project (reference data, seeds); CI has it too.
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Whether ../shared holds `relative` (for a `.requires` trait).
    static func hasShared(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent(relative).path)
    }

    /// The path of a file under ../shared; a missing file fails the test (a test that may run without it carries
    /// `.requires(TestPaths.hasShared(…), …)`, so it is reported as skipped outside CI and fails under CI=true).
    static func sharedFile(_ relative: String) throws -> String {
        let path = shared.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else { throw MissingRequirement(what: "\(path) (../shared beside the project)") }
        return path
    }
}

/// The debug `sipas` binary that `swift build` makes (the tests that run it as a child process).
let sipasBinary = TestPaths.packageRoot.appendingPathComponent(".build/debug/sipas").path

/// Whether `swift build` has made the binary.
var sipasBinaryBuilt: Bool { FileManager.default.isExecutableFile(atPath: sipasBinary) }

/// Where Debian installs Chromium (headless layout checks).
let chromiumPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]

/// The first of `candidates` that is installed, or nil.
func installedProgram(_ candidates: [String]) -> String? {
    candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// The first of `candidates` that is installed; none fails the test (give the test
/// `.requires(installedProgram(…) != nil, …)` so that outside CI it is reported as skipped instead).
func requiredProgram(_ candidates: [String]) throws -> String {
    guard let found = installedProgram(candidates) else {
        throw MissingRequirement(what: "\(candidates.joined(separator: " or ")) (scripts/setup.sh installs it)")
    }
    return found
}

/// Fails the test when the binary is missing (tests with `.requires(sipasBinaryBuilt, …)`).
func requireBinary() throws {
    guard sipasBinaryBuilt else { throw MissingRequirement(what: "\(sipasBinary): run swift build before swift test") }
}

/// Whether the tests run under CI (`CI=true`): there nothing may be skipped.
let runningUnderCI = ProcessInfo.processInfo.environment["CI"] == "true"

/// Something a test needs is not on this machine.
struct MissingRequirement: Error, CustomStringConvertible {
    var what: String
    var description: String { "missing: \(what)" }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when `available()` holds; otherwise it is reported as skipped with `reason`. Under CI=true
    /// the test always runs, so what is missing (a file of ../shared, a program, the PostgreSQL server, the built
    /// binary) fails it instead of skipping it.
    static func requires(_ available: @autoclosure @escaping @Sendable () -> Bool, _ reason: Comment) -> Self {
        .enabled(reason) { runningUnderCI || available() }
    }
}

/// |a − b| ≤ absolute + relative · |b|: the tolerance every numeric test states (there is no default: a check
/// without a stated tolerance does not compile).
func close(_ a: Double?, _ b: Double, relative: Double, absolute: Double = 0) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= absolute + relative * abs(b)
}

/// |a − b| ≤ absolute.
func close(_ a: Double?, _ b: Double, absolute: Double) -> Bool {
    close(a, b, relative: 0, absolute: absolute)
}

/// A folder of one test's own under the system temporary folder. Test files hold fixture names and phone
/// numbers, and nothing may stay behind in /tmp: every test that writes a file makes a folder, writes inside it and
/// removes it, with `withTemporaryFolder { folder in … }` or `let folder = try TemporaryFolder()` followed by
/// `defer { folder.remove() }`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Removes the folder and everything in it.
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` in the folder (nothing is written).
    func path(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `text` (UTF-8) to `name` in the folder and returns the file's path.
    func file(_ name: String = "data.csv", _ text: String) throws -> String {
        let file = path(name)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// Runs `body` with a fresh temporary folder and removes the folder, with everything written into it, when `body`
/// returns or throws.
func withTemporaryFolder<T>(_ body: (TemporaryFolder) throws -> T) throws -> T {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    return try body(folder)
}
