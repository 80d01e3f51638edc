#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PurchaseActions
import PurchaseActionsCore

/// Reads events, one JSON line each, from an events file starting at a stored position, or from
/// standard input, and says after each line how far the input has been read (the position the
/// worker stores with the events it commits).
///
/// The rules are those of ``EventsFile`` (Docs/events.md): lines end with LF, a CR before it is
/// dropped, blank lines are skipped but counted, a line longer than
/// ``EventsFile/maximumLineBytes`` (1 MiB) is a bad line (`limit-exceeded`) and is never held in
/// memory, and a file starting with a byte order mark fails its first line. Memory stays within
/// one line and a 64 KiB read.
final class EventLineReader {
    /// One line read: its number, the byte offset and line count just past it, and its event or
    /// why it is not one.
    struct Line {
        var number: Int
        /// The byte offset of the line's start (the position to store when the line is not acknowledged).
        var startOffset: Int64
        var endOffset: Int64
        var result: Result<Event, JSONError>
    }

    /// What a read of the input gave.
    enum Read {
        /// A line that is not blank.
        case line(Line)
        /// Nothing more for now: the end of the file, or (standard input) nothing arrived in time.
        case nothing
        /// The end of standard input.
        case end
    }

    /// The input as the user named it (for messages).
    let name: String
    private let descriptor: Int32
    private let isStandardInput: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEnd = false
    /// Bytes of the input consumed (whole lines).
    private(set) var offset: Int64
    /// Lines of the input consumed.
    private(set) var lineNumber: Int
    /// Lines were dropped because the current one is past the maximum.
    private var droppingLongLine = false

    /// Opens an events file at a position (its byte offset and the number of lines before it).
    init(file path: String, name: String, offset: Int64, line: Int) throws(LoadError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw LoadError(.io, "cannot read the events file: \(String(cString: strerror(errno)))", file: name)
        }
        if offset > 0, lseek(descriptor, off_t(offset), SEEK_SET) < 0 {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw LoadError(.io, "cannot read the events file from byte \(offset): \(reason)", file: name)
        }
        self.descriptor = descriptor
        self.name = name
        self.isStandardInput = false
        self.offset = offset
        self.lineNumber = line
    }

    /// Reads standard input (`--events -`).
    init(standardInput name: String = "<stdin>") {
        self.descriptor = 0
        self.name = name
        self.isStandardInput = true
        self.offset = 0
        self.lineNumber = 0
    }

    deinit {
        if !isStandardInput { close(descriptor) }
    }

    /// The next line that is not blank. `takeUnterminated`: a last line without a line feed is a
    /// line (at the end of a file with `--drain`, and at the end of standard input); otherwise it
    /// is left for a later read, when its writer has finished it.
    func next(takeUnterminated: Bool) throws(LoadError) -> Read {
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: 0x0A) {
                let bytes = Array(buffer[start..<newline])
                let consumed = newline + 1 - start
                start = newline + 1
                scanned = start
                let tooLong = droppingLongLine
                droppingLongLine = false
                if let line = take(bytes, consumed: Int64(consumed), tooLong: tooLong) { return .line(line) }
                continue
            }
            scanned = buffer.count
            if atEnd {
                let pending = buffer.count - start
                if (pending > 0 || droppingLongLine) && (takeUnterminated || isStandardInput) {
                    let bytes = Array(buffer[start...])
                    start = buffer.count
                    scanned = start
                    let tooLong = droppingLongLine
                    droppingLongLine = false
                    if let line = take(bytes, consumed: Int64(pending), tooLong: tooLong) { return .line(line) }
                }
                return isStandardInput ? .end : .nothing
            }
            if buffer.count - start > EventsFile.maximumLineBytes + 1 {
                // Past the maximum with no line end yet: count the bytes and drop them.
                let dropped = buffer.count - start
                droppedBytes += Int64(dropped)
                droppingLongLine = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
            } else if start > 0 {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            switch try fill() {
            case .data: continue
            case .end: atEnd = true
            case .timeout: return .nothing
            }
        }
    }

    /// Bytes of the current over-long line already dropped (they count in its offset).
    private var droppedBytes: Int64 = 0

    /// Makes the line from its bytes (without the LF), or nil for a blank line (still counted).
    private func take(_ raw: [UInt8], consumed: Int64, tooLong: Bool) -> Line? {
        lineNumber += 1
        let lineStart = offset
        offset += consumed + droppedBytes
        droppedBytes = 0
        let number = lineNumber
        let bytes = raw.last == 0x0D ? Array(raw.dropLast()) : raw
        if tooLong || bytes.count > EventsFile.maximumLineBytes {
            let error = JSONError(
                .limit, "the line is longer than \(EventsFile.maximumLineBytes) bytes, the most one event may take (Docs/events.md)", at: .root)
            return Line(number: number, startOffset: lineStart, endOffset: offset, result: .failure(error))
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        return Line(number: number, startOffset: lineStart, endOffset: offset, result: EventsFile.decode(bytes, number: number))
    }

    private enum Fill { case data, end, timeout }

    /// Reads up to 64 KiB. Standard input is polled for at most 100 ms first, so the worker goes
    /// on firing wake-ups and delivering while no event arrives.
    private func fill() throws(LoadError) -> Fill {
        if isStandardInput {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, 100)
            if ready == 0 { return .timeout }
            if ready < 0 { return errno == EINTR ? .timeout : .end }
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LoadError(.io, "cannot read the events: \(String(cString: strerror(errno)))", file: name)
            }
            if count == 0 { return .end }
            buffer += chunk[..<count]
            return .data
        }
    }
}
