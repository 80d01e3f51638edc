#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An events file (JSON Lines, Docs/events.md) read line by line, never whole: memory stays within
/// one line however large the file.
///
/// Lines are split on LF, and a CR before the LF is dropped; a line holding only spaces and tabs
/// (and CRs) is skipped (it still counts in the line numbers). A line longer than ``maximumLineBytes``
/// (1 MiB) is not kept: it is a bad line (`limit-exceeded`), and reading goes on at the next. A file
/// that starts with a byte order mark fails its first line: an events file is UTF-8 without one.
///
/// ``next()`` gives each line's number and its event or why it is not one, so a tool can report a
/// bad line and read on; ``read(_:)-(String)`` gives all the events or throws at the first bad line:
///
/// ```swift
/// var file = try EventsFile(path: "Fixtures/events/course-creator.jsonl")
/// while let line = try file.next() {
///     switch line.result {
///     case .success(let event): print(line.number, event.id)
///     case .failure(let error): print("line \(line.number): \(error)")
///     }
/// }
/// let events = try EventsFile.read("Fixtures/events/course-creator.jsonl")
/// ```
public struct EventsFile: ~Copyable, Sendable {
    /// The longest line an events file may hold, in bytes (without its line end): 1 MiB (1,048,576).
    public static let maximumLineBytes = 1 << 20

    /// The file, as given.
    public let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next line end goes on: the bytes before it hold none.
    private var scanned = 0
    private var atEnd = false
    private var number = 0

    /// Opens an events file (a regular file or a pipe).
    ///
    /// - Throws: ``LoadError``: `missing` or `wrong-kind` when `path` is not a file, `io` when it
    ///   cannot be opened.
    public init(path: String) throws(LoadError) {
        try FileAccess.requireFile(path, "an events file (JSON Lines)")
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw LoadError(.io, "cannot read the file: \(FileAccess.reason())", file: path) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { systemClose(descriptor) }

    /// The next line that is not blank, with its number and its event or why it is not one;
    /// `nil` at the end of the file.
    ///
    /// - Throws: ``LoadError`` `io` when the file cannot be read (a bad line is not thrown: it is
    ///   the line's ``EventLine/result``).
    public mutating func next() throws(LoadError) -> EventLine? {
        while true {
            guard let (line, tooLong) = try nextRaw() else { return nil }
            number += 1
            let trimmed = line.last == 0x0D ? Array(line.dropLast()) : line
            if tooLong || trimmed.count > Self.maximumLineBytes {
                let error = JSONError(
                    .limit, "the line is longer than \(Self.maximumLineBytes) bytes, the most one event may take (Docs/events.md)", at: .root)
                return EventLine(file: path, number: number, result: .failure(error))
            }
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            return EventLine(file: path, number: number, result: Self.decode(trimmed, number: number))
        }
    }

    /// Decodes one line (its line break and a trailing carriage return removed); a byte order mark
    /// at the start of the file (line 1) is refused before parsing. The worker's reader
    /// (`purchase-actions run`) decodes its lines through it too.
    package static func decode(_ bytes: [UInt8], number: Int) -> Result<Event, JSONError> {
        let utf16 = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) || utf16 {
            let message =
                utf16
                ? "the file starts with a UTF-16 byte order mark; an events file is UTF-8 (Docs/events.md)"
                : "the file starts with a byte order mark (U+FEFF); an events file is UTF-8 without one (Docs/events.md)"
            return .failure(JSONError(.invalidValue, message, at: .root, line: 1, column: 1))
        }
        do {
            return .success(try Event.load(bytes))
        } catch {
            return .failure(error)
        }
    }

    /// The next line as read, and whether it was longer than the maximum (then its bytes are dropped).
    private mutating func nextRaw() throws(LoadError) -> ([UInt8], Bool)? {
        var tooLong = false
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: 0x0A) {
                let line = tooLong ? [] : Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                return (line, tooLong)
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count || tooLong else { return nil }
                let line = tooLong ? [] : Array(buffer[start...])
                start = buffer.count
                return (line, tooLong)
            }
            if buffer.count - start > Self.maximumLineBytes + 1 {
                // Past the maximum (and a CR) with no line end yet: drop what is read and look for the end.
                tooLong = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
            } else if start > 0 {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LoadError(.io, "cannot read the file: \(FileAccess.reason())", file: path)
            }
            if count == 0 { atEnd = true } else { buffer += chunk[..<count] }
        }
    }

    /// Every event of an events file, in file order.
    ///
    /// The events are held in memory, so for files of any size read them one by one with
    /// ``next()`` instead.
    ///
    /// - Throws: ``LoadError``: at the first bad line, `invalid` (or `limit-exceeded` for a line
    ///   past 1 MiB) with the line and JSON path (`e.jsonl:3: error: $.occurredAt: ...`); as
    ///   ``init(path:)`` and ``next()`` throw otherwise.
    public static func read(_ path: String) throws(LoadError) -> [Event] {
        var file = try EventsFile(path: path)
        var events: [Event] = []
        while let line = try file.next() { events.append(try line.get()) }
        return events
    }
}

/// One line of an events file that is not blank: its number and its event, or why it is not one.
public struct EventLine: Sendable {
    /// The events file, as given.
    public var file: String
    /// The 1-based line number in the file (blank lines count).
    public var number: Int
    /// The event, or why the line is not one: the JSON path and message (the line and column are
    /// within the line's own text).
    public var result: Result<Event, JSONError>

    /// Creates a line.
    public init(file: String, number: Int, result: Result<Event, JSONError>) {
        self.file = file
        self.number = number
        self.result = result
    }

    /// The event, or a ``LoadError`` at `file:number` with the JSON path: `e.jsonl:3: error:
    /// $.occurredAt: message` (with the column for a JSON syntax error: `e.jsonl:3:17: error: $: ...`).
    public func get() throws(LoadError) -> Event {
        switch result {
        case .success(let event): return event
        case .failure(let error):
            throw LoadError(error, file: file, line: number, column: error.line != nil && error.path.components.isEmpty ? error.column : nil)
        }
    }
}

/// POSIX `read`, which ``EventsFile/read(_:)-(String)`` hides inside the type.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemClose(_ descriptor: Int32) {
    _ = close(descriptor)
}
