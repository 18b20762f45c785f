import Foundation
import SIPASCommandLine
import SIPASData
import SIPASSampling
import Testing

/// `sipas sample …` end to end on the synthetic fixtures in Fixtures/sampling (see its README).
@Suite("Sampling: sipas sample commands")
struct SamplingCommandTests {
    static func fixture(_ name: String) -> String { TestPaths.fixture("sampling/" + name) }

    static func csvLines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func sizeTableShowsRulesOfThumb() throws {
        let text = try SampleSizeCommand.parse(["--margin", "2", "--sd", "15", "--population", "1500", "--transactions", "1500",
                                                "--compare", "60", "--lang", "en"]).render()
        // n₀ = 216.08; n = 216.08/(1 + 215.08/1500) = 188.98 → 189; Yamane 1500/4.75 = 315.8 → 316; Huế ≥ 200
        #expect(text.contains("forms needed: 189"))
        let lines = text.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("Yamane N/(1 + N·e²), e = 0.05") && $0.contains(" 316 ") })
        #expect(lines.contains { $0.hasPrefix("Huế schedule, 1,500 transactions/year: ≥ 200") && $0.contains(" 200 ") })
        // margin of 60 of 1,500: 1.959964 × 15 × √(1440/(60 × 1499)) = 3.72
        #expect(text.contains("given n = 60") && text.contains("3.72"))
        let json = try SampleSizeCommand.parse(["--margin", "5", "--proportion", "0.5", "--format", "json"]).render()
        #expect(json.contains("\"required\": 385"))
    }

    @Test func sizeFromPilot() throws {
        // Pilot q05: 19 answers; SD in index points = SD × 20 (hand: 21.357)
        let json = try SampleSizeCommand.parse(["--margin", "3", "--pilot", Self.fixture("pilot.csv"), "--column", "q05",
                                                "--icc", "0.05", "--cluster-size", "30", "--format", "json"]).render()
        #expect(json.contains("\"design_effect\": 2.45"))
        #expect(json.contains("\"required\": 477"))
    }

    @Test func allocateSonLaAndStrata() throws {
        let text = try SampleAllocateCommand.parse(["--rules", "sonla-2024", "--lang", "en"]).render()
        #expect(text.contains("total district: 1,060"))
        #expect(text.contains("total commune: 600"))
        #expect(text.contains("50  5 communes × 10 forms (1 seat (by default) + 2 class I + 2 class II/III)"))
        let vietnamese = try SampleAllocateCommand.parse(["--rules", "sonla-2024"]).render()
        #expect(vietnamese.contains("tổng huyện: 1.060") && vietnamese.contains("tổng xã: 600"))
        #expect(vietnamese.contains("50  5 xã × 10 phiếu (1 xã nơi đặt trụ sở UBND huyện (mặc định) + 2 loại I + 2 loại II/III)"))
        let units = try SampleAllocateCommand.parse(["--rules", "sonla-2024", "--units", Self.fixture("units.csv"),
                                                     "--format", "json"]).render()
        #expect(units.contains("\"department\": 182"))  // 45 (census) + 60 + 50 + 27 (7 + 20)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = folder.path
        let output = directory + "/alloc.csv"
        _ = try SampleAllocateCommand.parse(["--strata", Self.fixture("strata.csv"), "--size-column", "N", "--total", "600",
                                             "--method", "neyman", "--sd-column", "sd", "-o", output]).render()
        // Nₕ·Sₕ = 2214, 10032, 9468 of 21714 → quotas 61.18, 277.20, 261.62 → 61, 277, 262
        #expect(try Self.csvLines(output) == ["stratum,n", "Tư pháp,61", "Tài nguyên môi trường,277", "Lao động,262"])
        let yaml = try SampleAllocateCommand.parse(["--show-rules", "laichau-2024"]).render()
        #expect(yaml.contains("householdsPerVillage: 30"))
    }

    @Test func selectWithReservesAndBorrowing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = folder.path
        let main = directory + "/main.csv", reserve = directory + "/reserve.csv"
        let arguments = [Self.fixture("frame.csv"), "--group-by", "unit,field", "--allocation", Self.fixture("allocation.csv"),
                         "--sort-by", "name", "--borrow-within", "unit"]
        let summary = try SampleSelectCommand.parse(arguments + ["-o", main, "--reserve-output", reserve, "--format", "json"]).render()
        #expect(summary.contains("\"seed\": 2024"))
        let mainRows = try Self.csvLines(main)
        #expect(mainRows.count == 1 + 30 + 40 + 25)  // Tư pháp: 25 people for 30 forms → census
        let reserveRows = try Self.csvLines(reserve)
        #expect(reserveRows.count == 1 + 15 + 20 + 15)  // the census list borrows its 15 from the other two fields
        #expect(reserveRows.filter { $0.contains("mượn từ danh sách 'UBND huyện Mai Sơn / ") }.count == 15)
        #expect(mainRows.filter { $0.hasSuffix(",main,điều tra toàn bộ (N ≤ n)") }.count == 25)
        // The lists' notes follow --lang, as the summary does.
        let english = directory + "/reserve-en.csv"
        _ = try SampleReserveCommand.parse(arguments + ["-o", english, "--lang", "en"]).render()
        #expect(try Self.csvLines(english).filter { $0.contains("borrowed from list 'UBND huyện Mai Sơn / ") }.count == 15)
        let reserveOnly = directory + "/reserve-only.csv"
        _ = try SampleReserveCommand.parse(arguments + ["-o", reserveOnly]).render()
        #expect(try Self.csvLines(reserveOnly) == reserveRows)
        // Same output on every run (and machine): a second run with a random start is identical to the first.
        let a = directory + "/a.csv", b = directory + "/b.csv"
        _ = try SampleSelectCommand.parse(arguments + ["--random-start", "-o", a]).render()
        _ = try SampleSelectCommand.parse(arguments + ["--random-start", "-o", b]).render()
        #expect(try Self.csvLines(a) == Self.csvLines(b))
        #expect(try Self.csvLines(a) != mainRows)
    }

    @Test func selectCommunesWithDefaultsAndExclusions() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = folder.path
        let output = directory + "/communes.csv"
        let text = try SampleSelectCommand.parse([Self.fixture("communes.csv"), "--group-by", "district", "--n", "3",
                                                  "--sort-by", "commune", "--method", "systematic", "--default-column", "centre",
                                                  "--exclude-file", Self.fixture("national.txt"), "--unit-column", "commune",
                                                  "-o", output]).render()
        #expect(text.contains("hạt giống (seed) 2024"))
        let rows = try Self.csvLines(output)
        // Sìn Hồ: centre E by default; the other 11 give positions 1 and ⌊1 + 5.5⌋ = 6 of [A B C D F G H I J K L] → A, G.
        // Tam Đường: E by default; the other 8 give 1 and 5 of [A B C D F G H I] → A, F.
        #expect(rows.dropFirst().map { $0.split(separator: ",")[1] } == ["Xã Sìn Hồ A", "Xã Sìn Hồ E", "Xã Sìn Hồ G",
                                                                        "Xã Tam Đường A", "Xã Tam Đường E", "Xã Tam Đường F"])
        // With A excluded in Sìn Hồ, B (after A) is taken — unless it is national too: B is, so nothing before A: C.
        let excluded = directory + "/excluded.csv"
        _ = try SampleSelectCommand.parse([Self.fixture("communes.csv"), "--group-by", "district", "--n", "3",
                                           "--sort-by", "commune", "--default-column", "centre",
                                           "--exclude", "Xã Sìn Hồ A,Xã Sìn Hồ B", "--unit-column", "commune", "-o", excluded]).render()
        let first = try Self.csvLines(excluded)[1]
        #expect(first.hasPrefix("Sìn Hồ,Xã Sìn Hồ C,") && first.contains("liền kề vị trí 1 của danh sách"))
        #expect(try Self.csvLines(output).dropFirst().filter { $0.hasSuffix(",chọn mặc định") }.count == 2)
    }

    @Test("select, reserve, recheck and accounting read a workbook's sheet (--sheet, --header-row) as they read the CSV")
    func workbookSheets() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // The CSV's cells as text cells on the sheet "Khung", under a title and a blank row; a notes sheet first.
        func workbook(_ csv: String) throws -> String {
            let table = try DataFile.read(path: Self.fixture(csv))
            var rows = HandMadeWorkbook.row(1, [("A1", "inlineStr", "Danh sách")])
            rows += HandMadeWorkbook.row(3, table.metadata.enumerated().map { (HandMadeWorkbook.letters($0.offset) + "3", "inlineStr", $0.element.name) })
            for r in 0..<table.rowCount {
                rows += HandMadeWorkbook.row(4 + r, table.metadata.enumerated().compactMap { c, column in
                    column[r].isEmpty ? nil : (HandMadeWorkbook.letters(c) + String(4 + r), "inlineStr", column[r])
                })
            }
            let path = folder.path(csv.replacingOccurrences(of: ".csv", with: ".xlsx"))
            try HandMadeWorkbook(sheets: [("Ghi chú", HandMadeWorkbook.row(1, [("A1", "inlineStr", "Không phải danh sách")])), ("Khung", rows)])
                .write(to: path)
            return path
        }
        let frame = try workbook("frame.csv"), outcomes = try workbook("outcomes.csv")
        let rest = ["--group-by", "unit,field", "--allocation", Self.fixture("allocation.csv"), "--sort-by", "name", "--borrow-within", "unit"]
        _ = try SampleSelectCommand.parse([Self.fixture("frame.csv")] + rest + ["-o", folder.path("a.csv")]).render()
        _ = try SampleSelectCommand.parse([frame, "--sheet", "Khung"] + rest + ["-o", folder.path("b.csv")]).render()
        _ = try SampleSelectCommand.parse([frame, "--sheet", "2", "--header-row", "3"] + rest + ["-o", folder.path("c.csv")]).render()
        let expected = try Self.csvLines(folder.path("a.csv"))
        #expect(expected.count == 1 + 95)
        #expect(try Self.csvLines(folder.path("b.csv")) == expected && Self.csvLines(folder.path("c.csv")) == expected)
        _ = try SampleReserveCommand.parse([Self.fixture("frame.csv")] + rest + ["-o", folder.path("r1.csv")]).render()
        _ = try SampleReserveCommand.parse([frame, "--sheet", "Khung"] + rest + ["-o", folder.path("r2.csv")]).render()
        #expect(try Self.csvLines(folder.path("r1.csv")) == Self.csvLines(folder.path("r2.csv")))
        // Re-check lists and the fieldwork accounting from the outcome workbook.
        let recheck = ["--fraction", "0.2", "--by", "enumerator"]
        _ = try SampleRecheckCommand.parse([Self.fixture("outcomes.csv")] + recheck + ["-o", folder.path("k1.csv")]).render()
        _ = try SampleRecheckCommand.parse([outcomes, "--sheet", "Khung"] + recheck + ["-o", folder.path("k2.csv")]).render()
        #expect(try Self.csvLines(folder.path("k1.csv")) == Self.csvLines(folder.path("k2.csv")))
        let fromCSV = try SampleAccountingCommand.parse([Self.fixture("outcomes.csv"), "--format", "json"]).render()
        let fromBook = try SampleAccountingCommand.parse([outcomes, "--sheet", "Khung", "--format", "json"]).render()
        #expect(fromBook.replacingOccurrences(of: outcomes, with: "F") == fromCSV.replacingOccurrences(of: Self.fixture("outcomes.csv"), with: "F"))
        #expect(fromCSV.contains("2667") || fromCSV.contains("2,667") || fromCSV.contains("2.667"))
        // The first sheet is not the frame: its header is missing; an unknown sheet lists the sheets; --sheet on a CSV is refused.
        #expect(throws: (any Error).self) { try SampleSelectCommand.parse([frame] + rest).render() }
        let unknown = #expect(throws: (any Error).self) { try SampleSelectCommand.parse([frame, "--sheet", "Mẫu"] + rest).render() }
        #expect("\(unknown.map { "\($0)" } ?? "")".contains("Khung"))
        let onCSV = #expect(throws: (any Error).self) { try SampleSelectCommand.parse([Self.fixture("frame.csv"), "--sheet", "Khung"] + rest).render() }
        #expect("\(onCSV.map { "\($0)" } ?? "")".contains("--sheet"))
    }

    @Test func recheckAndAccounting() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = folder.path
        let output = directory + "/recheck.csv"
        let text = try SampleRecheckCommand.parse([Self.fixture("outcomes.csv"), "--fraction", "0.2", "--by", "enumerator",
                                                   "-o", output, "--lang", "en"]).render()
        #expect(text.contains("seed 2024"))
        // 27 of the 2,667 forms were not returned: round(0.2 × 2,640 eligible = 528) (SamplingRecheckTests).
        #expect(text.contains("eligible: 2,640") && text.split(separator: "\n").last { $0.hasPrefix("total") }?.hasSuffix(" 528") == true)
        #expect(try Self.csvLines(output).count == 1 + 528)
        // Seed 002 I.7/I.9 from one row per form, and from counts: the same funnel.
        let fromFile = try SampleAccountingCommand.parse([Self.fixture("outcomes.csv"), "--format", "json"]).render()
        let fromCounts = try SampleAccountingCommand.parse(["--issued", "2667", "--returned-count", "2640", "--contacted", "810",
                                                            "--confirmed", "703", "--unreachable", "103", "--refused", "4",
                                                            "--format", "json"]).render()
        for key in ["\"count\": 2667", "\"count\": 2640", "\"count\": 810", "\"count\": 703", "\"count\": 103", "\"count\": 4"] {
            #expect(fromFile.contains(key) && fromCounts.contains(key))
        }
        let table = try SampleAccountingCommand.parse([Self.fixture("outcomes.csv")]).render()
        #expect(table.contains("30,7%") && table.contains("86,8%"))
    }
}

