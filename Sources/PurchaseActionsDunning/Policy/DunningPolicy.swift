import PurchaseActionsCore

/// A failed-payment dunning policy: when to retry a failed automatic charge, what to tell the
/// customer and staff along the way, and what to do at the end (Docs/dunning.md).
///
/// A policy is a value: read it with `DunningPolicy(json:at:)` (or the umbrella's YAML loader),
/// check it with `check()`, run it with `DunningProcess`, simulate it with `DunningSimulation`.
public struct DunningPolicy: Hashable, Sendable {
    /// The policy format version this library reads and writes: `1`.
    public static let formatVersion = 1

    /// The policy's id (1 to 64 printable ASCII characters, no spaces).
    public var id: String
    /// A name for people.
    public var name: String
    /// The version the author gave, kept as given (stored versions are numbered by `publish`).
    public var version: Int?
    /// The IANA timezone that decides day boundaries, calendar-day gaps and the send window;
    /// `nil`: the account's timezone, or UTC when there is none.
    public var timezone: String?
    /// The retry schedule after the first failed automatic charge.
    public var retries: RetrySchedule
    /// Per-plan overrides, by subscription plan or payment plan id.
    public var plans: [String: PlanOverride]
    /// When customer messages (email, SMS) may go out; `nil`: any time.
    public var sendWindow: MessageWindow?
    /// How decline codes are classed beyond the standard table.
    public var declines: DeclineSettings
    /// Card-network retry budgets.
    public var budgets: BudgetSettings
    /// What a card update does.
    public var cardUpdate: CardUpdateRule
    /// Stages, most severe first: the first whose condition holds is the invoice's stage; none: clear.
    public var stages: [DunningStage]
    /// Actions after a given failed attempt.
    public var attempts: [AttemptRule]
    /// Actions when a charge succeeds after a failure.
    public var recovered: [DunningAction]
    /// What happens when the schedule is exhausted (or a hard decline gets no new card in time).
    public var final: FinalAction
    /// Invoices older than this many calendar months (counted from the first failure) are not
    /// charged again; `nil`: no limit. The legacy default is 12.
    public var maxInvoiceAgeMonths: Int?

    /// Creates a policy; the defaults are the legacy system's (Docs/dunning.md, "Defaults").
    public init(
        id: String, name: String, version: Int? = nil, timezone: String? = nil,
        retries: RetrySchedule = .gaps([.days(2), .days(2)]), plans: [String: PlanOverride] = [:],
        sendWindow: MessageWindow? = nil, declines: DeclineSettings = DeclineSettings(),
        budgets: BudgetSettings = BudgetSettings(), cardUpdate: CardUpdateRule = CardUpdateRule(),
        stages: [DunningStage] = [], attempts: [AttemptRule] = [], recovered: [DunningAction] = [],
        final: FinalAction = FinalAction(.keepPastDue), maxInvoiceAgeMonths: Int? = 12
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.timezone = timezone
        self.retries = retries
        self.plans = plans
        self.sendWindow = sendWindow
        self.declines = declines
        self.budgets = budgets
        self.cardUpdate = cardUpdate
        self.stages = stages
        self.attempts = attempts
        self.recovered = recovered
        self.final = final
        self.maxInvoiceAgeMonths = maxInvoiceAgeMonths
    }
}

/// When a failed automatic charge is tried again.
public enum RetrySchedule: Hashable, Sendable {
    /// The gaps between attempts: attempt 1 is the reported failure, attempt k + 1 comes `gaps[k-1]`
    /// after attempt k; `1 + gaps.count` attempts in all. JSON `{"gaps": ["2d", "2d"]}`.
    case gaps([PolicyDuration])
    /// `attempts` attempts in all (the first failure included), the retries spread evenly over
    /// `window` from the first failure, the last at its end. JSON `{"attempts": 8, "within": "14d"}`.
    case within(attempts: Int, window: PolicyDuration)
    /// No retries: the first failure goes straight to the final action. JSON `"none"`.
    case none

    /// Attempts in all, the first failure included.
    public var totalAttempts: Int {
        switch self {
        case .gaps(let gaps): gaps.count + 1
        case .within(let attempts, _): attempts
        case .none: 1
        }
    }
}

/// A plan's own settings (the legacy per-plan overrides).
public struct PlanOverride: Hashable, Sendable {
    /// `false`: invoices of this plan are not managed at all (the legacy `autocharge="false"`).
    public var autocharge: Bool
    /// The plan's schedule, or `nil` for the policy's.
    public var retries: RetrySchedule?

