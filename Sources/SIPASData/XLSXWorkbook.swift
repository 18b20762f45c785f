import CZlibCRC
import Foundation
import ZIPFoundation
import SIPASSupport

/// An Excel workbook (.xlsx, .xlsm) opened for reading: its sheets, shared strings, which cell styles show
/// dates, and its date system. Sheets are streamed from the ZIP archive one chunk at a time
/// (`stream(_:into:)`); only the shared-string table is held whole, as every cell may refer to it.
///
/// The parts are found as the Open Packaging Conventions say (ECMA-376 Part 2): `_rels/.rels` names the
/// workbook, the workbook's relationships name its sheets, shared strings and styles.
final class XLSXWorkbook {
    struct Sheet {
        var name: String
        /// The sheet's part in the archive ("xl/worksheets/sheet1.xml"); nil when the workbook names none.
        var part: String?
        var hidden: Bool
        /// A chart sheet holds no cells.
        var isChart: Bool
    }

    let file: String
    private let archive: Archive
    /// The deflated entries' compressed byte ranges, for inflating with bounded input (`extract`).
    private let directory: ZIPDirectory
    /// Archive entries by lower-cased path, for parts named with another case or with backslashes.
    private let entries: [String: Entry]
    private(set) var sheets: [Sheet] = []
    /// Serial day numbers count from 1904-01-01 (Mac Excel's old default) instead of 1900-01-00.
    private let threads: Int
    private(set) var date1904 = false
    private(set) var sharedStrings = SharedStrings()
    /// How each cell style (the `s` index of a cell) shows a number: as a number, a date or a time.
    private(set) var styleKinds: [NumberDisplay] = []

