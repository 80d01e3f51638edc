import PurchaseActionsCore
import Testing

/// One payment on each legacy path (`PaymentPath.eventShape`), with "all orders" on and off, of a
/// product that has a slot in each export: the reference model and compiler + engine give the same
/// effects, and the reference agrees with the old system's table (`LegacyFiring`).
@Suite("Equivalence: every payment path, all orders on and off")
struct EquivalenceTableTests {
    struct Case: CustomStringConvertible, Sendable {
        var export: String
        var path: PaymentPath
        var allOrders: Bool
        var description: String { "\(export) \(path.rawValue) all-orders=\(allOrders)" }
    }

    static let cases = EquivalenceSetup.exports.flatMap { export in
        PaymentPath.allCases.flatMap { path in [true, false].map { Case(export: export, path: path, allOrders: $0) } }
    }

    /// The export with the setting as asked. An export without subscription plans gets one, for the
    /// slotted product, so subscription paths buy that product through a plan line.
    static func setup(_ item: Case) throws -> (EquivalenceSetup, product: String, plan: String) {
        var account = try EquivalenceSetup.load(item.export)[0].account
        account.settings.runPurchaseActionsOnAllOrders = item.allOrders
        let product = account.slots.compactMap { if case .product(let id) = $0.kind { id } else { nil } }.sorted().first!
        let slottedPlan = account.slots.compactMap { if case .subscriptionPlan(let id) = $0.kind { id } else { nil } }.sorted().first
        if let slottedPlan { return (EquivalenceSetup(name: item.export, account: account), product, slottedPlan) }
        let plan = SubscriptionPlan(id: "plan-table", productID: product, name: "Table", price: 100, cycle: .month, location: FileLocation(file: "table"))
        account.catalogue.subscriptionPlans[plan.id] = plan
        return (EquivalenceSetup(name: item.export + " + plan-table", account: account), product, plan.id)
    }

    @Test("One payment: the same effects, and the slots the legacy table says", arguments: cases)
    func payment(_ item: Case) throws {
        let (setup, product, plan) = try Self.setup(item)
        let shape = item.path.eventShape
        let line: HistoryEvent.Line = shape.item == .product ? .product(product, option: nil, quantity: 1) : .plan(plan, quantity: 1)
        var event = HistoryEvent(
            id: "evt-1", kind: shape.type == .subscriptionRenewed ? .subscriptionRenewed : .paymentSucceeded, at: Sample.start, offset: 0,
            contact: Sample.who("c-1", "Dana", "Whitfield", "dana@example.com"))
        event.order = HistoryEvent.OrderInfo(
            id: "ord-1", source: shape.source, lines: [line], paymentPlan: shape.hasPaymentPlan ? setup.account.catalogue.paymentPlans.keys.sorted().first : nil,
            chargeMode: shape.chargeMode, gateway: shape.chargeMode == "card" ? "stripe" : nil)
        event.payment = HistoryEvent.PaymentInfo(index: shape.index, amount: 2900, currency: setup.account.settings.currency, invoice: "inv-1")
        if shape.type == .subscriptionRenewed { (event.subscriptionID, event.subscriptionPlan) = ("sub-1", plan) }

        let divergence = try EquivalenceHarness.compare([event], setup, .engineCompatible)
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")

        // The reference model's own reading of the path agrees with the old system's table.
        let fired = ReferenceModel(account: setup.account, semantics: .engineCompatible, start: event.at).invocations(event, isNew: false)
            .map(\.workflowID)
        let rule = LegacyFiring.rule(for: item.path, allOrders: item.allOrders)
        let productSlots = fired.filter { $0.hasPrefix("slot.product-purchase.") || $0.hasPrefix("slot.subscription-purchase.") }
        #expect(!productSlots.isEmpty == rule.productActions, "product-specific: \(fired)")
        if setup.account.slots.contains(where: { $0.kind == .successfulPurchase }) {
            #expect(fired.contains("slot.successful-purchase") == rule.globalActions, "global: \(fired)")
        }
    }
}
