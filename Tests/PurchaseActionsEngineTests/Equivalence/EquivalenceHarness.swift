import Foundation
import LegacyImport
import PurchaseActionsCore
import PurchaseActionsEngine

/// One export with "run purchase actions on all orders" as written or flipped: the legacy account
/// for the reference model, and its compiled workflows for the engine.
struct EquivalenceSetup {
    static let exports = ["course-creator", "physical-goods-store", "membership-site"]
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    var name: String
    var account: LegacyAccount
    var workflows: [Workflow]
    var productOfPlan: [String: String]

    var label: String { "\(name) (all orders \(account.settings.runPurchaseActionsOnAllOrders ? "on" : "off"))" }

    init(name: String, account: LegacyAccount) {
        self.name = name
        self.account = account
        workflows = LegacyCompiler.compile(account).workflows
        productOfPlan = account.catalogue.subscriptionPlans.mapValues(\.productID)
    }

    /// The export as written, and with the setting flipped. An export with subscription plans also
    /// gets a product slot for the product of its first plan (none of the fixtures has one), so
    /// "a subscription line buys its plan's product" and the tie between a product and a plan slot
    /// on one line are exercised too.
    static func load(_ name: String) throws -> [EquivalenceSetup] {
        let path = "Fixtures/exports/\(name).xml"
        let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent(path)))
        let account = try ExportReader().read(bytes: bytes, name: path).account
        var flipped = account
        flipped.settings.runPurchaseActionsOnAllOrders.toggle()
        var setups = [EquivalenceSetup(name: name, account: account), EquivalenceSetup(name: name, account: flipped)]
        if let plan = account.catalogue.subscriptionPlans.values.min(by: { $0.id < $1.id }), let set = account.actionSets.last {
            var augmented = account
            augmented.slots.append(PurchaseSlot(kind: .product(id: plan.productID), actionSetID: set.id, location: FileLocation(file: "augmented")))
            setups.append(EquivalenceSetup(name: "\(name) + product slot \(plan.productID) → \(set.id)", account: augmented))
        }
        return setups
    }
}

/// Where the reference model and the engine first disagree on a history.
struct Divergence: CustomStringConvertible {
    var setup: String
    var semantics: ReferenceSemantics
    var history: [HistoryEvent]
    /// The event index, or `history.count` for the steps due after the last event.
    var index: Int
    var reference: [String]
    var engine: [String]

    var description: String {
        let at = index < history.count ? "event \(index + 1) (\(history[index].id), \(history[index].kind.rawValue))" : "the 40 days after the last event"
        return """
            \(setup), reference semantics \(semantics): the effects differ at \(at).
            history (JSON lines):
            \(history.map(\.line).joined(separator: "\n"))
            reference: \(reference)
            engine:    \(engine)
            """
    }
}

/// Runs a history through the reference model and through the compiled workflows on the engine,
/// comparing the effects of every event and of the sequence steps due in the 40 days after it.
enum EquivalenceHarness {
    static let tail: Int64 = 40 * 86_400

    /// The first divergence, or `nil` when both sides agree everywhere. Throws when an event does not
    /// decode or the engine refuses it (a broken history, not a divergence).
    static func compare(_ history: [HistoryEvent], _ setup: EquivalenceSetup, _ semantics: ReferenceSemantics) throws -> Divergence? {
        try run(history, setup, semantics).divergence
    }

    /// The first divergence, if any, and how many effects were compared.
    static func run(_ history: [HistoryEvent], _ setup: EquivalenceSetup, _ semantics: ReferenceSemantics) throws -> (
        divergence: Divergence?, effects: Int
    ) {
        guard let first = history.first else { return (nil, 0) }
        var compared = 0
        let model = ReferenceModel(account: setup.account, semantics: semantics, start: first.at)
        let directory = InMemoryContactDirectory()
        let engine = try Engine(Automation(workflows: setup.workflows, productOfPlan: setup.productOfPlan), start: Instant(secondsSinceEpoch: first.at), ports: Engine.Ports(contacts: directory))
        var ids: [String: String] = [:]
        func divergence(_ index: Int, _ reference: [String], _ engine: [String]) -> Divergence {
            Divergence(setup: setup.label, semantics: semantics, history: history, index: index, reference: reference, engine: engine)
        }
        func named(_ effects: [ReferenceEffect]) -> [String] { effects.map { "\(ids[$0.contact] ?? "ref:" + $0.contact): \($0.text)" } }
        for (index, event) in history.enumerated() {
            let expected = model.ingest(event)
            let records = try engine.ingest(event.decoded())
            // The same contact on both sides: the reference's id ↔ the engine's.
            let engineID = event.contact.id ?? directory.match(ContactMatch(firstName: event.contact.firstName!, lastName: event.contact.lastName!, email: event.contact.email!))?.id ?? "?"
            if let known = ids[model.lastContactID], known != engineID {
                return (divergence(index, ["contact \(known)"], ["contact \(engineID)"]), compared)
            }
            if let other = ids.first(where: { $0.value == engineID && $0.key != model.lastContactID }) {
                return (divergence(index, ["contact ref:\(model.lastContactID), not the contact of ref:\(other.key)"], ["contact \(engineID)"]), compared)
            }
            ids[model.lastContactID] = engineID
            let reference = named(expected)
            let actual = EngineEffects.texts(records)
            if reference != actual { return (divergence(index, reference, actual), compared) }
            compared += actual.count
        }
        let end = history.last!.at + tail
        let reference = named(model.advance(to: end))
        let actual = EngineEffects.texts(engine.advance(to: Instant(secondsSinceEpoch: end)))
        return (reference == actual ? nil : divergence(history.count, reference, actual), compared + actual.count)
    }

    /// A shorter history that still diverges: events are dropped one at a time while it does.
    static func shrink(_ divergence: Divergence, _ setup: EquivalenceSetup) -> Divergence {
        var best = divergence
        var changed = true
        while changed {
            changed = false
            for index in best.history.indices.reversed() where best.history.count > 1 {
                var candidate = best.history
                candidate.remove(at: index)
                if let smaller = try? compare(candidate, setup, best.semantics) {
                    best = smaller
                    changed = true
                    break
                }
            }
        }
        return best
    }
}
