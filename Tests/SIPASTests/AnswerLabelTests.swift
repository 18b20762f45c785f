import Foundation
import SIPASCommandLine
import SIPASData
import SIPASEstimation
import SIPASInstrument
import Testing

/// Issue 14, parts 3 and 4: answers written as their labels (online forms, Kobo/ODK exports) and numbers written
/// with a decimal comma (Vietnamese Excel) give exactly the results of the same answers written as codes.
/// Fixtures: Fixtures/labels/ (written by make_fixtures.py from design/sipas-subset.csv). Before this change
/// every label file had all its rows excluded and the decimal-comma files stopped at their first weight.
struct AnswerLabelTests {
    static func labels(_ name: String) -> String { TestPaths.fixture("labels/\(name)") }
    static let design = ["--strata", "stratum", "--cluster", "cluster", "--weight", "weight"]

    static func indexJSON(_ path: String, _ arguments: [String] = [], instrument: String = "khanhhoa-admin") throws
        -> [String: Any]
    {
        let output = try IndexCommand.parse([path, "-i", instrument, "--format", "json"] + arguments).render()
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    /// Every estimate (value, SE, interval, df, deff, n, answer counts) of `actual` equals `expected` to 1e-12,
    /// and so do the rows, the invalid cells and the per-item counts.
    static func expectSameResults(_ actual: [String: Any], _ expected: [String: Any], items: Bool = true,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let a = try #require(actual["indices"] as? [[String: Any]])
        let e = try #require(expected["indices"] as? [[String: Any]])
        #expect(a.count == e.count, sourceLocation: sourceLocation)
        for (x, y) in zip(a, e) {
            let name = "\(y["kind"]!) \(y["id"]!) \(y["group"]!)"
            #expect(x["id"] as? String == y["id"] as? String && x["kind"] as? String == y["kind"] as? String,
                    Comment(rawValue: name), sourceLocation: sourceLocation)
            #expect((x["group"] as? [String: String]) == (y["group"] as? [String: String]), Comment(rawValue: name),
                    sourceLocation: sourceLocation)
            for key in ["estimate", "se", "ci_lower", "ci_upper", "deff", "df_effective"] {
                if let expectedValue = y[key] as? Double {
                    #expect(close(x[key] as? Double, expectedValue, relative: 1e-12, absolute: 1e-12),
                            Comment(rawValue: "\(name) \(key)"), sourceLocation: sourceLocation)
                } else {
                    #expect(x[key] is NSNull, Comment(rawValue: "\(name) \(key)"), sourceLocation: sourceLocation)
                }
            }
            #expect(x["df"] as? Int == y["df"] as? Int && x["n"] as? Int == y["n"] as? Int, Comment(rawValue: name),
                    sourceLocation: sourceLocation)
            #expect((x["answer_counts"] as? [Int]) == (y["answer_counts"] as? [Int]), Comment(rawValue: name),
                    sourceLocation: sourceLocation)
        }
        #expect(NSDictionary(dictionary: try #require(actual["rows"] as? [String: Any]))
                    == NSDictionary(dictionary: try #require(expected["rows"] as? [String: Any])), sourceLocation: sourceLocation)
        #expect(NSDictionary(dictionary: try #require(actual["invalid_cells"] as? [String: Any]))
                    == NSDictionary(dictionary: try #require(expected["invalid_cells"] as? [String: Any])), sourceLocation: sourceLocation)
        if items {
            #expect(NSArray(array: try #require(actual["items"] as? [Any])) == NSArray(array: try #require(expected["items"] as? [Any])),
                    sourceLocation: sourceLocation)
        }
    }

    // MARK: (1) and (2): the same answers as labels, with decimal commas: exactly the codes file's results

    @Test("labels (vi, en) and decimal commas (';' file, quoted in a ',' file) give the codes file's results",
          arguments: ["labels-vi.csv", "labels-en.csv", "semicolon-decimal-comma.csv", "quoted-decimal-comma.csv"],
          [[], ["--by", "unit_id"]])
    func sameResultsAsCodes(file: String, by: [String]) throws {
        let expected = try Self.indexJSON(Self.labels("codes.csv"), Self.design + by)
        let actual = try Self.indexJSON(Self.labels(file), Self.design + by)
        try Self.expectSameResults(actual, expected)
        let missing = try #require(actual["items"] as? [[String: Any]]).reduce(0) { $0 + ($1["missing_codes"] as! Int) }
        #expect(missing == 12)  // 6 × "Không biết" / "Don't know" (9) and 6 × "Không trả lời" / "No answer" (99)
    }

    @Test func theCodesFileHasTheSubsetsEstimates() throws {
        // codes.csv differs from the subset only by 12 blank cells holding 9 or 99: both are missing.
        for by in [[], ["--by", "unit_id"]] {
            let subset = try Self.indexJSON(TestPaths.fixture("design/sipas-subset.csv"), Self.design + by)
            let codes = try Self.indexJSON(Self.labels("codes.csv"), Self.design + by)
            try Self.expectSameResults(codes, subset, items: false)
        }
    }

    @Test func missingLabelsWithoutACodeCountUnderTheirOwnText() throws {
        // The preset with its missing labels declared as a plain list: same estimates and rows, and each cell
        // counted among the item's missing codes under the label's text.
        let yaml = try #require(InstrumentPreset.yaml(named: "khanhhoa-admin"))
            .replacingOccurrences(of: "missing_labels:\n  9: [\"Không biết\", \"Don't know\"]\n  99: [\"Không trả lời\", \"No answer\"]",
                                  with: "missing_labels: [\"Không biết\", \"Không trả lời\"]")
        #expect(yaml.contains("missing_labels: [\"Không biết\", \"Không trả lời\"]"))
        try withTemporaryFolder { folder in
            let instrument = try folder.file("plain-missing.yaml", yaml)
            let actual = try Self.indexJSON(Self.labels("labels-vi.csv"), Self.design, instrument: instrument)
            let expected = try Self.indexJSON(Self.labels("codes.csv"), Self.design)
            try Self.expectSameResults(actual, expected, items: false)
            let items = try #require(actual["items"] as? [[String: Any]])
            let expectedItems = try #require(expected["items"] as? [[String: Any]])
            var byLabel: [String: Int] = [:]
            for (item, reference) in zip(items, expectedItems) {
                #expect(item["missing_codes"] as? Int == reference["missing_codes"] as? Int)
                #expect(item["blank"] as? Int == reference["blank"] as? Int && item["answered"] as? Int == reference["answered"] as? Int)
                for (label, count) in item["missing_labels"] as? [String: Int] ?? [:] { byLabel[label, default: 0] += count }
            }
            #expect(byLabel == ["Không biết": 6, "Không trả lời": 6])
        }
    }

    @Test func decimalPointOnACommaFileNamesTheRowAndColumn() throws {
        #expect {
            try IndexCommand.parse([Self.labels("semicolon-decimal-comma.csv"), "-i", "khanhhoa-admin", "--weight", "weight",
                                    "--decimal", "point"]).render()
        } throws: { error in
            let text = "\(error)"
            return text.contains("semicolon-decimal-comma.csv:2 (row 1, column 'weight')") && text.contains("'34,9185' is not a number")
                && text.contains("--decimal comma")
        }
        // --decimal comma on the ',' file: its weights kept with a point are errors, located.
        #expect {
            try IndexCommand.parse([Self.labels("quoted-decimal-comma.csv"), "-i", "khanhhoa-admin", "--weight", "weight",
                                    "--decimal", "comma"]).render()
        } throws: { error in
            "\(error)".contains("column 'weight'") && "\(error)".contains("its decimal mark is ','") && "\(error)".contains("--decimal point")
        }
        // --decimal comma on the ';' file changes nothing.
        let given = try Self.indexJSON(Self.labels("semicolon-decimal-comma.csv"), Self.design + ["--decimal", "comma"])
        try Self.expectSameResults(given, try Self.indexJSON(Self.labels("codes.csv"), Self.design))
    }

    @Test func aPointInACommaFileAndAThousandsLookalikeAreErrors() throws {
        let instrument = TrustTests.oneItem
        let semicolon = "q01;w\n5;1,5\n4;36.5\n"
        #expect {
            try CSVReader.read(text: semicolon, source: "s.csv", instrument: instrument, options: CSVReadOptions(numericColumns: ["w"]))
        } throws: { error in
            "\(error)" == "s.csv:3 (row 2, column 'w'): '36.5' is not a number in this file: its decimal mark is ',' (the delimiter is ';'); "
                + "give --decimal point if its numbers are written with '.'"
        }
        let comma = "q01,w\n5,\"36,5\"\n4,\"1,500\"\n"
        #expect {
            try CSVReader.read(text: comma, source: "c.csv", instrument: instrument, options: CSVReadOptions(numericColumns: ["w"]))
        } throws: { "\($0)".contains("c.csv:3 (row 2, column 'w'): '1,500' is not a number: it may be a decimal comma or a thousands separator") }
        let unambiguous = try CSVReader.read(text: "q01,w\n5,\"36,5\"\n4,0.25\n3,\"0,125\"\n", source: "c.csv", instrument: instrument,
                                             options: CSVReadOptions(numericColumns: ["w"]))
        #expect(unambiguous.numberColumns[0].values == [36.5, 0.25, 0.125])
        // Columns parsed after reading (text columns, as `estimate` and the model commands use them) follow the same rule.
        let text = try CSVReader.read(text: "a;b\n1,5;x\n2;y\n", source: "t.csv")
        #expect(try text.numbers(named: "a") == [1.5, 2])
        let point = try CSVReader.read(text: "a;b\n1,5;x\n", source: "t.csv", options: CSVReadOptions(decimal: .point))
        #expect(throws: DataError.self) { try point.numbers(named: "a") }
    }

    @Test func answersWithAZeroFractionAreTheirCodeInEveryFile() throws {
        // "4,0" and "4.0" are both 4 whatever the delimiter or --decimal: an answer has no fraction.
        let files: [(String, DecimalMark?)] = [
            ("q01;x\n4,0;a\n4.0;b\n4,5;c\n", nil), ("q01,x\n\"4,0\",a\n4.0,b\n4.5,c\n", nil),
            ("q01;x\n4,0;a\n4.0;b\n4,5;c\n", .point), ("q01,x\n\"4,0\",a\n4.0,b\n4.5,c\n", .comma),
        ]
        for (csv, decimal) in files {
            let table = try CSVReader.read(text: csv, source: "a.csv", instrument: TrustTests.oneItem, options: CSVReadOptions(decimal: decimal))
            #expect(table.items[0].values == [4, 4, 0], "\(csv) \(String(describing: decimal))")
            #expect(table.invalidCells.map(\.row) == [3])
        }
    }

    @Test func estimateAndRegressReadDecimalCommas() throws {
        let expected = try EstimateCommand.parse([Self.labels("codes.csv"), "--mean", "weight", "--format", "json"]).render()
        for file in ["semicolon-decimal-comma.csv", "quoted-decimal-comma.csv"] {
            let output = try EstimateCommand.parse([Self.labels(file), "--mean", "weight", "--format", "json"]).render()
            #expect(output.replacingOccurrences(of: file, with: "codes.csv") == expected)
        }
        #expect(throws: DataError.self) {
            try EstimateCommand.parse([Self.labels("semicolon-decimal-comma.csv"), "--mean", "weight", "--decimal", "point"]).render()
        }
        let regression = try RegressCommand.parse([Self.labels("codes.csv"), "--y", "weight", "--x", "q01,q02", "--format", "json"]).render()
        let semicolon = try RegressCommand.parse([Self.labels("semicolon-decimal-comma.csv"), "--y", "weight", "--x", "q01,q02",
                                                  "--format", "json"]).render()
        #expect(semicolon.replacingOccurrences(of: "semicolon-decimal-comma.csv", with: "codes.csv") == regression)
    }

    @Test func modelCommandsReadAnItemsLabelsThroughTheInstrument() throws {
        let arguments = ["--items", "q01,q02,q03,q04", "-i", "khanhhoa-admin", "--format", "json"]
        let expected = try AlphaCommand.parse([Self.labels("codes.csv")] + arguments).render()
        for file in ["labels-vi.csv", "labels-en.csv", "semicolon-decimal-comma.csv"] {
            #expect(try AlphaCommand.parse([Self.labels(file)] + arguments).render() == expected, Comment(rawValue: file))
        }
    }

    // MARK: (3) unknown labels are invalid cells with their location

    @Test func unknownLabelsAreLocatedInvalidCells() throws {
        let csv = "q01,note\nRất hài lòng,a\n\"Tốt\",b\nhài lòng,c\n\"Rất\nhài lòng\",d\nKhông biết,e\nxyz,f\n"
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        var oneItem = instrument
        oneItem.contents = [Content(id: "c", label: instrument.contents[0].label,
                                    factors: [Factor(id: "f", label: instrument.contents[0].factors[0].label,
                                                     criteria: [instrument.criteria[0]])])]
        oneItem.overall = nil
        let table = try CSVReader.read(text: csv, source: "u.csv", instrument: oneItem)
        #expect(table.items[0].values == [5, 0, 4, 5, 0, 0])  // a line break inside the quoted label is white space
        #expect(table.items[0].missingCodeCounts == [9: 1])
        #expect(table.invalidCells.map { "\($0.row) \($0.line) \($0.column) \($0.value)" } == ["2 3 q01 Tốt", "6 8 q01 xyz"])
        let missingness = try #require(try IndexAnalysis.run(table: table).itemMissingness.first)
        #expect([missingness.answered, missingness.blank, missingness.missingCodes, missingness.invalid] == [Int]([3, 0, 1, 2]))
        #expect {
            try CSVReader.read(text: csv, source: "u.csv", instrument: oneItem, options: CSVReadOptions(strict: true))
        } throws: { error in
            "\(error)" == "u.csv:3 (row 2, column 'q01'): 'Tốt' is not a valid likert5 answer (expected 1-5, one of its labels "
                + "('Rất không hài lòng' … 'Rất hài lòng'), a missing code 9/99, a missing label ('Không biết', 'Don't know', "
                + "'Không trả lời', 'No answer') or blank)"
        }
    }

    @Test func aFileOfUnknownWordsFailsSayingWhatToAdd() throws {
        let header = try #require(try String(contentsOfFile: TestPaths.fixture("design/sipas-subset.csv"), encoding: .utf8)
            .split(separator: "\n").first)
        try withTemporaryFolder { folder in
            let words = String(header) + "\n" + (1...3).map { id in
                "\(id),2024,\"U01\",\"x\",\"tinh\",\"U01\",\"U01-C1\",1,\"nu\",\"18-29\",\"x\"," + Array(repeating: "Tốt", count: 17).joined(separator: ",")
            }.joined(separator: "\n") + "\n"
            let path = try folder.file("words.csv", words)
            #expect {
                try IndexCommand.parse([path, "-i", "khanhhoa-admin"]).render()
            } throws: { error in
                let text = "\(error)"
                return text.contains("no row can be used: all 3 rows are excluded")
                    && text.contains("The answer cells hold words that are not the instrument's answer labels (e.g. 'Tốt' in q01)")
                    && text.contains("as aliases") && !text.contains("U01-C1")
            }
        }
    }

    // MARK: (4) instrument files: labels, aliases, missing labels, duplicates

    static let labelled = """
        id: labelled
        title: {vi: "Nhãn", en: "Labels"}
        missing_codes: [9]
        missing_labels: {9: ["Không biết"]}
        answer_labels:
          likert5:
            aliases: {5: ["RHL", "rat hai long"], 1: "RKHL"}
          interval4:
            labels:
              1: {vi: "Hoàn toàn không", en: "Not at all"}
              2: {vi: "Ít", en: "A little"}
              3: {vi: "Khá", en: "Fairly"}
              4: {vi: "Rất", en: "Very"}
        contents:
          - id: c
            label: {vi: "C", en: "C"}
            factors:
              - id: f
                label: {vi: "F", en: "F"}
                criteria:
                  - {id: q01, label: {vi: "a", en: "a"}}
                  - id: q02
                    label: {vi: "b", en: "b"}
                    aliases: {4: ["tạm được"]}
                    missing_labels: ["Không trả lời", "N/A"]
        expectation:
          - {id: e01, label: {vi: "e", en: "e"}, scale: interval4}
        """

    @Test func instrumentFilesGiveLabelsAliasesAndMissingLabels() throws {
        let instrument = try Instrument.parse(Self.labelled, file: "labelled.yaml")
        let q01 = try #require(instrument.item("q01")), q02 = try #require(instrument.item("q02"))
        #expect(q01.answerLabels.map(\.label) == Scale.likert5Labels.map(\.label))
        #expect(q01.answerLabels.map(\.aliases) == [["RKHL"], [], [], [], ["RHL", "rat hai long"]])
        #expect(q01.missingLabels == [MissingLabel(text: "Không biết", code: 9)])
        #expect(q02.answerLabels.map(\.aliases) == [[], [], [], ["tạm được"], []])  // the item's aliases replace the scale's
        #expect(q02.missingLabels == [MissingLabel(text: "Không trả lời"), MissingLabel(text: "N/A")])
        #expect(instrument.item("e01")?.answerLabels.map(\.label.en) == ["Not at all", "A little", "Fairly", "Very"])
        #expect(try InstrumentPreset.named("laichau-full")?.item("e01")?.answerLabels == [])  // §6.2c names no interval answers

        let csv = "q01,q02,e01\n  rhl ,TẠM ĐƯỢC,rất\nRKHL,n/a,Khá\nKhông biết,Rất hài lòng,9\nrat  hai long,không trả lời,ít\n"
        let table = try CSVReader.read(text: csv, source: "l.csv", instrument: instrument)
        #expect(table.items.map(\.values) == [[5, 1, 0, 5], [4, 0, 5, 0], [4, 3, 0, 2]])
        #expect(table.items[0].missingCodeCounts == [9: 1] && table.items[2].missingCodeCounts == [9: 1])
        #expect(table.items[1].missingLabelCounts == ["N/A": 1, "Không trả lời": 1] && table.invalidCellCount == 0)
        let q02Missing = try IndexAnalysis.run(table: table).itemMissingness[1]
        #expect(q02Missing.item == "q02" && [q02Missing.answered, q02Missing.blank, q02Missing.missingCodes, q02Missing.invalid] == [Int]([2, 0, 2, 0]))
        #expect(q02Missing.missingLabels == ["N/A": 1, "Không trả lời": 1])

        try withTemporaryFolder { folder in
            let path = try folder.file("labelled.yaml", Self.labelled)
            let check = try InstrumentCommand.Check.parse([path, "--lang", "en"]).render()
            #expect(check.contains("OK — instrument 'labelled'") && check.contains("; 3 item(s) with answer labels, 4 alias(es), 4 missing label(s)"))
            let outline = try InstrumentCommand.Show.parse([path, "--lang", "en"]).render()
            #expect(outline.contains("  answer labels [likert5] (q01, q02): ") == false)  // the two items' aliases differ
            #expect(outline.contains("answer labels [likert5] (q01): 1 = \"Very dissatisfied\"; 2 = \"Dissatisfied\"; 3 = \"Neutral\"; "
                                     + "4 = \"Satisfied\"; 5 = \"Very satisfied\""))
            #expect(outline.contains("    aliases: 1 = \"RKHL\"; 5 = \"RHL\", \"rat hai long\""))
            #expect(outline.contains("answer labels [interval4] (e01): 1 = \"Not at all\""))
            #expect(outline.contains("missing (q02): codes 9; labels \"Không trả lời\", \"N/A\""))
            #expect(outline.contains("missing (q01, e01): codes 9; labels \"Không biết\" = 9"))
        }
        let preset = try InstrumentCommand.Show.parse(["khanhhoa-admin"]).render()
        #expect(preset.contains("5: {vi: \"Rất hài lòng\", en: \"Very satisfied\"}") && preset.contains("9: [\"Không biết\", \"Don't know\"]"))
    }

    @Test("instrument check rejects labels that mean two things, naming the field", arguments: [
        // An alias spelled like another answer's label (case and NFD do not make it different).
        ("answer_labels: {likert5: {aliases: {4: [\"RẤT HÀI LÒNG\"]}}}", "answer_labels.likert5.aliases.4[0]", "duplicate label"),
        ("answer_labels: {likert5: {aliases: {4: [\"Ra\u{0302}\u{0301}t hài lòng\"]}}}", "answer_labels.likert5.aliases.4[0]", "duplicate label"),
        // A missing label that is an answer's label.
        ("missing_labels: [\"Bình thường\"]", "missing_labels[0]", "reads the same as 'Bình thường'"),
        // The same alias for two answers.
        ("answer_labels: {likert5: {aliases: {4: \"OK\", 5: \"ok\"}}}", "answer_labels.likert5.aliases.5", "duplicate label"),
        // Labels for part of a scale, a label that is a number, a code off the scale.
        ("answer_labels: {likert5: {labels: {1: {vi: \"a\", en: \"a\"}}}}", "answer_labels.likert5.labels", "missing: 2, 3, 4, 5"),
        ("answer_labels: {likert5: {aliases: {5: \"5.0\"}}}", "answer_labels.likert5.aliases.5", "is a number"),
        ("answer_labels: {likert5: {aliases: {9: \"Không biết\"}}}", "answer_labels.likert5.aliases.9", "go under missing_labels"),
        // Aliases of interval4 answers, which have no labels unless given; a missing label for a code not declared missing.
        ("answer_labels: {interval4: {aliases: {1: \"x\"}}}", "answer_labels.interval4.aliases.1", "needs its answer to have a label"),
        ("missing_labels: {8: \"Không biết\"}", "missing_labels.8", "8 is not a missing code of item 'q01'"),
    ])
    func duplicateAndBadLabelsAreErrors(extra: String, field: String, message: String) throws {
        let yaml = """
            id: bad
            title: {vi: "X", en: "X"}
            missing_codes: [9]
            \(extra)
            contents:
              - id: c
                label: {vi: "C", en: "C"}
                factors:
                  - id: f
                    label: {vi: "F", en: "F"}
                    criteria:
                      - {id: q01, label: {vi: "a", en: "a"}}
            expectation:
              - {id: e01, label: {vi: "e", en: "e"}, scale: interval4}
            """
        try withTemporaryFolder { folder in
            let path = try folder.file("bad.yaml", yaml)
            #expect {
                try InstrumentCommand.Check.parse([path]).render()
            } throws: { error in
                guard let error = error as? InstrumentError else { return false }
                return error.field == field && error.message.contains(message) && error.line != nil
            }
        }
    }

    @Test func itemLevelLabelsAndCategoryDuplicatesAreChecked() throws {
        func parse(_ criterion: String, perception: String = "") throws -> Instrument {
            try Instrument.parse("""
                id: x
                title: {vi: "X", en: "X"}
                contents:
                  - id: c
                    label: {vi: "C", en: "C"}
                    factors:
                      - id: f
                        label: {vi: "F", en: "F"}
                        criteria:
                          - \(criterion)
                \(perception)
                """, file: "x.yaml")
        }
        let own = try parse("{id: q01, label: {vi: a, en: a}, labels: {1: {vi: Tệ, en: Bad}, 2: {vi: Kém, en: Poor}, 3: {vi: Vừa, en: Fair}, 4: {vi: Tốt, en: Good}, 5: {vi: Rất tốt, en: Excellent}}}")
        #expect(own.item("q01")?.answerLabels.map(\.label.vi) == ["Tệ", "Kém", "Vừa", "Tốt", "Rất tốt"])
        #expect {
            try parse("{id: q01, label: {vi: a, en: a}, labels: {1: {vi: Tệ, en: Bad}, 2: {vi: tệ, en: Poor}, 3: {vi: Vừa, en: Fair}, 4: {vi: Tốt, en: Good}, 5: {vi: Rất tốt, en: Excellent}}}")
        } throws: { ($0 as? InstrumentError)?.field == "contents[0].factors[0].criteria[0].labels.2.vi" }
        #expect {
            try parse("{id: q01, label: {vi: a, en: a}}", perception: """
                perception:
                  - id: p01
                    label: {vi: p, en: p}
                    scale: nominal
                    categories:
                      - {code: 1, label: {vi: "Có", en: "Yes"}}
                      - {code: 2, label: {vi: "có", en: "No"}}
                """)
        } throws: { ($0 as? InstrumentError)?.field == "perception[0].categories[1].label.vi" }
        // A nominal item's category labels are read as its codes.
        let nominal = try parse("{id: q01, label: {vi: a, en: a}}", perception: """
            perception:
              - id: p01
                label: {vi: p, en: p}
                scale: nominal
                categories:
                  - {code: 1, label: {vi: "Có", en: "Yes"}}
                  - {code: 2, label: {vi: "Không", en: "No"}}
                aliases: {2: ["K"]}
            """)
        let table = try CSVReader.read(text: "q01,p01\n5,có\n4,NO\n3,k\n", source: "n.csv", instrument: nominal)
        #expect(table.items[1].values == [1, 2, 2])
    }
}
