import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// The reviewers' findings on the new API: hostile ids in error messages, late events under a
/// runtime's own options, the clock kept in the years 0001 to 9999, hints that name the call.
struct EngineReviewTests {
    static let start = "2025-01-01T00:00:00Z"

    /// Whether `text` holds a control character or direction override (what may not reach a terminal raw).
    static func isRaw(_ text: String) -> Bool { text.unicodeScalars.contains(where: DisplayText.isControl) }

    static func engineWithContact() throws -> Engine {
        var workflow = Fixture.workflow("w", steps: [Fixture.tag("s", "t")])
        workflow.triggers = [Trigger(id: "manual", event: .manual)]
        var actionSet = Fixture.workflow("action-set.as-1", steps: [Fixture.tag("s", "t")])
        actionSet.triggers = [Trigger(id: "manual", event: .manual)]
        let directory = InMemoryContactDirectory()
        directory.save(Contact(id: "c-1", createdAt: Fixture.at(Self.start)))
        return try Engine(workflows: [workflow, actionSet], start: Fixture.at(Self.start), ports: Engine.Ports(contacts: directory))
    }

    // MARK: 1. Hostile ids

    @Test(
        "Every EngineError quoting a caller's id escapes it: no line feed, ESC or bidi override reaches a message",
        arguments: ["x\nerror: forged\u{202E}", "as-x\u{1B}[31m", "action-set.w\r\u{2028}", "c\u{0}\u{9B}"])
    func hostileIDs(_ id: String) throws {
        let engine = try Self.engineWithContact()
        var errors: [EngineError] = []
        func collect(_ body: () throws -> Void) {
            do { try body() } catch let error as EngineError { errors.append(error) } catch { Issue.record("not an EngineError: \(error)") }
        }
        collect { _ = try engine.run(workflowID: id, contactID: "c-1") }
        collect { _ = try engine.runActionSet(id, contactID: "c-1") }
        collect { _ = try engine.run(workflowID: "w", contactID: id) }
        collect { _ = try engine.runActionSet("as-1", contactID: id) }
        let twice = Fixture.workflow(id, steps: [Fixture.tag("s", "t")])
        collect { _ = try Engine(workflows: [twice, twice], start: Fixture.at(Self.start)) }
        collect { _ = try Engine(workflows: [Fixture.workflow(id, steps: [], zone: id)], start: Fixture.at(Self.start)) }
        #expect(errors.count == 6)
        for error in errors {
            #expect(!Self.isRaw(error.message), "\(error.code): \(DisplayText.escape(error.message))")
            #expect(error.message.contains(DisplayText.escape(id)) || error.message.contains(DisplayText.escape(String(id.dropFirst("action-set.".count)))), "\(DisplayText.escape(error.message))")
        }
    }

    // MARK: 2. Late events under a runtime's options

    @Test("ingest(unchecked:) of a decoded event records what ingest(_:) records")
    func uncheckedIngestOfADecodedEvent() throws {
        let line = #"{"id":"e1","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-1"},"tag":"x"}"#
        let event = try Event.load(Array(line.utf8))
        let workflows = [Fixture.workflow("w", steps: [Fixture.tag("s", "t")])]
        let checked = try Engine(workflows: workflows, start: Fixture.at(Self.start))
        let unchecked = try Engine(workflows: workflows, start: Fixture.at(Self.start))
        let expected = try checked.ingest(event)
        #expect(!expected.isEmpty)
        #expect(try unchecked.ingest(unchecked: event) == expected)
    }

    @Test("A workflow built in code that the decoder refuses (a forged id, an empty id, an empty step id) is refused when the engine is made, escaped, at its JSON path")
    func workflowsBuiltInCodeAreChecked() throws {
        let cases: [(String, (inout Workflow) -> Void, String)] = [
            ("forged id", { $0.id = "bad id\n\u{1B}[2J" }, "$.id"),
            ("empty id", { $0.id = "" }, "$.id"),
            ("empty step id", { $0.steps[0].id = "" }, "$.steps[0].id"),
        ]
        for (name, change, path) in cases {
            var workflow = Fixture.workflow("w", steps: [Fixture.tag("s", "t")])
            change(&workflow)
            do {
                _ = try Engine(workflows: [workflow], start: Fixture.at(Self.start))
                Issue.record("\(name): accepted")
            } catch {
                #expect(error.code == .invalidWorkflow, "\(name)")
                #expect(error.jsonPath.map { "\($0)" } == path, "\(name): \(error.message)")
                #expect(!Self.isRaw(error.message), "\(name): \(error.message)")
            }
        }
    }

