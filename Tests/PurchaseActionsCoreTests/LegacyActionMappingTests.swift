import Foundation
import PurchaseActionsCore
import Testing

/// Every legacy action type compiles to a workflow step of its own kind; only the ones Docs/mapping.md
/// lists, with a reason, become `legacy` actions.
@Suite("Compiler: every legacy action type")
struct LegacyActionMappingTests {
    static let here = FileLocation(file: "test.xml", line: 7)

    /// The action elements allowed to compile to a `legacy` action, as Docs/mapping.md lists them.
    static let keptAsLegacy: Set<String> = ["send-fax", "send-letter", "send-voice"]

    /// One action of every kind. The switch in ``covers(_:)`` has no default, so a new kind of action
    /// does not compile until it is added here.
    static let samples: [ActionKind] = [
        .applyTag(tagID: "t"), .removeTag(tagID: "t"), .sendEmail(templateID: "email", to: .owner), .sendSMS(from: "Shop", message: "Hi ~Contact.FirstName~"),
        .createTask(templateID: "task"), .createNote(templateID: "note"), .createAppointment(templateID: "appointment"),
        .httpPost(HTTPPost(url: "https://example.com/hook", mode: .allContactFields, parameters: [.init(name: "e", value: "~Contact.Email~")])),
        .setField(field: "_Size", value: "L"), .assignOwner(userID: "u"), .createOrder(CreateOrder(lines: [.init(item: .bundle(id: "b"))])),
        .startSequence(sequenceID: "s"), .stopSequence(sequenceID: "s"), .runActionSet(actionSetID: "as-2"),
        .achieveGoal(integration: "shop", callName: "bought"), .cancelSubscription(planID: nil), .completeTasks(templateID: "task"),
        .createOpportunity(title: "Upsell", stage: "new", ownerID: nil), .sendFax(templateID: "fax"), .sendLetter(templateID: "letter"),
        .sendVoice(templateID: "voice"), .sendFulfillmentList(templateID: "list"),
    ]

    static func covers(_ kind: ActionKind) -> Bool {
        switch kind {
        case .applyTag, .removeTag, .sendEmail, .sendSMS, .createTask, .createNote, .createAppointment, .httpPost, .setField, .assignOwner,
            .createOrder, .startSequence, .stopSequence, .runActionSet, .achieveGoal, .cancelSubscription, .completeTasks, .createOpportunity,
            .sendFax, .sendLetter, .sendVoice, .sendFulfillmentList:
            true
        case .opaque: false
        }
    }

    static var catalogue: Catalogue {
        var catalogue = Catalogue()
        let contents: [String: TemplateContent] = [
            "email": .email(EmailTemplate(fromName: "Shop", fromAddress: "shop@example.com", subject: "Hi ~Contact.FirstName~", text: "Thanks")),
            "task": .task(TaskTemplate(assigneeID: "u", dueInDays: 2, priority: .high, description: "Call")),
            "note": .note(type: "Call", body: "Bought"), "appointment": .appointment(AppointmentTemplate(inDays: 1, at: "09:00")),
            "fax": .fax(body: "x"), "letter": .letter(body: "x"), "voice": .voice(recording: nil, script: "x"),
            "list": .fulfillmentList(to: "3pl@example.com", fields: ["FirstName", "StreetAddress1"], queued: false),
        ]
        for (id, content) in contents { catalogue.templates[id] = Template(id: id, name: id, content: content, location: here) }
        return catalogue
    }

    static func compile(_ kind: ActionKind) -> LegacyCompiler.Output {
        let settings = AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", location: here)
        let set = ActionSet(id: "as-1", name: "One", actions: [Action(id: "as-1.a", kind: kind, location: here)], location: here)
        return LegacyCompiler(settings: settings, catalogue: catalogue).compile(set)
    }

    @Test("The samples hold every kind of action once")
    func samplesCoverEveryKind() {
        #expect(Self.samples.allSatisfy(Self.covers))
        #expect(Set(Self.samples.map(\.elementName)).count == Self.samples.count)
    }

