import Foundation
import PurchaseActions

/// Runs a legacy export's purchase actions for buyers who pay at the same moment, then two weeks of
/// follow-ups; returns why each buyer entered each workflow, and the effects to deliver.
func runPurchases(exportFile: String, buyers: [String]) async throws -> (why: [String], delivered: [Effect]) {
    // An automation: the export's workflows, which product each plan sells, the company and users.
    let automation = try Automation(exportFile: exportFile)

    // The engine actor, its clock at the opening. Only events and advance(to:) move it.
    let opening = Instant(try Date("2025-03-28T18:40:00Z", strategy: .iso8601))
    let runtime = try WorkflowRuntime(automation, start: opening)

    // Every buyer pays at the opening, each from its own task; the actor takes one event at a time.
    try await withThrowingTaskGroup(of: Void.self) { group in
        for buyer in buyers {
            group.addTask {
                let event = try Event.load(Data(purchaseEvent(by: buyer, at: opening).utf8))
                try await runtime.ingest(event)
            }
        }
        try await group.waitForAll()
    }

    // Two weeks pass: every wait due by then fires, in time order (the follow-up lessons go out).
    await runtime.advance(to: opening + .seconds(14 * 86_400))

    // The why-log: who entered which workflow, and the trigger and filters that let them in.
    var why: [String] = []
    for record in await runtime.log where record.status == .entered {
        why.append(record.message + " " + (record.why?.canonicalText ?? ""))
    }

    // The effects recorded since the last take, in order: deliver the external ones.
    var delivered: [Effect] = []
    for effect in await runtime.takeEffects() where effect.isExternal {
        delivered.append(effect)   // send it, keyed by effect.idempotencyKey, at effect.deliverAt or now
    }
    return (why, delivered)
}

/// A first payment in the cart for a coffee grinder and a dripper (events format v1).
func purchaseEvent(by buyer: String, at instant: Instant) -> String {
    #"{"id":"buy-\#(buyer)","type":"payment.succeeded","occurredAt":"\#(instant)","contact":{"firstName":"\#(buyer)","lastName":"Example","email":"\#(buyer)@example.com"},"order":{"id":"order-\#(buyer)","source":"cart","lines":[{"product":"prod-grinder","quantity":1},{"product":"prod-dripper","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":10600,"currency":"EUR"}}}"#
}
