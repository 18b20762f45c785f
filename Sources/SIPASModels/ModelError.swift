import SIPASInstrument
import SIPASLinearAlgebra

/// Data-caused trouble in a model: each case says which variable (and where relevant which row) and what was
/// expected, in Vietnamese and English. Library code throws these; the CLI prints `text(language)`, and
/// `description` is the English text.
public enum ModelError: Error, Equatable, LocalizedFailure {
    /// Predictors that are (numerically) linear combinations of the others, by name. `tolerance` is the
    /// relative size below which a pivot of the column-equilibrated QR factor counts as zero.
    case collinear(predictors: [String], tolerance: Double)
    /// A predictor (or scale item) that takes a single value over the rows used.
    case zeroVariance(variable: String)
    /// Too few usable rows for the number of parameters (n must exceed the parameter count).
    case tooFewObservations(observations: Int, parameters: Int)
    /// A weight that is zero, negative or not finite; `row` is the 1-based data row of the file.
    case invalidWeight(row: Int, column: String, value: Double)
    /// Cluster-robust standard errors need at least two clusters.
    case singleCluster(column: String)
    /// A model with nothing to estimate (no predictors and no intercept), or a scale with fewer than 2 items.
    case nothingToEstimate(vi: String, en: String)
    /// Columns of different lengths, a name used twice, or an option that does not fit the data.
    case invalidSpecification(vi: String, en: String)

    public var description: String { text(.en) }

    public func text(_ language: Language) -> String {
        let vi = language == .vi
        switch self {
        case .collinear(let predictors, let tolerance):
            let names = predictors.map { "'\($0)'" }.joined(separator: ", ")
            if vi {
                return "\(names) là tổ hợp tuyến tính (theo sai số tính toán) của các biến giải thích còn lại "
                    + "(QR có hoán vị cột, sai số tương đối \(Note.vi("\(tolerance)"))); hãy bỏ \(predictors.count == 1 ? "biến này" : "một trong các biến này") "
                    + "hoặc gộp các biến cộng tuyến thành một điểm số"
            }
            return "\(names) \(predictors.count == 1 ? "is" : "are") (numerically) a linear combination of the other "
                + "predictors (pivoted QR, relative tolerance \(tolerance)); drop \(predictors.count == 1 ? "it" : "one of them") "
                + "or combine the collinear predictors into one score"
        case .zeroVariance(let variable):
            if vi { return "'\(variable)' có cùng một giá trị ở mọi dòng được dùng; biến này không mang thông tin nên không ước lượng được" }
            return "'\(variable)' has the same value in every row used; it carries no information and cannot be estimated"
        case .tooFewObservations(let n, let k):
            if vi { return "\(Note.integer(n, .vi)) dòng dùng được cho \(Note.integer(k, .vi)) tham số: cần nhiều dòng hơn số tham số (n > p)" }
            return "\(n) usable row(s) for \(k) parameter(s): need more rows than parameters (n > p)"
        case .invalidWeight(let row, let column, let value):
            if vi {
                return "hàng dữ liệu \(row), cột '\(column)': quyền số \(Note.vi("\(value)")) không dương; quyền số phải > 0 "
                    + "(hãy bỏ dòng này hoặc sửa quyền số)"
            }
            return "row \(row), column '\(column)': weight \(value) is not positive; weights must be > 0 (drop the row or fix the weight)"
        case .singleCluster(let column):
            if vi {
                return "cột cụm '\(column)' chỉ có một cụm trong các dòng được dùng; sai số chuẩn vững theo cụm cần ít nhất hai cụm"
            }
            return "cluster column '\(column)' has a single cluster among the rows used; cluster-robust standard errors need at least two"
        case .nothingToEstimate(let textVi, let textEn): return vi ? textVi : textEn
        case .invalidSpecification(let textVi, let textEn): return vi ? textVi : textEn
        }
    }
}

/// The linear-algebra layer's errors in the command line's language: they reach the user when a model's data
/// leave a matrix singular or not finite.
extension LinearAlgebraError: LocalizedFailure {
    public func text(_ language: Language) -> String { language == .vi ? vietnamese : description }
}
