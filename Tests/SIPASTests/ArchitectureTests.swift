import Foundation
import Testing

/// docs/architecture.md's module map is checked against the code: each module's row lists exactly the sipas modules
/// and C shims its source files import, and every module has a row. A new import (or a dropped one) fails here
/// until the page says so.
@Suite("Architecture page matches the imports")
struct ArchitectureTests {
    /// Module → what its row says it imports, in the table's order.
    static func documentedImports() throws -> [(module: String, imports: Set<String>)] {
        let page = try String(contentsOfFile: TestPaths.packageRoot.appendingPathComponent("docs/architecture.md").path, encoding: .utf8)
        var rows: [(module: String, imports: Set<String>)] = []
        for line in page.components(separatedBy: "\n") where line.hasPrefix("| `SIPAS") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5 else { continue }
            let module = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let listed = cells[3]
            var imports = Set(Self.backticked(listed))
            if listed.contains("all of the above") { imports.formUnion(rows.map(\.module)) }
            rows.append((module, imports))
        }
        return rows
    }

    static func backticked(_ text: String) -> [String] {
        text.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    }

    /// The sipas modules and C shims (`C` + capital letter) that a module's source files import.
    static func actualImports(_ module: String) throws -> Set<String> {
        let folder = TestPaths.packageRoot.appendingPathComponent("Sources/\(module)").path
        guard let files = FileManager.default.enumerator(atPath: folder)?.compactMap({ $0 as? String }).filter({ $0.hasSuffix(".swift") }) else {
            return []
        }
        var found: Set<String> = []
        for file in files {
            let text = try String(contentsOfFile: (folder as NSString).appendingPathComponent(file), encoding: .utf8)
            for line in text.components(separatedBy: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                      words[..<index].allSatisfy({ $0.hasPrefix("@") }) else { continue }
                let name = words[index + 1]
                let isShim = name.count > 1 && name.hasPrefix("C") && name.dropFirst().first!.isUppercase
                if name.hasPrefix("SIPAS") || isShim { found.insert(name) }
            }
        }
        return found
    }

    @Test("each row of the module map lists exactly what its module imports; every module has a row")
    func moduleMapMatchesImports() throws {
        let rows = try Self.documentedImports()
        let modules = try FileManager.default.contentsOfDirectory(atPath: TestPaths.packageRoot.appendingPathComponent("Sources").path)
            .filter { $0.hasPrefix("SIPAS") }
        #expect(Set(rows.map(\.module)) == Set(modules), "modules without a row, or rows without a module")
        #expect(rows.count > 10)
        for (module, documented) in rows {
            let actual = try Self.actualImports(module)
            #expect(documented == actual, """
                \(module): the page lists \(documented.sorted()), the code imports \(actual.sorted()) \
                (missing from the page: \(actual.subtracting(documented).sorted()); not imported: \(documented.subtracting(actual).sorted()))
                """)
        }
    }

    @Test("dependencies run one way: a module imports only modules listed above it")
    func layering() throws {
        let rows = try Self.documentedImports()
        for (position, row) in rows.enumerated() {
            let above = Set(rows[..<position].map(\.module))
            let sipas = row.imports.filter { $0.hasPrefix("SIPAS") }
            #expect(sipas.isSubset(of: above), "\(row.module) imports \(sipas.subtracting(above).sorted()), listed below it")
        }
    }
}
