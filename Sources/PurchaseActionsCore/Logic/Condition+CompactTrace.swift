extension Condition {
    /// Evaluates the condition as ``trace(_:)`` does and appends the UTF-8 bytes of its trace's
    /// `json.compactText` to `output`, written straight to bytes without composing the `JSONValue`
    /// tree nor sorting its members (the keys are fixed and written in code-point order). Returns
    /// whether the condition held (`package`: the engine writes a trigger's `why` into the log
    /// record this way).
    ///
    /// The recursion follows the condition's nesting, as ``trace(_:)``'s does (a decoded workflow's
    /// JSON nests at most 256 levels, Docs/workflow-format.md).
    package func appendCompactTrace(_ field: (String) -> FieldValue?, to output: inout [UInt8]) -> Bool {
        switch test {
        case .compare(let name, let op, let expected):
            // `Comparison.json`: actual, expected (left out when none), field, held, id (left out
            // when none), op.
            let actual = field(name)
            let held = Self.compare(actual, op, expected)
            output.append(contentsOf: #"{"actual":"#.utf8)
            if let actual { Self.appendCompact(actual, to: &output) } else { output.append(contentsOf: "null".utf8) }
            if let expected {
                output.append(contentsOf: #","expected":"#.utf8)
                Self.appendCompact(expected, to: &output)
            }
            output.append(contentsOf: #","field":"#.utf8)
            JSONValue.writeString(name, to: &output)
            output.append(contentsOf: held ? #","held":true"#.utf8 : #","held":false"#.utf8)
            appendID(to: &output)
            output.append(contentsOf: #","op":"#.utf8)
            JSONValue.writeString(op.rawValue, to: &output)
            output.append(UInt8(ascii: "}"))
            return held
        case .all(let parts), .any(let parts):
            // `{"all" | "any": [...], "held", "id"}`: every part traced (no short-circuit).
            let isAll = if case .all = test { true } else { false }
            output.append(contentsOf: isAll ? #"{"all":["#.utf8 : #"{"any":["#.utf8)
            var every = true
            var some = false
            for (index, part) in parts.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                let partHeld = part.appendCompactTrace(field, to: &output)
                every = every && partHeld
                some = some || partHeld
            }
            let held = isAll ? every : some
            output.append(contentsOf: held ? #"],"held":true"#.utf8 : #"],"held":false"#.utf8)
            appendID(to: &output)
            output.append(UInt8(ascii: "}"))
            return held
        case .not(let part):
            // `{"held", "id", "not"}`: the part is traced first, as `held` comes before it.
            var inner: [UInt8] = []
            let held = !part.appendCompactTrace(field, to: &inner)
            output.append(contentsOf: held ? #"{"held":true"#.utf8 : #"{"held":false"#.utf8)
            appendID(to: &output)
            output.append(contentsOf: #","not":"#.utf8)
            output.append(contentsOf: inner)
            output.append(UInt8(ascii: "}"))
            return held
        }
    }

    /// `,"id":"<id>"` when the condition has an id.
    private func appendID(to output: inout [UInt8]) {
        guard let id else { return }
        output.append(contentsOf: #","id":"#.utf8)
        JSONValue.writeString(id, to: &output)
    }

    /// `FieldValue.json`'s compact text.
    private static func appendCompact(_ value: FieldValue, to output: inout [UInt8]) {
        switch value {
        case .text(let text): JSONValue.writeString(text, to: &output)
        case .integer(let number): output.append(contentsOf: String(number).utf8)
        case .list(let items): appendCompact(items, to: &output)
        }
    }

    /// `ConditionValue.json`'s compact text.
    private static func appendCompact(_ value: ConditionValue, to output: inout [UInt8]) {
        switch value {
        case .text(let text): JSONValue.writeString(text, to: &output)
        case .integer(let number): output.append(contentsOf: String(number).utf8)
        case .list(let items): appendCompact(items, to: &output)
        }
    }

    /// An array of strings' compact text.
    private static func appendCompact(_ items: [String], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.writeString(item, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}
