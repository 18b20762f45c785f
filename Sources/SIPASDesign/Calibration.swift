import SIPASInstrument

/// How design weights are adjusted to known population figures.
///
/// Every method multiplies each design weight dᵢ by a g-weight gᵢ so that the weighted sample reproduces the
/// targets exactly: Σᵢ dᵢ gᵢ xᵢ = X (the population counts of each margin category, the population totals of
/// numeric variables). Deville & Särndal (1992); R survey `postStratify`, `rake`, `calibrate`.
public enum CalibrationMethod: String, CaseIterable, Sendable {
    /// One margin (or a `cells:` cross-classification): gᵢ = N_c / Σ_{j∈c} dⱼ in cell c. R `postStratify`.
    case postStratify = "post-stratify"
    /// Iterative proportional fitting over several margins: each margin in turn is post-stratified until all
    /// agree. R `rake`.
    case rake
    /// Linear (GREG) calibration: g = 1 + xᵀλ, truncated to the bounds if given. R `calibrate(calfun = "linear")`.
    case linear
    /// Raking-ratio calibration: g = exp(xᵀλ), truncated to the bounds if given (no bounds: the weights of
    /// `rake`). R `calibrate(calfun = "raking")`.
    case raking
    /// Logit calibration: g in the open interval (L, U) of the (required) bounds. R `calibrate(calfun = "logit")`.
    case logit

    /// Whether the method is solved by Newton's method on a calibration function (and honours `bounds`).
    public var usesCalibrationFunction: Bool { self == .linear || self == .raking || self == .logit }
}

/// One margin: the population count of every category of one variable, or of every cell of several
/// variables cross-classified (`cells:`).
public struct CalibrationMargin: Equatable, Sendable {
    /// The variable (one), or the variables crossed (several).
    public var variables: [String]
    /// Each category's value of every variable (as text, matched to the data's text), in the file's order.
    public var categories: [[String]]
    /// Each category's population count.
    public var counts: [Double]

    public init(variables: [String], categories: [[String]], counts: [Double]) {
        self.variables = variables; self.categories = categories; self.counts = counts
    }

    /// "gender" or "gender × age_group".
    public var name: String { variables.joined(separator: " × ") }

    /// "nam" or "nam × 60+".
    public func label(_ category: Int) -> String { categories[category].joined(separator: " × ") }

    /// The margin's population: the sum of its counts.
    public var population: Double { counts.reduce(0, +) }
}

/// A population total of a numeric variable (`totals: {api99: 3914069}`).
public struct CalibrationTotal: Equatable, Sendable {
    public var variable: String
    public var total: Double
    public init(variable: String, total: Double) { self.variable = variable; self.total = total }
}

/// The `calibration` block of a design file: what the weights are adjusted to, and how.
public struct CalibrationSpecification: Equatable, Sendable {
    public var method: CalibrationMethod
    public var margins: [CalibrationMargin]
    public var totals: [CalibrationTotal]
    /// The population size N. With margins it must equal every margin's sum; without margins it adds an
    /// intercept column (the weights then sum to N).
    public var population: Double?
    /// Bounds on g. For linear, raking and logit they enter the calibration function (R's `bounds`); for
    /// post-stratify and rake they are a check: a g outside them is an error naming the cell.
    public var bounds: (lower: Double, upper: Double)?
    /// Trimming: no calibrated weight above `upper` × the median calibrated weight; the weights are capped
    /// and re-calibrated until both hold.
    public var trimUpper: Double?
    /// Convergence: every target met to a relative error below `tolerance` (|achieved − target| / max(1, |target|)).
    public var tolerance: Double
    public var maxIterations: Int
    /// The design file the block was read from (named in errors about the margins), if any.
    public var source: String?

