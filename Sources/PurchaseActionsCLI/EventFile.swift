#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An events file read line by line (Docs/events.md, "The file: JSON Lines"), never whole: memory
/// stays within one line however large the file.
///
/// Lines are split on LF, and a CR before the LF is dropped; a line holding only white space is
/// skipped. A line longer than ``maximumLineBytes`` is not kept: it is reported as too long and
/// reading goes on at the next line.
struct EventFile {
    /// The longest line an events file may hold, in bytes (without its line end): 1 MiB.
    static let maximumLineBytes = 1 << 20

    /// One line of the file.
    enum Line {
        /// The line's bytes, without its line end.
        case text([UInt8])
        /// The line is longer than ``EventFile/maximumLineBytes``.
        case tooLong
    }

    /// A read failure (exit 74).
    struct ReadFailure: Error {
        var reason: String
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var number = 0

    /// Opens the file, or fails with the system's reason.
    init(path: String) throws(ReadFailure) {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ReadFailure(reason: String(cString: strerror(errno))) }
    }

    /// Closes the file.
    func close() { closeDescriptor(descriptor) }

    /// The next line that is not blank, with its 1-based number, or `nil` at the end.
    mutating func next() throws(ReadFailure) -> (number: Int, line: Line)? {
        while true {
            guard let (line, tooLong) = try nextRaw() else { return nil }
            number += 1
            if tooLong { return (number, .tooLong) }
            let trimmed = line.last == 0x0D ? Array(line.dropLast()) : line
            if trimmed.count > Self.maximumLineBytes { return (number, .tooLong) }
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            return (number, .text(trimmed))
        }
    }

    /// The next line as read, and whether it was longer than the maximum (then its bytes are dropped).
    private mutating func nextRaw() throws(ReadFailure) -> ([UInt8], Bool)? {
        var tooLong = false
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = tooLong ? [] : Array(buffer[start..<newline])
                start = newline + 1
                return (line, tooLong)
            }
            if atEnd {
                guard start < buffer.count || tooLong else { return nil }
                let line = tooLong ? [] : Array(buffer[start...])
                start = buffer.count
                return (line, tooLong)
            }
            if buffer.count - start > Self.maximumLineBytes + 1 {
                // Past the maximum with no line end yet: drop what is read and look for the end.
                tooLong = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
            } else if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadFailure(reason: String(cString: strerror(errno)))
            }
            if count == 0 { atEnd = true } else { buffer += chunk[..<count] }
        }
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
