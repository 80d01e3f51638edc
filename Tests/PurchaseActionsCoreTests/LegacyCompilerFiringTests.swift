import PurchaseActionsCore
import Testing

/// The compiled slot workflows fire exactly where the old system ran purchase actions: every row of
/// the payment-path table, with "run purchase actions on all orders" on and off.
@Suite("Compiler: purchase slots on the 13 payment paths")
struct LegacyCompilerFiringTests {
    static let here = FileLocation(file: "test.xml", line: 1)

    static func account(allOrders: Bool) -> LegacyAccount {
        let settings = AccountSettings(
            id: "acct", name: "Test", timezone: "UTC", currency: "USD", runPurchaseActionsOnAllOrders: allOrders, location: here)
        let set = ActionSet(id: "as-1", name: "One", actions: [Action(id: "as-1.tag", kind: .applyTag(tagID: "t"), location: here)], location: here)
        let slots: [PurchaseSlot.Kind] = [
            .onLogin, .contactCreation, .successfulPurchase, .failedPurchase, .errorPurchase, .product(id: "prod-1"),
            .subscriptionPlan(id: "plan-1"),
        ]
        return LegacyAccount(settings: settings, actionSets: [set], slots: slots.map { PurchaseSlot(kind: $0, actionSetID: "as-1", location: here) })
    }

    /// The fields of an event of this shape, as Docs/events.md derives them.
    static func fields(_ shape: PaymentEventShape) -> (String) -> FieldValue? {
        { name in
            switch name {
            case "order.source": .text(shape.source)
            case "order.chargeMode": .text(shape.chargeMode)
            case "order.products": .list(shape.item == .product ? ["prod-1"] : [])
            case "order.subscriptionPlans": .list(shape.item == .subscriptionPlan ? ["plan-1"] : [])
            case "order.paymentPlan": shape.hasPaymentPlan ? .text("pp-1") : nil
            case "payment.index": .integer(shape.index)
            case "payment.kind":
                .text(shape.type == .subscriptionRenewed ? "renewal" : shape.index == 1 ? "first" : "installment")
            default: nil
            }
        }
    }

    /// Whether any trigger of the workflow fires for the event.
    static func fires(_ workflow: Workflow, _ type: EventType, _ fields: (String) -> FieldValue?) -> Bool {
        workflow.triggers.contains { trigger in trigger.event == type && trigger.filters.allSatisfy { $0.holds(fields) } }
    }

    static let cases: [(PaymentPath, Bool)] = PaymentPath.allCases.flatMap { [($0, true), ($0, false)] }

    @Test("Product, plan and global slots fire as LegacyFiring says", arguments: cases)
    func slotsFireAsTheTableSays(path: PaymentPath, allOrders: Bool) throws {
        let migration = LegacyCompiler.compile(Self.account(allOrders: allOrders))
        let expected = LegacyFiring.rule(for: path, allOrders: allOrders)
        let shape = path.eventShape
        let fields = Self.fields(shape)
        func workflow(_ kind: PurchaseSlot.Kind) throws -> Workflow {
            try #require(migration.workflows.first { $0.id == LegacyWorkflowID.slot(kind) })
        }
        let boughtSlot: PurchaseSlot.Kind = shape.item == .product ? .product(id: "prod-1") : .subscriptionPlan(id: "plan-1")
        let otherSlot: PurchaseSlot.Kind = shape.item == .product ? .subscriptionPlan(id: "plan-1") : .product(id: "prod-1")
        #expect(Self.fires(try workflow(boughtSlot), shape.type, fields) == expected.productActions)
        #expect(!Self.fires(try workflow(otherSlot), shape.type, fields), "a slot for something not bought never fires")
        #expect(Self.fires(try workflow(.successfulPurchase), shape.type, fields) == expected.globalActions)
        for quiet in [PurchaseSlot.Kind.onLogin, .contactCreation, .failedPurchase, .errorPurchase] {
            #expect(!Self.fires(try workflow(quiet), shape.type, fields), "\(quiet.key) never fires on a payment")
        }
    }

