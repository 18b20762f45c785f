import CReadStat
import Foundation
import SIPASInstrument
import Synchronization

/// Reads SPSS (.sav, .zsav) and Stata (.dta) files into a `ResponseTable` through ReadStat, exactly as the
/// same table saved as CSV would be read.
///
/// ReadStat's callbacks (`StatFileParse`) turn each case (observation) into one CSV record in memory, and the CSV
/// reader reads those bytes, so missing codes, invalid answers, number columns and the row ledger follow the
/// same rules as for CSV and Excel. A value becomes the text a CSV export holds: numeric codes stay codes ("5",
/// not the label "Rất hài lòng"); other numbers their shortest round-trip decimal ("33.838"); a variable in a
/// date format an ISO date ("2024-05-31", with the time when there is one); strings as stored (ReadStat decodes
/// the file's character set to UTF-8).
///
/// Missing values: system-missing (".", sysmis) is blank. A value the file itself declares missing — an SPSS
/// user-missing value or range, a Stata extended missing value .a–.z — is missing too and is counted under its
/// own reason (`ResponseTable.fileMissingValues`; in an answer column also among the item's missing labels,
/// where an index shows it), except an SPSS user-missing value that the instrument also declares a missing
/// code of that item (9, 99), which is read as that code, as in a CSV file.
///
/// Labels: variable labels become `ResponseTable.columnLabels`, value labels `ResponseTable.valueLabels`
/// (joined to variables by their label set's name: .sav label sets come back with made-up names).
///
/// Errors name the file and the case (row) and column; a file ReadStat cannot read gets one sentence with
/// ReadStat's reason and what to do.
public enum StatFileReader {
    public enum Kind: String, Sendable {
        case spss = "SPSS"
        case stata = "Stata"
    }

    /// Reads the file with an instrument (see `CSVReader.read(path:instrument:options:)`).
    public static func read(path: String, kind: Kind, instrument: Instrument, options: CSVReadOptions = .init()) throws
        -> ResponseTable
    {
        let parsed = try parse(path: path, kind: kind, instrument: instrument, mapping: options.columnMapping)
        var csvOptions = options
        csvOptions.delimiter = UInt8(ascii: ",")
        csvOptions.decimal = .point
        RecordFiles.register(path)
        var table: ResponseTable
        do {
            table = try parsed.bytes.withUnsafeBytes {
                try CSVReader.read(bytes: $0, source: path, instrument: instrument, options: csvOptions)
            }
        } catch var error as DataError {
            if error.message.hasPrefix("the file has a header line but no data rows") {
                error.message = "the \(kind.rawValue) file has variables but no cases (rows)"
            }
            if let hint = error.message.range(of: " The header was split at") { error.message.removeSubrange(hint.lowerBound...) }
            throw error
        }
        for index in table.invalidCells.indices { table.invalidCells[index].line = table.invalidCells[index].row }
        table.columnLabels = parsed.columnLabels
        table.valueLabels = parsed.valueLabels
        table.fileMissingValues = parsed.missingCounts
        for (index, column) in table.items.enumerated() {
            guard let rows = parsed.missingRows[column.sourceColumn] else { continue }
            for (row, reason) in rows where table.items[index].values[row] == 0 {
                table.items[index].blankCount -= 1
                table.items[index].missingLabelCounts[reason, default: 0] += 1
            }
        }
        return table
    }

    /// Reads the file as plain text columns (see `CSVReader.read(path:columns:options:)`).
    public static func read(path: String, kind: Kind, columns: [String]? = nil, options: CSVReadOptions = .init()) throws
        -> ResponseTable
    {
        let table = try read(path: path, kind: kind, instrument: CSVReader.plainColumns, options: options)
        for name in columns ?? [] { _ = try table.requireMetadata(name) }
        return table
    }

    /// What ReadStat gave: the file as CSV bytes, labels, and the cells the file declares missing.
    struct Parsed {
        var bytes: [UInt8]
        var columnLabels: [String: String]
        var valueLabels: [String: [String: String]]
        var missingCounts: [FileMissingCount]
        /// Column → (0-based row, reason) of every file-declared missing cell.
        var missingRows: [String: [(Int, String)]]
    }

