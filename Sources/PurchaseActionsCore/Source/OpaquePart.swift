/// Something an export holds that the format does not model: an extension in another namespace, or an
/// unknown element in ours. It is kept whole, with its location, and never dropped silently.
public struct OpaquePart: Hashable, Sendable, Codable {
    /// Whether the part was an element or an attribute.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// An element with its attributes, text and children.
        case element
        /// A single attribute; its value is in ``text``.
        case attribute
    }

    /// Element or attribute.
    public var kind: Kind
    /// The namespace URI, or `nil` for none.
    public var namespace: String?
    /// The local name.
    public var name: String
    /// Attributes of an element, keyed by name (`{namespace}name` for a namespaced attribute).
    public var attributes: [String: String]
    /// The text content of an element, or the value of an attribute.
    public var text: String
    /// Child elements, in document order.
    public var children: [OpaquePart]
    /// Where the part was found.
    public var location: FileLocation

    /// Creates an opaque part.
    public init(
        kind: Kind, namespace: String?, name: String, attributes: [String: String] = [:], text: String = "",
        children: [OpaquePart] = [], location: FileLocation
    ) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
        self.location = location
    }
}
