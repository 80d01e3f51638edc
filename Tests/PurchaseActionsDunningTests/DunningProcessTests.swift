import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

@Suite struct DunningProcessTests {
    typealias D = Dunning

    @Test func theDocCommentSampleRuns() throws {
        let policy = D.policy()
        let script = try D.script(#"{"format": 1, "rules": [{"when": {"attempt": 3}, "answer": {"outcome": "approved"}}]}"#)
        let failure = D.failed("inv-1")
        // The sample of DunningProcess's doc comment, as written there.
        var process = DunningProcess(policy: policy, calendar: ZonedCalendar(rules: .utc))
        var gateway = GatewaySimulator(script: script)
        var timeline = process.ingest(failure)  // started: attempt 1 failed
        while let time = process.nextDue {
            let requests = process.due(at: time)
            timeline += process.drainEntries()  // deferred, skipped, messages, stages, finals
            for request in requests {
                timeline += process.record(request, outcome: gateway.charge(request), at: time)
            }
        }
        #expect(timeline.map(\.kind) == [.started, .attempt, .attempt, .recovered])
    }

    @Test func legacyDefaultsAttemptAtDayZeroTwoAndFourThenFinal() {
        let run = D.run(D.policy(), [D.failed("inv-1")])
        #expect(run.charges.map(\.at) == [D.at(days: 2), D.at(days: 4)])
        #expect(run.charges.map(\.request.idempotencyKey) == ["inv-1/attempt-2", "inv-1/attempt-3"])
        let kinds = run.entries.map(\.kind)
        #expect(kinds == [.started, .attempt, .attempt, .final])
        #expect(run.entries.last?.at == D.at(days: 4))
        #expect(run.process.invoice("inv-1")?.status == .final)
        #expect(run.process.invoice("inv-1")?.finalKind == .keepPastDue)
        #expect(run.process.invoice("inv-1")?.attemptsFailed == 3)
    }

    @Test func hardDeclineIsNeverRetried() {
        let run = D.run(D.policy(), [D.failed("inv-1", code: "lost_card")])
        #expect(run.charges.isEmpty)
        let invoice = run.process.invoice("inv-1")
        #expect(invoice?.cardBlocked == true)
        #expect(invoice?.status == .final)
        // The planned attempts are skipped; the final action comes when the schedule's last attempt time passes.
        #expect(run.entries.filter { $0.kind == .skipped }.map(\.at) == [D.at(days: 2), D.at(days: 4)])
        #expect(run.entries.last?.kind == .final && run.entries.last?.at == D.at(days: 4))
    }

    @Test func hardDeclineOfARetryBlocksTheCard() throws {
        let script = try D.script(#"{"format": 1, "default": {"outcome": "declined", "declineCode": "stolen_card"}}"#)
        let run = D.run(D.policy { $0.retries = .gaps([.days(1), .days(1), .days(1)]) }, [D.failed("inv-1")], script: script)
        #expect(run.charges.count == 1)
        #expect(run.process.invoice("inv-1")?.lastDecline.declineClass == .hard)
    }

    @Test func adviceCode25RetriesAfter24Hours() throws {
        var process = DunningProcess(policy: D.policy(), calendar: D.utc)
        _ = process.ingest(D.failed("inv-1", at: D.at(hours: 3), code: "do_not_honor", advice: "25"))
        #expect(process.invoice("inv-1")?.lastDecline.declineClass == .retryAfter)
        #expect(process.nextDue == D.at(days: 1, hours: 3))
        // And after a retry declined with advice 25.
        let requests = process.due(at: D.at(days: 1, hours: 3))
        #expect(requests.count == 1)
        _ = process.record(requests[0], outcome: .declined(code: "do_not_honor", adviceCode: "25"), at: D.at(days: 1, hours: 3))
        #expect(process.nextDue == D.at(days: 2, hours: 3))
        // Advice 24 is one hour; a soft decline without advice waits the gap.
        let hour = D.run(D.policy(), [D.failed("inv-2", code: "do_not_honor", advice: "24")])
        #expect(hour.charges.first?.at == D.at(hours: 1))
    }

    /// After a card update the gateway declines softly (the default would decline as the first failure: expired again).
    static let softAfterUpdate = #"{"format": 1, "rules": [{"when": {"afterCardUpdate": true}, "answer": {"outcome": "declined", "declineCode": "insufficient_funds"}}]}"#

    @Test func aCardUpdateRetriesAtOnceAndStartsTheScheduleOver() throws {
        let events = [D.failed("inv-1", code: "expired_card"), D.cardUpdate(card: "card-2", at: D.at(days: 1))]
        let run = D.run(D.policy(), events, script: try D.script(Self.softAfterUpdate))
        // Blocked until the update, then retried at once on the new card; the schedule starts over from the update.
        #expect(run.charges.map(\.at) == [D.at(days: 1), D.at(days: 3), D.at(days: 5)])
        #expect(run.charges.allSatisfy { $0.request.card == "card-2" })
        #expect(run.charges.map(\.request.attempt) == [2, 3, 4])
        #expect(run.entries.contains { $0.kind == .cardUpdated && $0.at == D.at(days: 1) })
    }

    @Test func aCardUpdateWithoutResetTakesTheNextPlace() throws {
        let policy = D.policy { $0.cardUpdate = CardUpdateRule(retryImmediately: true, resetSchedule: false) }
        let run = D.run(policy, [D.failed("inv-1", code: "expired_card"), D.cardUpdate(card: "card-2", at: D.at(days: 1))],
                        script: try D.script(Self.softAfterUpdate))
        #expect(run.charges.map(\.at) == [D.at(days: 1), D.at(days: 3)])
        #expect(run.entries.last?.kind == .final)
    }

    @Test func aCardUpdateOnScheduleWaitsForTheNextAttempt() throws {
        let policy = D.policy { $0.cardUpdate = CardUpdateRule(retryImmediately: false, resetSchedule: false) }
        let run = D.run(policy, [D.failed("inv-1", code: "expired_card"), D.cardUpdate(card: "card-2", at: D.at(days: 1))],
                        script: try D.script(Self.softAfterUpdate))
        #expect(run.charges.map(\.at) == [D.at(days: 2), D.at(days: 4)])
    }

    @Test func aCardUpdateThatResetsTheStageClearsIt() throws {
        let policy = D.policy {
            $0.stages = [DunningStage(id: "blocked", name: "Blocked", when: .attemptsFailed(atLeast: 1))]
            $0.cardUpdate = CardUpdateRule(retryImmediately: true, resetSchedule: true, resetStage: true)
        }
        let script = try D.script(#"{"format": 1, "rules": [{"when": {"afterCardUpdate": true}, "answer": {"outcome": "approved"}}]}"#)
        let run = D.run(policy, [D.failed("inv-1", code: "expired_card"), D.cardUpdate(card: "card-2", at: D.at(days: 1))], script: script)
        let stages = run.entries.filter { $0.kind == .stage }
        #expect(stages.map(\.stage) == ["blocked", nil])
        #expect(stages.last?.at == D.at(days: 1))
        #expect(run.process.invoice("inv-1")?.status == .recovered)
        #expect(run.process.invoice("inv-1")?.recoveredAttempt == 2)
    }

    @Test func aPaymentMadeElsewhereStopsRetriesAndTheChargeIsSkipped() {
        let run = D.run(D.policy(), [D.failed("inv-1"), D.paid("inv-1", at: D.at(days: 2))])
        // The payment at the same instant as the retry comes first: no charge.
        #expect(run.charges.isEmpty)
        #expect(run.process.invoice("inv-1")?.status == .paidElsewhere)
        #expect(run.entries.map(\.kind) == [.started, .paidElsewhere])
    }

    @Test func theSourceReportingRecoveryEndsDunning() {
        var recovered = Event(id: "r", type: .autochargeRecovered, occurredAt: D.at(days: 1), contact: ContactReference(id: "c-1"))
        recovered.payment = Payment(index: 2, amount: 2900, currency: "USD", invoice: "inv-1")
        recovered.autocharge = Autocharge(attempt: 2, invoice: "inv-1")
        let policy = D.policy { $0.recovered = [.restoreAccess] }
        let run = D.run(policy, [D.failed("inv-1"), recovered])
        #expect(run.charges.isEmpty)
        #expect(run.process.invoice("inv-1")?.status == .recovered)
        #expect(run.process.invoice("inv-1")?.recoveredAttempt == 2)
        #expect(run.entries.map(\.kind) == [.started, .recovered, .action])
    }

    @Test func aChargeApprovedAfterThePaymentSaysSo() {
        var process = DunningProcess(policy: D.policy(), calendar: D.utc)
        _ = process.ingest(D.failed("inv-1"))
        let requests = process.due(at: D.at(days: 2))
        _ = process.ingest(D.paid("inv-1", at: D.at(days: 2)))
        let entries = process.record(requests[0], outcome: .approved(charge: "ch_1"), at: D.at(days: 2))
        #expect(entries.first?.detail.contains("refund") == true)
        #expect(process.invoice("inv-1")?.status == .paidElsewhere)
    }

    @Test func aFailedInitialOrderIsNeverRetried() {
        let run = D.run(D.policy(), [D.failed("inv-1", index: 1)])
        #expect(run.process.invoice("inv-1") == nil)
        #expect(run.charges.isEmpty)
        #expect(run.entries.map(\.kind) == [.ignored])
    }

    @Test func aPlanWithoutAutochargeIsNotManaged() {
        let policy = D.policy { $0.plans = ["plan-free": PlanOverride(autocharge: false)] }
        let run = D.run(policy, [D.failed("inv-1", plan: "plan-free")])
        #expect(run.process.invoice("inv-1") == nil)
        #expect(run.entries.first?.kind == .ignored)
    }

    @Test func aPlanOverrideSchedules() {
        let policy = D.policy { $0.plans = ["plan-monthly": PlanOverride(retries: .gaps([.days(1), .days(3)]))] }
        let run = D.run(policy, [D.failed("inv-1")])
        #expect(run.charges.map(\.at) == [D.at(days: 1), D.at(days: 4)])
    }

    @Test func aReportedAttemptNeverStartsASecondSeries() {
        let events = [
            D.failed("inv-1"),
            D.failed("inv-1", attempt: 2, at: D.at(days: 1)),  // the source made attempt 2 itself: adopted
            D.failed("inv-1", attempt: 1, at: D.at(days: 1, hours: 1)),  // a duplicate of attempt 1: recorded against it
        ]
        let run = D.run(D.policy(), events)
        #expect(run.charges.map(\.request.idempotencyKey) == ["inv-1/attempt-3"])
        #expect(run.charges.map(\.at) == [D.at(days: 3)])
        #expect(run.entries.filter { $0.kind == .reported }.map(\.attempt) == [2, 1])
        #expect(run.entries.filter { $0.kind == .started }.count == 1)
        #expect(run.process.invoice("inv-1")?.attemptsFailed == 3)
    }

    @Test func aReportedAttemptAlreadyMadeKeepsTheSchedule() {
        var process = DunningProcess(policy: D.policy { $0.retries = .gaps([.days(2), .days(2), .days(2)]) }, calendar: D.utc)
        _ = process.ingest(D.failed("inv-1"))
        let requests = process.due(at: D.at(days: 2))
        _ = process.record(requests[0], outcome: .declined(code: "insufficient_funds", adviceCode: nil), at: D.at(days: 2))
        let entries = process.ingest(D.failed("inv-1", attempt: 2, at: D.at(days: 2, hours: 1)))
        #expect(entries.map(\.kind) == [.reported])
        #expect(process.nextDue == D.at(days: 4))
        #expect(process.invoice("inv-1")?.attemptsFailed == 2)
    }

    @Test func aFirstReportPastTheScheduleGoesStraightToFinal() {
        let run = D.run(D.policy(), [D.failed("inv-1", attempt: 3)])
        #expect(run.charges.isEmpty)
        #expect(run.entries.map(\.kind) == [.started, .final])
    }

    @Test func stagesEscalateAndClear() throws {
        let policy = D.policy {
            $0.retries = .gaps([.days(2), .days(2), .days(2)])
            $0.stages = [
                DunningStage(id: "final-notice", name: "Final notice", when: .all([.attemptsFailed(atLeast: 3), .daysSinceFirstFailure(atLeast: 3)]),
                             actions: [.suspendAccess]),
                DunningStage(id: "reminder", name: "Reminder", when: .any([.attemptsFailed(atLeast: 2), .declineClass([.hard])]),
                             actions: [.task(title: "Call", assignee: "owner", dueInDays: 1)]),
            ]
        }
        let script = try D.script(#"{"format": 1, "rules": [{"when": {"attempt": 4}, "answer": {"outcome": "approved"}}]}"#)
        let run = D.run(policy, [D.failed("inv-1")], script: script)
        let stages = run.entries.filter { $0.kind == .stage }
        #expect(stages.map(\.stage) == ["reminder", "final-notice", nil])
        #expect(stages.map(\.at) == [D.at(days: 2), D.at(days: 4), D.at(days: 6)])
        #expect(run.entries.contains { $0.kind == .task && $0.at == D.at(days: 2) })
        #expect(run.entries.contains { $0.kind == .action && $0.action == .suspendAccess })
        #expect(run.process.invoice("inv-1")?.status == .recovered)
    }

    @Test func aDayConditionEntersAtTheLocalMidnightOfItsDay() throws {
        let policy = D.policy {
            $0.retries = .gaps([.days(10)])
            $0.stages = [DunningStage(id: "late", name: "Late", when: .daysSinceFirstFailure(atLeast: 1))]
        }
        let melbourne = try TimeZoneRules(name: "Australia/Melbourne", posixTZ: "AEST-10AEDT,M10.1.0,M4.1.0/3")
        // 2026-01-01T22:00Z is 2026-01-02 09:00 in Melbourne (UTC+11): day 1 starts at 2026-01-02T13:00Z.
        let run = D.run(policy, [D.failed("inv-1", at: D.at(hours: 22))], until: D.at(days: 5), calendar: ZonedCalendar(rules: melbourne))
        let stage = run.entries.first { $0.kind == .stage }
        #expect(stage?.stage == "late")
        #expect(stage?.at == D.at(days: 1, hours: 13))
    }

    @Test func theSendWindowDelaysMessages() {
        let policy = D.policy {
            $0.sendWindow = MessageWindow(opens: 9 * 60, closes: 17 * 60, weekdays: [1, 2, 3, 4, 5])
            $0.attempts = [AttemptRule(attempt: 1, actions: [.email(template: "payment-failed"), .task(title: "Look", assignee: nil, dueInDays: nil)])]
        }
        // Saturday 2026-01-03 02:00 UTC: the email waits for Monday 09:00; the staff task does not wait.
        let run = D.run(policy, [D.failed("inv-1", at: D.at(days: 2, hours: 2))])
        let message = run.entries.first { $0.kind == .message }
        #expect(message?.at == D.at(days: 4, hours: 9))
        #expect(run.entries.first { $0.kind == .task }?.at == D.at(days: 2, hours: 2))
        // Paid before the window opens: the message is not sent.
        let paid = D.run(policy, [D.failed("inv-1", at: D.at(days: 2, hours: 2)), D.paid("inv-1", at: D.at(days: 3))])
        #expect(!paid.entries.contains { $0.kind == .message })
        #expect(paid.entries.contains { $0.kind == .skipped && $0.action == .email(template: "payment-failed") })
    }

    @Test func anUnknownOutcomeNeverUsesANewKey() throws {
        let script = try D.script(#"{"format": 1, "default": {"outcome": "unknown", "lookup": "not-found"}}"#)
        let run = D.run(D.policy(), [D.failed("inv-1")], script: script)
        // The same key, charged again after each gap, 3 more times; then a staff task and the final action.
        #expect(Set(run.charges.map(\.request.idempotencyKey)) == ["inv-1/attempt-2"])
        #expect(run.gateway.calls(for: "inv-1/attempt-2") == 4)
        #expect(run.gateway.calls(for: "inv-1/attempt-3") == 0)
        #expect(run.entries.contains { $0.kind == .task })
        #expect(run.entries.last?.kind == .final)
        #expect(run.gateway.replays == 0)
    }

    @Test func anUnknownOutcomeFoundApprovedRecovers() throws {
        let script = try D.script(#"{"format": 1, "default": {"outcome": "unknown", "lookup": "approved"}}"#)
        let run = D.run(D.policy(), [D.failed("inv-1")], script: script)
        #expect(run.gateway.calls(for: "inv-1/attempt-2") == 1)
        #expect(run.gateway.approvedCharges(for: "inv-1/attempt-2") == 1)
        #expect(run.process.invoice("inv-1")?.status == .recovered)
    }

    @Test func aRecordForAChargeNotInFlightIsIgnored() {
        var process = DunningProcess(policy: D.policy(), calendar: D.utc)
        _ = process.ingest(D.failed("inv-1"))
        let requests = process.due(at: D.at(days: 2))
        _ = process.record(requests[0], outcome: .declined(code: "insufficient_funds", adviceCode: nil), at: D.at(days: 2))
        let again = process.record(requests[0], outcome: .approved(charge: "x"), at: D.at(days: 2))
        #expect(again.map(\.kind) == [.ignored])
        #expect(process.invoice("inv-1")?.status == .open)
    }

    @Test func aCancelledSubscriptionStopsItsInvoices() {
        let run = D.run(D.policy(), [D.failed("inv-1"), D.cancelled(subscription: "sub-1", at: D.at(days: 1))])
        #expect(run.charges.isEmpty)
        #expect(run.process.invoice("inv-1")?.status == .cancelled)
        #expect(run.entries.last?.kind == .skipped)
    }

    @Test func anInvoicePastItsAgeIsSkippedThenFinal() {
        let policy = D.policy {
            $0.retries = .gaps([.days(20), .days(20)])
            $0.maxInvoiceAgeMonths = 1
        }
        let run = D.run(policy, [D.failed("inv-1")])
        #expect(run.charges.map(\.at) == [D.at(days: 20)])
        #expect(run.entries.suffix(2).map(\.kind) == [.skipped, .final])
        #expect(run.entries.last?.at == D.at(days: 40))
    }

    @Test func withinSpreadsTheRetriesEvenly() {
        let run = D.run(D.policy { $0.retries = .within(attempts: 5, window: .days(8)) }, [D.failed("inv-1")])
        #expect(run.charges.map(\.at) == [D.at(days: 2), D.at(days: 4), D.at(days: 6), D.at(days: 8)])
    }

    @Test func noRetriesGoesStraightToFinal() {
        let policy = D.policy {
            $0.retries = .none
            $0.final = FinalAction(.cancelAtPeriodEnd, actions: [.email(template: "cancelled")])
        }
        let run = D.run(policy, [D.failed("inv-1")])
        #expect(run.entries.map(\.kind) == [.started, .final, .message])
        #expect(run.process.invoice("inv-1")?.finalKind == .cancelAtPeriodEnd)
    }

    @Test func attemptRulesRunAfterTheirFailure() {
        let policy = D.policy { $0.attempts = [AttemptRule(attempt: 2, actions: [.addTag("past-due")])] }
        let run = D.run(policy, [D.failed("inv-1")])
        let action = run.entries.first { $0.kind == .action }
        #expect(action?.action == .addTag("past-due"))
        #expect(action?.at == D.at(days: 2))
    }

    @Test func tagConditionsSeeTheContactsTags() {
        let policy = D.policy {
            $0.stages = [DunningStage(id: "vip", name: "VIP", when: .hasTag("vip")), DunningStage(id: "other", name: "Other", when: .lacksTag("vip"))]
        }
        let vip = D.run(policy, [D.failed("inv-1", tags: ["vip"])])
        #expect(vip.entries.first { $0.kind == .stage }?.stage == "vip")
        let plain = D.run(policy, [D.failed("inv-1")])
        #expect(plain.entries.first { $0.kind == .stage }?.stage == "other")
    }

    @Test func entryJSONIsCompleteAndSorted() {
        let entry = DunningEntry(at: D.t0, invoice: "inv-1", kind: .attempt, attempt: 2, outcome: "declined",
                                 decline: Decline(code: "do_not_honor", adviceCode: "25", declineClass: .retryAfter, retryAfter: .hours(24), reason: "advice 25"),
                                 detail: "declined")
        #expect(entry.json.compactText.contains(#""at":"2026-01-01T00:00:00Z""#))
        #expect(entry.json.compactText.contains(#""decline":{"adviceCode":"25","class":"retry-after","code":"do_not_honor","reason":"advice 25","retryAfter":"24h"}"#))
    }
}
