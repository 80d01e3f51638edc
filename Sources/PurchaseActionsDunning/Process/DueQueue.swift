import PurchaseActionsCore

/// A binary min-heap of wake-up times, ordered by time then invoice id (a stable, deterministic
/// order whatever the order invoices arrived in). Entries may be stale: the process checks each
/// popped entry against the invoice's current wake-up time.
struct DueQueue: Sendable, Hashable {
    struct Item: Sendable, Hashable {
        var time: Instant
        var invoice: String
        var slot: Int

        static func precedes(_ a: Item, _ b: Item) -> Bool {
            a.time != b.time ? a.time < b.time : a.invoice.utf8.lexicographicallyPrecedes(b.invoice.utf8)
        }
    }

    private(set) var items: [Item] = []

    var top: Item? { items.first }
    var count: Int { items.count }

    mutating func push(_ item: Item) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Item.precedes(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Item? {
        guard !items.isEmpty else { return nil }
        let first = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = parent * 2 + 1
                let right = left + 1
                var smallest = parent
                if left < items.count, Item.precedes(items[left], items[smallest]) { smallest = left }
                if right < items.count, Item.precedes(items[right], items[smallest]) { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
