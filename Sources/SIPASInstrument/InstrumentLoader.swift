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
            throw InstrumentError(file: file, line: yamlLine(error), field: "", message: "not valid YAML/JSON: \(yamlProblem(error))")
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

private func yamlProblem(_ error: YamlError) -> String {
    switch error {
    case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
         .composer(let context, let problem, _, _):
        return context.map { "\($0.text) \(problem)" } ?? problem
    case .duplicatedKeysInMapping(let duplicates, _):
        return "duplicate keys \(duplicates.joined(separator: ", "))"
    default:
        return String(describing: error)
    }
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

    func fail(_ node: Node?, _ path: String, _ message: String) -> InstrumentError {
        InstrumentError(file: file, line: node?.mark?.line, field: path, message: message)
    }

    /// The mapping at `node`, rejecting keys not in `allowed` (typos must not pass silently).
    func mapping(_ node: Node, _ path: String, allowed: Set<String>) throws -> [String: Node] {
        guard let map = node.mapping else { throw fail(node, path, "expected a mapping (key: value pairs)") }
        var result: [String: Node] = [:]
        for (key, value) in map {
            guard let name = key.string else { throw fail(key, path, "keys must be text") }
            guard allowed.contains(name) else {
                throw fail(key, path.isEmpty ? name : "\(path).\(name)",
                           "unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            result[name] = value
        }
        return result
    }

    func string(_ map: [String: Node], _ key: String, _ path: String, parent: Node) throws -> String {
        let field = path.isEmpty ? key : "\(path).\(key)"
        guard let node = map[key] else { throw fail(parent, field, "required field is missing") }
        guard let value = node.scalar?.string, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail(node, field, "expected non-empty text")
        }
        return value
    }

    func identifier(_ map: [String: Node], _ path: String, parent: Node) throws -> String {
        let id = try string(map, "id", path, parent: parent)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        guard id.allSatisfy({ allowed.contains($0) }) else {
            throw fail(map["id"], "\(path).id", "'\(id)' may use only letters, digits, '_', '-' and '.'")
        }
        return id
    }

    func label(_ map: [String: Node], _ key: String, _ path: String, parent: Node) throws -> LocalizedText {
        let field = path.isEmpty ? key : "\(path).\(key)"
        guard let node = map[key] else { throw fail(parent, field, "required field is missing") }
        let fields = try mapping(node, field, allowed: ["vi", "en"])
        return LocalizedText(vi: try string(fields, "vi", field, parent: node).precomposedStringWithCanonicalMapping,
                             en: try string(fields, "en", field, parent: node))
    }

    func integer(_ node: Node, _ path: String) throws -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string) else {
            throw fail(node, path, "expected a whole number, found '\(node.scalar?.string ?? "a list or mapping")'")
        }
        return value
    }

    func integers(_ node: Node?, _ path: String) throws -> [Int]? {
        guard let node else { return nil }
        guard let sequence = node.sequence else { throw fail(node, path, "expected a list of whole numbers, e.g. [9, 99]") }
        return try sequence.enumerated().map { try integer($1, "\(path)[\($0)]") }
    }

    func sequence(_ map: [String: Node], _ key: String, _ path: String, parent: Node, required: Bool) throws -> [Node] {
        let field = path.isEmpty ? key : "\(path).\(key)"
        guard let node = map[key] else {
            if required { throw fail(parent, field, "required field is missing") }
            return []
        }
        guard let items = node.sequence else { throw fail(node, field, "expected a list") }
        if required && items.isEmpty { throw fail(node, field, "the list is empty; at least one entry is required") }
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
            try unique(factors.map(\.id), in: cmap["factors"], path: "\(cpath).factors", what: "factor")
            contents.append(Content(id: try identifier(cmap, cpath, parent: contentNode),
                                    label: try label(cmap, "label", cpath, parent: contentNode), factors: factors))
        }
        try unique(contents.map(\.id), in: map["contents"], path: "contents", what: "content")

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

    func unique(_ ids: [String], in node: Node?, path: String, what: String) throws {
        var seen = Set<String>()
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            throw fail(node?.sequence?[index], "\(path)[\(index)].id", "duplicate \(what) id '\(id)'")
        }
    }

    mutating func item(_ node: Node, _ path: String, role: ItemRole, defaultMissing: [Int]) throws -> Item {
        let map = try mapping(node, path, allowed: ["id", "label", "scale", "reversed", "missing_codes", "categories",
                                                    "multi_select", "source", "labels", "aliases", "missing_labels"])
        let id = try identifier(map, path, parent: node)
        if let first = seenIDs[id] {
            throw fail(map["id"], "\(path).id", "item id '\(id)' is already used at \(first)")
        }
        seenIDs[id] = path
        let scaleName = try map["scale"].map { _ in try string(map, "scale", path, parent: node) } ?? "likert5"
        let categoryNodes = try sequence(map, "categories", path, parent: node, required: false)
        let scale: Scale
        switch scaleName {
        case "likert5", "interval4":
            if !categoryNodes.isEmpty {
                throw fail(map["categories"], "\(path).categories", "a \(scaleName) item takes no categories (only nominal items do)")
            }
            scale = scaleName == "likert5" ? .likert5 : .interval4
        case "nominal":
            var categories: [Category] = []
            for (index, categoryNode) in categoryNodes.enumerated() {
                let cpath = "\(path).categories[\(index)]"
                let cmap = try mapping(categoryNode, cpath, allowed: ["code", "label"])
                guard let codeNode = cmap["code"] else { throw fail(categoryNode, "\(cpath).code", "required field is missing") }
                let code = try integer(codeNode, "\(cpath).code")
                if categories.contains(where: { $0.code == code }) {
                    throw fail(codeNode, "\(cpath).code", "duplicate category code \(code)")
                }
                categories.append(Category(code: code, label: try label(cmap, "label", cpath, parent: categoryNode)))
            }
            if categories.count < 2 {
                throw fail(map["categories"] ?? node, "\(path).categories", "a nominal item needs at least two categories")
            }
            scale = .nominal(categories)
        default:
            throw fail(map["scale"], "\(path).scale", "unknown scale '\(scaleName)' (expected likert5, interval4 or nominal)")
        }
        if role == .criterion || role == .overall, case .nominal = scale {
            throw fail(map["scale"], "\(path).scale",
                       "satisfaction items must be likert5 or interval4; put nominal items under 'perception'")
        }
        let reversed = try flag(map, "reversed", path)
        let multiSelect = try flag(map, "multi_select", path)
        if multiSelect, case .nominal = scale {} else if multiSelect {
            throw fail(map["multi_select"], "\(path).multi_select", "only nominal items can be multi-select")
        }
        if reversed, scale.top == nil {
            throw fail(map["reversed"], "\(path).reversed", "only ordered scales (likert5, interval4) can be reversed")
        }
        let missing = try integers(map["missing_codes"], "\(path).missing_codes") ?? defaultMissing
        for code in missing where scale.isValid(code) {
            let where_ = map["missing_codes"] == nil ? "the instrument-wide missing_codes" : "\(path).missing_codes"
            throw fail(map["missing_codes"] ?? node, "\(path).missing_codes",
                       "missing code \(code) (from \(where_)) is also a valid \(scale.name) answer (\(scale.validAnswers))")
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
        guard let value = node.bool else { throw fail(node, "\(path).\(key)", "expected true or false") }
        return value
    }
}

