import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// What the timeline says (issue 14 review): a repeat after an unknown outcome is `repeat`, not
/// `skipped`; an attempt rule's entries name the failure and the attempt; an invoice id another
/// contact's failure reuses is refused, never merged.
@Suite struct DunningEntryWordsTests {
    typealias D = Dunning

    @Test func aChargeRepeatedAfterAnUnknownOutcomeIsLabelledRepeatNotSkipped() throws {
        let script = try D.script(#"{"format": 1, "default": {"outcome": "unknown", "lookup": "not-found"}}"#)
        let run = D.run(D.policy(), [D.failed("inv-1")], script: script)
        let repeats = run.entries.filter { $0.kind == .repeatCharge }
        #expect(repeats.count == 3, "\(run.entries.map(\.kind))")
        #expect(repeats.allSatisfy { $0.attempt == 2 && $0.detail.contains("charged again with the same key inv-1/attempt-2") })
        #expect(!run.entries.contains { $0.kind == .skipped && $0.detail.contains("charged again") })
        #expect(DunningEntry.Kind.repeatCharge.rawValue == "repeat")
    }

    @Test func anAttemptRuleNamesTheFailureAndTheAttemptThatMadeIt() {
        // lost_card blocks the card: attempt 2 is skipped (not a failure); a card update retries at
        // once and attempt 3 is the second failure: the rule `failed: 2` runs for attempt 3.
        let policy = D.policy { $0.attempts = [AttemptRule(attempt: 2, actions: [.task(title: "Call the customer", assignee: nil, dueInDays: 1)])] }
        let run = D.run(policy, [D.failed("inv-1", code: "lost_card"), D.cardUpdate(card: "card-2", at: D.at(days: 3, hours: 12))], until: D.at(days: 4))
        let task = run.entries.first { $0.kind == .task }
        #expect(task?.detail.hasSuffix("(failure 2 (attempt 3 failed))") == true, "\(String(describing: task?.detail))")
        // When the numbers agree the words are the plain ones.
        let plain = D.run(policy, [D.failed("inv-1")], until: D.at(days: 10))
        #expect(plain.entries.first { $0.kind == .task }?.detail.hasSuffix("(attempt 2 failed)") == true)
    }

    @Test func aFailureOfAnotherContactWithAnInvoiceIdInDunningIsRefused() {
        let events = [D.failed("inv-1", contact: "c-1"), D.failed("inv-1", attempt: 2, at: D.at(hours: 5), contact: "c-2")]
        let run = D.run(D.policy(), events, until: D.at(hours: 6))
        let refused = run.entries.first { $0.kind == .ignored }
        #expect(refused?.detail.hasPrefix("refused: invoice inv-1 is in dunning for contact c-1, but this failure names contact c-2") == true,
                "\(String(describing: refused))")
        let invoice = run.process.invoice("inv-1")
        #expect(invoice?.contact == "c-1" && invoice?.attemptsMade == 1 && invoice?.attemptsFailed == 1)
        #expect(!run.entries.contains { $0.kind == .reported })
        // The same contact's report is still recorded against the invoice.
        let same = D.run(D.policy(), [D.failed("inv-1"), D.failed("inv-1", attempt: 2, at: D.at(hours: 5))], until: D.at(hours: 6))
        #expect(same.entries.contains { $0.kind == .reported })
    }
}
