import PurchaseActionsCore

extension ActionReport {
    /// ``details`` as `compactText`, written straight to bytes for the actions a durable store
    /// records by the thousand (add or remove a tag, send an email, POST to a URL) with the same
    /// values ``details`` composes (templates rendered by the same renderer), keys in their
    /// code-point order, `nil` members left out; every other action through ``details``.
    var compactDetailsText: String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        switch instruction.action {
        case .addTag(let tag), .removeTag(let tag):
            output.append(contentsOf: #"{"tag":"#.utf8)
            JSONValue.writeString(tag, to: &output)
            output.append(UInt8(ascii: "}"))
        case .sendEmail(let message):
            let renderer = self.renderer
            let sender = message.from ?? program.workflow.settings.defaultSender
            output.append(contentsOf: #"{"from":"#.utf8)
            if let sender {
                output.append(contentsOf: #"{"address":"#.utf8)
                JSONValue.writeString(sender.address, to: &output)
                output.append(contentsOf: #","name":"#.utf8)
                JSONValue.writeString(renderer.header(sender.name), to: &output)
                output.append(UInt8(ascii: "}"))
            } else {
                output.append(contentsOf: "null".utf8)
            }
            if let html = message.html {
                output.append(contentsOf: #","html":"#.utf8)
                JSONValue.writeString(renderer.html(html), to: &output)
            }
            output.append(contentsOf: #","subject":"#.utf8)
            JSONValue.writeString(renderer.header(message.subject), to: &output)
            if let template = message.templateID {
                output.append(contentsOf: #","template":"#.utf8)
                JSONValue.writeString(template, to: &output)
            }
            if let text = message.text {
                output.append(contentsOf: #","text":"#.utf8)
                JSONValue.writeString(renderer.text(text), to: &output)
            }
            output.append(contentsOf: #","to":"#.utf8)
            JSONValue.writeString(recipient(message.to), to: &output)
            output.append(UInt8(ascii: "}"))
        case .webhook(let hook):
            let renderer = self.renderer
            output.append(contentsOf: #"{"form":["#.utf8)
            var first = true
            func pair(_ name: String, _ value: String) {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                output.append(contentsOf: #"{"name":"#.utf8)
                JSONValue.writeString(name, to: &output)
                output.append(contentsOf: #","value":"#.utf8)
                JSONValue.writeString(value, to: &output)
                output.append(UInt8(ascii: "}"))
            }
            if hook.includeAllContactFields {
                let contact = self.contact
                for name in contact.fields.keys.sorted() { pair(name, contact.fields[name]!) }
            }
            for field in hook.fields { pair(field.name, renderer.text(field.value)) }
            output.append(contentsOf: #"],"method":"POST","url":"#.utf8)
            JSONValue.writeString(hook.url, to: &output)
            output.append(UInt8(ascii: "}"))
        default:
            return details.compactText
        }
        return String(decoding: output, as: UTF8.self)
    }
}