/// The summaries speak the chosen language: Vietnamese by default, English with --lang en (numbers in its style).
@Suite("Sampling: one language per summary")
struct SamplingLanguageTests {
    static func fixture(_ name: String) -> String { SamplingCommandTests.fixture(name) }

    /// English words a Vietnamese summary must not hold (whole words, any case). Quoted names ('returned', a
    /// column) and paths are left out before checking; "seed" is the option's name, shown beside "hạt giống".
    static let englishWords = ["sample", "size", "allocation", "allocate", "reserve", "selection", "selected", "re-check",
                               "recheck", "fieldwork", "accounting", "form", "forms", "note", "total", "rule", "margin",
                               "written", "given", "census", "list", "stratum", "taken", "borrowed", "short", "returned",
                               "eligible", "excluded", "issued", "valid", "confirmed", "unreachable", "refused", "source",
                               "level", "unit", "field", "class", "communes", "rows", "read", "share", "proportional",
                               "systematic", "random", "start", "count", "of", "the", "and", "with", "no", "not", "at",
                               "confidence", "needed", "population", "transactions", "schedule", "contacted", "drawn"]

    static func englishIn(_ text: String) throws -> [String] {
        let unquoted = try NSRegularExpression(pattern: #"'[^']*'|(/[^\s]+)"#)
            .stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: " ")
        let words = unquoted.lowercased().split { !($0.isLetter || $0 == "-") }.map(String.init)
        return Self.englishWords.filter(words.contains)
    }

