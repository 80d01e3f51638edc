public import PurchaseActionsCore

/// Everything an engine runs for one account: the workflows, which product each subscription plan
/// sells (so `order.products` holds a plan's product), and what templates know of the company and
/// its users.
///
/// An export gives all three (``init(migrating:)``); a folder of workflow files gives the
/// workflows. The umbrella module `PurchaseActions` reads them from files.
public struct Automation: Hashable, Sendable {
    /// The workflows, in any order; ids are unique.
    public var workflows: [Workflow]
    /// The product each subscription plan sells, by plan id.
    public var productOfPlan: [String: String]
    /// The company and users templates read (`{{company.Name}}`, `{{owner.Email}}`).
    public var account: AccountProfile

    /// Creates an automation from its parts.
    public init(workflows: [Workflow], productOfPlan: [String: String] = [:], account: AccountProfile = AccountProfile()) {
        self.workflows = workflows
        self.productOfPlan = productOfPlan
        self.account = account
    }

    /// Compiles a legacy account (`LegacyCompiler`, in PurchaseActionsCore) and keeps what the engine needs of it.
    public init(migrating account: LegacyAccount) {
        self.init(
            workflows: LegacyCompiler.compile(account).workflows,
            productOfPlan: account.catalogue.subscriptionPlans.mapValues(\.productID),
            account: AccountProfile(account))
    }
}
