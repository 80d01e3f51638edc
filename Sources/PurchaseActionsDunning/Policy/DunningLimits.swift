/// The largest policy `DunningPolicy(json:at:limits:)` reads: every list, string and number of the
/// format has a maximum here (Docs/dunning.md, "Limits"). A value past one is refused with the code
/// `limit-exceeded` at its JSON path; nothing in a policy can make a reader or the process loop or
/// allocate without bound.
public struct DunningLimits: Hashable, Sendable {
    /// Characters of the policy `id`: 64.
    public var maxIDLength: Int
    /// Characters of a plan id, stage id, template, workflow, tag, field or assignee: 128.
    public var maxNameLength: Int
    /// Characters of a free text (the policy `name`, a stage `name`, a task `title`, an SMS or
    /// notification `text`, a field `value`): 1,000.
    public var maxTextLength: Int
    /// Characters of a webhook `url`: 2,048.
    public var maxURLLength: Int
    /// Attempts of one invoice's schedule, the first failure included (`gaps` + 1, or `attempts`): 100.
    public var maxAttempts: Int
    /// `attemptsFailed` of a stage condition: 1,000 (the most attempts the process makes for one invoice).
    public var maxAttemptsFailed: Int
    /// The amount of a duration (`"10000d"`): 10,000.
    public var maxDurationAmount: Int
    /// Entries in `plans`: 10,000.
    public var maxPlans: Int
    /// Stages: 50.
    public var maxStages: Int
    /// Actions in one list (a stage's, an attempt rule's, `recovered`, `final`): 50.
    public var maxActions: Int
    /// Attempt rules (`attempts`): 100.
    public var maxAttemptRules: Int
    /// Conditions in one `all` or `any`: 50.
    public var maxConditions: Int
    /// Nested `all` / `any` levels in a stage's `when`: 8.
    public var maxConditionDepth: Int
    /// Codes in `declines.codes`: 1,000.
    public var maxDeclineCodes: Int
    /// `amountDue` in minor units: 1,000,000,000,000,000 (10^15).
    public var maxAmount: Int
    /// `daysSinceFirstFailure` and a task's `dueInDays`: 10,000.
    public var maxDays: Int
    /// `attempts` of a network budget: 10,000.
    public var maxBudgetAttempts: Int
    /// `maxInvoiceAgeMonths`: 1,200 (100 years).
    public var maxInvoiceAgeMonths: Int
    /// `version`: 2,147,483,647.
    public var maxVersion: Int

    /// The limits of Docs/dunning.md, "Limits".
    public static let standard = DunningLimits()

    /// Creates limits; the defaults are ``standard``'s.
    public init(
        maxIDLength: Int = 64, maxNameLength: Int = 128, maxTextLength: Int = 1000, maxURLLength: Int = 2048, maxAttempts: Int = 100,
        maxAttemptsFailed: Int = 1000, maxDurationAmount: Int = 10_000, maxPlans: Int = 10_000, maxStages: Int = 50, maxActions: Int = 50, maxAttemptRules: Int = 100,
        maxConditions: Int = 50, maxConditionDepth: Int = 8, maxDeclineCodes: Int = 1000, maxAmount: Int = 1_000_000_000_000_000,
        maxDays: Int = 10_000, maxBudgetAttempts: Int = 10_000, maxInvoiceAgeMonths: Int = 1200, maxVersion: Int = 2_147_483_647
    ) {
        self.maxIDLength = maxIDLength
        self.maxNameLength = maxNameLength
        self.maxTextLength = maxTextLength
        self.maxURLLength = maxURLLength
        self.maxAttempts = maxAttempts
        self.maxAttemptsFailed = maxAttemptsFailed
        self.maxDurationAmount = maxDurationAmount
        self.maxPlans = maxPlans
        self.maxStages = maxStages
        self.maxActions = maxActions
        self.maxAttemptRules = maxAttemptRules
        self.maxConditions = maxConditions
        self.maxConditionDepth = maxConditionDepth
        self.maxDeclineCodes = maxDeclineCodes
        self.maxAmount = maxAmount
        self.maxDays = maxDays
        self.maxBudgetAttempts = maxBudgetAttempts
        self.maxInvoiceAgeMonths = maxInvoiceAgeMonths
        self.maxVersion = maxVersion
    }
}