    @Test("Failed and Error Purchase fire for cart and order-form orders only", arguments: [true, false])
    func failedAndErrorPurchase(allOrders: Bool) throws {
        let migration = LegacyCompiler.compile(Self.account(allOrders: allOrders))
        let failed = try #require(migration.workflows.first { $0.id == "slot.failed-purchase" })
        let errored = try #require(migration.workflows.first { $0.id == "slot.error-purchase" })
        for source in ["cart", "order-form", "legacy-order-form", "manual", "api", "create-order-action"] {
            let shape = PaymentEventShape(type: .paymentFailed, source: source, index: 1, chargeMode: "card", item: .product, hasPaymentPlan: false)
            let inScope = source == "cart" || source == "order-form"
            #expect(Self.fires(failed, .paymentFailed, Self.fields(shape)) == inScope)
            #expect(Self.fires(errored, .orderErrored, Self.fields(shape)) == inScope)
        }
        let later = PaymentEventShape(type: .paymentFailed, source: "cart", index: 2, chargeMode: "card", item: .product, hasPaymentPlan: true)
        #expect(!Self.fires(failed, .paymentFailed, Self.fields(later)), "a declined later payment is billing automation's")
    }

    @Test("Contact Creation fires for a checkout's new contact, On Login for a cart login")
    func contactCreationAndLogin() throws {
        let migration = LegacyCompiler.compile(Self.account(allOrders: true))
        let creation = try #require(migration.workflows.first { $0.id == "slot.contact-creation" })
        let login = try #require(migration.workflows.first { $0.id == "slot.on-login" })
        #expect(Self.fires(creation, .contactCreated) { $0 == "order.source" ? .text("cart") : nil })
        #expect(!Self.fires(creation, .contactCreated) { $0 == "order.source" ? .text("manual") : nil })
        #expect(!Self.fires(creation, .contactCreated) { _ in nil }, "a contact created with no order (API, import) does not run it")
        #expect(Self.fires(login, .cartLogin) { _ in nil })
        #expect(creation.priority < (try #require(migration.workflows.first { $0.id == "slot.successful-purchase" })).priority)
    }

    @Test("Global slots run before product-specific ones, which run before billing automation")
    func priorities() throws {
        var account = Self.account(allOrders: true)
        account.billingRules = [BillingAutomationRule(id: "br-1", trigger: .cardExpiring(days: 30), actionSetID: "as-1", location: Self.here)]
        let migration = LegacyCompiler.compile(account)
        let priority = { (id: String) in migration.workflows.first { $0.id == id }?.priority ?? -1 }
        #expect(priority("slot.contact-creation") < priority("slot.successful-purchase"))
        #expect(priority("slot.successful-purchase") < priority("slot.product-purchase.prod-1"))
        #expect(priority("slot.product-purchase.prod-1") == priority("slot.subscription-purchase.plan-1"))
        #expect(priority("slot.product-purchase.prod-1") < priority("billing.br-1"))
    }

    static func billing(_ trigger: BillingAutomationRule.Trigger) -> Workflow {
        let rule = BillingAutomationRule(id: "br-1", trigger: trigger, actionSetID: "as-1", location: here)
        return LegacyCompiler(settings: account(allOrders: true).settings, catalogue: Catalogue()).compile(rule).workflow
    }

    static func autocharge(attempt: Int, source: String = "cart", index: Int = 2, gateway: String = "stripe", product: String = "prod-1")
        -> (String) -> FieldValue?
    {
        { name in
            switch name {
            case "autocharge.attempt": .integer(attempt)
            case "order.source": .text(source)
            case "order.gateway": .text(gateway)
            case "order.products": .list([product])
            case "payment.kind": .text(index == 1 ? "first" : "installment")
            default: nil
            }
        }
    }

