import CommandLineTesting
import Foundation
@testable import PurchaseActionsCLI
import PurchaseActionsCore
import PurchaseActionsSQLite
import Testing

/// Issue 14 leftovers: a typo in the gateway's host no longer holds every invoice open in silence.
@Suite("purchase-actions run: charges not sent are summed up (exit 75) and end at the invoice's age limit")
struct WorkerNotSentTests {
    @Test("a gateway host that does not resolve: the drain says how many charges are still not sent, since when and why, exit 75; past the age limit the invoices end, exit 0")
    func typoInTheGatewayHost() throws {
        let world = try DunningWorkerScene()
        defer { world.remove() }
        let policy = world.scene.folder.appendingPathComponent("policy/dunning-policy.yaml")
        try (try String(contentsOf: policy, encoding: .utf8) + "maxInvoiceAgeMonths: 1\n").write(to: policy, atomically: true, encoding: .utf8)
        #expect(try world.run(["publish", "policy"]).status == 0)
        let typo = "http://billing.gateway.invalid/charges"

        let down = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-04T12:30:00Z", "--gateway", typo])
        #expect(down.status == 75, "\(down.errors)")
        #expect(down.output.contains(" not sent (the gateway was not reached: tried again later)"), "\(down.output)")
        // Charges tried before the breaker paused charging; wd-inv-1's, due first, is one of them.
        #expect(down.output.contains(" still not sent, due since 2026-03-04T09:00:00Z (last reason: cannot connect to \(typo): "), "\(down.output)")
        #expect(down.output.contains("): tried again by the next run (exit 75)"), "\(down.output)")
        #expect(down.output.split(separator: "\n").count == 1, "one summary line")

        // A month on, still unreachable: each invoice past its age limit (2026-04-02/03) is skipped,
        // then final, at its next try; their rows are closed, nothing is left not sent. (The breaker
        // lets one trial through per pause once it is open: a run may leave some for the next.)
        let month = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-04-10T00:00:00Z", "--gateway", typo])
        #expect(month.status == 0 || month.status == 75, "\(month.errors)")
        #expect(month.errors.contains("its invoice is no longer charged (past its age limit"), "\(month.errors)")
        let late = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-04-11T00:00:00Z", "--gateway", typo])
        #expect(late.status == 0, "\(late.output) \(late.errors)")
        #expect(!late.output.contains("still not sent"), "\(late.output)")
        let invoices = try world.invoices()
        for id in ["wd-inv-1", "wd-inv-2", "wd-inv-4"] {
            #expect(invoices[id]?["status"] as? String == "final", "\(id): \(invoices[id] ?? [:])")
            let timeline = try world.timeline(id)
            let kinds = timeline.compactMap { $0["kind"] as? String }
            // skipped (too old, never sent), final, then the final action's staff task.
            #expect(Array(kinds.suffix(3)) == ["skipped", "final", "task"], "\(id): \(kinds)")
            #expect(WorkerDunningEndToEndTests.attempts(timeline).isEmpty, "\(id): nothing was charged")
        }
        let pending = try DurableScene.objects(try world.run(["outbox", "--pending", "--json"]).output).filter { $0["kind"] as? String == "charge" }
        #expect(pending.isEmpty, "\(pending)")
    }

    @Test("the summary's words: none says nothing; one charge, a reason with control characters escaped")
    func summaryWords() {
        #expect(Worker.notSentSummary(NotSentCharges(count: 0, since: nil, lastReason: nil)) == "")
        let one = Worker.notSentSummary(
            NotSentCharges(count: 1, since: Instant.parseRFC3339("2026-03-04T09:00:00Z")!.instant, lastReason: "refused\u{1B}[31m\nnext"))
        #expect(one.hasPrefix("; 1 charge still not sent, due since 2026-03-04T09:00:00Z (last reason: refused"), "\(one)")
        #expect(!one.contains("\u{1B}") && !one.contains("\n"), "\(one)")
    }
}
