import PurchaseActionsCore

/// Reads one element's attributes into typed values, with errors that say where and what was expected.
struct ElementReader {
    let node: XMLNode
    let parentPath: String
    let assembler: ExportAssembler

    init(_ node: XMLNode, parentPath: String, assembler: ExportAssembler) {
        self.node = node
        self.parentPath = parentPath
        self.assembler = assembler
    }

    var name: String { node.name }
    /// The element's name as a message shows it.
    var shownName: String { node.shownName }
    /// The element's path; built on each use, so take it once where it is used often.
    var path: String { node.path(under: parentPath) }
    /// Where the element is; built on each use.
    var location: FileLocation {
        FileLocation(
            file: assembler.file, parentPath: parentPath, element: node.shownName, id: node.attribute("id").map(XMLNode.shown), line: node.line, column: node.column)
    }

    /// Warns about unqualified attributes the format does not define and stray text; returns extension
    /// attributes (in other namespaces) as opaque parts.
    func extensions(allowed: [String]) -> [OpaquePart] {
        var parts: [OpaquePart] = []
        for attribute in node.attributes {
            if attribute.namespace == nil, allowed.contains(attribute.name) { continue }
            if let namespace = attribute.namespace {
                parts.append(OpaquePart(kind: .attribute, namespace: namespace, name: attribute.name, text: attribute.value, location: location))
            } else if !allowed.contains(attribute.name) {
                assembler.warn(
                    "unknown attribute '\(XMLNode.shown(attribute.name))' on <\(node.shownName)> is ignored; expected one of: \(allowed.sorted().joined(separator: ", "))",
                    at: location)
            }
        }
        if !TextElements.holdsText(node), !node.text.isEmpty {
            assembler.warn("text inside <\(node.shownName)> is ignored: this element holds no text", at: location)
        }
        return parts
    }

    /// For an element that keeps no extensions (a catalogue entry, a rule and its criteria, an
    /// order line, a parameter, a step, a text element): warns about unqualified attributes it does
    /// not define and stray text as ``extensions(allowed:)`` does, and about every extension
    /// attribute and extension element it holds, which are not kept, so nothing is dropped silently
    /// (`--strict` and `--check` fail on the warning).
    /// With `childrenKept`, extension elements are kept elsewhere (a step's become opaque actions)
    /// and only attributes are warned about.
    func ignoreExtensions(allowed: [String], childrenKept: Bool = false) {
        for part in extensions(allowed: allowed) {
            assembler.warn(
                "extension attribute '\(XMLNode.shown(part.name))' (namespace \(XMLNode.shown(part.namespace ?? ""))) on <\(node.shownName)> is not kept: <\(node.shownName)> keeps no extensions",
                at: location)
        }
        for child in node.children where !child.isOurs && !childrenKept {
            let at = FileLocation(
                file: assembler.file, parentPath: path, element: child.shownName, id: child.attribute("id").map(XMLNode.shown), line: child.line,
                column: child.column)
            assembler.warn(
                "extension element <\(child.shownName)> (namespace \(XMLNode.shown(child.namespace ?? ""))) inside <\(node.shownName)> is not kept: <\(node.shownName)> keeps no extensions; move it to the enclosing action, sequence or action set",
                at: at)
        }
    }

    func optional(_ attribute: String) -> String? { node.attribute(attribute) }

    // Descriptions of what was expected are built only when there is an error to report.

    func required(_ attribute: String, _ meaning: @autoclosure () -> String) throws(ImportError) -> String {
        guard let value = node.attribute(attribute) else { throw missing(attribute, meaning()) }
        return value
    }

    func missing(_ attribute: String, _ meaning: String) -> ImportError {
        ImportError(.missingAttribute, "missing attribute '\(attribute)' on <\(node.shownName)>: expected \(meaning)", at: location)
    }

    func invalid(_ attribute: String, _ value: String, _ expected: String) -> ImportError {
        ImportError(.invalidValue, "invalid value \(attribute)=\"\(Self.shown(value))\" on <\(node.shownName)>: expected \(expected)", at: location)
    }

    /// A value as a message shows it: backslashes, control characters and line breaks escaped
    /// (`DisplayText.escape`), so no value can start a line of its own, and at most 200 characters.
    static func shown(_ value: String) -> String {
        DisplayText.escape(value, maxScalars: 200)
    }

