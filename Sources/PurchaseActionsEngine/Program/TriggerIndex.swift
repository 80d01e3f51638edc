import PurchaseActions

/// Finds the triggers an event may fire without looking at every workflow: triggers are filed by
/// event type, and those with a top-level `order.products` / `order.subscriptionPlans contains X`
/// filter also by X, so a product-specific workflow is only looked at when its product is bought.
struct TriggerIndex: Sendable {
    struct Entry: Sendable {
        let workflowID: String
        let trigger: Trigger
        /// The line field and value the trigger is filed under, if any.
        let line: (field: String, value: String)?
    }

    static let lineFields: Set<String> = ["order.products", "order.subscriptionPlans"]

    private var general: [EventType: [Entry]] = [:]
    private var byLine: [EventType: [String: [String: [Entry]]]] = [:]

    init(_ workflows: [Workflow]) {
        for workflow in workflows where workflow.status == .published {
            for trigger in workflow.triggers where trigger.event != .manual {
                let line = trigger.filters.lazy.compactMap { filter -> (String, String)? in
                    guard case .compare(let field, .contains, .text(let value)?) = filter.test, Self.lineFields.contains(field) else { return nil }
                    return (field, value)
                }.first
                let entry = Entry(workflowID: workflow.id, trigger: trigger, line: line)
                if let line {
                    byLine[trigger.event, default: [:]][line.0, default: [:]][line.1, default: []].append(entry)
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
