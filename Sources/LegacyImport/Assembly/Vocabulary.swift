/// The element names of export format v1.
enum Vocabulary {
    /// Entries of `<catalogue>`.
    static let catalogueEntries: Set<String> = [
        "tag-category", "tag", "custom-field", "user", "product", "subscription-plan", "bundle", "payment-plan", "email-template",
        "task-template", "note-template", "appointment-template", "letter-template", "fax-template", "voice-template",
        "fulfillment-list-template",
    ]
    /// Action elements.
    static let actions: Set<String> = [
        "apply-tag", "remove-tag", "send-email", "send-sms", "create-task", "create-note", "create-appointment", "http-post", "set-field",
        "assign-owner", "create-order", "start-sequence", "stop-sequence", "run-action-set", "achieve-goal", "cancel-subscription",
        "complete-tasks", "create-opportunity", "send-fax", "send-letter", "send-voice", "send-fulfillment-list",
    ]
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

    /// The unqualified attributes of each action element.
    static let actionAttributes: [String: [String]] = {
        var table: [String: [String]] = [:]
        for name in actions { table[name] = ["id", "template"] }
        table["apply-tag"] = ["id", "tag"]
        table["remove-tag"] = ["id", "tag"]
        table["send-email"] = ["id", "template", "to"]
        table["send-sms"] = ["id", "from"]
        table["http-post"] = ["id", "url", "mode"]
        table["set-field"] = ["id", "field", "value"]
        table["assign-owner"] = ["id", "user"]
        table["create-order"] = ["id", "payment-plan", "autocharge", "promo-code"]
        table["start-sequence"] = ["id", "sequence"]
        table["stop-sequence"] = ["id", "sequence"]
        table["run-action-set"] = ["id", "action-set"]
        table["achieve-goal"] = ["id", "integration", "call-name"]
        table["cancel-subscription"] = ["id", "plan"]
        table["create-opportunity"] = ["id", "title", "stage", "owner"]
        return table
    }()
    /// The child elements of each action element besides `rule`.
    static let actionChildren: [String: [String]] = [
        "send-sms": ["rule", "message"], "http-post": ["rule", "param"], "create-order": ["rule", "order-line"],
    ]
}
