import PurchaseActionsCore

/// Checks that a reference names an existing catalogue entry of the right kind.
struct CatalogueReferences {
    /// The kinds of catalogue entry a reference can name.
    enum Kind: String {
        case tag, tagCategory = "tag category", customField = "custom field", user, product, subscriptionPlan = "subscription plan"
        case bundle, paymentPlan = "payment plan", priceOption = "price option"
    }

    let catalogue: Catalogue
    /// The names of the custom fields (`_ShirtSize`), for rules and `set-field`.
    let customFieldNames: Set<String>

    init(catalogue: Catalogue) {
        self.catalogue = catalogue
        customFieldNames = Set(catalogue.customFields.values.map(\.name))
    }

    /// Whether an entry of that kind has the id; looks up the key only, copying no entry.
    func exists(_ id: String, _ kind: Kind) -> Bool {
        switch kind {
        case .tag: catalogue.tags.contains(id)
        case .tagCategory: catalogue.tagCategories.contains(id)
        case .customField: catalogue.customFields.contains(id)
        case .user: catalogue.users.contains(id)
        case .product: catalogue.products.contains(id)
        case .subscriptionPlan: catalogue.subscriptionPlans.contains(id)
        case .bundle: catalogue.bundles.contains(id)
        case .paymentPlan: catalogue.paymentPlans.contains(id)
        case .priceOption: catalogue.priceOption(id: id) != nil
        }
    }

    func require(_ id: String, _ kind: Kind, at location: FileLocation) throws(ImportError) {
        guard exists(id, kind) else {
            throw ImportError(
                .unknownReference, "unknown \(kind.rawValue) '\(ElementReader.shown(id))': no \(kind.rawValue) with this id is in the catalogue", at: location)
        }
    }

    func requireTemplate(_ id: String, _ kind: TemplateKind, at location: FileLocation) throws(ImportError) {
        // The kind read in place: the template (with its texts) is copied only for an error.
        if catalogue.templates.read(id, { $0.content.kind == kind }) == true { return }
        guard let template = catalogue.templates[id] else {
            throw ImportError(
                .unknownReference, "unknown template '\(ElementReader.shown(id))': no \(kind.elementName) with this id is in the catalogue", at: location)
        }
        throw ImportError(
            .unknownReference,
            "unknown template '\(ElementReader.shown(id))' for this action: it is a \(template.kind.elementName) (line \(template.location.line)), and this action needs a \(kind.elementName)",
            at: location)
    }

    /// A contact field name: a standard one, or a declared custom field's name.
    func requireField(_ name: String, at location: FileLocation) throws(ImportError) {
        if name.hasPrefix("_") {
            guard customFieldNames.contains(name) else {
                throw ImportError(
                    .unknownReference, "unknown custom field '\(ElementReader.shown(name))': declare it with <custom-field name=\"\(ElementReader.shown(name))\"> in the catalogue", at: location)
            }
        } else if !ContactFields.standard.contains(name) {
            throw ImportError(
                .invalidValue,
                "invalid value '\(ElementReader.shown(name))': expected a standard contact field (\(ContactFields.standard.sorted().joined(separator: ", "))) or a custom field starting with _",
                at: location)
        }
    }
}
