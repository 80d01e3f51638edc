import CommandLineTesting
import Foundation
@testable import PurchaseActionsCLI
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsSQLite
import Testing

/// Tools/payment-gateway-sink.py running on loopback, stopped on `stop()`.
private final class GatewaySink {
    let process = Process()
    let port: Int
    let log: URL

    /// Starts the sink on `port` (0: a free one), logging each real charge to `log`.
    init(port: Int, log: URL, in folder: URL, extra: [String] = []) throws {
        let portFile = folder.appendingPathComponent("sink-\(UUID().uuidString).port")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", BuiltProducts.root.appendingPathComponent("Tools/payment-gateway-sink.py").path, "\(port)", "--log", log.path,
            "--port-file", portFile.path,
        ] + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The sink writes its port once it listens: wait for the file (bounded: 30 s).
        var read: Int?
        for _ in 0..<3_000 where read == nil {
            read = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
            if read == nil { usleep(10_000) }
        }
        guard let read else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw CocoaError(.fileReadNoSuchFile)
        }
        self.port = read
        self.log = log
    }

    var url: String { "http://127.0.0.1:\(port)/charges" }

    /// Kills it (SIGKILL: a SIGTERM that lands before the sink serves is lost, and it holds no state worth a clean stop).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The keys charged, one per real charge, in order.
    func chargedKeys() throws -> [String] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["key"] as? String ?? "?"
        }
    }
}

/// Issue 14: the worker during a payment gateway outage, a replay whose charges fall between
/// events, and what the final cancellation names.
@Suite("purchase-actions run: a gateway outage ends no invoice; charges between events at their time; the cancellation names its subscription")
struct WorkerGatewayOutageTests {
    @Test("the gateway refuses connections, then comes back: nothing recorded meanwhile, no invoice ends, every attempt charged once after", .requires(.python3ForGatewaySink), .timeLimit(.minutes(3)))
    func outageThenRecovery() throws {
        let world = try DunningWorkerScene()
        defer { world.remove() }
        #expect(try world.run(["publish", "policy"]).status == 0)
        // A port where nothing listens: a sink started for its port, then stopped.
        let log = world.scene.folder.appendingPathComponent("charges.jsonl")
        let probe = try GatewaySink(port: 0, log: log, in: world.scene.folder)
        let port = probe.port
        probe.stop()
        let url = "http://127.0.0.1:\(port)/charges"

        // Down: the three charges due (wd-inv-3's card is blocked) are not sent; the breaker opens once.
        let down = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-04T12:30:00Z", "--gateway", url, "--gateway-timeout", "600"])
        #expect(down.status == 75, "charges left not sent: \(down.errors)")
        #expect(down.output.contains(" still not sent, due since 2026-03-04T09:00:00Z (last reason: cannot connect to "), "\(down.output)")
        #expect(down.output.contains("; charges: 0 approved, 0 declined, 0 unknown, "), "\(down.output)")
        #expect(down.output.contains(" not sent (the gateway was not reached: tried again later)"), "\(down.output)")
        #expect(down.errors.components(separatedBy: "payment gateway unreachable: charging paused").count == 2, "said once: \(down.errors)")
        #expect(down.errors.contains("charge not sent"), "\(down.errors)")
        var invoices = try world.invoices()
        #expect(invoices.values.filter { $0["status"] as? String == "open" }.count == 4, "\(invoices)")
        #expect(WorkerDunningEndToEndTests.attempts(try world.timeline("wd-inv-1")).isEmpty, "nothing reached the process")
        let pending = try DurableScene.objects(try world.run(["outbox", "--pending", "--json"]).output).filter { $0["kind"] as? String == "charge" }
        #expect(pending.count == 3)
        // Tried (and put off) while the breaker was closed; the breaker left the rest untouched.
        let tried = pending.filter { ($0["attempts"] as? Int ?? 0) >= 1 }
        #expect(tried.count >= 1, "\(pending)")
        #expect(tried.allSatisfy { ($0["lastError"] as? String)?.hasPrefix("not sent: cannot connect to ") == true }, "\(pending)")
        #expect(pending.allSatisfy { $0["state"] as? String == "pending" })

        // Still down two weeks on: the policy's schedule would have ended every invoice; none ends.
        let stillDown = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-20T00:00:00Z", "--gateway", url])
        #expect(stillDown.status == 75, "\(stillDown.errors)")
        #expect(stillDown.output.contains("; charges: 0 approved, 0 declined, 0 unknown, "), "\(stillDown.output)")
        invoices = try world.invoices()
        for id in ["wd-inv-1", "wd-inv-2", "wd-inv-4"] {
            #expect(invoices[id]?["status"] as? String == "open", "\(id): \(invoices[id] ?? [:])")
            #expect(invoices[id]?["attemptsFailed"] as? Int == 1, "\(id): only the reported failure")
        }
        #expect(!(try world.timeline("wd-inv-4")).contains { $0["kind"] as? String == "final" || $0["kind"] as? String == "task" })

        // Back: each attempt is charged once, with its key, and recovers.
        let sink = try GatewaySink(port: port, log: log, in: world.scene.folder)
        defer { sink.stop() }
        let back = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-21T00:00:00Z", "--gateway", url])
        #expect(back.status == 0, "\(back.errors)")
        #expect(back.output.contains("; charges: 3 approved, 0 declined, 0 unknown"), "\(back.output)")
        #expect(try sink.chargedKeys().sorted() == ["wd-inv-1/attempt-2", "wd-inv-2/attempt-2", "wd-inv-4/attempt-2"])
        invoices = try world.invoices()
        for id in ["wd-inv-1", "wd-inv-2", "wd-inv-4"] {
            #expect(invoices[id]?["status"] as? String == "recovered", "\(id): \(invoices[id] ?? [:])")
            #expect(invoices[id]?["recoveredAttempt"] as? Int == 2)
        }
        let again = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-22T00:00:00Z", "--gateway", url])
        #expect(again.output.contains("; charges: 0 approved, 0 declined, 0 unknown"), "\(again.output)")
        #expect(try sink.chargedKeys().count == 3, "never charged twice")
    }

