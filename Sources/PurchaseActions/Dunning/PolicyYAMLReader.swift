import CYaml
import PurchaseActionsCore

/// Reads one YAML document into the JSON tree a policy is (Docs/dunning.md, "YAML"), on libyaml's
/// event stream, so nothing is ever expanded: an anchor, an alias, a tag, a merge key (`<<`), a
/// duplicate key, a second document or nesting past ``maximumDepth`` is refused where it is, before
/// anything is built from it. Scalars are read by the YAML 1.2 core schema, integers only: plain
/// `null` / `~` / empty, `true` / `false`, decimal integers that fit in 64 bits; any quoted scalar is
/// a string; a plain number with a fraction or exponent, `.inf` or `.nan` is refused.
struct PolicyYAMLReader {
    /// A problem in the YAML, with its 1-based line and column and, for content, its JSON path.
    struct Problem: Error {
        var limit: Bool
        var message: String
        var line: Int
        var column: Int
        var path: JSONPath?
    }

    /// The most nested sequences and mappings a policy file may have: 64 (a policy needs about 20).
    static let maximumDepth = 64

    /// With `target`: the line and column of the value at that path, found on the way.
    var target: JSONPath?
    private(set) var found: (line: Int, column: Int)?

    /// One open sequence or mapping.
    private enum Frame {
        case sequence([JSONValue], JSONPath)
        case mapping([String: JSONValue], JSONPath, pendingKey: String?)

        var path: JSONPath {
            switch self {
            case .sequence(_, let path), .mapping(_, let path, _): path
            }
        }
    }

    /// Reads the document in `bytes` (UTF-8).
    mutating func read(_ bytes: [UInt8]) throws(Problem) -> JSONValue {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw Problem(limit: true, message: "out of memory", line: 1, column: 1) }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        let result: Result<JSONValue, Problem> = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            do throws(Problem) {
                return .success(try readEvents(&parser, bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private mutating func readEvents(_ parser: inout yaml_parser_t, _ bytes: [UInt8]) throws(Problem) -> JSONValue {
        var stack: [Frame] = []
        var root: JSONValue?
        var documents = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { throw Self.parserProblem(parser, bytes) }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            func problem(_ message: String, limit: Bool = false) -> Problem {
                Problem(limit: limit, message: message, line: line, column: column, path: childPath(stack))
            }
            switch event.type {
            case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT:
                continue
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                guard documents == 1 else { throw problem("a second YAML document (---): a policy file holds one document") }
            case YAML_STREAM_END_EVENT:
                guard let root else { throw problem("an empty file: a policy needs at least format, id and name (Docs/dunning.md)") }
                return root
            case YAML_ALIAS_EVENT:
                throw problem("an alias (*name): anchors and aliases are not supported in a policy file; write the value out where it is used")
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                if scalar.anchor != nil {
                    throw problem("an anchor (&name): anchors and aliases are not supported in a policy file; write the value out where it is used")
                }
                if let tag = scalar.tag {
                    throw problem("a tag (\(DisplayText.escape(Self.text(tag)))): tags are not supported in a policy file; remove it (quote the value to make it text)")
                }
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
                let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
                if case .mapping(let members, let path, nil)? = stack.last {
                    // A key.
                    if plain && text == "<<" {
                        throw Problem(
                            limit: false, message: "a merge key (<<): merge keys are not supported in a policy file; write the members out", line: line,
                            column: column, path: path)
                    }
                    if members[text] != nil {
                        throw Problem(
                            limit: false, message: "the member '\(DisplayText.escape(text))' is given twice: give each member once", line: line, column: column,
                            path: path.member(text))
                    }
                    stack[stack.count - 1] = .mapping(members, path, pendingKey: text)
                    continue
                }
                let value = try plain ? Self.resolve(text, problem) : .string(text)
                if let target, target == childPath(stack), found == nil { found = (line, column) }
                try add(value, to: &stack, root: &root)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isSequence = event.type == YAML_SEQUENCE_START_EVENT
                let anchor = isSequence ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                let tag = isSequence ? event.data.sequence_start.tag : event.data.mapping_start.tag
                if anchor != nil {
                    throw problem("an anchor (&name): anchors and aliases are not supported in a policy file; write the value out where it is used")
                }
                if let tag {
                    throw problem("a tag (\(DisplayText.escape(Self.text(tag)))): tags are not supported in a policy file; remove it")
                }
                if case .mapping(_, _, nil)? = stack.last {
                    throw problem("a key that is a \(isSequence ? "list" : "mapping"): keys in a policy are plain names")
                }
                guard stack.count < Self.maximumDepth else {
                    throw problem("lists and mappings nested more than \(Self.maximumDepth) deep, the most a policy file may have (Docs/dunning.md, \"Limits\")", limit: true)
                }
                let path = childPath(stack)
                if let target, target == path, found == nil { found = (line, column) }
                stack.append(isSequence ? .sequence([], path) : .mapping([:], path, pendingKey: nil))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { throw problem("unbalanced YAML") }
                switch frame {
                case .sequence(let items, _): try add(.array(items), to: &stack, root: &root)
                case .mapping(let members, _, _): try add(.object(members), to: &stack, root: &root)
                }
            default:
                continue
            }
        }
    }

    /// The path of the next value in the innermost open container, or the root.
    private func childPath(_ stack: [Frame]) -> JSONPath {
        switch stack.last {
        case nil: return .root
        case .sequence(let items, let path)?: return path.index(items.count)
        case .mapping(_, let path, let key)?: return path.member(key ?? "")
        }
    }

    private func add(_ value: JSONValue, to stack: inout [Frame], root: inout JSONValue?) throws(Problem) {
        switch stack.last {
        case nil:
            root = value
        case .sequence(var items, let path)?:
            stack[stack.count - 1] = .sequence([], path)  // keep the array uniquely referenced
            items.append(value)
            stack[stack.count - 1] = .sequence(items, path)
        case .mapping(var members, let path, let key)?:
            stack[stack.count - 1] = .mapping([:], path, pendingKey: nil)
            members[key ?? ""] = value
            stack[stack.count - 1] = .mapping(members, path, pendingKey: nil)
        }
    }

    /// A plain scalar by the YAML 1.2 core schema, integers only.
    static func resolve(_ text: String, _ problem: (String, Bool) -> Problem) throws(Problem) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        let bytes = Array(text.utf8)
        let unsigned = bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") ? bytes.dropFirst() : bytes[...]
        if !unsigned.isEmpty, unsigned.allSatisfy({ (48...57).contains($0) }) {
            var value = 0
            let negative = bytes.first == UInt8(ascii: "-")
            for byte in unsigned {
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowAgain) = negative ? times.subtractingReportingOverflow(Int(byte - 48)) : times.addingReportingOverflow(Int(byte - 48))
                guard !overflow, !overflowAgain else {
                    throw problem("the number \(DisplayText.escape(text, maxScalars: 40)) does not fit in 64 bits (Docs/dunning.md, \"Limits\")", true)
                }
                value = sum
            }
            return .integer(value)
        }
        if isFloatLike(unsigned) {
            throw problem("'\(DisplayText.escape(text, maxScalars: 40))' is a number with a fraction or exponent: a policy holds whole numbers only (quote it to make it text)", false)
        }
        return .string(text)
    }

