import CExpat
import Foundation

/// Receives the events of a streaming XML parse (`XMLStream`). Subclasses override what they need.
///
/// Element names arrive as expat gives them: NUL-terminated UTF-8 with any namespace prefix ("x:c"); compare
/// their local part (`XMLName.local`). Attributes are a NULL-terminated array of name, value, name, value…
/// Text may arrive in several pieces for one element. A handler that finds a problem stores it in `failure` and
/// ignores what follows: the stream throws it when the chunk is parsed.
class XMLHandler {
    var failure: Error?

    func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {}
    func end(_ name: UnsafePointer<CChar>) {}
    func text(_ bytes: UnsafeRawBufferPointer) {}
}

/// Element and attribute names as C strings, compared without building Swift strings.
enum XMLName {
    /// The part after a namespace prefix ("x:row" → "row").
    @inline(__always)
    static func local(_ name: UnsafePointer<CChar>) -> UnsafePointer<CChar> {
        var position = name, start = name
        while position.pointee != 0 {
            if position.pointee == 0x3A { start = position + 1 }  // ':'
            position += 1
        }
        return start
    }

    /// Whether the C string `name` equals the ASCII `literal`.
    @inline(__always)
    static func equals(_ name: UnsafePointer<CChar>, _ literal: StaticString) -> Bool {
        let bytes = literal.utf8Start
        var index = 0
        while true {
            let expected = index < literal.utf8CodeUnitCount ? CChar(bitPattern: bytes[index]) : 0
            if name[index] != expected { return false }
            if expected == 0 { return true }
            index += 1
        }
    }

    /// The value of attribute `wanted` (local name compared), or nil.
    static func attribute(_ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>, _ wanted: StaticString) -> String? {
        var index = 0
        while let name = attributes[index] {
            if let value = attributes[index + 1], equals(local(name), wanted) { return String(cString: value) }
            index += 2
        }
        return nil
    }
}

/// A streaming XML parse with expat: bytes go in by chunks (`feed`), events go to a handler as they are parsed,
/// and nothing of the document is kept. Entities are decoded and text arrives as UTF-8 whatever the document's
/// declared encoding (expat converts UTF-16 and ISO-8859-1). Expat refuses documents that expand entities
/// beyond its amplification limit ("billion laughs") and never loads external entities.
final class XMLStream {
    private let parser: XML_Parser
    private let handler: XMLHandler
    /// What the parse is of, for messages ("sheet 'Phiếu' (xl/worksheets/sheet1.xml)").
    let part: String

    init(handler: XMLHandler, part: String) {
        self.handler = handler
        self.part = part
        parser = XML_ParserCreate(nil)
        // The stream keeps the handler alive; the callbacks borrow it without retaining it (once per event).
        XML_SetUserData(parser, Unmanaged.passUnretained(handler).toOpaque())
        XML_SetElementHandler(parser, { user, name, attributes in
            guard let user, let name, let attributes else { return }
            Unmanaged<XMLHandler>.fromOpaque(user)._withUnsafeGuaranteedRef { $0.start(name, attributes) }
        }, { user, name in
            guard let user, let name else { return }
            Unmanaged<XMLHandler>.fromOpaque(user)._withUnsafeGuaranteedRef { $0.end(name) }
        })
        XML_SetCharacterDataHandler(parser, { user, text, length in
            guard let user, let text, length > 0 else { return }
            Unmanaged<XMLHandler>.fromOpaque(user)._withUnsafeGuaranteedRef {
                $0.text(UnsafeRawBufferPointer(start: text, count: Int(length)))
            }
        })
    }

    deinit { XML_ParserFree(parser) }

    /// Parses the next chunk; `final` marks the end of the document.
    func feed(_ bytes: UnsafeRawBufferPointer, final: Bool = false) throws {
        var offset = 0
        repeat {
            // XML_Parse takes an Int32 length: very large buffers go in slices.
            let length = min(bytes.count - offset, 1 << 30)
            let pointer = bytes.baseAddress.map { UnsafeRawPointer($0 + offset).assumingMemoryBound(to: CChar.self) }
            let last = final && offset + length == bytes.count
            let status = XML_Parse(parser, pointer, Int32(length), last ? 1 : 0)
            if let failure = handler.failure { throw failure }
            if status == XML_STATUS_ERROR {
                let code = XML_GetErrorCode(parser)
                let reason = XML_ErrorString(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
                throw XMLStreamError(part: part, line: Int(XML_GetCurrentLineNumber(parser)), reason: reason)
            }
            offset += length
        } while offset < bytes.count
    }

    func feed(_ data: Data) throws {
        try data.withUnsafeBytes { try feed($0) }
    }

    /// Ends the document (an unclosed element is an error here).
    func finish() throws { try feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true) }
}

/// The XML of a part of a workbook is not well-formed.
struct XMLStreamError: Error {
    var part: String
    var line: Int
    var reason: String
}
