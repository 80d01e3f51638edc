extension LegacyCompiler {
    /// Compiles a billing-automation rule into a workflow on the autocharge or card event, filtered to
    /// its attempt, product or plan; PayPal payments and failed initial orders never run it.
    public func compile(_ rule: BillingAutomationRule) -> Output {
        let id = LegacyWorkflowID.billingRule(rule.id)
        let source = SourceTrace(rule.location)
        let trigger: Trigger
        let name: String
        switch rule.trigger {
        case .autochargeFailed(let attempt, let scope):
            let filters = [Condition.field("autocharge.attempt", .equals, .integer(attempt), id: "attempt")]
            trigger = Trigger(
                id: "autocharge-failed", event: .autochargeFailed,
                filters: filters + self.scope(scope) + [Self.notPayPal, Self.notInitialOrder], source: source)
            name = "Autocharge attempt \(attempt) failed"
        case .autochargeRecovered(let scope):
            trigger = Trigger(
                id: "autocharge-recovered", event: .autochargeRecovered, filters: self.scope(scope) + [Self.notPayPal],
                source: source)
            name = "Autocharge recovered"
        case .cardExpiring(let days):
            let filters = [Condition.field("card.daysUntilExpiry", .equals, .integer(days), id: "days")]
            trigger = Trigger(id: "card-expiring", event: .cardExpiring, filters: filters, source: source)
            name = "Card expires in \(days) days"
        }
        let call = Step(id: "run:\(rule.actionSetID)", .call(workflowID: LegacyWorkflowID.actionSet(rule.actionSetID)), source: source)
        let workflow = Workflow(
            id: id, name: "\(name) → \(rule.actionSetID)",
            description: "Legacy billing-automation rule \(rule.id): runs action set \(rule.actionSetID).", priority: Priority.billingRule,
            triggers: [trigger], steps: [call], settings: settings(), source: source)
        return Output(workflow: workflow, findings: rule.extensions.map { Self.notCarried($0, workflowID: id) })
    }

    private func scope(_ scope: BillingAutomationRule.Scope) -> [Condition] {
        switch scope {
        case .any: []
        case .product(let id): [bought(product: id, id: "product")]
        case .subscriptionPlan(let id): [.field("order.subscriptionPlans", .contains, .text(id), id: "subscription-plan")]
        }
    }

    private static let notPayPal = Condition.field("order.gateway", .notEquals, .text("paypal"), id: "not-paypal")

    /// A failed initial order is never retried (since mid-2021): its first attempt is the last, so no
    /// second or later attempt of a first payment reaches billing automation.
    private static let notInitialOrder: Condition = {
        let retryOfFirstPayment = Condition(
            .all([.field("payment.kind", .equals, .text("first")), .field("autocharge.attempt", .atLeast, .integer(2))]))
        return Condition(id: "no-retry-of-initial-order", .not(retryOfFirstPayment))
    }()
}
