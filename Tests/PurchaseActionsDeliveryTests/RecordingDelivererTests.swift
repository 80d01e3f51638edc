#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing
@testable import PurchaseActionsDelivery

/// A fresh temporary folder, removed after `body`.
private func withFolder(_ body: (String) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recording-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await body(folder)
}

/// The error opening a recording at `path` gives, or `nil` when it opens.
private func refusal(_ path: String) -> DeliveryError? {
    do {
        _ = try RecordingDeliverer(path: path)
        return nil
    } catch {
        return error
    }
}

private func lines(_ path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.isEmpty || text.hasSuffix("\n"))
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

private func message(_ index: Int, details: JSONValue? = nil) -> OutboxMessage {
    OutboxMessage(
        key: "enrollment-\(index)/1/welcome:send", kind: index.isMultiple(of: 2) ? "send-email" : "send-sms",
        details: details ?? .object(["to": .string("c\(index)@example.com"), "n": .integer(index)]),
        attempt: 1 + index % 3, createdAt: Instant(millisecondsSinceEpoch: 1_700_000_000_000))
}

@Suite("RecordingDeliverer")
struct RecordingDelivererTests {
    @Test("each attempt is one canonical line that parses back to the message's object")
    func roundTrip() async throws {
        try await withFolder { (folder: String) async throws in
            let path = folder + "/deliveries.jsonl"
            let deliverer = try RecordingDeliverer(path: path)
            let messages = [
                message(0),
                message(1, details: .object(["body": .string("two\nlines\r\n\u{0}\u{1B} \"q\" \\ é 🎉\u{2028}"), "list": .array([.null, .bool(true), .integer(-5)])])),
                message(2, details: .object([:])),
            ]
            for sent in messages {
                #expect(await deliverer.deliver(sent) == .delivered)
            }
            let written = try lines(path)
            #expect(written.count == messages.count)
            for (line, sent) in zip(written, messages) {
                #expect(line == sent.deliveryLine)
                #expect(try JSONValue.parse(line) == sent.deliveryJSON)
            }
            #expect(written[0] == #"{"attempt":1,"details":{"n":0,"to":"c0@example.com"},"key":"enrollment-0/1/welcome:send","kind":"send-email"}"#)
        }
    }

    @Test("reopening appends after what is there")
    func reopenAppends() async throws {
        try await withFolder { (folder: String) async throws in
            let path = folder + "/deliveries.jsonl"
            #expect(await (try RecordingDeliverer(path: path)).deliver(message(1)) == .delivered)
            #expect(await (try RecordingDeliverer(path: path)).deliver(message(2)) == .delivered)
            #expect(try lines(path) == [message(1).deliveryLine, message(2).deliveryLine])
        }
    }

    @Test("concurrent attempts, through one deliverer and through two on the same file, give whole lines")
    func concurrentWholeLines() async throws {
        try await withFolder { (folder: String) async throws in
            let path = folder + "/deliveries.jsonl"
            let first = try RecordingDeliverer(path: path)
            let second = try RecordingDeliverer(path: path)
            let big = String(repeating: "é", count: 6000)  // lines over a page: writes are not atomic by size
            let count = 300
            let outcomes = await withTaskGroup(of: DeliveryOutcome.self, returning: [DeliveryOutcome].self) { group in
                for index in 0..<count {
                    let deliverer = index.isMultiple(of: 3) ? second : first
                    let sent = message(index, details: index.isMultiple(of: 5) ? .object(["body": .string(big)]) : nil)
                    group.addTask { await deliverer.deliver(sent) }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0 == .delivered })
            let written = try lines(path)
            #expect(written.count == count)
            var keys = Set<String>()
            for line in written {
                let value = try JSONValue.parse(line)
                guard case .object(let members) = value, case .string(let key)? = members["key"] else {
                    Issue.record("not a recording line: \(line.prefix(80))")
                    continue
                }
                keys.insert(key)
            }
            #expect(keys == Set((0..<count).map { message($0).key }))
        }
    }

