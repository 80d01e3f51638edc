import PropertyBased
import PurchaseActionsCore
import Testing

/// Workflow files that refer to templates (Docs/workflow-format.md, "Templates"): writing leaves out
/// what the template gives, loading puts it back, and a missing template is named with its path.
@Suite("Templates: workflows that refer to them")
struct WorkflowTemplateTests {
    static let template = WorkflowTemplate(
        id: "tpl-thanks", kind: .email, name: "Thanks",
        action: [
            "type": "send-email".json, "from": .members(["name": "Shop".json, "address": "shop@example.com".json]),
            "subject": "Thanks {{contact.FirstName}}".json, "html": "<p>Thanks</p>".json,
        ],
        source: SourceTrace(file: "export.xml", path: "/export/catalogue/templates/email-template[@id='tpl-thanks']", line: 12))

    static func workflow(_ message: EmailMessage) -> Workflow {
        Workflow(
            id: "action-set.as-1", name: "One", priority: 50, triggers: [Trigger(id: "manual", event: .manual)],
            steps: [
                Step(id: "send", .action(.sendEmail(message))),
                Step(
                    id: "if", .branch([Branch(name: "b", when: .field("contact.tags", .contains, .text("t")), steps: [Step(id: "inner", .action(.sendEmail(message)))])], otherwise: [])),
            ],
            settings: WorkflowSettings(accountTimezone: "UTC"))
    }

    static let whole = EmailMessage(
        to: .contact, from: Sender(name: "Shop", address: "shop@example.com"), subject: "Thanks {{contact.FirstName}}", html: "<p>Thanks</p>",
        templateID: "tpl-thanks")

    @Test("An action naming a template leaves out what the template gives, nested ones too, and loads back whole")
    func roundTrip() throws {
        let workflow = Self.workflow(Self.whole)
        let templates = [Self.template.id: Self.template]
        let written = workflow.json(referencing: templates)
        guard case .object(let root) = written, case .array(let steps)? = root["steps"], case .object(let step) = steps[0],
            case .object(let action)? = step["action"]
        else { Issue.record("not a workflow"); return }
        #expect(action == ["template": "tpl-thanks".json, "to": .members(["type": "contact".json])])
        #expect(!written.canonicalText.contains("<p>Thanks</p>"))
        #expect(try Workflow.load(written.canonicalBytes, templates: templates) == workflow)
    }

    @Test("An action's own members win over its template's, and a null leaves the template's out")
    func overriding() throws {
        var message = Self.whole
        message.subject = "Own subject"
        message.html = nil
        message.text = "text only"
        let workflow = Self.workflow(message)
        let templates = [Self.template.id: Self.template]
        let written = workflow.json(referencing: templates)
        let text = written.canonicalText
        #expect(text.contains("\"subject\": \"Own subject\""))
        #expect(text.contains("\"html\": null"))
        #expect(try Workflow.load(written.canonicalBytes, templates: templates) == workflow)
    }

    @Test("An action of another type naming a template takes nothing from it (complete-tasks)")
    func otherType() throws {
        let workflow = Workflow(
            id: "w", name: "W", priority: 1, triggers: [Trigger(id: "manual", event: .manual)],
            steps: [Step(id: "done", .action(.completeTasks(templateID: "tpl-thanks")))], settings: WorkflowSettings(accountTimezone: "UTC"))
        let templates = [Self.template.id: Self.template]
        #expect(workflow.json(referencing: templates) == workflow.json)
        #expect(try Workflow.load(workflow.json.canonicalBytes, templates: templates) == workflow)
    }

    @Test("A template that is not there: the error is at the action's template member and names templates/, with a line")
    func missingTemplate() throws {
        let written = Self.workflow(Self.whole).json(referencing: [Self.template.id: Self.template]).canonicalBytes
        do {
            _ = try Workflow.load(written, templates: [:])
            Issue.record("loaded without its template")
        } catch {
            #expect(error.code == .missingMember)
            #expect(error.path.description == "$.steps[0].action.template")
            #expect(error.message.contains("templates/"))
            #expect(error.message.contains("tpl-thanks"))
            #expect(error.line != nil)
        }
        // The plain loader says the same.
        #expect(throws: JSONError.self) { try Workflow.load(written) }
    }