    @Test("A WorkflowRuntime given options that do not name lateEvents still runs late events at the clock; .refuse refuses")
    func runtimeOptions() async throws {
        let workflows = [Fixture.workflow("w", steps: [Fixture.tag("s", "t")])]
        let later = Fixture.event("e2", .tagAdded, at: "2025-01-01T00:00:05Z", contact: "c-2") { $0.tag = "x" }
        let earlier = Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:02Z") { $0.tag = "x" }
        let runtime = try WorkflowRuntime(workflows: workflows, start: Fixture.at(Self.start), options: Engine.Options(keepsLog: false))
        try await runtime.ingest(later)
        #expect(try await runtime.ingest(earlier).first?.status == .late)
        let refusing = try WorkflowRuntime(workflows: workflows, start: Fixture.at(Self.start), options: Engine.Options(lateEvents: .refuse))
        try await refusing.ingest(later)
        await #expect(throws: EngineError.self) { try await refusing.ingest(earlier) }
    }

    @Test("An Engine with options that do not name lateEvents refuses a late event, and the message names the option that runs it")
    func engineRefusesNamingTheFix() throws {
        let engine = try Engine(workflows: [], start: Fixture.at(Self.start), options: Engine.Options(keepsLog: false))
        try engine.ingest(Fixture.event("e2", .tagAdded, at: "2025-01-01T00:00:05Z") { $0.tag = "x" })
        let error = #expect(throws: EngineError.self) { try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:02Z") { $0.tag = "x" }) }
        #expect(error?.code == .eventInThePast)
        #expect(error?.message.contains("Engine.Options(lateEvents: .runAtClock)") == true)
        #expect(error?.message.contains("WorkflowRuntime") == true)
    }

    // MARK: 3. The clock within the years 0001 to 9999

    @Test(
        "A start outside Instant.supported is refused (instant-out-of-range), by Engine and WorkflowRuntime",
        arguments: [Int64.max, Int64.min, 253_402_300_800_000, -62_135_596_800_001])
    func startOutOfRange(_ milliseconds: Int64) async throws {
        let start = Instant(millisecondsSinceEpoch: milliseconds)
        let error = #expect(throws: EngineError.self) { try Engine(workflows: [], start: start) }
        #expect(error?.code == .instantOutOfRange)
        #expect(error?.message.contains("0001 to 9999") == true)
        #expect(throws: EngineError.self) { try WorkflowRuntime(workflows: [], start: start) }
        // The ends themselves are fine.
        _ = try Engine(workflows: [], start: Instant.supported.lowerBound)
        _ = try Engine(workflows: [], start: Instant.supported.upperBound)
    }

    @Test("advance(to:) past 9999 stops the clock at the end of 9999; every record written after it reads back")
    func advancePastTheEnd() throws {
        let engine = try Engine(workflows: [Fixture.workflow("w", steps: [Fixture.tag("s", "t")])], start: Fixture.at(Self.start), options: Engine.Options(lateEvents: .runAtClock))
        engine.advance(to: Instant(millisecondsSinceEpoch: .max))
        #expect(engine.now == Instant.supported.upperBound)
        try engine.ingest(Fixture.event("e1", .tagAdded, at: Self.start) { $0.tag = "x" })
        #expect(engine.log.count > 1)
        for record in engine.log {
            #expect(try LogRecord(json: record.json).json == record.json)
        }
        // At or before the clock: nothing fires, nothing is written, the clock stays.
        #expect(engine.advance(to: Fixture.at(Self.start)).isEmpty)
        #expect(engine.now == Instant.supported.upperBound)
    }

    // MARK: 4. Hints

    @Test("An unknown contact points to contact(matching:), from run and runActionSet")
    func unknownContactHint() throws {
        let engine = try Self.engineWithContact()
        let calls: [() throws -> Void] = [{ _ = try engine.run(workflowID: "w", contactID: "nobody") }, { _ = try engine.runActionSet("x", contactID: "nobody") }]
        for call in calls {
            let error = #expect(throws: EngineError.self) { try call() }
            #expect(error?.code == .unknownContact || error?.code == .unknownActionSet)
            if error?.code == .unknownContact { #expect(error?.message.contains("contact(matching:)") == true) }
        }
        let viaActionSet = Fixture.workflow("action-set.as-1", steps: [Fixture.tag("s", "t")])
        let second = try Engine(workflows: [viaActionSet], start: Fixture.at(Self.start))
        let error = #expect(throws: EngineError.self) { try second.runActionSet("as-1", contactID: "nobody") }
        #expect(error?.code == .unknownContact)
        #expect(error?.message.contains("contact(matching:)") == true)
    }
}
