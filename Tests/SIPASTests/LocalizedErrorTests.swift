import Foundation
import Testing
@testable import SIPASCommandLine
import SIPASData
import SIPASInstrument

/// Errors about the user's files are told in the language the command asked for (Vietnamese by default), with
/// the place (file, sheet, cell, row, column) in that language's words; `description` stays English.
@Suite("Localized errors")
struct LocalizedErrorTests {
    static let binary = TestPaths.packageRoot.appendingPathComponent(".build/debug/sipas").path
    static let data = TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path

    @Test("the place words follow the language; a message without Vietnamese falls back to English")
    func placeWords() {
        let error = DataError(file: "khaosat.csv", line: 7, row: 6, column: "q03", message: "not an answer", vi: "không phải câu trả lời")
        #expect(error.text(.vi) == "khaosat.csv:7 (hàng dữ liệu 6, cột 'q03'): không phải câu trả lời")
        #expect(error.text(.en) == "khaosat.csv:7 (row 6, column 'q03'): not an answer")
        #expect(error.description == error.text(.en))
        let sheet = DataError(file: "khaosat.xlsx", column: "q03", message: "not an answer", vi: "không phải câu trả lời", sheet: "Phiếu", cell: "H17")
        #expect(sheet.text(.vi) == "khaosat.xlsx, trang tính 'Phiếu', ô H17 (cột 'q03'): không phải câu trả lời")
        #expect(sheet.text(.en) == "khaosat.xlsx, sheet 'Phiếu', cell H17 (column 'q03'): not an answer")
        let untranslated = DataError(file: "a.csv", message: "something else")
        #expect(untranslated.text(.vi) == "a.csv: something else")
        // The decimal-mark explanations: each case in both languages.
        let semicolon = DecimalRule(mark: nil, delimiter: UInt8(ascii: ";"))
        #expect(semicolon.notANumber("36.5", language: .vi)
                == "'36.5' không phải là số trong tệp này: dấu thập phân của tệp là ',' (dấu phân cách là ';'); nếu số trong tệp viết bằng '.', hãy dùng --decimal point")
        let point = DecimalRule(mark: .point, delimiter: UInt8(ascii: ";"))
        #expect(point.notANumber("36,5", language: .vi).hasSuffix("dấu thập phân của tệp là '.' (--decimal point); nếu số trong tệp viết bằng ',', hãy dùng --decimal comma"))
        #expect(point.notANumber("36,5").hasSuffix("its decimal mark is '.' (--decimal point); give --decimal comma if its numbers are written with ','"))
        let comma = DecimalRule(mark: nil, delimiter: UInt8(ascii: ","))
        #expect(comma.notANumber("1,500", language: .vi).hasPrefix("'1,500' không phải là số: dấu ',' có thể là dấu thập phân hoặc dấu phân cách hàng nghìn"))
        #expect(comma.notANumber("abc", language: .vi) == "'abc' không phải là số")
        #expect(SIPASCommand.language(of: ["index", "x.csv", "--lang", "en"]) == .en)
        #expect(SIPASCommand.language(of: ["index", "--lang=en", "x.csv"]) == .en)
        #expect(SIPASCommand.language(of: ["index", "x.csv"]) == .vi)
        #expect(SIPASCommand.language(of: ["index", "--", "--lang", "en"]) == .vi, "after -- words are data, not options")
    }

    @Test("a one-shot command's error is Vietnamese by default and English with --lang en", arguments: [
        (["index", "khong-co.csv", "-i", "khanhhoa-admin"], "Lỗi: khong-co.csv: không có tệp này", "Error: khong-co.csv: the file does not exist"),
        (["index", data, "-i", "khong-co"], "không có bộ câu hỏi mẫu hay tệp nào tên này", "no such preset or file"),
        (["index", data, "-i", "khanhhoa-admin", "--by", "khong_co"], "(cột 'khong_co'): không có cột này; tệp có các cột: respondent_id",
         "(column 'khong_co'): no such column; the file has: respondent_id"),
        (["index", data, "-i", "laichau-full"], "cần (các) cột tiêu chí c01", "needs criterion column(s) c01"),
    ])
    func oneShot(arguments: [String], vietnamese: String, english: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build sipas first (swift build)")
        let vi = try ChildProcess.run(Self.binary, arguments)
        #expect(vi.status == 1)
        #expect(vi.errorText.hasPrefix("Lỗi: "), "got: \(vi.errorText)")
        #expect(vi.errorText.contains(vietnamese), "got: \(vi.errorText)")
        #expect(!vi.errorText.contains(english))
        let en = try ChildProcess.run(Self.binary, arguments + ["--lang", "en"])
        #expect(en.status == 1)
        #expect(en.errorText.hasPrefix("Error: "), "got: \(en.errorText)")
        #expect(en.errorText.contains(english), "got: \(en.errorText)")
    }

    @Test("an answer off the scale and a weight that is not a number are told in Vietnamese")
    func cells() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build sipas first (swift build)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let header = "respondent_id,unit_id," + (1...16).map { String(format: "q%02d", $0) }.joined(separator: ",") + ",weight\n"
        let answers = try folder.file("answers.csv", header + "1,U1,5,4,nam" + String(repeating: ",4", count: 13) + ",1\n")
        let vi = try ChildProcess.run(Self.binary, ["index", answers, "-i", "khanhhoa-admin", "--strict"])
        #expect(vi.status == 1)
        #expect(vi.errorText.hasPrefix("Lỗi: \(answers):2 (hàng dữ liệu 1, cột 'q03'): 'nam' không phải câu trả lời hợp lệ của thang likert5 (cần 1-5"),
                "got: \(vi.errorText)")
        #expect(vi.errorText.contains("mã thiếu 9/99") && vi.errorText.contains("hoặc để trống)"))
        let weights = try folder.file("weights.csv", header + "1,U1" + String(repeating: ",4", count: 16) + ",abc\n")
        let weight = try ChildProcess.run(Self.binary, ["index", weights, "-i", "khanhhoa-admin", "--weight", "weight"])
        #expect(weight.errorText == "Lỗi: \(weights):2 (hàng dữ liệu 1, cột 'weight'): 'abc' không phải là số\n", "got: \(weight.errorText)")
        let english = try ChildProcess.run(Self.binary, ["index", weights, "-i", "khanhhoa-admin", "--weight", "weight", "--lang", "en"])
        #expect(english.errorText == "Error: \(weights):2 (row 1, column 'weight'): 'abc' is not a number\n", "got: \(english.errorText)")
    }

    @Test("option errors (ArgumentParser's and the commands' own refusals) are Vietnamese by default and English with --lang en",
          arguments: [
        (["index", data, "-i", "khanhhoa-admin", "--confidnce", "0.9"], "Lỗi: không có tuỳ chọn '--confidnce'; có phải ý bạn là '--confidence'?",
         "Error: Unknown option '--confidnce'. Did you mean '--confidence'?"),
        (["index", data, "-i", "khanhhoa-admin", "--confidence"], "Lỗi: thiếu giá trị cho '--confidence <confidence>'",
         "Error: Missing value for '--confidence <confidence>'"),
        (["index", data, "-i", "khanhhoa-admin", "--confidence", "abc"], "Lỗi: giá trị 'abc' không hợp lệ cho '--confidence <confidence>'",
         "Error: The value 'abc' is invalid for '--confidence <confidence>'"),
        (["index", data, "-i", "khanhhoa-admin", "--confidence", "1.5"], "Lỗi: --confidence phải là",
         "Error: --confidence must be"),
        (["sample", "size", "--margin", "2"], "Lỗi: ", "Error: "),
        (["generate", "--respondents", "0", "--output", "x.csv"], "Lỗi: --respondents phải là số nguyên từ 1.280 đến 50.000.000 (đã ghi 0)",
         "Error: --respondents must be a whole number from 1,280 to 50,000,000 (got 0)"),
    ])
    func optionErrors(arguments: [String], vietnamese: String, english: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build sipas first (swift build)")
        let vi = try ChildProcess.run(Self.binary, arguments)
        // 64 (EX_USAGE) for what ArgumentParser refuses, 1 for a value a command's own check refuses.
        #expect(vi.status == 64 || vi.status == 1, "got: \(vi.status) \(vi.errorText)")
        #expect(vi.errorText.hasPrefix(vietnamese), "got: \(vi.errorText)")
        // Usage lines are told in Vietnamese too; the English wording of ArgumentParser never shows.
        for english in ["Usage:", "See '", "Unknown option", "Missing value", "is invalid for", "must be", "Confidence level"] {
            #expect(!vi.errorText.contains(english), "\(english) in: \(vi.errorText)")
        }
        let en = try ChildProcess.run(Self.binary, arguments + ["--lang", "en"])
        #expect(en.status == vi.status)
        #expect(en.errorText.hasPrefix(english), "got: \(en.errorText)")
        #expect(en.errorText.range(of: "[ạảãàáâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ]", options: .regularExpression) == nil,
                "Vietnamese in: \(en.errorText)")
    }

    @Test("a session tells option errors in its language, without the one-shot usage lines")
    func sessionOptionErrors() {
        let session = REPLSession(workingDirectory: TestPaths.packageRoot.path)
        _ = session.execute("open datasets/sipas-2024-synthetic.csv as d")
        _ = session.execute("instrument khanhhoa-admin")
        let typo = session.execute("index --confidnce 0.9")
        #expect(typo.failed && typo.output.hasPrefix("Lỗi: không có tuỳ chọn '--confidnce'; có phải ý bạn là '--confidence'?"), "got: \(typo.output)")
        let range = session.execute("index --confidence 1.5")
        #expect(range.failed && range.output.hasPrefix("Lỗi: --confidence phải là"), "got: \(range.output)")
        #expect(!range.output.contains("Usage") && !range.output.contains("Cách dùng"))
        _ = session.execute("set lang en")
        let english = session.execute("index --confidence 1.5")
        #expect(english.failed && english.output.hasPrefix("Error: --confidence must be"), "got: \(english.output)")
    }

    @Test("a session tells a file error in the session's language")
    func session() {
        let session = REPLSession(workingDirectory: TestPaths.packageRoot.path)
        let vi = session.execute("open khong/co/tep.csv")
        #expect(vi.failed)
        #expect(vi.output.hasPrefix("Lỗi: ") && vi.output.contains("không có tệp này"), "got: \(vi.output)")
        #expect(session.execute("frobnicate").output == "Lỗi: không có lệnh 'frobnicate'. Gõ help để xem danh sách lệnh.\n")
        #expect(session.execute("index").output.contains("chưa có dữ liệu: hãy mở tệp trước"))
        _ = session.execute("open datasets/sipas-2024-synthetic.csv as d")
        let typo = session.execute("design --strata stratm")
        #expect(typo.failed && typo.output.contains("d không có cột 'stratm'; có phải ý bạn là stratum?"), "got: \(typo.output)")
        _ = session.execute("set lang en")
        #expect(session.execute("design --strata stratm").output.contains("d has no column 'stratm'; did you mean stratum?"))
        let en = session.execute("open khong/co/tep.csv")
        #expect(en.output.hasPrefix("Error: ") && en.output.contains("the file does not exist"), "got: \(en.output)")
    }
}
