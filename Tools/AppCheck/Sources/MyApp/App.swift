import Foundation
import PurchaseActions

/// Runs a coffee shop's legacy purchase actions for three buyers who pay at the same moment, lets two
/// weeks of its Brew School follow-up pass, and prints why each workflow ran and what to deliver.
@main
struct MyApp {
    static func main() async throws {
        // What the engine runs for one account, from its legacy export: the file given, else the
        // bundled coffee shop of the PurchaseActions checkout next to this package.
        let exportFile = CommandLine.arguments.dropFirst().first ?? "../PurchaseActions/Fixtures/exports/physical-goods-store.xml"
        let automation = try Automation(exportFile: exportFile)

        // The engine actor: it owns the engine and its in-memory stores. Time is what you say it is.
        let opening = Instant(try Date("2025-03-28T18:40:00Z", strategy: .iso8601))
        let runtime = try WorkflowRuntime(automation, start: opening)

        // Three buyers pay at the same moment, each from its own task.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for buyer in ["ana", "ben", "chloe"] {
                group.addTask {
                    let event = try Event.load(Data(purchase(by: buyer, at: opening).utf8))
                    try await runtime.ingest(event)
                }
            }
            try await group.waitForAll()
        }

        // Two weeks pass: each Brew School lesson waits for its day (in the account's timezone), then
        // goes out. A live app calls advance(to:) with the wall clock's time, on a timer.
        await runtime.advance(to: opening + .seconds(14 * 86_400))

        // The why-log: each workflow a buyer entered, and the trigger and filters that let them in.
        for record in await runtime.log where record.status == .entered {
            print(record.message)
            if let why = record.why { print("  why:", why.canonicalText) }
        }

        // What to deliver, in order: emails, notifications, webhooks. Each carries an idempotency
        // key, so a receiver that sees one twice (after a retry) acts once.
        for effect in await runtime.takeEffects() where effect.isExternal {
            print(effect.kind, effect.idempotencyKey ?? "")
        }
    }

    /// A first payment in the cart for a grinder and a dripper (Docs/events.md).
    static func purchase(by buyer: String, at instant: Instant) -> String {
        #"{"id":"buy-\#(buyer)","type":"payment.succeeded","occurredAt":"\#(instant)","contact":{"firstName":"\#(buyer)","lastName":"Example","email":"\#(buyer)@example.com"},"order":{"id":"order-\#(buyer)","source":"cart","lines":[{"product":"prod-grinder","quantity":1},{"product":"prod-dripper","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":10600,"currency":"EUR"}}}"#
    }
}
