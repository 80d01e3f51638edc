import Foundation
import GRDB
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
@testable import PurchaseActionsSQLite
import Testing

enum StoreFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A new database path in a fresh temporary folder.
    static func temporaryPath() -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pa-store-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(SQLiteStore.defaultFileName).path
    }

    static func at(_ text: String) -> Instant { Instant.parseRFC3339(text)!.instant }

    static let start = at("2025-01-01T00:00:00Z")

    /// A `tag.added` event naming its contact with first name, last name and email.
    static func tagged(_ id: String, at time: Instant, contact: String = "c-1") -> Event {
        var event = Event(id: id, type: .tagAdded, occurredAt: time, contact: ContactReference(id: contact))
        event.tag = "x"
        event.contact.firstName = "Ada"
        event.contact.lastName = "Lovelace \(contact)"
        event.contact.email = "\(contact)@example.com"
        return event
    }

    /// `w`: on a tag, wait `days` days, then email the contact `subject`.
    static func waitThenMail(_ id: String = "w", days: Int = 3, subject: String = "Hello", extraStep: Bool = false) -> Workflow {
        let mail = EmailMessage(to: .contact, from: Sender(name: "Shop", address: "shop@example.com"), subject: subject, text: "Hi {{contact.FirstName}}")
        var steps = [
            Step(id: "wait", .wait(.delay(Delay(days: days), calendarDays: false, at: nil, from: .now))),
            Step(id: "mail", .action(.sendEmail(mail))),
        ]
        if extraStep { steps.insert(Step(id: "tag", .action(.addTag(tagID: "t"))), at: 0) }
        var settings = WorkflowSettings(accountTimezone: "UTC")
        settings.allowReentry = true
        return Workflow(id: id, name: id, priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])], steps: steps, settings: settings)
    }

    /// Runs `body` on the store's connection, outside a transaction (pragmas).
    static func execute(_ store: SQLiteStore, _ body: (Database) throws -> Void) throws {
        try store.queue.inDatabase(body)
    }

    /// A store at a new path with `workflows` published.
    static func store(_ workflows: [Workflow] = [waitThenMail()]) throws -> SQLiteStore {
        let store = try SQLiteStore(path: temporaryPath())
        _ = try store.publish(Automation(workflows: workflows), at: start)
        return store
    }
}

/// Counts the commits of a connection (GRDB's transaction observer).
final class CommitCounter: TransactionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var commits: Int { lock.withLock { count } }
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { lock.withLock { count += 1 } }
    func databaseDidRollback(_ db: Database) {}
}

extension StoreFixture {
    /// A bundled fixture run through the in-memory engine: its automation, events, first event's
    /// time, and every record the events and 30 days of wake-ups give (the reference the durable
    /// runtime's stored rows are compared with).
    static func fixtureRun(_ account: String) throws -> (automation: Automation, events: [Event], start: Instant, records: [LogRecord]) {
        let automation = try LoadedAutomation(exportFile: root.appendingPathComponent("Fixtures/exports/\(account).xml").path).automation
        let text = try String(contentsOf: root.appendingPathComponent("Fixtures/events/\(account).jsonl"), encoding: .utf8)
        let events = try text.split(separator: "\n").map { line in try Event.load(Data(line.utf8)) }
        let start = try #require(events.first).occurredAt
        let engine = try Engine(automation, start: start)
        var records: [LogRecord] = []
        for event in events { records += try engine.ingest(event) }
        records += engine.advance(to: start.adding(.seconds(30 * 86_400)))
        return (automation, events, start, records)
    }
}