    /// The required `id`, checked against the id syntax.
    func id() throws(ImportError) -> String {
        let value = try required("id", "a stable id (letters, digits, '.', '_', '-')")
        guard StableID.isValid(value) else {
            throw invalid("id", value, "1 to 64 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit")
        }
        return value
    }

    func reference(_ attribute: String, _ meaning: @autoclosure () -> String) throws(ImportError) -> String {
        try required(attribute, "the id of \(meaning())")
    }

    /// A required attribute whose value is text; blank text is refused.
    func text(_ attribute: String, _ meaning: @autoclosure () -> String) throws(ImportError) -> String {
        let value = try required(attribute, meaning())
        if !value.utf8.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) {
            throw invalid(attribute, value, "\(meaning()), not blank")
        }
        return value
    }

    /// A required text attribute that becomes part of an email header (a subject, a sender's name, the
    /// account's or a user's name): blank text and line breaks are refused. A line break (CR, LF, NEL,
    /// U+2028, U+2029) or NUL there would let the value start a header of its own (`Bcc: ...`).
    func headerText(_ attribute: String, _ meaning: @autoclosure () -> String) throws(ImportError) -> String {
        let value = try text(attribute, meaning())
        try checkHeader(attribute, value)
        return value
    }

    /// Refuses a line break or NUL in a value that becomes part of an email header.
    func checkHeader(_ attribute: String, _ value: String) throws(ImportError) {
        guard let bad = value.unicodeScalars.first(where: Self.breaksHeader) else { return }
        let name = switch bad.value {
            case 0x0D: "a carriage return (CR)"
            case 0x0A: "a line feed (LF)"
            case 0x00: "a NUL character"
            default: "a line separator (U+\(String(bad.value, radix: 16, uppercase: true)))"
            }
        throw ImportError(
            .invalidValue,
            "invalid value: \(attribute)= on <\(node.shownName)> holds \(name); it becomes part of an email header, which a line break would end and let the rest forge a header of its own; write it on one line",
            at: location)
    }

    /// CR, LF, NUL and the Unicode line breaks (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR).
    static func breaksHeader(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00, 0x0A, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// A number attribute within its documented range (``ValueBound``); nil when absent.
    func number(_ attribute: String, _ bound: ValueBound) throws(ImportError) -> Int? {
        guard let value = node.attribute(attribute) else { return nil }
        switch bound.parse(value) {
        case .value(let number): return number
        case .belowMinimum:
            throw ImportError(
                .invalidValue,
                "value out of range: \(attribute)=\"\(Self.shown(value))\" on <\(node.shownName)> is below the format's minimum of \(ValueBound.grouped(bound.range.lowerBound)); expected \(bound.expected)",
                at: location)
        case .aboveMaximum:
            throw ImportError(
                .invalidValue,
                "value out of range: \(attribute)=\"\(Self.shown(value))\" on <\(node.shownName)> is past the format's maximum; expected \(bound.expected)",
                at: location)
        case .notANumber: throw invalid(attribute, value, bound.expected)
        }
    }

    /// A required number attribute within its documented range.
    func requiredNumber(_ attribute: String, _ bound: ValueBound) throws(ImportError) -> Int {
        guard let number = try number(attribute, bound) else { throw missing(attribute, bound.expected) }
        return number
    }

    func bool(_ attribute: String, default fallback: Bool) throws(ImportError) -> Bool {
        guard let value = node.attribute(attribute) else { return fallback }
        // As xs:boolean reads it: white space around the word is collapsed away.
        switch Self.trimmingXMLSpace(value) {
        case "true": return true
        case "false": return false
        default: throw invalid(attribute, value, "true or false")
        }
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ attribute: String, as type: Value.Type) throws(ImportError) -> Value?
    where Value.RawValue == String {
        guard let value = node.attribute(attribute) else { return nil }
        guard let result = Value(rawValue: value) else {
            throw invalid(attribute, value, "one of " + Value.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return result
    }

    func requiredChoice<Value: RawRepresentable & CaseIterable>(_ attribute: String, as type: Value.Type) throws(ImportError) -> Value
    where Value.RawValue == String {
        guard let result = try choice(attribute, as: type) else {
            throw missing(attribute, "one of " + Value.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return result
    }

    func time(_ attribute: String) throws(ImportError) -> String? {
        guard let value = node.attribute(attribute) else { return nil }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.utf8.count == 2 && $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { throw invalid(attribute, value, "a time HH:MM on a 24-hour clock, such as 09:30") }
        return value
    }

    func email(_ attribute: String, required isRequired: Bool) throws(ImportError) -> String? {
        guard let value = isRequired ? try required(attribute, "an email address") : node.attribute(attribute) else { return nil }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        // No control character, separator, bidi mark or U+FEFF (`DisplayText.isControl`), as a
        // workflow file's addresses: the address becomes part of an email header.
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !Self.hasWhitespace(value),
            !value.unicodeScalars.contains(where: DisplayText.isControl)
        else {
            throw invalid(attribute, value, "an email address such as name@example.com")
        }
        return value
    }

    func url(_ attribute: String, required isRequired: Bool) throws(ImportError) -> String? {
        guard let value = isRequired ? try required(attribute, "an http:// or https:// URL") : node.attribute(attribute) else { return nil }
        let rest = value.hasPrefix("https://") ? value.dropFirst(8) : value.hasPrefix("http://") ? value.dropFirst(7) : nil
        guard let rest, let first = rest.first, first != "/", first != "?", first != "#", !Self.hasWhitespace(value) else {
            throw invalid(attribute, value, "an absolute http:// or https:// URL")
        }
        return value
    }

    /// The text without XML white space (space, tab, CR, LF) around it, as XML Schema's `collapse`
    /// leaves a boolean.
    static func trimmingXMLSpace(_ text: String) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        var rest = Substring(text)
        while let first = rest.first, isSpace(first) { rest = rest.dropFirst() }
        while let last = rest.last, isSpace(last) { rest = rest.dropLast() }
        return rest
    }

    /// Whether the text has an ASCII space, tab or line break (all a URL or address may not have).
    static func hasWhitespace(_ text: String) -> Bool {
        text.utf8.contains { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The text of the child element with this name, if present; a second one is an error (it would
    /// otherwise be lost).
    func childText(_ name: String) throws(ImportError) -> String? {
        guard let child = try onlyChild(name) else { return nil }
        // Warns about attributes the text element does not define, which are not kept.
        ElementReader(child, parentPath: path, assembler: assembler).ignoreExtensions(allowed: [])
        return child.text
    }

    /// The child element of ours with this name, if present; fails on a second one, which the format
    /// does not allow and which would otherwise be lost.
    func onlyChild(_ name: String) throws(ImportError) -> XMLNode? {
        var found: XMLNode?
        for child in node.children where child.isOurs && child.name == name {
            guard found == nil else {
                let at = FileLocation(
                    file: assembler.file, parentPath: path, element: child.shownName, id: child.attribute("id").map(XMLNode.shown), line: child.line, column: child.column)
                throw ImportError(
                    .unexpectedElement, "unexpected element <\(name)>: <\(node.shownName)> has at most one <\(name)> (the first is at line \(found!.line))",
                    at: at)
            }
            found = child
        }
        return found
    }

    /// Child elements in our namespace.
    var ourChildren: [XMLNode] { node.children.filter(\.isOurs) }

    /// Child elements in other namespaces, as opaque parts.
    func extensionChildren() -> [OpaquePart] {
        node.children.filter { !$0.isOurs }.map { assembler.opaque($0, parentPath: path) }
    }

    /// Fails on a child in our namespace that is not one of `allowed`.
    func expectChildren(_ allowed: [String]) throws(ImportError) {
        for child in node.children where child.isOurs && !allowed.contains(child.name) {
            let at = FileLocation(
                file: assembler.file, parentPath: path, element: child.shownName, id: child.attribute("id").map(XMLNode.shown), line: child.line, column: child.column)
            let expected = allowed.isEmpty ? "no child elements" : "one of " + allowed.sorted().map { "<\($0)>" }.joined(separator: ", ")
            throw ImportError(.unexpectedElement, "unexpected element <\(child.shownName)> in <\(node.shownName)>: expected \(expected)", at: at)
        }
    }
}

extension ExportAssembler {
    /// An element the format does not model, kept whole.
    func opaque(_ node: XMLNode, parentPath: String) -> OpaquePart {
        let location = FileLocation(file: file, path: node.path(under: parentPath), line: node.line, column: node.column)
        var attributes: [String: String] = [:]
        for attribute in node.attributes {
            attributes[attribute.namespace.map { "{\($0)}\(attribute.name)" } ?? attribute.name] = attribute.value
        }
        return OpaquePart(
            kind: .element, namespace: node.namespace, name: node.name, attributes: attributes,
            text: TextElements.holdsText(node) ? node.text : "",
            children: node.children.map { opaque($0, parentPath: location.path) }, location: location)
    }
}
