// The sample of Sources/PurchaseActionsEngine/PurchaseActionsEngine.docc/PurchaseActionsEngine.md, compiled.
import PurchaseActions

/// Runs a migration's workflows on one event, a month of waits and a legacy action-set call.
func runMigration(_ migration: Migration, firstEvent: Event, contactID: String) throws -> [ActionResult] {
    let engine = try Engine(workflows: migration.workflows, start: firstEvent.occurredAt)
    try engine.ingest(firstEvent)
    engine.advance(to: firstEvent.occurredAt.adding(seconds: 30 * 86_400))
    return try engine.runActionSet("as-masterclass", contactID: contactID)
}
