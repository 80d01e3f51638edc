public import PurchaseActionsCore

/// Why an export could not be read: what went wrong, where, and what was expected.
///
/// The one error type of `LegacyImport`. Its ``description`` is written for people:
/// `file:line:column: error: message (element path)`.
public struct ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem. Codes are stable: tests and scripts may match on them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, such as `unknown-reference`.
        public let name: String
        private init(_ name: String) { self.name = name }
        /// The name.
        public var description: String { name }

        /// The file is not well-formed XML (truncated, wrong nesting, a syntax error).
        public static let notWellFormed = Code("not-well-formed")
        /// The document is in an encoding other than UTF-8 and UTF-16, its declaration contradicts its
        /// bytes, or its bytes do not match its encoding.
        public static let encoding = Code("encoding")
        /// The document has a DOCTYPE; none is ever processed.
        public static let doctype = Code("doctype")
        /// The document uses XInclude; inclusions are never processed.
        public static let xinclude = Code("xinclude")
        /// A reader limit was exceeded (depth, attributes, text, document size, elements in a unit,
        /// namespaces, namespace bytes, namespaces in scope, distinct names).
        public static let limitExceeded = Code("limit-exceeded")
        /// An element is where the format does not allow it.
        public static let unexpectedElement = Code("unexpected-element")
        /// A required attribute is missing.
        public static let missingAttribute = Code("missing-attribute")
        /// An attribute or text has a value the format does not allow.
        public static let invalidValue = Code("invalid-value")
        /// A reference names something that does not exist.
        public static let unknownReference = Code("unknown-reference")
        /// Two elements have the same id, or a slot appears twice.
        public static let duplicateID = Code("duplicate-id")
        /// Action sets run each other in a cycle.
        public static let cycle = Code("cycle")
        /// The document does not satisfy the XML Schema (`--check`).
        public static let schema = Code("schema")
        /// The input file does not exist.
        public static let missingInput = Code("missing-input")
        /// The input could not be read.
        public static let io = Code("io")
    }

    /// The kind of problem.
    public var code: Code
    /// What went wrong and what was expected, for people.
    public var message: String
    /// Where it went wrong.
    public var location: FileLocation

    /// Creates an error.
    public init(_ code: Code, _ message: String, at location: FileLocation) {
        self.code = code
        self.message = message
        self.location = location
    }

    /// `file:line:column: error: message (path)`.
    public var description: String { location.diagnostic("error", message) }
}

/// Something an export holds that was read but deserves a look: an unknown element kept as an opaque
/// action, an attribute the format does not define.
public struct ImportWarning: Hashable, Sendable, CustomStringConvertible {
    /// What to look at.
    public var message: String
    /// Where.
    public var location: FileLocation

    /// Creates a warning.
    public init(_ message: String, at location: FileLocation) {
        self.message = message
        self.location = location
    }

    /// `file:line:column: warning: message (path)`.
    public var description: String { location.diagnostic("warning", message) }
}

extension FileLocation {
    /// `file:line:column: severity: message (path)`, the form compilers use and editors link.
    func diagnostic(_ severity: String, _ message: String) -> String {
        var text = "\(position): \(severity): \(message)"
        if !path.isEmpty { text += " (\(path))" }
        return text
    }
}