    /// `1.5`, `.5`, `1e3`, `0x1F`, `0o17`, `.inf`, `.nan`, as YAML readers take for numbers.
    static func isFloatLike(_ bytes: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        if [".inf", ".nan"].contains(text) { return true }
        if text.hasPrefix("0x") || text.hasPrefix("0o") { return text.count > 2 }
        var sawDigit = false
        var sawDot = false
        var sawExponent = false
        var previous: Character = " "
        for character in text {
            switch character {
            case "0"..."9": sawDigit = true
            case "." where !sawDot && !sawExponent: sawDot = true
            case "e" where sawDigit && !sawExponent: sawExponent = true
            case "+" where previous == "e": break
            case "-" where previous == "e": break
            case "_": break
            default: return false
            }
            previous = character
        }
        return sawDigit && (sawDot || sawExponent)
    }

    static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    /// libyaml's error, with its place.
    static func parserProblem(_ parser: yaml_parser_t, _ bytes: [UInt8]) -> Problem {
        let problem = parser.problem.map { String(cString: $0) } ?? "not valid YAML"
        let context = parser.context.map { String(cString: $0) + ": " } ?? ""
        var line = Int(parser.problem_mark.line) + 1
        var column = Int(parser.problem_mark.column) + 1
        if parser.error == YAML_READER_ERROR {
            (line, column) = position(ofByte: Int(parser.problem_offset), in: bytes)
        }
        if problem.contains("Maximum nesting level") {
            return Problem(
                limit: true, message: "lists and mappings nested more than \(maximumDepth) deep, the most a policy file may have (Docs/dunning.md, \"Limits\")",
                line: line, column: column, path: nil)
        }
        return Problem(limit: false, message: "not valid YAML: \(DisplayText.escape(context + problem))", line: line, column: column, path: nil)
    }

    /// The 1-based line and column (in bytes) of a byte offset.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
