import CZlibCRC
import Foundation

/// Where each deflated entry's compressed bytes lie in a ZIP file, read from its central directory, so that a
/// part can be inflated (zlib, raw deflate) with input bounded by the entry. ZIPFoundation 0.9's inflate loop
/// keeps asking for input past the end of the file when a damaged stream does not end within its entry, and
/// never returns; it also tells zlib that every chunk is a full buffer, so a short last chunk of damaged data is
/// read past its end (both found by fuzzing the workbook reader). Here a stream that needs more than its entry
/// holds, or that zlib finds corrupt, is an error.
///
/// Layout (PKWARE APPNOTE 6.3.10, 4.3.12–4.3.16): the end-of-central-directory record (signature 0x06054b50)
/// gives the directory's offset; each directory header (0x02014b50) the method, the compressed size and the
/// local header's offset; the local header (0x04034b50) its own name and extra lengths, after which the data
/// start. ZIP64 entries (sizes or offsets of 0xFFFFFFFF) are not listed: they are read as before.
struct ZIPDirectory {
    struct Location {
        var compressedSize: UInt64
        var dataOffset: UInt64
    }

    struct EndsEarly: Error, CustomStringConvertible {
        var description: String { "the compressed data end before the part does" }
    }

    let path: String
    /// Deflated (method 8) entries by their path as stored.
    private(set) var locations: [String: Location] = [:]

    /// Reads the directory; an archive this cannot parse gives an empty directory (ZIPFoundation, which opened
    /// it, reads every entry then).
    init(path: String) {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        locations = (try? Self.read(handle)) ?? [:]
    }

    private static func read(_ handle: FileHandle) throws -> [String: Location] {
        let size = try handle.seekToEnd()
        let tailSize = min(size, 22 + 65_535)
        try handle.seek(toOffset: size - tailSize)
        let tail = [UInt8](try handle.read(upToCount: Int(tailSize)) ?? Data())
        func u16(_ b: [UInt8], _ i: Int) -> UInt64 { i + 2 <= b.count ? UInt64(b[i]) | UInt64(b[i + 1]) << 8 : 0 }
        func u32(_ b: [UInt8], _ i: Int) -> UInt64 { u16(b, i) | u16(b, i + 2) << 16 }
        guard tail.count >= 22,
              let end = stride(from: tail.count - 22, through: 0, by: -1).first(where: { u32(tail, $0) == 0x0605_4b50 }) else { return [:] }
        let count = Int(u16(tail, end + 10)), directorySize = u32(tail, end + 12), directoryOffset = u32(tail, end + 16)
        guard directoryOffset != 0xFFFF_FFFF, directoryOffset + directorySize <= size, directorySize < 1 << 28 else { return [:] }
        try handle.seek(toOffset: directoryOffset)
        let directory = [UInt8](try handle.read(upToCount: Int(directorySize)) ?? Data())
        var result: [String: Location] = [:]
        var i = 0
        for _ in 0..<count {
            guard i + 46 <= directory.count, u32(directory, i) == 0x0201_4b50 else { break }
            let method = UInt16(u16(directory, i + 10)), compressed = u32(directory, i + 20)
            let nameLength = Int(u16(directory, i + 28)), extraLength = Int(u16(directory, i + 30)), commentLength = Int(u16(directory, i + 32))
            let localOffset = u32(directory, i + 42)
            guard i + 46 + nameLength <= directory.count else { break }
            let name = String(decoding: directory[(i + 46)..<(i + 46 + nameLength)], as: UTF8.self)
            i += 46 + nameLength + extraLength + commentLength
            guard method == 8, compressed != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF, localOffset + 30 <= size else { continue }
            try handle.seek(toOffset: localOffset)
            let local = [UInt8](try handle.read(upToCount: 30) ?? Data())
            guard local.count == 30, u32(local, 0) == 0x0403_4b50 else { continue }
            let dataOffset = localOffset + 30 + u16(local, 26) + u16(local, 28)
            guard dataOffset + compressed <= size else { continue }
            result[name] = Location(compressedSize: compressed, dataOffset: dataOffset)
        }
        return result
    }

    /// Inflates the deflated entry at `location`, `consumer` receiving the output chunk by chunk; throws
    /// `EndsEarly` when the stream needs more input than the entry holds, `Corrupt` when zlib rejects it.
    func inflate(_ location: Location, bufferSize: Int, consumer: (Data) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        defer { try? handle.close() }
        try handle.seek(toOffset: location.dataOffset)
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw Corrupt(code: Z_MEM_ERROR) }
        defer { inflateEnd(&stream) }
        var remaining = location.compressedSize
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferSize)
        defer { output.deallocate() }
        var ended = false
        while !ended {
            guard remaining > 0 else { throw EndsEarly() }
            var input = try handle.read(upToCount: Int(min(UInt64(bufferSize), remaining))) ?? Data()
            guard !input.isEmpty else { throw EndsEarly() }
            remaining -= UInt64(input.count)
            try input.withUnsafeMutableBytes { (inputBytes: UnsafeMutableRawBufferPointer) in
                stream.next_in = inputBytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.avail_in = UInt32(inputBytes.count)
                repeat {
                    stream.next_out = output
                    stream.avail_out = UInt32(bufferSize)
                    let before = stream.avail_in
                    let code = CZlibCRC.inflate(&stream, Z_NO_FLUSH)
                    guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else { throw Corrupt(code: code) }
                    if code == Z_STREAM_END { ended = true }
                    let produced = bufferSize - Int(stream.avail_out)
                    // No input taken and no output made: zlib cannot go on (never with room on both sides).
                    if produced == 0 && stream.avail_in == before && !ended { throw Corrupt(code: code) }
                    // A fresh buffer per chunk: the consumer may keep it (the pipelined reader queues chunks).
                    if produced > 0 { try consumer(Data(bytes: output, count: produced)) }
                } while !ended && (stream.avail_in > 0 || stream.avail_out == 0)
            }
        }
    }

    struct Corrupt: Error, CustomStringConvertible {
        var code: Int32
        var description: String { "zlib cannot inflate the part (code \(code))" }
    }
}
