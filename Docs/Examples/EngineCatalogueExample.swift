// The samples of Sources/PurchaseActionsEngine/PurchaseActionsEngine.docc/PurchaseActionsEngine.md,
// compiled; CatalogueExampleTests runs them.
import PurchaseActions

/// Runs an account's workflows on one event, a month of waits and a legacy action-set call for the
/// buyer, found by the legacy match on name and email.
func runMigration(_ account: LegacyAccount, firstEvent: Event) throws -> [ActionResult] {
    let engine = try Engine(Automation(migrating: account), start: firstEvent.occurredAt)
    try engine.ingest(firstEvent)
    engine.advance(to: firstEvent.occurredAt.adding(seconds: 30 * 86_400))
    let match = ContactMatch(firstName: "Dana", lastName: "Whitfield", email: "dana@example.com")
    guard let buyer = engine.contact(matching: match) else { return [] }
    return try engine.runActionSet("as-vip", contactID: buyer.id)
}

/// Runs events from many tasks at once and returns the effects to deliver.
func ingestAll(account: LegacyAccount, start: Instant, events: [Event]) async throws -> [Effect] {
    let runtime = try WorkflowRuntime(Automation(migrating: account), start: start)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for event in events { group.addTask { try await runtime.ingest(event) } }
        try await group.waitForAll()
    }
    return await runtime.takeEffects()
}
