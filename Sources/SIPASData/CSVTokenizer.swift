/// A field of a CSV record: byte offsets into the buffer, and whether it held doubled quotes ("").
struct FieldSlice {
    var start: Int
    var end: Int
    var quoted: Bool
    var escapedQuotes: Bool
}

/// Splits a UTF-8 byte buffer into CSV records (RFC 4180 with CRLF, LF or CR line ends).
///
/// Quoted fields may contain the delimiter, newlines and doubled quotes. The tokenizer keeps the physical
/// line number so errors can point at the file.
struct CSVTokenizer {
    let bytes: UnsafeRawBufferPointer
    let delimiter: UInt8
    let file: String
    private(set) var position: Int
    /// Physical line (1-based) where the next record starts.
    private(set) var line = 1

    private static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    init(bytes: UnsafeRawBufferPointer, delimiter: UInt8, file: String, start: Int, line: Int = 1) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.file = file
        self.position = start
        self.line = line
    }

    var atEnd: Bool { position >= bytes.count }

    /// Reads the next record into `fields`; returns false at the end of the buffer.
    mutating func next(into fields: inout [FieldSlice], row: Int) throws -> Bool {
        let count = bytes.count
        guard position < count else { return false }
        fields.removeAll(keepingCapacity: true)
        while true {
            if position < count && bytes[position] == Self.quote {
                let startLine = line
                position += 1
                let start = position
                var escaped = false
                while true {
                    guard position < count else {
                        throw DataError(file: file, line: startLine, row: row > 0 ? row : nil,
                                        message: "a quoted field opened on this line is never closed (missing '\"')")
                    }
                    let byte = bytes[position]
                    if byte == Self.quote {
                        if position + 1 < count && bytes[position + 1] == Self.quote {
                            escaped = true
                            position += 2
                            continue
                        }
                        break
                    }
                    if byte == Self.newline { line += 1 }
                    position += 1
                }
                fields.append(FieldSlice(start: start, end: position, quoted: true, escapedQuotes: escaped))
                position += 1  // closing quote
                if position < count {
                    let byte = bytes[position]
                    if byte != delimiter && byte != Self.newline && byte != Self.carriageReturn {
                        throw DataError(file: file, line: line, row: row > 0 ? row : nil,
                                        message: "unexpected character '\(Character(Unicode.Scalar(byte)))' after a closing quote (a quote inside a quoted field must be doubled: \"\")")
                    }
                }
            } else {
                let start = position
                while position < count {
                    let byte = bytes[position]
                    if byte == delimiter || byte == Self.newline || byte == Self.carriageReturn { break }
                    position += 1
                }
                fields.append(FieldSlice(start: start, end: position, quoted: false, escapedQuotes: false))
            }
            guard position < count else { return true }
            let byte = bytes[position]
            if byte == delimiter {
                position += 1
                continue
            }
            // End of record: LF, CRLF or a lone CR.
            position += 1
            if byte == Self.carriageReturn && position < count && bytes[position] == Self.newline { position += 1 }
            line += 1
            return true
        }
    }

    /// The raw bytes of a field, with doubled quotes undone.
    func fieldBytes(_ field: FieldSlice) -> [UInt8] {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.escapedQuotes else { return Array(slice) }
        var result: [UInt8] = []
        result.reserveCapacity(slice.count)
        var skip = false
        for byte in slice {
            if skip { skip = false; continue }
            result.append(byte)
            if byte == Self.quote { skip = true }
        }
        return result
    }
}