    @Test("A template file reads back what it wrote; its id, kind and action type are checked")
    func templateFile() throws {
        #expect(try WorkflowTemplate.load(Self.template.json.canonicalBytes) == Self.template)
        for (text, path) in [
            (#"{"formatVersion":1,"id":"../x","kind":"email","name":"n","action":{"type":"send-email"}}"#, "$.id"),
            (#"{"formatVersion":1,"id":"a/b","kind":"email","name":"n","action":{"type":"send-email"}}"#, "$.id"),
            (#"{"formatVersion":1,"id":".hidden","kind":"email","name":"n","action":{"type":"send-email"}}"#, "$.id"),
            (#"{"formatVersion":1,"id":"x","kind":"mail","name":"n","action":{"type":"send-email"}}"#, "$.kind"),
            (#"{"formatVersion":1,"id":"x","kind":"email","name":"n","action":{"type":"send-mail"}}"#, "$.action.type"),
            (#"{"formatVersion":1,"id":"x","kind":"email","name":"n","action":{"subject":"s"}}"#, "$.action"),
            (#"{"formatVersion":1,"id":"x","kind":"email","name":"n","action":{"type":"send-email","template":"y"}}"#, "$.action.template"),
            (#"{"formatVersion":1,"id":"x","kind":"email","name":"n","action":[]}"#, "$.action"),
            (#"{"formatVersion":2,"id":"x","kind":"email","name":"n","action":{"type":"send-email"}}"#, "$.formatVersion"),
            (#"{"formatVersion":1,"id":"x","kind":"email","name":"n","action":{"type":"send-email"},"extra":1}"#, "$.extra"),
        ] {
            do {
                _ = try WorkflowTemplate.load(Array(text.utf8))
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.path.description == path, "\(text)")
                #expect(error.line == 1)
            }
        }
    }

    @Test("Template ids that could leave templates/ or hide are not ids")
    func hostileIDs() {
        for id in ["", ".", "..", "../etc", "a/b", "/abs", ".hidden", "a\\b", "a b", "a\u{0}b", String(repeating: "a", count: 129), "é"] {
            #expect(!WorkflowTemplate.isValidID(id), "\(id)")
        }
        for id in ["tpl-1", "a.b_c-d", "x:y", String(repeating: "a", count: 128)] {
            #expect(WorkflowTemplate.isValidID(id))
        }
    }
}


/// Writing with templates then loading with them gives the same workflow, whatever the templates
/// hold: the fixtures' own templates, templates whose members differ from or go beyond an action's,
/// of another type, without a type, or missing.
@Suite("Templates: the round trip, as a property")
struct WorkflowTemplateRoundTripTests {
    /// Every golden workflow, whole, and the hand-written one using every action type.
    static let workflows: [Workflow] =
        WorkflowDecodingTests.goldenFiles.compactMap { try? GoldenMigration.workflow($0) } + [WorkflowDecodingTests.everything]

    /// The action objects of `steps`, however nested.
    static func actions(_ steps: [Step]) -> [[String: JSONValue]] {
        steps.flatMap { step -> [[String: JSONValue]] in
            switch step.kind {
            case .action(let action):
                guard case .object(let members) = action.json else { return [] }
                return [members]
            case .branch(let branches, let otherwise): return branches.flatMap { actions($0.steps) } + actions(otherwise)
            case .wait(.untilCondition(_, _, let steps)), .wait(.untilEvent(_, _, _, let steps)): return actions(steps)
            default: return []
            }
        }
    }

    /// A template for `action` (which names `id`), made as `choice` says.
    static func template(_ id: String, from action: [String: JSONValue], choice: Int) -> WorkflowTemplate? {
        var members = action
        members["template"] = nil
        members["to"] = nil
        switch choice % 6 {
        case 1: if let name = members.keys.sorted().first(where: { $0 != "type" }) { members[name] = "changed".json }
        case 2: members["replyTo"] = "extra@example.com".json; members["colourful"] = 1.json
        case 3: members["type"] = "create-note".json
        case 4: members["type"] = nil
        case 5: return nil
        default: break
        }
        return WorkflowTemplate(id: id, kind: .email, name: id, action: members)
    }

    @Test("Workflow.json(referencing:) then Workflow.load(_:templates:) gives the same workflow")
    func roundTrip() async {
        let count = Self.workflows.count
        #expect(count > 40)
        await propertyCheck(count: 300, input: Gen.int(in: 0...(count - 1)), Gen.int(in: 0...5).array(of: 1...12)) { index, choices in
            let workflow = Self.workflows[index]
            var templates: [String: WorkflowTemplate] = [:]
            for (offset, action) in Self.actions(workflow.steps).enumerated() {
                guard case .string(let id)? = action["template"], templates[id] == nil else { continue }
                if let template = Self.template(id, from: action, choice: choices[offset % choices.count]) { templates[id] = template }
            }
            let written = workflow.json(referencing: templates)
            #expect(throws: Never.self) { try Workflow.load(written.canonicalBytes, templates: templates) }
            #expect((try? Workflow.load(written.canonicalBytes, templates: templates)) == workflow, "\(workflow.id) with \(choices)")
        }
    }

    @Test("The fixtures' workflows written with their own templates are smaller and load back whole")
    func fixturesShrink() throws {
        var before = 0
        var after = 0
        for file in WorkflowDecodingTests.goldenFiles {
            let templates = GoldenMigration.templates(of: file)
            let workflow = try GoldenMigration.workflow(file)
            before += workflow.json.canonicalBytes.count
            after += workflow.json(referencing: templates).canonicalBytes.count
        }
        #expect(after < before)
    }
}

/// Errors that involve a template say so.
@Suite("Templates: errors name the template")
struct WorkflowTemplateErrorTests {
    static func file(_ action: String) -> [UInt8] {
        Array(
            #"{"formatVersion": 1, "id": "w", "name": "W", "version": 1, "status": "draft", "priority": 0, "triggers": [], "settings": {"allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account", "accountTimezone": "UTC"}, "steps": [{"id": "a", "type": "action", "action": \#(action)}]}"#
                .utf8)
    }

    @Test("A template lacking a required member: the error says the template's members did not give it")
    func templateLacksMember() {
        let template = WorkflowTemplate(id: "t", kind: .email, name: "T", action: ["type": "send-email".json, "text": "x".json])
        do {
            _ = try Workflow.load(Self.file(#"{"template": "t", "to": {"type": "contact"}}"#), templates: ["t": template])
            Issue.record("accepted")
        } catch {
            #expect(error.path.description == "$.steps[0].action")
            #expect(error.message.contains("'subject'") && error.message.contains("even with the members of template 't' (templates/t.json)"), "\(error.message)")
        }
    }

    @Test("A bad value the action took from its template names the template's file; the action's own bad value does not")
    func badValueFromTemplate() {
        let template = WorkflowTemplate(
            id: "t", kind: .email, name: "T", action: ["type": "send-email".json, "subject": "Hi\r\nBcc: x@example.com".json, "text": "x".json])
        do {
            _ = try Workflow.load(Self.file(#"{"template": "t", "to": {"type": "contact"}}"#), templates: ["t": template])
            Issue.record("accepted")
        } catch {
            #expect(error.path.description == "$.steps[0].action.subject")
            #expect(error.message.hasSuffix("(the value comes from template 't', templates/t.json)"), "\(error.message)")
            #expect(error.line == 1)
        }
        do {
            _ = try Workflow.load(Self.file(#"{"template": "t", "to": {"type": "contact"}, "replyTo": "not an address"}"#), templates: ["t": template])
            Issue.record("accepted")
        } catch {
            #expect(error.path.description == "$.steps[0].action.replyTo")
            #expect(!error.message.contains("templates/"))
        }
    }
}
