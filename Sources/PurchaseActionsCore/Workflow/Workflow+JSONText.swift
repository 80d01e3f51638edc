// A workflow file's canonical text written straight from the model (``CanonicalJSONWriter``), with
// no `JSONValue` tree in between: the same bytes as `json(referencing:).canonicalBytes`, each
// object's members written in key order (Benchmarks/README.md, "Import throughput").

extension Workflow {
    /// The workflow file's bytes: `json(referencing: templates).canonicalBytes`, written without
    /// building the JSON tree (an action naming one of `templates` is the only part built as a tree,
    /// to leave out what its template gives).
    public func canonicalBytes(referencing templates: [String: WorkflowTemplate] = [:]) -> [UInt8] {
        var writer = CanonicalJSONWriter(capacity: capacityHint)
        write(to: &writer, templates: TemplateReferences(templates))
        return writer.finish()
    }

    /// Calls `body` with the workflow file's bytes, exactly those of
    /// ``canonicalBytes(referencing:)``, in the buffer they were written to: no array is made for
    /// them, so a caller writing them to a file saves a copy of each. The pointer is valid only
    /// during the call.
    public func withCanonicalBytes<Result, Failure: Error>(
        referencing templates: [String: WorkflowTemplate] = [:], _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withCanonicalBytes(referencing: TemplateReferences(templates), body)
    }

    /// `withCanonicalBytes(referencing:_:)` with the templates prepared once for many workflows
    /// (`TemplateReferences(_:sorted:)`): an import writes every workflow file so.
    package func withCanonicalBytes<Result, Failure: Error>(
        referencing templates: TemplateReferences, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var writer = CanonicalJSONWriter(capacity: capacityHint)
        write(to: &writer, templates: templates)
        return try writer.finish(body)
    }

    /// Room for the text of most workflows at once: about 2 KB for the workflow and 1.5 KB a
    /// top-level step (a generated export's files hold 0.85 KB a step on average, at most 1.8 KB),
    /// at most 1 MiB, beyond which the buffer grows (Benchmarks/README.md, "Import throughput").
    var capacityHint: Int { 2048 + 1536 * Swift.min(steps.count, Self.hintedSteps) }

    /// The most top-level steps ``capacityHint`` makes room for: 1 MiB in all.
    static let hintedSteps = ((1 << 20) - 2048) / 1536

    func write(to writer: inout CanonicalJSONWriter, templates: TemplateReferences) {
        writer.beginObject()
        writer.member("description", description)
        writer.member("formatVersion", Self.formatVersion)
        writer.member("id", id)
        writer.member("name", name)
        writer.member("priority", priority)
        writer.key("settings")
        settings.write(to: &writer)
        if let source {
            writer.key("source")
            source.write(to: &writer)
        }
        writer.key("status")
        writer.string(status.rawValue)
        writer.key("steps")
        Step.write(steps, to: &writer, templates: templates)
        writer.key("triggers")
        writer.beginArray()
        for index in triggers.indices {
            writer.element()
            triggers[index].write(to: &writer)
        }
        writer.endArray()
        writer.member("version", version)
        writer.endObject()
    }
}

extension SourceTrace {
    /// Writes `{"file", "line", "path"}` (`package`: the migration report writes it too).
    package func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.member("file", file)
        writer.member("line", line)
        writer.member("path", path)
        writer.endObject()
    }
}

extension Trigger {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.key("event")
        writer.string(event.rawValue)
        writer.key("filters")
        Condition.write(filters, to: &writer)
        writer.member("id", id)
        if let source {
            writer.key("source")
            source.write(to: &writer)
        }
        writer.endObject()
    }
}

extension WorkflowSettings {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.member("accountTimezone", accountTimezone)
        writer.member("allowReentry", allowReentry)
        if let defaultSender {
            writer.key("defaultSender")
            defaultSender.write(to: &writer)
        }
        writer.member("onePerOrder", onePerOrder)
        if let sendWindow {
            writer.key("sendWindow")
            sendWindow.write(to: &writer)
        }
        writer.member("stopOnResponse", stopOnResponse)
        writer.key("timezone")
        writer.string(timezone.rawValue)
        writer.endObject()
    }
}

extension SendWindow {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.key("days")
        writer.beginArray()
        for day in days {
            writer.element()
            writer.string(day.rawValue)
        }
        writer.endArray()
        writer.member("from", from)
        writer.member("to", to)
        writer.endObject()
    }
}

extension Sender {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.member("address", address)
        writer.member("name", name)
        writer.endObject()
    }
}

extension Condition {
    static func write(_ conditions: [Condition], to writer: inout CanonicalJSONWriter) {
        writer.beginArray()
        let conditions = conditions.span
        for index in conditions.indices {
            writer.element()
            conditions[index].write(to: &writer)
        }
        writer.endArray()
    }

    func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        switch test {
        case .compare(let field, let op, let value):
            writer.member("field", field)
            writer.member("id", id)
            writer.key("op")
            writer.string(op.rawValue)
            writeSource(to: &writer)
            if let value {
                writer.key("value")
                value.write(to: &writer)
            }
        case .all(let conditions):
            writer.key("all")
            Self.write(conditions, to: &writer)
            writer.member("id", id)
            writeSource(to: &writer)
        case .any(let conditions):
            writer.key("any")
            Self.write(conditions, to: &writer)
            writer.member("id", id)
            writeSource(to: &writer)
        case .not(let condition):
            writer.member("id", id)
            writer.key("not")
            condition.write(to: &writer)
            writeSource(to: &writer)
        }
        writer.endObject()
    }

    private func writeSource(to writer: inout CanonicalJSONWriter) {
        guard let source else { return }
        writer.key("source")
        source.write(to: &writer)
    }
}

