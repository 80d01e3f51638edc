import Foundation
import PurchaseActions
import PurchaseActionsDelivery
import PurchaseActionsSQLite
import Testing

/// The compiled copies of the `///` samples of `PurchaseActionsSQLite` (the doc-sample check finds
/// each block here, line for line), run against a scratch database.
@Suite("Docs: the durable runtime's doc-comment samples")
struct DurableDocCommentExamples {
    static let now = Instant.parseRFC3339("2025-03-01T09:00:00Z")!.instant

    static func scratch() -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pa-docs-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(SQLiteStore.defaultFileName).path
    }

    static func event(_ id: String) -> Event {
        var event = Event(id: id, type: .tagAdded, occurredAt: now, contact: ContactReference(id: "c-1"))
        event.tag = "vip"
        return event
    }

    /// SQLiteStore's and DurableRuntime's overview samples, and the store's calls.
    @Test("The store's samples run: publish, ingest, save contacts, read the log, deliver what is due")
    func storeSamples() async throws {
        let path = Self.scratch()
        let automation = Automation(workflows: [])
        let now = Self.now
        let event = Self.event("ev-1")
        let events = [Self.event("ev-2"), Self.event("ev-3")]
        let recording = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("deliveries.jsonl").path
        let deliverer = try RecordingDeliverer(path: recording)

        do {
            let store = try SQLiteStore(path: path)   // SQLiteStore.defaultFileName in the working folder, by default
            let result = try store.publish(automation, at: now)
            let runtime = try DurableRuntime(store: store)
            try await runtime.ingest(event)       // returns once the event's effects are committed
            #expect(result.workflows.isEmpty)
        }
        do {
            let store = try SQLiteStore(path: path)
            _ = try store.publish(automation, at: now)
            try store.finish()    // a checkpoint's failure after the last commit is thrown here
        }
        do {
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
            try store.save(contacts: [Contact(id: "c-1", fields: ["Email": "a@example.com"], createdAt: now)])
            for row in try store.log(LogQuery(contactID: "c-1")) { print(row.record.compactText) }
            #expect(try store.contact(id: "c-1")?.fields["Email"] == "a@example.com")
            let check = try store.checkEnrollments(dryRun: true)
            for finding in check.findings { print(finding.enrollmentID, finding.problem) }
            #expect(check.checked == 0 && check.findings.isEmpty, "no workflow here: no enrollment")
            let restored = try store.restoreEnrollment(id: "e-1", dryRun: false)
            #expect(restored == nil, "no such enrollment here")
        }
    }

    /// `SQLiteStore.publish`'s sample, on a folder of workflow files.
    static func publishSample(store: SQLiteStore, folder: String, now: Instant) throws {
        let result = try store.publish(try LoadedAutomation(folder: folder).automation, at: now)
        for entry in result.workflows { print(entry.id, entry.change, entry.number) }
    }
}
