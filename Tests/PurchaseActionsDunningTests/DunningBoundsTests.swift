import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

@Suite struct DunningBoundsTests {
    typealias D = Dunning

    @Test func theStandardBounds() {
        #expect(ProcessLimits.standard.maxInvoices == 1_000_000)
        #expect(ProcessLimits.standard.maxAttempts == 1000)
        #expect(ProcessLimits.standard.maxEntries == 10_000)
        #expect(ProcessLimits.standard.maxUnknownRepeats == 3)
        #expect(DunningSimulation.maxUntil == .days(3660))
        #expect(GatewayScript.maxRules == 10_000)
    }

    @Test func oneInvoicePastTheBoundIsIgnored() {
        let limits = ProcessLimits(maxInvoices: 2)
        let run = D.run(D.policy(), [D.failed("a"), D.failed("b"), D.failed("c")], limits: limits)
        #expect(run.process.invoice("b") != nil)
        #expect(run.process.invoice("c") == nil)
        #expect(run.entries.contains { $0.invoice == "c" && $0.kind == .ignored && $0.detail.contains("2 invoices") })
    }

    @Test func oneAttemptPastTheBoundEndsTheInvoice() {
        let policy = D.policy { $0.retries = .gaps(Array(repeating: .days(1), count: 10)) }
        let run = D.run(policy, [D.failed("a")], limits: ProcessLimits(maxAttempts: 4))
        #expect(run.charges.map(\.request.attempt) == [2, 3, 4])
        #expect(run.entries.last?.kind == .final)
        #expect(run.entries.last?.detail.contains("4 attempts") == true)
    }

    @Test func oneEntryPastTheBoundEndsTheTimelineWithAFinalEntry() {
        let policy = D.policy { $0.retries = .gaps(Array(repeating: .days(1), count: 10)) }
        let run = D.run(policy, [D.failed("a")], limits: ProcessLimits(maxEntries: 5))
        #expect(run.entries.count == 5)
        #expect(run.entries.last?.kind == .final)
        #expect(run.entries.last?.detail.contains("5 entries") == true)
        #expect(run.process.invoice("a")?.status == .final)
    }

    @Test func oneUnknownRepeatPastTheBoundEndsWithATask() throws {
        let script = try D.script(#"{"format": 1, "default": {"outcome": "unknown"}}"#)
        let run = D.run(D.policy(), [D.failed("a")], script: script, limits: ProcessLimits(maxUnknownRepeats: 1))
        #expect(run.gateway.calls(for: "a/attempt-2") == 2)
        #expect(run.entries.suffix(2).map(\.kind) == [.task, .final])
    }

    @Test func untilPastTheMaximumIsTheMaximum() {
        let result = DunningSimulation.run(policy: D.policy(), failures: [D.failed("a")], until: .days(3661), calendar: D.utc)
        #expect(result.end == D.at(days: 3660))
        let exact = DunningSimulation.run(policy: D.policy(), failures: [D.failed("a")], until: .days(3660), calendar: D.utc)
        #expect(exact.end == D.at(days: 3660))
    }

    @Test func aScriptWithOneRulePastTheBoundIsRefused() throws {
        let rule = #"{"when": {}, "answer": {"outcome": "approved"}}"#
        let ok = "{\"format\": 1, \"rules\": [" + Array(repeating: rule, count: 10_000).joined(separator: ",") + "]}"
        #expect(try D.script(ok).rules.count == 10_000)
        let tooMany = "{\"format\": 1, \"rules\": [" + Array(repeating: rule, count: 10_001).joined(separator: ",") + "]}"
        #expect(throws: DunningError.self) { try D.script(tooMany) }
        do {
            _ = try D.script(tooMany)
        } catch let error as DunningError {
            #expect(error.code == "limit-exceeded")
            #expect(error.path == JSONPath.root.member("rules"))
        }
    }

    @Test func aScriptIdOneCharacterPastTheBoundIsRefused() throws {
        let ok = String(repeating: "k", count: GatewayScript.maxKeyLength)
        #expect(try D.script(#"{"format": 1, "rules": [{"when": {"card": "\#(ok)"}, "answer": {"outcome": "approved"}}]}"#).rules[0].when.card == ok)
        let long = ok + "k"
        #expect(throws: DunningError.self) { try D.script(#"{"format": 1, "rules": [{"when": {"card": "\#(long)"}, "answer": {"outcome": "approved"}}]}"#) }
    }

    @Test func hugeReportedAttemptNumbersEndAtTheBound() {
        let run = D.run(D.policy(), [D.failed("a", attempt: Int.max), D.failed("b", contact: "c-2"), D.failed("b", attempt: Int.max, at: D.at(days: 1), contact: "c-2")])
        #expect(run.process.invoice("a")?.status == .final)
        #expect(run.process.invoice("b")?.status == .final)
        #expect(run.charges.isEmpty)
    }
}
