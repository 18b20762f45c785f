import Foundation
import SIPASInstrument
import Yams

/// A province's allocation rules as data (YAML or JSON): forms per agency, per district class and service field,
/// communes per district, census thresholds, named special cases, and the multistage household plan.
///
/// The presets `sonla-2024` (seed 001, II.3 and III.1.a) and `laichau-2024` (seed 000, §7.1) are written in this
/// format; `sipas sample allocate --show-rules ID` prints one to copy and edit. See docs/sampling.md.
public struct AllocationRules: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var source: String
    /// Provincial departments (sở, ban, ngành).
    public var departments: DepartmentRule?
    /// District people's committees (UBND huyện) by administrative class.
    public var districts: DistrictRule?
    /// Communes (xã, phường, thị trấn) chosen in each district.
    public var communes: CommuneRule?
    /// Household survey: communes per district, villages per commune, households per village.
    public var multistage: MultistageRule?

    public struct DepartmentRule: Codable, Equatable, Sendable {
        /// Forms per department.
        public var forms: Int
        /// Census when the department had fewer transactions than this.
        public var censusBelow: Int?
        /// How the forms split across service fields, as written (and in Vietnamese, shown with --lang vi).
        public var fieldNote: String?
        public var fieldNoteVi: String?
        /// Named departments with their own rule.
        public var special: [SpecialUnit]?
    }

    public struct SpecialUnit: Codable, Equatable, Sendable {
        public var unit: String
        /// Forms for this unit (replaces the level's default).
        public var forms: Int?
        /// Census of the transactions when they are fewer than this.
        public var censusBelow: Int?
        /// Forms added to the census (e.g. 20 forms from organizations).
        public var extraForms: Int?
        public var note: String?
        /// The note in Vietnamese (default: `note`).
        public var noteVi: String?
    }

    public struct DistrictRule: Codable, Equatable, Sendable {
        public var classes: [DistrictClass]
    }

    public struct DistrictClass: Codable, Equatable, Sendable {
        /// "I", "II", …
        public var name: String
        public var forms: Int
        public var fields: [FieldForms]
        /// The districts of this class, by name.
        public var members: [String]?
    }

    public struct FieldForms: Codable, Equatable, Sendable {
        public var field: String
        public var forms: Int
    }

    public struct CommuneRule: Codable, Equatable, Sendable {
        public var perDistrict: Int
        public var formsPerCommune: Int
        public var fieldsPerCommune: Int?
        /// How the communes are chosen, in order: e.g. the district seat by default, then 2 of class I.
        public var quotas: [CommuneQuota]
    }

    public struct CommuneQuota: Codable, Equatable, Sendable {
        /// "seat" (chosen by default) or a commune class such as "I" or "II/III".
        public var group: String
        public var count: Int
    }

    public struct MultistageRule: Codable, Equatable, Sendable {
        public var communesPerDistrict: Int
        /// Districts with another number of communes.
        public var communesByDistrict: [FieldCount]?
        public var villagesPerCommune: Int
        public var householdsPerVillage: Int
        /// The administrative centre (commune) and the village holding the commune seat are chosen by default.
        public var administrativeCentreByDefault: Bool
        public var note: String?
    }

    public struct FieldCount: Codable, Equatable, Sendable {
        public var district: String
        public var communes: Int
    }
}

/// A planned unit and the forms it gets.
public struct PlannedAllocation: Equatable, Sendable {
    public var level: String
    public var unit: String
    public var field: String
    public var forms: Int
    public var census: Bool = false
    /// What the row means (class, communes × forms, census), in both languages; a note written in the rules file
    /// is shown as written in either language.
    public var note: Note = Note(vi: "", en: "")
}

/// A unit of the plan read from a units file (or from the rules' own member lists).
public struct PlanUnit: Equatable, Sendable {
    public var level: String
    public var unit: String
    public var unitClass: String?
    public var transactions: Int?

    public init(level: String, unit: String, unitClass: String? = nil, transactions: Int? = nil) {
        self.level = level; self.unit = unit; self.unitClass = unitClass; self.transactions = transactions
    }
}

extension AllocationRules {
    /// The preset identifiers.
    public static let presetIDs = ["sonla-2024", "laichau-2024"]

    /// A preset by id, or nil.
    public static func preset(_ id: String) -> AllocationRules? {
        switch id {
        case "sonla-2024": return try? decode(AllocationPresets.sonLa2024, source: id)
        case "laichau-2024": return try? decode(AllocationPresets.laiChau2024, source: id)
        default: return nil
        }
    }

    /// The YAML text of a preset.
    public static func presetText(_ id: String) -> String? {
        switch id {
        case "sonla-2024": return AllocationPresets.sonLa2024
        case "laichau-2024": return AllocationPresets.laiChau2024
        default: return nil
        }
    }

