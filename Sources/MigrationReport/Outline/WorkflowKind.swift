public import PurchaseActionsCore

/// What a workflow was compiled from, read from its id (Docs/mapping.md, "What becomes a
/// workflow"): the report groups and counts workflows by it.
public enum WorkflowKind: String, Hashable, Sendable, CaseIterable {
    /// A purchase-action slot (`slot.<key>`).
    case slot
    /// An action set (`action-set.<id>`).
    case actionSet = "action-set"
    /// A follow-up sequence (`sequence.<id>`).
    case sequence
    /// A billing-automation rule (`billing.<id>`).
    case billingRule = "billing-rule"
    /// Any other workflow (one written by hand).
    case other = "workflow"

    /// The kind of the workflow with this id.
    public init(workflowID id: String) {
        if id.hasPrefix("slot.") {
            self = .slot
        } else if id.hasPrefix("action-set.") {
            self = .actionSet
        } else if id.hasPrefix("sequence.") {
            self = .sequence
        } else if id.hasPrefix("billing.") {
            self = .billingRule
        } else {
            self = .other
        }
    }

    /// The section title, plural: "Purchase slots".
    public var title: String {
        switch self {
        case .slot: "Purchase slots"
        case .actionSet: "Action sets"
        case .sequence: "Follow-up sequences"
        case .billingRule: "Billing automation"
        case .other: "Other workflows"
        }
    }

    /// One of them, for people: "purchase slot".
    public var singular: String {
        switch self {
        case .slot: "purchase slot"
        case .actionSet: "action set"
        case .sequence: "follow-up sequence"
        case .billingRule: "billing rule"
        case .other: "workflow"
        }
    }

    /// The order of the report's sections: slots first (what a purchase starts), then the action
    /// sets they run, the sequences those start, billing automation, and anything else.
    public static let reportOrder: [WorkflowKind] = [.slot, .actionSet, .sequence, .billingRule, .other]
}

/// How an action (a workflow step) was migrated.
public enum ActionOutcome: String, Hashable, Sendable, CaseIterable, Comparable {
    /// Does what the legacy action did.
    case exact
    /// Does nearly what it did; the report says how it differs.
    case approximated
    /// Has no equivalent: kept as a record that does nothing, or left out; the report says what the
    /// user must do.
    case notMappable = "not-mappable"

    /// The words the report shows: "exact", "approximated", "not mappable".
    public var words: String {
        switch self {
        case .exact: "exact"
        case .approximated: "approximated"
        case .notMappable: "not mappable"
        }
    }

    private var rank: Int {
        switch self {
        case .exact: 0
        case .approximated: 1
        case .notMappable: 2
        }
    }

    public static func < (lhs: ActionOutcome, rhs: ActionOutcome) -> Bool { lhs.rank < rhs.rank }
}

extension MigrationFinding {
    /// What a finding makes of the action it is about: a `legacy-action`, `missing-reference` or
    /// `extension-not-carried` finding leaves it not mappable, every other code (text kept as
    /// written, a value written as the nearest limit, a list sent per contact) approximated.
    public var outcome: ActionOutcome {
        switch code {
        case .legacyAction, .missingReference, .extensionNotCarried: .notMappable
        default: .approximated
        }
    }

    /// The message, ending with a full stop.
    var sentence: String { message.hasSuffix(".") ? message : message + "." }

    /// What the user should do about a finding of this kind, in plain words.
    public var advice: String { Self.adviceByCode[code] ?? Self.advice(code: code.rawValue) }

    /// ``advice`` by code (looked up without hashing the code's text).
    static let adviceByCode: [Code: String] = Dictionary(uniqueKeysWithValues: Code.allCases.compactMap { code in advice[code.rawValue].map { (code, $0) } })

    /// What the user should do about a finding with this code (``Code`` raw value).
    public static func advice(code: String) -> String { advice[code] ?? "Check this part of the new workflow by hand." }

    /// What to do, by finding code.
    static let advice: [String: String] = [
        "billing-settings-unused": "The dunning policy (dunning-policy.yaml) cannot hold this setting as it is: make the payment system wait before the first charge, or edit the policy to what you want.",
        "legacy-action": "Do this another way (through another service, or by hand), or accept that it no longer happens.",
        "missing-reference": "Add the missing template to the account, or remove the action.",
        "extension-not-carried": "Find out what this extension did in the old system and rebuild it by hand if it still matters.",
        "unknown-merge-field": "Check the merge field: replace it with a field the new system knows, or remove it.",
        "literal-braces": "Check how the text renders: {{ and }} now start a template tag.",
        "queued-fulfillment-list": "Tell the fulfilment house: it now gets one message per contact instead of a daily list.",
        "send-time-ignored": "If the step must wait for its send time, move it to day 1.",
        "value-out-of-range": "Check the value: it was written as the nearest one a workflow allows.",
        "header-line-break": "Check the subject or sender: its line breaks are now spaces.",
        "expansion-over-budget": "Split the chain of action sets: a run of it stops part way.",
    ]
}
