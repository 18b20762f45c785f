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

    /// A file under ../shared. Under CI=true a missing file is a failure, never a skip.
    static func sharedFile(_ relative: String) -> String? {
        let path = shared.appendingPathComponent(relative).path
        if FileManager.default.fileExists(atPath: path) { return path }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("\(path) is missing; CI must have ../shared beside the project")
        }
        return nil
    }
}

/// |a − b| ≤ absolute + relative · |b|: the tolerance every numeric test states.
func close(_ a: Double?, _ b: Double, relative: Double = 0, absolute: Double = 0) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= absolute + relative * abs(b)
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
