extension LegacyCompiler {
    /// The order sources of the legacy default scope: the shopping cart and order forms.
    public static let defaultScopeSources = ["cart", "order-form"]

    /// Compiles a purchase slot into a workflow whose trigger encodes when the old system ran it
    /// (Docs/mapping.md, "Which automations a payment runs") and whose one step calls the action set.
    public func compile(_ slot: PurchaseSlot) -> Output {
        let id = LegacyWorkflowID.slot(slot.kind)
        let source = SourceTrace(slot.location)
        let (trigger, priority, name, when) = trigger(for: slot.kind, source: source)
        let call = Step(id: "run:\(slot.actionSetID)", .call(workflowID: LegacyWorkflowID.actionSet(slot.actionSetID)), source: source)
        let workflow = Workflow(
            id: id, name: "\(name) → \(slot.actionSetID)",
            description: "Legacy \(name) slot: runs action set \(slot.actionSetID) \(when).", priority: priority, triggers: [trigger],
            steps: [call], settings: settings(), source: source)
        return Output(workflow: workflow, findings: slot.extensions.map { Self.notCarried($0, workflowID: id) })
    }

    private func trigger(for kind: PurchaseSlot.Kind, source: SourceTrace) -> (Trigger, Int, String, String) {
        let firstPayment = [Self.defaultScope, Self.firstPayment]
        switch kind {
        case .onLogin:
            return (Trigger(id: "cart-login", event: .cartLogin, source: source), Priority.contactSlot, "On Login", "when a customer logs in to the multi-step cart")
        case .contactCreation:
            return (
                Trigger(id: "contact-created", event: .contactCreated, filters: [Self.defaultScope], source: source),
                Priority.contactSlot, "Contact Creation", "when a cart or order-form checkout creates the buyer as a new contact"
            )
        case .successfulPurchase:
            return (
                Trigger(id: "payment-succeeded", event: .paymentSucceeded, filters: firstPayment, source: source), Priority.globalSlot,
                "Successful Purchase", "on the first payment of every cart or order-form order"
            )
        case .failedPurchase:
            return (
                Trigger(id: "payment-failed", event: .paymentFailed, filters: firstPayment, source: source), Priority.globalSlot,
                "Failed Purchase", "when the first charge of a cart or order-form order is declined"
            )
        case .errorPurchase:
            return (
                Trigger(id: "order-errored", event: .orderErrored, filters: [Self.defaultScope], source: source),
                Priority.globalSlot, "Error Purchase", "when an error other than a decline stops a cart or order-form order"
            )
        case .product(let product):
            let name = catalogue.products[product].map { "Product purchase: \($0.name)" } ?? "Product purchase: \(product)"
            return productTrigger(bought(product: product, id: "bought"), name: name, source: source)
        case .subscriptionPlan(let plan):
            let name = catalogue.subscriptionPlans[plan].map { "Subscription purchase: \($0.name)" } ?? "Subscription purchase: \(plan)"
            return productTrigger(.field("order.subscriptionPlans", .contains, .text(plan), id: "bought"), name: name, source: source)
        }
    }

    /// "The order buys this product": a product line, or a line of one of its subscription plans
    /// (legacy product actions ran "whether one-time or a subscription"), so the workflow needs no
    /// catalogue to know a plan's product.
    func bought(product: String, id: String) -> Condition {
        let plans = catalogue.subscriptionPlans.values.filter { $0.productID == product }.map(\.id).sorted()
        let line = Condition.field("order.products", .contains, .text(product))
        guard !plans.isEmpty else { return Condition(id: id, line.test) }
        return Condition(id: id, .any([line] + plans.map { .field("order.subscriptionPlans", .contains, .text($0)) }))
    }

    private func productTrigger(_ bought: Condition, name: String, source: SourceTrace) -> (Trigger, Int, String, String) {
        var filters = [bought]
        let when: String
        if settings.runPurchaseActionsOnAllOrders {
            when = "on every payment (not renewals) of an order that includes it, from any source (\"run purchase actions on all orders\" is on)"
        } else {
            filters += [Self.defaultScope, Self.firstPayment]
            when = "on the first payment of a cart or order-form order that includes it (\"run purchase actions on all orders\" is off)"
        }
        let trigger = Trigger(id: "payment-succeeded", event: .paymentSucceeded, filters: filters, source: source)
        return (trigger, Priority.productSlot, name, when)
    }

    static let defaultScope: Condition =
        .field("order.source", .in, .list(defaultScopeSources), id: "default-scope")

    static let firstPayment: Condition =
        .field("payment.kind", .equals, .text("first"), id: "first-payment")
}