    @Test("the gateway answers 503 not-processed twice: those charges are not sent, not recorded; the same keys are charged once later", .requires(.python3ForGatewaySink), .timeLimit(.minutes(3)))
    func notProcessed() throws {
        let world = try DunningWorkerScene()
        defer { world.remove() }
        #expect(try world.run(["publish", "policy"]).status == 0)
        let sink = try GatewaySink(port: 0, log: world.scene.folder.appendingPathComponent("charges.jsonl"), in: world.scene.folder, extra: ["--not-processed", "2"])
        defer { sink.stop() }
        let first = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-04T09:30:00Z", "--gateway", sink.url])
        #expect(first.status == 75, "\(first.errors)")
        #expect(first.output.contains(" still not sent, due since 2026-03-04T09:00:00Z (last reason: HTTP 503: the gateway did not process the charge"), "\(first.output)")
        #expect(first.output.contains("; charges: 0 approved, 0 declined, 0 unknown, 2 not sent"), "\(first.output)")
        #expect(first.errors.contains(#"the gateway did not process the charge ("status": "not-processed")"#), "\(first.errors)")
        #expect(try sink.chargedKeys().isEmpty)
        let later = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-04T12:30:00Z", "--gateway", sink.url])
        #expect(later.output.contains("; charges: 3 approved, 0 declined, 0 unknown"), "\(later.output)")
        #expect(later.status == 0, "\(later.errors)")
        #expect(try sink.chargedKeys().sorted() == ["wd-inv-1/attempt-2", "wd-inv-2/attempt-2", "wd-inv-4/attempt-2"])
        // Put off past 09:30 (its second try not sent), charged at the next step, 10:00.
        #expect(WorkerDunningEndToEndTests.attempts(try world.timeline("wd-inv-1")) == ["2 2026-03-04T10:00:00Z approved"])
    }

