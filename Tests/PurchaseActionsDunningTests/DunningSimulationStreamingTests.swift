import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// `DunningSimulation.run(…, entry:)` (issue 14): the entries are handed out as they happen and
/// not kept; grouped by invoice they are exactly the timelines of the run held in memory.
@Suite struct DunningSimulationStreamingTests {
    typealias D = Dunning

    @Test func handedEntriesAreTheTimelinesAndNoneIsKept() throws {
        let script = try D.script(#"{"format": 1, "rules": [{"when": {"afterCardUpdate": true}, "answer": {"outcome": "approved"}}]}"#)
        let policy = D.policy { $0.retries = .gaps([.days(1), .days(1), .days(2)]) }
        var failures = DunningSimulationTests.failures
        // Several invoices of one card, interleaved with a card update: entries of many invoices alternate.
        for number in 10..<30 {
            failures.append(D.failed("inv-\(number)", at: D.at(hours: number), card: "card-9", contact: "c-9", subscription: "sub-\(number)"))
        }
        failures.append(D.cardUpdate(contact: "c-9", card: "card-9b", at: D.at(days: 2)))
        let held = DunningSimulation.run(policy: policy, failures: failures, script: script, calendar: D.utc)
        var handed: [DunningEntry] = []
        let streamed = DunningSimulation.run(policy: policy, failures: failures, script: script, calendar: D.utc) { handed.append($0) }
        #expect(streamed.invoices.allSatisfy { $0.entries.isEmpty })
        #expect(streamed.totals == held.totals)
        #expect(streamed.invoices.map(\.summary) == held.invoices.map(\.summary))
        #expect(handed.count == held.invoices.reduce(0) { $0 + $1.entries.count })
        var byInvoice: [String: [DunningEntry]] = [:]
        for entry in handed { byInvoice[entry.invoice, default: []].append(entry) }
        for timeline in held.invoices { #expect(byInvoice[timeline.invoice] == timeline.entries, "\(timeline.invoice)") }
        // Interleaved as they happened: not grouped by invoice.
        let switches = zip(handed, handed.dropFirst()).filter { $0.0.invoice != $0.1.invoice }.count
        #expect(switches > held.invoices.count, "\(switches)")
        #expect(streamed.totals.messages == held.totals.messages && streamed.totals.invoices == 25)
    }

    @Test func theBoundOfEntriesStopsAStreamedRunAsAHeldOne() {
        let failures = (0..<20).map { D.failed("inv-\($0)", contact: "c-\($0)", subscription: "sub-\($0)") }
        var count = 0
        let streamed = DunningSimulation.run(policy: D.policy(), failures: failures, calendar: D.utc, maxEntries: 25) { _ in count += 1 }
        let held = DunningSimulation.run(policy: D.policy(), failures: failures, calendar: D.utc, maxEntries: 25)
        #expect(streamed.stopped != nil && streamed.stopped == held.stopped)
        #expect(count == held.invoices.reduce(0) { $0 + $1.entries.count })
        #expect(count >= 25)
    }
}
