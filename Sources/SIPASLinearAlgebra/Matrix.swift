/// A dense matrix of `Double` stored column by column (column-major), the layout LAPACK expects.
///
/// Element (row i, column j) lives at `storage[i + j * rows]`. Use `init(rows:columns:rowMajor:)` when
/// writing a literal by rows, so the code reads like the mathematics.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Column-major storage, `rows * columns` values.
    public internal(set) var storage: [Double]

    /// A matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from column-major storage.
    public init(rows: Int, columns: Int, columnMajor storage: [Double]) {
        precondition(storage.count == rows * columns, "storage has \(storage.count) values, expected \(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from values listed row by row (as one writes a matrix on paper).
    public init(rows: Int, columns: Int, rowMajor values: [Double]) {
        precondition(values.count == rows * columns, "got \(values.count) values, expected \(rows * columns)")
        self.init(rows: rows, columns: columns)
        for i in 0..<rows { for j in 0..<columns { storage[i + j * rows] = values[i * columns + j] } }
    }

    /// A matrix whose columns are the given vectors (all of equal length).
    public init(columns vectors: [[Double]]) {
        let rows = vectors.first?.count ?? 0
        precondition(vectors.allSatisfy { $0.count == rows }, "columns differ in length")
        self.init(rows: rows, columns: vectors.count, columnMajor: vectors.flatMap { $0 })
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row + column * rows] }
        set { storage[row + column * rows] = newValue }
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        Array(storage[(j * rows)..<((j + 1) * rows)])
    }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }
}
