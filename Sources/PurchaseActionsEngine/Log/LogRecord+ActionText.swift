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
        output.appendStatic(#"{"at":"#)
        JSONValue.writeString(atText(at), to: &output)
        output.appendStatic(#","cause":"#)
        JSONValue.writeString(cause, to: &output)
        output.appendStatic(#","contact":"#)
        JSONValue.writeString(contactID, to: &output)
        // The effect: deliverAt, details, key, kind.
        output.appendStatic(#","effect":{"#)
        if let deliverAt {
            output.appendStatic(#""deliverAt":"#)
            JSONValue.writeString(deliverAt.description, to: &output)
            output.append(UInt8(ascii: ","))
        }
        output.appendStatic(#""details":"#)
        let key = idempotencyKey
        if let key, let text = detailsText[key] {
            output.appendUTF8(text)
        } else {
            output.appendUTF8(compactDetailsText)
        }
        if let key {
            output.appendStatic(#","key":"#)
            JSONValue.writeString(key, to: &output)
        }
        output.appendStatic(#","kind":"#)
        JSONValue.writeString(kind, to: &output)
        output.appendStatic(#"},"enrollment":"#)
        JSONValue.writeString(enrollmentID, to: &output)
        output.appendStatic(#","message":""#)
        appendMessageContents(to: &output)
        output.appendStatic(#"","status":"completed","step":"#)
        JSONValue.writeString(instruction.stepID, to: &output)
        output.appendStatic(#","version":"#)
        output.appendUTF8(String(program.version))
        output.appendStatic(#","workflow":"#)
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
        output.appendStatic(": ")
        switch instruction.action {
        case .addTag(let tag):
            output.appendStatic("add tag ")
            JSONValue.writeStringContents(tag, to: &output)
        case .removeTag(let tag):
            output.appendStatic("remove tag ")
            JSONValue.writeStringContents(tag, to: &output)
        case .sendEmail(let message):
            // `send email "<subject>" to <recipient>`, the quotes escaped.
            output.appendStatic(#"send email \""#)
            // Without a day the renderer leaves templates as written (`TemplateRenderer.init`).
            JSONValue.writeStringContents(today == nil ? message.subject : renderer.text(message.subject), to: &output)
            output.appendStatic(#"\" to "#)
            JSONValue.writeStringContents(recipient(message.to), to: &output)
        case .webhook(let hook):
            output.appendStatic("POST ")
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
