/// A problem with an instrument file, located by file, line and field path, told in Vietnamese and English.
public struct InstrumentError: Error, Equatable, LocalizedFailure {
    /// The file (or `preset:NAME`) the instrument came from.
    public var file: String
    /// 1-based line in that file, when known.
    public var line: Int?
    /// Dotted path of the field, e.g. `contents[0].factors[1].criteria[2].scale`.
    public var field: String
    /// What was wrong and what was expected, in English.
    public var message: String
    /// The same in Vietnamese.
    public var vi: String
    /// The field in Vietnamese words, when `field` is a description rather than a path of the file (a scale's
    /// default label); nil when the path serves both languages.
    public var viField: String?

    public init(file: String, line: Int?, field: String, message: String, vi: String, viField: String? = nil) {
        self.file = file; self.line = line; self.field = field; self.message = message; self.vi = vi; self.viField = viField
    }

    public var description: String { text(.en) }

    public func text(_ language: Language) -> String {
        let text = language == .vi ? vi : message
        let field = language == .vi ? (viField ?? self.field) : self.field
        let location = line.map { "\(file):\($0)" } ?? file
        return field.isEmpty ? "\(location): \(text)" : "\(location): \(field): \(text)"
    }
}
