#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport

/// What `purchase-actions run` does on SIGTERM and SIGINT (Docs/cli.md, "`purchase-actions run`"):
/// the first signal stops the worker gracefully, a second one ends the process at once with
/// ``exitStatus`` (130, as a shell reports a process ended by SIGINT).
enum StopSignals {
    /// The exit status of a second signal: 130.
    static let exitStatus: Int32 = 130

    /// Calls `first` for the first signal of `signals` and `second` for the next one, then returns
    /// (also when the sequence ends or the task is cancelled).
    static func watch<Signals: AsyncSequence & Sendable>(
        _ signals: Signals, first: @Sendable (Signals.Element) async -> Void, second: @Sendable () -> Void
    ) async where Signals.Element: Sendable {
        var count = 0
        do {
            for try await signal in signals {
                count += 1
                if count == 1 {
                    await first(signal)
                } else {
                    second()
                    return
                }
            }
        } catch {
            return
        }
    }

    /// Ends the process now with ``exitStatus``: the transaction in progress, if any, is rolled
    /// back by SQLite when the database is next opened; what was committed stays.
    static func exitAtOnce() -> Never {
        Terminal.error("error: second signal: stopping at once (exit \(exitStatus)); what was committed is kept, the commit in progress is not")
        _exit(exitStatus)
    }
}
