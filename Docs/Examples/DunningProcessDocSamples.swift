// The sample in the `///` doc comment of DunningProcess (issue 14), compiled and run
// (DocSamplesTests finds it).
import PurchaseActions
import Testing

/// DunningProcess's sample (Sources/PurchaseActionsDunning/Process/DunningProcess.swift).
func dunningProcessDocSample(policy: DunningPolicy, script: GatewayScript, failure: Event) -> [DunningEntry] {
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
    return timeline
}

@Suite("Docs: the dunning process sample runs")
struct DunningProcessDocSampleTests {
    @Test("The process sample charges the legacy schedule's two retries and ends with the final action")
    func sample() {
        var failure = Event(id: "inv-1/attempt-1", type: .autochargeFailed, occurredAt: Instant(millisecondsSinceEpoch: 1_767_225_600_000),
                            contact: ContactReference(id: "c-1"))
        failure.payment = Payment(index: 2, amount: 2900, currency: "USD", declineCode: "insufficient_funds", invoice: "inv-1")
        failure.autocharge = Autocharge(attempt: 1, invoice: "inv-1")
        let timeline = dunningProcessDocSample(policy: DunningPolicy(id: "legacy", name: "Legacy"), script: GatewayScript(), failure: failure)
        #expect(timeline.map(\.kind) == [.started, .attempt, .attempt, .final])
    }
}
