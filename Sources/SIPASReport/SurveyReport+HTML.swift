import Foundation
import SIPASInstrument
import SIPASModels

/// Escapes text for HTML element content and attribute values.
public func htmlEscape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

extension SurveyReport {
    /// One self-contained HTML page: inline CSS, inline SVG charts, no scripts and no external resources.
    /// Responsive (phones) and printable to A4 (`@media print`).
    public func html() -> String {
        let style = NumberStyle(language: language)
        var out = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(htmlEscape(shortTitle)) — \(htmlEscape(title))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <main>
            <header><p class="short">\(htmlEscape(shortTitle))</p><h1>\(htmlEscape(title))</h1></header>

            """
        out += "<section class=\"highlights\"><h2>\(language == .vi ? "Kết quả chính" : "Key findings")</h2><ul>\n"
        for highlight in highlights { out += "<li>\(htmlEscape(highlight))</li>\n" }
        out += "</ul></section>\n"
        for (number, section) in sections.enumerated() {
            out += "<section id=\"\(htmlEscape(section.id))\">\n<h2>\(number + 1). \(htmlEscape(section.heading))</h2>\n"
            for paragraph in section.paragraphs { out += "<p>\(htmlEscape(paragraph))</p>\n" }
            for chart in section.charts { out += Self.figure(chart, style: style) }
            for table in section.tables { out += tableHTML(table, style: style) }
            out += "</section>\n"
        }
        out += "<footer><p>\(language == .vi ? "Tạo bởi" : "Made with") sipas · \(htmlEscape(suppressionNote))</p></footer>\n"
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    func tableHTML(_ table: ReportTable, style: NumberStyle) -> String {
        // The title sits outside the scrolling box, so it wraps to the screen and not to the table's width.
        let titleID = "title-\(htmlEscape(table.id))"
        var out = "<p class=\"table-title\" id=\"\(titleID)\">\(htmlEscape(table.title))</p>\n"
        out += "<div class=\"table-wrap\"><table id=\"table-\(htmlEscape(table.id))\" aria-labelledby=\"\(titleID)\">\n<thead><tr>"
        // Columns of long text (names, labels, questions) keep a minimum width on a phone instead of one word a line.
        let wide = Set(table.columns.indices.filter { c in
            table.allRows.contains { row in c < row.count && { if case .text(let text) = row[c] { return text.count > 18 } else { return false } }() }
        })
        // Headers of number columns align with their numbers (right).
        func isNumber(_ cell: ReportCell) -> Bool { if case .text = cell { return false } else { return true } }
        func isWords(_ cell: ReportCell) -> Bool { if case .text(let text) = cell { return !text.isEmpty } else { return false } }
        var numeric = Set<Int>()
        for c in table.columns.indices {
            let cells = table.rows.compactMap { c < $0.count ? $0[c] : nil }
            if cells.contains(where: isNumber) && !cells.contains(where: isWords) { numeric.insert(c) }
        }
        for (c, column) in table.columns.enumerated() {
            let classes = (wide.contains(c) ? ["wide"] : []) + (numeric.contains(c) ? ["num"] : [])
            out += "<th scope=\"col\"" + (classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"") + ">\(htmlEscape(column))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        func rowHTML(_ row: [ReportCell]) -> String {
            var out = "<tr>"
            for cell in row {
                switch cell {
                case .text(let text) where text.hasPrefix("  "):
                    out += "<td class=\"indent\">\(htmlEscape(String(text.drop { $0 == " " })))</td>"
                case .text(let text): out += "<td>\(htmlEscape(text))</td>"
                case .suppressed(let n): out += "<td class=\"num suppressed\" title=\"n = \(n)\">—</td>"
                default: out += "<td class=\"num\">\(htmlEscape(cell.display(style)))</td>"
                }
            }
            return out + "</tr>\n"
        }
        for row in table.rows { out += rowHTML(row) }
        out += "</tbody>"
        if !table.footer.isEmpty { out += "\n<tfoot>\n" + table.footer.map(rowHTML).joined() + "</tfoot>" }
        out += "</table></div>\n"
        var notes = table.notes
        if table.hasSuppressedCells { notes.append(suppressionNote) }
        if !notes.isEmpty { out += "<ul class=\"notes\">" + notes.map { "<li>\(htmlEscape($0))</li>" }.joined() + "</ul>\n" }
        return out
    }

    static let css = """
        :root{--ink:#1d2733;--muted:#5b6775;--accent:#1f6fb2;--accent2:#c0392b;--line:#d5dbe1;--bg:#fff}
        *{box-sizing:border-box}
        body{margin:0;font-family:"Noto Sans","Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:var(--bg);line-height:1.5}
        main{max-width:1000px;margin:0 auto;padding:1.5rem 1rem}
        header .short{margin:0;color:var(--accent);font-weight:700;letter-spacing:.05em}
        h1{font-size:1.6rem;margin:.2rem 0 1rem}
        h2{font-size:1.25rem;border-bottom:2px solid var(--accent);padding-bottom:.2rem;margin-top:2rem}
        .highlights{background:#f2f7fb;border-left:4px solid var(--accent);padding:.2rem 1rem}
        .highlights h2{border:0;margin-top:.6rem}
        figure.chart{margin:1rem 0;padding:0}
        figure.chart figcaption{font-weight:600;margin-bottom:.3rem}
        figure.chart svg{width:100%;max-width:600px;height:auto;display:block}
        ol.legend{font-size:.85rem;margin:.3rem 0 0;padding-left:1.4rem}
        .table-wrap{overflow-x:auto;margin:1rem 0 .3rem}
        table{border-collapse:collapse;width:100%;font-size:.85rem}
        p.table-title{font-weight:600;margin:1.2rem 0 .2rem}
        th.wide{min-width:10rem}
        th,td{border-bottom:1px solid var(--line);padding:.25rem .4rem;vertical-align:top}
        tfoot td{font-weight:600;border-top:2px solid var(--line)}
        th{background:#eef2f6;text-align:left}th.num{text-align:right}
        td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
        td.suppressed{color:var(--muted)}td.indent{padding-left:1.4rem}
        ul.notes{font-size:.8rem;color:var(--muted);margin:.2rem 0 1rem}
        footer{margin-top:2rem;font-size:.8rem;color:var(--muted)}
        @media (max-width:640px){main{padding:1rem .6rem}h1{font-size:1.25rem}table{font-size:.78rem}th.wide{min-width:9rem}}
        @media print{@page{size:A4;margin:15mm}body{font-size:10pt}main{max-width:none;padding:0}
        .table-wrap{overflow:visible}table{font-size:8pt}figure,tr{break-inside:avoid}h2{break-after:avoid}
        figure.chart svg{max-width:16cm}thead{display:table-header-group}th.wide{min-width:0}p.table-title{break-after:avoid}
        .highlights{background:none}}
        """

    // MARK: Charts (inline SVG)

    static func figure(_ chart: ReportChart, style: NumberStyle) -> String {
        let (title, svg): (String, String)
        switch chart {
        case .intervals(_, let t, let bars, let reference, let referenceLabel):
            (title, svg) = (t, intervalsSVG(bars, reference: reference, referenceLabel: referenceLabel, style: style))
        case .quadrant(_, let t, let points, let iCut, let pCut, let xLabel, let yLabel):
            (title, svg) = (t, quadrantSVG(points, importanceCut: iCut, performanceCut: pCut, xLabel: xLabel, yLabel: yLabel, style: style)
                               + quadrantLegend(points, style: style))
        case .change(_, let t, let bars):
            (title, svg) = (t, changeSVG(bars, style: style))
        }
        return "<figure class=\"chart\" id=\"chart-\(htmlEscape(chart.id))\"><figcaption>\(htmlEscape(title))</figcaption>\n\(svg)</figure>\n"
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func truncated(_ text: String, _ width: Int) -> String { text.count > width ? String(text.prefix(width - 1)) + "…" : text }

    /// Chart geometry: a narrow viewBox so that at a phone's 390 px the 13-unit font stays about 11 px;
    /// every label sits on its own line above its dot, outside the plot.
    static let chartWidth = 440.0

    /// Estimates with their intervals as dots and whiskers (the axis does not start at 0, so no bar lengths):
    /// one row per bar, the label above, the value at the right; the reference (province) as a dashed line.
    static func intervalsSVG(_ bars: [ChartBar], reference: Double?, referenceLabel: String?, style: NumberStyle) -> String {
        let width = chartWidth, left = 6.0, valueWidth = 50.0, rowHeight = 34.0, top = 30.0
        let height = top + rowHeight * Double(max(1, bars.count)) + 24
        let values = bars.flatMap { [$0.lower, $0.estimate, $0.upper].compactMap { $0 } } + (reference.map { [$0] } ?? [])
        let low = max(0, ((values.min() ?? 0) - 2) / 5).rounded(.down) * 5
        let high = max(low + 5, min(100, (((values.max() ?? 100) + 1) / 5).rounded(.up) * 5))
        let plotWidth = width - left - valueWidth
        func x(_ v: Double) -> Double { left + (v - low) / max(1, high - low) * plotWidth }
        var svg = "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"chart\" font-size=\"13\">\n"
        var tick = low
        let step = (high - low) > 30 ? 10.0 : (high - low) > 12 ? 5.0 : 2.0
        while tick <= high + 0.01 {
            svg += "<line x1=\"\(f(x(tick)))\" y1=\"\(f(top - 6))\" x2=\"\(f(x(tick)))\" y2=\"\(f(height - 20))\" stroke=\"#e3e7eb\"/>"
            svg += "<text x=\"\(f(x(tick)))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" fill=\"#5b6775\" font-size=\"11\">\(style.fixed(tick, decimals: 0))</text>\n"
            tick += step
        }
        // The province line first, so labels and dots are drawn over it.
        if let reference {
            svg += "<line x1=\"\(f(x(reference)))\" y1=\"\(f(top - 8))\" x2=\"\(f(x(reference)))\" y2=\"\(f(height - 20))\" stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>"
            let anchor = x(reference) > width * 0.7 ? "end" : x(reference) < width * 0.3 ? "start" : "middle"
            svg += "<text x=\"\(f(x(reference)))\" y=\"\(f(top - 12))\" text-anchor=\"\(anchor)\" fill=\"#c0392b\">\(htmlEscape(referenceLabel ?? "")) \(style.fixed(reference))</text>\n"
        }
        for (index, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(index)
            svg += "<text x=\"\(f(left))\" y=\"\(f(y + 11))\">\(htmlEscape(truncated(bar.label, 52)))</text>"
            let dotY = y + 23
            if let estimate = bar.estimate {
                if let lower = bar.lower, let upper = bar.upper {
                    svg += "<line x1=\"\(f(x(lower)))\" y1=\"\(f(dotY))\" x2=\"\(f(x(upper)))\" y2=\"\(f(dotY))\" stroke=\"#1d2733\" stroke-width=\"1.5\"/>"
                    svg += "<line x1=\"\(f(x(lower)))\" y1=\"\(f(dotY - 4))\" x2=\"\(f(x(lower)))\" y2=\"\(f(dotY + 4))\" stroke=\"#1d2733\"/>"
                    svg += "<line x1=\"\(f(x(upper)))\" y1=\"\(f(dotY - 4))\" x2=\"\(f(x(upper)))\" y2=\"\(f(dotY + 4))\" stroke=\"#1d2733\"/>"
                }
                svg += "<circle cx=\"\(f(x(estimate)))\" cy=\"\(f(dotY))\" r=\"4\" fill=\"#1f6fb2\"/>"
                svg += "<text x=\"\(f(width - 2))\" y=\"\(f(dotY + 4))\" text-anchor=\"end\">\(style.fixed(estimate))</text>\n"
            } else {
                svg += "<text x=\"\(f(left + 4))\" y=\"\(f(dotY + 4))\" fill=\"#5b6775\">— (n = \(bar.n))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// Importance–performance matrix (Martilla & James 1977): importance on x, performance on y, the cut lines
    /// dashed; the four quadrants named in their corners (top left: possible overkill, top right: keep up the
    /// good work, bottom left: low priority, bottom right: concentrate here). Points are numbered; the legend
    /// below the chart names them, so labels never overlap and stay legible on a phone.
    static func quadrantSVG(_ points: [QuadrantPoint], importanceCut: Double, performanceCut: Double, xLabel: String, yLabel: String,
                            style: NumberStyle) -> String {
        let width = chartWidth, height = 380.0, left = 44.0, right = 10.0, top = 10.0, bottom = 42.0
        let xs = points.map(\.importance) + [importanceCut], ys = points.map(\.performance) + [performanceCut]
        let xLow = 0.0, xHigh = ((xs.max() ?? 50) * 1.15 / 5).rounded(.up) * 5
        let yLow = (((ys.min() ?? 80) - 2) / 2).rounded(.down) * 2, yHigh = min(100, (((ys.max() ?? 100) + 2) / 2).rounded(.up) * 2)
        func x(_ v: Double) -> Double { left + (v - xLow) / max(1, xHigh - xLow) * (width - left - right) }
        func y(_ v: Double) -> Double { height - bottom - (v - yLow) / max(0.5, yHigh - yLow) * (height - top - bottom) }
        var svg = "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"chart\" font-size=\"12\">\n"
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height - top - bottom))\" fill=\"#fafbfc\" stroke=\"#d5dbe1\"/>\n"
        svg += "<line x1=\"\(f(x(importanceCut)))\" y1=\"\(f(top))\" x2=\"\(f(x(importanceCut)))\" y2=\"\(f(height - bottom))\" stroke=\"#5b6775\" stroke-dasharray=\"5 3\"/>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(performanceCut)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(performanceCut)))\" stroke=\"#5b6775\" stroke-dasharray=\"5 3\"/>\n"
        svg += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(htmlEscape(xLabel))</text>"
        svg += "<text transform=\"translate(12 \(f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(htmlEscape(yLabel))</text>\n"
        for v in stride(from: xLow, through: xHigh, by: xHigh > 40 ? 10 : 5) {
            svg += "<text x=\"\(f(x(v)))\" y=\"\(f(height - bottom + 14))\" text-anchor=\"middle\" fill=\"#5b6775\" font-size=\"11\">\(style.fixed(v, decimals: 0))</text>"
        }
        for v in stride(from: yLow, through: yHigh, by: 2) {
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\" fill=\"#5b6775\" font-size=\"11\">\(style.fixed(v, decimals: 0))</text>"
        }
        svg += "\n"
        let corners: [(PriorityQuadrant, Double, Double, String)] = [
            (.possibleOverkill, left + 6, top + 15, "start"), (.keepUpTheGoodWork, width - right - 6, top + 15, "end"),
            (.lowPriority, left + 6, height - bottom - 6, "start"), (.concentrateHere, width - right - 6, height - bottom - 6, "end"),
        ]
        for (quadrant, cx, cy, anchor) in corners {
            svg += "<text x=\"\(f(cx))\" y=\"\(f(cy))\" text-anchor=\"\(anchor)\" fill=\"\(quadrant == .concentrateHere ? "#c0392b" : "#5b6775")\" font-style=\"italic\">\(htmlEscape(quadrant.label.text(style.language)))</text>"
        }
        svg += "\n"
        for (index, point) in points.enumerated() {
            let color = point.importance >= importanceCut && point.performance < performanceCut ? "#c0392b" : "#1f6fb2"
            svg += "<circle cx=\"\(f(x(point.importance)))\" cy=\"\(f(y(point.performance)))\" r=\"9\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(f(x(point.importance)))\" y=\"\(f(y(point.performance) + 4))\" text-anchor=\"middle\" fill=\"#fff\" font-weight=\"700\">\(index + 1)</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// The legend of the quadrant chart: number, factor, importance, index and quadrant of each point.
    static func quadrantLegend(_ points: [QuadrantPoint], style: NumberStyle) -> String {
        "<ol class=\"legend\">" + points.map { p in
            "<li>\(htmlEscape(p.label)): \(style.fixed(p.importance, decimals: 1))% R², \(style.fixed(p.performance))% — \(htmlEscape(p.quadrant))</li>"
        }.joined() + "</ol>\n"
    }

    /// Changes around zero: dot and whisker per row (label above), significant ones coloured (green up, red down).
    static func changeSVG(_ bars: [ChangeBar], style: NumberStyle) -> String {
        let width = chartWidth, left = 6.0, valueWidth = 54.0, rowHeight = 34.0, top = 6.0
        let height = top + rowHeight * Double(max(1, bars.count)) + 24
        let extent = max(1, (bars.flatMap { [abs($0.lower), abs($0.upper)] }.max() ?? 1).rounded(.up))
        let plotWidth = width - left - valueWidth
        func x(_ v: Double) -> Double { left + (v + extent) / (2 * extent) * plotWidth }
        var svg = "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"chart\" font-size=\"13\">\n"
        svg += "<line x1=\"\(f(x(0)))\" y1=\"\(f(top))\" x2=\"\(f(x(0)))\" y2=\"\(f(height - 20))\" stroke=\"#1d2733\"/>\n"
        for v in [-extent, -extent / 2, extent / 2, extent] {
            svg += "<text x=\"\(f(x(v)))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" fill=\"#5b6775\" font-size=\"11\">\(style.fixed(v, decimals: 1))</text>"
        }
        svg += "<text x=\"\(f(x(0)))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" fill=\"#5b6775\" font-size=\"11\">0</text>\n"
        for (index, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(index)
            let dotY = y + 23
            let color = bar.significant ? (bar.change > 0 ? "#2e8b57" : "#c0392b") : "#7b8794"
            svg += "<text x=\"\(f(left))\" y=\"\(f(y + 11))\">\(htmlEscape(truncated(bar.label, 52)))</text>"
            svg += "<line x1=\"\(f(x(bar.lower)))\" y1=\"\(f(dotY))\" x2=\"\(f(x(bar.upper)))\" y2=\"\(f(dotY))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            svg += "<circle cx=\"\(f(x(bar.change)))\" cy=\"\(f(dotY))\" r=\"4\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(f(width - 2))\" y=\"\(f(dotY + 4))\" text-anchor=\"end\" fill=\"\(color)\">\(bar.change >= 0 ? "+" : "")\(style.fixed(bar.change))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
