import Foundation
import PurchaseActions
import Testing

// The "From Swift: Codable" examples of Docs/workflow-format.md, Docs/events.md and Docs/engine.md,
// copied verbatim, and the errors those sections quote.

/// An app's own document, holding workflows in this format.
private struct Library: Codable {
    var name: String
    var workflows: [Workflow]
}

private func reload(_ data: Data) throws -> [Workflow] {
    try JSONDecoder().decode(Library.self, from: data).workflows
}

/// An app's outbox of events for the engine, stored as JSON.
private struct PendingEvents: Codable {
    var events: [Event]
}

private func pendingEvents(_ data: Data) throws -> [Event] {
    try JSONDecoder().decode(PendingEvents.self, from: data).events
}

/// One event built in code, as a line of an events file.
private func tagAdded(contactID: String, tag: String, at date: Date) -> Data {
    var event = Event(id: "tag/\(contactID)/\(tag)", type: .tagAdded, occurredAt: Instant(date), contact: ContactReference(id: contactID))
    event.tag = tag
    return event.canonicalLine
}

@Suite("Docs: the Codable examples compile and say what the docs say")
struct FoundationDocsExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func workflow() throws -> Workflow {
        try Workflow.load(Data(contentsOf: root.appendingPathComponent("Fixtures/workflows/course-creator/action-set.as-basic.json")))
    }

    @Test("workflow-format.md: a Library of workflows round-trips; a delay past the limit is refused with the quoted message")
    func workflowExample() throws {
        let workflow = try Self.workflow()
        let data = try JSONEncoder().encode(Library(name: "main", workflows: [workflow]))
        #expect(try reload(data) == [workflow])
        let bad: JSONValue = .object([
            "name": .string("main"),
            "workflows": .array([workflow.json.adding(["steps": .array([.object(["id": .string("w"), "type": .string("wait"), "wait": .object(["until": .string("delay"), "delay": .object(["days": .integer(36_501)])])])])])]),
        ])
        do {
            _ = try reload(JSONEncoder().encode(bad))
            Issue.record("36501 days were accepted")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription == #"$.workflows[0].steps[0].wait.delay.days: 36501 is more than 36500, the most allowed (Docs/workflow-format.md, "Limits")"#)
            #expect((context.underlyingError as? JSONError)?.path.description == "$.steps[0].wait.delay.days")
        }
    }

    @Test("events.md: pending events round-trip; an event built in code is written as its canonical line")
    func eventExample() throws {
        let line = tagAdded(contactID: "c-1", tag: "tag-vip", at: Date(timeIntervalSince1970: 1_736_874_207.25))
        #expect(String(decoding: line, as: UTF8.self)
            == #"{"contact":{"id":"c-1"},"id":"tag/c-1/tag-vip","occurredAt":"2025-01-14T17:03:27.250Z","tag":"tag-vip","type":"tag.added"}"# + "\n")
        let event = try Event.load(line.dropLast())
        #expect(try pendingEvents(JSONEncoder().encode(PendingEvents(events: [event, event]))) == [event, event])
        let bad = #"{"events":[{"id":"e","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c"},"tag":"t"},{"id":"e2","type":"order.submitted","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c"},"order":{"id":"o","source":"cart","lines":[{"product":"p","quantity":0}],"chargeMode":"card"}}]}"#
        do {
            _ = try pendingEvents(Data(bad.utf8))
            Issue.record("a quantity of 0 was accepted")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.hasPrefix("$.events[1].order.lines[0].quantity: "))
            #expect((context.underlyingError as? JSONError)?.path.description == "$.order.lines[0].quantity")
        }
    }

    @Test("engine.md: an outbox of external effects round-trips")
    func effectExample() throws {
        let engine = try FoundationCodableTests.simulatingEngine("course-creator").engine
        #expect(engine.log.contains { $0.effect?.isExternal == true })
        let outbox = try JSONEncoder().encode(engine.log.compactMap(\.effect).filter(\.isExternal))
        let effects = try JSONDecoder().decode([Effect].self, from: outbox)
        #expect(effects == engine.log.compactMap(\.effect).filter(\.isExternal))
    }
}
