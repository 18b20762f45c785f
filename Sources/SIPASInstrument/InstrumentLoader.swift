import Foundation
import Yams

extension Instrument {
    /// Reads an instrument from a YAML or JSON file (JSON is read by the same YAML parser).
    public static func load(path: String) throws -> Instrument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InstrumentError(file: path, line: nil, field: "", message: "cannot read the file (does it exist?)",
                                  vi: "không đọc được tệp (tệp có tồn tại không?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InstrumentError(file: path, line: nil, field: "", message: "the file is not UTF-8 text", vi: "tệp không phải văn bản UTF-8")
        }
        return try parse(text, file: path)
    }

    /// Parses instrument text. `file` is used in error messages only.
    public static func parse(_ text: String, file: String) throws -> Instrument {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InstrumentError(file: file, line: nil, field: "", message: "the file is empty", vi: "tệp rỗng")
            }
            root = node
        } catch let error as InstrumentError {
            throw error
        } catch let error as YamlError {
            throw InstrumentError(file: file, line: yamlLine(error), field: "", message: "not valid YAML/JSON: \(yamlProblem(error))",
                                  vi: "không phải YAML/JSON hợp lệ: \(yamlProblem(error, .vi))")
        }
        var reader = InstrumentReader(file: file)
        return try reader.instrument(root)
    }

    /// A preset name (`khanhhoa-admin`, …) or a path to an instrument file.
    public static func resolve(_ nameOrPath: String) throws -> Instrument {
        if let preset = try InstrumentPreset.named(nameOrPath) { return preset }
        if FileManager.default.fileExists(atPath: nameOrPath) { return try load(path: nameOrPath) }
        throw InstrumentError(
            file: nameOrPath, line: nil, field: "",
            message: "no such preset or file (presets: \(InstrumentPreset.names.joined(separator: ", ")))",
            vi: "không có bộ câu hỏi mẫu hay tệp nào tên này (các bộ mẫu: \(InstrumentPreset.names.joined(separator: ", ")))")
    }
}

private func yamlLine(_ error: YamlError) -> Int? {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
    default: return nil
    }
}

private func yamlProblem(_ error: YamlError, _ language: Language = .en) -> String {
    let vi = language == .vi
    switch error {
    case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
         .composer(let context, let problem, _, _):
        guard vi else { return context.map { "\($0.text) \(problem)" } ?? problem }
        let said = YAMLWords.vietnamese[problem] ?? problem
        return context.map { "\(YAMLWords.vietnamese[$0.text] ?? $0.text) \(said)" } ?? said
    case .duplicatedKeysInMapping(let duplicates, _):
        return (vi ? "khoá bị trùng: " : "duplicate keys ") + duplicates.joined(separator: ", ")
    default:
        return String(describing: error)
    }
}

