/// A problem with an instrument file, located by file, line and field path.
public struct InstrumentError: Error, Equatable, LocalizedFailure {
    /// The file (or `preset:NAME`) the instrument came from.
    public var file: String
    /// 1-based line in that file, when known.
    public var line: Int?
    /// Dotted path of the field, e.g. `contents[0].factors[1].criteria[2].scale`.
    public var field: String
    /// What was wrong and what was expected.
    public var message: String
    /// The message in Vietnamese, where it has been written; without it the English `message` is shown.
    public var vi: String?

    public init(file: String, line: Int?, field: String, message: String, vi: String? = nil) {
        self.file = file; self.line = line; self.field = field; self.message = message; self.vi = vi
    }

    public var description: String { text(.en) }

    public func text(_ language: Language) -> String {
        let text = language == .vi ? (vi ?? message) : message
        let location = line.map { "\(file):\($0)" } ?? file
        return field.isEmpty ? "\(location): \(text)" : "\(location): \(field): \(text)"
    }
}
