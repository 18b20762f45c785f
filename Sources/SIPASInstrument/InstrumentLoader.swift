import Foundation
import Yams

extension Instrument {
    /// Reads an instrument from a YAML or JSON file (JSON is read by the same YAML parser).
    public static func load(path: String) throws -> Instrument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InstrumentError(file: path, line: nil, field: "", message: "cannot read the file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InstrumentError(file: path, line: nil, field: "", message: "the file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses instrument text. `file` is used in error messages only.
    public static func parse(_ text: String, file: String) throws -> Instrument {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InstrumentError(file: file, line: nil, field: "", message: "the file is empty")
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
            message: "no such preset or file (presets: \(InstrumentPreset.names.joined(separator: ", ")))")
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
        let map = try mapping(root, "", allowed: ["id", "title", "source", "missing_codes", "contents", "overall",
                                                  "perception", "expectation"])
        let id = try identifier(map, "", parent: root)
        let title = try label(map, "title", "", parent: root)
        let source = try map["source"].map { _ in try string(map, "source", "", parent: root) }
        let defaultMissing = try integers(map["missing_codes"], "missing_codes") ?? []

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
        return Instrument(id: id, title: title, source: source, contents: contents, overall: overall,
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
                                                    "multi_select", "source"])
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
        return Item(id: id, label: try label(map, "label", path, parent: node), scale: scale, role: role,
                    reversed: reversed, missingCodes: missing, multiSelect: multiSelect, source: source)
    }

    func flag(_ map: [String: Node], _ key: String, _ path: String) throws -> Bool {
        guard let node = map[key] else { return false }
        guard let value = node.bool else { throw fail(node, "\(path).\(key)", "expected true or false") }
        return value
    }
}