/// libyaml's commonest problems and contexts in Vietnamese (libyaml writes English only; one it does not list
/// keeps libyaml's words). The texts are those of libyaml's scanner.c, parser.c and loader.c.
private enum YAMLWords {
    static let vietnamese: [String: String] = [
        "mapping values are not allowed in this context": "không được có giá trị ánh xạ (dấu ':') ở chỗ này",
        "found character that cannot start any token": "gặp ký tự không thể mở đầu một thành phần",
        "could not find expected ':'": "không thấy dấu ':' cần có",
        "found unexpected end of stream": "tệp kết thúc bất ngờ",
        "found a tab character that violates indentation": "gặp ký tự tab làm sai thụt lề",
        "found a tab character where an indentation space is expected": "gặp ký tự tab ở chỗ cần dấu cách thụt lề",
        "did not find expected key": "không thấy khoá cần có",
        "did not find expected node content": "không thấy nội dung cần có",
        "did not find expected '-' indicator": "không thấy dấu '-' cần có",
        "did not find expected ',' or ']'": "không thấy dấu ',' hoặc ']' cần có",
        "did not find expected ',' or '}'": "không thấy dấu ',' hoặc '}' cần có",
        "did not find expected <document start>": "không thấy phần mở đầu tài liệu",
        "found unknown escape character": "gặp ký tự thoát không hợp lệ",
        "block sequence entries are not allowed in this context": "không được có mục danh sách ('-') ở chỗ này",
        "found undefined alias": "gặp bí danh (alias) chưa định nghĩa",
        "found duplicate anchor; first occurrence": "gặp neo (anchor) bị trùng",
        "while scanning a simple key": "khi đọc một khoá:",
        "while scanning a quoted scalar": "khi đọc một chuỗi trong dấu nháy:",
        "while scanning for the next token": "khi tìm thành phần tiếp theo:",
        "while scanning a plain scalar": "khi đọc một giá trị:",
        "while parsing a block mapping": "khi đọc một ánh xạ:",
        "while parsing a block collection": "khi đọc một danh sách:",
        "while parsing a flow sequence": "khi đọc một danh sách [ ]:",
        "while parsing a flow mapping": "khi đọc một ánh xạ { }:",
        "while parsing a flow node": "khi đọc một nút:",
        "while parsing a block node": "khi đọc một nút:",
        "while parsing a node": "khi đọc một nút:",
        "while composing a node": "khi dựng một nút:",
    ]
}

/// Walks the YAML node tree, keeping the field path for error messages.
private struct InstrumentReader {
    let file: String
    var seenIDs: [String: String] = [:]  // item id -> field path where first declared
    /// The instrument-wide `missing_labels`, for items without their own.
    var instrumentMissingLabels: [LabelEntry]?
    /// `answer_labels.likert5` / `.interval4`: the labels and aliases items of that scale take by default.
    var scaleLabels: [String: (labels: [AnswerLabel]?, entries: [LabelEntry], aliases: [LabelEntry]?)] = [:]

    init(file: String) { self.file = file }

    func fail(_ node: Node?, _ path: String, vi: String, en: String, viField: String? = nil) -> InstrumentError {
        InstrumentError(file: file, line: node?.mark?.line, field: path, message: en, vi: vi, viField: viField)
    }

