import CommandLineTesting
import Foundation
import PurchaseActions
import Testing

/// A policy's compiled schedule (Docs/dunning.md, "The schedule on the engine") with the umbrella:
/// publish adds it, the engine takes and runs it driven by signals, the validator accepts it beside
/// an import's output, and the doc's JSON is the compiled workflow's.
@Suite("The schedule workflow compiled from a dunning policy: publish adds it, the engine runs it, validate accepts it")
struct ScheduleWorkflowEngineTests {
    static let start = Instant(millisecondsSinceEpoch: 1_767_225_600_000)
    static let imported = BuiltProducts.root.path + "/Fixtures/expected/membership-site"

    static func policy(_ yaml: String) throws -> DunningPolicy {
        try DunningPolicyFile.policy(Array(yaml.utf8), file: "dunning-policy.yaml")
    }

    static let folder = LoadedAutomation(automation: Automation(workflows: [
        Workflow(
            id: "welcome", name: "Welcome", priority: 10, triggers: [Trigger(id: "t", event: .tagAdded, filters: [])],
            steps: [Step(id: "tag", .action(.addTag(tagID: "welcomed")))], settings: WorkflowSettings(accountTimezone: "America/New_York")),
    ]))

    static func event(_ type: EventType, code: String? = nil, advice: String? = nil) -> Event {
        var event = Event(id: "sig-\(type.rawValue)-\(code ?? "")", type: type, occurredAt: start, contact: ContactReference(id: "c-1"))
        if type == .autochargeFailed || type == .autochargeRecovered {
            event.payment = Payment(index: 2, amount: 2900, currency: "USD", declineCode: code, invoice: "inv-1", adviceCode: advice)
        }
        return event
    }

