import CommandLineTesting
import Foundation
import PurchaseActions
import Testing

/// `EventsFile`: JSON Lines read line by line, each line's number with its event or error, the 1 MiB
/// line maximum, a byte order mark refused, and `read` throwing at the first bad line with
/// `file:line: error: $.path: message`.
@Suite("Loading events: EventsFile")
struct LoadingEventsTests {
    static let events = BuiltProducts.root.path + "/Fixtures/events/course-creator.jsonl"

    static func lines() throws -> [String] {
        try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// Writes `text` to a new file in a scratch folder and runs `body` with its path.
    static func withFile(_ bytes: [UInt8], name: String = "e.jsonl", _ body: (String) throws -> Void) throws {
        let folder = try BuiltProducts.scratch("pa-events")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try body(path)
    }

    /// Every line `next()` gives.
    static func all(_ path: String) throws -> [EventLine] {
        var file = try EventsFile(path: path)
        var lines: [EventLine] = []
        while let line = try file.next() { lines.append(line) }
        return lines
    }

    /// The `LoadError` `body` throws, or nil (see ``LoadErrorCapture``).
    static func error(_ body: () throws -> Void) -> LoadError? { LoadErrorCapture.error(body) }

    @Test("read gives every event in file order, from a path or a file URL")
    func readAll() throws {
        let events = try EventsFile.read(Self.events)
        let expected = try Self.lines().map { try Event.load(Array($0.utf8)) }
        #expect(events == expected)
        #expect(try EventsFile.read(URL(fileURLWithPath: Self.events)) == expected)
        var file = try EventsFile(url: URL(fileURLWithPath: Self.events))
        #expect(try file.next()?.number == 1)
    }

    @Test("Blank lines are skipped but counted; CRLF is fine; a bad line is reported and the next is read")
    func streaming() throws {
        let lines = try Self.lines()
        let text = lines[0] + "\r\n\n  \t\r\n" + #"{"id":"x"}"# + "\n" + lines[1] + "\n"
        try Self.withFile(Array(text.utf8)) { path in
            let read = try Self.all(path)
            #expect(read.map(\.number) == [1, 4, 5])
            #expect((try? read[0].result.get())?.id == "cc-1")
            #expect((try? read[2].result.get())?.id == "cc-2")
            guard case .failure(let failure) = read[1].result else {
                Issue.record("line 4 decoded")
                return
            }
            #expect(failure.code == .missingMember)
            let error = try #require(Self.error { _ = try read[1].get() })
            #expect(error.code == .invalid && error.line == 4 && error.file == path)
            #expect(error.description == "\(path):4: error: \(failure.path): \(failure.message)")
            let thrown = try #require(Self.error { _ = try EventsFile.read(path) })
            #expect(thrown == error)
        }
    }

    @Test("A JSON syntax error names the line and the column within it")
    func syntax() throws {
        let text = try Self.lines()[0] + "\n" + #"{"id": }"# + "\n"
        try Self.withFile(Array(text.utf8)) { path in
            let error = try #require(Self.error { _ = try EventsFile.read(path) })
            #expect(error.code == .invalid)
            #expect(error.line == 2 && error.column != nil && error.jsonPath == .root)
            #expect(error.description.hasPrefix("\(path):2:\(error.column!): error: $: "))
        }
    }

    @Test("A line of exactly 1 MiB is read; one byte more is refused without being kept, and reading goes on")
    func lineLimit() throws {
        let lines = try Self.lines()
        let exact = lines[0] + String(repeating: " ", count: EventsFile.maximumLineBytes - lines[0].utf8.count)
        let past = exact + " "
        let endless = String(repeating: " ", count: 3 * EventsFile.maximumLineBytes)
        let text = [exact, past, endless + "x", lines[1]].joined(separator: "\n") + "\n"
        try Self.withFile(Array(text.utf8)) { path in
            let read = try Self.all(path)
            #expect(read.map(\.number) == [1, 2, 3, 4])
            #expect((try? read[0].result.get())?.id == "cc-1")
            #expect((try? read[3].result.get())?.id == "cc-2")
            for line in read[1...2] {
                let error = try #require(Self.error { _ = try line.get() })
                #expect(error.code == .limitExceeded)
                #expect(error.message == "the line is longer than 1048576 bytes, the most one event may take (Docs/events.md)")
            }
        }
        // A CR before the LF does not count towards the maximum.
        try Self.withFile(Array((exact + "\r\n").utf8)) { path in
            let count = try EventsFile.read(path).count
            #expect(count == 1)
        }
    }

    @Test("A file starting with a byte order mark fails its first line, UTF-8 or UTF-16")
    func byteOrderMark() throws {
        let line = try Self.lines()[0]
        try Self.withFile([0xEF, 0xBB, 0xBF] + Array(line.utf8)) { path in
            let error = try #require(Self.error { _ = try EventsFile.read(path) })
            #expect(error.description == "\(path):1:1: error: $: the file starts with a byte order mark (U+FEFF); an events file is UTF-8 without one (Docs/events.md)")
        }
        try Self.withFile([0xFF, 0xFE] + Array(line.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) { path in
            let error = try #require(Self.error { _ = try EventsFile.read(path) })
            #expect(error.message.hasPrefix("the file starts with a UTF-16 byte order mark"))
        }
    }

    @Test("A missing file, a folder, a non-file URL: missing, wrong-kind, not-a-file-url, named")
    func wrongPaths() throws {
        let missing = try #require(Self.error { _ = try EventsFile(path: "no-such.jsonl") })
        #expect(missing.code == .missing)
        #expect(missing.description == "no-such.jsonl: error: no such file; expected an events file (JSON Lines)")
        let folder = BuiltProducts.root.path + "/Fixtures/events"
        let kind = try #require(Self.error { _ = try EventsFile.read(folder) })
        #expect(kind.code == .wrongKind)
        #expect(kind.description == "\(folder): error: a folder, not an events file (JSON Lines)")
        let web = try #require(Self.error { _ = try EventsFile.read(URL(string: "https://example.com/e.jsonl")!) })
        #expect(web.code == .notAFileURL)
        let empty = try #require(Self.error { _ = try EventsFile(url: URL(string: "data:,x")!) })
        #expect(empty.code == .notAFileURL)
    }

    @Test("An empty file has no events; a file name with control characters is escaped in every message")
    func emptyAndHostile() throws {
        try Self.withFile([], name: "e\nerror: forged\u{1B}[2J.jsonl") { path in
            #expect(try EventsFile.read(path).isEmpty)
            try Data("{\n".utf8).write(to: URL(fileURLWithPath: path))
            let description = try #require(Self.error { _ = try EventsFile.read(path) }).description
            #expect(!description.unicodeScalars.contains(where: DisplayText.isControl), "\(description)")
            #expect(description.contains(#"e\nerror: forged\u{1B}[2J.jsonl:1"#))
        }
    }
}
