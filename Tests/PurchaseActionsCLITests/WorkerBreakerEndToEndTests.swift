import Foundation
import Logging
import PurchaseActions
@testable import PurchaseActionsCLI
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine
import PurchaseActionsSQLite
import Synchronization
import Testing

/// A gateway that is unreachable for its first `unreachable` calls (not sent), then approves each
/// key once and answers a key seen before with its first result.
private actor FlakyGateway: PaymentGateway {
    var unreachable: Int
    var calls: [String] = []
    var charged: [String: Int] = [:]

    init(unreachable: Int) { self.unreachable = unreachable }

    func attemptCharge(_ request: ChargeRequest) async -> ChargeCall {
        calls.append(request.idempotencyKey)
        guard unreachable <= 0 else {
            unreachable -= 1
            return .notSent(reason: "cannot connect to http://127.0.0.1:1/charges: Connection refused (errno 111)")
        }
        return .sent(await charge(request))
    }

    func charge(_ request: ChargeRequest) async -> ChargeOutcome {
        charged[request.idempotencyKey, default: 0] += 1
        return .approved(charge: "ch-\(request.idempotencyKey)")
    }

    func status(idempotencyKey: String) async -> ChargeStatus {
        charged[idempotencyKey] == nil ? .notFound : .approved(charge: "ch-\(idempotencyKey)")
    }
}

/// The worker's log lines, kept.
private final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
}

/// Keeps the worker's log lines.
private struct KeptLog: LogHandler {
    let kept: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { kept.lines.withLock { $0.append("\(event.level): \(event.message)") } }
}

/// Issue 14 leftovers: the gateway breaker inside the worker's charge pass, on an injected clock.
@Suite("purchase-actions run: the gateway breaker in the worker's loop")
struct WorkerBreakerEndToEndTests {
    static let t0 = Instant.parseRFC3339("2026-01-05T10:00:00Z")!.instant

    static func failed(_ index: Int) -> Event {
        var event = Event(id: "inv-\(index)/failed-1", type: .autochargeFailed, occurredAt: t0, contact: ContactReference(id: "c-\(index)"))
        event.order = Order(id: "ord-\(index)", source: .cart, lines: [Order.Line(item: .subscriptionPlan(id: "plan-monthly"))])
        event.order?.chargeMode = .card
        event.order?.gateway = "stripe"
        event.payment = Payment(index: 2, amount: 2900, currency: "USD", declineCode: "insufficient_funds", invoice: "inv-\(index)")
        event.autocharge = Autocharge(attempt: 1, invoice: "inv-\(index)")
        event.subscription = SubscriptionReference(id: "sub-\(index)", plan: "plan-monthly")
        event.card = Card(id: "card-\(index)", expires: "2030-01", network: "visa")
        return event
    }

    @Test("3 charges not sent in a row pause charging (the 4th due is not tried, nor during the pause); after it one trial charge goes through and charging goes on")
    func breakerPausesThenResumes() async throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let store = try SQLiteStore(path: scene.folder.appendingPathComponent("db.sqlite").path)
        let policy = try DunningPolicyFile.policy(Array("format: 1\nid: billing\nname: Billing\ntimezone: UTC\nretries: {gaps: [2d, 2d]}\n".utf8), file: "p.yaml")
        _ = try store.publish(
            Automation(workflows: policy.actionWorkflows), dunningPolicy: DunningPolicyDocument(id: policy.id, fileVersion: nil, json: policy.json),
            at: Instant(secondsSinceEpoch: 0))
        let runtime = try DurableRuntime(store: store)
        for index in 1...4 { try await runtime.ingest(Self.failed(index)) }

        let time = Mutex(Self.t0.adding(seconds: 2 * 86_400))
        let charging = time.withLock { $0 }
        let clock = WorkerClock(now: { time.withLock { $0 } }, isFixed: false)
        let gateway = FlakyGateway(unreachable: 3)
        let lines = LogLines()
        let worker = Worker(
            store: store, runtime: runtime, deliverer: nil, gateway: gateway, settings: Worker.Settings(), clock: clock,
            logger: Logger(label: "test") { _ in KeptLog(kept: lines) })

        // The four retries come due: three are not sent, the breaker opens, the fourth waits.
        var pass = try await worker.fireDueAndCharge()
        #expect(pass.charged == 3)
        #expect(await gateway.calls.count == 3)
        #expect(worker.report.chargesNotSent == 3)
        #expect(lines.all.filter { $0.contains("payment gateway unreachable: charging paused") }.count == 1)
        #expect(try await runtime.dueCharges(at: charging, limit: 10).count == 1, "the fourth is due, untouched")
        #expect(worker.breaker.withLock { !$0.allows(at: charging) })

        // During the pause (the clock moved 29 s): nothing is tried.
        time.withLock { $0 = charging.adding(seconds: 29) }
        pass = try await worker.fireDueAndCharge()
        #expect(pass.charged == 0)
        #expect(await gateway.calls.count == 3)

        // The pause is over: one trial charge (the fourth, still due) goes through; the breaker closes.
        time.withLock { $0 = charging.adding(seconds: 30) }
        pass = try await worker.fireDueAndCharge()
        #expect(pass.charged == 1)
        #expect(await gateway.calls.count == 4)
        #expect(await gateway.charged == ["inv-4/attempt-2": 1])
        #expect(lines.all.contains { $0.contains("payment gateway reachable again: charging goes on") })
        #expect(worker.breaker.withLock { $0.allows(at: charging.adding(seconds: 30)) && $0.failures == 0 })

        // The three put off (60 s back-off) are charged when due, once each.
        time.withLock { $0 = charging.adding(seconds: 61) }
        pass = try await worker.fireDueAndCharge()
        #expect(pass.charged == 3)
        #expect(await gateway.charged == ["inv-1/attempt-2": 1, "inv-2/attempt-2": 1, "inv-3/attempt-2": 1, "inv-4/attempt-2": 1])
        #expect(worker.report.chargesApproved == 4)
        #expect(try store.dunningInvoices(openOnly: false, limit: 10).allSatisfy { $0.invoice.status == .recovered })
        #expect(try store.notSentCharges().count == 0)
    }
}
