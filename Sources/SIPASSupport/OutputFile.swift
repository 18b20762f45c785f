import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file the user asked sipas to write could not be written: names the path and the reason.
/// The reason is kept in English (`reason`) and Vietnamese (`vietnameseReason`; the English one when no
/// Vietnamese was written); the command line shows the one of the user's language.
public struct OutputFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var vietnameseReason: String
    public init(path: String, reason: String, vi: String? = nil) {
        self.path = path
        self.reason = reason
        self.vietnameseReason = vi ?? reason
    }

    /// The system's reason for `code` (an errno value), in both languages for the common ones.
    public init(path: String, errno code: Int32) {
        let vietnamese: [Int32: String] = [
            EACCES: "không có quyền ghi", EPERM: "không được phép ghi", ENOSPC: "đĩa đã hết chỗ trống",
            EROFS: "ổ đĩa chỉ cho đọc", ENOENT: "không có thư mục hay tệp này", ENOTDIR: "một phần của đường dẫn không phải là thư mục",
            EISDIR: "đây là một thư mục", EDQUOT: "đã hết hạn mức dung lượng", ENAMETOOLONG: "tên tệp quá dài", EEXIST: "tệp đã có",
        ]
        self.init(path: path, reason: String(cString: strerror(code)), vi: vietnamese[code])
    }

    public var description: String { "cannot write \(path): \(reason)" }
    /// The message in Vietnamese.
    public var vietnamese: String { "không ghi được \(path): \(vietnameseReason)" }
}

/// The one way sipas writes a file the user named (`--output`, `> FILE`, `export`, reports, generated data).
///
/// - A regular file (or a path that does not exist yet) is replaced atomically: the content goes to a temporary
///   file in the same folder, which is then renamed over the destination, so a reader never sees half a file and
///   a failure leaves the old file as it was. A symbolic link to a regular file replaces the file it points to.
/// - A device, FIFO or socket (`/dev/stdout`, a terminal, a named pipe) is opened and written in place: it is
///   never renamed over or removed (renaming over `/dev/null` as root would break the machine).
/// - A folder is an error, as is a path whose folder cannot be created.
///
/// The folder of a new file is created when missing.
public enum OutputFile {
    /// Writes `text` as UTF-8 to `path`.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path` (see the type's rules).
    public static func write(_ data: Data, to path: String) throws {
        try writing(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o644])
            else { throw OutputFileError(path: path, reason: "the folder is not writable", vi: "không ghi được vào thư mục") }
        }
    }

    /// Lets `produce` write the whole content to a fresh temporary path (a library that writes to a path, a
    /// streaming writer), then puts it at `path` by the type's rules. The temporary file is removed on failure.
    public static func writing<T>(to path: String, _ produce: (String) throws -> T) throws -> T {
        guard !path.isEmpty else { throw OutputFileError(path: path, reason: "the file name is empty", vi: "tên tệp để trống") }
        let target = try destination(of: path)
        // Beside the destination, so the rename stays on one file system; a special file's in the temporary folder.
        let folder = target.special ? NSTemporaryDirectory() : parentFolder(of: target.path)
        let temporary = (folder.isEmpty ? "" : folder.hasSuffix("/") ? folder : folder + "/") + ".sipas-\(UUID().uuidString).part"
        defer { unlink(temporary) }
        let result: T
        do {
            result = try produce(temporary)
        } catch let error as OutputFileError {
            throw error
        } catch {
            throw OutputFileError(path: path, reason: "\(error)")
        }
        if target.special {
            try copyInPlace(from: temporary, to: target.path, shownAs: path)
        } else if rename(temporary, target.path) != 0 {
            throw OutputFileError(path: path, errno: errno)
        }
        return result
    }

    /// What `path` is: the path to replace (a symbolic link's target for regular files) and whether it is a
    /// special file to write in place. Creates the folder of a new file.
    private static func destination(of path: String) throws -> (path: String, special: Bool) {
        var status = stat()
        if stat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR { throw OutputFileError(path: path, reason: "it is a folder; give a file name", vi: "đây là một thư mục; hãy ghi tên tệp") }
            if kind != S_IFREG { return (path, true) }
            var link = stat()
            if lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK, let resolved = realpath(path, nil) {
                defer { free(resolved) }
                return (String(cString: resolved), false)
            }
            return (path, false)
        }
        let folder = parentFolder(of: path)
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw OutputFileError(path: path, reason: "cannot create the folder \(folder)", vi: "không tạo được thư mục \(folder)")
            }
        }
        return (path, false)
    }

    /// The folder part of a path ("" for a bare file name), without Foundation's path functions
    /// (`NSString.deletingLastPathComponent` traps on one-character names such as "0" on Linux).
    public static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// Copies the finished temporary file into a device or FIFO, opened for writing without truncation.
    private static func copyInPlace(from source: String, to target: String, shownAs path: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw OutputFileError(path: path, errno: errno) }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard output >= 0 else { throw OutputFileError(path: path, errno: errno) }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw OutputFileError(path: path, errno: errno)
            }
            var written = 0
            while written < count {
                let step = buffer.withUnsafeBytes { Glibc.write(output, $0.baseAddress! + written, count - written) }
                if step < 0 {
                    if errno == EINTR { continue }
                    throw OutputFileError(path: path, errno: errno)
                }
                written += step
            }
        }
    }
}
