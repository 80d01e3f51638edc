import CommandLineTesting
import Foundation
import Logging
import PurchaseActions
@testable import PurchaseActionsCLI
import PurchaseActionsCore
import PurchaseActionsEngine
import PurchaseActionsSQLite
import Synchronization
import Testing

/// The worker on an injected moving clock (the real clock's path, without waiting for real time).
@Suite("purchase-actions run: the worker on an injected clock")
struct WorkerClockTests {
    /// Collects deliveries in memory.
    final class Collector: Deliverer, Sendable {
        let keys = Mutex<[String]>([])
        func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
            keys.withLock { $0.append(message.key) }
            return .delivered
        }
    }

    @Test("A wait fires when the clock passes it, not before; each pass delivers what came due, once")
    func movingClock() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let store = try SQLiteStore(path: scene.folder.appendingPathComponent("db.sqlite").path)
        let loaded = try LoadedAutomation(folder: scene.folder.appendingPathComponent("migration").path)
        _ = try store.publish(loaded.automation, at: Instant(secondsSinceEpoch: 0))
        let time = Mutex(Instant.parseRFC3339("2025-03-02T10:00:00Z")!.instant)
        let clock = WorkerClock(now: { time.withLock { $0 } }, isFixed: false)
        let collector = Collector()
        var settings = Worker.Settings()
        settings.input = .folder(try EventsFolder(scene.folder.appendingPathComponent("events").path))
        settings.drain = true
        let runtime = try DurableRuntime(store: store)
        func pass() throws -> Worker.Report {
            let worker = Worker(
                store: store, runtime: runtime, deliverer: collector, settings: settings, clock: clock,
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            try Blocking.run { try await worker.run() }
            if let failure = worker.failure { throw failure }
            return worker.report
        }
        #expect(try pass().eventsRead == 1)
        #expect(collector.keys.withLock { $0 }.isEmpty, "a day in, the two-day wait is not over")
        time.withLock { $0 = Instant.parseRFC3339("2025-03-03T10:00:00Z")!.instant }
        let second = try pass()
        #expect(second.eventsRead == 0 && second.delivered == 1)
        #expect(collector.keys.withLock { $0 }.count == 1)
        time.withLock { $0 = Instant.parseRFC3339("2025-03-10T10:00:00Z")!.instant }
        #expect(try pass().delivered == 0)
        #expect(collector.keys.withLock { $0 }.count == 1, "delivered once")
    }
}
