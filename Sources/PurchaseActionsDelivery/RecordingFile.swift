#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PurchaseActionsEngine

/// The open recording file behind a ``RecordingDeliverer``: an actor, so appends from many tasks
/// are written one at a time.
actor RecordingFile {
    /// How far back from the end a torn last line is looked for when the file is opened.
    static let tornLineSearchLimit = 1 << 20

    private let descriptor: Int32
    private let path: String

    init(path: String) throws(DeliveryError) {
        self.path = path
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw DeliveryError(.cannotOpen, "the recording file's path is empty or holds a NUL byte", what: path)
        }
        // O_NONBLOCK: opening a FIFO with no reader would otherwise wait forever; it is refused
        // below anyway, and the flag is cleared for the regular file.
        let flags = O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK
        let descriptor = open(path, flags, mode_t(0o600))
        guard descriptor >= 0 else {
            if errno == EISDIR {
                throw DeliveryError(.notARegularFile, "the recording path is a folder; give a file path", what: path)
            }
            throw DeliveryError(.cannotOpen, "cannot open the recording file for appending: \(Self.systemError(errno))", what: path)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = Self.systemError(errno)
            close(descriptor)
            throw DeliveryError(.cannotOpen, "cannot read the recording file's status: \(reason)", what: path)
        }
        guard status.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else {
            close(descriptor)
            throw DeliveryError(.notARegularFile, "the recording path is not a regular file (a folder, FIFO or device); give a file path", what: path)
        }
        let current = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, current & ~O_NONBLOCK)
        do throws(DeliveryError) {
            try Self.cutTornLine(descriptor, size: Int(status.st_size), path: path)
        } catch {
            close(descriptor)
            throw error
        }
        Self.syncFolder(of: path)
        self.descriptor = descriptor
    }

    /// `fsync`s the folder holding the file, so a file just created survives a power loss.
    private static func syncFolder(of path: String) {
        let folder: String
        if let slash = path.lastIndex(of: "/") {
            folder = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            folder = "."
        }
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    deinit { close(descriptor) }

    /// Writes the bytes at the end in one `write` (looping on a short write), then `fsync`s. On
    /// failure the file is cut back to its length before, so no partial line stays.
    func append(_ bytes: [UInt8]) -> DeliveryOutcome {
        let before = lseek(descriptor, 0, SEEK_END)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                return undo(to: before, reason: "cannot write the recording file: \(Self.systemError(errno))")
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            return undo(to: before, reason: "cannot sync the recording file: \(Self.systemError(errno))")
        }
        return .delivered
    }

    private func undo(to length: off_t, reason: String) -> DeliveryOutcome {
        if length >= 0 {
            _ = ftruncate(descriptor, length)
            _ = fsync(descriptor)
        }
        return .failed(reason: "\(Text.escapingControls(path)): \(reason)", permanent: false)
    }

    /// A file that does not end in a newline lost the end of its last line in a crash: cut it off
    /// (after the last newline, or to empty), if the partial line starts with `{`.
    private static func cutTornLine(_ descriptor: Int32, size: Int, path: String) throws(DeliveryError) {
        guard size > 0 else { return }
        let searched = min(size, tornLineSearchLimit)
        var tail = [UInt8](repeating: 0, count: searched)
        let start = size - searched
        var filled = 0
        while filled < searched {
            let result = tail.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, searched - filled, off_t(start + filled))
            }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                throw DeliveryError(.cannotOpen, "cannot read the recording file's end: \(systemError(errno))", what: path)
            }
            filled += result
        }
        guard tail.last != UInt8(ascii: "\n") else { return }
        let newline = tail.lastIndex(of: UInt8(ascii: "\n"))
        guard newline != nil || start == 0 else {
            throw DeliveryError(.notARecording, "the file's last line is longer than \(tornLineSearchLimit) bytes and has no newline; it is not a recording file", what: path)
        }
        let lineStart = newline.map { $0 + 1 } ?? 0
        guard tail[lineStart] == UInt8(ascii: "{") else {
            throw DeliveryError(.notARecording, "the file ends in a line that is not a recording line; give a new file or a recording file", what: path)
        }
        guard ftruncate(descriptor, off_t(start + lineStart)) == 0, fsync(descriptor) == 0 else {
            throw DeliveryError(.cannotOpen, "cannot cut the partial last line: \(systemError(errno))", what: path)
        }
    }

    static func systemError(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
