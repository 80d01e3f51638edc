internal import GRDB
import PurchaseActionsCore

/// The open transaction's `Database`, lent to the engine's ports while the runtime's transaction
/// runs (GRDB's `Database` is valid only inside its closure: ``attach(_:)`` at the start,
/// ``detach()`` at the end, in a `defer`).
///
/// Ports cannot throw (the engine's protocols do not), so the first failure is kept here, later
/// port calls do nothing, and the runtime calls ``check()`` after each engine call: the
/// transaction (or savepoint) is then rolled back.
final class TransactionContext {
    /// The database of the transaction running, if one is.
    private var database: Database?
    /// The first failure since the last ``check()``.
    private var failure: (any Error)?
    /// The engine's clock (saves stamp their rows with it).
    var clock: () -> Instant = { Instant(millisecondsSinceEpoch: 0) }

    /// Lends the transaction's database to the ports.
    func attach(_ db: Database) {
        database = db
        failure = nil
    }

    /// Takes the database back.
    func detach() { database = nil }

    /// Runs `body` on the attached database; on a failure (or with no transaction) keeps the error
    /// and returns `fallback`.
    func run<T>(_ fallback: T, _ body: (Database) throws -> T) -> T {
        guard failure == nil else { return fallback }
        guard let database else {
            failure = StoreError(.closed, "the engine used its store outside a transaction (a bug: report it)")
            return fallback
        }
        do {
            return try body(database)
        } catch {
            failure = error
            return fallback
        }
    }

    /// Throws (and forgets) the first failure since the last check.
    func check() throws {
        if let failure {
            self.failure = nil
            throw failure
        }
    }
}
