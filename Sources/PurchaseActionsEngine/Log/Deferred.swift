/// A value given as it is or as a way to compute it when read: what a log record or an effect says
/// is composed only if someone reads it, so a running engine pays for decisions, not for prose.
///
/// A computed value is computed on every read from what the closure captured when the record was
/// made (values, never the engine), so every read gives the same result.
struct Deferred<Value: Sendable>: Sendable {
    private enum Storage: Sendable {
        case value(Value)
        case compute(@Sendable () -> Value)
    }

    private let storage: Storage

    /// A value known now.
    init(_ value: Value) { storage = .value(value) }

    /// A value computed when read.
    init(computing compute: @escaping @Sendable () -> Value) { storage = .compute(compute) }

    /// The value.
    var value: Value {
        switch storage {
        case .value(let value): value
        case .compute(let compute): compute()
        }
    }
}
