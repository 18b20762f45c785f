/// The calibration variables of every row as the columns of a matrix X (never stored densely): one column per
/// category of the first margin, one per category but the first of every later margin (the reference coding
/// of R's `model.matrix(~ a + b)`: the same column space, so the same g-weights and residuals), one per
/// numeric total, and an intercept when a population size is given without margins.
struct CalibrationColumns: Sendable {
    let rowCount: Int
    /// Per margin: each row's category.
    let marginCodes: [[Int32]]
    /// Per margin: each category's column, or −1 for the reference category of a later margin.
    let columnOf: [[Int]]
    /// Per numeric total: each row's value, and its column.
    let numeric: [[Double]]
    let numericColumn: [Int]
    let interceptColumn: Int?
    /// Columns, their names ("gender = nam", "api99", "(population)") and targets.
    let count: Int
    let names: [String]
    let targets: [Double]

    init(specification: CalibrationSpecification, marginCodes: [[Int32]], numeric: [[Double]], rowCount: Int) {
        self.rowCount = rowCount
        self.marginCodes = marginCodes
        self.numeric = numeric
        var names: [String] = [], targets: [Double] = [], columnOf: [[Int]] = []
        for (m, margin) in specification.margins.enumerated() {
            var columns: [Int] = []
            for c in margin.categories.indices {
                if m > 0 && c == 0 { columns.append(-1); continue }
                columns.append(names.count)
                names.append("\(margin.name) = \(margin.label(c))")
                targets.append(margin.counts[c])
            }
            columnOf.append(columns)
        }
        self.columnOf = columnOf
        if specification.margins.isEmpty, let population = specification.population {
            interceptColumn = names.count
            names.append("(population)")
            targets.append(population)
        } else {
            interceptColumn = nil
        }
        var numericColumn: [Int] = []
        for total in specification.totals {
            numericColumn.append(names.count)
            names.append(total.variable)
            targets.append(total.total)
        }
        self.numericColumn = numericColumn
        self.count = names.count
        self.names = names
        self.targets = targets
    }

    /// Calls `body(column, value)` for every nonzero entry of row i's x.
    @inline(__always)
    func forEachEntry(_ i: Int, _ body: (Int, Double) -> Void) {
        for m in marginCodes.indices {
            let column = columnOf[m][Int(marginCodes[m][i])]
            if column >= 0 { body(column, 1) }
        }
        if let interceptColumn { body(interceptColumn, 1) }
        for t in numeric.indices where numeric[t][i] != 0 { body(numericColumn[t], numeric[t][i]) }
    }

    /// xᵢᵀβ.
    @inline(__always)
    func dot(_ i: Int, _ beta: [Double]) -> Double {
        var sum = 0.0
        forEachEntry(i) { column, value in sum += value * beta[column] }
        return sum
    }

    /// Σᵢ vᵢ xᵢ (X'v).
    func transposeTimes(_ v: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: count)
        for i in 0..<rowCount where v[i] != 0 {
            let vi = v[i]
            forEachEntry(i) { column, value in result[column] += vi * value }
        }
        return result
    }

    /// Σᵢ vᵢ xᵢ xᵢᵀ (X' diag(v) X), p × p row-major.
    func gram(_ v: [Double]) -> [Double] {
        let p = count
        var result = [Double](repeating: 0, count: p * p)
        var entries: [(Int, Double)] = []
        entries.reserveCapacity(marginCodes.count + numeric.count + 1)
        for i in 0..<rowCount where v[i] != 0 {
            entries.removeAll(keepingCapacity: true)
            forEachEntry(i) { entries.append(($0, $1)) }
            let vi = v[i]
            for (a, va) in entries { for (b, vb) in entries { result[a * p + b] += vi * va * vb } }
        }
        return result
    }
}

/// A symmetric positive semi-definite system solved by Cholesky factorisation of the equilibrated matrix
/// (every diagonal scaled to 1). A pivot below `tolerance` marks its column as a combination of the earlier
/// ones: that column is left out (its coefficient is 0), which gives a solution of any consistent system, as
/// R's `MASS::ginv` does in `grake`.
struct SymmetricSystem {
    let p: Int
    let scale: [Double]
    var factor: [Double]
    /// Columns found dependent on earlier ones (or identically zero).
    private(set) var dependent: [Int] = []

    init(_ matrix: [Double], p: Int, tolerance: Double = 1e-11) {
        self.p = p
        var scale = [Double](repeating: 0, count: p)
        for j in 0..<p { scale[j] = matrix[j * p + j] > 0 ? 1 / matrix[j * p + j].squareRoot() : 0 }
        self.scale = scale
        var a = [Double](repeating: 0, count: p * p)
        for r in 0..<p { for c in 0..<p { a[r * p + c] = matrix[r * p + c] * scale[r] * scale[c] } }
        // Lower-triangular L (row-major), L Lᵀ = A, skipping dependent columns.
        for j in 0..<p {
            var diagonal = a[j * p + j]
            for k in 0..<j { diagonal -= a[j * p + k] * a[j * p + k] }
            if scale[j] == 0 || diagonal <= tolerance {
                dependent.append(j)
                for r in j..<p { a[r * p + j] = 0 }
                continue
            }
            let root = diagonal.squareRoot()
            a[j * p + j] = root
            for r in (j + 1)..<max(j + 1, p) {
                var value = a[r * p + j]
                for k in 0..<j { value -= a[r * p + k] * a[j * p + k] }
                a[r * p + j] = value / root
            }
        }
        factor = a
    }

    func solve(_ b: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: p)
        for r in 0..<p where factor[r * p + r] != 0 {
            var value = b[r] * scale[r]
            for k in 0..<r { value -= factor[r * p + k] * y[k] }
            y[r] = value / factor[r * p + r]
        }
        var x = [Double](repeating: 0, count: p)
        for r in stride(from: p - 1, through: 0, by: -1) where factor[r * p + r] != 0 {
            var value = y[r]
            for k in (r + 1)..<max(r + 1, p) { value -= factor[k * p + r] * x[k] }
            x[r] = value / factor[r * p + r]
        }
        return (0..<p).map { x[$0] * scale[$0] }
    }
}
