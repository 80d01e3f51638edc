// The samples added by issue 11's engine, Codable and command-line work (Docs/engine.md, the engine
// catalogue, and `///` comments of Instant+Date, ActionResult+Codable, Contact+Codable and
// WorkflowRuntime), compiled; MergedAPISampleTests runs them and checks what their comments claim.
// Parameters give a fragment what it names; lines after it return or print what it declares.
import Foundation
import PurchaseActions

/// Docs/engine.md, "Making an engine".
func makingAnEngineSample(document: ExportDocument, workflows: [Workflow], start: Instant) throws -> [Engine] {
    // From an export: workflows, plans and account profile wired.
    let engine = try Engine(Automation(migrating: document.account), start: start)
    // From workflows alone: no plans, no profile (owner.* and company.* render as nothing).
    let bare = try Engine(workflows: workflows, start: start)
    // Options and ports are labelled and defaulted: give only what you change.
    let outbox = RecordingEffectSink()
    let quiet = try Engine(
        Automation(migrating: document.account), start: start, options: Engine.Options(keepsLog: false),
        ports: Engine.Ports(effects: outbox))
    return [engine, bare, quiet]
}

/// Docs/engine.md, "The engine actor".
func engineActorSample(document: ExportDocument, start: Instant, events: [Event], now: Instant, deliver: (Effect) -> Void) async throws -> [String] {
    let runtime = try WorkflowRuntime(Automation(migrating: document.account), start: start)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for event in events { group.addTask { try await runtime.ingest(event) } }
        try await group.waitForAll()
    }
    await runtime.advance(to: now)                       // on a timer, with the wall clock's time
    for effect in await runtime.takeEffects() where effect.isExternal {
        deliver(effect)                                  // effect.idempotencyKey drops duplicates
    }
    let why = await runtime.log.map(\.message)
    return why
}

/// Docs/engine.md, "Finding a contact".
func findingAContactSample(engine: Engine) -> (Contact?, Contact?) {
    let dana = engine.contact(matching: ContactMatch(firstName: "Dana", lastName: "Whitfield", email: "dana@example.com"))
    let same = engine.contact(id: dana!.id)           // by id: as the directory holds it now
    return (dana, same)
}

/// Docs/engine.md, "Events built in code": throws what its comment says.
func eventsBuiltInCodeSample(engine: Engine, now: Instant) throws {
    let bare = Event(id: "e1", type: .paymentSucceeded, occurredAt: now, contact: ContactReference(id: "c-1"))
    try engine.ingest(bare)
    // EngineError invalid-event, jsonPath $:
    // event 'e1' is not a valid payment.succeeded event: $: a payment.succeeded event requires 'order'
}

/// Docs/engine.md, "The execution log": an outbox of effects stored as JSON.
func outboxSample(engine: Engine) throws -> [Effect] {
    let outbox = try JSONEncoder().encode(engine.log.compactMap(\.effect).filter(\.isExternal))
    let effects = try JSONDecoder().decode([Effect].self, from: outbox)
    return effects
}

/// Instant+Date.swift: `Date(_ instant:)`.
func dateOfInstantSample(event: Event) -> String {
    let shown = Date(event.occurredAt).formatted()
    return shown
}

/// ActionResult+Codable.swift: the JSON form, `init(json:)`, and Codable.
func actionResultSamples(result: ActionResult, data: Data, engine: Engine, id: String) throws -> (line: String, read: ActionResult, decoded: [ActionResult], body: Data) {
    let line = result.json.compactText   // {"action":"add-tag","isError":false,"message":"as-course-access.tag: add tag tag-student"}
    do {
        let result = try ActionResult(json: JSONValue.parse(#"{"action":"legacy","message":"m","isError":false}"#))
        let results = try JSONDecoder().decode([ActionResult].self, from: data)
        let body = try JSONEncoder().encode(try engine.runActionSet("as-vip", contactID: id))
        return (line, result, results, body)
    }
}

/// Contact+Codable.swift: the JSON form, `init(json:)`, and Codable.
func contactSamples(contact: Contact, directory: InMemoryContactDirectory) throws -> (line: String, read: Contact, saved: Data, reloaded: [Contact]) {
    let line = contact.json.compactText   // {"createdAt":"2025-01-14T17:03:25Z","fields":{"FirstName":"Dana"},"id":"c-1","tags":["tag-vip"]}
    do {
        let contact = try Contact(json: JSONValue.parse(#"{"id":"c-1","fields":{},"tags":[],"createdAt":"2025-01-01T00:00:00Z"}"#))
        let saved = try JSONEncoder().encode(directory.all)
        let contacts = try JSONDecoder().decode([Contact].self, from: saved)
        return (line, contact, saved, contacts)
    }
}

/// WorkflowRuntime.swift: the actor from many tasks.
func workflowRuntimeDocSample(account: LegacyAccount, start: Instant, events: [Event], deliver: (Effect) -> Void) async throws -> WorkflowRuntime {
    let runtime = try WorkflowRuntime(Automation(migrating: account), start: start)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for event in events { group.addTask { try await runtime.ingest(event) } }
        try await group.waitForAll()
    }
    for effect in await runtime.takeEffects() where effect.isExternal { deliver(effect) }
    return runtime
}