    /// Opens `file` (whose content starts with the ZIP signature) and reads the workbook's small parts. With
    /// `threads` above 1 a sheet is inflated on a second thread while this one parses it.
    init(file: String, threads: Int = 1) throws {
        self.file = file
        self.threads = threads
        do {
            archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .read)
        } catch {
            throw DataError(file: file, message: "the workbook is damaged: it cannot be opened as a ZIP archive (\(error)). "
                                + "Open it in Excel or LibreOffice and save it again as .xlsx")
        }
        var entries: [String: Entry] = [:]
        for entry in archive where entry.type == .file {
            entries[Self.normalized(entry.path)] = entry
        }
        self.entries = entries
        directory = ZIPDirectory(path: file)
        try readStructure()
    }

    private static func normalized(_ path: String) -> String {
        var path = path.replacingOccurrences(of: "\\", with: "/").lowercased()
        while path.hasPrefix("/") { path.removeFirst() }
        return path
    }

    private func entry(_ part: String) -> Entry? { entries[Self.normalized(part)] }

    /// An entry's content, chunk by chunk: a deflated entry inflated from its own bytes only (`ZIPDirectory`),
    /// others (stored, or not in the parsed directory) through ZIPFoundation.
    private static func extract(_ entry: Entry, archive: Archive, directory: ZIPDirectory, consumer: (Data) throws -> Void) throws {
        if let location = directory.locations[entry.path] {
            try directory.inflate(location, bufferSize: 1 << 20, consumer: consumer)
        } else {
            _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: true, consumer: consumer)
        }
    }

    // MARK: Streaming parts

    /// Streams the part `part` through `stream` in chunks of at most 1 MB of decompressed XML, checking the
    /// part's CRC-32 at the end.
    func stream(_ part: String, into stream: XMLStream) throws {
        guard let entry = entry(part) else {
            throw DataError(file: file, message: "the workbook is damaged: it names the part \(part), which the archive does not hold")
        }
        var checksum: UInt = 0
        do {
            do {
                if threads > 1 {
                    checksum = try pipelined(entry, into: stream)
                } else {
                    try Self.extract(entry, archive: archive, directory: directory) { data in
                        checksum = Self.crc32(checksum, data)
                        try stream.feed(data)
                    }
                }
                try stream.finish()
            } catch {
                // Damaged compressed data can inflate to text that fails as XML or as cells before the checksum at the
                // end is reached: a part that fails its checksum is reported as damaged, whatever failed first.
                var sum: UInt = 0
                if (try? Self.extract(entry, archive: archive, directory: directory, consumer: { sum = Self.crc32(sum, $0) })) != nil,
                   sum == UInt(entry.checksum) {
                    throw error
                }
                throw DataError(file: file, message: "the workbook is damaged: \(part) fails its checksum (CRC-32). "
                                    + "Open it in Excel or LibreOffice and save it again as .xlsx")
            }
        } catch let error as XMLStreamError {
            throw DataError(file: file, message: "the workbook is damaged: \(stream.part) is not well-formed XML "
                                + "(line \(error.line): \(error.reason)). Open it in Excel or LibreOffice and save it again as .xlsx")
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError(file: file, message: "the workbook is damaged: \(part) cannot be decompressed (\(error)). "
                                + "Open it in Excel or LibreOffice and save it again as .xlsx")
        }
        if checksum != UInt(entry.checksum) {
            throw DataError(file: file, message: "the workbook is damaged: \(part) fails its checksum (CRC-32). "
                                + "Open it in Excel or LibreOffice and save it again as .xlsx")
        }
    }

    /// Inflates `entry` on a second thread while this one parses: the two take about the same time on a large
    /// sheet. At most four 1 MB chunks wait between them. Returns the CRC-32 of the inflated bytes.
    private func pipelined(_ entry: Entry, into stream: XMLStream) throws -> UInt {
        let pipe = ChunkPipe(capacity: 4)
        // Only the producer reads the archive while it runs; this thread waits for it before touching the archive again.
        let source = UncheckedSendable((entry: entry, archive: archive, directory: directory))
        let checksum = Locked<UInt>(0)
        let producer = Thread {
            do {
                let (entry, archive, directory) = source.value
                try Self.extract(entry, archive: archive, directory: directory) { data in
                    checksum.withLock { $0 = Self.crc32($0, data) }
                    try pipe.put(data)
                }
                pipe.finish(nil)
            } catch {
                pipe.finish(error)
            }
        }
        producer.stackSize = 1 << 20
        producer.start()
        do {
            while let data = try pipe.take() { try stream.feed(data) }
        } catch {
            pipe.cancel()
            pipe.waitUntilFinished()
            throw error
        }
        pipe.waitUntilFinished()
        return checksum.value
    }

    /// zlib's CRC-32 of `data` continued from `checksum`.
    private static func crc32(_ checksum: UInt, _ data: Data) -> UInt {
        data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return checksum }
            return CZlibCRC.crc32(checksum, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
        }
    }

    private func parse(_ part: String, with handler: XMLHandler, describedAs description: String? = nil) throws {
        try stream(part, into: XMLStream(handler: handler, part: description ?? part))
    }

    // MARK: Structure

    private func readStructure() throws {
        // The main document: _rels/.rels names it; xl/workbook.xml when that is missing.
        var workbookPart = "xl/workbook.xml"
        if entry("_rels/.rels") != nil {
            let relations = RelationshipsHandler()
            try parse("_rels/.rels", with: relations)
            if let main = relations.targets.first(where: { $0.type.hasSuffix("/officeDocument") }) {
                workbookPart = Self.resolve(main.target, from: "_rels/.rels")
            }
        }
        guard entry(workbookPart) != nil else {
            if entry("xl/workbook.bin") != nil {
                throw DataError(file: file, message: "this is an Excel binary workbook (.xlsb), which sipas does not read: save it as .xlsx (Excel Workbook)")
            }
            if entry("content.xml") != nil || entry("mimetype") != nil {
                throw DataError(file: file, message: "this is an OpenDocument spreadsheet (.ods), not an Excel workbook: save it as .xlsx (Excel 2007-365)")
            }
            throw DataError(file: file, message: "this is a ZIP archive but not an Excel workbook (it has no workbook part xl/workbook.xml)")
        }
        let workbook = WorkbookHandler()
        try parse(workbookPart, with: workbook)
        date1904 = workbook.date1904
        let relationsPart = Self.relationshipsPart(of: workbookPart)
        let relations = RelationshipsHandler()
        if entry(relationsPart) != nil { try parse(relationsPart, with: relations) }
        let targets = Dictionary(relations.targets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        sheets = workbook.sheets.map { sheet in
            let target = sheet.relation.flatMap { targets[$0] }
            return Sheet(name: sheet.name, part: target.map { Self.resolve($0.target, from: relationsPart) },
                         hidden: sheet.hidden, isChart: target?.type.hasSuffix("/chartsheet") ?? false)
        }
        guard !sheets.isEmpty else { throw DataError(file: file, message: "the workbook has no sheets") }
        if let styles = relations.targets.first(where: { $0.type.hasSuffix("/styles") }) {
            let part = Self.resolve(styles.target, from: relationsPart)
            if entry(part) != nil {
                let handler = StylesHandler()
                try parse(part, with: handler)
                styleKinds = handler.kinds()
            }
        }
        let stringsPart = relations.targets.first(where: { $0.type.hasSuffix("/sharedStrings") })
            .map { Self.resolve($0.target, from: relationsPart) } ?? "xl/sharedStrings.xml"
        if entry(stringsPart) != nil {
            let handler = SharedStringsHandler()
            try parse(stringsPart, with: handler)
            sharedStrings = handler.strings
        }
    }

    /// The relationships part of `part`: "xl/workbook.xml" → "xl/_rels/workbook.xml.rels".
    static func relationshipsPart(of part: String) -> String {
        let directory = (part as NSString).deletingLastPathComponent
        let name = (part as NSString).lastPathComponent
        return directory.isEmpty ? "_rels/\(name).rels" : "\(directory)/_rels/\(name).rels"
    }

    /// A relationship target resolved against the folder of the part the relationships belong to
    /// ("worksheets/sheet1.xml" from "xl/_rels/workbook.xml.rels" → "xl/worksheets/sheet1.xml"; "/xl/…" is absolute).
    static func resolve(_ target: String, from relationsPart: String) -> String {
        if target.hasPrefix("/") { return String(target.drop { $0 == "/" }) }
        // The folder of the source part is the folder above "_rels".
        var folder = ((relationsPart as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            .split(separator: "/").map(String.init)
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !folder.isEmpty { folder.removeLast() }
            default: folder.append(String(component))
            }
        }
        return folder.joined(separator: "/")
    }
}