    /// The mapping at `node`, rejecting keys not in `allowed` (typos must not pass silently).
    func mapping(_ node: Node, _ path: String, allowed: Set<String>) throws -> [String: Node] {
        guard let map = node.mapping else { throw fail(node, path, vi: "cần một ánh xạ (các cặp khoá: giá trị)", en: "expected a mapping (key: value pairs)") }
        var result: [String: Node] = [:]
        for (key, value) in map {
            guard let name = key.string else { throw fail(key, path, vi: "khoá phải là chữ", en: "keys must be text") }
            guard allowed.contains(name) else {
                throw fail(key, path.isEmpty ? name : "\(path).\(name)",
                           vi: "không có trường này (các trường có: \(allowed.sorted().joined(separator: ", ")))",
                           en: "unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            result[name] = value
        }
        return result
    }

    func string(_ map: [String: Node], _ key: String, _ path: String, parent: Node) throws -> String {
        let field = path.isEmpty ? key : "\(path).\(key)"
        guard let node = map[key] else { throw fail(parent, field, vi: "thiếu trường bắt buộc", en: "required field is missing") }
        guard let value = node.scalar?.string, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail(node, field, vi: "cần một đoạn chữ không rỗng", en: "expected non-empty text")
        }
        return value
    }

    func identifier(_ map: [String: Node], _ path: String, parent: Node) throws -> String {
        let id = try string(map, "id", path, parent: parent)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        guard id.allSatisfy({ allowed.contains($0) }) else {
            throw fail(map["id"], "\(path).id", vi: "'\(id)' chỉ được dùng chữ cái không dấu, chữ số, '_', '-' và '.'",
                       en: "'\(id)' may use only letters, digits, '_', '-' and '.'")
        }
        return id
    }

    func label(_ map: [String: Node], _ key: String, _ path: String, parent: Node) throws -> LocalizedText {
        let field = path.isEmpty ? key : "\(path).\(key)"
        guard let node = map[key] else { throw fail(parent, field, vi: "thiếu trường bắt buộc", en: "required field is missing") }
        let fields = try mapping(node, field, allowed: ["vi", "en"])
        return LocalizedText(vi: try string(fields, "vi", field, parent: node).precomposedStringWithCanonicalMapping,
                             en: try string(fields, "en", field, parent: node))
    }

    func integer(_ node: Node, _ path: String) throws -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string) else {
            throw fail(node, path, vi: node.scalar.map { "cần một số nguyên (đã ghi '\($0.string)')" } ?? "cần một số nguyên, không phải danh sách hay ánh xạ",
                       en: "expected a whole number, found '\(node.scalar?.string ?? "a list or mapping")'")
        }
        return value
    }

    func integers(_ node: Node?, _ path: String) throws -> [Int]? {
        guard let node else { return nil }
        guard let sequence = node.sequence else { throw fail(node, path, vi: "cần một danh sách số nguyên, ví dụ [9, 99]", en: "expected a list of whole numbers, e.g. [9, 99]") }
        return try sequence.enumerated().map { try integer($1, "\(path)[\($0)]") }
    }

    func sequence(_ map: [String: Node], _ key: String, _ path: String, parent: Node, required: Bool) throws -> [Node] {
        let field = path.isEmpty ? key : "\(path).\(key)"
        guard let node = map[key] else {
            if required { throw fail(parent, field, vi: "thiếu trường bắt buộc", en: "required field is missing") }
            return []
        }
        guard let items = node.sequence else { throw fail(node, field, vi: "cần một danh sách", en: "expected a list") }
        if required && items.isEmpty { throw fail(node, field, vi: "danh sách rỗng; cần ít nhất một mục",
                                                       en: "the list is empty; at least one entry is required") }
        return Array(items)
    }

    mutating func instrument(_ root: Node) throws -> Instrument {
        let map = try mapping(root, "", allowed: ["id", "title", "source", "basis", "missing_codes", "missing_labels", "answer_labels",
                                                  "contents", "overall", "perception", "expectation"])
        let id = try identifier(map, "", parent: root)
        let title = try label(map, "title", "", parent: root)
        let source = try map["source"].map { _ in try string(map, "source", "", parent: root) }
        let basis = try map["basis"].map { _ in try label(map, "basis", "", parent: root) }
        let defaultMissing = try integers(map["missing_codes"], "missing_codes") ?? []
        instrumentMissingLabels = try map["missing_labels"].map { try missingLabels($0, "missing_labels") }
        if let node = map["answer_labels"] { try readScaleLabels(node) }

        var contents: [Content] = []
        for (ci, contentNode) in try sequence(map, "contents", "", parent: root, required: true).enumerated() {
            let cpath = "contents[\(ci)]"
            let cmap = try mapping(contentNode, cpath, allowed: ["id", "label", "factors"])
            var factors: [Factor] = []
            for (fi, factorNode) in try sequence(cmap, "factors", cpath, parent: contentNode, required: true).enumerated() {
                let fpath = "\(cpath).factors[\(fi)]"
                let fmap = try mapping(factorNode, fpath, allowed: ["id", "label", "criteria"])
                var criteria: [Item] = []
                for (qi, itemNode) in try sequence(fmap, "criteria", fpath, parent: factorNode, required: true).enumerated() {
                    let item = try self.item(itemNode, "\(fpath).criteria[\(qi)]", role: .criterion, defaultMissing: defaultMissing)
                    criteria.append(item)
                }
                factors.append(Factor(id: try identifier(fmap, fpath, parent: factorNode),
                                      label: try label(fmap, "label", fpath, parent: factorNode), criteria: criteria))
            }
            try unique(factors.map(\.id), in: cmap["factors"], path: "\(cpath).factors", what: "factor", whatVi: "yếu tố")
            contents.append(Content(id: try identifier(cmap, cpath, parent: contentNode),
                                    label: try label(cmap, "label", cpath, parent: contentNode), factors: factors))
        }
        try unique(contents.map(\.id), in: map["contents"], path: "contents", what: "content", whatVi: "nội dung")

        let overall = try map["overall"].map { try item($0, "overall", role: .overall, defaultMissing: defaultMissing) }
        let perception = try sequence(map, "perception", "", parent: root, required: false).enumerated().map {
            try item($1, "perception[\($0)]", role: .perception, defaultMissing: defaultMissing)
        }
        let expectation = try sequence(map, "expectation", "", parent: root, required: false).enumerated().map {
            try item($1, "expectation[\($0)]", role: .expectation, defaultMissing: defaultMissing)
        }
        return Instrument(id: id, title: title, source: source, basis: basis, contents: contents, overall: overall,
                          perception: perception, expectation: expectation)
    }

    func unique(_ ids: [String], in node: Node?, path: String, what: String, whatVi: String) throws {
        var seen = Set<String>()
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            throw fail(node?.sequence?[index], "\(path)[\(index)].id", vi: "mã \(whatVi) '\(id)' bị trùng", en: "duplicate \(what) id '\(id)'")
        }
    }

    mutating func item(_ node: Node, _ path: String, role: ItemRole, defaultMissing: [Int]) throws -> Item {
        let map = try mapping(node, path, allowed: ["id", "label", "scale", "reversed", "missing_codes", "categories",
                                                    "multi_select", "source", "labels", "aliases", "missing_labels"])
        let id = try identifier(map, path, parent: node)
        if let first = seenIDs[id] {
            throw fail(map["id"], "\(path).id", vi: "mã câu hỏi '\(id)' đã dùng ở \(first)",
                       en: "item id '\(id)' is already used at \(first)")
        }
        seenIDs[id] = path
        let scaleName = try map["scale"].map { _ in try string(map, "scale", path, parent: node) } ?? "likert5"
        let categoryNodes = try sequence(map, "categories", path, parent: node, required: false)
        let scale: Scale
        switch scaleName {
        case "likert5", "interval4":
            if !categoryNodes.isEmpty {
                throw fail(map["categories"], "\(path).categories", vi: "câu hỏi thang \(scaleName) không có categories (chỉ câu hỏi nominal mới có)",
                           en: "a \(scaleName) item takes no categories (only nominal items do)")
            }
            scale = scaleName == "likert5" ? .likert5 : .interval4
        case "nominal":
            var categories: [Category] = []
            for (index, categoryNode) in categoryNodes.enumerated() {
                let cpath = "\(path).categories[\(index)]"
                let cmap = try mapping(categoryNode, cpath, allowed: ["code", "label"])
                guard let codeNode = cmap["code"] else { throw fail(categoryNode, "\(cpath).code", vi: "thiếu trường bắt buộc", en: "required field is missing") }
                let code = try integer(codeNode, "\(cpath).code")
                if categories.contains(where: { $0.code == code }) {
                    throw fail(codeNode, "\(cpath).code", vi: "mã phương án \(code) bị trùng", en: "duplicate category code \(code)")
                }
                categories.append(Category(code: code, label: try label(cmap, "label", cpath, parent: categoryNode)))
            }
            if categories.count < 2 {
                throw fail(map["categories"] ?? node, "\(path).categories", vi: "câu hỏi nominal cần ít nhất hai phương án (categories)",
                       en: "a nominal item needs at least two categories")
            }
            scale = .nominal(categories)
        default:
            throw fail(map["scale"], "\(path).scale", vi: "không có thang '\(scaleName)' (cần likert5, interval4 hoặc nominal)",
                       en: "unknown scale '\(scaleName)' (expected likert5, interval4 or nominal)")
        }
        if role == .criterion || role == .overall, case .nominal = scale {
            throw fail(map["scale"], "\(path).scale",
                       vi: "câu hỏi về mức hài lòng phải theo thang likert5 hoặc interval4; hãy đặt câu hỏi nominal trong 'perception'",
                       en: "satisfaction items must be likert5 or interval4; put nominal items under 'perception'")
        }
        let reversed = try flag(map, "reversed", path)
        let multiSelect = try flag(map, "multi_select", path)
        if multiSelect, case .nominal = scale {} else if multiSelect {
            throw fail(map["multi_select"], "\(path).multi_select", vi: "chỉ câu hỏi nominal mới được chọn nhiều phương án (multi_select)",
                       en: "only nominal items can be multi-select")
        }
        if reversed, scale.top == nil {
            throw fail(map["reversed"], "\(path).reversed", vi: "chỉ thang có thứ tự (likert5, interval4) mới đảo chiều được (reversed)",
                       en: "only ordered scales (likert5, interval4) can be reversed")
        }
        let missing = try integers(map["missing_codes"], "\(path).missing_codes") ?? defaultMissing
        for code in missing where scale.isValid(code) {
            let where_ = map["missing_codes"] == nil ? "the instrument-wide missing_codes" : "\(path).missing_codes"
            let whereVi = map["missing_codes"] == nil ? "missing_codes chung của bộ câu hỏi" : "\(path).missing_codes"
            throw fail(map["missing_codes"] ?? node, "\(path).missing_codes",
                       vi: "mã thiếu \(code) (từ \(whereVi)) cũng là câu trả lời hợp lệ của thang \(scale.name) (\(scale.validAnswers(.vi)))",
                       en: "missing code \(code) (from \(where_)) is also a valid \(scale.name) answer (\(scale.validAnswers))")
        }
        let source = try map["source"].map { _ in try string(map, "source", path, parent: node) }
        let (answerLabels, missingLabels) = try itemLabels(map, path, node: node, id: id, scale: scale,
                                                           scaleName: scaleName, missingCodes: missing)
        return Item(id: id, label: try label(map, "label", path, parent: node), scale: scale, role: role,
                    reversed: reversed, missingCodes: missing, multiSelect: multiSelect, source: source,
                    answerLabels: answerLabels, missingLabels: missingLabels)
    }

    func flag(_ map: [String: Node], _ key: String, _ path: String) throws -> Bool {
        guard let node = map[key] else { return false }
        guard let value = node.bool else { throw fail(node, "\(path).\(key)", vi: "cần true hoặc false", en: "expected true or false") }
        return value
    }
}

