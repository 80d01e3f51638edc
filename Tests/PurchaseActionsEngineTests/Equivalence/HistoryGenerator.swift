import Foundation
import PropertyBased
import PurchaseActionsCore

/// Turns seeds (one array of numbers per event) into a history of valid events for one account: new
/// and known buyers, every `PaymentPath` row as `eventShape` gives it, payment plans paid over
/// several payments, subscriptions renewed, declines, errors, logins, autocharge attempts and
/// recoveries (Stripe, PayPal, Authorize.net), expiring cards; time goes forward minutes, hours or
/// days at a time.
struct HistoryBuilder {
    /// An order whose later payments (payment plan) or renewals (subscription) may come.
    struct OpenOrder {
        var order: HistoryEvent.OrderInfo
        var person: Int
        var nextIndex: Int
        var subscription: (id: String, plan: String)?
    }

    let account: LegacyAccount
    let timeZone: TimeZone
    let fields: [(name: String, values: [String])]
    let tags: [String]
    let productIDs: [String]
    let planIDs: [String]
    let paymentPlanIDs: [String]
    let expiringDays: [Int]
    var people: [Person] = []
    var open: [OpenOrder] = []
    var counter = 0
    var clock: Int64
    var queued: [HistoryEvent.Kind] = []
    var lastOrder: (order: HistoryEvent.OrderInfo, who: HistoryEvent.Who)?

    /// 2025-05-12 09:00 in the account's timezone: no daylight-saving change for weeks either side.
    init(account: LegacyAccount) {
        self.account = account
        timeZone = TimeZone(identifier: account.settings.timezone) ?? TimeZone(secondsFromGMT: 0)!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        clock = Int64(calendar.date(from: DateComponents(year: 2025, month: 5, day: 12, hour: 9))!.timeIntervalSince1970)
        fields = Self.fieldCandidates(account)
        tags = Self.tagCandidates(account)
        productIDs = account.catalogue.products.keys.sorted()
        planIDs = account.catalogue.subscriptionPlans.keys.sorted()
        paymentPlanIDs = account.catalogue.paymentPlans.keys.sorted()
        let days = account.billingRules.compactMap { if case .cardExpiring(let days) = $0.trigger { days } else { nil } }
        expiringDays = days.flatMap { [$0, $0, $0 - 1, $0 + 1] } + [0, 60]
    }

    /// Seeds for histories of 1 to 12 events.
    static let seeds = Gen.int(in: 0...9_999).array(of: 14).array(of: 1...12)

    /// The history the seeds describe.
    mutating func build(_ seeds: [[Int]]) -> [HistoryEvent] {
        seeds.map { seed in
            var dice = Dice(seed)
            advanceClock(&dice)
            return event(&dice)
        }
    }

    private mutating func advanceClock(_ dice: inout Dice) {
        switch dice.roll(100) {
        case 0..<80: clock += Int64(60 * (1 + dice.roll(9)))
        case 80..<93: clock += Int64(3600 * (1 + dice.roll(5)) + 60 * dice.roll(60))
        default: clock += Int64(86_400 * (1 + dice.roll(3)) + 60 * dice.roll(600))
        }
    }

    mutating func next(_ kind: HistoryEvent.Kind, _ who: HistoryEvent.Who) -> HistoryEvent {
        counter += 1
        return HistoryEvent(id: "evt-\(counter)", kind: kind, at: clock, offset: timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(clock))), contact: who)
    }

    mutating func event(_ dice: inout Dice) -> HistoryEvent {
        if let kind = queued.first, let (order, who) = lastOrder {
            queued.removeFirst()
            return checkoutFollowUp(kind, order, who, &dice)
        }
        switch dice.roll(100) {
        case 0..<8: return contactCreated(&dice)
        case 8..<13: return next(.cartLogin, who(&dice))
        case 13..<45: return payment(dice.pick(PaymentPath.allCases), &dice)
        case 45..<55: return laterPayment(&dice)
        case 55..<59: return legacyOrderForm(&dice)
        case 59..<66: return failed(&dice)
        case 66..<70: return errored(&dice)
        case 70..<80: return autocharge(.autochargeFailed, &dice)
        case 80..<86: return autocharge(.autochargeRecovered, &dice)
        case 86..<92: return cardExpiring(&dice)
        case 92..<98: return renewal(&dice)
        default:
            var event = next(.orderSubmitted, who(&dice))
            event.order = order(source: dice.pick(["cart", "order-form", "manual"]), &dice)
            return event
        }
    }

    // MARK: Orders

    /// 1 to 3 lines of products (some with a price option), sometimes a plan; or a plan line first.
    mutating func lines(_ item: PaymentEventShape.Item, _ dice: inout Dice) -> [HistoryEvent.Line] {
        func product() -> HistoryEvent.Line {
            let id = dice.pick(productIDs)
            let options = account.catalogue.products[id]?.priceOptions.map(\.id) ?? []
            return .product(id, option: options.isEmpty || dice.chance(50) ? nil : dice.pick(options), quantity: 1 + dice.roll(2))
        }
        if item == .subscriptionPlan, !planIDs.isEmpty {
            var lines: [HistoryEvent.Line] = [.plan(dice.pick(planIDs), quantity: 1)]
            if dice.chance(25) { lines.append(dice.chance(50) ? product() : .plan(dice.pick(planIDs), quantity: 1)) }
            return lines
        }
        var lines = (0...dice.roll(3)).map { _ in product() }
        if !planIDs.isEmpty, dice.chance(15) { lines.insert(.plan(dice.pick(planIDs), quantity: 1), at: dice.roll(lines.count + 1)) }
        return lines
    }

    mutating func order(
        source: String, item: PaymentEventShape.Item = .product, plan: Bool = false, chargeMode: String = "card", _ dice: inout Dice
    ) -> HistoryEvent.OrderInfo {
        counter += 1
        let gateway: String? = chargeMode == "card" ? dice.pick(["stripe", "stripe", "stripe", "paypal", "authorize-net"]) : nil
        return HistoryEvent.OrderInfo(
            id: "ord-\(counter)", source: source, lines: lines(item, &dice), paymentPlan: plan ? dice.pick(paymentPlanIDs) : nil,
            chargeMode: chargeMode, gateway: gateway)
    }

    func payment(index: Int, decline: Bool = false) -> HistoryEvent.PaymentInfo {
        HistoryEvent.PaymentInfo(
            index: index, amount: 1000 * index + 700, currency: account.settings.currency, declineCode: decline ? "insufficient_funds" : nil,
            invoice: "inv-\(counter)-\(index)")
    }

    /// The subscription of an order whose first line is a plan.
    mutating func subscription(of order: HistoryEvent.OrderInfo) -> (id: String, plan: String)? {
        guard case .plan(let plan, _)? = order.lines.first else { return nil }
        counter += 1
        return ("sub-\(counter)", plan)
    }

    func personIndex(_ who: HistoryEvent.Who) -> Int {
        people.lastIndex { ($0.id != nil && $0.id == who.id) || ($0.email == who.email && who.email != nil) } ?? max(people.count - 1, 0)
    }

    /// The contact of a known order's buyer: by id when the source has one, else by a name variant.
    func buyer(_ open: OpenOrder, _ dice: inout Dice) -> HistoryEvent.Who {
        let person = people[open.person]
        if let id = person.id, dice.chance(60) { return HistoryEvent.Who(id: id) }
        let (first, last, email) = Self.variant(person, dice.roll(7))
        return HistoryEvent.Who(firstName: first, lastName: last, email: email)
    }
}
