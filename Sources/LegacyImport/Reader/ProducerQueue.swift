
/// What the producing thread hands the stream.
enum ProducerMessage {
    /// Units and section ends, in order, sent in batches so the two threads rarely meet at the lock.
    case events([StructureEvent])
    case failure(ImportError)
    case end
}

/// A bounded queue between the producing thread and the stream: the producer waits while it is full,
/// the stream while it is empty, and cancelling wakes both.
final class ProducerQueue: @unchecked Sendable {
    // Every field is guarded by `monitor`.
    private let monitor = Monitor()
    private var messages: [ProducerMessage?]
    private var head = 0
    private var count = 0
    private var cancelled = false
    private var producerDone = false

    private var unbounded = false

    init(capacity: Int) {
        messages = Array(repeating: nil, count: capacity)
    }

    /// Whether the stream cancelled the queue.
    var isCancelled: Bool { monitor.locked { cancelled } }

    /// Lets the queue grow without a bound, for when the producer runs on the reading thread.
    func removeBound() { monitor.locked { unbounded = true } }

    /// Adds a message, waiting for room; false if the queue was cancelled.
    func put(_ message: ProducerMessage) -> Bool {
        monitor.locked {
            while count == messages.count, !cancelled, !unbounded { monitor.wait() }
            guard !cancelled else { return false }
            if count == messages.count {
                // Unbounded: grow the ring, keeping order.
                let ordered = (0..<count).map { messages[(head + $0) % messages.count] }
                messages = ordered + Array(repeating: nil, count: messages.count)
                head = 0
            }
            messages[(head + count) % messages.count] = message
            count += 1
            monitor.broadcast()
            return true
        }
    }

    /// The oldest message, waiting for one.
    func take() -> ProducerMessage {
        monitor.locked {
            while count == 0 { monitor.wait() }
            let message = messages[head].take()!
            head = (head + 1) % messages.count
            count -= 1
            monitor.broadcast()
            return message
        }
    }

    /// Stops the producer at its next message.
    func cancel() {
        monitor.locked {
            cancelled = true
            monitor.broadcast()
        }
    }

    /// Called by the producing thread as its very last act.
    func markProducerDone() {
        monitor.locked {
            producerDone = true
            monitor.broadcast()
        }
    }

    /// Waits until the producing thread has ended.
    func waitForProducer() {
        monitor.locked {
            while !producerDone { monitor.wait() }
        }
    }
}
