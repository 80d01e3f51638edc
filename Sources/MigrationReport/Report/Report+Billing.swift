import PurchaseActionsCore

/// The payment-retry settings the workflows do not carry, as the report's account section shows
/// them: the account's default and every subscription and payment plan's override, by name, in
/// words that count `max-retries` as the export format does (attempts per invoice, the first failed
/// charge included: Docs/export-format.md).
struct RetrySetting: Sendable {
    /// `subscription-plan`, `payment-plan`, or `account` for the default.
    var kind: String
    var id: String
    var name: String
    var autocharge: Bool
    /// The overrides as the export gives them (nil: the account's default applies).
    var maxRetries: Int?
    var daysBetweenRetries: Int?
    var line: Int

    /// What the setting is called: "account default", "subscription plan *Name* (`id`)".
    var label: Sentence {
        switch kind {
        case "account": "account default"
        default: Sentence([.words(kind == "payment-plan" ? "payment plan " : "subscription plan "), .name(name), .words(" ("), .id(id), .words(")")])
        }
    }

    /// The schedule in words, with the account's defaults filling what the plan leaves out.
    func words(_ defaults: BillingDefaults) -> String {
        guard autocharge else { return "not charged automatically, so never retried" }
        let schedule = Self.words(attempts: maxRetries ?? defaults.maxRetries, daysApart: daysBetweenRetries ?? defaults.daysBetweenRetries)
        guard kind != "account" else { return schedule }
        var own: [String] = []
        if let maxRetries { own.append("max-retries=\(maxRetries)") }
        if let daysBetweenRetries { own.append("days-between-retries=\(daysBetweenRetries)") }
        return schedule + " (" + own.joined(separator: ", ") + "; the rest from the account default)"
    }

    /// `max-retries` in words: "up to 4 charge attempts: the first failed charge and 3 retries, 3
    /// days apart".
    static func words(attempts: Int, daysApart days: Int) -> String {
        guard attempts > 1 else { return "1 charge attempt: a failed charge is not retried" }
        let retries = attempts - 1
        return "up to \(attempts) charge attempts: the first failed charge and \(retries) retr\(retries == 1 ? "y" : "ies"), \(days) day\(days == 1 ? "" : "s") apart"
    }

    var json: JSONValue {
        .members([
            "kind": kind.json, "id": id.json, "name": DisplayText.escape(name).json, "autocharge": autocharge.json,
            "maxRetries": maxRetries?.json, "daysBetweenRetries": daysBetweenRetries?.json, "line": line.json,
        ])
    }
}

extension MigrationReportBuilder {
    /// Every subscription plan and payment plan with billing overrides (`autocharge="false"`,
    /// `max-retries`, `days-between-retries`), in document order: subscription plans, then payment
    /// plans. Bounded by the catalogue.
    var planRetrySettings: [RetrySetting] {
        func setting(_ kind: String, _ id: String, _ name: String, _ billing: BillingOverrides, _ line: Int) -> RetrySetting? {
            guard !billing.autocharge || billing.maxRetries != nil || billing.daysBetweenRetries != nil else { return nil }
            return RetrySetting(
                kind: kind, id: id, name: name, autocharge: billing.autocharge, maxRetries: billing.maxRetries,
                daysBetweenRetries: billing.daysBetweenRetries, line: line)
        }
        let catalogue = names.catalogue
        return catalogue.subscriptionPlans.values.compactMap { setting("subscription-plan", $0.id, $0.name, $0.billing, $0.location.line) }
            + catalogue.paymentPlans.values.compactMap { setting("payment-plan", $0.id, $0.name, $0.billing, $0.location.line) }
    }

    /// The retry rows of the account section: the account's default, then each plan's override.
    var retryRows: [(label: Sentence, value: String)] {
        guard let settings else { return [] }
        let defaults = settings.billing
        let account = RetrySetting(kind: "account", id: settings.id, name: settings.name, autocharge: true, line: 0)
        return [(account.label, account.words(defaults))] + planRetrySettings.map { ($0.label, $0.words(defaults)) }
    }
}
