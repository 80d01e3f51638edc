import PurchaseActionsCore

extension ExportAssembler {
    static let ruleAttributes = ["match"]
    static let criterionElements = ["field", "has-tag", "lacks-tag"]
    static let fieldAttributes = ["name", "op", "value"]
    static let tagAttributes = ["tag"]

    /// Reads an action's `<rule>`: `all`, `any` or `none` of its criteria.
    func readRule(_ element: ElementReader, references: CatalogueReferences) throws(ImportError) -> Rule {
        element.ignoreExtensions(allowed: Self.ruleAttributes)
        try element.expectChildren(Self.criterionElements)
        var criteria: [Criterion] = []
        criteria.reserveCapacity(element.node.children.count)
        let path = element.path
        for child in element.node.children where child.isOurs {
            let criterion = ElementReader(child, parentPath: path, assembler: self)
            // Made once: the criterion keeps it, and a reference check names it.
            let location = criterion.location
            switch child.name {
            case "field":
                criterion.ignoreExtensions(allowed: Self.fieldAttributes)
                let name = try criterion.text("name", "a contact field name such as State or _ShirtSize")
                try references.requireField(name, at: location)
                let op = try criterion.requiredChoice("op", as: FieldOperator.self)
                let value = criterion.optional("value")
                if op.takesValue, value == nil {
                    throw criterion.missing("value", "the value to compare with (op=\"\(op.rawValue)\" takes one)")
                }
                if op == .before || op == .after, let value, !Self.isDate(value) {
                    throw criterion.invalid("value", value, "a date YYYY-MM-DD in the years 0001 to 9999 (op=\"\(op.rawValue)\" compares dates)")
                }
                criteria.append(Criterion(.field(name: name, op: op, value: value), location: location))
            default:
                criterion.ignoreExtensions(allowed: Self.tagAttributes)
                let tag = try criterion.reference("tag", "a tag")
                try references.require(tag, .tag, at: location)
                criteria.append(Criterion(child.name == "has-tag" ? .hasTag(tag) : .lacksTag(tag), location: location))
            }
        }
        guard !criteria.isEmpty else {
            throw ImportError(.missingAttribute, "<rule> needs at least one criterion: <field>, <has-tag> or <lacks-tag>", at: element.location)
        }
        return Rule(match: try element.requiredChoice("match", as: Rule.Match.self), criteria: criteria, location: element.location)
    }
}