    static func parse(path: String, kind: Kind, instrument: Instrument, mapping: [String: String]) throws -> Parsed {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, message: "the file does not exist", vi: "không có tệp này")
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else {
            throw DataError(file: path, message: "the file cannot be read", vi: "không đọc được tệp")
        }
        if ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue == 0 {
            throw DataError(file: path, message: "the file is empty", vi: "tệp rỗng")
        }
        // The missing codes of each answer column, so that an SPSS user-missing 9 stays the code 9 there.
        var itemMissingCodes: [String: Set<Int>] = [:]
        for item in instrument.items { itemMissingCodes[mapping[item.id] ?? item.id] = Set(item.missingCodes) }
        let context = StatFileParse(file: path, kind: kind, itemMissingCodes: itemMissingCodes)
        guard let parser = readstat_parser_init() else { throw DataError(file: path, message: "ReadStat could not start (out of memory)") }
        defer { readstat_parser_free(parser) }
        let setup = [readstat_set_metadata_handler(parser, StatFileParse.metadataHandler),
                     readstat_set_variable_handler(parser, StatFileParse.variableHandler),
                     readstat_set_value_handler(parser, StatFileParse.valueHandler),
                     readstat_set_value_label_handler(parser, StatFileParse.valueLabelHandler),
                     readstat_set_error_handler(parser, StatFileParse.errorHandler)]
        if let failed = setup.first(where: { $0 != READSTAT_OK }) { throw context.readStatError(failed) }
        let pointer = Unmanaged.passUnretained(context).toOpaque()
        let status = withExtendedLifetime(context) {
            switch kind {
            case .spss: return readstat_parse_sav(parser, path, pointer)
            case .stata: return readstat_parse_dta(parser, path, pointer)
            }
        }
        if let failure = context.failure { throw failure }
        guard status == READSTAT_OK else { throw context.readStatError(status) }
        return try context.finish()
    }
}

/// A file declared missing value found in a column, and how often.
public struct FileMissingCount: Equatable, Sendable {
    public var column: String
    /// "Stata missing .a", "SPSS user-missing 8", with the value's label when the file has one.
    public var reason: String
    public var count: Int
}

/// The state of one ReadStat parse, handed to its C callbacks as the context pointer.
final class StatFileParse {
    struct Variable {
        var name: String
        var label: String
        var labelSet: String?
        var isString: Bool
        var date: DateKind?
        /// SPSS user-missing values and ranges (a value is lo == hi).
        var missingRanges: [ClosedRange<Double>]
        var missingCodes: Set<Int>
    }

    enum DateKind {
        case spssDate, spssDateTime, stataDays, stataMilliseconds
    }

