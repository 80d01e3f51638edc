import PurchaseActionsCore

/// The raw text of a picture's labels (escaped, wrapped and cut later, per syntax). Text joined
/// from lists (filters, order lines, list values) stops growing past ``Clip/capacity`` scalars, so a
/// label's work is bounded whatever the workflow holds.
enum PictureText {
    /// Text that stops growing past `capacity` Unicode scalars, as many as the most display lines
    /// one part of a label wraps onto can hold; where it stops it ends with `…`, so the cut is
    /// marked even when the text then fits those lines.
    struct Clip {
        static let capacity = WorkflowPicture.maxWrappedLines * WorkflowPicture.maxLineCharacters
        /// The text's UTF-8 bytes, made a `String` once (``text``) instead of growing one `String`
        /// part by part (Benchmarks/README.md, "Import throughput").
        private var bytes: [UInt8] = []
        private var scalars = 0
        var isFull: Bool { scalars > Self.capacity }
        var text: String { String(decoding: bytes, as: UTF8.self) }

        /// Appends `part`. Appending parts one after another gives the text of appending their
        /// concatenation (a part is taken scalar by scalar once the capacity is near), so callers
        /// append pieces instead of joining them first.
        mutating func append(_ part: String) {
            guard !isFull else { return }
            // A part with no more bytes than the room left has no more scalars either: appended
            // whole, its scalars counted on the bytes (one per byte that does not continue a
            // scalar), instead of one `unicodeScalars.append` per scalar (Benchmarks/README.md,
            // "Import throughput").
            let count = part.utf8.count
            if scalars + count <= Self.capacity {
                if bytes.isEmpty { bytes.reserveCapacity(64) }
                bytes.append(contentsOf: part.utf8)
                var added = 0
                for byte in part.utf8 where byte & 0xC0 != 0x80 { added += 1 }
                scalars += added
                return
            }
            for scalar in part.unicodeScalars {
                bytes.append(contentsOf: scalar.utf8)
                scalars += 1
                if isFull {
                    bytes.append(contentsOf: "…".utf8)
                    return
                }
            }
        }
    }

    static func trigger(_ trigger: Trigger) -> [String] {
        let first = trigger.event == .manual ? "run by a call, an enroll or by hand" : "when " + trigger.event.rawValue
        return [first] + filterLines(trigger.filters)
    }

    /// The most filters a label lists, each on a line of its own; past that, one line counts the rest.
    static let maxFilterLines = 12

    /// Filters, all of which must hold, one label part each (`if <first>`, `and <next>`…), so each
    /// starts a line of its own and wraps on its own. When there are several, a compound filter is
    /// written in parentheses. At most ``maxFilterLines`` are listed, then `and N more filters`.
    static func filterLines(_ filters: [Condition]) -> [String] {
        var lines: [String] = []
        let depth = filters.count > 1 ? 1 : 0
        for (index, filter) in filters.prefix(maxFilterLines).enumerated() {
            var clip = Clip()
            append(filter, depth: depth, to: &clip)
            lines.append((index == 0 ? "if " : "and ") + clip.text)
        }
        if filters.count > maxFilterLines { lines.append("and \(filters.count - maxFilterLines) more filters") }
        return lines
    }

    static func goal(_ goal: Goal) -> [String] {
        ["goal: " + goal.name, "on " + goal.event.rawValue] + filterLines(goal.filters)
    }

    static func branch(_ branch: Branch) -> [String] {
        [branch.name, condition(branch.when)]
    }

    static func notDrawn(_ count: Int) -> [String] {
        ["… and \(count) more triggers, steps and branches not drawn", "(a picture shows at most \(WorkflowPicture.maxElements))"]
    }

    // MARK: Actions

    static func action(_ action: WorkflowAction) -> [String] {
        let type = action.typeName
        func with(_ detail: String?, template: String? = nil) -> [String] {
            var lines = [type]
            lines.reserveCapacity(3)
            if let detail { lines.append(detail) }
            if let template { lines.append("template " + template) }
            return lines
        }
        switch action {
        case .addTag(let tag), .removeTag(let tag): return with(tag)
        case .sendEmail(let message): return with(message.subject, template: message.templateID)
        case .sendSMS(_, let message): return with(message)
        case .notify(let notification): return with(notification.subject, template: notification.templateID)
        case .createTask(let task): return with(task.title, template: task.templateID)
        case .createNote(let title, _, _, let template): return with(title, template: template)
        case .createAppointment(let appointment): return with(appointment.title, template: appointment.templateID)
        case .webhook(let webhook): return with("POST " + webhook.url)
        case .updateField(let field, let value): return with(field + " = " + value)
        case .assignOwner(let user): return with("owner " + user)
        case .createOrder(let order):
            var clip = Clip()
            for (index, line) in order.lines.enumerated() {
                if clip.isFull { break }
                if index > 0 { clip.append(", ") }
                switch line.item {
                case .product(let id, let option): clip.append(id + (option.map { " (" + $0 + ")" } ?? ""))
                case .bundle(let id): clip.append("bundle " + id)
                case .subscriptionPlan(let id): clip.append("plan " + id)
                }
                if line.quantity != 1 { clip.append(" ×\(line.quantity)") }
            }
            return with(clip.text)
        case .cancelSubscription(let plan): return with(plan.map { "plan " + $0 } ?? "every active subscription")
        case .completeTasks(let template): return with(template.map { "tasks from template " + $0 } ?? "every open task")
        case .createOpportunity(let title, _, _): return with(title)
        case .retryCharge: return with("the invoice that triggered it")
        case .achieveGoal(let integration, let callName): return with(integration + "." + callName)
        case .legacy(let element, let template, let reason): return [type + " " + element, reason] + (template.map { ["template " + $0] } ?? [])
        }
    }