    public init(method: CalibrationMethod, margins: [CalibrationMargin] = [], totals: [CalibrationTotal] = [],
                population: Double? = nil, bounds: (lower: Double, upper: Double)? = nil, trimUpper: Double? = nil,
                tolerance: Double = 1e-10, maxIterations: Int? = nil)
    {
        self.method = method; self.margins = margins; self.totals = totals; self.population = population
        self.bounds = bounds; self.trimUpper = trimUpper; self.tolerance = tolerance
        self.maxIterations = maxIterations ?? (method == .rake ? 1000 : 100)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.method == rhs.method && lhs.margins == rhs.margins && lhs.totals == rhs.totals && lhs.population == rhs.population
            && lhs.bounds?.lower == rhs.bounds?.lower && lhs.bounds?.upper == rhs.bounds?.upper && lhs.trimUpper == rhs.trimUpper
            && lhs.tolerance == rhs.tolerance && lhs.maxIterations == rhs.maxIterations
    }

    /// The columns read as text: every margin's variables.
    public var textColumns: [String] {
        var seen = Set<String>()
        return margins.flatMap(\.variables).filter { seen.insert($0).inserted }
    }

    /// The columns read as numbers: the variables with totals.
    public var numericColumns: [String] { totals.map(\.variable) }

    /// "rake to gender, age_group" for the design summary.
    public var summary: String {
        let targets = margins.map(\.name) + totals.map(\.variable)
        var text = "\(method.rawValue) to \(targets.joined(separator: ", "))"
        if let bounds { text += " (g in [\(bounds.lower), \(bounds.upper)])" }
        if let trimUpper { text += ", trimmed at \(trimUpper) × median" }
        return text
    }

