import Foundation
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
import PurchaseActionsSQLite
import Testing

/// The ```swift blocks of PurchaseActionsSQLite's doc comments, line for line, compiled and run.
@Suite("PurchaseActionsSQLite: the doc comments' samples compile and run")
struct DocSampleTests {
    /// A deliverer that says every message was delivered.
    struct Accepting: Deliverer {
        func deliver(_ message: OutboxMessage) async -> DeliveryOutcome { .delivered }
    }

    /// SQLiteStore's sample.
    static func storeSample(path: String, automation: Automation, now: Instant, event: Event) async throws -> PublishResult {
        let store = try SQLiteStore(path: path)   // SQLiteStore.defaultFileName in the working folder, by default
        let result = try store.publish(automation, at: now)
        let runtime = try DurableRuntime(store: store)
        try await runtime.ingest(event)       // returns once the event's effects are committed
        return result
    }

    /// DurableRuntime's sample.
    static func runtimeSample(path: String, events: [Event], now: Instant, deliverer: some Deliverer) async throws {
        let store = try SQLiteStore(path: path)
        let runtime = try DurableRuntime(store: store)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for event in events { group.addTask { try await runtime.ingest(event) } }   // committed together
            try await group.waitForAll()
        }
        try await runtime.advance(to: now)                                      // due wake-ups fire
        for message in try await runtime.dueDeliveries(at: now, limit: 100) {
            try await runtime.record(await deliverer.deliver(message), key: message.key, at: now)
        }
    }

    /// publish, log and save(contacts:) samples.
    static func querySamples(store: SQLiteStore, folder: String, now: Instant) throws -> PublishResult {
        try store.save(contacts: [Contact(id: "c-1", fields: ["Email": "a@example.com"], createdAt: now)])
        let result = try store.publish(try LoadedAutomation(folder: folder).automation, at: now)
        for entry in result.workflows { print(entry.id, entry.change, entry.number) }
        for row in try store.log(LogQuery(contactID: "c-1")) { print(row.record.compactText) }
        return result
    }

    @Test("The samples run: published, ingested, delivered")
    func samplesRun() async throws {
        let path = StoreFixture.temporaryPath()
        let now = StoreFixture.start
        let published = try await Self.storeSample(
            path: path, automation: Automation(workflows: [StoreFixture.waitThenMail(days: 0)]), now: now, event: StoreFixture.tagged("ev-1", at: now))
        #expect(published.workflows.map(\.change) == [.new])
        let events = (2...4).map { StoreFixture.tagged("ev-\($0)", at: now, contact: "c-\($0)") }
        try await Self.runtimeSample(path: path, events: events, now: now, deliverer: Accepting())
        let store = try SQLiteStore(path: path)
        #expect(try store.outbox(dead: false).map(\.state) == Array(repeating: .delivered, count: 4))
        let folder = StoreFixture.root.appendingPathComponent("Fixtures/expected/course-creator").path
        let result = try Self.querySamples(store: store, folder: folder, now: now)
        #expect(result.workflows.count > 5 && result.workflows.allSatisfy { $0.change == .new })
        #expect(try store.contact(id: "c-1")?.fields["Email"] == "a@example.com")
    }
}
