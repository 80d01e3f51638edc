// The samples of Sources/PurchaseActionsSQLite/PurchaseActionsSQLite.docc and
// Sources/PurchaseActionsDelivery/PurchaseActionsDelivery.docc, compiled here (DocSamplesTests finds
// them): this app package depends on both modules' products as an app adds them. Not run.
import PurchaseActions
import PurchaseActionsDelivery
import PurchaseActionsSQLite

/// Publishes an account's workflows to the database at `path`, runs the events on them (each
/// committed before `ingest` returns), fires the waits due by `now` and delivers the outbox.
func runDurably(_ automation: Automation, events: [Event], start: Instant, now: Instant,
                path: String, deliverer: some Deliverer) async throws -> PublishResult {
    let store = try SQLiteStore(path: path)
    let published = try store.publish(automation, at: start)
    let runtime = try DurableRuntime(store: store)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for event in events { group.addTask { try await runtime.ingest(event) } }
        try await group.waitForAll()
    }
    try await runtime.advance(to: now)
    for message in try await runtime.dueDeliveries(at: now, limit: 100) {
        try await runtime.record(await deliverer.deliver(message), key: message.key, at: now)
    }
    return published
}

/// What the store holds for one contact: its enrollments and its last log records.
func history(of contactID: String, in store: SQLiteStore) throws -> (enrollments: [StoredEnrollment], log: [StoredLogRecord]) {
    let enrollments = try store.enrollments(EnrollmentQuery(contactID: contactID))
    let log = try store.log(LogQuery(contactID: contactID, limit: 50))
    return (enrollments, log)
}

/// Hands every outbox message due by `now` to the deliverer and records each outcome.
func deliverAll(from runtime: DurableRuntime, to deliverer: some Deliverer, now: Instant) async throws {
    for message in try await runtime.dueDeliveries(at: now, limit: 100) {
        try await runtime.record(await deliverer.deliver(message), key: message.key, at: now)
    }
}

/// Delivers the due outbox with a recording file for a dry run, by JSON POST to the receiver otherwise.
func deliverDue(_ runtime: DurableRuntime, now: Instant, dryRun: Bool) async throws {
    if dryRun {
        let deliverer = try RecordingDeliverer(path: "deliveries.jsonl")
        try await deliverAll(from: runtime, to: deliverer, now: now)
    } else {
        let deliverer = try HTTPPostDeliverer(url: "https://hooks.example.com/purchase-actions",
                                              timeout: .seconds(10),
                                              headers: [("Authorization", "Bearer s3cret")])
        do {
            try await deliverAll(from: runtime, to: deliverer, now: now)
        } catch {
            try await deliverer.shutdown()
            throw error
        }
        try await deliverer.shutdown()   // once done: closes the connections
    }
}
