/// The element names of export format v1.
enum Vocabulary {
    /// Entries of `<catalogue>`.
    static let catalogueEntries: Set<String> = [
        "tag-category", "tag", "custom-field", "user", "product", "subscription-plan", "bundle", "payment-plan", "email-template",
        "task-template", "note-template", "appointment-template", "letter-template", "fax-template", "voice-template",
        "fulfillment-list-template",
    ]
    /// Action elements.
    static let actions = Set(ActionElement.allCases.map(\.rawValue))
    /// Slot elements of `<purchase-actions>`.
    static let slots: Set<String> = [
        "on-login", "contact-creation", "successful-purchase", "failed-purchase", "error-purchase", "product-purchase", "subscription-purchase",
    ]
    /// Rule elements of `<billing-automation>`.
    static let billingRules: Set<String> = ["on-autocharge-failed", "on-autocharge-recovered", "on-card-expiring"]
    /// Everything else.
    static let other: Set<String> = [
        "export", "account", "billing-defaults", "catalogue", "sequences", "sequence", "step", "action-sets", "action-set", "purchase-actions",
        "billing-automation", "price-option", "bundle-item", "html", "text", "description", "body", "script", "message", "rule", "field",
        "has-tag", "lacks-tag", "param", "order-line",
    ]
    /// Every element of the format.
    static let elements: Set<String> = catalogueEntries.union(actions).union(slots).union(billingRules).union(other)
}
