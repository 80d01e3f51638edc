import Foundation
import LegacyImport
import PurchaseActionsCore
import PurchaseActionsEngine

/// Fixtures and small builders shared by the engine's tests.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// An export compiled as `import-actions` does, with its plan → product map.
    static func compiled(_ name: String) throws -> (workflows: [Workflow], plans: [String: String]) {
        let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent("Fixtures/exports/\(name).xml")))
        let document = try ExportReader().read(bytes: bytes, name: "Fixtures/exports/\(name).xml")
        return (LegacyCompiler.compile(document.account).workflows, document.account.catalogue.subscriptionPlans.mapValues(\.productID))
    }

    /// The events of a fixture events file.
    static func events(_ name: String) throws -> [Event] {
        let text = try String(contentsOf: root.appendingPathComponent("Fixtures/events/\(name).jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line throws in try Event.load(Array(line.utf8)) }
    }

    /// An instant from RFC 3339 text.
    static func at(_ text: String) -> Instant { Instant.parseRFC3339(text)!.instant }

    /// An event about contact `c-1` (or another), with only the members the test needs.
    static func event(_ id: String, _ type: EventType, at time: String, contact: String = "c-1", _ build: (inout Event) -> Void = { _ in }) -> Event {
        var event = Event(id: id, type: type, occurredAt: at(time), contact: ContactReference(id: contact))
        build(&event)
        return event
    }

    /// A workflow with one trigger and the given steps, account timezone `zone`.
    static func workflow(
        _ id: String, on event: EventType = .tagAdded, filters: [Condition] = [], steps: [Step], zone: String = "Australia/Sydney",
        settings: (inout WorkflowSettings) -> Void = { _ in }
    ) -> Workflow {
        var workflowSettings = WorkflowSettings(accountTimezone: zone)
        settings(&workflowSettings)
        return Workflow(
            id: id, name: id, priority: 10, triggers: [Trigger(id: "t", event: event, filters: filters)], steps: steps, settings: workflowSettings)
    }

    static func tag(_ id: String, _ tag: String) -> Step { Step(id: id, .action(.addTag(tagID: tag))) }
}
