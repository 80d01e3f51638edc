#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the commands need, on POSIX calls: exclusive creation, renames,
/// `lstat` and bounded reads, which the atomic output folder relies on, without Foundation's extra
/// layers. (The inputs themselves are read by the library: `ExportReader`, and the loaders of the
/// umbrella module `PurchaseActions`, whose reads are bounded too.)
public enum FileSystem {
    /// What is at a path, not following a final symbolic link.
    public enum Kind: Sendable {
        /// Nothing.
        case missing
        /// A regular file.
        case file
        /// A folder.
        case directory
        /// A symbolic link (not followed).
        case symbolicLink
        /// A device, socket or pipe.
        case other
    }

    /// A failed call, with the path and the system's reason.
    public struct Failure: Error, CustomStringConvertible {
        /// The path the call was given.
        public var path: String
        /// The system's reason (`strerror`).
        public var reason: String
        /// `path: reason`.
        public var description: String { "\(path): \(reason)" }

        /// The failure of a call on `path`, with `code` (`errno`, when not given).
        public init(_ path: String, _ code: Int32? = nil) {
            self.path = path
            self.reason = String(cString: strerror(code ?? errno))
        }
    }

    /// What is at `path`, not following a final symbolic link.
    public static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// The absolute path with every symbolic link, `.` and `..` resolved, or `nil` when it does not
    /// resolve (a missing path).
    public static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// The names in a directory, without `.` and `..`, sorted.
    public static func entries(_ path: String) throws(Failure) -> [String] {
        guard let directory = opendir(path) else { throw Failure(path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Creates a directory and any missing parents.
    public static func makeDirectories(_ path: String) throws(Failure) {
        guard kind(path) != .directory else { return }
        let parent = self.parent(of: path)
        if parent != path, !parent.isEmpty { try makeDirectories(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw Failure(path) }
    }

    /// Writes a new file; fails if anything is already at `path`.
    public static func create(_ path: String, bytes: [UInt8]) throws(Failure) {
        // `withUnsafeBytes` rethrows untyped: the failure is carried out of it.
        let failure: Failure? = bytes.withUnsafeBytes { bytes in
            do throws(Failure) {
                try create(path, bytes: bytes)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Writes a new file from bytes in memory (such as `Workflow.withCanonicalBytes(referencing:_:)`
    /// hands out, with no array made for them); fails if anything is already at `path`.
    public static func create(_ path: String, bytes: UnsafeRawBufferPointer) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw Failure(path) }
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, path: path)
    }

    /// Writes all of `bytes` to the open file `descriptor`, retrying interrupted writes.
    fileprivate static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: @autoclosure () -> String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            // `offset` is below `count`, so the base address exists (the buffer is not empty).
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                throw Failure(path(), code)
            }
            offset += written
        }
    }

    /// A folder held open, to create many files in it by name (`openat`): the system resolves the
    /// folder's path once, not once per file (an import writes a file per workflow into
    /// `workflows/`). The folder is closed when the last reference goes.
    public final class Folder: Sendable {
        /// The folder's path, as given (for messages).
        public let path: String
        private let descriptor: Int32

        /// Opens the folder at `path`; fails if it is not a folder that can be opened.
        public init(_ path: String) throws(Failure) {
            self.path = path
            descriptor = open(path, O_RDONLY | O_DIRECTORY)
            guard descriptor >= 0 else { throw Failure(path) }
        }

        deinit { if descriptor >= 0 { close(descriptor) } }

        /// Writes a new file `name` in the folder (`name` holds no `/`: a plain file name); fails
        /// if anything is already there, with the failure naming `path/name`.
        public func create(_ name: String, bytes: UnsafeRawBufferPointer) throws(Failure) {
            let file = openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard file >= 0 else {
                let code = errno
                throw Failure(path + "/" + name, code)
            }
            defer { close(file) }
            try FileSystem.writeAll(bytes, to: file, path: self.path + "/" + name)
        }
    }

    /// The first `limit` bytes of a file (fewer if it is shorter; none if it cannot be read): a
    /// bounded read, for recognising a file by its start.
    public static func prefix(_ path: String, limit: Int) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: max(0, limit))
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        return Array(buffer.prefix(max(count, 0)))
    }

    /// Renames `from` to `to`, which must not exist.
    public static func move(_ from: String, to: String) throws(Failure) {
        guard rename(from, to) == 0 else { throw Failure(to) }
    }

    /// Removes a file, or a directory and everything in it. Symbolic links are removed, not followed.
    public static func removeTree(_ path: String) {
        if kind(path) == .directory {
            for name in (try? entries(path)) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// The folder holding `path` (`.` for a bare name).
    public static func parent(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The last component of `path`.
    public static func name(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }
}
