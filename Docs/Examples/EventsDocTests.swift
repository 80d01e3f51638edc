import Foundation
import PurchaseActions
import Testing

/// Docs/events.md: a full example line of every event type, each one an event the decoder accepts.
@Suite("Docs/events.md: example lines")
struct EventsDocTests {
    /// Every line of a ```json or ```jsonl block of events.md that holds a whole event (an object
    /// with an `id` and a `type`), with its line's text.
    static func exampleLines() throws -> [String] {
        try DocText("Docs/events.md").fencedBlocks.filter { ["json", "jsonl"].contains($0.language) }.flatMap(\.lines)
            .filter { $0.hasPrefix("{\"id\":") && $0.contains("\"type\":") }
    }

    @Test("Every example line decodes with Event.load")
    func linesDecode() throws {
        let lines = try Self.exampleLines()
        #expect(lines.count >= EventType.all.count)
        for line in lines {
            #expect(throws: Never.self, "\(line)") { try Event.load(Array(line.utf8)) }
        }
    }

    @Test("Every event type of EventType.all has a full example line in \"One of every type\"")
    func everyType() throws {
        let section = try #require(try DocText("Docs/events.md").section("One of every type"))
        let types = try section.fencedBlocks.flatMap(\.lines).filter { !$0.isEmpty }.map { try Event.load(Array($0.utf8)).type }
        #expect(types.count == EventType.all.count, "one line per type")
        #expect(Set(types) == Set(EventType.all), "every type of EventType.all")
    }

    @Test("A failed checkout: the example pair is a payment.failed and an autocharge attempt 1 of the same first payment")
    func failedCheckout() throws {
        let section = try #require(try DocText("Docs/events.md").section("A failed checkout"))
        let events = try section.fencedBlocks.flatMap(\.lines).filter { !$0.isEmpty }.map { try Event.load(Array($0.utf8)) }
        #expect(events.map(\.type) == [.paymentFailed, .autochargeFailed])
        #expect(events.map { $0.payment?.index } == [1, 1])
        #expect(events.last?.autocharge?.attempt == 1)
        #expect(events.first?.order == events.last?.order)
    }

    @Test("A failed checkout: with course-creator, attempt 1 runs the billing rule; an attempt 2 of the first payment runs nothing")
    func failedCheckoutRuns() throws {
        let section = try #require(try DocText("Docs/events.md").section("A failed checkout"))
        var events = try section.fencedBlocks.flatMap(\.lines).filter { !$0.isEmpty }.map { try Event.load(Array($0.utf8)) }
        try #require(events.count == 2)
        var retry = events[1]
        retry.id += "/again"
        retry.autocharge?.attempt = 2
        events.append(retry)
        let automation = try Automation(exportFile: DocText.root.appendingPathComponent("Fixtures/exports/course-creator.xml").path)
        let engine = try Engine(automation, start: events[0].occurredAt)
        let entered = try events.map { event in try engine.ingest(event).filter { $0.status == .entered }.compactMap(\.workflowID) }
        #expect(entered[0].isEmpty, "course-creator has no Failed Purchase slot")
        #expect(entered[1] == ["billing.ba-vip-failed-1"])
        #expect(entered[2].isEmpty, "a failed initial order is never retried")
    }
}
