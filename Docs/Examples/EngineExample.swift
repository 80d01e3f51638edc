// The example of Docs/engine.md, "From Swift", compiled and run by the tests (target
// DocsExampleTests). Keep the two the same: DocSamplesTests checks every sample is in a compiled file.
import PurchaseActions

/// Compiles a bundled export, runs a purchase through it and a legacy runActionSequence call, and
/// returns what happened.
func engineExample(root: String) throws -> (log: [String], results: [ActionResult]) {
    // 1. Workflows: compile an export (or load workflow files with Workflow.load).
    let document = try ExportReader().read(file: root + "/Fixtures/exports/course-creator.xml")
    let workflows = LegacyCompiler.compile(document.account).workflows

    // 2. An engine on a virtual clock, with in-memory contacts and a recording outbox.
    let contacts = InMemoryContactDirectory()
    let outbox = RecordingEffectSink()
    let start = Instant.parseRFC3339("2025-03-03T09:00:00-07:00")!.instant
    let engine = try Engine(workflows: workflows, start: start, ports: Engine.Ports(contacts: contacts, effects: outbox))

    // 3. An event: a first payment in the cart, by a new buyer.
    let line = #"{"id":"evt-1","type":"payment.succeeded","occurredAt":"2025-03-03T09:15:00-07:00","contact":{"firstName":"Dana","lastName":"Whitfield","email":"dana@example.com"},"order":{"id":"o-1","source":"cart","lines":[{"product":"prod-foundations-basic","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":19700,"currency":"USD"}}}"#
    try engine.ingest(Event.load(Array(line.utf8)))

    // 4. Time passes: fire every wait due in the next 30 days.
    engine.advance(to: start.adding(seconds: 30 * 86_400))

    // 5. The legacy API call existing apps make: run an action set for a contact.
    let contactID = engine.contact(matching: ContactMatch(firstName: "Dana", lastName: "Whitfield", email: "dana@example.com"))!.id
    let results = try engine.runActionSet("as-masterclass", contactID: contactID)

    return (engine.log.map(\.message), results)
}