    /// Letters only Vietnamese uses (đ, ơ, ư and the tone-marked letters of Latin Extended Additional).
    static func hasVietnamese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x1EA0...0x1EF9).contains($0.value) || "đĐơƠưƯ".unicodeScalars.contains($0) }
    }

    /// Each command in Vietnamese (the default) and in English, with a heading each must show.
    func runs(in folder: TemporaryFolder) -> [(name: String, vi: String, en: String, run: ([String]) throws -> String)] {
        let frame = [Self.fixture("frame.csv"), "--group-by", "unit,field", "--allocation", Self.fixture("allocation.csv"),
                     "--sort-by", "name", "--borrow-within", "unit"]
        return [
            ("size", "Cỡ mẫu ở độ tin cậy 95%", "Sample size at 95% confidence", {
                try SampleSizeCommand.parse(["--margin", "2", "--sd", "15", "--population", "1500", "--transactions", "1500",
                                             "--compare", "60", "--icc", "0.05", "--cluster-size", "30"] + $0).render() }),
            ("size without N", "không hiệu chỉnh tổng thể hữu hạn", "no finite-population correction", {
                try SampleSizeCommand.parse(["--margin", "5", "--proportion", "0.5"] + $0).render() }),
            ("allocate", "nguồn:", "source:", { try SampleAllocateCommand.parse(["--rules", "sonla-2024"] + $0).render() }),
            ("allocate units", "sở, ban, ngành", "department", {
                try SampleAllocateCommand.parse(["--rules", "sonla-2024", "--units", Self.fixture("units.csv")] + $0).render() }),
            ("allocate strata", "Phân bổ Neyman", "Neyman (nₕ ∝ Nₕ·Sₕ) allocation", {
                try SampleAllocateCommand.parse(["--strata", Self.fixture("strata.csv"), "--total", "600", "--method", "neyman",
                                                 "--sd-column", "sd", "-o", folder.path("alloc.csv")] + $0).render() }),
            ("select", "Chọn mẫu: hệ thống, dự phòng 50% của n", "Selection: systematic, reserve 50% of n", {
                try SampleSelectCommand.parse(frame + ["-o", folder.path("mau.csv"), "--reserve-output", folder.path("du-phong.csv")] + $0).render() }),
            ("select units", "Chọn đơn vị: ngẫu nhiên đơn giản", "Selection: random (units)", {
                try SampleSelectCommand.parse([Self.fixture("communes.csv"), "--group-by", "district", "--n", "30", "--method", "random",
                                               "--default-column", "centre", "--exclude", "Xã Sìn Hồ A", "--unit-column", "commune"] + $0).render() }),
            ("reserve", "Danh sách dự phòng", "Reserve list", {
                try SampleReserveCommand.parse([Self.fixture("frame.csv"), "--group-by", "unit,field", "--allocation",
                                                Self.fixture("allocation.csv")] + $0).render() }),
            ("recheck", "Rút mẫu phúc tra: 20,0% số phiếu hợp lệ", "Re-check draw: 20.0% of eligible forms", {
                try SampleRecheckCommand.parse([Self.fixture("outcomes.csv"), "--fraction", "0.2", "--by", "enumerator"] + $0).render() }),
            ("recheck of a list", "mọi phiếu thu về được coi là hợp lệ", "every returned form counts as valid", {
                try SampleRecheckCommand.parse([TestPaths.packageRoot.appendingPathComponent("datasets/sipas-2024-synthetic.csv").path,
                                                "--fraction", "0.2", "--by", "unit_level"] + $0).render() }),
            ("accounting", "Phiếu phát ra", "Forms issued", {
                try SampleAccountingCommand.parse(["--issued", "100", "--returned-count", "90", "--excluded", "3", "--contacted", "20"]
                                                  + $0).render() }),
            ("accounting from a file", "Kết quả phát, thu phiếu và phúc tra", "Fieldwork accounting", {
                try SampleAccountingCommand.parse([Self.fixture("outcomes.csv")] + $0).render() }),
        ]
    }

    @Test("sipas sample …: Vietnamese by default (no English word), English with --lang en (no Vietnamese beyond names)")
    func vietnameseByDefaultEnglishOnRequest() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for run in runs(in: folder) {
            let vi = try run.run([]), en = try run.run(["--lang", "en"])
            #expect(vi.contains(run.vi), "\(run.name) in Vietnamese:\n\(vi)")
            let english = try Self.englishIn(vi)
            #expect(english.isEmpty, "\(run.name) in Vietnamese holds English: \(english)\n\(vi)")
            #expect(try run.run(["--lang", "vi"]) == vi, "\(run.name): --lang vi is the default")
            #expect(en.contains(run.vi) == false && en.contains(run.en), "\(run.name) in English:\n\(en)")
            // Names and data stay as written: units, fields, enumerators and reasons from the files, the rules' title and
            // source, the Huế schedule; the runs that show no such data hold no Vietnamese letter in English.
            var names = en
            for name in ["Huế", "Sơn La 2024: phân bổ cỡ mẫu (Kế hoạch kèm Quyết định 1804/QĐ-UBND)",
                         "Kế hoạch kèm Quyết định 1804/QĐ-UBND, mục II.3 (Quy mô điều tra) và III.1.a (Phân bổ cỡ mẫu)"] {
                names = names.replacingOccurrences(of: name, with: "")
            }
            if ["size", "size without N", "recheck of a list", "accounting"].contains(run.name) {
                #expect(!Self.hasVietnamese(names), "\(run.name) in English holds Vietnamese:\n\(en)")
            }
        }
    }

    @Test("numbers and notes follow the language: 1.500 / 1,500, a funnel's note in Vietnamese or English")
    func numbersAndNotes() throws {
        let vi = try SampleAccountingCommand.parse(["--issued", "2667", "--returned-count", "2640", "--contacted", "810",
                                                    "--confirmed", "703", "--unreachable", "100"]).render()
        #expect(vi.contains("2.667") && vi.contains("30,7%"))
        #expect(vi.contains("ghi chú: các kết quả phúc tra cộng lại được 803, không bằng 810 người đã liên hệ"))
        #expect(vi.contains("  Phiếu thu về") && vi.contains("phiếu phát ra") && vi.contains("Phiếu hợp lệ"))
        let en = try SampleAccountingCommand.parse(["--issued", "2667", "--returned-count", "2640", "--contacted", "810",
                                                    "--confirmed", "703", "--unreachable", "100", "--lang", "en"]).render()
        #expect(en.contains("2,667") && en.contains("30.7%"))
        #expect(en.contains("note: re-check outcomes add up to 803, not to the 810 contacted"))
        // The JSON keeps its English notes and keys whatever the language.
        let json = try SampleAccountingCommand.parse(["--issued", "2667", "--returned-count", "2640", "--contacted", "810",
                                                      "--confirmed", "703", "--format", "json"]).render()
        #expect(json.contains("\"re-check outcomes add up to 703, not to the 810 contacted\""))
    }

    @Test("in a session, sample follows set lang")
    func sessionLanguage() throws {
        let session = REPLSession(workingDirectory: FileManager.default.currentDirectoryPath)
        #expect(session.execute("sample size --margin 2 --sd 15").output.contains("Cỡ mẫu ở độ tin cậy 95%"))
        #expect(!session.execute("set lang en").failed)
        #expect(session.execute("sample size --margin 2 --sd 15").output.contains("Sample size at 95% confidence"))
        #expect(session.execute("sample size --margin 2 --sd 15 --lang vi").output.contains("số phiếu cần: 217"))
    }
}

