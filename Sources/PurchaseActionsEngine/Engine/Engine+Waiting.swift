public import PurchaseActionsCore

extension Engine {
    /// What still waits when a run ends: how many enrollments wait, and the earliest wake-up.
    ///
    /// `purchase-actions simulate` warns with it when enrollments still wait at the end of a run
    /// (Docs/cli.md, "`--until`"); an app sets its timer to ``nextWakeUp`` to call
    /// ``Engine/advance(to:)`` when something is due.
    public struct Waiting: Hashable, Sendable {
        /// How many enrollments are waiting (on a wait step), all contacts together.
        public var count: Int
        /// The earliest instant a waiting enrollment wakes up (its wait ends, or times out); `nil`
        /// when none waits for a time.
        public var nextWakeUp: Instant?

        /// Creates a summary.
        public init(count: Int, nextWakeUp: Instant?) {
            self.count = count
            self.nextWakeUp = nextWakeUp
        }
    }

    /// The earliest instant a waiting enrollment wakes up, or `nil` when none waits for a time:
    /// `advance(to:)` that instant (or later) fires it.
    public var nextWakeUp: Instant? { store.nextWakeUp(atOrBefore: Instant.supported.upperBound)?.0 }

    /// How many enrollments wait (``EnrollmentStore/waitingCount``) and the ``nextWakeUp``.
    public var waiting: Waiting { Waiting(count: store.waitingCount, nextWakeUp: nextWakeUp) }
}
