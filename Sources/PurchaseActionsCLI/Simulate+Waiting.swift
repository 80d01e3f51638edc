import CommandLineSupport
import PurchaseActionsCore
import PurchaseActionsEngine

extension Simulate {
    /// The warning for enrollments still waiting when the run ends (Docs/cli.md, "`--until`"), or
    /// `nil` when none waits. The clock ends at `--until` when it was given and reached
    /// (`reachedUntil`), else at the last event.
    static func waitingWarning(_ waiting: Engine.Waiting, clock: Instant, reachedUntil: Bool) -> String? {
        guard waiting.count > 0 else { return nil }
        let enrollments = waiting.count == 1 ? "1 enrollment" : "\(waiting.count) enrollments"
        let end = reachedUntil ? "at --until \(clock)" : "after the last event (\(clock))"
        let next =
            waiting.nextWakeUp.map { "the next wake-up is \($0)" }
            ?? "none wakes up by time alone (each waits for an event or a condition)"
        let advice = reachedUntil ? "pass a later --until to see them" : "pass --until (a span from the first event such as 30d, or a time) to see them"
        return "warning: \(enrollments) still waiting \(end): \(next); \(advice)"
    }

    /// Prints ``waitingWarning(_:clock:reachedUntil:)`` to standard error: a warning, not an error
    /// (the exit status stays as it is).
    func warnIfWaiting(_ engine: Engine, untilTarget: Instant?) {
        let reached = untilTarget.map { $0 == engine.now } ?? false
        if let line = Self.waitingWarning(engine.waiting, clock: engine.now, reachedUntil: reached) { Terminal.error(line) }
    }
}
