/// One element of the unit being read (an action set, a catalogue entry, ...), with its attributes,
/// text and children. Only one unit's elements are held at a time.
final class XMLNode {
    /// An attribute as read; `namespace` is nil for unqualified attributes.
    struct Attribute {
        var name: String
        var namespace: String?
        var value: String
    }

    let name: String
    /// The element's namespace URI, or nil.
    let namespace: String?
    /// Whether the element is in the export namespace.
    let isOurs: Bool
    var attributes: [Attribute]
    var children: [XMLNode] = []
    var text: String = ""
    let line: Int
    let column: Int

    init(name: String, namespace: String?, isOurs: Bool, attributes: [Attribute], line: Int, column: Int) {
        self.name = name
        self.namespace = namespace
        self.isOurs = isOurs
        self.attributes = attributes
        self.line = line
        self.column = column
    }

    /// The value of an unqualified attribute.
    func attribute(_ name: String) -> String? {
        for attribute in attributes where attribute.namespace == nil && attribute.name == name { return attribute.value }
        return nil
    }

    /// The element's path step: `name` or `name[@id='x']`.
    var pathStep: String {
        if let id = attribute("id") { return "\(name)[@id='\(id)']" }
        return name
    }
}
