import PurchaseActionsCore

/// What the import made of the account's billing settings: the dunning policy file it wrote beside
/// the workflows, with each schedule in words, for the report's "Failed-payment retries" section
/// (Docs/mapping.md, "Billing automation"), such as `DunningPolicyNote(file: "dunning-policy.yaml",
/// id: "legacy-billing", schedule: "3 attempts, 2 days apart", plans: ["pp-vip-3": "4 attempts, 3 days apart"])`.
public struct DunningPolicyNote: Hashable, Sendable {
    /// The file's name in the output folder: `dunning-policy.yaml`.
    public var file: String
    /// The policy's id: `legacy-billing`.
    public var id: String
    /// The account's schedule in words: "3 attempts, 2 days apart".
    public var schedule: String
    /// Each plan's own schedule in words, by plan id ("not retried (autocharge off)"); a plan with
    /// overrides that is missing is not in the policy (a finding says why).
    public var plans: [String: String]

    /// Creates a note.
    public init(file: String, id: String, schedule: String, plans: [String: String] = [:]) {
        self.file = file
        self.id = id
        self.schedule = schedule
        self.plans = plans
    }
}

extension MigrationReportBuilder {
    /// Takes the dunning policy the import wrote of the billing settings; the account section then
    /// says where they went and names each schedule in words.
    public mutating func add(dunningPolicy: DunningPolicyNote) { policy = dunningPolicy }

    /// The words for a plan with overrides that the policy does not hold.
    static let planNotInPolicy = "not in the policy (see its finding): the account's schedule applies"

    /// The schedules in one line: "3 attempts, 2 days apart; plan pp-vip-3: not retried (autocharge
    /// off)", the plans in document order, at most ``listLimit`` of them (then "and N more plans").
    var policySummary: String? {
        guard let policy else { return nil }
        let plans = planRetrySettings
        var parts = [policy.schedule]
        for plan in plans.prefix(Self.listLimit) { parts.append("plan " + DisplayText.escape(plan.id) + ": " + (policy.plans[plan.id] ?? Self.planNotInPolicy)) }
        if plans.count > Self.listLimit { parts.append("and \(plans.count - Self.listLimit) more plans") }
        return parts.joined(separator: "; ")
    }

    /// The retry rows of the account section when there is a policy: the account's schedule, then
    /// each plan's, in the policy's words.
    var policyRows: [(label: Sentence, value: String)] {
        guard let policy, let settings else { return [] }
        let account = RetrySetting(kind: "account", id: settings.id, name: settings.name, autocharge: true, line: 0)
        return [(account.label, policy.schedule)] + planRetrySettings.map { ($0.label, policy.plans[$0.id] ?? Self.planNotInPolicy) }
    }

    /// The account section's sentence on the policy, in Markdown: where the billing settings went.
    var policyMarkdown: String {
        guard let policy, let summary = policySummary else { return "" }
        return "The billing settings became the dunning policy `" + ReportText.markdown(policy.id) + "` in `" + ReportText.markdown(policy.file)
            + "` (Docs/dunning.md): " + ReportText.markdown(summary) + ".\n\n"
    }

    /// ``policyMarkdown`` in HTML.
    var policyHTML: String {
        guard let policy, let summary = policySummary else { return "" }
        return "<p>The billing settings became the dunning policy <code>" + ReportText.html(policy.id) + "</code> in <code>" + ReportText.html(policy.file)
            + "</code> (Docs/dunning.md): " + ReportText.html(summary) + ".</p>\n"
    }

    /// The JSON report's `account.dunningPolicy`: `{"file", "id", "schedule", "plans"}`.
    var policyJSON: JSONValue? {
        guard let policy else { return nil }
        var plans: [JSONValue] = []
        for plan in planRetrySettings {
            plans.append(.members(["id": plan.id.json, "schedule": (policy.plans[plan.id] ?? Self.planNotInPolicy).json, "inPolicy": (policy.plans[plan.id] != nil).json]))
        }
        return .members([
            "file": policy.file.json, "id": policy.id.json, "schedule": policy.schedule.json, "summary": (policySummary ?? policy.schedule).json,
            "plans": .array(plans),
        ])
    }
}
