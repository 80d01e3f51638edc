import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsSQLite

extension Run {
    /// The most invoices in dunning a restarted run's simulated gateway learns from: 10,000,000.
    static let simulatedGatewayInvoices = 10_000_000

    /// Teaches the simulated gateway (`--gateway-script`) what a run before this one learnt from
    /// its events, so a restarted worker answers as the first run would: each open invoice's first
    /// decline (code and advice code), its card's network, and whether the card came from a card
    /// update, all read from the invoice as the store holds it (`dunning_invoice`). Keys charged by
    /// earlier runs are not known (the dunning process never charges a key with a known result
    /// again). Events this run reads teach it as before.
    static func restore(_ simulated: SimulatedGateway, from store: SQLiteStore) async throws {
        for stored in try store.dunningInvoices(openOnly: true, limit: simulatedGatewayInvoices) {
            for event in observations(of: stored.invoice) { await simulated.observe(event) }
        }
    }

    /// The events the simulated gateway would have observed for `invoice`: its first failure (the
    /// first decline, the card and its network), and a card update when its card came from one.
    static func observations(of invoice: DunningInvoice) -> [Event] {
        let contact = ContactReference(id: invoice.contact)
        var failed = Event(id: "restored:\(invoice.id)", type: .autochargeFailed, occurredAt: invoice.firstFailureAt, contact: contact)
        failed.autocharge = Autocharge(attempt: 1, invoice: invoice.id)
        // A failure that gave no code is stored as `unknown`: given back as none.
        let code = invoice.firstDecline.code == "unknown" ? nil : invoice.firstDecline.code
        failed.payment = Payment(
            index: 1, amount: invoice.amount, currency: invoice.currency, declineCode: code, invoice: invoice.id, adviceCode: invoice.firstDecline.adviceCode)
        guard let card = invoice.card else { return [failed] }
        let current = Card(id: card, expires: "9999-12", network: invoice.network.rawValue)
        guard invoice.cardFromUpdate else {
            failed.card = current
            return [failed]
        }
        var updated = Event(id: "restored:\(invoice.id):card", type: .paymentMethodUpdated, occurredAt: invoice.firstFailureAt, contact: contact)
        updated.card = current
        return [failed, updated]
    }
}
