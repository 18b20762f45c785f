import ArgumentParser
import Foundation
import Testing
@testable import SIPASCommandLine

/// Session and script inputs that used to be accepted silently and fail (or be ignored) later.
@Suite("Session checks at the point of entry")
struct SessionChecksTests {
    static let root = TestPaths.packageRoot.path

    @Test func aDesignColumnIsCheckedWhenDeclared() {
        let session = REPLSession(workingDirectory: Self.root)
        #expect(!session.execute("open datasets/sipas-2024-synthetic.csv as d").failed)
        let typo = session.execute("design --strata stratm --weight weight")
        #expect(typo.failed)
        #expect(typo.output.contains("stratm") && typo.output.contains("stratum"), "\(typo.output)")
        #expect(session.state.design.isEmpty, "a refused design leaves the session's design as it was")
        #expect(!session.execute("design --strata stratum --weight weight").failed)
    }

    @Test func aMisspeltScriptVariableIsAnError() throws {
        try withTemporaryFolder { folder in
            let script = try folder.file("report.sipas", "default unit = U01\nlet year = 2024\nhelp ${unit} $year\n")
            let wrong = try RunCommand.parse([script, "--set", "unti=U12"])
            #expect {
                try wrong.render()
            } throws: { "\($0)".contains("unti") && "\($0)".contains("unit, year") }
            let right = try RunCommand.parse([script, "--set", "unit=U12"])
            _ = try right.render()
        }
    }

    @Test func historyFollowsTheEnvironment() throws {
        #expect(ReplCommand.historyPath(["SIPAS_HISTORY": "/x/h"]) == "/x/h")
        #expect(ReplCommand.historyPath(["HOME": "/home/analyst"]) == "/home/analyst/.sipas_history")
        try withTemporaryFolder { folder in
            #expect(ReplCommand.historyPath(["HOME": "/home/analyst", "XDG_STATE_HOME": folder.path]) == folder.path + "/sipas/history")
            var isFolder: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: folder.path + "/sipas", isDirectory: &isFolder) && isFolder.boolValue)
        }
    }

    @Test func compareWritesCSVWithTheJSONNumbers() throws {
        let data = TestPaths.fixture("design/sipas-subset.csv")
        let csv = try CompareCommand.parse([data, "-i", "khanhhoa-admin", "--by", "unit_id", "--format", "csv"]).render()
        let json = try CompareCommand.parse([data, "-i", "khanhhoa-admin", "--by", "unit_id", "--format", "json"]).render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let differences = try #require(object["units_vs_province"] as? [[String: Any]])
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines[0].first == "section")
        let rows = lines.filter { $0.first == "unit_vs_province" }
        #expect(rows.count == differences.count && !rows.isEmpty)
        for (row, difference) in zip(rows, differences) {
            // Foundation's JSON parser on Linux rounds the last digit of what sipas wrote exactly: 1e-14 relative.
            #expect(close(Double(row[4]), difference["difference"] as? Double ?? .nan, relative: 1e-14))
            #expect(close(Double(row[10]), difference["p_adjusted"] as? Double ?? .nan, relative: 1e-14))
        }
        #expect(lines.contains { $0.first == "province" })
    }

    @Test func everySessionCommandHasHelpInBothLanguages() {
        let session = REPLSession(workingDirectory: Self.root)
        for command in REPLSession.sessionCommands + REPLSession.analysisCommands {
            for language in ["vi", "en"] {
                _ = session.execute("set lang \(language)")
                let output = session.execute("help \(command)").output
                #expect(!output.contains("No command") && !output.contains("Không có lệnh"), "help \(command) (\(language))")
            }
        }
        _ = session.execute("set lang vi")
        let list = session.execute("help").output
        for title in ["Dữ liệu:", "Chỉ số:", "So sánh:", "Yếu tố tác động:", "Mô hình:", "Báo cáo:", "Chọn mẫu:", "Phiên làm việc:"] {
            #expect(list.contains(title), "\(title)")
        }
        for command in ["drivers", "importance", "report", "sample"] { #expect(list.contains("  \(command) ")) }
    }
}
