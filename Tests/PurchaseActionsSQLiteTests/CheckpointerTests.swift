import Dispatch
import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// The write-ahead log is copied into the file on a second connection and thread after commits
/// (`Checkpointer`), the writer's automatic checkpoint raised as the fallback.
@Suite("Checkpoints off the commit's thread: coalesced, failures kept, the log bounded")
struct CheckpointerTests {
    /// Waits until the checkpoints requested so far have run.
    static func idle(_ checkpointer: Checkpointer) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            checkpointer.whenIdle { continuation.resume() }
        }
    }

    /// The size of the store's write-ahead log file, in bytes (0 when there is none).
    static func walBytes(_ store: SQLiteStore) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: store.path + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// A store at a new path with the fixture's workflow published, its writer's automatic
    /// checkpoint at `fallback` pages, its checkpointer's connection read-only when asked.
    /// (A checkpoint is asked for after every commit, `walCheckpointPages: 1`, unless `requestPages` says.)
    static func store(fallback: Int = SQLiteStore.walFallbackPages, requestPages: Int = 1, readOnlyCheckpoints: Bool = false) throws -> SQLiteStore {
        let store = try SQLiteStore(
            path: StoreFixture.temporaryPath(), readOnly: false, walAutocheckpointPages: fallback, walCheckpointPages: requestPages, readOnlyCheckpoints: readOnlyCheckpoints)
        _ = try store.publish(Automation(workflows: [StoreFixture.waitThenMail()]), at: StoreFixture.start)
        return store
    }

    @Test("Each commit asks for a checkpoint; once they ran, the whole log is in the file, read by a new connection")
    func copiesAfterCommits() async throws {
        let store = try Self.store()
        let checkpointer = try #require(store.checkpointer)
        let runtime = try DurableRuntime(store: store)
        let (acknowledged, _, failure) = await FailureTests.ingestUntilFailure(runtime, from: 0, upTo: 20)
        #expect(failure == nil)
        await Self.idle(checkpointer)
        let counts = checkpointer.counts
        // The publish and the 20 commits.
        #expect(counts.requested == 21, "\(counts)")
        #expect(counts.run >= 1 && counts.run <= counts.requested)
        #expect(counts.failed == 0 && counts.busy == 0)
        #expect(counts.walFrames > 0 && counts.checkpointedFrames == counts.walFrames, "\(counts)")
        #expect(checkpointer.takeFailure() == nil)
        try FailureTests.expectKept(acknowledged, path: store.path)
        // The file alone holds them: a copy of it without its log reads every event.
        let copy = StoreFixture.temporaryPath()
        try FileManager.default.copyItem(atPath: store.path, toPath: copy)
        let reader = try SQLiteStore(path: copy, readOnly: true)
        #expect(try reader.read("check") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM processed_event") } == 20)
        // A store opened read-only has no checkpointer.
        #expect(reader.checkpointer == nil)
    }

    @Test("Requests while a checkpoint runs are coalesced into one more after it; at most one in flight")
    func coalesces() async throws {
        let store = try Self.store()
        let checkpointer = try #require(store.checkpointer)
        await Self.idle(checkpointer)
        let before = checkpointer.counts
        let gate = DispatchSemaphore(value: 0)
        checkpointer.setBeforeCheckpoint { gate.wait() }
        for _ in 0..<10 { checkpointer.request() }
        gate.signal()
        gate.signal()
        await Self.idle(checkpointer)
        var counts = checkpointer.counts
        #expect(counts.requested - before.requested == 10)
        #expect(counts.run - before.run == 2, "\(counts)")
        // Idle again: the next request runs at once.
        checkpointer.setBeforeCheckpoint(nil)
        checkpointer.request()
        await Self.idle(checkpointer)
        counts = checkpointer.counts
        #expect(counts.run - before.run == 3)
        #expect(counts.failed == 0)
    }

    @Test("Closing waits for the checkpoint in flight, drops one still wanted; requests after it do nothing")
    func closes() async throws {
        let store = try Self.store()
        let checkpointer = try #require(store.checkpointer)
        await Self.idle(checkpointer)
        let before = checkpointer.counts
        let gate = DispatchSemaphore(value: 0)
        checkpointer.setBeforeCheckpoint { gate.wait() }
        checkpointer.request()
        checkpointer.request()
        // Closed (on another thread, as it waits) before the checkpoint in flight may end.
        async let closed: Void = withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                checkpointer.close()
                continuation.resume()
            }
        }
        while !checkpointer.isClosed { await Task.yield() }
        gate.signal()
        await closed
        var counts = checkpointer.counts
        #expect(counts.run - before.run == 1, "\(counts)")
        checkpointer.request()
        await Self.idle(checkpointer)
        counts = checkpointer.counts
        #expect(counts.run - before.run == 1)
        #expect(counts.requested - before.requested == 2)
    }

    @Test("A store closed with its runtime leaves no write-ahead log: the last connection's close checkpoints it")
    func closingRemovesTheLog() async throws {
        let path: String
        do {
            let store = try Self.store()
            path = store.path
            if let checkpointer = store.checkpointer { await Self.idle(checkpointer) }
            let gate = DispatchSemaphore(value: 0)
            // The checkpoint of the last write is in flight when the store closes.
            store.checkpointer?.setBeforeCheckpoint { gate.wait() }
            _ = try store.publish(Automation(workflows: [StoreFixture.waitThenMail(subject: "Again")]), at: StoreFixture.start)
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            DispatchQueue.global().async { gate.signal() }
            // Kept to here: released right after the publish (as an optimised build may), the
            // store's close would wait for the gated checkpoint before the signal was sent.
            withExtendedLifetime(store) {}
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let reopened = try SQLiteStore(path: path, readOnly: true)
        #expect(try reopened.read("check") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM workflow_version") } == 2)
    }

    @Test("SQLITE_BUSY (another checkpoint holds the lock) is no failure: the next commit goes on")
    func busyIsNoFailure() async throws {
        let store = try Self.store()
        let checkpointer = try #require(store.checkpointer)
        let runtime = try DurableRuntime(store: store)
        checkpointer.setBeforeCheckpoint { throw DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked") }
        try await runtime.ingest(StoreFixture.tagged("ev-0", at: StoreFixture.start, contact: "c-0"))
        await Self.idle(checkpointer)
        #expect(checkpointer.counts.busy >= 1)
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        try FailureTests.expectKept(["ev-0", "ev-1"], path: store.path)
    }

    @Test(
        "A checkpoint's failure stops the next commit with its error, before anything more is acknowledged; nothing acknowledged is lost",
        arguments: [
            (ResultCode.SQLITE_FULL, StoreError.Code.diskFull, "the disk is full"),
            (ResultCode.SQLITE_IOERR, StoreError.Code.io, "check the disk"),
            (ResultCode.SQLITE_READONLY, StoreError.Code.readOnly, "cannot be written"),
        ])
    func failureStopsTheNextCommit(sqlite: ResultCode, code: StoreError.Code, says: String) async throws {
        let store = try Self.store()
        let checkpointer = try #require(store.checkpointer)
        let runtime = try DurableRuntime(store: store)
        var (acknowledged, next, failure) = await FailureTests.ingestUntilFailure(runtime, from: 0, upTo: 3)
        #expect(failure == nil)
        await Self.idle(checkpointer)
        checkpointer.setBeforeCheckpoint { throw DatabaseError(resultCode: sqlite, message: "injected") }
        // This commit succeeds; the checkpoint after it fails.
        var more: [String]
        (more, next, failure) = await FailureTests.ingestUntilFailure(runtime, from: next, upTo: next + 1)
        acknowledged += more
        #expect(failure == nil)
        await Self.idle(checkpointer)
        #expect(checkpointer.counts.failed == 1)
        // The next commit (an event, and the worker's batch with its position) stops with it.
        (more, next, failure) = await FailureTests.ingestUntilFailure(runtime, from: next, upTo: next + 1)
        #expect(more.isEmpty)
        #expect(failure?.code == code, "\(String(describing: failure))")
        #expect(failure?.path == store.path)
        #expect(failure?.message.contains(says) == true, "\(String(describing: failure))")
        #expect(failure?.message.contains("a checkpoint") == true)
        // An I/O error may be the log's own pages failing: its message claims less.
        #expect(failure?.message.contains(code == .io ? "unless the disk lost them" : "nothing acknowledged is lost") == true, "\(String(describing: failure))")
        try FailureTests.expectKept(acknowledged, path: store.path)
        // Taken once: once the cause is gone, the event not acknowledged is given again and kept.
        checkpointer.setBeforeCheckpoint(nil)
        try await runtime.ingest(StoreFixture.tagged("ev-\(next)", at: StoreFixture.start, contact: "c-\(next)"))
        acknowledged.append("ev-\(next)")
        await Self.idle(checkpointer)
        #expect(checkpointer.counts.failed == 1)
        try FailureTests.expectKept(acknowledged, path: store.path)
    }

    @Test("A failure met by the store's own writes (delivery outcomes, publish) stops them the same way")
    func failureStopsStoreWrites() async throws {
        let store = try Self.store()
        let checkpointer = try #require(store.checkpointer)
        checkpointer.setBeforeCheckpoint { throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full") }
        _ = try store.publish(Automation(workflows: [StoreFixture.waitThenMail(subject: "Two")]), at: StoreFixture.start)
        await Self.idle(checkpointer)
        let error = #expect(throws: StoreError.self) {
            try store.publish(Automation(workflows: [StoreFixture.waitThenMail(subject: "Three")]), at: StoreFixture.start)
        }
        #expect(error?.code == .diskFull)
        #expect(try store.read("check") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM workflow_version") } == 2)
    }

    @Test("Deliveries already made: their outcomes commit before a kept failure is thrown, and no more are listed to send")
    func recordingCommitsFirst() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(days: 0)])
        let checkpointer = try #require(store.checkpointer)
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start))
        let due = StoreFixture.start.adding(seconds: 86_400)
        let key = try #require(try await runtime.dueDeliveries(at: due, limit: 10).first?.key)
        // The message is sent; meanwhile a checkpoint fails (after the wake-up's commit).
        await Self.idle(checkpointer)
        checkpointer.setBeforeCheckpoint { throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full") }
        checkpointer.request()
        await Self.idle(checkpointer)
        #expect(checkpointer.counts.failed == 1)
        let recorded = await #expect(throws: StoreError.self) { try await runtime.record(.delivered, key: key, at: due) }
        #expect(recorded?.code == .diskFull, "\(String(describing: recorded))")
        // The outcome is kept: the next run does not send it again.
        #expect(try store.read("check") { db in try String.fetchOne(db, sql: "SELECT state FROM outbox WHERE key = ?", arguments: [key]) } == "delivered")
        // A failure kept before sending stops the listing, so nothing is sent whose outcome could not be recorded.
        checkpointer.request()
        await Self.idle(checkpointer)
        let listing = await #expect(throws: StoreError.self) { _ = try await runtime.dueDeliveries(at: due, limit: 10) }
        #expect(listing?.code == .diskFull)
    }

    @Test("finish() waits for the checkpoint in flight and reports its failure, which closing would drop; then nothing")
    func finishReports() async throws {
        let store = try Self.store()
        let checkpointer = try #require(store.checkpointer)
        await Self.idle(checkpointer)
        try store.finish()
        let gate = DispatchSemaphore(value: 0)
        checkpointer.setBeforeCheckpoint {
            gate.wait()
            throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full")
        }
        // The last commit's checkpoint is in flight (held) when the command finishes.
        _ = try store.publish(Automation(workflows: [StoreFixture.waitThenMail(subject: "Last")]), at: StoreFixture.start)
        DispatchQueue.global().async { gate.signal() }
        let error = #expect(throws: StoreError.self) { try store.finish() }
        #expect(error?.code == .diskFull && error?.message.contains("a checkpoint") == true, "\(String(describing: error))")
        #expect(checkpointer.counts.failed == 1)
        // Reported once: taken.
        checkpointer.setBeforeCheckpoint(nil)
        try store.finish()
    }

    @Test("A long log is waited for once per restart, not twice: the checkpoint waited for finds it long but does not make the next transaction wait again")
    func oneWaitPerRestart() async throws {
        let limit = 40
        let store = try SQLiteStore(path: StoreFixture.temporaryPath(), readOnly: false, walAutocheckpointPages: 0, walRestartPages: limit, walCheckpointPages: 25)
        _ = try store.publish(Automation(workflows: [StoreFixture.waitThenMail()]), at: StoreFixture.start)
        let checkpointer = try #require(store.checkpointer)
        let commits = 120
        _ = try await Self.commit(commits, into: store)
        await Self.idle(checkpointer)
        // Measured: one wait per 3 commits (40 in 120: a commit writes 10-20 pages, so the log
        // passes `limit` about every third commit after it starts again); with the flag cleared
        // before the wait, the checkpoint waited for set it again and the next transaction waited
        // a second time: 57 in 120.
        let waits = checkpointer.counts.waits
        #expect(waits >= 1 && waits <= commits * 5 / 12, "\(checkpointer.counts)")
    }

    @Test("A real refusal: SQLite refuses every checkpoint on a read-only connection; the next commit stops with it")
    func realRefusal() async throws {
        let store = try Self.store(readOnlyCheckpoints: true)
        let checkpointer = try #require(store.checkpointer)
        await Self.idle(checkpointer)
        #expect(checkpointer.counts.failed == 1)
        // The publish's checkpoint failed: the next commit stops (SQLite says "disk I/O error"
        // here: it cannot write the read-only connection's shared memory).
        let runtime = try DurableRuntime(store: store)
        let refused = await #expect(throws: StoreError.self) { try await runtime.ingest(StoreFixture.tagged("ev-0", at: StoreFixture.start)) }
        #expect(refused?.code == .io || refused?.code == .readOnly, "\(String(describing: refused))")
        #expect(refused?.message.contains("a checkpoint") == true)
        try FailureTests.expectKept([], path: store.path)
        // Taken once: the next one commits (and fails to checkpoint again).
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start))
        try FailureTests.expectKept(["ev-1"], path: store.path)
    }

    /// Commits `count` events one commit each, returning the largest size the log file reached.
    static func commit(_ count: Int, into store: SQLiteStore) async throws -> Int {
        let runtime = try DurableRuntime(store: store)
        for number in 0..<count {
            try await runtime.ingest(StoreFixture.tagged("ev-\(number)", at: StoreFixture.start, contact: "c-\(number)"))
        }
        return Self.walBytes(store)
    }

    /// The bytes of a log of `frames` frames (a 32-byte header, each frame 24 bytes and a page).
    static func bytes(frames: Int) -> Int { 32 + frames * (24 + SQLiteStore.pageBytes) }

    @Test("The log stays bounded over many commits: the writer waits for the checkpointer once it is long; without it, the writer's fallback; without both it grows")
    func logBounded() async throws {
        let commits = 240
        let limit = 40
        // A commit of this workload writes 10-20 pages; the log starts again at the commit after
        // the one that took it past `limit`.
        let bound = Self.bytes(frames: limit + 40)

        // The checkpointer running, the writer's automatic checkpoint off: its waits bound the log.
        let running = try SQLiteStore(path: StoreFixture.temporaryPath(), readOnly: false, walAutocheckpointPages: 0, walRestartPages: limit, walCheckpointPages: 25)
        _ = try running.publish(Automation(workflows: [StoreFixture.waitThenMail()]), at: StoreFixture.start)
        let runningBytes = try await Self.commit(commits, into: running)
        let checkpointer = try #require(running.checkpointer)
        await Self.idle(checkpointer)
        #expect(runningBytes > 0 && runningBytes <= bound, "running: \(runningBytes) > \(bound); \(checkpointer.counts)")
        #expect(checkpointer.counts.waits >= 1 && checkpointer.counts.failed == 0, "\(checkpointer.counts)")

        // A checkpointer that never copies (always meeting another's lock): the fallback bounds it.
        let behind = try Self.store(fallback: limit)
        behind.checkpointer?.setBeforeCheckpoint { throw DatabaseError(resultCode: .SQLITE_BUSY, message: "held") }
        let behindBytes = try await Self.commit(commits, into: behind)
        #expect(behindBytes > 0 && behindBytes <= bound, "behind: \(behindBytes) > \(bound)")
        #expect(behind.checkpointer?.counts.waits == 0)

        // Neither: the log grows with every commit.
        let unbounded = try Self.store(fallback: 0)
        unbounded.checkpointer?.setBeforeCheckpoint { throw DatabaseError(resultCode: .SQLITE_BUSY, message: "held") }
        let unboundedBytes = try await Self.commit(commits, into: unbounded)
        #expect(unboundedBytes > 4 * bound, "\(unboundedBytes)")
    }

    @Test("Commits ask for a checkpoint once they wrote the pages it waits for, not at each commit")
    func asksEveryRequestPages() async throws {
        let store = try Self.store(requestPages: 60)
        let checkpointer = try #require(store.checkpointer)
        let before = checkpointer.counts.requested
        let commits = 40
        let runtime = try DurableRuntime(store: store)
        let (_, _, failure) = await FailureTests.ingestUntilFailure(runtime, from: 0, upTo: commits)
        #expect(failure == nil)
        await Self.idle(checkpointer)
        // 10-20 pages a commit: a request every 3 to 6 commits, never one per commit.
        let requested = checkpointer.counts.requested - before
        #expect(requested >= commits / 8 && requested <= commits / 2, "\(checkpointer.counts)")
    }

    @Test("The defaults: a checkpoint asked for every 1,000 pages, the writer waits at 4,000, its own automatic checkpoint at twice that")
    func defaults() throws {
        #expect(SQLiteStore.walCheckpointPages == 1_000)
        #expect(SQLiteStore.walRestartPages == 4_000)
        #expect(SQLiteStore.walFallbackPages == 2 * SQLiteStore.walRestartPages)
        let store = try Self.store()
        #expect(try store.read("check") { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == SQLiteStore.walFallbackPages)
        #expect(store.checkpointer?.restartPages == SQLiteStore.walRestartPages)
        #expect(try SQLiteStore(path: store.path).checkpointer?.requestPages == SQLiteStore.walCheckpointPages)
    }
}
