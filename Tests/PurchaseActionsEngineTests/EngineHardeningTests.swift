import CommandLineTesting
import LegacyImport
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// Issue 10, engine side: no wait, offset or instant makes time arithmetic trap (an `error` record
/// naming the workflow and step instead), and the work one event, wake-up or run may cause is
/// bounded by the work budget (Docs/engine.md, "Time limits" and "The work budget").
@Suite("Engine: extreme times are error records, and one event's work is bounded")
struct EngineHardeningTests {
    static let far = "9990-06-01T00:00:00Z"

    /// A workflow that waits (`hold`) then tags (`after`), run by one tag event at `start`.
    static func runWait(_ wait: Wait, start: String = far, fields: [String: String] = [:]) throws -> [LogRecord] {
        let workflow = Fixture.workflow("w", steps: [Step(id: "hold", .wait(wait)), Fixture.tag("after", "t")])
        let engine = try Engine(workflows: [workflow], start: Fixture.at(start))
        return try engine.ingest(
            Fixture.event("e1", .tagAdded, at: start) {
                $0.tag = "x"
                $0.contact.fields = fields
            })
    }

    static let outOfRange: [(name: String, wait: Wait, fields: [String: String])] = [
        ("36,500 calendar days from 9990, at 08:30", .delay(Delay(days: WorkflowLimits.days), calendarDays: true, at: "08:30", from: .now), [:]),
        ("36,500 calendar days from 9990, same time", .delay(Delay(days: WorkflowLimits.days), calendarDays: true, at: nil, from: .enrollment), [:]),
        ("36,500 elapsed days from 9990", .delay(Delay(days: WorkflowLimits.days), calendarDays: false, at: nil, from: .now), [:]),
        ("876,000 hours from 9990", .delay(Delay(hours: WorkflowLimits.hours), calendarDays: false, at: nil, from: .now), [:]),
        ("52,560,000 minutes from 9990", .delay(Delay(minutes: WorkflowLimits.minutes), calendarDays: false, at: nil, from: .now), [:]),
        (
            "condition timeout of 36,500 days", .untilCondition(.field("contact.tags", .contains, .text("never")), timeout: Delay(days: WorkflowLimits.days), onTimeout: []),
            [:]
        ),
        ("event timeout of 876,000 hours", .untilEvent(.emailOpened, filters: [], timeout: Delay(hours: WorkflowLimits.hours), onTimeout: []), [:]),
        ("field 9999-12-31 plus 36,500 days", .untilField(field: "contact.fields._Renewal", offsetDays: WorkflowLimits.days, at: "09:00"), ["_Renewal": "9999-12-31"]),
        ("field 9999-12-31 plus 1 day", .untilField(field: "contact.fields._Renewal", offsetDays: 1, at: nil), ["_Renewal": "9999-12-31"]),
        ("field 0001-01-01 minus 36,500 days", .untilField(field: "contact.fields._Renewal", offsetDays: -WorkflowLimits.days, at: nil), ["_Renewal": "0001-01-01"]),
        ("Int.max calendar days (built in code)", .delay(Delay(days: .max), calendarDays: true, at: nil, from: .now), [:]),
        ("10^12 calendar days (a legacy sequence delay)", .delay(Delay(days: 1_000_000_000_000), calendarDays: true, at: "09:00", from: .enrollment), [:]),
        ("every part at Int.max", .delay(Delay(days: .max, hours: .max, minutes: .max), calendarDays: false, at: nil, from: .now), [:]),
        ("field plus Int.max days", .untilField(field: "contact.fields._Renewal", offsetDays: .max, at: nil), ["_Renewal": "9999-12-31"]),
        ("field minus Int.min days", .untilField(field: "contact.fields._Renewal", offsetDays: .min, at: nil), ["_Renewal": "2025-01-01"]),
        // A field dated in the year 0000 is not a date (no wait, the enrollment goes on): FieldDateRangeTests.
    ]

    @Test("A wait that would end outside the years 0001 to 9999 is an error record naming the workflow and step; the enrollment ends", arguments: outOfRange.indices)
    func waitOutOfRange(_ index: Int) throws {
        let item = Self.outOfRange[index]
        let records = try Self.runWait(item.wait, fields: item.fields)
        let error = try #require(records.first { $0.status == .error }, "\(item.name): \(records.map(\.message))")
        #expect(error.workflowID == "w" && error.stepID == "hold", "\(item.name)")
        #expect(error.message.contains("outside the years 0001 to 9999"), "\(item.name): \(error.message)")
        #expect(records.last?.status == .exited, "\(item.name)")
        #expect(!records.contains { $0.stepID == "after" }, "\(item.name): went on past the wait")
    }