    @Test("two events 10 days apart, retries 2 days apart: the attempts between them are made at +2 d, +4 d, ..., not at the second event")
    func chargesBetweenEvents() throws {
        let world = try DunningWorkerScene()
        defer { world.remove() }
        let path = world.scene.folder.appendingPathComponent("events/failures.jsonl")
        let lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let later = lines[1].replacingOccurrences(of: "\"occurredAt\":\"2026-03-02T10:00:00Z\"", with: "\"occurredAt\":\"2026-03-12T10:00:00Z\"")
        #expect(later != lines[1])
        try (lines[0] + "\n" + later + "\n").write(to: path, atomically: true, encoding: .utf8)
        #expect(try world.run(["publish", "policy"]).status == 0)
        let drained = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-30T00:00:00Z", "--gateway-script", "gateway-script.json"])
        #expect(drained.status == 0, "\(drained.errors)")
        #expect(
            WorkerDunningEndToEndTests.attempts(try world.timeline("wd-inv-1")) == [
                "2 2026-03-04T09:00:00Z declined", "3 2026-03-06T09:00:00Z approved",
            ])
        #expect(WorkerDunningEndToEndTests.attempts(try world.timeline("wd-inv-2")) == ["2 2026-03-14T10:00:00Z approved"])
    }

    @Test("cancel-at-period-end: the cancel-subscription effect names the contact, subscription, invoice, plan and when")
    func cancellationNamesItsSubscription() throws {
        let world = try DunningWorkerScene()
        defer { world.remove() }
        let policy = world.scene.folder.appendingPathComponent("policy/dunning-policy.yaml")
        let text = try String(contentsOf: policy, encoding: .utf8)
        try text.replacingOccurrences(of: "action: keep-past-due", with: "action: cancel-at-period-end").write(to: policy, atomically: true, encoding: .utf8)
        let published = try world.run(["publish", "policy"])
        #expect(published.status == 0, "\(published.errors)")
        let drained = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-20T00:00:00Z", "--gateway-script", "gateway-script.json"])
        #expect(drained.status == 0, "\(drained.errors)")
        let rows = try DurableScene.objects(try world.run(["outbox", "--json"]).output).filter { $0["kind"] as? String == "cancel-subscription" }
        let details = rows.compactMap { $0["details"] as? [String: Any] }
        let fourth = try #require(details.first { $0["invoice"] as? String == "wd-inv-4" }, "\(rows)")
        #expect(fourth["contact"] as? String == "wd-c-4")
        #expect(fourth["subscription"] as? String == "wd-sub-4")
        #expect(fourth["subscriptionPlan"] as? String == "plan-monthly")
        #expect(fourth["when"] as? String == "period-end")
        #expect(details.count == 2, "wd-inv-3 (hard decline) and wd-inv-4 end: \(details)")
        // The log's record says the same.
        let log = try world.run(["log", "--json"])
        #expect(log.output.contains("\"when\":\"period-end\""), "\(log.output.suffix(2000))")
    }
}

/// Issue 14, item 5: the simulated gateway of a restarted run answers as the first run would.
@Suite("purchase-actions run --gateway-script: a restarted run's simulated gateway knows the first declines and networks")
struct WorkerSimulatedGatewayRestartTests {
    @Test("a rule on the first decline code matches in a run that did not read the failure")
    func restartedRunKnowsFirstDeclines() throws {
        let world = try DunningWorkerScene()
        defer { world.remove() }
        try world.scene.write(
            #"{"format": 1, "rules": [{"when": {"declineCode": "insufficient_funds"}, "answer": {"outcome": "approved"}}], "default": {"outcome": "declined", "declineCode": "do_not_honor"}}"#,
            to: "restart-script.json")
        #expect(try world.run(["publish", "policy"]).status == 0)
        // The first run reads the failures; nothing is due yet.
        let first = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-03T00:00:00Z", "--gateway-script", "restart-script.json"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.contains("; charges: 0 approved, 0 declined, 0 unknown"), "\(first.output)")
        // The second reads no event: what it knows of wd-inv-1 comes from the stored invoice.
        let second = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-20T00:00:00Z", "--gateway-script", "restart-script.json"])
        #expect(second.status == 0, "\(second.errors)")
        #expect(second.output.contains("0 events read"), "\(second.output)")
        #expect(WorkerDunningEndToEndTests.attempts(try world.timeline("wd-inv-1")) == ["2 2026-03-04T09:00:00Z approved"])
        #expect(WorkerDunningEndToEndTests.attempts(try world.timeline("wd-inv-2")).first == "2 2026-03-04T10:00:00Z declined")
    }
}

