import PurchaseActionsCore

/// A binary min-heap of wake-ups ordered by time, then by enrollment order.
struct WakeUpQueue {
    struct Entry {
        let at: Instant
        let order: Int
        let id: String
    }

    private var heap: [Entry] = []

    /// The earliest entry.
    var peek: Entry? { heap.first }

    private static func before(_ a: Entry, _ b: Entry) -> Bool { (a.at, a.order) < (b.at, b.order) }

    mutating func push(_ at: Instant, _ order: Int, _ id: String) {
        heap.append(Entry(at: at, order: order, id: id))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
