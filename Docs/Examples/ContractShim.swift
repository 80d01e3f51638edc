// TEMPORARY. Stands in for the part of issue 11's planned API (the lead's /work/api-contract.md) that
// README's program and the tutorial use, built on the engine that exists, so both compile and run
// before the branches that add the real API are merged. Tools/AppCheck/Sources/MyApp/ContractShim.swift
// is a link to this file. Delete both once `WorkflowRuntime` exists in Sources: the test
// "The contract shim is gone once the real API exists" and Tools/check-app-package.sh fail until then.
import Foundation
import PurchaseActions

/// Stand-in for the umbrella's `LoadError`.
struct LoadError: Error, CustomStringConvertible {
    var description: String
}

extension Automation {
    /// Stand-in for the umbrella's `Automation(exportFile:)`.
    init(exportFile path: String) throws(LoadError) {
        do {
            self.init(migrating: try ExportReader().read(file: path).account)
        } catch {
            throw LoadError(description: "\(error)")
        }
    }
}

/// Stand-in for the umbrella's JSON Lines reader.
enum EventsFile {
    static func read(_ path: String) throws(LoadError) -> [Event] {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError(description: "\(path): cannot read") }
        var events: [Event] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            do {
                events.append(try Event.load(Array(line)))
            } catch {
                throw LoadError(description: "\(path):\(index + 1): error: \(error)")
            }
        }
        return events
    }
}

extension Instant {
    /// Stand-in for the umbrella's `Instant(Date)`.
    init(_ date: Date) {
        self.init(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

extension Event {
    /// Stand-in for the umbrella's `Event.load(Data)`.
    static func load(_ data: Data) throws(JSONError) -> Event {
        try load(Array(data))
    }
}

/// Stand-in for the engine actor: owns an engine and its in-memory stores.
actor WorkflowRuntime {
    private let engine: Engine
    private let outbox: RecordingEffectSink
    private var taken = 0

    init(_ automation: Automation, start: Instant, options: Engine.Options = Engine.Options()) throws(EngineError) {
        let outbox = RecordingEffectSink()
        self.engine = try Engine(
            workflows: automation.workflows, effects: outbox, productOfPlan: automation.productOfPlan,
            account: automation.account, options: options, start: start)
        self.outbox = outbox
    }

    @discardableResult func ingest(_ event: Event) async throws(EngineError) -> [LogRecord] {
        try engine.ingest(event)
    }

    @discardableResult func ingest(_ events: [Event]) async throws(EngineError) -> [LogRecord] {
        var records: [LogRecord] = []
        for event in events { records += try engine.ingest(event) }
        return records
    }

    @discardableResult func advance(to instant: Instant) async -> [LogRecord] {
        engine.advance(to: instant)
    }

    func runActionSet(_ actionSetID: String, contactID: String) async throws(EngineError) -> [ActionResult] {
        try engine.runActionSet(contactID: contactID, actionSetID: actionSetID)
    }

    var log: [LogRecord] { engine.log }
    var now: Instant { engine.now }

    func takeEffects() -> [Effect] {
        defer { taken = outbox.effects.count }
        return Array(outbox.effects[taken...])
    }
}