/// A text of an item's answers as the file declares it: what it means and where it was written.
private struct LabelEntry {
    var text: String
    var meaning: AnswerTextMeaning
    var field: String
    var node: Node?
    /// The field in Vietnamese words, for a text that has no place in the file (a scale's default label).
    var viField: String? = nil
}

extension InstrumentReader {
    /// The `code: value` pairs of a mapping keyed by answer codes, in file order.
    func codeKeyed(_ node: Node, _ path: String) throws -> [(code: Int, key: Node, value: Node)] {
        guard let map = node.mapping else {
            throw fail(node, path, vi: "cần một ánh xạ theo mã câu trả lời, ví dụ {5: [\"RHL\"]}",
                       en: "expected a mapping from answer codes, e.g. {5: [\"RHL\"]}")
        }
        return try map.map { key, value in
            guard let text = key.scalar?.string, let code = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw fail(key, "\(path).\(key.scalar?.string ?? "?")", vi: "khoá phải là mã câu trả lời (số nguyên)",
                           en: "keys must be answer codes (whole numbers)")
            }
            return (code, key, value)
        }
    }

    /// One text or a list of texts, each non-empty, in NFC, with the field of each.
    func texts(_ node: Node, _ path: String) throws -> [(text: String, field: String, node: Node)] {
        func text(_ node: Node, _ field: String) throws -> String {
            guard let value = node.scalar?.string, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail(node, field, vi: "cần một đoạn chữ không rỗng", en: "expected non-empty text")
            }
            return value.precomposedStringWithCanonicalMapping
        }
        if node.scalar != nil { return [(try text(node, path), path, node)] }
        guard let sequence = node.sequence, !sequence.isEmpty else {
            throw fail(node, path, vi: "cần một đoạn chữ hoặc danh sách các đoạn chữ, ví dụ [\"Không biết\", \"Không trả lời\"]",
                       en: "expected a text or a list of texts, e.g. [\"Don't know\", \"No answer\"]")
        }
        return try sequence.enumerated().map { index, item in (try text(item, "\(path)[\(index)]"), "\(path)[\(index)]", item) }
    }

    /// `labels: {1: {vi: …, en: …}, …}`: a label for every answer of an ordered scale.
    func answerLabels(_ node: Node, _ path: String, scale: Scale, scaleName: String) throws
        -> (labels: [AnswerLabel], entries: [LabelEntry])
    {
        guard let top = scale.top else {
            throw fail(node, path, vi: "nhãn câu trả lời của câu hỏi nominal là nhãn các phương án (categories); cách viết khác ghi trong aliases",
                       en: "a nominal item's answer labels are its categories' labels (other spellings go under aliases)")
        }
        var labels: [AnswerLabel] = []
        var entries: [LabelEntry] = []
        for (code, key, value) in try codeKeyed(node, path) {
            let field = "\(path).\(code)"
            guard scale.isValid(code) else {
                throw fail(key, field, vi: "\(code) không phải câu trả lời của thang \(scaleName) (\(scale.validAnswers(.vi)))",
                           en: "\(code) is not a \(scaleName) answer (\(scale.validAnswers))")
            }
            guard !labels.contains(where: { $0.code == code }) else { throw fail(key, field, vi: "câu trả lời \(code) có hai nhãn", en: "answer \(code) is labelled twice")
            }
            let fields = try mapping(value, field, allowed: ["vi", "en"])
            let text = LocalizedText(vi: try string(fields, "vi", field, parent: value).precomposedStringWithCanonicalMapping,
                                     en: try string(fields, "en", field, parent: value).precomposedStringWithCanonicalMapping)
            labels.append(AnswerLabel(code: code, label: text))
            entries.append(LabelEntry(text: text.vi, meaning: .answer(code), field: "\(field).vi", node: fields["vi"]))
            entries.append(LabelEntry(text: text.en, meaning: .answer(code), field: "\(field).en", node: fields["en"]))
        }
        let unlabelled = (1...top).filter { code in !labels.contains { $0.code == code } }
        if !unlabelled.isEmpty {
            let codes = unlabelled.map(String.init).joined(separator: ", ")
            throw fail(node, path, vi: "labels phải có nhãn cho mọi câu trả lời \(scale.validAnswers(.vi)); còn thiếu: \(codes)",
                       en: "labels must name every answer \(scale.validAnswers); missing: \(codes)")
        }
        return (labels.sorted { $0.code < $1.code }, entries)
    }

    /// `aliases: {5: ["RHL", …], …}`: other texts read as an answer.
    func aliases(_ node: Node, _ path: String, scale: Scale, scaleName: String) throws -> [LabelEntry] {
        var entries: [LabelEntry] = []
        for (code, key, value) in try codeKeyed(node, path) {
            let field = "\(path).\(code)"
            guard scale.isValid(code) else {
                throw fail(key, field, vi: "\(code) không phải câu trả lời của thang \(scaleName) (\(scale.validAnswers(.vi))); các chữ "
                                           + "mang nghĩa \"không biết\" hay \"không trả lời\" ghi trong missing_labels",
                           en: "\(code) is not a \(scaleName) answer (\(scale.validAnswers)); texts meaning "
                               + "\"don't know\" or \"no answer\" go under missing_labels")
            }
            entries += try texts(value, field).map { LabelEntry(text: $0.text, meaning: .answer(code), field: $0.field, node: $0.node) }
        }
        return entries
    }

    /// `missing_labels: ["Không biết", …]` (each counted under its text) or `{9: ["Không biết"], 99: "Không trả lời"}`
    /// (counted as those missing codes).
    func missingLabels(_ node: Node, _ path: String) throws -> [LabelEntry] {
        guard node.mapping != nil else {
            return try texts(node, path).map { LabelEntry(text: $0.text, meaning: .missingLabel($0.text), field: $0.field, node: $0.node) }
        }
        var entries: [LabelEntry] = []
        for (code, _, value) in try codeKeyed(node, path) {
            entries += try texts(value, "\(path).\(code)").map {
                LabelEntry(text: $0.text, meaning: .missingCode(code), field: $0.field, node: $0.node)
            }
        }
        return entries
    }

    /// `answer_labels: {likert5: {labels: …, aliases: …}, interval4: …}`: what items of each scale take unless
    /// they give their own.
    mutating func readScaleLabels(_ node: Node) throws {
        let map = try mapping(node, "answer_labels", allowed: ["likert5", "interval4"])
        for (name, value) in map {
            let path = "answer_labels.\(name)"
            let scale: Scale = name == "likert5" ? .likert5 : .interval4
            let fields = try mapping(value, path, allowed: ["labels", "aliases"])
            let labels = try fields["labels"].map { try answerLabels($0, "\(path).labels", scale: scale, scaleName: name) }
            scaleLabels[name] = (labels?.labels, labels?.entries ?? [],
                                 try fields["aliases"].map { try aliases($0, "\(path).aliases", scale: scale, scaleName: name) })
        }
    }

    /// An item's answer labels (its own `labels`, else `answer_labels` of its scale, else the scale's defaults)
    /// with its aliases, and its missing labels (its own, else the instrument-wide ones). Every text, once
    /// normalized as cells are (`AnswerText.normalized`), must mean one thing and must not be a number.
    func itemLabels(_ map: [String: Node], _ path: String, node: Node, id: String, scale: Scale, scaleName: String,
                    missingCodes: [Int]) throws -> ([AnswerLabel], [MissingLabel]) {
        let shared = scaleLabels[scaleName]
        var labels: [AnswerLabel]
        var entries: [LabelEntry]
        if let own = try map["labels"].map({ try answerLabels($0, "\(path).labels", scale: scale, scaleName: scaleName) }) {
            (labels, entries) = own
        } else if let sharedLabels = shared?.labels {
            (labels, entries) = (sharedLabels, shared?.entries ?? [])
        } else {
            labels = scale.defaultAnswerLabels
            entries = labels.enumerated().flatMap { index, answer in
                let field: String, labelNode: Node?
                var viField: String? = nil
                if case .nominal = scale {
                    field = "\(path).categories[\(index)].label"
                    labelNode = map["categories"]?.sequence?[index]
                } else {
                    field = "the default \(scaleName) label of \(answer.code)"
                    viField = "nhãn mặc định của câu trả lời \(answer.code) thang \(scaleName)"
                    labelNode = nil
                }
                return [LabelEntry(text: answer.label.vi, meaning: .answer(answer.code), field: "\(field).vi", node: labelNode,
                                   viField: viField.map { "\($0) (vi)" }),
                        LabelEntry(text: answer.label.en, meaning: .answer(answer.code), field: "\(field).en", node: labelNode,
                                   viField: viField.map { "\($0) (en)" })]
            }
        }
        let aliasEntries = try map["aliases"].map { try aliases($0, "\(path).aliases", scale: scale, scaleName: scaleName) }
            ?? shared?.aliases ?? []
        for entry in aliasEntries {
            guard case .answer(let code) = entry.meaning, let index = labels.firstIndex(where: { $0.code == code }) else { continue }
            labels[index].aliases.append(entry.text)
        }
        if let unlabelled = aliasEntries.first(where: { entry in !labels.contains { .answer($0.code) == entry.meaning } }) {
            let own = unlabelled.field.hasPrefix(path)
            throw fail(unlabelled.node ?? node, unlabelled.field,
                       vi: "muốn có cách viết khác (alias) thì câu trả lời phải có nhãn (thang \(scaleName) mặc định không có nhãn: hãy ghi labels"
                           + (own ? "" : " cho câu hỏi '\(id)'") + ")",
                       en: "an alias needs its answer to have a label (\(scaleName) answers have none by default: give labels"
                           + (own ? "" : " for item '\(id)'") + ")")
        }
        let missingEntries = try map["missing_labels"].map { try missingLabels($0, "\(path).missing_labels") }
            ?? instrumentMissingLabels ?? []
        for entry in missingEntries {
            if case .missingCode(let code) = entry.meaning, !missingCodes.contains(code) {
                let codes = missingCodes.map(String.init).joined(separator: ", ")
                throw fail(entry.node ?? node, entry.field,
                           vi: "\(code) không phải mã thiếu của câu hỏi '\(id)' (các mã thiếu của câu hỏi: "
                               + (missingCodes.isEmpty ? "không có" : codes) + "); hãy thêm mã này vào missing_codes",
                           en: "\(code) is not a missing code of item '\(id)' (its missing codes: "
                               + (missingCodes.isEmpty ? "none" : codes) + "); add it to missing_codes",
                           viField: entry.viField)
            }
        }
        var seen: [String: LabelEntry] = [:]
        for entry in entries + aliasEntries + missingEntries {
            let key = AnswerText.normalized(entry.text)
            let forItem = entry.field.hasPrefix(path) ? "" : " (item '\(id)')"
            let forItemVi = entry.field.hasPrefix(path) ? "" : " (câu hỏi '\(id)')"
            if Double(key.replacingOccurrences(of: ",", with: ".")) != nil {
                throw fail(entry.node ?? node, entry.field,
                           vi: "'\(entry.text)' là một số: ô chứa số được đọc là mã, nên nhãn phải là chữ" + forItemVi,
                           en: "'\(entry.text)' is a number: cells holding numbers are read as codes, so a label must be text" + forItem,
                           viField: entry.viField)
            }
            guard let first = seen[key] else { seen[key] = entry; continue }
            if first.meaning != entry.meaning {
                throw fail(entry.node ?? node, entry.field,
                           vi: "nhãn trùng: '\(entry.text)' (\(Self.describe(entry.meaning, .vi))) đọc giống '\(first.text)' ở "
                               + "\(first.viField ?? first.field) (\(Self.describe(first.meaning, .vi))); mỗi đoạn chữ chỉ được mang một nghĩa"
                               + forItemVi,
                           en: "duplicate label: '\(entry.text)' (\(Self.describe(entry.meaning))) reads the same as '\(first.text)' at "
                               + "\(first.field) (\(Self.describe(first.meaning))); a text may mean one answer only" + forItem,
                           viField: entry.viField)
            }
        }
        let missing = missingEntries.map { entry -> MissingLabel in
            if case .missingCode(let code) = entry.meaning { return MissingLabel(text: entry.text, code: code) }
            return MissingLabel(text: entry.text)
        }
        return (labels, missing)
    }

    static func describe(_ meaning: AnswerTextMeaning, _ language: Language = .en) -> String {
        let vi = language == .vi
        switch meaning {
        case .answer(let code): return vi ? "câu trả lời \(code)" : "answer \(code)"
        case .missingCode(let code): return vi ? "mã thiếu \(code)" : "missing code \(code)"
        case .missingLabel: return vi ? "một nhãn thiếu" : "a missing label"
        }
    }
}