    @Test("The same waits from 2025 are in range and wait (the largest values the format allows)")
    func waitInRange() throws {
        let records = try Self.runWait(.delay(Delay(days: WorkflowLimits.days), calendarDays: true, at: "08:30", from: .now), start: "2025-03-01T10:00:00Z")
        #expect(records.last?.status == .waiting)
        #expect(records.last?.message.contains("2124-") == true || records.last?.message.contains("2125-") == true, "\(records.last?.message ?? "")")
        let field = try Self.runWait(
            .untilField(field: "contact.fields._Renewal", offsetDays: -WorkflowLimits.days, at: nil), start: "2025-03-01T10:00:00Z",
            fields: ["_Renewal": "9999-12-31"])
        #expect(field.last?.status == .waiting)
    }

    @Test("advance(to:) with extreme instants fires due wake-ups and never traps; waits after them are error records")
    func advanceToExtremes() throws {
        let workflow = Fixture.workflow(
            "w",
            steps: [
                Step(id: "day", .wait(.delay(Delay(days: 1), calendarDays: true, at: nil, from: .now))),
                Step(id: "hour", .wait(.delay(Delay(hours: 1), calendarDays: false, at: nil, from: .now))),
                Step(id: "window", .wait(.window(SendWindow(days: [.mon], from: "09:00", to: "10:00")))),
                Fixture.tag("after", "t"),
            ])
        let start = Fixture.at("2025-01-01T00:00:00Z")
        let engine = try Engine(workflows: [workflow], start: start)
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        #expect(engine.advance(to: Instant(millisecondsSinceEpoch: .min)).isEmpty)
        #expect(engine.now == start)
        // Every wake-up due fires, in order, up to the end of the enrollment.
        let records = engine.advance(to: Instant(millisecondsSinceEpoch: .max))
        #expect(records.map(\.status) == [.resumed, .waiting, .resumed, .waiting, .resumed, .completed, .finished])
        #expect(engine.now == Instant.supported.upperBound, "the clock stops at the end of 9999")
        #expect(engine.advance(to: Instant(millisecondsSinceEpoch: .max)).isEmpty)
        // A run now, with the clock at the end of 9999: its first wait is an error record, not a trap.
        let run = try engine.run(workflowID: "w", contactID: "c-1")
        let error = try #require(run.first { $0.status == .error })
        #expect(error.workflowID == "w" && error.stepID == "day")
        // The log still prints, whatever the clock says.
        #expect(run.map(\.json.compactText).joined().contains("\"status\":\"error\""))
    }

    @Test("A wait from the last supported instant, and a window wait after it, are error records")
    func waitAtTheEnd() throws {
        let workflow = Fixture.workflow(
            "w", steps: [Step(id: "window", .wait(.window(SendWindow(days: [.sun], from: "09:00", to: "10:00")))), Fixture.tag("after", "t")], zone: "Pacific/Kiritimati")
        let engine = try Engine(workflows: [workflow], start: Instant.supported.upperBound)
        var event = Event(id: "e1", type: .tagAdded, occurredAt: Instant.supported.upperBound, contact: ContactReference(id: "c-1"))
        event.tag = "x"
        let records = try engine.ingest(event)
        #expect(records.contains { $0.status == .error && $0.stepID == "window" }, "\(records.map(\.message))")
    }

    // MARK: The work budget

    static func call(_ id: String, _ target: String) -> Step { Step(id: id, .call(workflowID: target)) }
    static func enroll(_ id: String, _ target: String) -> Step { Step(id: id, .enroll(workflowID: target)) }

    @Test("A workflow whose three steps each call it stops at the work budget with one error record naming it")
    func selfCallsAreBounded() throws {
        let loop = Fixture.workflow("loop", steps: [Self.call("c1", "loop"), Self.call("c2", "loop"), Self.call("c3", "loop")])
        let engine = try Engine(workflows: [loop], start: Fixture.at("2025-01-01T00:00:00Z"), options: Engine.Options(keepsLog: false))
        #expect(engine.workflowsOverBudget == ["loop"])
        #expect(engine.expansion["loop"] == .max)
        let records = try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        let errors = records.filter { $0.status == .error && $0.message.contains("work budget") }
        #expect(errors.count == 1)
        #expect(errors.first?.workflowID == "loop")
        #expect(records.count <= Engine.defaultWorkBudget + 20)
        #expect(records.last?.status == .exited)
        // The next event has a budget of its own.
        let next = try engine.ingest(Fixture.event("e2", .tagAdded, at: "2025-01-01T00:01:00Z") { $0.tag = "x" })
        #expect(next.filter { $0.status == .error && $0.message.contains("work budget") }.count == 1)
    }