    @Test("publish's automation holds the two compiled workflows, in the folder's account timezone; a folder workflow with their id is refused")
    func publishAddsThem() throws {
        let policy = try Self.policy("format: 1\nid: billing\nname: Billing\nretries: {gaps: [2d, 2d]}\n")
        let automation = try Self.folder.automation(addingActionsOf: policy, policyFile: "dunning-policy.yaml")
        let compiled = automation.workflows.filter { $0.id.hasPrefix("dunning.") }
        #expect(compiled.map(\.id) == ["dunning.billing", policy.declineWorkflowID])
        #expect(policy.declineWorkflowID.hasPrefix("dunning.billing.decline-"))
        #expect(compiled.allSatisfy { $0.settings.accountTimezone == "America/New_York" })
        var expected = policy.scheduleWorkflows()
        for index in expected.indices { expected[index].settings.accountTimezone = "America/New_York" }
        #expect(compiled == expected)

        for id in ["dunning.billing", policy.declineWorkflowID] {
            var clash = Self.folder.automation
            clash.workflows.append(Workflow(
                id: id, name: "Mine", priority: 1, triggers: [], steps: [Step(id: "x", .exit)], settings: WorkflowSettings(accountTimezone: "UTC")))
            let error = try #require(throws: LoadError.self) {
                _ = try LoadedAutomation(automation: clash).automation(addingActionsOf: policy, policyFile: "p/dunning-policy.yaml")
            }
            #expect(error.file == "p/dunning-policy.yaml")
            #expect(error.message.contains("'\(id)'"), "\(error.message)")
        }
    }

    @Test("the engine runs an invoice's enrollment: due, charge, a hard decline waits for a card, the card, the next attempt, recovered")
    func engineWalk() throws {
        let policy = try Self.policy("format: 1\nid: billing\nname: Billing\nretries: {gaps: [2d, 2d]}\n")
        let contacts = InMemoryContactDirectory()
        contacts.save(Contact(id: "c-1", fields: ["FirstName": "Priya"], tags: [], ownerID: nil, createdAt: Self.start))
        let automation = try Self.folder.automation(addingActionsOf: policy, policyFile: "dunning-policy.yaml")
        let engine = try Engine(automation, start: Self.start, ports: Engine.Ports(contacts: contacts))
        #expect(engine.workflowsOverBudget.isEmpty)
        func at(_ records: [LogRecord]) -> String { records.last.map { "\($0.status.rawValue) \($0.stepID ?? "-")" } ?? "none" }

        let (id, started) = try engine.start(workflowID: policy.scheduleWorkflowID, contactID: "c-1", event: Self.event(.autochargeFailed, code: "insufficient_funds"))
        let enrollment = try #require(id)
        #expect(at(started) == "waiting attempt-2-due", "\(started.map(\.message))")
        #expect(started.contains { $0.stepID == "attempt-1-decline" }, "the first failure goes through the decline workflow: \(started.map(\.message))")
        let charged = engine.signal(Self.event(.dunningAttemptDue), enrollmentID: enrollment)
        #expect(charged.contains { $0.stepID == "attempt-2" && $0.effect?.kind == "retry-charge" && $0.effect?.isExternal == false }, "\(charged.map(\.message))")
        #expect(at(charged) == "waiting attempt-2-outcome", "\(charged.map(\.message))")
        let declined = engine.signal(Self.event(.autochargeFailed, code: "Lost_Card"), enrollmentID: enrollment)
        #expect(at(declined) == "waiting hard-wait-for-card", "\(declined.map(\.message))")
        // Not due while it waits for a card: nothing moves.
        let early = engine.signal(Self.event(.dunningAttemptDue), enrollmentID: enrollment)
        #expect(early.map(\.status) == [.skipped], "\(early.map(\.message))")
        let card = engine.signal(Self.event(.paymentMethodUpdated), enrollmentID: enrollment)
        #expect(at(card) == "waiting attempt-3-due", "\(card.map(\.message))")
        _ = engine.signal(Self.event(.dunningAttemptDue), enrollmentID: enrollment)
        let soft = engine.signal(Self.event(.autochargeFailed, code: "do_not_honor", advice: "25"), enrollmentID: enrollment)
        #expect(at(soft) == "waiting final-due", "retry-after returns to the schedule: \(soft.map(\.message))")
        let recovered = engine.signal(Self.event(.autochargeRecovered), enrollmentID: enrollment)
        #expect(recovered.contains { $0.status == .goal && $0.stepID == "recovered" }, "\(recovered.map(\.message))")
        #expect(recovered.last?.status == .finished || recovered.last?.status == .completed, "\(recovered.map(\.message))")
    }

    @Test("a hard first failure waits for a card at once (attempt-1-decline); a card update given keeping the event goes on to attempt 2")
    func hardFirstFailure() throws {
        let policy = try Self.policy("format: 1\nid: billing\nname: Billing\nretries: {gaps: [2d, 2d]}\n")
        let contacts = InMemoryContactDirectory()
        contacts.save(Contact(id: "c-1", fields: [:], tags: [], ownerID: nil, createdAt: Self.start))
        let automation = try Self.folder.automation(addingActionsOf: policy, policyFile: "dunning-policy.yaml")
        let engine = try Engine(automation, start: Self.start, ports: Engine.Ports(contacts: contacts))
        let failure = Self.event(.autochargeFailed, code: "stolen_card")
        let (id, started) = try engine.start(workflowID: policy.scheduleWorkflowID, contactID: "c-1", event: failure)
        let enrollment = try #require(id)
        #expect(started.last.map { "\($0.status.rawValue) \($0.stepID ?? "-")" } == "waiting hard-wait-for-card", "\(started.map(\.message))")
        let card = engine.signal(Self.event(.paymentMethodUpdated), enrollmentID: enrollment, keepingEvent: true)
        #expect(card.last.map { "\($0.status.rawValue) \($0.stepID ?? "-")" } == "waiting attempt-2-due", "\(card.map(\.message))")
        // The enrollment keeps the failure as its event, not the card update.
        #expect(engine.enrollment(id: enrollment)?.event?.type == .autochargeFailed)
        #expect(engine.enrollment(id: enrollment)?.event?.payment?.declineCode == "stolen_card")
    }

    @Test("a 100-attempt policy's schedule runs on the engine within its work budget")
    func hundredAttempts() throws {
        let gaps = Array(repeating: "1h", count: 99).joined(separator: ", ")
        let policy = try Self.policy("format: 1\nid: long\nname: Long\nretries: {gaps: [\(gaps)]}\nmaxInvoiceAgeMonths: null\n")
        let workflows = policy.scheduleWorkflows()
        #expect(workflows[0].steps.count == 400)
        let engine = try Engine(workflows: workflows, start: Self.start)
        #expect(engine.workflowsOverBudget.isEmpty)
        for workflow in workflows { #expect(try Workflow(json: workflow.json) == workflow) }
    }

    @Test("the compiled workflows read back as workflow files, and validate accepts them beside an import's output (no errors)")
    func validateAcceptsThem() throws {
        let policy = try DunningPolicyFile.load(path: Self.imported + "/dunning-policy.yaml")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("schedule-validate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.imported), to: scratch)
        for workflow in policy.scheduleWorkflows() {
            #expect(try Workflow(json: workflow.json) == workflow)
            try workflow.json.canonicalText.write(to: scratch.appendingPathComponent("workflows/\(workflow.id).json"), atomically: true, encoding: .utf8)
        }
        let report = try WorkflowValidation().validate([scratch.path])
        #expect(report.errors == 0, "\(report.problems.map(\.description))")
        // And the folder as publish reads it, with the compiled ones added, makes an engine.
        let loaded = try LoadedAutomation(folder: Self.imported)
        let automation = try loaded.automation(addingActionsOf: policy, policyFile: "dunning-policy.yaml")
        #expect(automation.workflows.filter { $0.id.hasPrefix("dunning.") }.count == 2)
        _ = try Engine(automation, start: Self.start)
    }
}

/// Docs/dunning.md, "The schedule on the engine": its JSON is what the example policy of "A
/// policy" compiles to (the schedule's steps the doc shows, and the decline step in full).
@Suite("Docs/dunning.md shows the compiled schedule of its example policy")
struct ScheduleWorkflowDocTests {
    static func blocks(_ text: Substring, fence: String) -> [String] {
        var blocks: [String] = []
        var rest = text
        while let open = rest.range(of: "```" + fence + "\n") {
            guard let close = rest[open.upperBound...].range(of: "\n```") else { break }
            blocks.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return blocks
    }

    @Test("the schedule JSON (attempts 3 and 4 left out) and the decline step are the compiled ones")
    func docJSON() throws {
        let doc = try String(contentsOf: BuiltProducts.root.appendingPathComponent("Docs/dunning.md"), encoding: .utf8)
        let policyPart = try #require(doc.range(of: "## A policy\n"))
        let yaml = try #require(Self.blocks(doc[policyPart.upperBound...], fence: "yaml").first)
        let policy = try DunningPolicyFile.policy(Array(yaml.utf8), file: "dunning.md")
        let section = try #require(doc.range(of: "## The schedule on the engine\n"))
        let end = doc[section.upperBound...].range(of: "\n## ")?.lowerBound ?? doc.endIndex
        let json = Self.blocks(doc[section.upperBound..<end], fence: "json")
        #expect(json.count == 2)
        let workflows = policy.scheduleWorkflows()
        #expect(workflows[0].steps.count == 16)
        var schedule = workflows[0]
        let shown = try Workflow(json: JSONValue.parse(Array(json[0].utf8)))
        let ids = Set(shown.steps.map(\.id))
        schedule.steps = schedule.steps.filter { ids.contains($0.id) }
        #expect(shown == schedule)
        #expect(ids.count == 8)
        // The prose names the decline workflow's id the JSON shows.
        #expect(doc[section.upperBound..<end].contains("`\(policy.declineWorkflowID)`"), "the doc should name \(policy.declineWorkflowID)")
        let step = try JSONValue.parse(Array(json[1].utf8))
        #expect(step == workflows[1].steps[0].json)
    }
}