    @Test("An autocharge-failed rule fires on its attempt and product, never for PayPal or a failed initial order")
    func autochargeFailed() {
        let workflow = Self.billing(.autochargeFailed(attempt: 2, scope: .product(id: "prod-1")))
        #expect(workflow.id == "billing.br-1")
        #expect(Self.fires(workflow, .autochargeFailed, Self.autocharge(attempt: 2)))
        #expect(!Self.fires(workflow, .autochargeFailed, Self.autocharge(attempt: 1)))
        #expect(!Self.fires(workflow, .autochargeFailed, Self.autocharge(attempt: 2, product: "prod-2")))
        #expect(!Self.fires(workflow, .autochargeFailed, Self.autocharge(attempt: 2, gateway: "PayPal")), "PayPal never runs billing automation")
        for source in ["cart", "order-form", "manual", "api", "create-order-action"] {
            #expect(!Self.fires(workflow, .autochargeFailed, Self.autocharge(attempt: 2, source: source, index: 1)), "a failed initial order (\(source)) is never retried")
        }
        let first = Self.billing(.autochargeFailed(attempt: 1, scope: .any))
        #expect(Self.fires(first, .autochargeFailed, Self.autocharge(attempt: 1, index: 1)), "billing automation sees a first payment's only attempt")
        #expect(Self.fires(first, .autochargeFailed, Self.autocharge(attempt: 1, source: "manual", index: 1)))
        #expect(!Self.fires(workflow, .autochargeRecovered, Self.autocharge(attempt: 2)))
    }

    @Test("Recovered and card-expiring rules fire on their own events")
    func recoveredAndExpiring() {
        let recovered = Self.billing(.autochargeRecovered(scope: .any))
        #expect(Self.fires(recovered, .autochargeRecovered, Self.autocharge(attempt: 3)))
        #expect(!Self.fires(recovered, .autochargeRecovered, Self.autocharge(attempt: 3, gateway: "paypal")))
        let expiring = Self.billing(.cardExpiring(days: 30))
        #expect(Self.fires(expiring, .cardExpiring) { $0 == "card.daysUntilExpiry" ? .integer(30) : nil })
        #expect(!Self.fires(expiring, .cardExpiring) { $0 == "card.daysUntilExpiry" ? .integer(29) : nil })
    }

    @Test("A sequence waits whole calendar days between its days, at the step's or the sequence's send time")
    func sequenceWaits() throws {
        func step(_ id: String, _ day: Int, _ time: String? = nil) -> FollowUpSequence.Step {
            .init(id: id, delayDays: day, sendTime: time, actions: [Action(id: "\(id).tag", kind: .applyTag(tagID: id), location: Self.here)], location: Self.here)
        }
        let sequence = FollowUpSequence(
            id: "seq", name: "Seq", sendTime: "08:30",
            steps: [step("d3", 3), step("d0", 0), step("d7", 7, "19:00"), step("d3b", 3), step("d7-early", 7, "07:00")],
            location: Self.here)
        let output = LegacyCompiler(settings: Self.account(allOrders: true).settings, catalogue: Catalogue()).compile(sequence)
        let summary = output.workflow.steps.map { step -> String in
            switch step.kind {
            case .wait(.delay(let delay, let calendarDays, let at, let start)):
                "wait \(delay.days)d\(calendarDays ? " calendar" : "") from \(start) at \(at ?? "-")"
            default: step.id
            }
        }
        #expect(
            summary == [
                "d0.tag", "wait 3d calendar from enrollment at 08:30", "d3.tag", "d3b.tag", "wait 7d calendar from enrollment at 07:00",
                "d7-early.tag", "wait 7d calendar from enrollment at 19:00", "d7.tag",
            ])
        #expect(output.workflow.settings.allowReentry == false)
        #expect(output.findings.isEmpty)
    }
}
