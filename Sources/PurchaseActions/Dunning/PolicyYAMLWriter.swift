import PurchaseActionsCore

/// Writes a policy's JSON tree as YAML, deterministically: members in the order of Docs/dunning.md,
/// a value on one line (flow style) when it fits in ``lineWidth`` characters, else in block style;
/// names and durations plain, other text double-quoted with JSON's escapes (which YAML reads the
/// same), so what is written always reads back as the same tree.
enum PolicyYAMLWriter {
    /// The widest flow value written on its key's line.
    static let lineWidth = 100

    /// The order of the members, where a policy's objects use them (others after, sorted by code point).
    static let memberOrder: [String] = [
        "format", "id", "name", "version", "timezone", "retries", "plans", "sendWindow", "declines", "budgets", "cardUpdate", "stages",
        "attempts", "recovered", "final", "maxInvoiceAgeMonths",
    ]
    static let nestedOrder: [String] = [
        "type", "failed", "action", "gaps", "attempts", "within", "autocharge", "retries", "from", "to", "days", "unknown", "codes",
        "visa", "mastercard", "amex", "discover", "other", "whenExceeded", "window", "retry", "reset", "id", "name", "when",
        "template", "title", "assignee", "dueInDays", "text", "tag", "field", "value", "url", "workflow", "actions",
    ]

    static func text(_ json: JSONValue) -> String {
        var output = "# Dunning policy (Docs/dunning.md). Read by `purchase-actions dunning check`.\n"
        guard case .object(let members) = json else { return output + flow(json) + "\n" }
        for key in ordered(members.keys, memberOrder) {
            writeMember(key, members[key]!, indent: 0, block: blockMembers.contains(key), to: &output)
        }
        return output
    }

    static let topRanks = Dictionary(uniqueKeysWithValues: memberOrder.enumerated().map { ($0.element, $0.offset) })
    static let nestedRanks = Dictionary(uniqueKeysWithValues: nestedOrder.enumerated().map { ($0.element, $0.offset) })

    private static func ordered(_ keys: Dictionary<String, JSONValue>.Keys, _ order: [String]) -> [String] {
        let ranks = order == memberOrder ? topRanks : nestedRanks
        return keys.sorted { lhs, rhs in
            switch (ranks[lhs], ranks[rhs]) {
            case (let left?, let right?): left < right
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
            }
        }
    }

    /// Top-level members written in block style whenever they are not empty (one entry a line), and
    /// whose list items are mappings in block style (`- id: ...` then a member a line).
    static let blockMembers: Set<String> = ["plans", "budgets", "stages", "attempts", "recovered"]
    static let blockItems: Set<String> = ["stages"]

    private static func writeMember(_ key: String, _ value: JSONValue, indent: Int, block: Bool = false, to output: inout String) {
        let prefix = String(repeating: " ", count: indent) + scalar(key) + ":"
        let inline = flow(value)
        if (!block && prefix.count + 1 + inline.count <= lineWidth) || !isContainer(value) || isEmpty(value) {
            output += prefix + " " + inline + "\n"
            return
        }
        output += prefix + "\n"
        writeBlock(value, indent: indent + 2, blockItems: block && blockItems.contains(key), to: &output)
    }

    private static func writeBlock(_ value: JSONValue, indent: Int, blockItems: Bool = false, to output: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let members):
            for key in ordered(members.keys, indent == 0 ? memberOrder : nestedOrder) {
                writeMember(key, members[key]!, indent: indent, to: &output)
            }
        case .array(let items):
            for item in items {
                let inline = flow(item)
                let fits = !blockItems && pad.count + 2 + inline.count <= lineWidth
                if fits || !isContainer(item) || isEmpty(item) {
                    output += pad + "- " + inline + "\n"
                } else if case .object(let members) = item {
                    // `- first: ...` then the other members under it.
                    var block = ""
                    for key in ordered(members.keys, nestedOrder) { writeMember(key, members[key]!, indent: indent + 2, to: &block) }
                    output += pad + "- " + block.dropFirst(indent + 2)
                } else {
                    output += pad + "-\n"
                    writeBlock(item, indent: indent + 2, to: &output)
                }
            }
        default:
            output += pad + flow(value) + "\n"
        }
    }

    private static func isContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: true
        default: false
        }
    }

    private static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let items): items.isEmpty
        case .object(let members): members.isEmpty
        default: false
        }
    }

    /// The value on one line: `{a: 1, b: [x, y]}`.
    static func flow(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .string(let text): scalar(text)
        case .array(let items): "[" + items.map(flow).joined(separator: ", ") + "]"
        case .object(let members): "{" + ordered(members.keys, nestedOrder).map { scalar($0) + ": " + flow(members[$0]!) }.joined(separator: ", ") + "}"
        }
    }

    /// Words YAML readers take for something other than text.
    static let reserved: Set<String> = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf", "~"]

    /// Text plain when it is a name (`A-Z a-z 0-9 . _ / -`, starting with a letter, not a reserved
    /// word) or a duration (`2d`, `36h`), else double-quoted.
    static func scalar(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let isName = bytes.first.map { (65...90).contains($0) || (97...122).contains($0) } == true
            && bytes.allSatisfy { (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0) || "._/-".utf8.contains($0) }
            && !reserved.contains(text.lowercased())
        let isDuration = bytes.count >= 2 && (bytes.last == UInt8(ascii: "d") || bytes.last == UInt8(ascii: "h"))
            && bytes.dropLast().allSatisfy { (48...57).contains($0) }
        if isName || isDuration { return text }
        return quoted(text)
    }

    /// `"..."` with `\"`, `\\` and `\uXXXX` for control characters and every other scalar YAML
    /// would not print raw.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            default:
                if DisplayText.isControl(scalar) || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    output += scalar.value > 0xFFFF
                        ? "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
                        : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
