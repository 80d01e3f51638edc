import CommandLineTesting
import Foundation
import Testing

/// `run --max-ahead`: on the real clock an event from the far future is refused at its line.
@Suite("purchase-actions run: events ahead of the real clock")
struct WorkerMaxAheadTests {
    /// `DurableScene.event2` happening at `time`.
    static func event2(at time: String) -> String {
        DurableScene.event2.replacingOccurrences(of: "2025-03-01T11:00:00Z", with: time)
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    @Test("An event in the year 9999 stops the worker at its line (exit 65) naming --max-ahead; the line before it is committed; --max-ahead none takes it")
    func farFuture() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n" + Self.event2(at: "9999-12-31T00:00:00Z") + "\n", to: "events/a.jsonl")
        let refused = try scene.run(["run", "--events", "events", "--drain", "--retention", "none"])
        #expect(refused.status == 65, "\(refused.errors)")
        #expect(refused.errors.contains("events/a.jsonl:2: error: $.occurredAt: 9999-12-31T00:00:00"), "\(refused.errors)")
        #expect(refused.errors.contains("--max-ahead"), "\(refused.errors)")
        let enrollments = try DurableScene.objects(try scene.run(["enrollments", "--json"]).output)
        #expect(enrollments.count == 1, "the first line is committed: \(enrollments)")

        let taken = try scene.run(["run", "--events", "events", "--drain", "--retention", "none", "--max-ahead", "none"])
        #expect(taken.status == 0, "\(taken.errors)")
        #expect(taken.output.contains("1 events read"), "\(taken.output)")
    }

    @Test("The default allows a day: an event 2 hours ahead is read, one 2 days ahead is refused; --max-ahead 3d takes it")
    func oneDay() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        let now = Date()
        try scene.write(Self.event2(at: Self.rfc3339(now.addingTimeInterval(2 * 3600))) + "\n", to: "events/a.jsonl")
        let near = try scene.run(["run", "--events", "events", "--drain", "--retention", "none"])
        #expect(near.status == 0, "\(near.errors)")
        let far = DurableScene.event1.replacingOccurrences(of: "2025-03-01T10:00:00Z", with: Self.rfc3339(now.addingTimeInterval(2 * 86_400)))
        try scene.append(far + "\n", to: "events/a.jsonl")
        let refused = try scene.run(["run", "--events", "events", "--drain", "--retention", "none"])
        #expect(refused.status == 65 && refused.errors.contains("more than 1d after the worker's clock"), "\(refused.errors)")
        let taken = try scene.run(["run", "--events", "events", "--drain", "--retention", "none", "--max-ahead", "3d"])
        #expect(taken.status == 0 && taken.output.contains("1 events read"), "\(taken.output) \(taken.errors)")
    }

    @Test("A virtual clock (--clock) takes events after it, as before", arguments: ["2025-03-01T00:00:00Z"])
    func virtualClock(clock: String) throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(Self.event2(at: "2025-06-01T00:00:00Z") + "\n", to: "events/a.jsonl")
        let result = try scene.drain(clock: clock)
        #expect(result.status == 0, "\(result.errors)")
    }

    @Test("--max-ahead takes a span or none", arguments: ["tomorrow", "-1d", "1y", "36501d"])
    func badSpan(value: String) throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let result = try scene.run(["run", "--drain", "--max-ahead=" + value])
        #expect(result.status == 64 && result.errors.contains("--max-ahead takes a span"), "\(result.errors)")
    }
}

/// The read commands open the database read-only: a wrong file is never given a schema.
@Suite("purchase-actions log, enrollments, outbox, stats: read-only")
struct ReadOnlyDatabaseTests {
    @Test("An empty file is exit 65 and stays empty", arguments: [["stats"], ["log"], ["enrollments"], ["outbox"], ["outbox", "--dead"]])
    func emptyFile(command: [String]) throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        try scene.write("", to: "empty.sqlite")
        let result = try scene.run(command + ["--database", "empty.sqlite"])
        #expect(result.status == 65, "\(result.errors)")
        #expect(result.errors.contains("empty.sqlite: error: the file holds no purchase-actions data"), "\(result.errors)")
        let size = try FileManager.default.attributesOfItem(atPath: scene.folder.appendingPathComponent("empty.sqlite").path)[.size] as? Int
        #expect(size == 0)
        #expect(!FileManager.default.fileExists(atPath: scene.folder.appendingPathComponent("empty.sqlite-wal").path))
    }

    @Test("A database the worker wrote reads back while no worker runs, and a read leaves its bytes as they were")
    func readsBack() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-04T10:00:00Z").status == 0)
        let path = scene.folder.appendingPathComponent("purchase-actions.sqlite")
        let before = try Data(contentsOf: path)
        for command in [["stats"], ["log"], ["enrollments"], ["outbox"]] {
            let result = try scene.run(command)
            #expect(result.status == 0, "\(command): \(result.errors)")
        }
        #expect(try scene.run(["log", "--json"]).output.contains("ev-1"))
        #expect(try Data(contentsOf: path) == before)
    }
}

/// A file replaced by a longer one is noticed by the bytes before the stored position.
@Suite("purchase-actions run: a replaced events file")
struct ReplacedEventsFileTests {
    @Test("A file replaced by a longer one with other bytes before the stored position stops the worker (exit 65); appending does not")
    func replacedLonger() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
        try scene.append(DurableScene.event2 + "\n", to: "events/a.jsonl")
        let appended = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(appended.status == 0 && appended.output.contains("1 events read"), "\(appended.output) \(appended.errors)")

        // Replaced: the same lines in another order, and one more, so the file is longer.
        let third = DurableScene.event2.replacingOccurrences(of: "\"ev-2\"", with: "\"ev-3\"")
        try scene.write(DurableScene.event2 + "\n" + DurableScene.event1 + "\n" + third + "\n", to: "events/a.jsonl")
        let replaced = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(replaced.status == 65, "\(replaced.errors)")
        #expect(replaced.errors.contains("events/a.jsonl") && replaced.errors.contains("replaced or rewritten"), "\(replaced.errors)")
    }
}

@Suite("The test harness: a program's two outputs")
struct RunProgramTests {
    @Test("A program that writes 1 MiB to standard error before standard output ends does not hang the harness")
    func bothPipes() throws {
        let folder = try BuiltProducts.scratch("pa-pipes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try BuiltProducts.runProgram(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "head -c 1048576 /dev/zero >&2; echo done"], in: folder)
        #expect(result.status == 0)
        #expect(result.output == "done\n")
        #expect(result.errors.utf8.count == 1_048_576)
    }
}
