import Foundation
@testable import MigrationReport
import PurchaseActionsCore
import Testing

/// What the report says must be exactly what the workflows do, in a business owner's words: which
/// payments run a slot, retry settings, template findings, names instead of ids, step order.
@Suite("Migration report wording")
struct ReportWordingTests {
    static let here = FileLocation(file: "code.xml", line: 5)

    static func at(_ line: Int, _ element: String = "x", _ id: String? = nil, parent: String = "/export") -> FileLocation {
        FileLocation(file: "code.xml", parentPath: parent, element: element, id: id, line: line, column: 3)
    }

    /// An account with every purchase slot kind, a product with a plan, and "all orders" as given.
    static func slots(allOrders: Bool) -> LegacyAccount {
        var catalogue = Catalogue()
        catalogue.products["prod-1"] = Product(id: "prod-1", name: "Bread course", price: 100, location: here)
        catalogue.products["prod-2"] = Product(id: "prod-2", name: "Sourdough kit", price: 100, location: here)
        catalogue.subscriptionPlans["plan-1"] = SubscriptionPlan(id: "plan-1", productID: "prod-2", name: "Bread Club monthly", price: 10, cycle: .month, location: here)
        let set = ActionSet(id: "as-1", name: "One", actions: [Action(id: "as-1.tag", kind: .applyTag(tagID: "t"), location: here)], location: here)
        let kinds: [PurchaseSlot.Kind] = [.successfulPurchase, .product(id: "prod-1"), .product(id: "prod-2"), .subscriptionPlan(id: "plan-1")]
        let settings = AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", runPurchaseActionsOnAllOrders: allOrders, location: here)
        return LegacyAccount(
            settings: settings, catalogue: catalogue, sequences: [], actionSets: [set],
            slots: kinds.map { PurchaseSlot(kind: $0, actionSetID: "as-1", location: here) }, billingRules: [])
    }

