/// Where a value sits in a JSON document: `$`, `$.order.lines[0].quantity`, `$.contact.fields['_X']`.
///
/// The notation is that of Python's `jsonschema` (`json_path`), so errors from our reader and from
/// the JSON Schemas point at the same place.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Hashable, Sendable {
        /// An object member.
        case member(String)
        /// An array element, counted from 0.
        case index(Int)
    }

    /// The steps from the document's root.
    public var components: [Component]

    /// The root, `$`.
    public static let root = JSONPath(components: [])

    /// Creates a path.
    public init(components: [Component]) { self.components = components }

    /// The path of a member of the value here.
    public func member(_ name: String) -> JSONPath { JSONPath(components: components + [.member(name)]) }

    /// The path of an element of the array here.
    public func index(_ index: Int) -> JSONPath { JSONPath(components: components + [.index(index)]) }

    /// `$.a.b[0]['x y']`.
    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let index): text += "[\(index)]"
            case .member(let name):
                let simple = name.first.map { $0.isASCII && $0.isLetter } == true
                    && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                // Quoted: backslashes and control characters escaped (DisplayText), then quotes.
                text += simple ? ".\(name)" : "['\(DisplayText.escape(name).replacing("'", with: "\\'"))']"
            }
        }
        return text
    }
}

/// A JSON document that is not what a format expects: not JSON, or a member missing, unknown or of
/// the wrong kind. It says where: the line and column for syntax, the JSON path for content.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem.
    public enum Code: String, Hashable, Sendable {
        /// Not well-formed JSON.
        case syntax
        /// A number with a fraction or exponent, or too big: the formats hold integers only.
        case notAnInteger = "not-an-integer"
        /// A member the format does not define.
        case unknownMember = "unknown-member"
        /// A required member is missing.
        case missingMember = "missing-member"
        /// A value of the wrong kind (a string for a number, ...).
        case wrongType = "wrong-type"
        /// A value of the right kind that is not allowed (an unknown event type, a bad id, ...).
        case invalidValue = "invalid-value"
        /// Too deep or too long.
        case limit
    }

    /// What kind of problem.
    public var code: Code
    /// What is wrong and what would be right, for people. It never holds a raw control character
    /// (``DisplayText/isControl(_:)``): a message quoting one from the input is escaped whole with
    /// ``DisplayText/escape(_:)``, so it cannot forge a line wherever it is shown.
    public var message: String {
        didSet { message = Self.safe(message) }
    }
    /// Where in the document (the root for syntax errors).
    public var path: JSONPath
    /// The 1-based line of a syntax error, or of the value when known.
    public var line: Int?
    /// The 1-based column (in bytes) of a syntax error.
    public var column: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, at path: JSONPath = .root, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = Self.safe(message)
        self.path = path
        self.line = line
        self.column = column
    }

    /// `message`, escaped whole when it holds a control character (quoted input values usually
    /// are escaped where they are quoted; this is the guard for any that are not).
    static func safe(_ message: String) -> String {
        message.unicodeScalars.contains(where: DisplayText.isControl) ? DisplayText.escape(message) : message
    }

    /// `line:column: message` for syntax, `path: message` for content, both when both are known.
    public var description: String {
        var text = ""
        if let line, let column { text += "\(line):\(column): " }
        if !path.components.isEmpty || line == nil { text += "\(path): " }
        return text + message
    }
}
