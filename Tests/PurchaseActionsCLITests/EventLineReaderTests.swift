import CommandLineTesting
import Foundation
@testable import PurchaseActionsCLI
import PurchaseActions
import Testing

/// The worker's reader of events files: positions (byte offset and line) after each line, resuming
/// from a stored position, and the bounds of Docs/events.md.
@Suite("purchase-actions run: reading events files from a position")
struct EventLineReaderTests {
    static let event = #"{"id":"e-1","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c"},"tag":"t"}"#

    func withFile(_ bytes: [UInt8], _ body: (String) throws -> Void) throws {
        let folder = try BuiltProducts.scratch("pa-reader")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("e.jsonl").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try body(path)
    }

    /// Every line the reader gives, until it has nothing more.
    func lines(_ reader: EventLineReader, takeUnterminated: Bool = true) throws -> [EventLineReader.Line] {
        var lines: [EventLineReader.Line] = []
        while case .line(let line) = try reader.next(takeUnterminated: takeUnterminated) { lines.append(line) }
        return lines
    }

    @Test("Offsets and line numbers count blank lines and CRLF; a reader opened at a stored position reads only what follows")
    func positions() throws {
        let text = Self.event + "\r\n\n   \n" + Self.event.replacingOccurrences(of: "e-1", with: "e-2") + "\n"
        try withFile(Array(text.utf8)) { path in
            let reader = try EventLineReader(file: path, name: "e.jsonl", offset: 0, line: 0)
            let all = try lines(reader)
            #expect(all.map(\.number) == [1, 4])
            #expect(all[0].endOffset == Int64(Self.event.utf8.count + 2))
            #expect(all[1].startOffset == Int64(Self.event.utf8.count + 2 + 1 + 4))
            #expect(reader.offset == Int64(text.utf8.count) && reader.lineNumber == 4)
            let resumed = try EventLineReader(file: path, name: "e.jsonl", offset: all[0].endOffset, line: 1)
            let rest = try lines(resumed)
            #expect(rest.map(\.number) == [4])
            #expect(try rest[0].result.get().id == "e-2")
        }
    }

    @Test("A last line without a line feed is left for later unless taken (--drain)")
    func unterminated() throws {
        try withFile(Array((Self.event + "\n" + Self.event).utf8)) { path in
            let waiting = try EventLineReader(file: path, name: "e.jsonl", offset: 0, line: 0)
            #expect(try lines(waiting, takeUnterminated: false).count == 1)
            #expect(waiting.offset == Int64(Self.event.utf8.count + 1), "the unfinished line is not consumed")
            let draining = try EventLineReader(file: path, name: "e.jsonl", offset: 0, line: 0)
            #expect(try lines(draining, takeUnterminated: true).count == 2)
        }
    }

    @Test("A line one byte past 1 MiB is a bad line (limit) and reading goes on; one at 1 MiB is read")
    func longLines() throws {
        let limit = EventsFile.maximumLineBytes
        let over = [UInt8](repeating: 0x20, count: limit + 1)
        try withFile(over + [0x0A] + Array((Self.event + "\n").utf8)) { path in
            let reader = try EventLineReader(file: path, name: "e.jsonl", offset: 0, line: 0)
            let all = try lines(reader)
            #expect(all.count == 2)
            guard case .failure(let error) = all[0].result else { Issue.record("a line past 1 MiB was read"); return }
            #expect(error.message.contains("longer than \(limit) bytes"))
            #expect(all[0].endOffset == Int64(limit + 2), "the dropped bytes count in the offset")
            #expect(all[1].number == 2)
            #expect(try all[1].result.get().id == "e-1")
        }
        // Exactly at the limit: spaces then the event would exceed it, so pad the event with spaces to the limit.
        let padded = Array(Self.event.utf8) + [UInt8](repeating: 0x20, count: limit - Self.event.utf8.count)
        try withFile(padded + [0x0A]) { path in
            let all = try lines(try EventLineReader(file: path, name: "e.jsonl", offset: 0, line: 0))
            #expect(all.count == 1)
            #expect(try all[0].result.get().id == "e-1")
        }
    }

    @Test("A byte order mark fails line 1; a bad line carries its number and JSON path")
    func badLines() throws {
        try withFile([0xEF, 0xBB, 0xBF] + Array((Self.event + "\n" + #"{"id":"x","type":"tag.added","occurredAt":"soon"}"# + "\n").utf8)) { path in
            let all = try lines(try EventLineReader(file: path, name: "e.jsonl", offset: 0, line: 0))
            #expect(all.count == 2)
            guard case .failure(let bom) = all[0].result, case .failure(let bad) = all[1].result else {
                Issue.record("bad lines were read as events")
                return
            }
            #expect(bom.message.contains("byte order mark"))
            #expect(all[1].number == 2)
            #expect(LoadError(bad, file: "e.jsonl", line: 2).description.hasPrefix("e.jsonl:2: error: $."))
        }
    }

    @Test("An events folder lists *.jsonl in byte order of the names, without hidden files or folders")
    func folderOrder() throws {
        let folder = try BuiltProducts.scratch("pa-folder")
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["b.jsonl", "B.jsonl", "a.jsonl", ".tmp.jsonl", "notes.txt"] {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub.jsonl"), withIntermediateDirectories: false)
        let files = try EventsFolder(folder.path).files()
        #expect(files.map(\.name) == ["B.jsonl", "a.jsonl", "b.jsonl"])
        #expect(files.allSatisfy { $0.source.hasPrefix("/") && $0.source.hasSuffix("/" + $0.name) })
    }

    @Test("An events file whose name is not valid UTF-8 is an error naming it, not skipped")
    func nonUTF8Name() throws {
        let folder = try BuiltProducts.scratch("pa-folder")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = Array(folder.path.utf8) + Array("/bad".utf8) + [0xFE] + Array(".jsonl".utf8) + [0]
        let descriptor = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { creat($0.baseAddress!, 0o644) }
        }
        try #require(descriptor >= 0)
        close(descriptor)
        do {
            _ = try EventsFolder(folder.path).files()
            Issue.record("a name that is not UTF-8 was read or skipped")
        } catch let error as LoadError {
            #expect(error.code == .invalid)
            #expect(error.description.contains("is not valid UTF-8"))
        }
    }

    @Test("The most events files a folder may hold: at the maximum they are read, one more is limit-exceeded")
    func fileCount() throws {
        let folder = try BuiltProducts.scratch("pa-folder")
        defer { try? FileManager.default.removeItem(at: folder) }
        for index in 1...3 { try Data().write(to: folder.appendingPathComponent("\(index).jsonl")) }
        #expect(try EventsFolder(folder.path).files(maximum: 3).count == 3)
        try Data().write(to: folder.appendingPathComponent("4.jsonl"))
        do {
            _ = try EventsFolder(folder.path).files(maximum: 3)
            Issue.record("one file past the maximum was read")
        } catch let error as LoadError {
            #expect(error.code == .limitExceeded)
            #expect(error.description.contains("more than 3 events files"))
        }
        #expect(EventsFolder.maximumFiles == 100_000)
    }
}