    @Test("Only the listed kinds become legacy actions, each with a finding", arguments: samples)
    func onlyListedKindsBecomeLegacy(kind: ActionKind) throws {
        let output = Self.compile(kind)
        let step = try #require(output.workflow.steps.first)
        let isLegacy = if case .action(.legacy) = step.kind { true } else { false }
        #expect(isLegacy == Self.keptAsLegacy.contains(kind.elementName))
        #expect(output.findings.contains { $0.code == .legacyAction } == isLegacy)
        #expect(!output.findings.contains { $0.code == .missingReference }, "the sample's template is in the catalogue")
    }

    @Test("Docs/mapping.md gives the reason for every kind kept as legacy")
    func mappingDocumentsEveryLegacyKind() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let mapping = try String(contentsOf: root.appendingPathComponent("Docs/mapping.md"), encoding: .utf8)
        let section = try #require(mapping.components(separatedBy: "## Kept as legacy actions").dropFirst().first)
        for element in Self.keptAsLegacy {
            #expect(section.contains("`\(element)`"), "Docs/mapping.md, 'Kept as legacy actions', must give the reason for \(element)")
        }
        for sample in Self.samples {
            #expect(mapping.contains("`\(sample.elementName)`"), "Docs/mapping.md must map \(sample.elementName)")
        }
    }

    @Test("A rule becomes an if step whose branch holds the action, with the rule's criteria as conditions")
    func ruleBecomesIfStep() throws {
        let rule = Rule(
            match: .none,
            criteria: [Criterion(.hasTag("vip"), location: Self.here), Criterion(.field(name: "Country", op: .equals, value: "Ireland"), location: Self.here)],
            location: Self.here)
        let settings = AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", location: Self.here)
        let set = ActionSet(id: "as-1", name: "One", actions: [Action(id: "as-1.a", kind: .applyTag(tagID: "t"), rule: rule, location: Self.here)], location: Self.here)
        let step = try #require(LegacyCompiler(settings: settings, catalogue: Catalogue()).compile(set).workflow.steps.first)
        #expect(step.id == "as-1.a:if")
        guard case .branch(let branches, let otherwise) = step.kind, let branch = branches.first else {
            Issue.record("expected an if step, got \(step.kind)")
            return
        }
        #expect(branches.count == 1 && otherwise.isEmpty)
        #expect(branch.steps.map(\.id) == ["as-1.a"])
        #expect(branch.when.id == "as-1.a:rule")
        let vipIreland: (String) -> FieldValue? = { $0 == "contact.tags" ? .list(["vip"]) : $0 == "contact.fields.Country" ? .text("ireland") : nil }
        let neither: (String) -> FieldValue? = { $0 == "contact.tags" ? .list(["other"]) : $0 == "contact.fields.Country" ? .text("France") : nil }
        #expect(!branch.when.holds(vipIreland), "match none: a contact meeting a criterion is excluded")
        #expect(branch.when.holds(neither))
    }

    @Test("An opaque action's step id is a valid id, whatever its element was called")
    func opaqueStepIDs() throws {
        let settings = AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", location: Self.here)
        let part = OpaquePart(kind: .element, namespace: "urn:x", name: "ünknown", location: FileLocation(file: "t.xml", line: 3, column: 9))
        let actions = [
            Action(id: "slack-notify@12:5", kind: .opaque(part), location: FileLocation(file: "t.xml", line: 12, column: 5)),
            Action(id: "ünknown@3:9", kind: .opaque(part), location: FileLocation(file: "t.xml", line: 3, column: 9)),
        ]
        let set = ActionSet(id: "as-1", name: "One", actions: actions, location: Self.here)
        let steps = LegacyCompiler(settings: settings, catalogue: Catalogue()).compile(set).workflow.steps
        #expect(steps.map(\.id) == ["slack-notify:12:5", "opaque:3:9"])
        #expect(steps.allSatisfy { Workflow.isValidID($0.id) })
    }

    @Test("Merge fields become the modern syntax; unknown ones are kept and reported")
    func mergeFields() throws {
        let output = Self.compile(.sendSMS(from: nil, message: "Order ~Invoice.Total~ for ~Contact.FirstName~"))
        guard case .action(.sendSMS(_, let message))? = output.workflow.steps.first?.kind else {
            Issue.record("expected an SMS step")
            return
        }
        #expect(message == "Order ~Invoice.Total~ for {{contact.FirstName}}")
        #expect(output.findings.map(\.code) == [.unknownMergeField])
        #expect(output.findings.first?.message.contains("~Invoice.Total~") == true)
        #expect(output.findings.first?.location.line == 7)
    }
}
