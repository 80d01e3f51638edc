import PurchaseActions

/// Finds the triggers an event may fire without looking at every workflow: triggers are filed by
/// event type, and those with a top-level `order.products` / `order.subscriptionPlans contains X`
/// filter also by X, so a product-specific workflow is only looked at when its product is bought.
struct TriggerIndex: Sendable {
    /// A trigger and the program of its workflow (a class, so candidates are passed by reference).
    final class Entry: Sendable {
        let program: Program
        let trigger: Trigger

        init(program: Program, trigger: Trigger) {
            self.program = program
            self.trigger = trigger
        }
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

    private var general: [EventType: [Entry]] = [:]
    private var byLine: [EventType: [String: [String: [Entry]]]] = [:]

    init(_ programs: [Program]) {
        for program in programs where program.workflow.status == .published {
            let workflow = program.workflow
            for trigger in workflow.triggers where trigger.event != .manual {
                // A top-level filter that needs an order line (`contains`, or `any` of such) files the
                // trigger under each line value; the filters are still tested in full.
                let keys = trigger.filters.lazy.compactMap(Self.lineKeys).first
                let entry = Entry(program: program, trigger: trigger)
                if let keys {
                    for (field, value) in keys { byLine[trigger.event, default: [:]][field, default: [:]][value, default: []].append(entry) }
                } else {
                    general[trigger.event, default: []].append(entry)
                }
            }
        }
    }

    /// The triggers to test for an event, each with the index of the first order line it was filed
    /// under (for ordering), given the event's line values per field with their line index.
    func candidates(for type: EventType, lines: [String: [(value: String, line: Int)]]) -> [(entry: Entry, line: Int?)] {
        var found: [(entry: Entry, line: Int?)] = (general[type] ?? []).map { ($0, nil) }
        if let fields = byLine[type] {
            for field in lines.keys.sorted() {
                guard let byValue = fields[field] else { continue }
                for (value, line) in lines[field] ?? [] {
                    for entry in byValue[value] ?? [] { found.append((entry, line)) }
                }
            }
        }
        return found
    }
}