    /// A preset id or a YAML/JSON file path.
    public static func load(_ idOrPath: String) throws -> AllocationRules {
        if let preset = preset(idOrPath) { return preset }
        guard FileManager.default.fileExists(atPath: idOrPath) else {
            throw SamplingError(vi: "'\(idOrPath)' không phải bộ quy định có sẵn (\(presetIDs.joined(separator: ", "))) cũng không phải tệp",
                                en: "'\(idOrPath)' is neither a preset (\(presetIDs.joined(separator: ", "))) nor a file")
        }
        let text = try String(contentsOfFile: idOrPath, encoding: .utf8)
        return try decode(text, source: idOrPath)
    }

    /// Decodes YAML (JSON is valid YAML).
    public static func decode(_ text: String, source: String) throws -> AllocationRules {
        do {
            return try YAMLDecoder().decode(AllocationRules.self, from: text)
        } catch let error as DecodingError {
            throw SamplingError(file: source, vi: "không phải tệp quy định phân bổ hợp lệ: \(describe(error, .vi))",
                                en: "not a valid allocation rules file: \(describe(error))")
        } catch {
            throw SamplingError(file: source, vi: "không phải tệp quy định phân bổ hợp lệ: \(error)",
                                en: "not a valid allocation rules file: \(error)")
        }
    }

