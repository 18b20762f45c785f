import Foundation
import Testing
@testable import SIPASModels

/// Loading the model fixtures (Fixtures/models; see Fixtures/README.md for how they were produced).
enum ModelFixtures {
    static let csv = TestPaths.fixture("models/regression.csv")

    /// r-results.json: R 4.2.2 + sandwich 3.0.2 + psych 2.2.9 output of make_fixtures.R (15 significant digits).
    static func rResults() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("models/r-results.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A JSON array of numbers, with null as nil.
    static func numbers(_ value: Any?) -> [Double?] {
        (value as? [Any])?.map { $0 as? Double } ?? []
    }

    /// The columns of a small numeric CSV (header line, comma-separated, blank = nil) by name.
    static func columns(of path: String) throws -> [String: [String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        var result: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            for (name, cell) in zip(header, cells) { result[name, default: []].append(cell) }
        }
        return result
    }

    /// The fixture's regression data (y on x1…x4, optional weights and clusters), read without the CSV reader.
    static func regressionData(weighted: Bool = false, clustered: Bool = false) throws -> RegressionData {
        let columns = try columns(of: csv)
        func variable(_ name: String) -> Variable { Variable(name, columns[name]!.map { Double($0) }) }
        return try RegressionData(response: variable("y"), predictors: ["x1", "x2", "x3", "x4"].map(variable),
                                  weights: weighted ? variable("w") : nil,
                                  clusters: clustered ? ("g", columns["g"]!.map { $0.isEmpty ? nil : $0 }) : nil)
    }
}

/// −log10 of the relative error (the number of correct significant digits; 15 when exact), as in McCullough
/// (1998), "Assessing the reliability of statistical software", for reporting agreement with certified values.
func logRelativeError(_ computed: Double, _ certified: Double) -> Double {
    if computed == certified { return 15 }
    let error = certified == 0 ? abs(computed) : abs(computed - certified) / abs(certified)
    return min(15, -log10(error))
}
