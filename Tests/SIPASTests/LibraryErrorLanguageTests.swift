import Foundation
import Testing
import SIPASInstrument
import SIPASLinearAlgebra
import SIPASModels
import SIPASSampling
import SIPASData
import SIPASDesign
import SIPASReport
import SIPASSupport
import SIPASSynthetic

/// Library errors say what went wrong in Vietnamese with no English words (apart from method, option, column
/// and file names), and in English with no Vietnamese letters outside quoted values.
@Suite("Library error languages")
struct LibraryErrorLanguageTests {
    static let englishWords = [" the ", "expected", "must", "cannot", "unknown", "missing", " is ", " not "]
    static let vietnameseLetters = "[ạảãàáâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ]"

    static func check(_ error: any LocalizedFailure, vietnamese: String) {
        let vi = error.text(.vi), en = error.text(.en)
        #expect(vi.contains(vietnamese), "got: \(vi)")
        for word in englishWords { #expect(!vi.contains(word), "'\(word)' in: \(vi)") }
        let unquoted = en.replacingOccurrences(of: "'[^']*'", with: "", options: .regularExpression)
        #expect(unquoted.range(of: vietnameseLetters, options: .regularExpression) == nil, "Vietnamese in: \(en)")
        #expect(error.description == en)
    }

    @Test("an instrument with a misspelt scale")
    func instrument() throws {
        let yaml = "id: x\ntitle: {vi: a, en: a}\ncontents:\n  - id: c\n    label: {vi: a, en: a}\n    factors:\n      - id: f\n"
            + "        label: {vi: a, en: a}\n        criteria:\n          - id: q1\n            label: {vi: a, en: a}\n            scale: likert7\n"
        do { _ = try Instrument.parse(yaml, file: "x.yaml"); Issue.record("no error") } catch let error as InstrumentError {
            Self.check(error, vietnamese: "không có thang 'likert7'")
        }
    }

    @Test("a sample size the margin cannot give, and counts larger than their parent")
    func sampling() throws {
        do { _ = try SampleSize.required(standardDeviation: 15, margin: 1e-9); Issue.record("no error") } catch let error as SamplingError {
            Self.check(error, vietnamese: "sai số quá nhỏ so với SD")
        }
        do { try FieldworkCounts(issued: 2, returned: 3).checkParts(); Issue.record("no error") } catch let error as SamplingError {
            Self.check(error, vietnamese: "nhiều hơn phiếu phát ra")
        }
    }

    @Test("model and linear-algebra errors")
    func models() {
        Self.check(ModelError.collinear(predictors: ["x2"], tolerance: 1e-10), vietnamese: "tổ hợp tuyến tính")
        Self.check(ModelError.zeroVariance(variable: "x"), vietnamese: "cùng một giá trị")
        Self.check(ModelError.tooFewObservations(observations: 2, parameters: 3), vietnamese: "dòng dùng được")
        Self.check(ModelError.singleCluster(column: "xa"), vietnamese: "chỉ có một cụm")
        Self.check(LinearAlgebraError.singular(routine: "dtrtrs", index: 2), vietnamese: "ma trận suy biến")
        Self.check(LinearAlgebraError.nonFinite(vi: "ma trận", en: "matrix"), vietnamese: "NaN hoặc vô hạn")
    }

    @Test("design files, calibration, outputs, workbooks and synthetic data")
    func designsAndFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // A design file: an unknown policy, a misspelt method, an inconsistent margin, a bad replicates block.
        for (yaml, vietnamese) in [
            ("lonely_psu: drop\n", "không phải là một cách xử lý"),
            ("strata: s\ncalibration:\n  method: rakeing\n  margins:\n    g: {a: 1}\n", "không phải là một phương pháp"),
            ("calibration:\n  method: rake\n  margins:\n    g: {a: 1, b: 2}\n    h: {x: 5}\n", "mọi biên phải đếm cùng một tổng thể"),
            ("replicates:\n  columns: \"rw*\"\n  type: fay\n", "kiểu Fay cần rho"),
            ("colour: blue\n", "không có khóa này"),
        ] {
            let path = try folder.file("design.yaml", yaml)
            do { _ = try DesignSpecification.load(path: path); Issue.record("no error for \(yaml)") } catch let error as DesignFileError {
                Self.check(error, vietnamese: vietnamese)
            }
        }
        Self.check(CalibrationError.blank(file: "a.csv", row: 3, variable: "gender"), vietnamese: "để trống")
        Self.check(CalibrationError.notConverged(method: "rake", iterations: 50, worst: "gender = nam", relativeError: 0.0123), vietnamese: "không hội tụ sau 50 vòng lặp")
        Self.check(CalibrationError.outsideBounds(g: 3.5, lower: 0.5, upper: 2, cell: "gender = nam"), vietnamese: "nằm ngoài giới hạn")
        Self.check(CalibrationError.collinear(column: "age"), vietnamese: "tổ hợp tuyến tính")
        // A file in a folder that is a file: the system's reason, in Vietnamese for the common ones.
        let blocker = try folder.file("blocker", "x")
        do { try OutputFile.write("x", to: blocker + "/out.csv"); Issue.record("no error") } catch let error as OutputFileError {
            #expect(error.text(.vi).hasPrefix("không ghi được "), "\(error.text(.vi))")
            #expect(error.text(.en).hasPrefix("cannot write "))
        }
        do { try OutputFile.write("x", to: folder.path); Issue.record("no error") } catch let error as OutputFileError {
            Self.check(error, vietnamese: "đây là một thư mục")
        }
        Self.check(XLSXError(path: "a.xlsx", message: "cannot add sheet 'x'", vi: "không thêm được trang 'x'"), vietnamese: "không thêm được trang")
        Self.check(SyntheticError.tooFewRespondents(minimum: 1280), vietnamese: "1.280")
        Self.check(SyntheticError.invalidRate, vietnamese: "0,5")
    }
}
