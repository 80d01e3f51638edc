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
    /// What the format says about the element, found once per distinct name.
    let role: ElementRole
    /// Whether the element is in the export namespace.
    var isOurs: Bool { role.contains(.ours) }
    var attributes: [Attribute]
    @exclusivity(unchecked) var children: [XMLNode] = []
    @exclusivity(unchecked) var text: String = ""
    let line: Int
    let column: Int

    init(name: String, namespace: String?, role: ElementRole, attributes: [Attribute], line: Int, column: Int) {
        self.name = name
        self.namespace = namespace
        self.role = role
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

    /// The element's path below its parent's path, built with one allocation.
    func path(under parent: String) -> String {
        let id = attribute("id")
        var path = ""
        path.reserveCapacity(parent.utf8.count + name.utf8.count + (id.map { $0.utf8.count + 7 } ?? 0) + 1)
        path += parent
        path += "/"
        path += name
        if let id {
            path += "[@id='"
            path += id
            path += "']"
        }
        return path
    }
}

/// What the format says about an element name in the export namespace: flags in the low byte, and
/// for an action element its position in ``ActionElement/all`` plus one in the high byte.
struct ElementRole: OptionSet, Hashable {
    let rawValue: UInt16
    /// In the export namespace.
    static let ours = ElementRole(rawValue: 1)
    /// An element the format defines.
    static let known = ElementRole(rawValue: 2)
    /// An action element.
    static let action = ElementRole(rawValue: 4)
    /// A text-only element (html, text, description, body, script, message).
    static let text = ElementRole(rawValue: 8)

    /// The action the element is, for action elements.
    var action: ActionElement? {
        let number = Int(rawValue >> 8)
        return number == 0 ? nil : ActionElement.all[number - 1]
    }

    /// The role of `name` in the export namespace.
    static func ofOurs(_ name: String) -> ElementRole {
        var role: ElementRole = .ours
        if Vocabulary.elements.contains(name) { role.insert(.known) }
        if TextElements.names.contains(name) { role.insert(.text) }
        if let action = ActionElement(rawValue: name) {
            role = ElementRole(rawValue: role.rawValue | ElementRole.action.rawValue | UInt16(action.position + 1) << 8)
        }
        return role
    }
}
