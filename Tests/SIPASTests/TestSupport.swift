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

/// A temporary file holding `text`.
func temporaryFile(_ text: String, name: String = "data.csv") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sipas-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
