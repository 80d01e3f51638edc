public import PurchaseActionsCore

/// The one error type of `PurchaseActionsDunning`: a stable code, a message for people, and where it
/// applies (a JSON path into the policy or gateway script, and a file line when the text was read
/// from a file).
public struct DunningError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable code, for example `invalid-policy`, `limit-exceeded`, `invalid-script`.
    public var code: String
    /// What went wrong and what to do, for people.
    public var message: String
    /// Where in the document, or `nil` when the error is about the whole document.
    public var path: JSONPath?
    /// The file, line and column, when known (a YAML or JSON file read by the umbrella's loader).
    public var location: FileLocation?

    /// Creates an error.
    public init(_ code: String, _ message: String, path: JSONPath? = nil, location: FileLocation? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.location = location
    }

    /// `path: message`, or the message alone.
    public var description: String {
        if let path { return "\(path): \(message)" }
        return message
    }
}
