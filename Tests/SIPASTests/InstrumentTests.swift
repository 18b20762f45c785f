import Foundation
import Testing
@testable import SIPASInstrument

@Suite("Instruments and presets")
struct InstrumentTests {
    @Test("khanhhoa-admin: five factors q01–q16 as the issue and Khánh Hòa Art. 4.1 prescribe")
    func khanhhoaAdmin() throws {
        let instrument = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        #expect(instrument.contents.map(\.id) == ["service"])
        let factors = instrument.contents[0].factors
        #expect(factors.map(\.id) == ["access", "procedures", "officials", "results", "feedback"])
        #expect(factors.map { $0.criteria.map(\.id) } == [
            ["q01", "q02", "q03"], ["q04", "q05", "q06", "q07"], ["q08", "q09", "q10"], ["q11", "q12", "q13"],
            ["q14", "q15", "q16"],
        ])
        #expect(instrument.criteria.allSatisfy { $0.scale == .likert5 && !$0.reversed })
        #expect(instrument.overall?.id == "overall")
        #expect(instrument.overall?.scale == .likert5)
        #expect(instrument.criteria.allSatisfy { $0.missingCodes == [9, 99] })
    }

    /// The seed's 27-item table (Lai Châu §5.3) as "N. text" lines.
    func seedItems() throws -> [Int: String] {
        let path = try TestPaths.sharedFile("seeds/000_f4d5009983bbab88.txt")
        let whole = try String(contentsOfFile: path, encoding: .utf8)
        // The table sits between its title ("Bảng nội dung, yếu tố, tiêu chí…") and §5.4.
        let start = try #require(whole.range(of: "Bảng nội dung, yếu tố, tiêu chí")).upperBound
        let end = try #require(whole.range(of: "5.4. Đo lường nhu cầu")).lowerBound
        let text = String(whole[start..<end])
        var items: [Int: String] = [:]
        let pattern = try NSRegularExpression(pattern: #"(?:^|\t|<p>)(\d{1,2})\. (.+?)(?=</p>|$)"#, options: [.anchorsMatchLines])
        let ns = text as NSString
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let number = Int(ns.substring(with: match.range(at: 1)))!
            if (1...27).contains(number), items[number] == nil {
                items[number] = ns.substring(with: match.range(at: 2)).trimmingCharacters(in: .whitespaces)
            }
        }
        return items
    }

    @Test("preset criterion labels are the seed's items, word for word", .requires(TestPaths.hasShared("seeds/000_f4d5009983bbab88.txt"), "needs ../shared/seeds"))
    func labelsMatchSeed() throws {
        let items = try seedItems()
        #expect(items.count == 27)
        let admin = try #require(try InstrumentPreset.named("khanhhoa-admin"))
        for (offset, criterion) in admin.criteria.enumerated() {
            #expect(criterion.label.vi == items[12 + offset], "\(criterion.id) vs seed item \(12 + offset)")
            #expect(!criterion.label.en.isEmpty)
        }
        let full = try #require(try InstrumentPreset.named("laichau-full"))
        for (offset, criterion) in full.criteria.enumerated() {
            #expect(criterion.label.vi == items[1 + offset], "\(criterion.id) vs seed item \(1 + offset)")
        }
    }

    @Test("laichau-full: 27 criteria, 9 factors, 2 contents, 8 perception and 10 expectation items (§5.1–5.4)",
          .requires(TestPaths.hasShared("seeds/000_f4d5009983bbab88.txt"), "needs ../shared/seeds"))
    func laichauFull() throws {
        let instrument = try #require(try InstrumentPreset.named("laichau-full"))
        #expect(instrument.contents.map(\.id) == ["policy", "service"])
        #expect(instrument.contents.map { $0.factors.map(\.criteria.count) } == [[1, 1, 4, 5], [3, 4, 3, 3, 3]])
        #expect(instrument.criteria.count == 27)
        #expect(instrument.contents[1].criteria.map(\.id) == (1...16).map { String(format: "q%02ld", $0) })
        #expect(instrument.perception.count == 8)
        #expect(instrument.expectation.count == 10)
        #expect(instrument.expectation.allSatisfy { $0.scale == .interval4 })
        let channels = try #require(instrument.item("p02"))
        #expect(channels.multiSelect)
        if case .nominal(let categories) = channels.scale { #expect(categories.count >= 5) } else { Issue.record("p02 is not nominal") }
        let path = try TestPaths.sharedFile("seeds/000_f4d5009983bbab88.txt")
        let seed = try String(contentsOfFile: path, encoding: .utf8)
        for item in instrument.perception + instrument.expectation {
            #expect(seed.contains(item.label.vi), "\(item.id): label not found in seed 000")
        }
    }

    @Test("health and education presets carry the five factors of Khánh Hòa Art. 4.2 and 4.3",
          .requires(TestPaths.hasShared("seeds/004_23c00513bee02227.txt"), "needs ../shared/seeds"))
    func healthEducation() throws {
        let path = try TestPaths.sharedFile("seeds/004_23c00513bee02227.txt")
        let seed = try String(contentsOfFile: path, encoding: .utf8)
        for name in ["khanhhoa-health", "khanhhoa-education"] {
            let instrument = try #require(try InstrumentPreset.named(name))
            let factors = instrument.contents.flatMap(\.factors)
            #expect(factors.count == 5)
            for factor in factors { #expect(seed.contains("- " + factor.label.vi), "\(name).\(factor.id)") }
        }
    }

    @Test("every preset round-trips through `Instrument.resolve` and has unique ids")
    func presetsResolve() throws {
        for name in InstrumentPreset.names {
            let instrument = try Instrument.resolve(name)
            #expect(instrument.id == name)
            #expect(Set(instrument.items.map(\.id)).count == instrument.items.count)
        }
        #expect(throws: InstrumentError.self) { try Instrument.resolve("no-such-preset") }
    }

    static let badInstruments: [(String, String)] = [
        ("id: x\ntitle: {vi: a, en: b}\ncontents: []\n", "x.yaml:3: contents: the list is empty"),
        ("id: x\ntitle: {vi: a, en: b}\ncontents:\n  - id: c\n    label: {vi: a, en: b}\n    factors:\n      - id: f\n        label: {vi: a, en: b}\n        criteria:\n          - {id: q1, label: {vi: a, en: b}, scale: likert7}\n",
         "x.yaml:10: contents[0].factors[0].criteria[0].scale: unknown scale 'likert7' (expected likert5, interval4 or nominal)"),
        ("id: x\ntitle: {vi: a, en: b}\ncontents:\n  - id: c\n    label: {vi: a, en: b}\n    factors:\n      - id: f\n        label: {vi: a, en: b}\n        criteria:\n          - {id: q1, label: {vi: a, en: b}}\n          - {id: q1, label: {vi: a, en: b}}\n",
         "x.yaml:11: contents[0].factors[0].criteria[1].id: item id 'q1' is already used at contents[0].factors[0].criteria[0]"),
        ("id: x\ntitle: {vi: a, en: b}\ncontents:\n  - id: c\n    label: {vi: a}\n    factors:\n      - id: f\n        label: {vi: a, en: b}\n        criteria:\n          - {id: q1, label: {vi: a, en: b}}\n",
         "x.yaml:5: contents[0].label.en: required field is missing"),
        ("id: x\ntitle: {vi: a, en: b}\nmissing_codes: [3]\ncontents:\n  - id: c\n    label: {vi: a, en: b}\n    factors:\n      - id: f\n        label: {vi: a, en: b}\n        criteria:\n          - {id: q1, label: {vi: a, en: b}}\n",
         "contents[0].factors[0].criteria[0].missing_codes: missing code 3 (from the instrument-wide missing_codes) is also a valid likert5 answer (1-5)"),
        ("id: x\ntitel: {vi: a, en: b}\n", "x.yaml:2: titel: unknown field"),
        ("id: x\ntitle: {vi: a, en: b}\ncontents:\n  - id: c\n    label: {vi: a, en: b}\n    factors:\n      - id: f\n        label: {vi: a, en: b}\n        criteria:\n          - {id: q1, label: {vi: a, en: b}, scale: nominal, categories: [{code: 1, label: {vi: a, en: b}}]}\n",
         "x.yaml:10: contents[0].factors[0].criteria[0].categories: a nominal item needs at least two categories"),
        ("id: x\ntitle: {vi: a, en: b\n", "x.yaml:3: not valid YAML/JSON"),
        ("{\"id\": \"x\",\n \"title\": {\"vi\": \"a\", \"en\": \"b\"},\n \"contents\": [{\"id\": \"c\", \"label\": {\"vi\": \"a\", \"en\": \"b\"},\n   \"factors\": 3}]}\n",
         "x.yaml:4: contents[0].factors: expected a list"),
    ]

    @Test("a bad instrument names the file, line and field", arguments: badInstruments)
    func badInstrument(text: String, expected: String) {
        do {
            _ = try Instrument.parse(text, file: "x.yaml")
            Issue.record("accepted a bad instrument; expected: \(expected)")
        } catch let error as InstrumentError {
            #expect(error.description.contains(expected), "got: \(error.description)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("JSON instruments load through the same parser, with reversed items scored (top + 1) − answer")
    func jsonInstrument() throws {
        let text = """
            {"id": "j", "title": {"vi": "Thử", "en": "Test"},
             "contents": [{"id": "c", "label": {"vi": "a", "en": "b"}, "factors": [{"id": "f", "label": {"vi": "a", "en": "b"},
               "criteria": [{"id": "r", "label": {"vi": "a", "en": "b"}, "scale": "interval4", "reversed": true}]}]}]}
            """
        let instrument = try Instrument.parse(text, file: "j.json")
        let item = instrument.criteria[0]
        #expect(item.scale == .interval4)
        #expect((1...4).map(item.score) == [4, 3, 2, 1])
    }
}