    @Test("a partial last line (a crash during a write) is cut off when the file is opened")
    func tornLineCut() async throws {
        try await withFolder { (folder: String) async throws in
            let path = folder + "/deliveries.jsonl"
            let whole = message(1).deliveryLine + "\n"
            try (whole + #"{"attempt":1,"details":{"to":"c2@exa"#).write(toFile: path, atomically: false, encoding: .utf8)
            let deliverer = try RecordingDeliverer(path: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == whole)
            #expect(await deliverer.deliver(message(2)) == .delivered)
            #expect(try lines(path) == [message(1).deliveryLine, message(2).deliveryLine])
        }
    }

    @Test("a file that is only a partial line is emptied")
    func tornOnlyLine() async throws {
        try await withFolder { (folder: String) async throws in
            let path = folder + "/deliveries.jsonl"
            try #"{"attempt":1,"det"#.write(toFile: path, atomically: false, encoding: .utf8)
            _ = try RecordingDeliverer(path: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "")
        }
    }

    @Test("a file ending in something else than a recording line is refused and left alone")
    func notARecording() async throws {
        try await withFolder { (folder: String) async throws in
            let path = folder + "/notes.txt"
            let text = "{\"attempt\":1}\nmy notes, no newline"
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            #expect(throws: DeliveryError(.notARecording, "the file ends in a line that is not a recording line; give a new file or a recording file", what: path)) {
                try RecordingDeliverer(path: path)
            }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        }
    }

    @Test("a last line longer than the search limit without a newline is refused")
    func tornLineTooLong() async throws {
        try await withFolder { (folder: String) async throws in
            let path = folder + "/big.jsonl"
            let text = "{\"attempt\":1}\n{" + String(repeating: "x", count: RecordingFile.tornLineSearchLimit)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            #expect(refusal(path)?.code == .notARecording)
            // Two bytes shorter, the newline before the partial line is within reach: it is cut.
            try String(text.dropLast(2)).write(toFile: path, atomically: false, encoding: .utf8)
            _ = try RecordingDeliverer(path: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"attempt\":1}\n")
        }
    }

    @Test("a folder, a FIFO and a missing folder are refused without hanging")
    func badPaths() async throws {
        try await withFolder { (folder: String) async throws in
            #expect(refusal(folder)?.code == .notARegularFile)
            let fifo = folder + "/pipe"
            #expect(mkfifo(fifo, 0o600) == 0)
            #expect(refusal(fifo)?.code == .notARegularFile)
            let missing = refusal(folder + "/missing/deliveries.jsonl")
            #expect(missing?.code == .cannotOpen)
            #expect(missing?.what == folder + "/missing/deliveries.jsonl")
            #expect(missing?.message == "cannot open the recording file for appending: No such file or directory")
            for path in ["", "a\u{0}b"] {
                #expect(refusal(path)?.code == .cannotOpen)
            }
        }
    }

    @Test("a new file is created with mode 0600")
    func createdPrivate() async throws {
        try await withFolder { (folder: String) async throws in
            let path = folder + "/deliveries.jsonl"
            _ = try RecordingDeliverer(path: path)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test("control characters in a path are escaped in the error's description")
    func escapedPath() {
        let error = DeliveryError(.cannotOpen, "cannot open", what: "/tmp/a\u{1B}[2Jb\n")
        #expect(error.description == "/tmp/a\\u{1b}[2Jb\\u{a}: cannot open")
    }
}

/// Issue 13: a batch of due rows recorded with one write and one fsync.
@Suite("RecordingDeliverer: batches")
struct RecordingBatchTests {
    @Test("a batch appends every line in order, after what is there; each outcome delivered; an empty batch writes nothing")
    func batch() async throws {
        try await withFolder { (folder: String) async throws in
            let path = folder + "/deliveries.jsonl"
            let deliverer = try RecordingDeliverer(path: path)
            #expect(await deliverer.deliver(message(0)) == .delivered)
            let messages = (1...50).map { message($0) }
            let outcomes = await deliverer.deliver(batch: messages)
            #expect(outcomes.count == 50 && outcomes.allSatisfy { $0 == .delivered })
            #expect(await deliverer.deliver(batch: []).isEmpty)
            #expect(try lines(path) == ([message(0)] + messages).map(\.deliveryLine))
        }
    }
}
