import CLAPACK

extension Matrix {
    /// Matrix product through BLAS `dgemm`.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.columns == rhs.rows, "cannot multiply \(lhs.rows)×\(lhs.columns) by \(rhs.rows)×\(rhs.columns)")
        var result = Matrix(rows: lhs.rows, columns: rhs.columns)
        if lhs.rows == 0 || rhs.columns == 0 { return result }
        if lhs.columns == 0 { return result }
        lhs.storage.withUnsafeBufferPointer { a in
            rhs.storage.withUnsafeBufferPointer { b in
                result.storage.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans,
                                Int32(lhs.rows), Int32(rhs.columns), Int32(lhs.columns),
                                1.0, a.baseAddress, Int32(lhs.rows), b.baseAddress, Int32(rhs.rows),
                                0.0, c.baseAddress, Int32(lhs.rows))
                }
            }
        }
        return result
    }

    /// Matrix-vector product.
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
        (lhs * Matrix(rows: rhs.count, columns: 1, columnMajor: rhs)).storage
    }
}