/// How a cell style shows a number.
enum NumberDisplay: Equatable {
    case number
    case date
    case dateTime
    case time
}

/// The shared-string table: every distinct text of the workbook once, as UTF-8 in one buffer.
struct SharedStrings {
    private(set) var bytes: [UInt8] = []
    /// `offsets[i] ..< offsets[i + 1]` is string i.
    private(set) var offsets: [Int] = [0]

    var count: Int { offsets.count - 1 }

    mutating func append<C: Collection>(_ text: C) where C.Element == UInt8 {
        bytes.append(contentsOf: text)
        offsets.append(bytes.count)
    }

    /// The bytes of string `index`, or nil when the table has no such string.
    func range(_ index: Int) -> Range<Int>? {
        guard index >= 0, index < count else { return nil }
        return offsets[index]..<offsets[index + 1]
    }
}

// MARK: Handlers of the small parts

/// `_rels/*.rels`: Relationship Id, Type and Target.
private final class RelationshipsHandler: XMLHandler {
    var targets: [(id: String, type: String, target: String)] = []

    override func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        guard XMLName.equals(XMLName.local(name), "Relationship"),
              let target = XMLName.attribute(attributes, "Target") else { return }
        if XMLName.attribute(attributes, "TargetMode") == "External" { return }
        targets.append((XMLName.attribute(attributes, "Id") ?? "", XMLName.attribute(attributes, "Type") ?? "", target))
    }
}

/// `xl/workbook.xml`: the sheets in tab order and the date system.
private final class WorkbookHandler: XMLHandler {
    var sheets: [(name: String, relation: String?, hidden: Bool)] = []
    var date1904 = false

    override func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        let local = XMLName.local(name)
        if XMLName.equals(local, "sheet") {
            // The relationship id is r:id (any prefix bound to the relationships namespace).
            var relation: String?
            var index = 0
            while let attribute = attributes[index] {
                if let value = attributes[index + 1], XMLName.equals(XMLName.local(attribute), "id"),
                   strchr(attribute, 0x3A) != nil {
                    relation = String(cString: value)
                }
                index += 2
            }
            let state = XMLName.attribute(attributes, "state")
            sheets.append((XMLName.attribute(attributes, "name") ?? "Sheet\(sheets.count + 1)", relation,
                           state == "hidden" || state == "veryHidden"))
        } else if XMLName.equals(local, "workbookPr") {
            let value = XMLName.attribute(attributes, "date1904")?.lowercased()
            date1904 = value == "1" || value == "true"
        }
    }
}

