import PurchaseActionsCore

extension ExportAssembler {
    /// The attributes of `<export>` or a section element that the format does not define for it.
    ///
    /// Each extension attribute (in another namespace) is a warning at its line and is handed out
    /// as an ``ExportItem/extension(_:)`` opaque attribute (an `extension-not-carried` finding in a
    /// migration); each unqualified attribute the format does not define is a warning. None is
    /// dropped silently (Docs/export-format.md, "Extensions").
    func reportAttributes(of element: OuterElement) {
        for attribute in element.attributes {
            if let namespace = attribute.namespace {
                warn(
                    "extension attribute '\(XMLNode.shown(attribute.name))' (namespace \(XMLNode.shown(namespace))) on <\(element.name)> is not carried into any workflow: <\(element.name)> keeps no extensions",
                    at: element.location)
                let part = OpaquePart(kind: .attribute, namespace: namespace, name: attribute.name, text: attribute.value, location: element.location)
                if accountRead { emit(.extension(part)) } else { heldParts.append(part) }
            } else if !element.allowed.contains(attribute.name) {
                let expected =
                    element.allowed.isEmpty
                    ? "<\(element.name)> has no attributes" : "expected one of: \(element.allowed.sorted().joined(separator: ", "))"
                warn("unknown attribute '\(XMLNode.shown(attribute.name))' on <\(element.name)> is ignored; \(expected)", at: element.location)
            }
        }
    }

    /// Hands out the parts held until the account was read.
    func emitHeldParts() {
        accountRead = true
        for part in heldParts { emit(.extension(part)) }
        heldParts = []
    }
}
