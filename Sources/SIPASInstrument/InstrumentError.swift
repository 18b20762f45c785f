/// A problem with an instrument file, located by file, line and field path.
public struct InstrumentError: Error, Equatable, CustomStringConvertible {
    /// The file (or `preset:NAME`) the instrument came from.
    public var file: String
    /// 1-based line in that file, when known.
    public var line: Int?
    /// Dotted path of the field, e.g. `contents[0].factors[1].criteria[2].scale`.
    public var field: String
    /// What was wrong and what was expected.
    public var message: String

    public init(file: String, line: Int?, field: String, message: String) {
        self.file = file; self.line = line; self.field = field; self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}