    /// Checks that the method, margins, totals, population and bounds fit together; the message says what
    /// was expected (the design-file reader adds the file and field).
    public func validate() throws {
        func fail(_ field: String, _ message: String, vi: String) -> CalibrationError { .specification(field: field, message: message, vi: vi) }
        if margins.isEmpty && totals.isEmpty { throw fail("margins", "no margins, cells or totals to calibrate to", vi: "không có biên, ô hay tổng nào để hiệu chỉnh theo") }
        switch method {
        case .postStratify:
            guard margins.count == 1, totals.isEmpty else {
                throw fail("method", "post-stratify takes one margin (or one `cells:` table) and no totals; "
                    + "for several margins use rake, for numeric totals linear, raking or logit",
                    vi: "post-stratify nhận một biên (hoặc một bảng `cells:`) và không nhận tổng; nhiều biên thì dùng rake, tổng dạng số thì dùng linear, raking hoặc logit")
            }
        case .rake:
            guard totals.isEmpty else {
                throw fail("totals", "rake adjusts to category counts only; numeric totals need method linear, raking or logit",
                          vi: "rake chỉ hiệu chỉnh theo số đếm của các nhóm; tổng dạng số cần method linear, raking hoặc logit")
            }
        case .linear, .raking, .logit: break
        }
        for margin in margins {
            if margin.categories.isEmpty { throw fail("margins", "\(margin.name): no categories", vi: "\(margin.name): không có nhóm nào") }
            for (index, count) in margin.counts.enumerated() where !(count > 0) || !count.isFinite {
                throw fail("margins", "\(margin.name) = \(margin.label(index)): count \(count) is not a positive number",
                          vi: "\(margin.name) = \(margin.label(index)): số đếm \(count) không phải là số dương")
            }
            var seen = Set<[String]>()
            for category in margin.categories where !seen.insert(category).inserted {
                throw fail("margins", "\(margin.name): category '\(category.joined(separator: " × "))' is listed twice",
                          vi: "\(margin.name): nhóm '\(category.joined(separator: " × "))' được ghi hai lần")
            }
        }
        for total in totals where !total.total.isFinite {
            throw fail("totals", "\(total.variable): \(total.total) is not a finite number", vi: "\(total.variable): \(total.total) không phải là một số hữu hạn")
        }
        if let population, !(population > 0) || !population.isFinite {
            throw fail("population", "\(population) is not a positive number", vi: "\(population) không phải là số dương")
        }
        // Every margin describes the same population.
        let sums = margins.map(\.population)
        if let reference = population ?? sums.first {
            for (margin, sum) in zip(margins, sums) where abs(sum - reference) > 1e-9 * reference {
                let what = population != nil ? "population \(Self.format(reference))" : "\(margins[0].name) (\(Self.format(reference)))"
                let whatVi = population != nil ? "dân số \(Self.format(reference))" : "\(margins[0].name) (\(Self.format(reference)))"
                throw fail("margins", "\(margin.name) sums to \(Self.format(sum)) but \(what): every margin must count the same population",
                           vi: "\(margin.name) cộng lại bằng \(Self.format(sum)) nhưng \(whatVi): mọi biên phải đếm cùng một tổng thể")
            }
        }
        if let bounds {
            guard bounds.lower.isFinite || bounds.lower == -.infinity, bounds.upper.isFinite || bounds.upper == .infinity,
                  bounds.lower < 1, bounds.upper > 1 else {
                throw fail("bounds", "[\(bounds.lower), \(bounds.upper)] must satisfy lower < 1 < upper", vi: "[\(bounds.lower), \(bounds.upper)] phải thỏa cận dưới < 1 < cận trên")
            }
        }
        if method == .logit, bounds == nil || !bounds!.lower.isFinite || !bounds!.upper.isFinite {
            throw fail("bounds", "logit calibration needs finite bounds [lower, upper] with lower < 1 < upper",
                       vi: "hiệu chỉnh logit cần giới hạn hữu hạn [dưới, trên] với dưới < 1 < trên")
        }
        if let trimUpper, !(trimUpper > 1) || !trimUpper.isFinite {
            throw fail("trim", "upper \(trimUpper) must be a number above 1 (a multiple of the median weight)",
                       vi: "mức trần \(trimUpper) phải là số lớn hơn 1 (bội số của trung vị quyền số)")
        }
        guard tolerance > 0, tolerance < 1 else { throw fail("tolerance", "\(tolerance) must be between 0 and 1", vi: "\(tolerance) phải nằm giữa 0 và 1") }
        guard maxIterations >= 1 else { throw fail("max_iterations", "\(maxIterations) must be at least 1", vi: "\(maxIterations) phải ít nhất là 1") }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}

/// Why weights could not be calibrated: each case names the variable, category or field, and what was expected.
public enum CalibrationError: Error, Equatable, CustomStringConvertible, LocalizedFailure {
    /// The calibration block itself is inconsistent (field, message).
    case specification(field: String, message: String, vi: String)
    /// A respondent's value is not among the margin's categories.
    case categoryNotInMargins(file: String, row: Int, variable: String, value: String, respondents: Int)
    /// A margin category (or cell) that no respondent falls in: its target cannot be reached.
    case emptyCategory(variable: String, category: String, target: Double, valuesSeen: Bool, source: String?)
    /// A respondent without a value in a calibration variable.
    case blank(file: String, row: Int, variable: String)
    /// A numeric total's variable is not a number in a row.
    case notANumber(file: String, row: Int, variable: String, value: String)
    /// The targets could not all be met.
    case notConverged(method: String, iterations: Int, worst: String, relativeError: Double)
    /// A g-weight outside the bounds.
    case outsideBounds(g: Double, lower: Double, upper: Double, cell: String)
    /// A calibration column that is a combination of the others (no unique adjustment).
    case collinear(column: String)

