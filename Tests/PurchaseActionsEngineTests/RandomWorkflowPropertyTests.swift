import PropertyBased
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// Random workflows built from the workflow format's shapes — every step type, calls and enrolls
/// between them (cycles included), waits at the extremes the format allows (0, the maxima, calendar
/// waits from near 9999 and 0001, field offsets of ±36,500 days) — run events, wake-ups and runs
/// without trapping, and within the work budget (Docs/engine.md, "The work budget").
@Suite("Engine property: random workflows never trap and stay within the work budget")
struct RandomWorkflowPropertyTests {
    static let budget = 300
    /// The work one `advance(to:)` may do in this test (`Engine.Options.advanceBudget`).
    static let advanceBudget = 20_000

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

        mutating func id(_ prefix: String) -> String {
            ids += 1
            return "\(prefix)\(ids)"
        }
    }

    static let workflowIDs = ["w0", "w1", "w2"]
    static let days = [0, 1, WorkflowLimits.days]
    static let times: [String?] = [nil, "00:00", "23:59"]

    static func delay(_ choices: inout Choices) -> Delay {
        switch choices.next(4) {
        case 0: Delay(days: choices.pick(days))
        case 1: Delay(hours: choices.pick([0, 1, WorkflowLimits.hours]))
        case 2: Delay(minutes: choices.pick([0, WorkflowLimits.minutes]))
        default: Delay(days: WorkflowLimits.days, hours: WorkflowLimits.hours, minutes: WorkflowLimits.minutes)
        }
    }

    static func steps(_ choices: inout Choices, depth: Int) -> [Step] {
        (0..<(1 + choices.next(depth == 0 ? 5 : 2))).map { _ in step(&choices, depth: depth) }
    }

    static func step(_ choices: inout Choices, depth: Int) -> Step {
        let id = choices.id("s")
        let nested = depth < 2
        switch choices.next(nested ? 14 : 11) {
        case 0: return Step(id: id, .action(.addTag(tagID: choices.pick(["t1", "t2"]))))
        case 1: return Step(id: id, .call(workflowID: choices.pick(workflowIDs + ["missing"])))
        case 2: return Step(id: id, .enroll(workflowID: choices.pick(workflowIDs)))
        case 3: return Step(id: id, .unenroll(workflowID: choices.pick(workflowIDs)))
        case 4: return Step(id: id, .exit)
        case 5:
            let calendar = choices.next(2) == 0
            let wait = Wait.delay(
                calendar ? Delay(days: choices.pick(days)) : delay(&choices), calendarDays: calendar, at: calendar ? choices.pick(times) : nil,
                from: choices.pick([.now, .enrollment]))
            return Step(id: id, .wait(wait))
        case 6:
            let offset = choices.pick([-WorkflowLimits.days, -1, 0, 1, WorkflowLimits.days])
            return Step(id: id, .wait(.untilField(field: "contact.fields._Date", offsetDays: offset, at: choices.pick(times))))
        case 7:
            return Step(id: id, .wait(.untilDate(choices.pick(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2025-03-02T00:00:00+14:00"]))))
        case 8:
            let window = SendWindow(days: [choices.pick(SendWindow.Day.allCases)], from: choices.pick(["00:00", "09:00"]), to: choices.pick(["09:30", "23:59"]))
            return Step(id: id, .wait(.window(window)))
        case 9: return Step(id: id, .action(.updateField(field: "_Note", value: "{{contact.FirstName}}")))
        case 10:
            let email = EmailMessage(
                to: .contact, from: Sender(name: "{{contact.FirstName}}", address: "shop@example.com"), replyTo: nil, subject: "Hi {{contact.FirstName}}",
                html: nil, text: "x", templateID: nil)
            return Step(id: id, .action(.sendEmail(email)))
        case 11:
            let condition = Condition.field("contact.tags", .contains, .text(choices.pick(["t1", "t2"])))
            return Step(id: id, .wait(.untilCondition(condition, timeout: delay(&choices), onTimeout: steps(&choices, depth: depth + 1))))
        case 12:
            return Step(id: id, .wait(.untilEvent(.emailOpened, filters: [], timeout: delay(&choices), onTimeout: steps(&choices, depth: depth + 1))))
        default:
            let when = Condition.field("contact.tags", .contains, .text(choices.pick(["t1", "t2"])))
            return Step(id: id, .branch([Branch(name: "b", when: when, steps: steps(&choices, depth: depth + 1))], otherwise: steps(&choices, depth: depth + 1)))
        }
    }

    static func workflows(_ choices: inout Choices) -> [Workflow] {
        workflowIDs.map { id in
            var settings = WorkflowSettings(accountTimezone: choices.pick(["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe"]))
            settings.allowReentry = choices.next(3) != 0
            settings.timezone = choices.pick([.account, .contact])
            if choices.next(3) == 0 { settings.sendWindow = SendWindow(days: [.sat], from: "10:00", to: "11:00") }
            let event: EventType = choices.pick([.tagAdded, .manual, .emailOpened])
            return Workflow(
                id: id, name: id, priority: choices.next(3), triggers: [Trigger(id: "t", event: event, filters: [])],
                steps: steps(&choices, depth: 0), settings: settings)
        }
    }

    static let starts = ["2025-03-01T10:00:00Z", "9999-12-31T12:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T12:00:00Z"]
    static let dates = ["9999-12-31", "0001-01-01", "2025-03-02", "0000-02-29"]

    /// Records of one call, grouped by cause (an event, a wake-up, a run): each group is bounded.
    static func checkBounded(_ records: [LogRecord], _ label: String) {
        var start = 0
        while start < records.count {
            var end = start
            while end < records.count, records[end].cause == records[start].cause { end += 1 }
            // Each unit of work writes at most two records (a step, or an enrollment and its entry),
            // and the runs stopped after the budget two each; two wake-ups of one enrollment in a
            // row share a cause.
            #expect(end - start <= 6 * budget + 20, "\(label): \(end - start) records for \(records[start].cause)")
            start = end
        }
    }

    @Test("Random workflows run any event, wake-up and run without trapping and within the budget")
    func randomWorkflows() async {
        let input = zip(Gen.int(in: 0...1_000_000).array(of: 0...120), Gen.int(in: 0...3), Gen.int(in: 0...3))
        await propertyCheck(count: 120, input: input) { values, startIndex, dateIndex in
            var choices = Choices(values: values)
            let workflows = Self.workflows(&choices)
            // Every generated workflow is one the format allows: it survives its own JSON form.
            for workflow in workflows {
                #expect((try? Workflow(json: workflow.json)) == workflow, "\(workflow.json.canonicalText)")
            }
            let start = Instant.parseRFC3339(Self.starts[startIndex])!.instant
            // An advance's budget too: a workflow that waits a second and enrolls itself again would
            // otherwise fire the default 1,000,000 units of wake-ups in two days, minutes in a debug
            // build (a random case once ran 16 minutes in the full suite).
            let options = Engine.Options(keepsLog: false, workBudget: Self.budget, advanceBudget: Self.advanceBudget)
            guard let engine = try? Engine(workflows: workflows, start: start, options: options) else {
                Issue.record("the engine refused the workflows")
                return
            }
            var event = Event(id: "e1", type: .tagAdded, occurredAt: start, contact: ContactReference(id: "c-1"))
            event.tag = "t1"
            event.contact.fields = ["_Date": Self.dates[dateIndex], "FirstName": "Bob\r\nBcc: x@y.z"]
            Self.checkBounded((try? engine.ingest(event)) ?? [], "first event")
            if let later = start.checkedAdding(seconds: 3600) {
                var opened = Event(id: "e2", type: .emailOpened, occurredAt: later, contact: ContactReference(id: "c-1"))
                opened.email = EmailReference(message: "m")
                Self.checkBounded((try? engine.ingest(opened)) ?? [], "second event")
            }
            // Two days of wake-ups (a workflow may wait an hour and enroll itself again, so years
            // of them would be a long loop of small wake-ups, each within its own budget).
            Self.checkBounded(engine.advance(to: start.adding(seconds: 2 * 86_400)), "advance two days")
            if Self.starts[startIndex].hasPrefix("9999") {
                Self.checkBounded(engine.advance(to: Instant(millisecondsSinceEpoch: .max)), "advance to the end of 64 bits")
            }
            let run = (try? engine.run(workflowID: "w0", contactID: "c-1")) ?? []
            Self.checkBounded(run, "run")
            // Composing what every record says (templates, times) traps on nothing either.
            for record in run { _ = record.json.compactText }
        }
    }
}
