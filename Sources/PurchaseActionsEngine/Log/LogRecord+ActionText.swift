import PurchaseActionsCore

extension ActionReport {
    /// The action's record (``fields``) as `json.compactText`, appended to `output` as UTF-8
    /// straight from the report: no `LogRecord.Fields` nor `Effect` composed, the message written
    /// from its parts. `atText` and `detailsText` as `LogRecord.appendCompactJSON` takes them.
    func appendCompactRecord(to output: inout [UInt8], atText: (Instant) -> String, detailsText: [String: String]) -> LogRecord.Heading {
        let instruction = self.instruction
        let program = self.program
        let contactID = self.contactID
        let kind = instruction.kind
        // at, cause, contact, effect, enrollment, message, status, step, version, workflow (no why).
        output.append(contentsOf: #"{"at":"#.utf8)
        JSONValue.writeString(atText(at), to: &output)
        output.append(contentsOf: #","cause":"#.utf8)
        JSONValue.writeString(cause, to: &output)
        output.append(contentsOf: #","contact":"#.utf8)
        JSONValue.writeString(contactID, to: &output)
        // The effect: deliverAt, details, key, kind.
        output.append(contentsOf: #","effect":{"#.utf8)
        if let deliverAt {
            output.append(contentsOf: #""deliverAt":"#.utf8)
            JSONValue.writeString(deliverAt.description, to: &output)
            output.append(UInt8(ascii: ","))
        }
        output.append(contentsOf: #""details":"#.utf8)
        let key = idempotencyKey
        if let key, let text = detailsText[key] {
            output.append(contentsOf: text.utf8)
        } else {
            output.append(contentsOf: compactDetailsText.utf8)
        }
        if let key {
            output.append(contentsOf: #","key":"#.utf8)
            JSONValue.writeString(key, to: &output)
        }
        output.append(contentsOf: #","kind":"#.utf8)
        JSONValue.writeString(kind, to: &output)
        output.append(contentsOf: #"},"enrollment":"#.utf8)
        JSONValue.writeString(enrollmentID, to: &output)
        output.append(contentsOf: #","message":""#.utf8)
        appendMessageContents(to: &output)
        output.append(contentsOf: #"","status":"completed","step":"#.utf8)
        JSONValue.writeString(instruction.stepID, to: &output)
        output.append(contentsOf: #","version":"#.utf8)
        output.append(contentsOf: String(program.version).utf8)
        output.append(contentsOf: #","workflow":"#.utf8)
        let workflowID = program.id
        JSONValue.writeString(workflowID, to: &output)
        output.append(UInt8(ascii: "}"))
        return LogRecord.Heading(at: at, contactID: contactID, workflowID: workflowID, enrollmentID: enrollmentID, status: .completed, effectKind: kind)
    }

    /// ``message``'s text escaped as a JSON string's contents (no quotes), written from its parts:
    /// the step's id, then ``summary``'s words for the actions a durable store records by the
    /// thousand (tags, emails, webhooks), every other action's through ``summary``.
    func appendMessageContents(to output: inout [UInt8]) {
        let instruction = self.instruction
        JSONValue.writeStringContents(instruction.step.id, to: &output)
        output.append(contentsOf: ": ".utf8)
        switch instruction.action {
        case .addTag(let tag):
            output.append(contentsOf: "add tag ".utf8)
            JSONValue.writeStringContents(tag, to: &output)
        case .removeTag(let tag):
            output.append(contentsOf: "remove tag ".utf8)
            JSONValue.writeStringContents(tag, to: &output)
        case .sendEmail(let message):
            // `send email "<subject>" to <recipient>`, the quotes escaped.
            output.append(contentsOf: #"send email \""#.utf8)
            // Without a day the renderer leaves templates as written (`TemplateRenderer.init`).
            JSONValue.writeStringContents(today == nil ? message.subject : renderer.text(message.subject), to: &output)
            output.append(contentsOf: #"\" to "#.utf8)
            JSONValue.writeStringContents(recipient(message.to), to: &output)
        case .webhook(let hook):
            output.append(contentsOf: "POST ".utf8)
            JSONValue.writeStringContents(hook.url, to: &output)
        default:
            JSONValue.writeStringContents(summary, to: &output)
        }
    }
}

extension LogRecord.InProgram {
    /// The record (``fields``) as `json.compactText`, appended to `output` as UTF-8 straight from
    /// the box: no `LogRecord.Fields` composed. `atText` as `LogRecord.appendCompactJSON` takes it.
    func appendCompactRecord(to output: inout [UInt8], atText: (Instant) -> String) -> LogRecord.Heading {
        let workflowID = program.id
        // at, cause, contact, enrollment, message, status, step, version, why, workflow (no effect).
        var members = CompactMembers()
        output.append(UInt8(ascii: "{"))
        members.string("at", atText(at), &output)
        members.string("cause", cause, &output)
        members.string("contact", contactID, &output)
        members.string("enrollment", enrollmentID, &output)
        members.key("message", &output)
        LogRecord.appendMessage(text, workflowID: workflowID, contactID: contactID, stepID: stepID, to: &output)
        members.string("status", status.rawValue, &output)
        members.string("step", stepID, &output)
        members.integer("version", program.version, &output)
        LogRecord.appendWhy(reason, &members, to: &output)
        members.string("workflow", workflowID, &output)
        output.append(UInt8(ascii: "}"))
        return LogRecord.Heading(at: at, contactID: contactID, workflowID: workflowID, enrollmentID: enrollmentID, status: status, effectKind: nil)
    }
}
