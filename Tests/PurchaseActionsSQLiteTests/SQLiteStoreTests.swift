import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

@Suite("SQLite store: schema, versions, queries, outbox")
struct SQLiteStoreTests {
    @Test("A database written by a newer schema is refused: a higher user_version, or a migration this build does not know")
    func newerSchema() throws {
        let path = StoreFixture.temporaryPath()
        do {
            let store = try SQLiteStore(path: path)
            try store.queue.write { db in try db.execute(sql: "PRAGMA user_version = \(SQLiteStore.schemaVersion + 1)") }
        }
        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error?.code == .newerSchema)
        #expect(error?.message.contains("newer build") == true)
        #expect(error?.path == path)

        let other = StoreFixture.temporaryPath()
        do {
            let store = try SQLiteStore(path: other)
            try store.queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-from-the-future')") }
        }
        let unknown = #expect(throws: StoreError.self) { try SQLiteStore(path: other) }
        #expect(unknown?.code == .newerSchema)
        #expect(unknown?.message.contains("v2-from-the-future") == true)
    }

    @Test("A file that is not SQLite is not-a-database; a missing folder is cannot-open")
    func notADatabase() throws {
        let path = StoreFixture.temporaryPath()
        try Data("this is not a database, just some text long enough to be a header\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error?.code == .notADatabase)
        let missing = #expect(throws: StoreError.self) { try SQLiteStore(path: "/nonexistent-folder-\(UUID().uuidString)/x.sqlite") }
        #expect(missing?.code == .cannotOpen)
    }

    @Test("The database is in WAL mode with synchronous=FULL, at this build's schema version")
    func pragmas() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let (mode, synchronous, version) = try store.read("pragmas") { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"), try Int.fetchOne(db, sql: "PRAGMA user_version"))
        }
        #expect(mode == "wal")
        #expect(synchronous == 2)
        #expect(version == SQLiteStore.schemaVersion)
    }

    @Test("Firing due wake-ups reads the partial index on (wake_at, sequence), whatever the number pending")
    func wakeUpIndex() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let text = try store.read("plan") { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT wake_at, id FROM enrollment WHERE wake_at IS NOT NULL AND wake_at <= 5 ORDER BY wake_at, sequence LIMIT 1")
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(text.contains("enrollment_wake"), "\(text)")
        #expect(!text.contains("TEMP B-TREE"), "no sort: \(text)")
    }

    @Test("Publish: new, unchanged, changed by content; a workflow left out stays current")
    func publishVersions() throws {
        let store = try SQLiteStore(path: StoreFixture.temporaryPath())
        let first = try store.publish(Automation(workflows: [StoreFixture.waitThenMail("a"), StoreFixture.waitThenMail("b")]), at: StoreFixture.start)
        #expect(first.workflows.map(\.change) == [.new, .new])
        let same = try store.publish(Automation(workflows: [StoreFixture.waitThenMail("a")]), at: StoreFixture.start)
        #expect(same.workflows.map(\.change) == [.unchanged])
        let changed = try store.publish(Automation(workflows: [StoreFixture.waitThenMail("a", subject: "Other")]), at: StoreFixture.start)
        #expect(changed.workflows.first?.change == .changed && changed.workflows.first?.number == 2)
        let versions = try store.versions(workflowID: "a")
        #expect(versions.map(\.number) == [1, 2])
        #expect(versions.map(\.isCurrent) == [false, true])
        #expect(versions.allSatisfy { $0.fileVersion == 1 })
        #expect(versions[1].workflow.version == 2, "the engine sees the store's number")
        #expect(try store.versions(workflowID: "b").map(\.isCurrent) == [true], "absent from the later publish, still current")
        // The account profile is part of the content.
        let profiled = try store.publish(
            Automation(workflows: [StoreFixture.waitThenMail("a", subject: "Other")], account: AccountProfile(company: ["Name": "Shop"])), at: StoreFixture.start)
        #expect(profiled.workflows.first?.change == .changed)
        #expect(try store.versions(workflowID: "a").last?.account.company == ["Name": "Shop"])
        let duplicate = #expect(throws: StoreError.self) {
            try store.publish(Automation(workflows: [StoreFixture.waitThenMail("c"), StoreFixture.waitThenMail("c")]), at: StoreFixture.start)
        }
        #expect(duplicate?.code == .engine)
        #expect(try store.versions(workflowID: "c").isEmpty, "nothing half-written")
    }

    @Test("Enrollments keep their version across a publish; migrate-enrollments moves them by step id (dry run changes nothing)")
    func versionsAcrossPublish() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(subject: "Old")])
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        _ = try store.publish(Automation(workflows: [StoreFixture.waitThenMail(subject: "New")]), at: StoreFixture.start)
        try await runtime.ingest(StoreFixture.tagged("ev-2", at: StoreFixture.start, contact: "c-2"))
        #expect(try store.enrollments(EnrollmentQuery()).map(\.enrollment.version) == [1, 2])
        try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400)))
        let subjects = try store.outbox(dead: false).map { entry -> String in
            guard case .object(let details) = entry.details, case .string(let subject)? = details["subject"] else { return "" }
            return subject
        }
        #expect(subjects.sorted() == ["New", "Old"])
    }

    @Test("migrate-enrollments: dry run reports and changes nothing; a move keeps the step; a removed step is left alone")
    func migrate() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(subject: "Old")])
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        _ = try store.publish(Automation(workflows: [StoreFixture.waitThenMail(subject: "New", extraStep: true)]), at: StoreFixture.start)
        let dry = try store.migrateEnrollments(workflowID: "w", to: 2, dryRun: true)
        #expect(dry.moved.map(\.enrollmentID) == ["e-1"] && dry.dryRun)
        #expect(try store.enrollments(EnrollmentQuery()).map(\.enrollment.version) == [1])
        let done = try store.migrateEnrollments(workflowID: "w", to: 2, dryRun: false)
        #expect(done.moved.count == 1)
        let moved = try #require(try store.enrollments(EnrollmentQuery()).first?.enrollment)
        #expect(moved.version == 2)
        // On version 2 the wait is the second step: the enrollment sits just past it.
        #expect(moved.frames.first?.position == 2)
        try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400)))
        #expect(try store.outbox(dead: false).count == 1)

        // Version 3 has no wait step: a waiting enrollment on version 2 is left where it is.
        try await runtime.ingest(StoreFixture.tagged("ev-2", at: StoreFixture.start.adding(.seconds(5 * 86_400)), contact: "c-2"))
        var noWait = StoreFixture.waitThenMail(subject: "New")
        noWait.steps.removeFirst()
        _ = try store.publish(Automation(workflows: [noWait]), at: StoreFixture.start)
        let left = try store.migrateEnrollments(workflowID: "w", to: 3, dryRun: false)
        #expect(left.moved.isEmpty)
        #expect(left.left.map(\.enrollmentID) == ["e-2"])
        #expect(left.left.first?.reason.contains("step-removed") == true)
        #expect(try store.enrollments(EnrollmentQuery(state: .waiting)).map(\.enrollment.version) == [2])

        #expect(throws: StoreError.self) { try store.migrateEnrollments(workflowID: "w", to: 9, dryRun: true) }
        #expect(throws: StoreError.self) { try store.migrateEnrollments(workflowID: "nope", to: 1, dryRun: true) }
    }

    @Test("Delivery: backoff 30 s × 2^(n-1) at most 1 h, dead after 8 attempts or a permanent failure, retry makes it pending")
    func delivery() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(days: 0)])
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        try await runtime.ingest(StoreFixture.tagged("ev-2", at: StoreFixture.start, contact: "c-2"))
        var now = StoreFixture.start
        let due = try await runtime.dueDeliveries(at: now, limit: 10)
        #expect(due.count == 2 && due.allSatisfy { $0.attempt == 1 && $0.kind == "send-email" })
        let (first, second) = (due[0].key, due[1].key)
        try await runtime.record(.delivered, key: first, at: now)
        try await runtime.record(.delivered, key: first, at: now)  // again: nothing changes
        var delays: [Int64] = []
        for attempt in 1...8 {
            let message = try #require(try await runtime.dueDeliveries(at: now, limit: 10).first)
            #expect(message.key == second && message.attempt == attempt)
            try await runtime.record(.failed(reason: "503", permanent: false), key: second, at: now)
            guard let next = try store.outbox(dead: false).first(where: { $0.key == second })?.nextAttemptAt else { break }
            delays.append((next.millisecondsSinceEpoch - now.millisecondsSinceEpoch) / 1000)
            #expect(try await runtime.dueDeliveries(at: now, limit: 10).isEmpty, "not due before its backoff")
            now = next
        }
        #expect(delays == [30, 60, 120, 240, 480, 960, 1920])
        let dead = try store.outbox(dead: true)
        #expect(dead.map(\.key) == [second] && dead.first?.attempts == 8 && dead.first?.lastError == "503")
        #expect(try store.retry(key: second))
        #expect(try store.outbox(dead: true).isEmpty)
        #expect(try !store.retry(key: first), "delivered rows are not retried")
        #expect(try !store.retry(key: "no-such-key"))
        // After a retry the attempts go on being numbered (a receiver never sees attempt 1 twice
        // for one key), with 8 more before the row is dead again, the backoff starting over.
        let again = try await runtime.dueDeliveries(at: now, limit: 10)
        #expect(again.map(\.key) == [second] && again.first?.attempt == 9)
        try await runtime.record(.failed(reason: "503", permanent: false), key: second, at: now)
        let retried = try #require(try store.outbox(dead: false).first { $0.key == second })
        #expect(retried.attempts == 9 && retried.nextAttemptAt.map { ($0.millisecondsSinceEpoch - now.millisecondsSinceEpoch) / 1000 } == 30)
        now = try #require(retried.nextAttemptAt)
        try await runtime.record(.failed(reason: "410 gone", permanent: true), key: second, at: now)
        #expect(try store.outbox(dead: true).first?.lastError == "410 gone")
        // A row delivered after failures keeps no old error.
        #expect(try store.retry(key: second))
        try await runtime.record(.delivered, key: second, at: now)
        let delivered = try #require(try store.outbox(dead: false).first { $0.key == second })
        #expect(delivered.state == .delivered && delivered.attempts == 11 && delivered.lastError == nil)
    }

    @Test("Queries: log by contact, workflow, status, since, limit; enrollments by state; stats; prune")
    func queries() async throws {
        let store = try StoreFixture.store()
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start, contact: "c-1"))
        try await runtime.ingest(StoreFixture.tagged("ev-2", at: StoreFixture.start.adding(.seconds(86_400)), contact: "c-2"))
        try await runtime.advance(to: StoreFixture.start.adding(.seconds(3 * 86_400)))
        #expect(try store.log(LogQuery(contactID: "c-2", status: .entered)).count == 1)
        #expect(try store.log(LogQuery(workflowID: "w")).count == store.log(LogQuery()).filter { $0.record.compactText.contains("\"workflow\":\"w\"") }.count)
        #expect(try store.log(LogQuery(since: StoreFixture.start.adding(.seconds(86_400)))).allSatisfy { !$0.record.compactText.contains("\"contact\":\"c-1\",\"enrollment\":\"e-1\",\"message\":\"w: c-1 entered") })
        let limited = try store.log(LogQuery(limit: 2))
        let all = try store.log(LogQuery())
        #expect(limited.map(\.sequence) == all.suffix(2).map(\.sequence))
        #expect(try store.enrollments(EnrollmentQuery(state: .finished)).map(\.enrollment.contactID) == ["c-1"])
        #expect(try store.enrollments(EnrollmentQuery(state: .waiting)).map(\.enrollment.contactID) == ["c-2"])
        let stats = try store.stats()
        #expect(stats.map(\.workflowID) == ["w"])
        #expect(stats.first.map { ($0.entered, $0.completed, $0.waiting, $0.effectsByKind["send-email"]) } ?? (0, 0, 0, nil) == (2, 1, 1, 1))
        let pruned = try store.prune(before: StoreFixture.start.adding(.seconds(10 * 86_400)))
        #expect(pruned.enrollments == 1 && pruned.logRows == all.count)
        #expect(try store.enrollments(EnrollmentQuery()).map(\.enrollment.contactID) == ["c-2"], "running enrollments are kept")
        // The processed ids are kept: the pruned event is still a duplicate.
        #expect(try await runtime.ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start.adding(.seconds(3 * 86_400)), contact: "c-1")).map(\.status) == [.duplicate])
    }
}
