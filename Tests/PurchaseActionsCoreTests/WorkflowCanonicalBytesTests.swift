import PropertyBased
@testable import PurchaseActionsCore
import Testing

/// Issue 12, item 7: a workflow file's text written straight from the model
/// (`Workflow.canonicalBytes(referencing:)`) is byte for byte the text of its `JSONValue` tree
/// (`json(referencing:).canonicalBytes`, itself Python's `json.dumps(indent=2, sort_keys=True,
/// ensure_ascii=False)`), on random workflows using every step, wait, condition and action shape,
/// every optional member present and absent, hostile strings, and templates of the same and of
/// another type.
@Suite("Workflow canonical bytes: the direct writer writes the JSON tree's text")
struct WorkflowCanonicalBytesTests {
    /// Reads choices from a generated list of numbers (0 when it runs out), so shrinking the list
    /// shrinks the workflows.
    struct Choices {
        var values: [Int]
        var index = 0
        var ids = 0

        mutating func next(_ count: Int) -> Int {
            defer { index += 1 }
            return index < values.count ? values[index] % count : 0
        }

        mutating func pick<T>(_ options: [T]) -> T { options[next(options.count)] }
        mutating func maybe<T>(_ make: (inout Choices) -> T) -> T? { next(2) == 0 ? nil : make(&self) }
        mutating func text() -> String { pick(Self.texts) }
        mutating func optionalText() -> String? { next(2) == 0 ? nil : text() }
        mutating func number() -> Int { pick([0, 1, -1, 42, Int.max, Int.min, 1_000_000, -987_654_321]) }

        mutating func id(_ prefix: String) -> String {
            ids += 1
            return "\(prefix)\(ids)"
        }

        static let texts = ["", "a", "é", "\"q\"", "back\\slash", "line\nbreak\u{1}\u{1F}", "😀", "\u{2028}", "tab\there", "{{contact.FirstName}}", "</script>"]
    }

    static let events = EventType.all + [EventType(rawValue: "odd \"event\"\n")]
    static let templateIDs = ["tpl-email", "tpl-task", "tpl-note", "tpl-missing"]

    static func source(_ choices: inout Choices) -> SourceTrace? {
        choices.maybe { SourceTrace(file: $0.text(), path: $0.text(), line: $0.number()) }
    }

    static func condition(_ choices: inout Choices, depth: Int) -> Condition {
        let id = choices.optionalText()
        let source = source(&choices)
        switch choices.next(depth < 2 ? 4 : 1) {
        case 0:
            let value: ConditionValue? =
                switch choices.next(4) {
                case 0: nil
                case 1: .text(choices.text())
                case 2: .integer(choices.number())
                default: .list((0..<choices.next(3)).map { _ in choices.text() })
                }
            return Condition(id: id, .compare(field: choices.text(), op: choices.pick(ConditionOperator.allCases), value: value), source: source)
        case 1: return Condition(id: id, .all(conditions(&choices, depth: depth + 1)), source: source)
        case 2: return Condition(id: id, .any(conditions(&choices, depth: depth + 1)), source: source)
        default: return Condition(id: id, .not(condition(&choices, depth: depth + 1)), source: source)
        }
    }

    static func conditions(_ choices: inout Choices, depth: Int) -> [Condition] {
        (0..<choices.next(3)).map { _ in condition(&choices, depth: depth) }
    }

    static func delay(_ choices: inout Choices) -> Delay {
        Delay(days: choices.pick([0, 3]), hours: choices.pick([0, 1]), minutes: choices.pick([0, 59]))
    }

    static func recipient(_ choices: inout Choices) -> Recipient {
        switch choices.next(4) {
        case 0: .contact
        case 1: .owner
        case 2: .user(choices.text())
        default: .address(choices.text())
        }
    }

    static func templateID(_ choices: inout Choices) -> String? { choices.maybe { $0.pick(templateIDs) } }