    @Test("Each slot's payment paths are the legacy table's, with all orders on and off", arguments: [true, false])
    func slotPathsMatchTheLegacyTable(allOrders: Bool) throws {
        let migration = LegacyCompiler.compile(Self.slots(allOrders: allOrders))
        let names = ReportNames(catalogue: Self.slots(allOrders: allOrders).catalogue)
        for kind: PurchaseSlot.Kind in [.successfulPurchase, .product(id: "prod-1"), .product(id: "prod-2"), .subscriptionPlan(id: "plan-1")] {
            let workflow = try #require(migration.workflows.first { $0.id == LegacyWorkflowID.slot(kind) })
            let trigger = try #require(workflow.triggers.first)
            let (runs, never) = ReportNames.paymentWays(trigger)
            let sentence = names.fires(workflow, kind: .slot).plain
            for path in PaymentPath.allCases {
                let firing = LegacyFiring.rule(for: path, allOrders: allOrders)
                let expected = kind == .successfulPurchase ? firing.globalActions : firing.productActions
                let shape = path.eventShape
                let applies: Bool =
                    switch kind {
                    case .product(id: "prod-1"): shape.item == .product
                    case .subscriptionPlan: shape.item == .subscriptionPlan
                    default: true
                    }
                let said = runs.contains { $0.path == path } ? true : never.contains { $0.path == path } ? false : nil
                #expect(said == (applies ? expected : nil), "\(kind.key), \(path.rawValue), all orders \(allOrders)")
                if applies { #expect(sentence.contains(ReportNames.words(path)), "\(kind.key) names \(path.rawValue)") }
            }
            let legacyForm = runs.contains { $0.path == nil }
            #expect(legacyForm == (allOrders && kind != .successfulPurchase), "legacy order forms: \(kind.key)")
        }
    }

    @Test("The subscription slot says renewals never run it; a product slot with all orders says instalments do")
    func renewalsAndInstalments() throws {
        let markdown = ReportFixture.markdown(Self.slots(allOrders: true))
        let plan = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("Runs when") && $0.contains("subscription plan *Bread Club monthly*") })
        #expect(plan.contains("never for a subscription renewal"), "\(plan)")
        #expect(!plan.contains("it runs for a subscription renewal"))
        let product = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("Runs when a payment of *Bread course*") })
        #expect(product.contains("every later instalment of a payment plan") && product.contains("a manual order charged to a card"))
        #expect(!product.contains("never for"), "with all orders on, every way of buying the product runs it: \(product)")
    }

    @Test("Retries: the account default and every plan's override by name, max-retries counted as attempts")
    func retrySettings() {
        var account = ReportFixture.account()
        account.settings.billing.maxRetries = 4
        account.settings.billing.daysBetweenRetries = 3
        account.catalogue.subscriptionPlans["plan-bread"] = SubscriptionPlan(
            id: "plan-bread", productID: "prod-vip", name: "Bread Club monthly", price: 10, cycle: .month,
            billing: BillingOverrides(maxRetries: 5, daysBetweenRetries: 1), location: Self.at(30))
        account.catalogue.paymentPlans["pp-3"] = PaymentPlan(
            id: "pp-3", name: "Three payments", payments: 3, intervalDays: 30, billing: BillingOverrides(maxRetries: 2), location: Self.at(31))
        account.catalogue.paymentPlans["pp-off"] = PaymentPlan(
            id: "pp-off", name: "Invoice by hand", payments: 2, intervalDays: 30, billing: BillingOverrides(autocharge: false), location: Self.at(32))
        account.catalogue.paymentPlans["pp-plain"] = PaymentPlan(id: "pp-plain", name: "No overrides", payments: 2, intervalDays: 30, location: Self.at(33))
        let markdown = ReportFixture.markdown(account)
        #expect(markdown.contains("account default | up to 4 charge attempts: the first failed charge and 3 retries, 3 days apart |"), "\(markdown)")
        #expect(markdown.contains("subscription plan *Bread Club monthly* (`plan-bread`) | up to 5 charge attempts: the first failed charge and 4 retries, 1 day apart (max-retries=5, days-between-retries=1;"))
        #expect(markdown.contains("payment plan *Three payments* (`pp-3`) | up to 2 charge attempts: the first failed charge and 1 retry, 3 days apart"))
        #expect(markdown.contains("payment plan *Invoice by hand* (`pp-off`) | not charged automatically"))
        #expect(!markdown.contains("No overrides"), "a plan without overrides uses the default")
        #expect(!markdown.contains("4 retries, 3 days apart |"), "the old wording counted attempts as retries")
        let html = ReportFixture.document(.html, account)
        #expect(html.contains("subscription plan <i>Bread Club monthly</i> (<code>plan-bread</code>)</td><td>up to 5 charge attempts"), "\(html)")
        let json = ReportFixture.document(.json, account)
        #expect(json.contains("\"planBilling\": ["), "\(json)")
        #expect(json.contains("\"id\": \"pp-3\""))
        #expect(RetrySetting.words(attempts: 1, daysApart: 2) == "1 charge attempt: a failed charge is not retried")
    }

    /// An account whose email template holds a merge field the legacy system is not known to have.
    static func templated() -> LegacyAccount {
        var account = ReportFixture.account()
        let template = Template(
            id: "tpl-thanks", name: "Thanks",
            content: .email(EmailTemplate(fromName: "Shop", fromAddress: "shop@example.com", subject: "Thanks ~Contact.FirstName~ for ~Order.Total~")),
            location: Self.at(23, "email-template", "tpl-thanks", parent: "/export/catalogue/templates"))
        account.catalogue.templates["tpl-thanks"] = template
        account.actionSets[0].actions.append(Action(id: "as-vip.mail", kind: .sendEmail(templateID: "tpl-thanks", to: .contact), location: ReportFixture.location("as-vip.mail", line: 13)))
        return account
    }

    @Test("A step whose template has findings is approximated, with a note pointing at the template's line")
    func templateFindingsApproximateTheirSteps() throws {
        let markdown = ReportFixture.markdown(Self.templated())
        let step = try #require(markdown.split(separator: "\n").first { $0.contains("Send email") })
        #expect(step.contains("— **approximated** · line 13"), "\(markdown)")
        let note = try #require(markdown.split(separator: "\n").first { $0.contains("its template tpl-thanks") })
        #expect(note.contains("`unknown-merge-field`, line 23") && note.contains("\\~Order.Total\\~") && note.contains("see line 23"), "\(note)")
        #expect(!note.contains("used by"), "the step's note leaves out the template's list of users")
        #expect(markdown.contains("| steps approximated | 1 |"))
        let json = ReportFixture.document(.json, Self.templated())
        #expect(json.contains("\"outcome\": \"approximated\""))
        #expect(ReportFixture.document(.html, Self.templated()).contains("class=a"), "the HTML marks the workflow approximated")
    }

    @Test("Template findings not at a catalogue template's line are ignored")
    func strayTemplateFindings() {
        var names = ReportNames(catalogue: Self.templated().catalogue)
        names.add(templateFindings: [MigrationFinding(.unknownMergeField, "x", at: Self.at(99), workflowID: "")])
        #expect(names.templateFindings.isEmpty)
        #expect(names.templateNotes("tpl-thanks", workflowID: "w").isEmpty)
    }

    @Test("Action sets, sequences and tags are named, with the id after in code")
    func namesNotIds() throws {
        var account = ReportFixture.account()
        let sequence = FollowUpSequence(
            id: "seq-lessons", name: "Weekly lessons",
            steps: [.init(id: "d1", delayDays: 1, actions: [Action(id: "d1.tag", kind: .applyTag(tagID: "tag-vip"), location: Self.here)], location: Self.here)],
            location: Self.here)
        account.sequences = [sequence]
        let thanks = ActionSet(id: "as-thanks", name: "Say thanks", actions: [Action(id: "as-thanks.tag", kind: .applyTag(tagID: "tag-vip"), location: Self.here)], location: Self.here)
        account.actionSets.insert(thanks, at: 0)
        account.actionSets[1].actions += [
            Action(id: "as-vip.seq", kind: .startSequence(sequenceID: "seq-lessons"), location: Self.here),
            Action(id: "as-vip.run", kind: .runActionSet(actionSetID: "as-thanks"), location: Self.here),
        ]
        let markdown = ReportFixture.markdown(account)
        #expect(markdown.contains("1. Start sequence *Weekly lessons* (`sequence.seq-lessons`)"), "\(markdown)")
        #expect(markdown.contains("1. Run action set *Say thanks* (`action-set.as-thanks`)"))
        #expect(markdown.contains("1. Run action set *Foundations — VIP set* (`action-set.as-vip`)"), "the slot names its set")
        #expect(markdown.contains("Add tag *VIP buyer* (`tag-vip`)"))
        #expect(!markdown.contains("1. Start sequence `sequence.seq-lessons`"))
    }

    @Test("Remembered names are bounded")
    func nameBound() {
        var names = ReportNames(catalogue: Catalogue())
        for index in 0...ReportNames.workflowNameLimit { names.remember(workflow: "action-set.s\(index)", name: "S") }
        #expect(names.workflowNames.count == ReportNames.workflowNameLimit)
        #expect(names.workflowPhrases("action-set.s\(ReportNames.workflowNameLimit)") == [.id("action-set.s\(ReportNames.workflowNameLimit)")])
    }

    @Test("The intro says merge fields are shown in the new syntax")
    func mergeFieldNote() {
        #expect(ReportFixture.markdown(ReportFixture.account()).contains("`~Contact.FirstName~` in the old system is `{{contact.FirstName}}` here"))
        #expect(ReportFixture.document(.html, ReportFixture.account()).contains("<code>~Contact.FirstName~</code> in the old system is <code>{{contact.FirstName}}</code>"))
    }

    @Test("An action's rule is shown at the action's line, so lines read in the order things run")
    func ruleBeforeItsAction() throws {
        var account = ReportFixture.account()
        let rule = Rule(match: .all, criteria: [Criterion(.hasTag("tag-vip"), location: Self.at(61))], location: Self.at(61))
        account.actionSets[0].actions = [Action(id: "as-vip.tag", kind: .applyTag(tagID: "tag-vip"), rule: rule, location: ReportFixture.location("as-vip.tag", line: 60))]
        let markdown = ReportFixture.markdown(account)
        let lines = markdown.split(separator: "\n").filter { $0.contains("Only if") || $0.contains("Add tag") }
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix("· line 60") == true && lines.last?.hasSuffix("· line 60") == true, "\(lines)")
    }

    @Test("Behaviour changes speak plainly: no code, no field names", arguments: BehaviourChange.all.map(\.id))
    func plainBehaviourChanges(id: String) throws {
        let change = try #require(BehaviourChange.all.first { $0.id == id })
        #expect(!change.explanation.contains("`"), "\(change.explanation)")
        #expect(change.explanation.first?.isUppercase == true && change.explanation.hasSuffix("."), "a whole sentence: \(change.explanation)")
    }
}

extension ReportFixture {
    static func markdown(_ account: LegacyAccount) -> String { document(.markdown, account) }
}
