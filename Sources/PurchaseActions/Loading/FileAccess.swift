#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file operations the loaders need, on POSIX calls: what a path is, bounded reads, folder
/// listings. Every failure is a ``LoadError`` naming the path. (``kind(_:)`` is shared with the
/// command-line tools' `InputPath`.)
package enum FileAccess {
    /// What is at a path, following symbolic links.
    package enum Kind: Equatable {
        /// Nothing (`ENOENT`, `ENOTDIR`), a link to nothing, a loop of links (`ELOOP`).
        case missing, danglingLink, linkLoop
        /// A regular file, a pipe, a folder, anything else (a device or socket).
        case file, pipe, folder, other
        /// `stat` failed for another reason (no permission to search a folder on the way, ...).
        case unreadable
    }

    /// What is at `path`; a symbolic link counts as what it points to.
    package static func kind(_ path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let failure = errno
            if failure == ELOOP { return .linkLoop }
            var link = stat()
            if lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK { return .danglingLink }
            return failure == ENOENT || failure == ENOTDIR ? .missing : .unreadable
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFIFO: return .pipe
        case S_IFDIR: return .folder
        default: return .other
        }
    }

    /// Fails when `bytes` are not UTF-8 text, naming the first bad byte's offset, line and column
    /// (a file saved in Latin-1 would otherwise be "expected a JSON value"); `what` names the file,
    /// such as "a workflow file".
    static func requireUTF8(_ bytes: [UInt8], file: String, what: String) throws(LoadError) {
        guard let found = WorkflowValidation.firstNonUTF8(bytes) else { return }
        throw LoadError(.invalid, WorkflowValidation.notUTF8Message(found, what: what), file: file, line: found.line, column: found.column)
    }

    /// Fails unless `path` is a file (or a pipe): `expected` completes the message, such as
    /// "an events file (JSON Lines)"; `ifFolder`, when given, is added when it is a folder (the
    /// loader that reads one).
    static func requireFile(_ path: String, _ expected: String, ifFolder: String? = nil) throws(LoadError) {
        switch kind(path) {
        case .file, .pipe: return
        case .missing: throw LoadError(.missing, missing("no such file", path) + "; expected \(expected)", file: path)
        case .danglingLink: throw LoadError(.missing, "a symbolic link to nothing (its target does not exist); expected \(expected)", file: path)
        case .linkLoop: throw LoadError(.missing, "\(linkLoop); expected \(expected)", file: path)
        case .folder: throw LoadError(.wrongKind, "a folder, not \(expected)" + (ifFolder.map { "; \($0)" } ?? ""), file: path)
        case .other, .unreadable: throw LoadError(.wrongKind, "not a file or a folder (a device or socket); expected \(expected)", file: path)
        }
    }

    /// Fails unless `path` is a folder; `ifFile`, when given, is added when it is a file.
    static func requireFolder(_ path: String, _ expected: String, ifFile: String? = nil) throws(LoadError) {
        switch kind(path) {
        case .folder: return
        case .missing: throw LoadError(.missing, missing("no such folder", path) + "; expected \(expected)", file: path)
        case .danglingLink: throw LoadError(.missing, "a symbolic link to nothing (its target does not exist); expected \(expected)", file: path)
        case .linkLoop: throw LoadError(.missing, "\(linkLoop); expected \(expected)", file: path)
        case .file, .pipe: throw LoadError(.wrongKind, "a file, not \(expected)" + (ifFile.map { "; \($0)" } ?? ""), file: path)
        case .other, .unreadable: throw LoadError(.wrongKind, "not a file or a folder (a device or socket); expected \(expected)", file: path)
        }
    }

    /// What a path that cannot be followed to its end is (`ELOOP`).
    static let linkLoop = "a loop of symbolic links (following them never ends: ELOOP)"

    /// `missing`, or, for a path holding U+FFFD (what Swift puts for bytes that are not UTF-8, as
    /// in a name typed on the command line), that the name may not have been read as it is.
    static func missing(_ missing: String, _ path: String) -> String {
        guard path.unicodeScalars.contains("\u{FFFD}") else { return missing }
        return "\(missing): the name holds U+FFFD, which stands for bytes that are not valid UTF-8; a name that is not valid UTF-8 cannot be passed as a Swift String (rename the file)"
    }

    /// The system's reason for the last failed call.
    static func reason(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// A regular file's bytes (`expected` names what it should be), refused past `maxBytes` (``LoadError/Code/limitExceeded``, with
    /// `tooLarge` as the message): a file whose size (`fstat`) is past it before a byte is read,
    /// one that grows while it is read without ever reading more than one byte past it. Anything but a
    /// regular file (a pipe, a device) is refused before a byte is read, so a pipe named like a
    /// workflow file cannot make the read wait for a writer forever. A file that cannot be opened
    /// or read is ``LoadError/Code/io``.
    package static func contents(of path: String, _ expected: String, maxBytes: Int, tooLarge: String) throws(LoadError) -> [UInt8] {
        let limit = max(0, min(maxBytes, Int.max - 1))
        // Non-blocking, so opening a pipe does not wait for a writer; checked on the open file.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { throw LoadError(.io, "cannot read the file: \(reason())", file: path) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LoadError(.io, "cannot read the file: \(reason())", file: path) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw LoadError(.wrongKind, "not a regular file (a pipe, device or socket); expected \(expected)", file: path)
        }
        // Its size first: a file past the limit is refused without reading it (or holding any of it).
        guard Int64(info.st_size) <= Int64(limit) else { throw LoadError(.limitExceeded, tooLarge, file: path) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= limit {
            let wanted = min(chunk.count, limit + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LoadError(.io, "cannot read the file: \(reason())", file: path)
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        guard bytes.count <= limit else { throw LoadError(.limitExceeded, tooLarge, file: path) }
        return bytes
    }

    /// The names in a folder that `include` accepts, listed one entry at a time: past `maxNames`
    /// of them, `tooMany` is thrown before any more is held, so a folder of millions of entries
    /// costs no memory.
    static func names(in path: String, maxNames: Int, tooMany: String, include: (String) -> Bool) throws(LoadError) -> [String] {
        guard let folder = opendir(path) else { throw LoadError(.io, "cannot read the folder: \(reason())", file: path) }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            let name = String(decoding: bytes, as: UTF8.self)
            guard name != ".", name != "..", include(name) else { continue }
            // A name that is not UTF-8 would be opened by a String holding U+FFFD, another name.
            guard String(validating: bytes, as: UTF8.self) != nil else {
                throw LoadError(
                    .invalid, "the name of the file '\(DisplayText.escape(name))' in the folder is not valid UTF-8 (U+FFFD stands for the bytes that are not); rename it",
                    file: path)
            }
            guard names.count < maxNames else { throw LoadError(.limitExceeded, tooMany, file: path) }
            names.append(name)
        }
        return names
    }
}