extension ConditionValue {
    func write(to writer: inout CanonicalJSONWriter) {
        switch self {
        case .text(let text): writer.string(text)
        case .integer(let value): writer.integer(value)
        case .list(let values): writer.strings(values)
        }
    }
}

extension Delay {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        if days != 0 { writer.member("days", days) }
        if hours != 0 { writer.member("hours", hours) }
        if minutes != 0 { writer.member("minutes", minutes) }
        writer.endObject()
    }
}

extension Step {
    static func write(_ steps: [Step], to writer: inout CanonicalJSONWriter, templates: TemplateReferences) {
        writer.beginArray()
        // Through a span: the elements are read in place, not copied (a reference count for each part).
        let steps = steps.span
        for index in steps.indices {
            writer.element()
            steps[index].write(to: &writer, templates: templates)
        }
        writer.endArray()
    }

    func write(to writer: inout CanonicalJSONWriter, templates: TemplateReferences) {
        writer.beginObject()
        switch kind {
        case .action(let action):
            writer.key("action")
            action.write(to: &writer, templates: templates)
            writer.member("id", id)
            writeSource(to: &writer)
            writer.member("type", word: "action")
        case .branch(let branches, let otherwise):
            writer.key("branches")
            writer.beginArray()
            let branches = branches.span
            for index in branches.indices {
                writer.element()
                branches[index].write(to: &writer, templates: templates)
            }
            writer.endArray()
            writer.member("id", id)
            writer.key("otherwise")
            Self.write(otherwise, to: &writer, templates: templates)
            writeSource(to: &writer)
            writer.member("type", word: "if")
        case .wait(let wait):
            writer.member("id", id)
            writeSource(to: &writer)
            writer.member("type", word: "wait")
            writer.key("wait")
            wait.write(to: &writer, templates: templates)
        case .goal(let goal):
            writer.key("goal")
            goal.write(to: &writer)
            writer.member("id", id)
            writeSource(to: &writer)
            writer.member("type", word: "goal")
        case .exit:
            writer.member("id", id)
            writeSource(to: &writer)
            writer.member("type", word: "exit")
        case .call(let workflowID):
            writeWorkflowStep(type: "call", workflowID, to: &writer)
        case .enroll(let workflowID):
            writeWorkflowStep(type: "enroll", workflowID, to: &writer)
        case .unenroll(let workflowID):
            writeWorkflowStep(type: "unenroll", workflowID, to: &writer)
        }
        writer.endObject()
    }

    private func writeWorkflowStep(type: StaticString, _ workflowID: String, to writer: inout CanonicalJSONWriter) {
        writer.member("id", id)
        writeSource(to: &writer)
        writer.member("type", word: type)
        writer.member("workflow", workflowID)
    }

    private func writeSource(to writer: inout CanonicalJSONWriter) {
        guard let source else { return }
        writer.key("source")
        source.write(to: &writer)
    }
}

extension Branch {
    func write(to writer: inout CanonicalJSONWriter, templates: TemplateReferences) {
        writer.beginObject()
        writer.member("name", name)
        writer.key("steps")
        Step.write(steps, to: &writer, templates: templates)
        writer.key("when")
        when.write(to: &writer)
        writer.endObject()
    }
}

extension Goal {
    func write(to writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.key("event")
        writer.string(event.rawValue)
        writer.key("filters")
        Condition.write(filters, to: &writer)
        writer.member("name", name)
        writer.endObject()
    }
}

extension Wait {
    func write(to writer: inout CanonicalJSONWriter, templates: TemplateReferences) {
        writer.beginObject()
        switch self {
        case .delay(let delay, let calendarDays, let at, let start):
            writer.member("at", at)
            writer.member("calendarDays", calendarDays)
            writer.key("delay")
            delay.write(to: &writer)
            writer.key("from")
            writer.string(start.rawValue)
            writer.member("until", word: "delay")
        case .untilDate(let date):
            writer.member("date", date)
            writer.member("until", word: "date")
        case .untilField(let field, let offsetDays, let at):
            writer.member("at", at)
            writer.member("field", field)
            writer.member("offsetDays", offsetDays)
            writer.member("until", word: "field")
        case .untilCondition(let condition, let timeout, let onTimeout):
            writer.key("condition")
            condition.write(to: &writer)
            writer.key("onTimeout")
            Step.write(onTimeout, to: &writer, templates: templates)
            writer.key("timeout")
            timeout.write(to: &writer)
            writer.member("until", word: "condition")
        case .untilEvent(let event, let filters, let timeout, let onTimeout):
            writer.key("event")
            writer.string(event.rawValue)
            writer.key("filters")
            Condition.write(filters, to: &writer)
            writer.key("onTimeout")
            Step.write(onTimeout, to: &writer, templates: templates)
            writer.key("timeout")
            timeout.write(to: &writer)
            writer.member("until", word: "event")
        case .window(let window):
            writer.member("until", word: "window")
            writer.key("window")
            window.write(to: &writer)
        }
        writer.endObject()
    }
}