/// Frames carry names, addresses and phones: they may appear only in the list files the user asked for.
@Suite("Sampling: privacy of frames")
struct SamplingPrivacyTests {
    static let secrets = ["Kín Đáo", "0987 654 321", "Bí Mật"]

    static func assertNoSecrets(_ text: String, _ context: String) {
        for secret in secrets {
            #expect(!text.contains(secret), "\(context) shows a personal value")
        }
    }

    @Test func summariesNeverShowPersonalData() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let directory = folder.path
        let frame = SamplingCommandTests.fixture("frame.csv"), outcomes = SamplingCommandTests.fixture("outcomes.csv")
        let main = directory + "/main.csv", reserve = directory + "/reserve.csv", recheck = directory + "/recheck.csv"
        for format in ["table", "json"] {
            let selection = [frame, "--group-by", "unit,field", "--allocation", SamplingCommandTests.fixture("allocation.csv"),
                             "--sort-by", "name", "--borrow-within", "unit", "--format", format]
            Self.assertNoSecrets(try SampleSelectCommand.parse(selection + ["-o", main, "--reserve-output", reserve]).render(), "select")
            Self.assertNoSecrets(try SampleSelectCommand.parse(selection).render(), "select without output")
            Self.assertNoSecrets(try SampleReserveCommand.parse(selection + ["-o", directory + "/r2.csv"]).render(), "reserve")
            Self.assertNoSecrets(try SampleSelectCommand.parse([frame, "--n", "5", "--method", "random", "--format", format]).render(),
                                 "random")
            Self.assertNoSecrets(try SampleRecheckCommand.parse([outcomes, "--fraction", "1", "--format", format, "-o", recheck]).render(),
                                 "recheck")
            Self.assertNoSecrets(try SampleAccountingCommand.parse([outcomes, "--format", format]).render(), "accounting")
        }
        // The sentinel sorts first in its list, so it is in the main list and the full re-check list — and only there.
        #expect(try String(contentsOfFile: main, encoding: .utf8).contains("0987 654 321"))
        #expect(try String(contentsOfFile: recheck, encoding: .utf8).contains("Kín Đáo"))
        Self.assertNoSecrets(try String(contentsOfFile: reserve, encoding: .utf8), "the reserve list (sentinel is in the main list)")
    }

    @Test func aFrameWithoutItsHeaderLineShowsNoPersonalData() throws {
        // Saved without its header line, a frame's first line is a person: a missing-column message must not list it.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let frame = try folder.file("frame.csv", """
            P00001,Á Thị Kín Đáo,Số 1 ngõ Bí Mật,0987 654 321,UBND huyện Mai Sơn,Tư pháp
            P00002,Lò Văn Sơn,Bản 3,0912 000 111,UBND huyện Mai Sơn,Tư pháp
            """ + "\n")
        let runs: [(String, () throws -> String)] = [
            ("select", { try SampleSelectCommand.parse([frame, "--n", "1", "--group-by", "unit"]).render() }),
            ("recheck", { try SampleRecheckCommand.parse([frame, "--fraction", "0.5", "--by", "enumerator"]).render() }),
            ("accounting", { try SampleAccountingCommand.parse([frame]).render() }),
            ("size", { try SampleSizeCommand.parse(["--margin", "2", "--pilot", frame, "--column", "q05"]).render() }),
        ]
        for (name, run) in runs {
            let error = #expect(throws: (any Error).self, "\(name)") { _ = try run() }
            let message = "\(error.map { $0 } as Any)"
            #expect(message.contains("frame.csv") && message.contains("no column"), "\(name): \(message)")
            Self.assertNoSecrets(message, "a \(name) error on a frame without a header")
        }
    }

    @Test func errorsNameRowAndColumnNotValues() throws {
        // A frame whose size column holds a phone number by mistake, and an outcome file with a name in 'returned'.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let frame = try folder.file("frame.csv", "commune,households\nXã A,120\nXã B,0987 654 321x\n")
        let error = #expect(throws: (any Error).self) {
            try SampleSelectCommand.parse([frame, "--n", "1", "--method", "pps", "--size-column", "households"]).render()
        }
        let message = "\(error.map { $0 } as Any)"
        #expect(message.contains("row 2") && message.contains("households"))
        Self.assertNoSecrets(message, "a frame error")

        // A size of 0 is named by the frame's row and column (not by its position in the sorted list).
        let zero = try folder.file("zero.csv", "commune,households\nXã B,120\nXã A,0\n")
        #expect(throws: SamplingError(file: zero, row: 2, column: "households", vi: "cỡ PPS phải là số lớn hơn 0", en: "a PPS size must be a number above 0")) {
            try SampleSelectCommand.parse([zero, "--n", "1", "--sort-by", "commune", "--method", "pps", "--size-column", "households"]).render()
        }

        let outcomes = try folder.file("outcomes.csv", "returned,recheck\nyes,\nÁ Thị Kín Đáo,\nyes,0987 654 321\n")
        let second = #expect(throws: (any Error).self) { try SampleAccountingCommand.parse([outcomes]).render() }
        let secondMessage = "\(second.map { $0 } as Any)"
        #expect(secondMessage.contains("row 2") && secondMessage.contains("returned"))
        Self.assertNoSecrets(secondMessage, "an outcome error")

        let allocation = try folder.file("alloc.csv", "n\n0987 654 321\n")
        let third = #expect(throws: (any Error).self) {
            try SampleSelectCommand.parse([frame, "--allocation", allocation]).render()
        }
        Self.assertNoSecrets("\(third.map { $0 } as Any)", "an allocation error")
    }
}