    private static func describe(_ error: DecodingError, _ language: Language = .en) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        let vi = language == .vi
        switch error {
        case .keyNotFound(let key, let context):
            return vi ? "thiếu trường '\(key.stringValue)' ở \(path(context.codingPath))"
                : "missing field '\(key.stringValue)' at \(path(context.codingPath))"
        // Foundation's and Yams' own explanations are English: the Vietnamese text says what kind of problem it is.
        case .typeMismatch(let type, let context):
            return vi ? "giá trị ở \(path(context.codingPath)) không đúng kiểu (cần \(type))"
                : "\(context.debugDescription) at \(path(context.codingPath))"
        case .valueNotFound(_, let context):
            return vi ? "thiếu giá trị ở \(path(context.codingPath))" : "\(context.debugDescription) at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return vi ? "không đọc được nội dung ở \(path(context.codingPath))"
                : "\(context.debugDescription) at \(path(context.codingPath))"
        @unknown default: return "\(error)"
        }
    }

    /// The plan's units when no units file is given: the districts named in the class lists.
    public var namedUnits: [PlanUnit] {
        (districts?.classes ?? []).flatMap { districtClass in
            (districtClass.members ?? []).map { PlanUnit(level: "district", unit: $0, unitClass: districtClass.name) }
        }
    }

    /// The forms for each unit (and service field), by the rules.
    ///
    /// - department: the special rule for a named unit, else `forms`; census (forms = transactions) when the
    ///   transactions are below the threshold; a special unit's census adds its `extraForms`.
    /// - district: the forms of its class split across the fields as listed; class from the units file, else
    ///   from the rules' member lists.
    /// - commune level: `perDistrict` communes × `formsPerCommune` per district, with the quotas in the note.
    /// - multistage: communes, villages and households per district.
    /// Units whose level or class the rules do not cover are an error naming the unit (never a person), and so is a
    /// number of forms that passes Int.max (huge counts in the rules or the units file).
    public func allocate(_ units: [PlanUnit]) throws -> [PlannedAllocation] {
        var rows: [PlannedAllocation] = []
        for unit in units {
            switch unit.level {
            case "department":
                guard let departments else { throw SamplingError(vi: "bộ quy định '\(id)' không có quy định cho cấp sở (đơn vị '\(unit.unit)')",
                                                                   en: "rules '\(id)' have no department rule (unit '\(unit.unit)')") }
                let special = (departments.special ?? []).first { Self.sameName($0.unit, unit.unit) }
                var forms = special?.forms ?? departments.forms
                var census = false
                var note = Note(vi: "", en: "")
                if let written = special?.note {
                    note = Note(vi: special?.noteVi ?? written, en: written)
                } else if let written = departments.fieldNote {
                    note = Note(vi: departments.fieldNoteVi ?? written, en: written)
                }
                if let threshold = special?.censusBelow ?? departments.censusBelow, let transactions = unit.transactions,
                   transactions < threshold
                {
                    census = true
                    forms = try SamplingArithmetic.add(transactions, special?.extraForms ?? 0,
                                                       LocalizedText(vi: "đơn vị '\(unit.unit)': \(transactions) hồ sơ và số phiếu thêm",
                                                                     en: "unit '\(unit.unit)': the \(transactions) transactions and the extra forms"))
                    note = Note(vi: "điều tra toàn bộ: \(transactions) hồ sơ < \(threshold)"
                                    + ((special?.extraForms).map { " + \($0) phiếu của tổ chức" } ?? ""),
                                en: "census: \(transactions) transactions < \(threshold)"
                                    + ((special?.extraForms).map { " + \($0) forms from organizations" } ?? ""))
                }
                rows.append(PlannedAllocation(level: unit.level, unit: unit.unit, field: "", forms: forms, census: census, note: note))
            case "district":
                if let districts {
                    let className = unit.unitClass ?? districts.classes.first { ($0.members ?? []).contains { Self.sameName($0, unit.unit) } }?.name
                    guard let className, let districtClass = districts.classes.first(where: { $0.name == className }) else {
                        throw SamplingError(vi: "bộ quy định '\(id)' không xếp loại cho huyện '\(unit.unit)' (hãy thêm cột class hoặc ghi huyện vào bộ quy định)",
                                            en: "rules '\(id)' give no class for district '\(unit.unit)' (add a class column or list it in the rules)")
                    }
                    for field in districtClass.fields {
                        rows.append(PlannedAllocation(level: "district", unit: unit.unit, field: field.field, forms: field.forms,
                                                      note: Note(vi: "loại \(className)", en: "class \(className)")))
                    }
                    if let communes {
                        let quotaVi = communes.quotas.map { "\($0.count) \(Self.communeGroup($0.group, .vi))" }.joined(separator: " + ")
                        let quotaEn = communes.quotas.map { "\($0.count) \(Self.communeGroup($0.group, .en))" }.joined(separator: " + ")
                        rows.append(PlannedAllocation(level: "commune", unit: unit.unit, field: "",
                                                      forms: try SamplingArithmetic.multiply(
                                                          communes.perDistrict, communes.formsPerCommune,
                                                          LocalizedText(vi: "bộ quy định '\(id)': \(communes.perDistrict) xã × \(communes.formsPerCommune) phiếu",
                                                                        en: "rules '\(id)': \(communes.perDistrict) communes × \(communes.formsPerCommune) forms")),
                                                      note: Note(vi: "\(communes.perDistrict) xã × \(communes.formsPerCommune) phiếu (\(quotaVi))",
                                                                 en: "\(communes.perDistrict) communes × \(communes.formsPerCommune) forms (\(quotaEn))")))
                    }
                }
                if let multistage {
                    let communes = (multistage.communesByDistrict ?? []).first { Self.sameName($0.district, unit.unit) }?.communes
                        ?? multistage.communesPerDistrict
                    let villages = try SamplingArithmetic.multiply(
                        communes, multistage.villagesPerCommune, LocalizedText(vi: "bộ quy định '\(id)': \(communes) xã × \(multistage.villagesPerCommune) thôn",
                                                                          en: "rules '\(id)': \(communes) communes × \(multistage.villagesPerCommune) villages"))
                    let households = try SamplingArithmetic.multiply(
                        villages, multistage.householdsPerVillage, LocalizedText(vi: "bộ quy định '\(id)': \(villages) thôn × \(multistage.householdsPerVillage) hộ",
                                                                            en: "rules '\(id)': \(villages) villages × \(multistage.householdsPerVillage) households"))
                    rows.append(PlannedAllocation(level: "households", unit: unit.unit, field: "", forms: households,
                                                  note: Note(vi: "\(communes) xã × \(multistage.villagesPerCommune) thôn × \(multistage.householdsPerVillage) hộ",
                                                             en: "\(communes) communes × \(multistage.villagesPerCommune) villages × \(multistage.householdsPerVillage) households")))
                }
                if districts == nil && multistage == nil {
                    throw SamplingError(vi: "bộ quy định '\(id)' không có quy định cho cấp huyện (đơn vị '\(unit.unit)')",
                                        en: "rules '\(id)' have no district rule (unit '\(unit.unit)')")
                }
            default:
                throw SamplingError(vi: "đơn vị '\(unit.unit)': cấp '\(unit.level)' không phải department hay district",
                                    en: "unit '\(unit.unit)': level '\(unit.level)' is not one of department, district")
            }
        }
        return rows
    }

    /// The forms of each level (department, district, commune, households), in order of first appearance.
    ///
    /// - Throws: `SamplingError` when a level's forms add up past Int.max.
    public static func totals(_ rows: [PlannedAllocation]) throws -> [(level: String, forms: Int)] {
        var totals: [(level: String, forms: Int)] = []
        for row in rows {
            if let index = totals.firstIndex(where: { $0.level == row.level }) {
                totals[index].forms = try SamplingArithmetic.add(totals[index].forms, row.forms, LocalizedText(vi: "số phiếu của cấp '\(row.level)'", en: "the forms of level '\(row.level)'"))
            } else {
                totals.append((row.level, row.forms))
            }
        }
        return totals
    }

    /// A commune quota's group in words: "seat" is the commune holding the district seat (chosen by default), any
    /// other group a commune class ("I", "II/III"; a leading "class" or "loại" is not repeated).
    public static func communeGroup(_ group: String, _ language: Language) -> String {
        let trimmed = group.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "seat" {
            return language == .vi ? "xã nơi đặt trụ sở UBND huyện (mặc định)" : "seat (by default)"
        }
        var name = trimmed
        for prefix in ["class ", "loại "] where name.lowercased().hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
        return language == .vi ? "loại \(name)" : "class \(name)"
    }

    /// Names compared after NFC normalization, case-insensitively ("Sìn Hồ" = "sìn hồ").
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.precomposedStringWithCanonicalMapping.lowercased().trimmingCharacters(in: .whitespaces)
            == b.precomposedStringWithCanonicalMapping.lowercased().trimmingCharacters(in: .whitespaces)
    }
}
