import Foundation
import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

/// Issue 13: a runtime loads the current versions and the earlier ones running enrollments are
/// on, not every version ever published; delivery outcomes of a batch commit together; the
/// runtime's transactions run off the cooperative pool.
@Suite("Durable runtime: versions loaded, outcomes recorded, where commits run")
struct RuntimeLoadingTests {
    /// `called`: wait `days` days, then tag `t`; `caller`: on a tag, call `called`, then email.
    static func calling(days: Int, tag: String) -> [Workflow] {
        var settings = WorkflowSettings(accountTimezone: "UTC")
        settings.allowReentry = true
        let called = Workflow(
            id: "called", name: "called", priority: 10, triggers: [],
            steps: [
                Step(id: "pause", .wait(.delay(Delay(days: days), calendarDays: false, at: nil, from: .now))),
                Step(id: "tagging", .action(.addTag(tagID: tag))),
            ], settings: settings)
        let mail = EmailMessage(to: .contact, from: Sender(name: "Shop", address: "shop@example.com"), subject: "Hi", text: "Hi")
        let caller = Workflow(
            id: "caller", name: "caller", priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])],
            steps: [Step(id: "into", .call(workflowID: "called")), Step(id: "mail", .action(.sendEmail(mail)))], settings: settings)
        return [caller, called]
    }

    @Test("40 stored versions, enrollments on 3 and 17: the runtime loads the current version and those two; the pinned ones run")
    func pinnedVersionsOnly() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(subject: "v1")])
        for number in 2...40 {
            _ = try store.publish(Automation(workflows: [StoreFixture.waitThenMail(subject: "v\(number)")]), at: StoreFixture.start)
            if number == 3 || number == 17 {
                try await DurableRuntime(store: store).ingest(StoreFixture.tagged("ev-\(number)", at: StoreFixture.start, contact: "c-\(number)"))
            }
        }
        let loaded = try store.read("load") { db in try SQLiteStore.loadRunning(db) }
        #expect(loaded.current.map(\.workflow.version) == [40])
        #expect(loaded.earlier.map(\.workflow.version) == [3, 17])
        let all = try store.read("load") { db in try SQLiteStore.loadPublished(db) }
        #expect(all.earlier.count == 39, "the store keeps every version")
        let runtime = try DurableRuntime(store: store)
        let records = try await runtime.advance(to: StoreFixture.start.adding(.seconds(4 * 86_400)))
        let subjects = try store.outbox(dead: false).map { $0.details.compactText }
        #expect(records.filter { $0.status == .finished }.count == 2)
        #expect(subjects.count == 2 && subjects[0].contains("\"v3\"") && subjects[1].contains("\"v17\""), "\(subjects)")
        #expect(!records.contains { $0.status == .error })
    }

    @Test("An enrollment inside a call on an earlier version of the called workflow: that version is loaded, and it goes on there")
    func calledEarlierVersion() async throws {
        let store = try StoreFixture.store(Self.calling(days: 2, tag: "old"))
        try await DurableRuntime(store: store).ingest(StoreFixture.tagged("ev-1", at: StoreFixture.start))
        // Publish a new `called` (version 2) while e-1 waits inside version 1 of it.
        _ = try store.publish(Automation(workflows: Self.calling(days: 2, tag: "new")), at: StoreFixture.start)
        let loaded = try store.read("load") { db in try SQLiteStore.loadRunning(db) }
        #expect(loaded.earlier.map { "\($0.workflow.id) v\($0.workflow.version)" } == ["called v1"], "the caller has one version, the called two")
        let runtime = try DurableRuntime(store: store)
        let records = try await runtime.advance(to: StoreFixture.start.adding(.seconds(3 * 86_400)))
        #expect(!records.contains { $0.status == .error }, "\(records.map(\.json.compactText))")
        #expect(records.contains { $0.status == .finished && $0.workflowID == "caller" })
        let contact = try store.read("contact") { db in try String.fetchOne(db, sql: "SELECT json FROM contact WHERE id = 'c-1'") } ?? ""
        #expect(contact.contains("\"old\"") && !contact.contains("\"new\""), "it ran on the version it was in: \(contact)")
    }

    @Test("A batch's delivery outcomes commit in one transaction; only pending rows change")
    func outcomesInOneCommit() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(days: 0)])
        let runtime = try DurableRuntime(store: store)
        for number in 0..<20 { try await runtime.ingest(StoreFixture.tagged("ev-\(number)", at: StoreFixture.start, contact: "c-\(number)")) }
        let due = try await runtime.dueDeliveries(at: StoreFixture.start, limit: 100)
        #expect(due.count == 20)
        let observer = CommitCounter()
        store.queue.add(transactionObserver: observer, extent: .databaseLifetime)
        var outcomes: [(key: String, outcome: DeliveryOutcome)] = due.prefix(15).map { ($0.key, .delivered) }
        outcomes += due.suffix(5).map { ($0.key, DeliveryOutcome.failed(reason: "503", permanent: false)) }
        outcomes.append(("no-such-key", .delivered))
        try await runtime.record(outcomes, at: StoreFixture.start)
        #expect(observer.commits == 1, "one commit for 21 outcomes")
        let rows = try store.outbox(dead: false)
        #expect(rows.filter { $0.state == .delivered }.count == 15)
        #expect(rows.filter { $0.state == .pending && $0.attempts == 1 && $0.lastError == "503" }.count == 5)
        #expect(try store.outboxCount(state: .delivered) == 15 && store.outboxCount(state: .pending, kind: "send-email") == 5)
        #expect(try store.outboxCount(state: .pending, kind: "charge") == 0 && store.outboxCount(state: .dead) == 0)
        // Recorded again, a delivered row is left as it is (not pending any more).
        try await runtime.record([(due[0].key, .failed(reason: "late", permanent: true))], at: StoreFixture.start)
        #expect(try store.outbox(state: .delivered, last: nil).count == 15)
    }

    @Test("A failed commit of outcomes keeps none of them: the rows stay pending and are delivered again with their keys")
    func outcomesAllOrNothing() async throws {
        let store = try StoreFixture.store([StoreFixture.waitThenMail(days: 0)])
        let runtime = try DurableRuntime(store: store)
        for number in 0..<3 { try await runtime.ingest(StoreFixture.tagged("ev-\(number)", at: StoreFixture.start, contact: "c-\(number)")) }
        let due = try await runtime.dueDeliveries(at: StoreFixture.start, limit: 100)
        // The third update fails (a trigger standing for a failing disk).
        try StoreFixture.execute(store) { db in
            try db.execute(
                sql: "CREATE TRIGGER fail AFTER UPDATE ON outbox WHEN (SELECT count(*) FROM outbox WHERE state = 'delivered') >= 3 BEGIN SELECT RAISE(ABORT, 'disk'); END")
        }
        await #expect(throws: StoreError.self) { try await runtime.record(due.map { ($0.key, .delivered) }, at: StoreFixture.start) }
        #expect(try store.outbox(state: .pending, last: nil).count == 3, "none kept")
        #expect(try await runtime.dueDeliveries(at: StoreFixture.start, limit: 100).map(\.key) == due.map(\.key))
    }

    @Test("The runtime's transactions run on its own queue, not on Swift's cooperative pool")
    func ownQueue() async throws {
        let runtime = try DurableRuntime(store: try StoreFixture.store())
        #expect(await runtime.runsOnOwnQueue())
        #expect(!RuntimeExecutor.isCurrent, "the test itself is not on it")
        // Many callers at once still commit together and are all acknowledged.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<50 {
                group.addTask { try await runtime.ingest(StoreFixture.tagged("ev-\(number)", at: StoreFixture.start, contact: "c-\(number)")) }
            }
            try await group.waitForAll()
        }
        #expect(try runtime.store.enrollments(EnrollmentQuery()).count == 50)
    }
}
