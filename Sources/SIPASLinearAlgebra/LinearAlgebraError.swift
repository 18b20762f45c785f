/// Errors of the linear-algebra layer. LAPACK's `info` codes arrive here as typed cases. `description` is the
/// English text and `vietnamese` the Vietnamese one (the layer does not know SIPASInstrument's `Language`:
/// SIPASModels makes the type a `LocalizedFailure` with the two).
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// A dimension does not fit the operation (checked before LAPACK is called: Debian's reference
    /// LAPACK ends the process on an illegal argument).
    case dimensionMismatch(vi: String, en: String)
    /// A size does not fit LAPACK's 32-bit integers.
    case sizeTooLarge(Int)
    /// LAPACK reported an illegal argument (`info < 0`): a bug in this wrapper, never the data.
    case illegalArgument(routine: String, position: Int)
    /// The matrix is singular to working precision (`info > 0` from a triangular solve or factorization).
    case singular(routine: String, index: Int)
    /// Columns are linearly dependent: `dependentColumns` cannot be estimated from the others.
    case rankDeficient(rank: Int, dependentColumns: [Int])
    /// An iterative routine (SVD) did not converge.
    case noConvergence(routine: String, info: Int)
    /// Input contains NaN or infinity: what holds them, in Vietnamese and English ("ma trận" / "matrix").
    case nonFinite(vi: String, en: String)

    public var description: String {
        switch self {
        case .dimensionMismatch(_, let text): return "dimension mismatch: \(text)"
        case .sizeTooLarge(let n): return "size \(n) exceeds LAPACK's 32-bit integer range"
        case .illegalArgument(let routine, let position):
            return "\(routine) rejected argument \(position) (internal error, please report)"
        case .singular(let routine, let index): return "\(routine): matrix is singular (pivot \(index) is zero)"
        case .rankDeficient(let rank, let columns):
            return "matrix has rank \(rank); columns \(columns.map(String.init).joined(separator: ", ")) are linear combinations of the others"
        case .noConvergence(let routine, let info): return "\(routine) did not converge (info = \(info))"
        case .nonFinite(_, let what): return "\(what) contains NaN or infinite values"
        }
    }

    /// The same in Vietnamese (LAPACK routine names are kept as they are).
    public var vietnamese: String {
        switch self {
        case .dimensionMismatch(let text, _): return "kích thước không khớp: \(text)"
        case .sizeTooLarge(let n): return "kích thước \(n) vượt quá phạm vi số nguyên 32 bit của LAPACK"
        case .illegalArgument(let routine, let position):
            return "\(routine) từ chối đối số thứ \(position) (lỗi nội bộ, xin hãy báo lại)"
        case .singular(let routine, let index): return "\(routine): ma trận suy biến (phần tử trụ \(index) bằng 0)"
        case .rankDeficient(let rank, let columns):
            return "ma trận có hạng \(rank); các cột \(columns.map(String.init).joined(separator: ", ")) là tổ hợp tuyến tính của các cột khác"
        case .noConvergence(let routine, let info): return "\(routine) không hội tụ (info = \(info))"
        case .nonFinite(let what, _): return "\(what) chứa giá trị NaN hoặc vô hạn"
        }
    }
}

/// Converts a Swift size to LAPACK's integer type, failing instead of wrapping.
@inline(__always)
func lapackInt(_ n: Int) throws -> Int32 {
    guard let value = Int32(exactly: n) else { throw LinearAlgebraError.sizeTooLarge(n) }
    return value
}

/// Maps a LAPACK `info` to a Swift error: negative is an illegal argument, positive is routine-specific.
@inline(__always)
func check(_ info: Int32, _ routine: String, positive: (Int) -> LinearAlgebraError) throws {
    if info < 0 { throw LinearAlgebraError.illegalArgument(routine: routine, position: Int(-info)) }
    if info > 0 { throw positive(Int(info)) }
}