    @Test("A workflow whose three steps each enroll it stops at the work budget; later enrollments are not entered, said so")
    func selfEnrollsAreBounded() throws {
        let loop = Fixture.workflow("loop", steps: [Self.enroll("e1", "loop"), Self.enroll("e2", "loop"), Self.enroll("e3", "loop")])
        // Running enrollments per contact are unbounded here, so that the work budget stops it.
        let options = Engine.Options(keepsLog: false, runningPerWorkflow: .max, runningPerContact: .max)
        let engine = try Engine(workflows: [loop], start: Fixture.at("2025-01-01T00:00:00Z"), options: options)
        #expect(engine.workflowsOverBudget == ["loop"])
        let records = try engine.ingest(Fixture.event("ev", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        #expect(records.count <= 3 * Engine.defaultWorkBudget)
        #expect(records.contains { $0.status == .notEntered && $0.message.contains("work budget") })
        // Nothing is left active: every enrollment finished or was ended.
        #expect(records.filter { $0.status == .entered }.count <= Engine.defaultWorkBudget)
    }

    @Test("The budget counts the enrollment and each step: exactly the budget runs, one more is an error at that step")
    func budgetIsExact() throws {
        let options = Engine.Options(workBudget: 5)
        let fits = Fixture.workflow("fits", steps: (1...4).map { Fixture.tag("f\($0)", "t\($0)") })
        let engine = try Engine(workflows: [fits], start: Fixture.at("2025-01-01T00:00:00Z"), options: options)
        let ran = try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        #expect(ran.map(\.status) == [.entered, .completed, .completed, .completed, .completed, .finished])
        #expect(engine.workflowsOverBudget.isEmpty)

        let over = Fixture.workflow("over", steps: (1...5).map { Fixture.tag("o\($0)", "t\($0)") })
        let second = try Engine(workflows: [over], start: Fixture.at("2025-01-01T00:00:00Z"), options: options)
        #expect(second.workflowsOverBudget == ["over"])
        let stopped = try second.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        #expect(stopped.map(\.status) == [.entered, .completed, .completed, .completed, .completed, .error, .exited])
        #expect(stopped[5].stepID == "o5" && stopped[5].workflowID == "over")
        // Each event, wake-up and run has its own budget.
        let again = try second.ingest(Fixture.event("e2", .tagAdded, at: "2025-01-01T00:01:00Z") { $0.tag = "x" })
        #expect(again.filter { $0.status == .completed }.count == 4)
    }

    @Test("Workflows an event fires after the budget is spent are not entered, with the reason")
    func laterTriggersAreRefused() throws {
        let options = Engine.Options(workBudget: 3)
        let first = Fixture.workflow("a", steps: (1...5).map { Fixture.tag("a\($0)", "t") })
        let second = Fixture.workflow("b", steps: [Fixture.tag("b1", "t")])
        let engine = try Engine(workflows: [first, second], start: Fixture.at("2025-01-01T00:00:00Z"), options: options)
        let records = try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        #expect(records.contains { $0.status == .error && $0.workflowID == "a" })
        let refused = try #require(records.first { $0.workflowID == "b" })
        #expect(refused.status == .notEntered && refused.message.contains("work budget"))
    }

    /// Thirteen action sets, each running the next one four times: 4^12 nested runs without a budget.
    static func chain(sets: Int = 13, fanOut: Int = 4) -> LegacyAccount {
        let location = FileLocation(file: "chain.xml", line: 1)
        let actionSets = (1...sets).map { number in
            let runs = number < sets ? (1...fanOut).map { Action(id: "as-\(number).run\($0)", kind: .runActionSet(actionSetID: "as-\(number + 1)"), location: location) } : []
            return ActionSet(
                id: "as-\(number)", name: "Set \(number)", actions: runs + [Action(id: "as-\(number).tag", kind: .applyTag(tagID: "tag-a"), location: location)],
                location: FileLocation(file: "chain.xml", line: number))
        }
        var catalogue = Catalogue()
        catalogue.tags["tag-a"] = ContactTag(id: "tag-a", name: "A", location: location)
        return LegacyAccount(
            settings: AccountSettings(id: "acct", name: "Acct", timezone: "UTC", currency: "USD", location: location), catalogue: catalogue,
            actionSets: actionSets)
    }

    @Test("13 action sets each running the next 4 times: runActionSet stops at the budget; the compiler reports it")
    func legacyChainIsBounded() throws {
        let migration = LegacyCompiler.compile(Self.chain())
        let over = migration.findings.filter { $0.code == .expansionOverBudget }.map(\.workflowID)
        #expect(over.contains("action-set.as-1"))
        #expect(!over.contains("action-set.as-13") && !over.contains("action-set.as-8"))
        let engine = try Engine(workflows: migration.workflows, start: Fixture.at("2025-01-01T00:00:00Z"), options: Engine.Options(keepsLog: false))
        #expect(engine.workflowsOverBudget.contains("action-set.as-1"))
        #expect(!engine.workflowsOverBudget.contains("action-set.as-13"))
        let contacts = InMemoryContactDirectory()
        contacts.save(Contact(id: "c-1", createdAt: Fixture.at("2025-01-01T00:00:00Z")))
        let withContact = try Engine(workflows: migration.workflows, start: Fixture.at("2025-01-01T00:00:00Z"), options: Engine.Options(keepsLog: false), ports: Engine.Ports(contacts: contacts))
        let results = try withContact.runActionSet("as-1", contactID: "c-1")
        #expect(results.contains { $0.isError && $0.message.contains("work budget") })
        #expect(results.count <= Engine.defaultWorkBudget + 10)
    }

    @Test("The bundled exports' workflows are all within the budget (no false warnings)", arguments: ["course-creator", "membership-site", "physical-goods-store"])
    func fixturesWithinBudget(_ name: String) throws {
        let compiled = try Fixture.compiled(name)
        let engine = try Engine(Automation(workflows: compiled.workflows, productOfPlan: compiled.plans), start: Fixture.at("2025-01-01T00:00:00Z"))
        #expect(engine.workflowsOverBudget.isEmpty)
        #expect(engine.expansion.values.allSatisfy { $0 < 1000 })
    }

    @Test("The reader warns when </action-sets> ends if the call graph's expansion is above the budget")
    func readerWarns() throws {
        let sets = (1...13).map { number in
            let runs = number < 13 ? (1...4).map { #"<run-action-set id="as-\#(number).r\#($0)" action-set="as-\#(number + 1)"/>"# }.joined() : ""
            return #"<action-set id="as-\#(number)" name="S\#(number)">\#(runs)<apply-tag id="as-\#(number).t" tag="tag-a"/></action-set>"#
        }.joined(separator: "\n")
        let document = try ExportReader().read(bytes: Array(Self.export(actionSets: sets).utf8), name: "chain.xml")
        let warning = try #require(document.warnings.first { $0.message.contains("work budget") || $0.message.contains("steps the engine runs") })
        #expect(warning.message.contains("'as-1'"))
        #expect(warning.location.line > 0)
        // Four sets of 4 runs each is 341 runs: no warning.
        let small = (1...5).map { number in
            let runs = number < 5 ? (1...4).map { #"<run-action-set id="as-\#(number).r\#($0)" action-set="as-\#(number + 1)"/>"# }.joined() : ""
            return #"<action-set id="as-\#(number)" name="S\#(number)">\#(runs)<apply-tag id="as-\#(number).t" tag="tag-a"/></action-set>"#
        }.joined(separator: "\n")
        let fine = try ExportReader().read(bytes: Array(Self.export(actionSets: small).utf8), name: "small.xml")
        #expect(!fine.warnings.contains { $0.message.contains("steps the engine runs") })
    }

    static func export(actionSets: String) -> String { TestExports.withActionSets(actionSets) }

    // MARK: Email headers

    @Test("A contact name holding CR LF does not reach a rendered email header; the body keeps it")
    func renderedHeaders() throws {
        let email = EmailMessage(
            to: .contact, from: Sender(name: "{{contact.FirstName}} at Shop", address: "shop@example.com"), replyTo: nil,
            subject: "Hi {{contact.FirstName}}", html: nil, text: "Hi {{contact.FirstName}}", templateID: nil)
        let workflow = Fixture.workflow("w", steps: [Step(id: "mail", .action(.sendEmail(email)))])
        let outbox = RecordingEffectSink()
        // Events refuse such names (Event.validate); a directory, or an update-field step, may still hold them.
        let contacts = InMemoryContactDirectory()
        contacts.save(
            Contact(
                id: "c-1", fields: ["FirstName": "Bob\r\nBcc: all@example.com\u{0}", "Email": "bob@example.com\r\nBcc: x@example.com"],
                createdAt: Fixture.at("2025-01-01T00:00:00Z")))
        let engine = try Engine(workflows: [workflow], start: Fixture.at("2025-01-01T00:00:00Z"), ports: Engine.Ports(contacts: contacts, effects: outbox))
        try engine.ingest(Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { $0.tag = "x" })
        let details = try #require(outbox.effects.first?.details.compactText)
        #expect(details.contains(#""subject":"Hi Bob  Bcc: all@example.com ""#), "\(details)")
        #expect(details.contains(#""name":"Bob  Bcc: all@example.com  at Shop""#), "\(details)")
        #expect(details.contains(#""to":"bob@example.com  Bcc: x@example.com""#), "\(details)")
        #expect(details.contains(#"Hi Bob\r\nBcc"#), "the text body keeps what the contact holds: \(details)")
    }
}
