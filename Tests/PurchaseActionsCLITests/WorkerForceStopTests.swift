import CommandLineTesting
import Foundation
import GRDB
import Testing

/// Issue 13: the second SIGTERM / SIGINT stops `purchase-actions run` at once (exit 130), on the
/// real process: what was committed is kept, the commit in progress is not, and a restart reads
/// the events not committed (nothing lost). The commit in progress is held open by this test
/// taking SQLite's write lock first (the worker waits for it, Docs/operations.md), so the two
/// signals land while it is in progress; no sleeping, no timing: the test reads the worker's
/// log lines until the one it waits for.
@Suite("purchase-actions run: the second signal stops at once, nothing committed is lost")
struct WorkerForceStopTests {
    @Test("Two signals during a commit held by another connection: exit 130, the first file kept, the second read again by the next run", arguments: [SIGTERM, SIGINT])
    func secondSignalDuringCommit(signal: Int32) throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        #expect(try scene.run(["publish", "migration"]).status == 0)
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        var worker = try BackgroundWorker(scene, [
                // The clock at the first event's time and no retention: after the first file the
                // worker writes nothing until the second file comes (no wake-up due, nothing pruned).
                "run", "--events", "events", "--clock", "2025-03-01T10:00:00Z", "--retention", "none", "--log-level", "debug",
            ])
        worker.wait(for: "info: ingested events=1 file=a.jsonl")
        #expect(worker.text.contains("info: ingested events=1 file=a.jsonl"), "\(worker.text)")
        // Take the write lock, then give the worker a second file: its commit waits for the lock.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the lock is held across two accesses
        let other = try DatabaseQueue(path: scene.folder.appendingPathComponent("purchase-actions.sqlite").path, configuration: configuration)
        try other.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        try scene.write(DurableScene.event2 + "\n", to: "events/b.jsonl")
        worker.wait(for: "b.jsonl through-line=1")
        #expect(worker.text.contains("debug: committing events=1 file=") && worker.text.contains("b.jsonl through-line=1"), "\(worker.text)")
        kill(worker.process.processIdentifier, signal)
        worker.wait(for: "notice: stopping")
        #expect(worker.text.contains("a second signal stops at once"), "\(worker.text)")
        kill(worker.process.processIdentifier, signal)
        worker.finish()
        try other.inDatabase { db in try db.execute(sql: "ROLLBACK") }
        try other.close()
        #expect(worker.process.terminationReason == .exit && worker.process.terminationStatus == 130, "\(worker.text)")
        #expect(worker.text.contains("error: second signal: stopping at once (exit 130)"), "\(worker.text)")
        #expect(!worker.text.contains("ingested events=1 file=b.jsonl"), "the second file's commit did not happen: \(worker.text)")
        // What was committed is kept; the next run reads b.jsonl, and only it.
        let log = try DurableScene.objects(try scene.run(["log", "--json", "--status", "entered"]).output)
        #expect(log.map { $0["contact"] as? String } == ["c-1"], "\(log)")
        let again = try scene.drain(clock: "2025-03-05T00:00:00Z")
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("1 events read (1 file)"), "\(again.output)")
        let enrollments = try DurableScene.objects(try scene.run(["enrollments", "--json"]).output)
        #expect(enrollments.compactMap { $0["contactID"] as? String }.sorted() == ["c-1", "c-2"], "\(enrollments)")
        #expect(try scene.deliveries().count == 2, "both emails once")
    }
}
