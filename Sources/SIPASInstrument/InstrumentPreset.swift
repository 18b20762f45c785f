/// Instruments shipped with sipas, usable by name.
///
/// | name | source |
/// |---|---|
/// | `khanhhoa-admin` | Khánh Hòa 2782/QĐ-UBND Art. 4.1, criteria = Lai Châu §5.3 items 12–27 |
/// | `laichau-full` | Lai Châu methodology 2024–2026 §5.1–5.4 (27 criteria, 9 factors, 2 contents) |
/// | `khanhhoa-health` | Khánh Hòa 2782 Art. 4.2 |
/// | `khanhhoa-education` | Khánh Hòa 2782 Art. 4.3 |
public enum InstrumentPreset {
    /// Preset names with their YAML text.
    public static let all: [(name: String, yaml: String)] = [
        ("khanhhoa-admin", khanhhoaAdminYAML),
        ("laichau-full", laichauFullYAML),
        ("khanhhoa-health", khanhhoaHealthYAML),
        ("khanhhoa-education", khanhhoaEducationYAML),
    ]

    public static var names: [String] { all.map(\.name) }

    /// The YAML text of a preset, to print or copy and edit.
    public static func yaml(named name: String) -> String? { all.first { $0.name == name }?.yaml }

    /// The parsed preset, or nil when `name` is not a preset.
    public static func named(_ name: String) throws -> Instrument? {
        guard let text = yaml(named: name) else { return nil }
        return try Instrument.parse(text, file: "preset:\(name)")
    }
}