/// The circuit breaker on its own (Worker+Charges uses it).
@Suite("GatewayBreaker")
struct GatewayBreakerTests {
    static let request = ChargeRequest(invoice: "i", attempt: 2, contact: "c", card: nil, amount: 1, currency: "USD")
    static func result(_ resolution: ChargeAttemptResult.Resolution) -> ChargeAttemptResult {
        ChargeAttemptResult(request: request, resolution: resolution, charged: false, lookups: 0, detail: "")
    }
    static let t0 = Instant(secondsSinceEpoch: 1_000_000)

    @Test("opens after 3 failures in a row, pauses 30 s, a failed trial doubles the pause (at most 10 min), a clear answer closes it")
    func cycle() {
        var breaker = GatewayBreaker()
        let notSent = Self.result(.notSent(reason: "refused"))
        #expect(breaker.note(notSent, at: Self.t0) == nil)
        #expect(breaker.note(Self.result(.unknown(reason: "timeout")), at: Self.t0) == nil)
        #expect(breaker.allows(at: Self.t0))
        #expect(breaker.note(notSent, at: Self.t0) == .opened(until: Self.t0.adding(seconds: 30), failures: 3))
        #expect(!breaker.allows(at: Self.t0.adding(seconds: 29)))
        #expect(breaker.allows(at: Self.t0.adding(seconds: 30)))
        var now = Self.t0.adding(seconds: 30)
        var pauses: [Int64] = []
        for _ in 0..<7 {
            guard case .stillOpen(let until)? = breaker.note(notSent, at: now) else {
                Issue.record("a failed trial keeps it open")
                return
            }
            pauses.append(until.millisecondsSinceEpoch / 1000 - now.millisecondsSinceEpoch / 1000)
            now = until
        }
        #expect(pauses == [60, 120, 240, 480, 600, 600, 600])
        #expect(breaker.note(Self.result(.declined(code: "do_not_honor", adviceCode: nil)), at: now) == .closed)
        #expect(breaker.allows(at: now))
        #expect(breaker.failures == 0)
        // Closed again: three more failures to open, and the pause starts at 30 s again.
        #expect(breaker.note(notSent, at: now) == nil)
        #expect(breaker.note(notSent, at: now) == nil)
        #expect(breaker.note(notSent, at: now) == .opened(until: now.adding(seconds: 30), failures: 3))
    }

    @Test("a clear answer between failures resets the count: not found and paid another way are clear")
    func clearResets() {
        var breaker = GatewayBreaker()
        let unknown = Self.result(.unknown(reason: "500"))
        for clear in [Self.result(.notFound), Self.result(.alreadyPaid), Self.result(.approved(charge: "ch"))] {
            #expect(breaker.note(unknown, at: Self.t0) == nil)
            #expect(breaker.note(unknown, at: Self.t0) == nil)
            #expect(breaker.note(clear, at: Self.t0) == nil)
        }
        #expect(breaker.allows(at: Self.t0))
    }

    @Test("the back-off of a charge not sent: 1 min doubled, at most 1 hour")
    func notSentBackoff() {
        #expect((1...9).map { DurableRuntime.notSentBackoffSeconds(tries: $0) } == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600])
        #expect(DurableRuntime.notSentBackoffSeconds(tries: 0) == 60)
        #expect(DurableRuntime.notSentBackoffSeconds(tries: Int.max) == 3600)
    }
}