/// A text of an item's answers as the file declares it: what it means and where it was written.
private struct LabelEntry {
    var text: String
    var meaning: AnswerTextMeaning
    var field: String
    var node: Node?
}

extension InstrumentReader {
    /// The `code: value` pairs of a mapping keyed by answer codes, in file order.
    func codeKeyed(_ node: Node, _ path: String) throws -> [(code: Int, key: Node, value: Node)] {
        guard let map = node.mapping else {
            throw fail(node, path, "expected a mapping from answer codes, e.g. {5: [\"RHL\"]}")
        }
        return try map.map { key, value in
            guard let text = key.scalar?.string, let code = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw fail(key, "\(path).\(key.scalar?.string ?? "?")", "keys must be answer codes (whole numbers)")
            }
            return (code, key, value)
        }
    }

    /// One text or a list of texts, each non-empty, in NFC, with the field of each.
    func texts(_ node: Node, _ path: String) throws -> [(text: String, field: String, node: Node)] {
        func text(_ node: Node, _ field: String) throws -> String {
            guard let value = node.scalar?.string, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail(node, field, "expected non-empty text")
            }
            return value.precomposedStringWithCanonicalMapping
        }
        if node.scalar != nil { return [(try text(node, path), path, node)] }
        guard let sequence = node.sequence, !sequence.isEmpty else {
            throw fail(node, path, "expected a text or a list of texts, e.g. [\"Không biết\", \"Don't know\"]")
        }
        return try sequence.enumerated().map { index, item in (try text(item, "\(path)[\(index)]"), "\(path)[\(index)]", item) }
    }

    /// `labels: {1: {vi: …, en: …}, …}`: a label for every answer of an ordered scale.
    func answerLabels(_ node: Node, _ path: String, scale: Scale, scaleName: String) throws
        -> (labels: [AnswerLabel], entries: [LabelEntry])
    {
        guard let top = scale.top else {
            throw fail(node, path, "a nominal item's answer labels are its categories' labels (other spellings go under aliases)")
        }
        var labels: [AnswerLabel] = []
        var entries: [LabelEntry] = []
        for (code, key, value) in try codeKeyed(node, path) {
            let field = "\(path).\(code)"
            guard scale.isValid(code) else {
                throw fail(key, field, "\(code) is not a \(scaleName) answer (\(scale.validAnswers))")
            }
            guard !labels.contains(where: { $0.code == code }) else { throw fail(key, field, "answer \(code) is labelled twice") }
            let fields = try mapping(value, field, allowed: ["vi", "en"])
            let text = LocalizedText(vi: try string(fields, "vi", field, parent: value).precomposedStringWithCanonicalMapping,
                                     en: try string(fields, "en", field, parent: value).precomposedStringWithCanonicalMapping)
            labels.append(AnswerLabel(code: code, label: text))
            entries.append(LabelEntry(text: text.vi, meaning: .answer(code), field: "\(field).vi", node: fields["vi"]))
            entries.append(LabelEntry(text: text.en, meaning: .answer(code), field: "\(field).en", node: fields["en"]))
        }
        let unlabelled = (1...top).filter { code in !labels.contains { $0.code == code } }
        if !unlabelled.isEmpty {
            throw fail(node, path, "labels must name every answer \(scale.validAnswers); missing: "
                                   + unlabelled.map(String.init).joined(separator: ", "))
        }
        return (labels.sorted { $0.code < $1.code }, entries)
    }

    /// `aliases: {5: ["RHL", …], …}`: other texts read as an answer.
    func aliases(_ node: Node, _ path: String, scale: Scale, scaleName: String) throws -> [LabelEntry] {
        var entries: [LabelEntry] = []
        for (code, key, value) in try codeKeyed(node, path) {
            let field = "\(path).\(code)"
            guard scale.isValid(code) else {
                throw fail(key, field, "\(code) is not a \(scaleName) answer (\(scale.validAnswers)); texts meaning "
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
                if case .nominal = scale {
                    field = "\(path).categories[\(index)].label"
                    labelNode = map["categories"]?.sequence?[index]
                } else {
                    field = "the default \(scaleName) label of \(answer.code)"
                    labelNode = nil
                }
                return [LabelEntry(text: answer.label.vi, meaning: .answer(answer.code), field: "\(field).vi", node: labelNode),
                        LabelEntry(text: answer.label.en, meaning: .answer(answer.code), field: "\(field).en", node: labelNode)]
            }
        }
        let aliasEntries = try map["aliases"].map { try aliases($0, "\(path).aliases", scale: scale, scaleName: scaleName) }
            ?? shared?.aliases ?? []
        for entry in aliasEntries {
            guard case .answer(let code) = entry.meaning, let index = labels.firstIndex(where: { $0.code == code }) else { continue }
            labels[index].aliases.append(entry.text)
        }
        if let unlabelled = aliasEntries.first(where: { entry in !labels.contains { .answer($0.code) == entry.meaning } }) {
            throw fail(unlabelled.node ?? node, unlabelled.field,
                       "an alias needs its answer to have a label (\(scaleName) answers have none by default: give labels"
                           + (unlabelled.field.hasPrefix(path) ? "" : " for item '\(id)'") + ")")
        }
        let missingEntries = try map["missing_labels"].map { try missingLabels($0, "\(path).missing_labels") }
            ?? instrumentMissingLabels ?? []
        for entry in missingEntries {
            if case .missingCode(let code) = entry.meaning, !missingCodes.contains(code) {
                throw fail(entry.node ?? node, entry.field,
                           "\(code) is not a missing code of item '\(id)' (its missing codes: "
                               + (missingCodes.isEmpty ? "none" : missingCodes.map(String.init).joined(separator: ", "))
                               + "); add it to missing_codes")
            }
        }
        var seen: [String: LabelEntry] = [:]
        for entry in entries + aliasEntries + missingEntries {
            let key = AnswerText.normalized(entry.text)
            let forItem = entry.field.hasPrefix(path) ? "" : " (item '\(id)')"
            if Double(key.replacingOccurrences(of: ",", with: ".")) != nil {
                throw fail(entry.node ?? node, entry.field,
                           "'\(entry.text)' is a number: cells holding numbers are read as codes, so a label must be text" + forItem)
            }
            guard let first = seen[key] else { seen[key] = entry; continue }
            if first.meaning != entry.meaning {
                throw fail(entry.node ?? node, entry.field,
                           "duplicate label: '\(entry.text)' (\(Self.describe(entry.meaning))) reads the same as '\(first.text)' at "
                               + "\(first.field) (\(Self.describe(first.meaning))); a text may mean one answer only" + forItem)
            }
        }
        let missing = missingEntries.map { entry -> MissingLabel in
            if case .missingCode(let code) = entry.meaning { return MissingLabel(text: entry.text, code: code) }
            return MissingLabel(text: entry.text)
        }
        return (labels, missing)
    }

    static func describe(_ meaning: AnswerTextMeaning) -> String {
        switch meaning {
        case .answer(let code): return "answer \(code)"
        case .missingCode(let code): return "missing code \(code)"
        case .missingLabel: return "a missing label"
        }
    }
}
