import SIPASEstimation
import SIPASInstrument

/// One cell of a report table. Numbers stay numbers until a renderer formats them (decimal comma in
/// Vietnamese for people; plain numbers in CSV, JSON and XLSX).
public enum ReportCell: Equatable, Sendable {
    case text(String)
    case integer(Int)
    /// A percentage (index or share), in percent.
    case percent(Double?)
    /// A 95% interval, in percent (or the unit of the column).
    case interval(Double?, Double?)
    /// A plain number shown with `decimals` decimals.
    case number(Double?, decimals: Int)
    /// An interval of plain numbers (e.g. a coefficient's CI), both ends with `decimals` decimals.
    case range(Double?, Double?, decimals: Int)
    /// A p-value: three decimals, "< 0,001" (Vietnamese) / "< 0.001" below 0.001; a plain number in machine formats.
    case pValue(Double?)
    /// A figure based on fewer respondents than the report's minimum (`n`): shown as "—" with a footnote.
    case suppressed(n: Int)

    /// Whether this cell spans two machine columns (lower, upper).
    var isInterval: Bool {
        switch self {
        case .interval, .range: return true
        default: return false
        }
    }
}

/// A table of the report ("Biểu số" style): title, column headers, rows, notes.
public struct ReportTable: Equatable, Sendable {
    /// A stable machine name (file and sheet names, JSON keys): e.g. "units", "bieu-4".
    public var id: String
    public var title: String
    public var columns: [String]
    /// The table's body: one row per unit, index or item.
    public var rows: [[ReportCell]]
    /// Summary rows below the body (highest, lowest, median, counts), kept apart so that `rows` stays one kind.
    public var footer: [[ReportCell]]
    public var notes: [String]

    public init(id: String, title: String, columns: [String], rows: [[ReportCell]] = [], footer: [[ReportCell]] = [], notes: [String] = []) {
        self.id = id; self.title = title; self.columns = columns; self.rows = rows; self.footer = footer; self.notes = notes
    }

    /// Body and footer rows, in print order.
    public var allRows: [[ReportCell]] { rows + footer }

    /// Whether any cell is suppressed (renderers add the small-cell footnote).
    public var hasSuppressedCells: Bool {
        allRows.contains { $0.contains { if case .suppressed = $0 { return true } else { return false } } }
    }
}

/// A bar with an interval, for the ranked-units and criterion-profile charts.
public struct ChartBar: Equatable, Sendable {
    public var label: String
    /// nil when suppressed (fewer than the minimum responses).
    public var estimate: Double?
    public var lower: Double?
    public var upper: Double?
    public var n: Int
    public init(label: String, estimate: Double?, lower: Double?, upper: Double?, n: Int) {
        self.label = label; self.estimate = estimate; self.lower = lower; self.upper = upper; self.n = n
    }
}

/// A factor in the importance × performance matrix.
public struct QuadrantPoint: Equatable, Sendable {
    public var label: String
    /// LMG share of R², percent.
    public var importance: Double
    /// Factor index, percent.
    public var performance: Double
    public var quadrant: String
}

/// A change since the previous wave, with its interval and whether it is significant (adjusted p < 0.05).
public struct ChangeBar: Equatable, Sendable {
    public var label: String
    public var change: Double
    public var lower: Double
    public var upper: Double
    public var significant: Bool
}

/// The charts of the HTML report; each is drawn as inline SVG.
public enum ReportChart: Equatable, Sendable {
    /// Horizontal bars with interval whiskers and an optional reference line (the province).
    case intervals(id: String, title: String, bars: [ChartBar], reference: Double?, referenceLabel: String?)
    /// Importance (x) × performance (y) with cut lines.
    case quadrant(id: String, title: String, points: [QuadrantPoint], importanceCut: Double, performanceCut: Double,
                  xLabel: String, yLabel: String)
    /// Changes around zero with interval whiskers.
    case change(id: String, title: String, bars: [ChangeBar])

    public var id: String {
        switch self {
        case .intervals(let id, _, _, _, _), .quadrant(let id, _, _, _, _, _, _), .change(let id, _, _): return id
        }
    }
}

/// A section of the report: heading, paragraphs, charts and tables, in that order.
public struct ReportSection: Equatable, Sendable {
    public var id: String
    public var heading: String
    public var paragraphs: [String]
    public var charts: [ReportChart]
    public var tables: [ReportTable]
    public init(id: String, heading: String, paragraphs: [String] = [], charts: [ReportChart] = [], tables: [ReportTable] = []) {
        self.id = id; self.heading = heading; self.paragraphs = paragraphs; self.charts = charts; self.tables = tables
    }
}

/// A publishable SIPAS report in one language: plain data, assembled by `SurveyReport.build` from the
/// index, comparison and driver analyses and formatted by the renderers (Markdown, HTML, XLSX, CSV, JSON).
/// Source: seed 000 §8 (title, contents, appendix); seed 002 (Sơn La 2024) for the tables and statements.
public struct SurveyReport: Equatable, Sendable {
    public var language: Language
    /// "Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước trên địa bàn tỉnh X năm YYYY".
    public var title: String
    /// "SIPAS YYYY".
    public var shortTitle: String
    /// Smallest number of responses behind a published figure.
    public var minimumN: Int
    /// Key findings, one sentence each.
    public var highlights: [String]
    public var sections: [ReportSection]
    /// The small-cell footnote ("— : fewer than 10 responses; not published").
    public var suppressionNote: String

    /// Every table of the report, in order.
    public var tables: [ReportTable] { sections.flatMap(\.tables) }
    /// Every chart of the report, in order.
    public var charts: [ReportChart] { sections.flatMap(\.charts) }
}
