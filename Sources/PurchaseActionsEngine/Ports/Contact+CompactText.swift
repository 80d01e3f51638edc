import PurchaseActionsCore

extension Contact {
    /// The contact's JSON on one line, keys sorted: byte for byte `json.compactText`, written
    /// straight to bytes without composing the `JSONValue` object (what a durable store keeps).
    ///
    /// A stored contact starts `{"createdAt":"2025-01-14T17:03:25Z","fields":{`.
    public var compactJSONText: String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        appendCompactJSON(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends ``compactJSONText``'s UTF-8 bytes to `output`.
    public func appendCompactJSON(to output: inout [UInt8]) {
        // Members in code-point order of their keys; `nil` members left out, as `JSONValue.members` does.
        output.append(contentsOf: #"{"createdAt":"#.utf8)
        JSONValue.writeString(createdAt.description, to: &output)
        output.append(contentsOf: #","fields":{"#.utf8)
        for (index, name) in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.writeString(name, to: &output)
            output.append(UInt8(ascii: ":"))
            JSONValue.writeString(fields[name] ?? "", to: &output)
        }
        output.append(contentsOf: #"},"id":"#.utf8)
        JSONValue.writeString(id, to: &output)
        if let ownerID {
            output.append(contentsOf: #","ownerID":"#.utf8)
            JSONValue.writeString(ownerID, to: &output)
        }
        output.append(contentsOf: #","tags":["#.utf8)
        for (index, tag) in tags.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.writeString(tag, to: &output)
        }
        output.append(UInt8(ascii: "]"))
        if let timezone {
            output.append(contentsOf: #","timezone":"#.utf8)
            JSONValue.writeString(timezone, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}
