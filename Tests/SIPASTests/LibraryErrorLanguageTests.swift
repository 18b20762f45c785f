import Foundation
import Testing
import SIPASInstrument
import SIPASLinearAlgebra
import SIPASModels
import SIPASSampling

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
}