    static func action(_ choices: inout Choices) -> WorkflowAction {
        switch choices.next(18) {
        case 0: return .addTag(tagID: choices.text())
        case 1: return .removeTag(tagID: choices.text())
        case 2:
            let from = choices.maybe { Sender(name: $0.text(), address: $0.text()) }
            return .sendEmail(
                EmailMessage(
                    to: recipient(&choices), from: from, replyTo: choices.optionalText(), subject: choices.text(), html: choices.optionalText(),
                    text: choices.optionalText(), templateID: templateID(&choices)))
        case 3: return .sendSMS(from: choices.optionalText(), message: choices.text())
        case 4:
            return .notify(
                InternalNotification(
                    to: recipient(&choices), subject: choices.text(), body: choices.optionalText(), fields: (0..<choices.next(3)).map { _ in choices.text() },
                    templateID: templateID(&choices)))
        case 5:
            return .createTask(
                TaskDetails(
                    title: choices.text(), description: choices.optionalText(), assigneeID: choices.optionalText(), dueInDays: choices.maybe { $0.number() },
                    priority: choices.maybe { $0.pick(TaskTemplate.Priority.allCases) }, templateID: templateID(&choices)))
        case 6:
            return .createNote(title: choices.text(), type: choices.optionalText(), body: choices.optionalText(), templateID: templateID(&choices))
        case 7:
            return .createAppointment(
                AppointmentDetails(
                    title: choices.text(), description: choices.optionalText(), assigneeID: choices.optionalText(), inDays: choices.maybe { $0.number() },
                    at: choices.optionalText(), durationMinutes: choices.maybe { $0.number() }, templateID: templateID(&choices)))
        case 8:
            let fields = (0..<choices.next(3)).map { _ in HTTPPost.Parameter(name: choices.text(), value: choices.text()) }
            return .webhook(Webhook(url: choices.text(), fields: fields, includeAllContactFields: choices.next(2) == 0))
        case 9: return .updateField(field: choices.text(), value: choices.text())
        case 10: return .assignOwner(userID: choices.text())
        case 11:
            let lines = (0..<choices.next(4)).map { _ -> CreateOrder.Line in
                let item: CreateOrder.Line.Item =
                    switch choices.next(3) {
                    case 0: .product(id: choices.text(), priceOptionID: choices.optionalText())
                    case 1: .bundle(id: choices.text())
                    default: .subscriptionPlan(id: choices.text())
                    }
                return CreateOrder.Line(item: item, quantity: choices.number())
            }
            return .createOrder(CreateOrder(paymentPlanID: choices.optionalText(), autocharge: choices.next(2) == 0, promoCode: choices.optionalText(), lines: lines))
        case 12: return .cancelSubscription(planID: choices.optionalText())
        case 13: return .completeTasks(templateID: templateID(&choices))
        case 14: return .createOpportunity(title: choices.text(), stage: choices.optionalText(), ownerID: choices.optionalText())
        case 15: return .retryCharge
        case 16: return .achieveGoal(integration: choices.text(), callName: choices.text())
        default: return .legacy(element: choices.text(), templateID: templateID(&choices), reason: choices.text())
        }
    }

    static func steps(_ choices: inout Choices, depth: Int) -> [Step] {
        (0..<choices.next(depth == 0 ? 6 : 3)).map { _ in step(&choices, depth: depth) }
    }

    static func step(_ choices: inout Choices, depth: Int) -> Step {
        let id = choices.id("s")
        let source = source(&choices)
        let nested = depth < 3
        let kind: Step.Kind =
            switch choices.next(nested ? 15 : 12) {
            case 0, 1, 2: .action(action(&choices))
            case 3: .goal(Goal(name: choices.text(), event: choices.pick(Self.events), filters: conditions(&choices, depth: 0)))
            case 4: .exit
            case 5: .call(workflowID: choices.text())
            case 6: .enroll(workflowID: choices.text())
            case 7: .unenroll(workflowID: choices.text())
            case 8: .wait(.delay(delay(&choices), calendarDays: choices.next(2) == 0, at: choices.optionalText(), from: choices.pick(DelayStart.allCases)))
            case 9: .wait(.untilDate(choices.text()))
            case 10: .wait(.untilField(field: choices.text(), offsetDays: choices.number(), at: choices.optionalText()))
            case 11: .wait(.window(SendWindow(days: (0..<choices.next(4)).map { _ in choices.pick(SendWindow.Day.allCases) }, from: choices.text(), to: choices.text())))
            case 12: .wait(.untilCondition(condition(&choices, depth: 0), timeout: delay(&choices), onTimeout: steps(&choices, depth: depth + 1)))
            case 13:
                .wait(
                    .untilEvent(
                        choices.pick(Self.events), filters: conditions(&choices, depth: 0), timeout: delay(&choices),
                        onTimeout: steps(&choices, depth: depth + 1)))
            default:
                .branch(
                    (0..<choices.next(3)).map { _ in Branch(name: choices.text(), when: condition(&choices, depth: 0), steps: steps(&choices, depth: depth + 1)) },
                    otherwise: steps(&choices, depth: depth + 1))
            }
        return Step(id: id, kind, source: source)
    }

