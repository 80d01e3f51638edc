import Dispatch

/// The serial executor a ``DurableRuntime`` runs on: its own dispatch queue, not Swift's
/// cooperative thread pool. Every SQLite transaction of the runtime runs synchronously on the
/// actor (GRDB's `DatabaseQueue` is synchronous), and a commit waits for the disk (`fsync`, with
/// `synchronous=FULL`): on this queue that wait blocks one dispatch thread, never one of the few
/// cooperative threads the callers' tasks and the worker's other work run on. The actor's
/// semantics (one call at a time, group commit, acknowledgement after the commit) are unchanged.
final class RuntimeExecutor: SerialExecutor {
    /// The queue jobs run on.
    let queue: DispatchQueue
    /// Set on ``queue``: lets a test see that the runtime runs there.
    static let key = DispatchSpecificKey<Bool>()

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
        queue.setSpecific(key: Self.key, value: true)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }

    /// Whether the caller runs on a runtime's queue.
    static var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == true }
}

extension DurableRuntime {
    /// Test hook: whether the actor's code (its transactions) runs on its own queue
    /// (`RuntimeExecutor`), off the cooperative pool.
    func runsOnOwnQueue() -> Bool { RuntimeExecutor.isCurrent }
}
