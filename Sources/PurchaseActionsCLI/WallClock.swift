#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PurchaseActionsCore

/// The worker's clock: what time it is now. The real clock by default; tests and `--clock` give
/// another (Docs/cli.md, "`purchase-actions run`").
struct WorkerClock: Sendable {
    /// The current instant.
    let now: @Sendable () -> Instant
    /// Whether the clock stands still at one instant (`--clock`): the worker then never waits for
    /// a wake-up, since none comes due later.
    let isFixed: Bool

    /// The system's real-time clock, to the millisecond.
    static let real = WorkerClock(now: { WorkerClock.systemNow() }, isFixed: false)

    /// A clock that always says `instant` (`--clock`).
    static func fixed(_ instant: Instant) -> WorkerClock { WorkerClock(now: { instant }, isFixed: true) }

    /// The system's real time.
    static func systemNow() -> Instant {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Instant(millisecondsSinceEpoch: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }
}