    /// Creates an override.
    public init(autocharge: Bool = true, retries: RetrySchedule? = nil) {
        self.autocharge = autocharge
        self.retries = retries
    }
}

/// The hours and weekdays customer messages may go out (a policy's `sendWindow`), in the policy's timezone. A message
/// due outside waits for the next opening.
public struct MessageWindow: Hashable, Sendable {
    /// Minutes after local midnight the window opens (`"09:00"` is 540).
    public var opens: Int
    /// Minutes after local midnight the window closes (exclusive; greater than `opens`).
    public var closes: Int
    /// The weekdays it is open, 0 Sunday … 6 Saturday, sorted; all seven by default.
    public var weekdays: [Int]

    /// Creates a window.
    public init(opens: Int, closes: Int, weekdays: [Int] = Array(0...6)) {
        self.opens = opens
        self.closes = closes
        self.weekdays = weekdays
    }
}

/// How the policy classes decline codes beyond `DeclineTable.standard`.
public struct DeclineSettings: Hashable, Sendable {
    /// The class of a code neither the table nor `codes` knows. Default `soft` (Docs/dunning.md says why).
    public var unknown: DeclineClass
    /// Codes classed by the policy, overriding the standard table (lower-case codes).
    public var codes: [String: DeclineClass]

    /// Creates decline settings.
    public init(unknown: DeclineClass = .soft, codes: [String: DeclineClass] = [:]) {
        self.unknown = unknown
        self.codes = codes
    }
}

/// Card-network retry budgets: at most `attempts` charges per card in any rolling `window`.
public struct BudgetSettings: Hashable, Sendable {
    /// What a planned retry that would exceed its budget does.
    public enum WhenExceeded: String, Hashable, Sendable {
        /// Wait until the budget allows it (the default).
        case `defer`
        /// Skip the attempt: it counts as made and failed, with a logged reason.
        case skip
    }

    /// The budget of each network; a network not listed uses `.other`'s.
    public var networks: [CardNetwork: NetworkBudget]
    /// What an attempt over budget does.
    public var whenExceeded: WhenExceeded

    /// The budgets of Docs/dunning.md, "Card-network budgets": Visa 15 in 30 days, Mastercard 35 in
    /// 30 days, the others 15 in 30 days.
    public static let standardNetworks: [CardNetwork: NetworkBudget] = [
        .visa: NetworkBudget(attempts: 15, window: .days(30)),
        .mastercard: NetworkBudget(attempts: 35, window: .days(30)),
        .other: NetworkBudget(attempts: 15, window: .days(30)),
    ]

    /// Creates budget settings.
    public init(networks: [CardNetwork: NetworkBudget] = BudgetSettings.standardNetworks, whenExceeded: WhenExceeded = .defer) {
        self.networks = networks
        self.whenExceeded = whenExceeded
    }

    /// The budget that applies to a card of `network`.
    public func budget(for network: CardNetwork) -> NetworkBudget? {
        networks[network] ?? networks[.other]
    }
}

/// What a `payment_method.updated` event does to an open invoice of that contact.
public struct CardUpdateRule: Hashable, Sendable {
    /// Retry at once (the default), or wait for the next scheduled attempt.
    public var retryImmediately: Bool
    /// Start the schedule over: the attempt count goes back to the failures so far not counted (the default).
    public var resetSchedule: Bool
    /// Clear the invoice's stage (re-evaluated after the retry). Default `false`.
    public var resetStage: Bool

    /// Creates a rule.
    public init(retryImmediately: Bool = true, resetSchedule: Bool = true, resetStage: Bool = false) {
        self.retryImmediately = retryImmediately
        self.resetSchedule = resetSchedule
        self.resetStage = resetStage
    }
}

/// A stage of an invoice in dunning (like Kill Bill's overdue states).
public struct DunningStage: Hashable, Sendable {
    /// The stage's id.
    public var id: String
    /// A name for people.
    public var name: String
    /// When the invoice is in this stage.
    public var when: StageCondition
    /// Actions run when the invoice enters the stage.
    public var actions: [DunningAction]

    /// Creates a stage.
    public init(id: String, name: String, when: StageCondition, actions: [DunningAction] = []) {
        self.id = id
        self.name = name
        self.when = when
        self.actions = actions
    }
}