    public var description: String {
        switch self {
        case .specification(let field, let message, _):
            return "calibration: \(field): \(message)"
        case .categoryNotInMargins(let file, let row, let variable, let value, let respondents):
            return "\(file): row \(row): calibration variable \(variable) has the value '\(value)' "
                + "(\(respondents) respondent\(respondents == 1 ? "" : "s")) that the margins do not list: "
                + "add its population count to the margins (or recode it in the data)"
        case .emptyCategory(let variable, let category, let target, let valuesSeen, let source):
            let why = valuesSeen ? "no respondent falls in this cell (its values occur, but not together)" : "no respondent has this value"
            return (source.map { "\($0): " } ?? "") + "calibration margin \(variable): category '\(category)' (population \(CalibrationSpecification.format(target))): "
                + "\(why), so its count cannot be reached: merge it with a neighbouring category, or check the spelling against the data"
        case .blank(let file, let row, let variable):
            return "\(file): row \(row): blank calibration variable \(variable) (every respondent needs one to be weighted to the population)"
        case .notANumber(let file, let row, let variable, let value):
            return "\(file): row \(row): calibration total variable \(variable): '\(value)' is not a number"
        case .notConverged(let method, let iterations, let worst, let relativeError):
            return "calibration (\(method)) did not converge in \(iterations) iterations: \(worst) is still off by a relative "
                + "\(String(format: "%.3g", relativeError)). The margins may contradict each other or a cell may be nearly empty; "
                + "with bounds, the targets may be unreachable with g inside them (widen the bounds)"
        case .outsideBounds(let g, let lower, let upper, let cell):
            return "calibration: g-weight \(String(format: "%.6g", g)) of the respondents in \(cell) is outside the bounds "
                + "[\(lower), \(upper)]: use method linear, raking or logit with these bounds, or widen them"
        case .collinear(let column):
            return "calibration: \(column) is a linear combination of the other calibration variables: drop it"
        }
    }

    /// The message in Vietnamese (numbers as the English one writes them, the decimal point a comma).
    public var vietnamese: String {
        switch self {
        case .specification(let field, _, let vi):
            return "hiệu chỉnh quyền số: \(field): \(vi)"
        case .categoryNotInMargins(let file, let row, let variable, let value, let respondents):
            return "\(file): dòng dữ liệu \(row): biến hiệu chỉnh \(variable) có giá trị '\(value)' (\(respondents) người trả lời) mà các biên "
                + "không liệt kê: hãy thêm số dân của nhóm này vào các biên (hoặc mã hóa lại trong dữ liệu)"
        case .emptyCategory(let variable, let category, let target, let valuesSeen, let source):
            let why = valuesSeen ? "không người trả lời nào rơi vào ô này (các giá trị có xuất hiện, nhưng không cùng nhau)" : "không người trả lời nào có giá trị này"
            return (source.map { "\($0): " } ?? "") + "biên hiệu chỉnh \(variable): nhóm '\(category)' (dân số \(CalibrationSpecification.format(target))): "
                + "\(why), nên không đạt được số đếm của nhóm: hãy gộp với một nhóm liền kề, hoặc kiểm tra lại cách viết so với dữ liệu"
        case .blank(let file, let row, let variable):
            return "\(file): dòng dữ liệu \(row): biến hiệu chỉnh \(variable) để trống (mỗi người trả lời cần có giá trị này để được gia quyền theo tổng thể)"
        case .notANumber(let file, let row, let variable, let value):
            return "\(file): dòng dữ liệu \(row): biến tổng hiệu chỉnh \(variable): '\(value)' không phải là số"
        case .notConverged(let method, let iterations, let worst, let relativeError):
            return "hiệu chỉnh quyền số (\(method)) không hội tụ sau \(iterations) vòng lặp: \(worst) vẫn lệch tương đối "
                + "\(Note.vi(String(format: "%.3g", relativeError))). Các biên có thể mâu thuẫn nhau hoặc có một ô gần như trống; "
                + "khi có giới hạn, các mục tiêu có thể không đạt được với g nằm trong giới hạn (hãy nới rộng giới hạn)"
        case .outsideBounds(let g, let lower, let upper, let cell):
            return "hiệu chỉnh quyền số: g = \(Note.vi(String(format: "%.6g", g))) của những người trả lời trong \(cell) nằm ngoài giới hạn "
                + "[\(lower), \(upper)]: hãy dùng method linear, raking hoặc logit với các giới hạn này, hoặc nới rộng chúng"
        case .collinear(let column):
            return "hiệu chỉnh quyền số: \(column) là tổ hợp tuyến tính của các biến hiệu chỉnh khác: hãy bỏ biến này"
        }
    }
}

extension CalibrationError {
    public func text(_ language: Language) -> String { language == .vi ? vietnamese : description }
}