    static func workflow(_ choices: inout Choices) -> Workflow {
        var settings = WorkflowSettings(accountTimezone: choices.text())
        settings.allowReentry = choices.next(2) == 0
        settings.onePerOrder = choices.next(2) == 0
        settings.stopOnResponse = choices.next(2) == 0
        settings.timezone = choices.pick(WorkflowSettings.TimezoneChoice.allCases)
        settings.sendWindow = choices.maybe { SendWindow(days: [$0.pick(SendWindow.Day.allCases)], from: $0.text(), to: $0.text()) }
        settings.defaultSender = choices.maybe { Sender(name: $0.text(), address: $0.text()) }
        let triggers = (0..<choices.next(3)).map { _ in
            Trigger(id: choices.text(), event: choices.pick(Self.events), filters: conditions(&choices, depth: 0), source: source(&choices))
        }
        return Workflow(
            id: choices.text(), name: choices.text(), description: choices.optionalText(), version: choices.number(),
            status: choices.pick(Workflow.Status.allCases), priority: choices.number(), triggers: triggers, steps: steps(&choices, depth: 0),
            settings: settings, source: source(&choices))
    }

    /// Templates the random actions name: an email template whose members some actions repeat,
    /// override or lack, a task template, a note template, and none for `tpl-missing`.
    static func templates(_ choices: inout Choices) -> [String: WorkflowTemplate] {
        guard choices.next(4) != 0 else { return [:] }
        let email = WorkflowTemplate(
            id: "tpl-email", kind: .email, name: "E",
            action: [
                "type": "send-email".json, "subject": choices.text().json, "html": choices.text().json,
                "to": .members(["type": "contact".json]), "from": .members(["name": "a".json, "address": "é".json]),
            ],
            source: nil)
        let task = WorkflowTemplate(
            id: "tpl-task", kind: .task, name: "T", action: ["type": "create-task".json, "title": choices.text().json, "dueInDays": choices.number().json],
            source: SourceTrace(file: "f", path: "p", line: 1))
        let note = WorkflowTemplate(id: "tpl-note", kind: .note, name: "N", action: ["type": "create-note".json, "body": choices.text().json], source: nil)
        return [email.id: email, task.id: task, note.id: note]
    }