/// `xl/styles.xml`: the number format of each cell style (`cellXfs`) and the custom formats' codes.
private final class StylesHandler: XMLHandler {
    private var formatCodes: [Int: String] = [:]
    private var styleFormats: [Int] = []
    private var inCellStyles = false

    override func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        let local = XMLName.local(name)
        if XMLName.equals(local, "numFmt") {
            if let id = XMLName.attribute(attributes, "numFmtId").flatMap({ Int($0) }),
               let code = XMLName.attribute(attributes, "formatCode") {
                formatCodes[id] = code
            }
        } else if XMLName.equals(local, "cellXfs") {
            inCellStyles = true
        } else if inCellStyles && XMLName.equals(local, "xf") {
            styleFormats.append(XMLName.attribute(attributes, "numFmtId").flatMap { Int($0) } ?? 0)
        }
    }

    override func end(_ name: UnsafePointer<CChar>) {
        if XMLName.equals(XMLName.local(name), "cellXfs") { inCellStyles = false }
    }

    func kinds() -> [NumberDisplay] {
        styleFormats.map { id in formatCodes[id].map(NumberDisplay.init(formatCode:)) ?? NumberDisplay(builtInFormat: id) }
    }
}

extension NumberDisplay {
    /// The built-in formats (ECMA-376 Part 1, 18.8.30): 14–17 and 27–36, 50–58 (East Asian) are dates,
    /// 18–21 and 45–47 times, 22 date and time.
    init(builtInFormat id: Int) {
        switch id {
        case 14...17, 27...36, 50...58: self = .date
        case 18...21, 45...47: self = .time
        case 22: self = .dateTime
        default: self = .number
        }
    }

    /// A custom format shows a date when its first section holds y or d (or m without h or s), a time when it
    /// holds h or s; quoted text, escaped characters and [colour]/[$-locale] brackets do not count.
    init(formatCode code: String) {
        var letters = Set<Character>()
        var quoted = false, escaped = false, bracket = false
        var bracketText = ""
        for character in code {
            if escaped { escaped = false; continue }
            if quoted { if character == "\"" { quoted = false }; continue }
            if bracket {
                if character == "]" {
                    bracket = false
                    // [h], [mm], [ss]: elapsed time.
                    if !bracketText.isEmpty, bracketText.lowercased().allSatisfy({ "hms".contains($0) }) { letters.insert("h") }
                    bracketText = ""
                } else {
                    bracketText.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "\\", "_", "*": escaped = true
            case "[": bracket = true
            case ";": break
            default: letters.insert(Character(character.lowercased()))
            }
            if character == ";" { break }
        }
        let date = letters.contains("y") || letters.contains("d")
        let time = letters.contains("h") || letters.contains("s")
        if date && time {
            self = .dateTime
        } else if date {
            self = .date
        } else if time {
            self = .time
        } else if letters.contains("m") && !letters.contains("0") && !letters.contains("#") {
            self = .date  // "mmm" or "mm": months
        } else {
            self = .number
        }
    }
}

/// `xl/sharedStrings.xml`: `<si>` items of plain (`<t>`) or rich (`<r><t>`) text; phonetic runs (`<rPh>`) are
/// not part of the text.
private final class SharedStringsHandler: XMLHandler {
    var strings = SharedStrings()
    private var current: [UInt8] = []
    private var inItem = false, inText = false, phoneticDepth = 0

    override func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        let local = XMLName.local(name)
        if XMLName.equals(local, "si") {
            inItem = true
            current.removeAll(keepingCapacity: true)
        } else if XMLName.equals(local, "rPh") {
            phoneticDepth += 1
        } else if inItem && phoneticDepth == 0 && XMLName.equals(local, "t") {
            inText = true
        }
    }

    override func end(_ name: UnsafePointer<CChar>) {
        let local = XMLName.local(name)
        if XMLName.equals(local, "t") {
            inText = false
        } else if XMLName.equals(local, "rPh") {
            phoneticDepth -= 1
        } else if XMLName.equals(local, "si") {
            strings.append(XLSXCellText.unescapingCharacters(current))
            inItem = false
        }
    }

    override func text(_ bytes: UnsafeRawBufferPointer) {
        if inText { current.append(contentsOf: bytes) }
    }
}
