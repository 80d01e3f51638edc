import Foundation
import PurchaseActions

/// Runs a legacy account's purchase actions for three buyers who pay at the same moment, then a
/// month of follow-ups, and prints why each workflow ran and what to deliver.
@main
struct MyApp {
    static func main() async throws {
        // What the engine runs for one account, from its legacy export: the file given, or the
        // package's bundled one, found from the current folder (this package's checkout, a checkout
        // next to yours, or the one SwiftPM made for the URL dependency).
        let bundled = "Fixtures/exports/course-creator.xml"
        let exportFile = CommandLine.arguments.dropFirst().first
            ?? ["", "../PurchaseActions/", ".build/checkouts/PurchaseActions/"].map { $0 + bundled }
            .first { FileManager.default.fileExists(atPath: $0) } ?? bundled
        let automation = try Automation(exportFile: exportFile)

        // The engine actor: it owns the engine and its in-memory stores. Time is what you say it is.
        let opening = Instant(try Date("2025-03-03T16:00:00Z", strategy: .iso8601))
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

        // A month passes: the waits of the follow-up sequences come due.
        await runtime.advance(to: opening.adding(seconds: 30 * 86_400))

        // The why-log: each workflow a buyer entered, and the trigger and filters that let them in.
        for record in await runtime.log where record.status == .entered {
            print(record.message)
            if let why = record.why { print("  why:", why.canonicalText) }
        }

        // The effects to deliver, in order; each external one carries its idempotency key.
        for effect in await runtime.takeEffects() where effect.isExternal {
            print(effect.kind, effect.idempotencyKey ?? "", effect.deliverAt.map { "at \($0)" } ?? "now")
        }
    }

    /// A first payment in the cart for the course creator's basic course (Docs/events.md).
    static func purchase(by buyer: String, at instant: Instant) -> String {
        #"{"id":"buy-\#(buyer)","type":"payment.succeeded","occurredAt":"\#(instant)","contact":{"firstName":"\#(buyer)","lastName":"Example","email":"\#(buyer)@example.com"},"order":{"id":"order-\#(buyer)","source":"cart","lines":[{"product":"prod-foundations-basic","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":19700,"currency":"USD"}}}"#
    }
}