/// A stage's condition.
public indirect enum StageCondition: Hashable, Sendable {
    /// Every condition holds. JSON `{"all": [...]}`.
    case all([StageCondition])
    /// At least one holds. JSON `{"any": [...]}`.
    case any([StageCondition])
    /// At least this many attempts failed. JSON `{"attemptsFailed": 3}`.
    case attemptsFailed(atLeast: Int)
    /// At least this many calendar days since the first failure, the boundary day included. JSON `{"daysSinceFirstFailure": 7}`.
    case daysSinceFirstFailure(atLeast: Int)
    /// The amount due is at least this many minor units. JSON `{"amountDue": 10000}`.
    case amountDue(atLeast: Int)
    /// The last decline's class is one of these. JSON `{"declineClass": ["hard"]}`.
    case declineClass([DeclineClass])
    /// The contact has the tag. JSON `{"tag": "vip"}`.
    case hasTag(String)
    /// The contact lacks the tag. JSON `{"notTag": "vip"}`.
    case lacksTag(String)
}

/// Actions after the Nth failed attempt of an invoice (the legacy "Nth autocharge failed" rule).
public struct AttemptRule: Hashable, Sendable {
    /// The failed attempt, 1 for the first failure.
    public var attempt: Int
    /// What to do.
    public var actions: [DunningAction]

    /// Creates a rule.
    public init(attempt: Int, actions: [DunningAction]) {
        self.attempt = attempt
        self.actions = actions
    }
}

/// One thing a policy does for an invoice in dunning. JSON `{"type": "...", ...}`.
public enum DunningAction: Hashable, Sendable {
    /// A customer email from a template (respects the send window). `{"type": "email", "template": "t"}`.
    case email(template: String)
    /// A customer SMS (respects the send window). `{"type": "sms", "text": "..."}`.
    case sms(text: String)
    /// A task for staff. `{"type": "task", "title": "...", "assignee": "owner", "dueInDays": 2}`.
    case task(title: String, assignee: String?, dueInDays: Int?)
    /// A notification to staff. `{"type": "notify", "to": "billing@example.com", "text": "..."}`.
    case notify(to: String, text: String)
    /// Adds a tag to the contact. `{"type": "add-tag", "tag": "past-due"}`.
    case addTag(String)
    /// Removes a tag from the contact. `{"type": "remove-tag", "tag": "past-due"}`.
    case removeTag(String)
    /// Sets a contact field. `{"type": "set-field", "field": "BillingStatus", "value": "past due"}`.
    case setField(field: String, value: String)
    /// A JSON POST to a URL. `{"type": "webhook", "url": "https://..."}`.
    case webhook(url: String)
    /// Suspends the contact's access. `{"type": "suspend-access"}`.
    case suspendAccess
    /// Restores it. `{"type": "restore-access"}`.
    case restoreAccess
    /// Runs a workflow for the contact. `{"type": "run-workflow", "workflow": "id"}`.
    case runWorkflow(String)

    /// The JSON `type`.
    public var typeName: String {
        switch self {
        case .email: "email"
        case .sms: "sms"
        case .task: "task"
        case .notify: "notify"
        case .addTag: "add-tag"
        case .removeTag: "remove-tag"
        case .setField: "set-field"
        case .webhook: "webhook"
        case .suspendAccess: "suspend-access"
        case .restoreAccess: "restore-access"
        case .runWorkflow: "run-workflow"
        }
    }

    /// `true` for what reaches the customer (email, SMS), which waits for the send window.
    public var isCustomerMessage: Bool {
        switch self {
        case .email, .sms: true
        default: false
        }
    }
}

/// What happens when the schedule ends without a successful charge.
public struct FinalAction: Hashable, Sendable {
    /// The kind of end.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Cancel the subscription now.
        case cancelNow = "cancel-now"
        /// Cancel it at the end of the period.
        case cancelAtPeriodEnd = "cancel-at-period-end"
        /// Leave it past due (the legacy behaviour: nothing happens).
        case keepPastDue = "keep-past-due"
        /// Write the invoice off.
        case writeOff = "write-off"
        /// Run a workflow (`workflow`).
        case runWorkflow = "run-workflow"
    }

    /// The kind.
    public var kind: Kind
    /// The workflow `run-workflow` runs.
    public var workflow: String?
    /// Actions run with it.
    public var actions: [DunningAction]

    /// Creates a final action.
    public init(_ kind: Kind, workflow: String? = nil, actions: [DunningAction] = []) {
        self.kind = kind
        self.workflow = workflow
        self.actions = actions
    }
}
