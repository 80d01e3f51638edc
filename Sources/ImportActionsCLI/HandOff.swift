#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value handed from one thread to another once: set by one, taken by another, who waits until
/// it is set. How the report's renderers hand each chunk to the thread joining them in order, and
/// each renderer's state from one of its chunks to the next (``ReportPipeline``). The only shared
/// mutable state of the split, so the only `@unchecked Sendable` it needs: `state` is touched only
/// under `mutex`. Taking empties it, so what it held is freed as soon as it is used.
///
/// Setting it twice or taking it twice is a programming error (a precondition, checked in every
/// build: it would mean a chunk rendered or joined twice).
final class HandOff<Value: Sendable>: @unchecked Sendable {
    private enum State {
        case empty
        case set(Value)
        case taken
    }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var state = State.empty

    /// An empty hand-off.
    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    /// A hand-off holding `value` already.
    convenience init(_ value: Value) {
        self.init()
        state = .set(value)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Sets the value and wakes the thread waiting for it.
    func set(_ value: Value) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard case .empty = state else { preconditionFailure("HandOff set twice") }
        state = .set(value)
        pthread_cond_broadcast(changed)
    }

    /// The value, waiting until it is set; the hand-off no longer holds it.
    func take() -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            switch state {
            case .set(let value):
                state = .taken
                return value
            case .taken: preconditionFailure("HandOff taken twice")
            case .empty: pthread_cond_wait(changed, mutex)
            }
        }
    }

    /// Whether the value is set and not yet taken (without waiting).
    var isSet: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if case .set = state { return true }
        return false
    }
}