    let file: String
    let kind: StatFileReader.Kind
    let itemMissingCodes: [String: Set<Int>]
    // The state touched for every value is exempt from dynamic exclusivity checks (as in `SheetCSVBuilder`): the
    // callbacks run one at a time on the parsing thread, and the checks took a quarter of the time.
    @exclusivity(unchecked) var variables: [Variable] = []
    /// Per variable, what the value handler needs (kept apart so reading it copies no `Variable`).
    @exclusivity(unchecked) var dates: [DateKind?] = []
    @exclusivity(unchecked) var hasMissingRanges: [Bool] = []
    var labelSets: [String: [String: String]] = [:]
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) var headerWritten = false
    /// The fields of the case being read, and its index.
    @exclusivity(unchecked) var fields: [[UInt8]] = []
    @exclusivity(unchecked) var currentRow = -1
    @exclusivity(unchecked) var rowCount = 0
    struct MissingKey: Hashable {
        var variable: Int
        var value: String
    }
    /// The cells the file declares missing, in file order, with counts per variable and value.
    var missingCells: [(row: Int, key: MissingKey)] = []
    var missingTally: [MissingKey: Int] = [:]
    var missingOrder: [MissingKey] = []
    /// ReadStat's own messages (for the sentence when the parse fails) and our failure, which aborts the parse.
    var messages: [String] = []
    var failure: DataError?
    /// The last value read (0-based row, variable), to say where a parse failed in the data.
    @exclusivity(unchecked) var lastValue: (row: Int, variable: Int)?

    init(file: String, kind: StatFileReader.Kind, itemMissingCodes: [String: Set<Int>]) {
        self.file = file
        self.kind = kind
        self.itemMissingCodes = itemMissingCodes
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> StatFileParse {
        Unmanaged<StatFileParse>.fromOpaque(context!).takeUnretainedValue()
    }

    // MARK: Callbacks

    static let metadataHandler: readstat_metadata_handler = { _, _ in Int32(READSTAT_HANDLER_OK) }

    static let variableHandler: readstat_variable_handler = { _, variable, labelSet, context in
        from(context).addVariable(variable!, labelSet: labelSet.map { String(cString: $0) })
    }

    static let valueHandler: readstat_value_handler = { row, variable, value, context in
        from(context).addValue(row: Int(row), variable: variable!, value: value)
    }

    static let valueLabelHandler: readstat_value_label_handler = { labelSet, value, label, context in
        let parse = from(context)
        guard let labelSet, let label else { return Int32(READSTAT_HANDLER_OK) }
        let key: String
        if readstat_value_is_tagged_missing(value) != 0 {
            key = "." + String(UnicodeScalar(UInt8(bitPattern: readstat_value_tag(value))))
        } else if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
            key = readstat_string_value(value).map { String(cString: $0) } ?? ""
        } else {
            key = StatFileParse.numberText(readstat_double_value(value))
        }
        parse.labelSets[String(cString: labelSet), default: [:]][key] = String(cString: label)
        return Int32(READSTAT_HANDLER_OK)
    }

    static let errorHandler: readstat_error_handler = { message, context in
        guard let message else { return }
        from(context).messages.append(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func addVariable(_ variable: UnsafeMutablePointer<readstat_variable_t>, labelSet: String?) -> Int32 {
        let name = readstat_variable_get_name(variable).map { String(cString: $0) } ?? ""
        let label = readstat_variable_get_label(variable).map { String(cString: $0) } ?? ""
        let format = readstat_variable_get_format(variable).map { String(cString: $0) } ?? ""
        let isString = readstat_variable_get_type_class(variable) == READSTAT_TYPE_CLASS_STRING
        var ranges: [ClosedRange<Double>] = []
        if !isString {
            for index in 0..<readstat_variable_get_missing_ranges_count(variable) {
                let low = readstat_double_value(readstat_variable_get_missing_range_lo(variable, index))
                let high = readstat_double_value(readstat_variable_get_missing_range_hi(variable, index))
                if low <= high { ranges.append(low...high) }
            }
        }
        variables.append(Variable(name: name, label: label, labelSet: labelSet, isString: isString,
                                  date: isString ? nil : Self.dateKind(format, kind: kind), missingRanges: ranges,
                                  missingCodes: itemMissingCodes[name] ?? []))
        dates.append(variables[variables.count - 1].date)
        hasMissingRanges.append(!ranges.isEmpty)
        return Int32(READSTAT_HANDLER_OK)
    }

    func addValue(row: Int, variable: UnsafeMutablePointer<readstat_variable_t>, value: readstat_value_t) -> Int32 {
        if !headerWritten { writeHeader() }
        if row != currentRow {
            if currentRow >= 0 { flushRow() }
            currentRow = row
        }
        let index = Int(readstat_variable_get_index(variable))
        guard index >= 0, index < variables.count else {
            failure = DataError(file: file, row: row + 1, message: "the file is damaged: a value belongs to variable number "
                                    + "\(index + 1), but the file declares \(variables.count) variables")
            return Int32(READSTAT_HANDLER_ABORT)
        }
        lastValue = (row, index)
        if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
            fields[index].removeAll(keepingCapacity: true)
            if let text = readstat_string_value(value) {
                fields[index].append(contentsOf: UnsafeRawBufferPointer(start: text, count: strlen(text)))
            }
            return Int32(READSTAT_HANDLER_OK)
        }
        if readstat_value_is_tagged_missing(value) != 0 {
            let tag = "." + String(UnicodeScalar(UInt8(bitPattern: readstat_value_tag(value))))
            noteMissing(row: row, variable: index, value: tag)
            fields[index].removeAll(keepingCapacity: true)
            return Int32(READSTAT_HANDLER_OK)
        }
        if readstat_value_is_system_missing(value) != 0 {
            fields[index].removeAll(keepingCapacity: true)
            return Int32(READSTAT_HANDLER_OK)
        }
        let number = readstat_double_value(value)
        if hasMissingRanges[index], variables[index].missingRanges.contains(where: { $0.contains(number) }) {
            let text = Self.numberText(number)
            if let code = Int(exactly: number), variables[index].missingCodes.contains(code) {
                setNumber(index, number)  // the instrument's own missing code: read as in a CSV file
                return Int32(READSTAT_HANDLER_OK)
            }
            noteMissing(row: row, variable: index, value: text)
            fields[index].removeAll(keepingCapacity: true)
            return Int32(READSTAT_HANDLER_OK)
        }
        if let date = dates[index], let text = Self.dateText(number, kind: date) {
            fields[index].removeAll(keepingCapacity: true)
            fields[index].append(contentsOf: text.utf8)
        } else {
            setNumber(index, number)
        }
        return Int32(READSTAT_HANDLER_OK)
    }

    /// The field of variable `index` becomes `number` as `numberText` writes it; whole numbers (answer codes,
    /// ids, years: most values) are written digit by digit, without a String.
    private func setNumber(_ index: Int, _ number: Double) {
        fields[index].removeAll(keepingCapacity: true)
        guard number == number.rounded(), abs(number) < 1e15 else {
            fields[index].append(contentsOf: Self.numberText(number).utf8)
            return
        }
        var whole = Int(number)
        if whole < 0 { fields[index].append(UInt8(ascii: "-")); whole = -whole }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
            = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(whole % 10)
                whole /= 10
                count += 1
            } while whole > 0
            for position in stride(from: count - 1, through: 0, by: -1) { fields[index].append(buffer[position]) }
        }
    }

    // MARK: Building the CSV bytes

    private func writeHeader() {
        headerWritten = true
        for (index, variable) in variables.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendField(Array(variable.name.utf8))
        }
        bytes.append(UInt8(ascii: "\n"))
        fields = [[UInt8]](repeating: [], count: variables.count)
    }

    private func flushRow() {
        // A one-variable file's blank case must not become an empty line.
        if fields.count == 1 && fields[0].isEmpty { bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\"")]) }
        for index in fields.indices {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendField(fields[index])
            fields[index].removeAll(keepingCapacity: true)
        }
        bytes.append(UInt8(ascii: "\n"))
        rowCount += 1
    }

    private func appendField(_ field: [UInt8]) {
        let special = field.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        guard special else { bytes.append(contentsOf: field); return }
        bytes.append(UInt8(ascii: "\""))
        for byte in field {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Notes a cell the file declares missing; its reason (with the value's label: Stata files keep their labels
    /// after the data) is told in `finish`.
    private func noteMissing(row: Int, variable: Int, value: String) {
        let key = MissingKey(variable: variable, value: value)
        if missingTally[key] == nil { missingOrder.append(key) }
        missingTally[key, default: 0] += 1
        missingCells.append((row, key))
    }

    /// "Stata missing .a 'Không biết'", "SPSS user-missing 8 'Từ chối trả lời'".
    private func reason(_ key: MissingKey) -> String {
        let variable = variables[key.variable]
        let label = variable.labelSet.flatMap { labelSets[$0]?[key.value] }
        return (kind == .stata ? "Stata missing " : "SPSS user-missing ") + key.value + (label.map { " '\($0)'" } ?? "")
    }

    func finish() throws -> StatFileReader.Parsed {
        guard !variables.isEmpty else { throw DataError(file: file, message: "the \(kind.rawValue) file has no variables") }
        if !headerWritten { writeHeader() }
        if currentRow >= 0 { flushRow() }
        var columnLabels: [String: String] = [:]
        var valueLabels: [String: [String: String]] = [:]
        for variable in variables {
            if !variable.label.isEmpty { columnLabels[variable.name] = variable.label }
            if let set = variable.labelSet, let labels = labelSets[set], !labels.isEmpty { valueLabels[variable.name] = labels }
        }
        let counts = missingOrder.map { FileMissingCount(column: variables[$0.variable].name, reason: reason($0), count: missingTally[$0]!) }
        var missingRows: [String: [(Int, String)]] = [:]
        var reasons: [MissingKey: String] = [:]
        for (row, key) in missingCells {
            let text = reasons[key] ?? reason(key)
            reasons[key] = text
            missingRows[variables[key.variable].name, default: []].append((row, text))
        }
        return StatFileReader.Parsed(bytes: bytes, columnLabels: columnLabels, valueLabels: valueLabels, missingCounts: counts,
                                     missingRows: missingRows)
    }

    /// ReadStat's failure as one sentence naming the file, with what to do.
    func readStatError(_ status: readstat_error_t) -> DataError {
        let reason = readstat_error_message(status).map { String(cString: $0) } ?? "error \(status.rawValue)"
        var detail = messages.first.map { " (\($0))" } ?? ""
        if let lastValue, status != READSTAT_ERROR_ROW_COUNT_MISMATCH {
            detail += "; the last value read was row \(lastValue.row + 1), column '\(variables[lastValue.variable].name)'"
        }
        let name = kind == .spss ? "an SPSS data file (.sav, .zsav)" : "a Stata data file (.dta)"
        let program = kind == .spss ? "SPSS or PSPP" : "Stata"
        let what: String
        switch status {
        case READSTAT_ERROR_OPEN: return DataError(file: file, message: "the file cannot be opened: \(reason.lowercased())")
        case READSTAT_ERROR_READ, READSTAT_ERROR_SEEK, READSTAT_ERROR_ROW_COUNT_MISMATCH:
            what = "the file ends too early or is damaged: it was cut short or not fully copied"
        case READSTAT_ERROR_UNSUPPORTED_COMPRESSION, READSTAT_ERROR_UNSUPPORTED_FILE_FORMAT_VERSION,
             READSTAT_ERROR_UNSUPPORTED_CHARSET:
            what = "this version or variant of \(name) is not supported"
        case READSTAT_ERROR_CONVERT, READSTAT_ERROR_CONVERT_BAD_STRING, READSTAT_ERROR_CONVERT_SHORT_STRING,
             READSTAT_ERROR_CONVERT_LONG_STRING:
            what = "a text in this \(kind.rawValue) file is not valid in the character set the file declares"
        default:
            what = "this is not \(name) that can be read, or it is damaged"
        }
        return DataError(file: file, message: "\(what) (ReadStat: \(reason.lowercased())\(detail)). Open it in \(program) and "
                             + "save it again, or save it as CSV UTF-8 or .xlsx")
    }

    // MARK: Values as text

    /// A number as a CSV export writes it: whole numbers without a decimal point, others in their shortest
    /// round-trip form.
    static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// Which date a display format shows: SPSS DATE/ADATE/EDATE/SDATE/JDATE/MOYR/QYR/WKYR (seconds since
    /// 1582-10-14, shown as a date), DATETIME/YMDHMS (the same, with the time); Stata %td/%d (days since
    /// 1960-01-01) and %tc/%tC (milliseconds since 1960-01-01).
    static func dateKind(_ format: String, kind: StatFileReader.Kind) -> DateKind? {
        let upper = format.uppercased()
        switch kind {
        case .spss:
            let letters = String(upper.prefix { $0.isLetter })
            if ["DATETIME", "YMDHMS", "DATETIMEMS", "YMDHM"].contains(letters) { return .spssDateTime }
            if ["DATE", "ADATE", "EDATE", "SDATE", "JDATE", "MOYR", "QYR", "WKYR"].contains(letters) { return .spssDate }
            return nil
        case .stata:
            let lower = format.lowercased()
            if lower.hasPrefix("%tc") { return .stataMilliseconds }
            if lower.hasPrefix("%td") || lower.hasPrefix("%d") { return .stataDays }
            return nil
        }
    }

    /// ISO 8601 text of a date value: "2024-05-31", with " 09:30:00" when it has a time or the format shows
    /// one; nil when it lies outside years 1–9999.
    static func dateText(_ value: Double, kind: DateKind) -> String? {
        let secondsSince1970: Double
        switch kind {
        case .spssDate, .spssDateTime: secondsSince1970 = value - 12_219_379_200
        case .stataDays: secondsSince1970 = (value - 3653) * 86_400
        case .stataMilliseconds: secondsSince1970 = value / 1000 - 3653 * 86_400
        }
        guard secondsSince1970.isFinite, secondsSince1970 > -62_135_596_800, secondsSince1970 < 253_402_300_800 else { return nil }
        let whole = Int(secondsSince1970.rounded())
        var days = whole / 86_400
        var seconds = whole % 86_400
        if seconds < 0 { days -= 1; seconds += 86_400 }
        let date = XLSXCellText.civil(daysSince1970: days)
        let showTime = kind == .spssDateTime || kind == .stataMilliseconds
        guard showTime || seconds != 0 else { return date }
        return date + String(format: " %02ld:%02ld:%02ld", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }
}

/// The files read as records (.sav, .dta): their errors name rows and columns, never lines.
enum RecordFiles {
    static func register(_ source: String) {
        _ = sources.withLock { $0.insert(source) }
    }

    static func contains(_ source: String) -> Bool {
        sources.withLock { $0.contains(source) }
    }

    static func unregister(_ source: String) {
        _ = sources.withLock { $0.remove(source) }
    }

    private static let sources = Mutex<Set<String>>([])
}