    // MARK: Waits

    static func wait(_ wait: Wait) -> [String] {
        switch wait {
        case .delay(let delay, let calendarDays, let at, let from):
            var line = "wait " + length(delay)
            if calendarDays { line += " (calendar days)" }
            if let at { line += " at " + at }
            return [line, from == .enrollment ? "counted from enrollment" : "counted from here"]
        case .untilDate(let date):
            return ["wait until", date]
        case .untilField(let field, let offsetDays, let at):
            let offset = offsetDays == 0 ? "" : (offsetDays > 0 ? " + \(offsetDays) d" : " − \(offsetDays.magnitude) d")
            return ["wait until the date in", field + offset + (at.map { " at " + $0 } ?? "")]
        case .untilCondition(let condition, let timeout, _):
            return ["wait until " + self.condition(condition), "at most " + length(timeout)]
        case .untilEvent(let event, let filters, let timeout, _):
            return ["wait for " + event.rawValue, "at most " + length(timeout)] + filterLines(filters)
        case .window(let window):
            return ["wait for the send window", window.days.map(\.rawValue).joined(separator: " ") + " " + window.from + "–" + window.to]
        }
    }

    /// `1 d 2 h 30 min`, `0 min` when empty.
    static func length(_ delay: Delay) -> String {
        var parts: [String] = []
        if delay.days != 0 { parts.append("\(delay.days) d") }
        if delay.hours != 0 { parts.append("\(delay.hours) h") }
        if delay.minutes != 0 { parts.append("\(delay.minutes) min") }
        return parts.isEmpty ? "0 min" : parts.joined(separator: " ")
    }

    // MARK: Conditions

    /// A condition as text: `field op value`, groups in parentheses, at most ``Clip/capacity`` scalars.
    static func condition(_ condition: Condition) -> String {
        var clip = Clip()
        append(condition, depth: 0, to: &clip)
        return clip.text
    }

    /// Groups deeper than this are written `(…)`: the text is cut long before, and the recursion
    /// stays shallow however deep a condition built in code nests.
    private static let maxDepth = 8

    private static func append(_ conditions: [Condition], _ separator: String, depth: Int, to clip: inout Clip) {
        // By index, each part's test read in place: a part is not copied whole, with its id and
        // source (Benchmarks/README.md, "The report in one pass").
        for index in conditions.indices {
            if clip.isFull { return }
            if index > 0 { clip.append(separator) }
            append(test: conditions[index].test, depth: depth, to: &clip)
        }
    }

    private static func append(_ condition: Condition, depth: Int, to clip: inout Clip) {
        append(test: condition.test, depth: depth, to: &clip)
    }

    private static func append(test: Condition.Test, depth: Int, to clip: inout Clip) {
        guard depth < maxDepth else {
            clip.append("(…)")
            return
        }
        switch test {
        case .compare(let field, let op, let value):
            clip.append(field)
            clip.append(" ")
            clip.append(op.rawValue)
            switch value {
            case nil: break
            case .text(let text):
                clip.append(" ")
                clip.append(text)
            case .integer(let number): clip.append(" \(number)")
            case .list(let values):
                clip.append(" [")
                for (index, value) in values.enumerated() {
                    if clip.isFull { return }
                    if index > 0 { clip.append(", ") }
                    clip.append(value)
                }
                clip.append("]")
            }
        case .all(let conditions) where conditions.isEmpty: clip.append("always")
        case .any(let conditions) where conditions.isEmpty: clip.append("never")
        case .all(let conditions), .any(let conditions):
            let separator = if case .all = test { " and " } else { " or " }
            clip.append(depth == 0 ? "" : "(")
            append(conditions, separator, depth: depth + 1, to: &clip)
            clip.append(depth == 0 ? "" : ")")
        case .not(let inner):
            clip.append("not (")
            append(test: inner.test, depth: depth + 1, to: &clip)
            clip.append(")")
        }
    }
}
