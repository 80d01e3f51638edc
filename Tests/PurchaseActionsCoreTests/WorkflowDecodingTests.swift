import Foundation
import PurchaseActionsCore
import Testing

/// The workflow decoder is the exact inverse of the encoder: golden files load and re-encode to their
/// bytes, a workflow using every part round-trips, and broken documents are refused at the right path.
@Suite("Workflow decoding")
struct WorkflowDecodingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/expected/<account>/workflows/<id>.json`, relative to the repository root, sorted.
    static let goldenFiles: [String] = {
        let expected = root.appendingPathComponent("Fixtures/expected")
        let accounts = (try? FileManager.default.contentsOfDirectory(atPath: expected.path)) ?? []
        return accounts.flatMap { account in
            let folder = expected.appendingPathComponent(account).appendingPathComponent("workflows")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { $0.hasSuffix(".json") }.map { "Fixtures/expected/\(account)/workflows/\($0)" }
        }.sorted()
    }()

    static func text(_ relativePath: String) -> String {
        (try? String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)) ?? ""
    }

    @Test("The golden workflow files are there")
    func goldenFilesExist() {
        #expect(Self.goldenFiles.count >= 40)
    }

    @Test("A golden workflow file loads with its migration's templates and re-encodes to its exact bytes", arguments: goldenFiles)
    func goldenFileRoundTrips(_ path: String) throws {
        let text = Self.text(path)
        let templates = GoldenMigration.templates(of: path)
        let workflow = try Workflow.load(Array(text.utf8), templates: templates)
        #expect(workflow.json(referencing: templates).canonicalText == text)
        #expect(path.hasSuffix("/\(workflow.id).json"))
    }

    @Test("A workflow using every step, wait, action and recipient round-trips")
    func everythingRoundTrips() throws {
        let workflow = Self.everything
        let decoded = try Workflow(json: workflow.json)
        #expect(decoded == workflow)
        #expect(try Workflow.load(workflow.json.canonicalBytes) == workflow)
        // The parts decode on their own too.
        for step in workflow.steps { #expect(try Step(json: step.json) == step) }
        #expect(try WorkflowSettings(json: workflow.settings.json) == workflow.settings)
    }

    @Test("The hand-written workflow covers every kind of step, wait, action and recipient")
    func everythingCoversTheFormat() {
        let steps = Self.allSteps(Self.everything.steps)
        #expect(Set(steps.compactMap { $0.json.member("type") }) == Set(Step.typeNames))
        let actions = steps.compactMap { step -> WorkflowAction? in if case .action(let action) = step.kind { action } else { nil } }
        #expect(Set(actions.map(\.typeName)) == Set(WorkflowAction.typeNames))
        let waits = steps.compactMap { step -> String? in if case .wait(let wait) = step.kind { wait.json.member("until") } else { nil } }
        #expect(Set(waits) == Set(Wait.untilNames))
        let recipients = actions.compactMap { action -> String? in
            switch action {
            case .sendEmail(let email): email.to.json.member("type")
            case .notify(let notification): notification.to.json.member("type")
            default: nil
            }
        }
        #expect(Set(recipients) == Set(Recipient.typeNames))
        #expect(Self.everything.settings.sendWindow != nil && Self.everything.settings.defaultSender != nil)
    }

    @Test("Condition fields: the fixed list and contact.fields.<Name>")
    func conditionFields() {
        #expect(Condition.isKnownField("order.products"))
        #expect(Condition.isKnownField("contact.fields._ShirtSize"))
        #expect(!Condition.isKnownField("contact.fields."))
        #expect(!Condition.isKnownField("contact.fields.9Lives"))
        #expect(!Condition.isKnownField("order.id"))
        #expect(Condition.knownFields.count == 22)
    }

    @Test("The decoder's vocabularies are the schema's enums")
    func vocabulariesMatchTheSchema() throws {
        let schema = try JSONValue.parse(Array(Self.text("Docs/workflow-format.schema.json").utf8))
        let defs = schema["$defs"]
        #expect(Set(defs["fieldName"]["anyOf"][0]["enum"].strings) == Condition.knownFields)
        #expect(defs["eventType"]["enum"].strings == EventType.all.map(\.rawValue))
        #expect(Set(defs["triggerEvent"]["enum"].strings) == Set((EventType.all + [.manual]).map(\.rawValue)))
        #expect(defs["step"]["properties"]["type"]["enum"].strings == Step.typeNames)
        #expect(defs["wait"]["properties"]["until"]["enum"].strings == Wait.untilNames)
        #expect(defs["wholeAction"]["properties"]["type"]["enum"].strings == WorkflowAction.typeNames)
        #expect(defs["actionNamingTemplate"]["properties"]["type"]["enum"].strings == WorkflowAction.typeNames)
        let template = try JSONValue.parse(Array(Self.text("Docs/template-format.schema.json").utf8))
        #expect(template["properties"]["action"]["properties"]["type"]["enum"].strings == WorkflowAction.typeNames)
        #expect(template["properties"]["kind"]["enum"].strings == TemplateKind.allCases.map(\.rawValue))
        #expect(defs["recipient"]["properties"]["type"]["enum"].strings == Recipient.typeNames)
        #expect(defs["compareCondition"]["properties"]["op"]["enum"].strings == ConditionOperator.allCases.map(\.rawValue))
        #expect(defs["sendWindow"]["properties"]["days"]["items"]["enum"].strings == SendWindow.Day.allCases.map(\.rawValue))
        #expect(defs["settings"]["properties"]["timezone"]["enum"].strings == WorkflowSettings.TimezoneChoice.allCases.map(\.rawValue))
        #expect(defs["createTaskAction"]["properties"]["priority"]["enum"].strings == TaskTemplate.Priority.allCases.map(\.rawValue))
        #expect(defs["waitDelay"]["properties"]["from"]["enum"].strings == DelayStart.allCases.map(\.rawValue))
        #expect(schema["properties"]["status"]["enum"].strings == Workflow.Status.allCases.map(\.rawValue))
    }

    @Test("A broken document is refused with the expected code and path", arguments: BrokenDocument.all)
    func brokenDocumentIsRefused(_ broken: BrokenDocument) throws {
        let text = try #require(broken.text, "the edit must apply to the base document")
        do {
            let workflow = try Workflow.load(Array(text.utf8))
            Issue.record("loaded \(workflow.id) instead of failing")
        } catch {
            #expect(error.code == broken.code, "\(error)")
            #expect(error.path.description == broken.path, "\(error)")
            if let line = broken.line { #expect(error.line == line && error.column == broken.column, "\(error)") }
        }
    }

    @Test("The unbroken bases load")
    func basesLoad() throws {
        _ = try Workflow.load(Array(BrokenDocument.minimal().utf8))
        _ = try Workflow.load(Array(BrokenDocument.minimal(triggers: BrokenDocument.trigger(#"{"field": "tag", "op": "is-empty"}"#)).utf8))
        _ = try Workflow.load(Array(BrokenDocument.minimal(steps: BrokenDocument.action(#"{"type": "retry-charge"}"#)).utf8))
    }

    @Test("formatVersion 2 says which versions this reader knows")
    func formatVersionMessage() {
        let text = BrokenDocument.minimal().replacing(#""formatVersion": 1"#, with: #""formatVersion": 2"#)
        #expect {
            try Workflow.load(Array(text.utf8))
        } throws: { error in
            (error as? JSONError)?.message.contains("formatVersion 1") == true
        }
    }

    static func allSteps(_ steps: [Step]) -> [Step] {
        steps.flatMap { step -> [Step] in
            switch step.kind {
            case .branch(let branches, let otherwise): [step] + allSteps(branches.flatMap(\.steps) + otherwise)
            case .wait(.untilCondition(_, _, let onTimeout)), .wait(.untilEvent(_, _, _, let onTimeout)): [step] + allSteps(onTimeout)
            default: [step]
            }
        }
    }
}

extension JSONValue {
    /// A member of an object, or `null`.
    fileprivate subscript(name: String) -> JSONValue {
        if case .object(let members) = self { members[name] ?? .null } else { .null }
    }

    /// An element of an array, or `null`.
    fileprivate subscript(index: Int) -> JSONValue {
        if case .array(let values) = self, values.indices.contains(index) { values[index] } else { .null }
    }

    /// The strings of an array of strings.
    fileprivate var strings: [String] {
        guard case .array(let values) = self else { return [] }
        return values.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    /// A string member of an object, if there is one.
    fileprivate func member(_ name: String) -> String? {
        if case .object(let members) = self, case .string(let text) = members[name] { text } else { nil }
    }
}

// MARK: - A workflow using every part of the format

extension WorkflowDecodingTests {
    static let trace = SourceTrace(file: "hand-written.json", path: "/steps/1", line: 0)

    static let everything = Workflow(
        id: "hand:everything", name: "Everything", description: "Uses every part of format v1.", version: 3, status: .draft,
        priority: -5,
        triggers: [
            Trigger(id: "manual", event: .manual, source: trace),
            Trigger(
                id: "paid", event: .paymentSucceeded,
                filters: [
                    .field("order.products", .contains, .text("prod-1"), id: "bought"),
                    .field("payment.amount", .atLeast, .integer(4700)),
                    .field("order.source", .in, .list(["cart", "order-form"])),
                    .field("contact.fields.Birthday", .before, .text("2000-02-29")),
                    .field("order.gateway", .isEmpty, id: "no-gateway", source: trace),
                    Condition(id: "either", .any([.field("tag", .equals, .text("vip")), Condition(.all([]))])),
                    Condition(.not(.field("payment.kind", .notIn, .list(["renewal"])))),
                ]),
        ],
        steps: [
            Step(id: "s.add", .action(.addTag(tagID: "tag-a")), source: trace),
            Step(id: "s.remove", .action(.removeTag(tagID: "tag-b"))),
            Step(
                id: "s.mail-contact",
                .action(
                    .sendEmail(
                        EmailMessage(
                            to: .contact, from: Sender(name: "Maya at {{owner.FirstName}}", address: "maya@example.com"),
                            replyTo: "help@example.com", subject: "Hi {{contact.FirstName}}", html: "<p>Hi</p>", text: "Hi",
                            templateID: "tpl-1")))),
            Step(id: "s.mail-owner", .action(.sendEmail(EmailMessage(to: .owner, from: nil, subject: "New sale", text: "Sold.")))),
            Step(id: "s.mail-user", .action(.sendEmail(EmailMessage(to: .user("user-1"), from: nil, subject: "FYI", html: "<b>x</b>")))),
            Step(id: "s.sms", .action(.sendSMS(from: "Shop", message: "Thanks!"))),
            Step(id: "s.sms-default", .action(.sendSMS(from: nil, message: "Thanks again"))),
            Step(
                id: "s.notify",
                .action(
                    .notify(
                        InternalNotification(
                            to: .address("picklists@3pl.example.com"), subject: "Pick list", body: "Ship it", fields: ["FirstName", "_Size"],
                            templateID: "fl-1")))),
            Step(id: "s.notify-bare", .action(.notify(InternalNotification(to: .owner, subject: "Hello")))),
            Step(
                id: "s.task",
                .action(
                    .createTask(
                        TaskDetails(
                            title: "Call", description: "Call them", assigneeID: "user-2", dueInDays: 0, priority: .high, templateID: "tpl-task")))),
            Step(id: "s.task-bare", .action(.createTask(TaskDetails(title: "Follow up")))),
            Step(id: "s.note", .action(.createNote(title: "Note", type: "Billing", body: "Cancelled", templateID: "note-1"))),
            Step(id: "s.note-bare", .action(.createNote(title: "Note", type: nil, body: nil, templateID: nil))),
            Step(
                id: "s.appointment",
                .action(
                    .createAppointment(
                        AppointmentDetails(
                            title: "Welcome call", description: "20 minutes", assigneeID: "user-3", inDays: 3, at: "10:30",
                            durationMinutes: 20, templateID: "appt-1")))),
            Step(id: "s.appointment-bare", .action(.createAppointment(AppointmentDetails(title: "Meet")))),
            Step(
                id: "s.webhook",
                .action(
                    .webhook(
                        Webhook(
                            url: "https://example.com/hook?x=1", fields: [HTTPPost.Parameter(name: "level", value: "{{contact._Level}}")],
                            includeAllContactFields: false)))),
            Step(id: "s.webhook-bare", .action(.webhook(Webhook(url: "http://example.com", fields: [], includeAllContactFields: true)))),
            Step(id: "s.field", .action(.updateField(field: "_Level", value: "gold"))),
            Step(id: "s.owner", .action(.assignOwner(userID: "user-4"))),
            Step(
                id: "s.order",
                .action(
                    .createOrder(
                        CreateOrder(
                            paymentPlanID: "pp-1", autocharge: false, promoCode: "SAVE10",
                            lines: [
                                .init(item: .product(id: "prod-1", priceOptionID: "po-1"), quantity: 2), .init(item: .product(id: "prod-2", priceOptionID: nil)),
                                .init(item: .bundle(id: "bundle-1")), .init(item: .subscriptionPlan(id: "plan-1"), quantity: 3),
                            ])))),
            Step(id: "s.cancel", .action(.cancelSubscription(planID: "plan-1"))),
            Step(id: "s.cancel-all", .action(.cancelSubscription(planID: nil))),
            Step(id: "s.complete", .action(.completeTasks(templateID: "tpl-task"))),
            Step(id: "s.complete-all", .action(.completeTasks(templateID: nil))),
            Step(id: "s.opportunity", .action(.createOpportunity(title: "Upsell", stage: "Qualified", ownerID: "user-5"))),
            Step(id: "s.opportunity-bare", .action(.createOpportunity(title: "Upsell", stage: nil, ownerID: nil))),
            Step(id: "s.retry", .action(.retryCharge)),
            Step(id: "s.goal-api", .action(.achieveGoal(integration: "sw482", callName: "joined"))),
            Step(id: "s.legacy", .action(.legacy(element: "send-letter", templateID: "letter-1", reason: "no delivery channel"))),
            Step(id: "s.legacy-bare", .action(.legacy(element: "{urn:x}thing", templateID: nil, reason: "unknown element"))),
            Step(id: "w.elapsed", .wait(.delay(Delay(days: 1, hours: 2, minutes: 30), calendarDays: false, at: nil, from: .now))),
            Step(id: "w.calendar", .wait(.delay(Delay(days: 7), calendarDays: true, at: "19:00", from: .enrollment))),
            Step(id: "w.calendar-no-at", .wait(.delay(Delay(), calendarDays: true, at: nil, from: .now))),
            Step(id: "w.date", .wait(.untilDate("2025-11-28T09:00:00-05:00"))),
            Step(id: "w.field", .wait(.untilField(field: "contact.fields._RenewalDate", offsetDays: -3, at: "09:00"))),
            Step(id: "w.field-no-at", .wait(.untilField(field: "contact.fields.Birthday", offsetDays: 0, at: nil))),
            Step(
                id: "w.condition",
                .wait(
                    .untilCondition(
                        .field("contact.tags", .contains, .text("tag-card-updated")), timeout: Delay(days: 7),
                        onTimeout: [Step(id: "w.condition.tell", .action(.addTag(tagID: "tag-late"))), Step(id: "w.condition.exit", .exit)]))),
            Step(
                id: "w.event",
                .wait(
                    .untilEvent(
                        .tagAdded, filters: [.field("tag", .equals, .text("tag-card-updated"))], timeout: Delay(hours: 36), onTimeout: []))),
            Step(id: "w.window", .wait(.window(SendWindow(days: [.mon, .wed, .fri], from: "09:00", to: "17:00")))),
            Step(
                id: "if",
                .branch(
                    [
                        Branch(
                            name: "VIP", when: .field("contact.tags", .contains, .text("tag-vip"), id: "is-vip"),
                            steps: [Step(id: "if.vip.call", .call(workflowID: "action-set.as-vip"))]),
                        Branch(name: "Nothing", when: Condition(.any([])), steps: []),
                    ],
                    otherwise: [Step(id: "if.none.enroll", .enroll(workflowID: "sequence.seq-1"))])),
            Step(id: "goal", .goal(Goal(name: "Bought VIP", event: .paymentSucceeded, filters: [.field("order.products", .contains, .text("prod-vip"))]))),
            Step(id: "goal.bare", .goal(Goal(name: "Replied", event: .contactReplied))),
            Step(id: "stop", .unenroll(workflowID: "sequence.seq-1")),
            Step(id: "done", .exit, source: trace),
        ],
        settings: WorkflowSettings(
            allowReentry: false, onePerOrder: true, stopOnResponse: true, timezone: .contact, accountTimezone: "America/Argentina/Buenos_Aires",
            sendWindow: SendWindow(days: [.mon, .tue, .wed, .thu, .fri], from: "08:00", to: "20:00"),
            defaultSender: Sender(name: "Shop", address: "shop@example.com")),
        source: trace)
}

// MARK: - Broken documents

/// A document the decoder must refuse, with the error's code and path (and line and column, for syntax).
struct BrokenDocument: Sendable, CustomTestStringConvertible {
    let name: String
    /// The document; `nil` when the edit that makes it did not apply to its base.
    let text: String?
    let code: JSONError.Code
    let path: String
    var line: Int? = nil
    var column: Int? = nil

    var testDescription: String { name }

    static let vip = "Fixtures/expected/course-creator/workflows/action-set.as-vip.json"
    static let brew = "Fixtures/expected/physical-goods-store/workflows/sequence.seq-brew-school.json"
    static let slot = "Fixtures/expected/course-creator/workflows/slot.product-purchase.prod-foundations-vip.json"
    static let card = "Fixtures/expected/membership-site/workflows/billing.ba-card-expiring-30.json"

    /// A golden file, whole (its templates' members in its actions), with the first `old` replaced
    /// by `new`; `nil` if it holds no `old`.
    static func edit(_ file: String, _ old: String, _ new: String) -> String? {
        let text = GoldenMigration.wholeText(file)
        return text.contains(old) ? text.replacing(old, with: new, maxReplacements: 1) : nil
    }

    static let settings =
        #"{"allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account", "accountTimezone": "UTC"}"#

    /// A small valid workflow, on one line, with the given parts.
    static func minimal(triggers: String = "[]", steps: String = "[]", settings: String = settings, extra: String = "") -> String {
        #"{"formatVersion": 1, "id": "w", "name": "W", "version": 1, "status": "draft", "priority": 0, "triggers": \#(triggers), "steps": \#(steps), "settings": \#(settings)\#(extra)}"#
    }

    /// Triggers: one on `payment.succeeded` with one filter.
    static func trigger(_ filter: String) -> String { #"[{"id": "t", "event": "payment.succeeded", "filters": [\#(filter)]}]"# }
    /// Steps: one action step.
    static func action(_ action: String) -> String { #"[{"id": "a", "type": "action", "action": \#(action)}]"# }
    /// Steps: one wait step.
    static func wait(_ wait: String) -> String { #"[{"id": "w", "type": "wait", "wait": \#(wait)}]"# }
    /// A workflow with settings holding `sendWindow` and `defaultSender` members.
    static func settings(_ members: String) -> String {
        minimal(settings: #"{"allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account", "accountTimezone": "UTC", \#(members)}"#)
    }

    static let all: [BrokenDocument] = [
        // Edits of golden files.
        BrokenDocument(
            name: "unknown member in an action", text: edit(vip, #""tag": "tag-vip","#, #""colour": "red", "tag": "tag-vip","#),
            code: .unknownMember, path: "$.steps[1].action.colour"),
        BrokenDocument(name: "bad step type", text: edit(vip, #""type": "call","#, #""type": "jump","#), code: .invalidValue, path: "$.steps[0].type"),
        BrokenDocument(name: "bad step id", text: edit(vip, #""id": "as-vip.tier""#, #""id": "-tier""#), code: .invalidValue, path: "$.steps[1].id"),
        BrokenDocument(
            name: "duplicate step id", text: edit(vip, #""id": "as-vip.untier""#, #""id": "as-vip.tier""#), code: .invalidValue,
            path: "$.steps[2].id"),
        BrokenDocument(
            name: "formatVersion 2", text: edit(vip, #""formatVersion": 1"#, #""formatVersion": 2"#), code: .invalidValue, path: "$.formatVersion"),
        BrokenDocument(
            name: "manual trigger with filters", text: edit(vip, #""filters": [],"#, #""filters": [{"field": "tag", "op": "is-empty"}],"#),
            code: .invalidValue, path: "$.triggers[0].filters"),
        BrokenDocument(
            name: "null for an optional member",
            text: edit(
                vip,
                #""description": "Legacy action set as-vip: its actions, top to bottom. Run by id, by the slots and rules that use it, and by run-action-set.","#,
                #""description": null,"#), code: .wrongType, path: "$.description"),
        BrokenDocument(
            name: "null for an optional member of an action", text: edit(vip, #""replyTo": "maya@fernhill.example.com","#, #""replyTo": null,"#),
            code: .wrongType, path: "$.steps[4].action.replyTo"),
        BrokenDocument(
            name: "at with calendarDays false", text: edit(brew, #""calendarDays": true,"#, #""calendarDays": false,"#), code: .invalidValue,
            path: "$.steps[1].wait.at"),
        BrokenDocument(
            name: "unknown field in a condition", text: edit(slot, #""field": "order.products""#, #""field": "order.product""#),
            code: .invalidValue, path: "$.triggers[0].filters[0].field"),
        BrokenDocument(
            name: "unknown event", text: edit(slot, #""event": "payment.succeeded""#, #""event": "payment.done""#), code: .invalidValue,
            path: "$.triggers[0].event"),
        BrokenDocument(
            name: "a fraction", text: edit(card, #""value": 30"#, #""value": 4700.5"#), code: .notAnInteger, path: "$.triggers[0].filters[0].value",
            line: 40, column: 20),
        // Syntax.
        BrokenDocument(name: "duplicate member name", text: "{\n  \"id\": \"a\",\n  \"id\": \"b\"\n}", code: .syntax, path: "$", line: 3, column: 3),
        BrokenDocument(name: "not an object", text: "[]", code: .wrongType, path: "$"),
        // The workflow object.
        BrokenDocument(name: "unknown member with an odd name", text: minimal(extra: #", "x y": 1"#), code: .unknownMember, path: "$['x y']"),
        BrokenDocument(
            name: "missing priority", text: minimal().replacing(#""priority": 0, "#, with: ""), code: .missingMember, path: "$"),
        BrokenDocument(
            name: "version 0", text: minimal().replacing(#""version": 1"#, with: #""version": 0"#), code: .invalidValue, path: "$.version"),
        BrokenDocument(
            name: "unknown status", text: minimal().replacing(#""draft""#, with: #""live""#), code: .invalidValue, path: "$.status"),
        BrokenDocument(
            name: "priority as text", text: minimal().replacing(#""priority": 0"#, with: #""priority": "high""#), code: .wrongType,
            path: "$.priority"),
        BrokenDocument(
            name: "negative source line", text: minimal(extra: #", "source": {"file": "f", "path": "p", "line": -1}"#), code: .invalidValue,
            path: "$.source.line"),
        // Triggers and conditions.
        BrokenDocument(
            name: "trigger without filters", text: minimal(triggers: #"[{"id": "t", "event": "tag.added"}]"#), code: .missingMember,
            path: "$.triggers[0]"),
        BrokenDocument(
            name: "value missing on equals", text: minimal(triggers: trigger(#"{"field": "payment.kind", "op": "equals"}"#)),
            code: .missingMember, path: "$.triggers[0].filters[0]"),
        BrokenDocument(
            name: "value present on is-empty", text: minimal(triggers: trigger(#"{"field": "order.gateway", "op": "is-empty", "value": ""}"#)),
            code: .invalidValue, path: "$.triggers[0].filters[0].value"),
        BrokenDocument(
            name: "condition with field and all", text: minimal(triggers: trigger(#"{"field": "tag", "op": "is-empty", "all": []}"#)),
            code: .invalidValue, path: "$.triggers[0].filters[0]"),
        BrokenDocument(
            name: "condition with no test", text: minimal(triggers: trigger(#"{"id": "c"}"#)), code: .missingMember,
            path: "$.triggers[0].filters[0]"),
        BrokenDocument(
            name: "in with no values", text: minimal(triggers: trigger(#"{"field": "order.source", "op": "in", "value": []}"#)),
            code: .invalidValue, path: "$.triggers[0].filters[0].value"),
        BrokenDocument(
            name: "in with an integer", text: minimal(triggers: trigger(#"{"field": "order.source", "op": "in", "value": ["cart", 1]}"#)),
            code: .wrongType, path: "$.triggers[0].filters[0].value[1]"),
        BrokenDocument(
            name: "equals with a list", text: minimal(triggers: trigger(#"{"field": "order.source", "op": "equals", "value": ["cart"]}"#)),
            code: .wrongType, path: "$.triggers[0].filters[0].value"),
        BrokenDocument(
            name: "before with an impossible date",
            text: minimal(triggers: trigger(#"{"field": "contact.fields.Birthday", "op": "before", "value": "2025-02-30"}"#)),
            code: .invalidValue, path: "$.triggers[0].filters[0].value"),
        BrokenDocument(
            name: "bad condition id", text: minimal(triggers: trigger(#"{"id": "a b", "all": []}"#)), code: .invalidValue,
            path: "$.triggers[0].filters[0].id"),
        BrokenDocument(
            name: "unknown member in a nested condition",
            text: minimal(triggers: trigger(#"{"not": {"field": "tag", "op": "is-empty", "colour": 1}}"#)), code: .unknownMember,
            path: "$.triggers[0].filters[0].not.colour"),
        // Settings.
        BrokenDocument(
            name: "send window closing at 24:00", text: settings(#""sendWindow": {"days": ["mon"], "from": "09:00", "to": "24:00"}"#),
            code: .invalidValue, path: "$.settings.sendWindow.to"),
        BrokenDocument(
            name: "send window day twice", text: settings(#""sendWindow": {"days": ["mon", "mon"], "from": "09:00", "to": "17:00"}"#),
            code: .invalidValue, path: "$.settings.sendWindow.days[1]"),
        BrokenDocument(
            name: "default sender without @", text: settings(#""defaultSender": {"name": "Shop", "address": "shop.example.com"}"#),
            code: .invalidValue, path: "$.settings.defaultSender.address"),
        BrokenDocument(
            name: "timezone with a space", text: minimal().replacing(#""UTC""#, with: #""America Denver""#), code: .invalidValue,
            path: "$.settings.accountTimezone"),
        // Steps and waits.
        BrokenDocument(
            name: "manual as a goal event", text: minimal(steps: #"[{"id": "g", "type": "goal", "goal": {"name": "G", "event": "manual", "filters": []}}]"#),
            code: .invalidValue, path: "$.steps[0].goal.event"),
        BrokenDocument(
            name: "if without branches", text: minimal(steps: #"[{"id": "i", "type": "if", "branches": [], "otherwise": []}]"#),
            code: .invalidValue, path: "$.steps[0].branches"),
        BrokenDocument(
            name: "unknown member in a branch's action",
            text: minimal(
                steps:
                    #"[{"id": "i", "type": "if", "branches": [{"name": "B", "when": {"all": []}, "steps": [{"id": "x", "type": "action", "action": {"type": "retry-charge", "colour": 1}}]}], "otherwise": []}]"#
            ), code: .unknownMember, path: "$.steps[0].branches[0].steps[0].action.colour"),
        BrokenDocument(
            name: "duplicate step id in onTimeout",
            text: minimal(
                steps:
                    #"[{"id": "x", "type": "exit"}, {"id": "w", "type": "wait", "wait": {"until": "condition", "condition": {"all": []}, "timeout": {}, "onTimeout": [{"id": "x", "type": "exit"}]}}]"#
            ), code: .invalidValue, path: "$.steps[1].wait.onTimeout[0].id"),
        BrokenDocument(
            name: "hours in a calendar delay",
            text: minimal(steps: wait(#"{"until": "delay", "delay": {"days": 1, "hours": 0}, "calendarDays": true, "from": "now"}"#)),
            code: .invalidValue, path: "$.steps[0].wait.delay.hours"),
        BrokenDocument(
            name: "negative minutes",
            text: minimal(steps: wait(#"{"until": "delay", "delay": {"minutes": -1}, "calendarDays": false, "from": "now"}"#)),
            code: .invalidValue, path: "$.steps[0].wait.delay.minutes"),
        BrokenDocument(
            name: "delay from later", text: minimal(steps: wait(#"{"until": "delay", "delay": {}, "calendarDays": false, "from": "later"}"#)),
            code: .invalidValue, path: "$.steps[0].wait.from"),
        BrokenDocument(
            name: "date without an offset", text: minimal(steps: wait(#"{"until": "date", "date": "2025-11-28T09:00:00"}"#)),
            code: .invalidValue, path: "$.steps[0].wait.date"),
        BrokenDocument(
            name: "wait on a field that is not a contact field",
            text: minimal(steps: wait(#"{"until": "field", "field": "order.date", "offsetDays": 0}"#)), code: .invalidValue,
            path: "$.steps[0].wait.field"),
        // Actions.
        BrokenDocument(
            name: "unknown action type", text: minimal(steps: action(#"{"type": "send-fax"}"#)), code: .invalidValue,
            path: "$.steps[0].action.type"),
        BrokenDocument(
            name: "quantity 0", text: minimal(steps: action(#"{"type": "create-order", "autocharge": true, "lines": [{"bundle": "b", "quantity": 0}]}"#)),
            code: .invalidValue, path: "$.steps[0].action.lines[0].quantity"),
        BrokenDocument(
            name: "two items in an order line",
            text: minimal(steps: action(#"{"type": "create-order", "autocharge": true, "lines": [{"bundle": "b", "product": "p", "quantity": 1}]}"#)),
            code: .invalidValue, path: "$.steps[0].action.lines[0]"),
        BrokenDocument(
            name: "price option on a bundle",
            text: minimal(
                steps: action(#"{"type": "create-order", "autocharge": true, "lines": [{"bundle": "b", "priceOption": "po", "quantity": 1}]}"#)),
            code: .unknownMember, path: "$.steps[0].action.lines[0].priceOption"),
        BrokenDocument(
            name: "webhook with GET",
            text: minimal(
                steps: action(#"{"type": "webhook", "url": "https://x.example", "method": "GET", "fields": [], "includeAllContactFields": false}"#)),
            code: .invalidValue, path: "$.steps[0].action.method"),
        BrokenDocument(
            name: "webhook to ftp",
            text: minimal(
                steps: action(#"{"type": "webhook", "url": "ftp://x.example", "method": "POST", "fields": [], "includeAllContactFields": false}"#)),
            code: .invalidValue, path: "$.steps[0].action.url"),
        BrokenDocument(
            name: "user member on a contact recipient",
            text: minimal(steps: action(#"{"type": "send-email", "to": {"type": "contact", "user": "u"}, "subject": "Hi", "text": "Hi"}"#)),
            code: .unknownMember, path: "$.steps[0].action.to.user"),
        BrokenDocument(
            name: "unknown recipient type", text: minimal(steps: action(#"{"type": "send-email", "to": {"type": "team"}, "subject": "Hi"}"#)),
            code: .invalidValue, path: "$.steps[0].action.to.type"),
        BrokenDocument(
            name: "appointment of 0 minutes", text: minimal(steps: action(#"{"type": "create-appointment", "title": "T", "durationMinutes": 0}"#)),
            code: .invalidValue, path: "$.steps[0].action.durationMinutes"),
        BrokenDocument(
            name: "unknown task priority", text: minimal(steps: action(#"{"type": "create-task", "title": "T", "priority": "urgent"}"#)),
            code: .invalidValue, path: "$.steps[0].action.priority"),
        BrokenDocument(
            name: "dotted field in update-field",
            text: minimal(steps: action(#"{"type": "update-field", "field": "contact.fields._Level", "value": "gold"}"#)),
            code: .invalidValue, path: "$.steps[0].action.field"),
        BrokenDocument(
            name: "dotted field in a notification",
            text: minimal(steps: action(#"{"type": "notify", "to": {"type": "owner"}, "subject": "S", "fields": ["contact.fields.Email"]}"#)),
            code: .invalidValue, path: "$.steps[0].action.fields[0]"),
        BrokenDocument(
            name: "empty legacy reason", text: minimal(steps: action(#"{"type": "legacy", "element": "send-fax", "reason": ""}"#)),
            code: .invalidValue, path: "$.steps[0].action.reason"),
    ]
}
