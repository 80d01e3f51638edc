import PurchaseActionsCore

/// Finds the triggers an event may fire without looking at every workflow: triggers are filed by
/// event type, and those with a top-level `order.products` / `order.subscriptionPlans contains X`
/// filter also by X, so a product-specific workflow is only looked at when its product is bought.
struct TriggerIndex: Sendable {
    /// A trigger and the program of its workflow: a value held in the index itself, so finding a
    /// candidate touches the index and the program, nothing else.
    ///
    /// `@unchecked Sendable`: a program is immutable (see `Program`).
    struct Entry: @unchecked Sendable {
        let program: Program
        /// The trigger's place among its workflow's triggers sorted by id (ties in firing order).
        let rank: Int
        /// The trigger's place in its workflow's list of triggers.
        let position: Int
        /// The filters left to test when the entry is found under an order-line value: all but the
        /// one it was filed under, which that value proves (`order.products contains X`, or `any`
        /// of such); all of them for an entry filed by event type only; `nil` when none is left.
        /// Not retained: the index holds them (``TriggerIndex/kept``), and only the index's engine
        /// reads them.
        var unproven: Filters? { unprovenLink?.object }
        private let unprovenLink: UnownedLink<Filters>?

        init(program: Program, rank: Int, position: Int, unproven: Filters?) {
            self.program = program
            self.rank = rank
            self.position = position
            unprovenLink = unproven.map(UnownedLink.init)
        }
    }

    /// Filters left to test, held by the index.
    final class Filters: Sendable {
        let conditions: [Condition]
        init(_ conditions: [Condition]) { self.conditions = conditions }
    }

    /// Why a workflow's trigger fired for an event and the contact as it was (`nil`: not read, as
    /// every filter was proven by an order line): every filter traced, as the log keeps it.
    static func why(_ program: Program, trigger position: Int, _ event: Event, _ contact: Contact?) -> JSONValue {
        let trigger = program.workflow.triggers[position]
        let lookup = Engine.lookup(event, contact, program.productOfPlan)
        return .members([
            "trigger": trigger.id.json, "event": event.type.rawValue.json, "filters": .array(trigger.filters.map { $0.trace(lookup).json }),
        ])
    }

    /// ``why(_:trigger:_:_:)``'s `compactText` appended to `output` as UTF-8, written straight to
    /// bytes (no `JSONValue` tree, no sorting): `{"event":…,"filters":[…],"trigger":…}`, each
    /// filter as `Condition.trace` gives it. What the durable log writes for an `entered` record.
    static func appendWhy(_ program: Program, trigger position: Int, _ event: Event, _ contact: Contact?, to output: inout [UInt8]) {
        // The program's details once (`program.workflow` would copy the whole workflow).
        let details = program.withUnsafeMutablePointerToHeader { $0.pointee.details }
        let trigger = details.workflow.triggers[position]
        let lookup = Engine.lookup(event, contact, details.productOfPlan)
        output.appendStatic(#"{"event":"#)
        JSONValue.writeString(event.type.rawValue, to: &output)
        output.appendStatic(#","filters":["#)
        for (index, filter) in trigger.filters.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            _ = filter.appendCompactTrace(lookup, to: &output)
        }
        output.appendStatic(#"],"trigger":"#)
        JSONValue.writeString(trigger.id, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    /// The (field, value) pairs a condition needs one of, if it is an order-line test.
    static func lineKeys(_ condition: Condition) -> [(String, String)]? {
        switch condition.test {
        case .compare(let field, .contains, .text(let value)?) where lineFields.contains(field): return [(field, value)]
        case .any(let parts) where !parts.isEmpty:
            var keys: [(String, String)] = []
            for part in parts {
                guard let more = lineKeys(part) else { return nil }
                keys += more
            }
            return keys
        default: return nil
        }
    }

    static let lineFields: Set<String> = ["order.products", "order.subscriptionPlans"]

    /// The entries filed under one order-line value: most values have one, held without an array.
    enum Filed: Sendable {
        case one(Entry)
        case many([Entry])

        func adding(_ entry: Entry) -> Filed {
            switch self {
            case .one(let first): .many([first, entry])
            case .many(let entries): .many(entries + [entry])
            }
        }
    }

    /// The triggers of one event type: filed by type only, and under order-line values.
    struct Filing: Sendable {
        var general: [Entry] = []
        /// Under `order.products contains X`, by X.
        var products: [String: Filed] = [:]
        /// Under `order.subscriptionPlans contains X`, by X.
        var plans: [String: Filed] = [:]

        mutating func file(_ entry: Entry, field: String, value: String) {
            if field == "order.products" {
                products[value] = products[value]?.adding(entry) ?? .one(entry)
            } else {
                plans[value] = plans[value]?.adding(entry) ?? .one(entry)
            }
        }
    }

    /// Every entry's filters left to test.
    private var kept: [Filters] = []
    /// By event type: one lookup an event.
    private var byType: [EventType: Filing] = [:]

    init(_ programs: [Program]) {
        for program in programs where program.workflow.status == .published {
            let workflow = program.workflow
            let ranks = Dictionary(workflow.triggers.map(\.id).sorted().enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            for (position, trigger) in workflow.triggers.enumerated() where trigger.event != .manual {
                // A top-level filter that needs an order line (`contains`, or `any` of such) files the
                // trigger under each line value; the other filters are tested when it is found.
                let proven = trigger.filters.firstIndex { Self.lineKeys($0) != nil }
                let keys = proven.flatMap { Self.lineKeys(trigger.filters[$0]) }
                let unproven = trigger.filters.indices.filter { $0 != proven }.map { trigger.filters[$0] }
                let filters = unproven.isEmpty ? nil : Filters(unproven)
                if let filters { kept.append(filters) }
                let entry = Entry(program: program, rank: ranks[trigger.id] ?? 0, position: position, unproven: filters)
                if let keys {
                    for (field, value) in keys { byType[trigger.event, default: Filing()].file(entry, field: field, value: value) }
                } else {
                    byType[trigger.event, default: Filing()].general.append(entry)
                }
            }
        }
    }

    /// The triggers to test for an event, each with the index of the order line it was filed under
    /// (for ordering): those filed by type, then those filed under a line's product or plan (a
    /// subscription line also under its plan's product).
    func candidates(for type: EventType, order: Order?, productOfPlan: [String: String]) -> [(entry: Entry, line: Int?)] {
        guard let filing = byType[type] else { return [] }
        var found: [(entry: Entry, line: Int?)] = []
        found.reserveCapacity(filing.general.count + (order?.lines.count ?? 0))
        for entry in filing.general { found.append((entry, nil)) }
        guard let order else { return found }
        func add(_ filed: Filed?, _ line: Int) {
            switch filed {
            case .one(let entry): found.append((entry, line))
            case .many(let entries): for entry in entries { found.append((entry, line)) }
            case nil: break
            }
        }
        for (position, line) in order.lines.enumerated() {
            switch line.item {
            case .product(let id, _): add(filing.products[id], position)
            case .subscriptionPlan(let plan):
                add(filing.plans[plan], position)
                if let product = productOfPlan[plan] { add(filing.products[product], position) }
            }
        }
        return found
    }
}