    @Test("Random workflows: the direct text is the JSON tree's text, with and without templates")
    func randomWorkflows() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...1_000_000).array(of: 0...400)) { values in
            var choices = Choices(values: values)
            let workflow = Self.workflow(&choices)
            let templates = Self.templates(&choices)
            #expect(workflow.canonicalBytes(referencing: templates) == workflow.json(referencing: templates).canonicalBytes)
            #expect(workflow.canonicalBytes() == workflow.json.canonicalBytes)
            // The bytes handed out in place are the same.
            #expect(workflow.withCanonicalBytes(referencing: templates) { Array($0) } == workflow.json(referencing: templates).canonicalBytes)
            // With the templates' members sorted once beforehand (as an import writes), the same.
            #expect(
                workflow.withCanonicalBytes(referencing: TemplateReferences(templates, sorted: true)) { Array($0) }
                    == workflow.json(referencing: templates).canonicalBytes)
        }
    }

    @Test("A workflow with more steps than the buffer is sized for writes the same text, in place and as an array")
    func pastTheCapacityHint() {
        // One past the steps the first buffer makes room for, each step's text longer than the
        // 1.5 KB it is given: the buffer grows, more than once.
        let long = String(repeating: "x", count: 3_000)
        let steps = (0...Workflow.hintedSteps).map { Step(id: "s\($0)", .action(.addTag(tagID: long))) }
        let workflow = Workflow(id: "w", name: "n", priority: 0, triggers: [], steps: steps, settings: WorkflowSettings(accountTimezone: "UTC"))
        let tree = workflow.json.canonicalBytes
        #expect(tree.count > 1 << 20)
        #expect(workflow.canonicalBytes() == tree)
        #expect(workflow.withCanonicalBytes { Array($0) } == tree)
    }

    @Test("Every action type, alone and with each template, writes the tree's text")
    func everyActionShape() {
        for seed in 0..<18 * 16 {
            var choices = Choices(values: [seed % 18] + (0..<60).map { ($0 * 7 + seed) % 13 })
            let action = Self.action(&choices)
            let workflow = Workflow(
                id: "w", name: "n", priority: 0, triggers: [], steps: [Step(id: "a", .action(action))], settings: WorkflowSettings(accountTimezone: "UTC"))
            var templateChoices = Choices(values: [1, seed])
            let templates = Self.templates(&templateChoices)
            #expect(workflow.canonicalBytes(referencing: templates) == workflow.json(referencing: templates).canonicalBytes, "\(action)")
            #expect(
                workflow.withCanonicalBytes(referencing: TemplateReferences(templates, sorted: true)) { Array($0) }
                    == workflow.json(referencing: templates).canonicalBytes, "\(action)")
        }
    }

    @Test("Templates without a type, with a key that is not ASCII, or with keys every action lacks write the tree's text")
    func unusualTemplates() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000).array(of: 0...200)) { values in
            var choices = Choices(values: values)
            let workflow = Self.workflow(&choices)
            let email = WorkflowTemplate(
                id: "tpl-email", kind: .email, name: "E", action: ["subject": choices.text().json, "zzz": .null, "aaa": 1.json, "Ä": "x".json], source: nil)
            let task = WorkflowTemplate(
                id: "tpl-task", kind: .task, name: "T", action: ["title": choices.text().json, "priority": "high".json, "": .array([])], source: nil)
            let note = WorkflowTemplate(id: "tpl-note", kind: .note, name: "N", action: ["type": "create-task".json, "body": choices.text().json], source: nil)
            let templates = [email.id: email, task.id: task, note.id: note]
            #expect(workflow.canonicalBytes(referencing: templates) == workflow.json(referencing: templates).canonicalBytes)
            let prepared = TemplateReferences(templates, sorted: true)
            // The template with a key that is not ASCII is not prepared: it is written through the tree.
            #expect(prepared.prepared[email.id]?.sorted == nil && prepared.prepared[task.id]?.sorted != nil)
            #expect(workflow.withCanonicalBytes(referencing: prepared) { Array($0) } == workflow.json(referencing: templates).canonicalBytes)
        }
    }

    @Test("Strings written into the writer's buffer are the array writer's bytes", arguments: ["", "a", "\"", "\\", "\u{0}\u{1F}\u{7F}", "é\n\r\t\u{8}\u{C}", String(repeating: "x\"", count: 3_000)])
    func strings(text: String) {
        var writer = CanonicalJSONWriter(capacity: 0)
        writer.string(text)
        var array: [UInt8] = []
        JSONValue.writeString(text, to: &array)
        #expect(writer.bytes == array)
    }

    @Test("The writer's integers, empty containers and embedded values are the tree's text", arguments: [0, 1, -1, 9, 10, -10, 1_000_000, Int.max, Int.min])
    func writerPieces(number: Int) {
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        writer.key("a")
        writer.beginArray()
        writer.endArray()
        writer.key("b")
        writer.beginObject()
        writer.endObject()
        writer.member("c", number)
        writer.key("d")
        writer.value(.members(["y": .array([.null, .bool(false), .object([:])]), "x": .string("é\n")]))
        writer.key("e")
        writer.beginArray()
        writer.element()
        writer.value(.array([]))
        writer.element()
        writer.bool(true)
        writer.endArray()
        writer.member("f", word: "w")
        let tree = JSONValue.members([
            "a": .array([]), "b": .object([:]), "c": .integer(number), "d": .members(["y": .array([.null, .bool(false), .object([:])]), "x": .string("é\n")]),
            "e": .array([.array([]), .bool(true)]), "f": .string("w"),
        ])
        writer.endObject()
        #expect(writer.finish() == tree.canonicalBytes)
    }
}
