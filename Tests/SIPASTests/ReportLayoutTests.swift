import Foundation
import Testing
import SIPASReport
import SIPASAnalysis
import SIPASCommandLine

/// Issue 18, part 6: the report laid out by headless Chromium at a phone's width (390 px) and a desktop's
/// (1280 px). The page is shown in an iframe of that width (headless windows are at least 500 px wide) and a
/// script measures what a reader would see: the page never scrolls sideways, every chart fits the width (and
/// uses most of it, up to its 600 px cap), and
/// no text is smaller than 10 px — chart labels included.
@Suite("Report layout in Chromium")
struct ReportLayoutTests {
    struct Measured: Decodable {
        var viewport: Int
        var scrollWidth: Int
        var svgs: [Int]
        var smallestText: Double
    }

    func measure(_ html: String, width: Int, chromium: String, folder: TemporaryFolder) throws -> Measured {
        let page = folder.path("report.html"), frame = folder.path("frame-\(width).html")
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        try """
            <!doctype html><html><body style="margin:0"><iframe id="f" src="report.html" style="width:\(width)px;height:4000px;border:0"></iframe>
            <script>
            document.getElementById('f').addEventListener('load', function () {
              var d = this.contentDocument, win = this.contentWindow;
              var out = {viewport: win.innerWidth, scrollWidth: d.documentElement.scrollWidth, svgs: [], smallestText: 1e9};
              d.querySelectorAll('svg').forEach(function (s) { out.svgs.push(Math.round(s.getBoundingClientRect().width)); });
              d.querySelectorAll('svg text').forEach(function (t) { var h = t.getBoundingClientRect().height; if (h > 0) out.smallestText = Math.min(out.smallestText, h); });
              d.querySelectorAll('p, td, th, li, h1, h2, h3').forEach(function (e) {
                if (e.offsetParent !== null) out.smallestText = Math.min(out.smallestText, parseFloat(win.getComputedStyle(e).fontSize));
              });
              var pre = document.createElement('pre'); pre.id = 'layout'; pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
            });
            </script></body></html>
            """.write(toFile: frame, atomically: true, encoding: .utf8)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                     "--user-data-dir=\(folder.path("profile"))", "--window-size=1300,3000", "--virtual-time-budget=5000",
                     "--dump-dom", URL(fileURLWithPath: frame).absoluteString]
        let dom = String(decoding: try runProgram(chromium, flags).output, as: UTF8.self)
        let start = try #require(dom.range(of: "<pre id=\"layout\">"), "the probe ran")
        let end = try #require(dom[start.upperBound...].range(of: "</pre>"))
        let json = String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"")
        return try JSONDecoder().decode(Measured.self, from: Data(json.utf8))
    }

    @Test("at 390 px and 1280 px: no sideways scrolling, charts within the width, no text under 10 px",
          .requires(installedProgram(chromiumPaths) != nil, "needs chromium"))
    func phoneAndDesktop() throws {
        let chromium = try requiredProgram(chromiumPaths)
        let (plain, _) = try ReportFixture.vietnamese.get()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // The report without levels, and as published (levels apart, the year change).
        for (report, width) in [(plain, 390), (plain, 1280), (try ReportFixture.publishedVietnamese.get(), 390), (try ReportFixture.publishedVietnamese.get(), 1280)] {
            let m = try measure(report.html(), width: width, chromium: chromium, folder: folder)
            #expect(m.viewport == width)
            #expect(m.scrollWidth <= width, "\(width) px: the page is \(m.scrollWidth) px wide")
            #expect(!m.svgs.isEmpty && m.svgs.allSatisfy { Double($0) >= 0.8 * Double(min(width, 600)) && $0 <= width }, "\(width) px: charts \(m.svgs)")
            #expect(m.smallestText >= 9.5, "\(width) px: smallest text \(m.smallestText) px")
        }
    }
}

/// Issue 18, part 3: the fieldwork table from the outcome file `sample accounting` reads.
@Suite("Report fieldwork from the outcome file")
struct ReportFieldworkTests {
    @Test("report --fieldwork FILE counts forms issued, returned, valid and re-check outcomes as sample accounting does")
    func fromOutcomes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // 8 forms issued, 6 returned, 1 of them excluded; 4 re-checked: 2 confirmed, 1 unreachable, 1 refused.
        let outcomes = try folder.file("outcomes.csv", """
            form,returned,excluded_reason,recheck
            1,yes,,confirmed
            2,yes,,confirmed
            3,yes,filled in by an official,unreachable
            4,yes,,refused
            5,yes,,
            6,yes,,
            7,no,,
            8,no,,
            """ + "\n")
        let base = ["report", ReportFixture.dataset, "-i", "khanhhoa-admin", "--by", "unit_id", "--replicates", "0", "--format", "md"]
        let command = try #require(try SIPASCommand.parseAsRoot(base + ["--fieldwork", outcomes]) as? ReportCommand)
        let counts = try command.fieldworkCounts()
        #expect(counts == Fieldwork(issued: 8, returned: 6, valid: 5, rechecked: 4, recheckConfirmed: 2, recheckUnreachable: 1, recheckRefused: 1))
        let markdown = try command.render()
        #expect(markdown.contains("| Phiếu phát ra | 8 |"), "\(markdown.prefix(4000))")
        #expect(throws: (any Error).self) { try SIPASCommand.parseAsRoot(base + ["--fieldwork", outcomes, "--issued", "9"]) }
    }
}
