import CommandLineSupport
import PurchaseActionsCore
import PurchaseActionsEngine

extension Simulate {
    /// The warning for an `--until` (`until`) that falls before the last event, whose time is
    /// `clock` (Docs/cli.md, "`--until`"), or `nil` when it does not: the events after it ran all
    /// the same, and nothing ran after the last event.
    static func untilWarning(clock: Instant, until: Instant?) -> String? {
        guard let until, until < clock else { return nil }
        return
            "warning: --until (\(until)) falls before the last event (\(clock)): the events after it ran all the same, and nothing ran after the last event (a span counts from the first event, and the clock never goes back); pass an --until later than the last event to run the clock on"
    }

    /// The warning for enrollments still waiting when the run ends (Docs/cli.md, "`--until`"), or
    /// `nil` when none waits. The clock ends at `--until` (`until`) when it was given and
    /// reached, else at the last event (`clock`); an `--until` before the last event is not
    /// reached.
    static func waitingWarning(_ waiting: Engine.Waiting, clock: Instant, until: Instant?) -> String? {
        guard waiting.count > 0 else { return nil }
        let enrollments = waiting.count == 1 ? "1 enrollment" : "\(waiting.count) enrollments"
        let reached = until.map { $0 >= clock } ?? false
        let end = reached ? "at --until \(clock)" : "after the last event (\(clock))"
        let next =
            waiting.nextWakeUp.map { "the next wake-up is \($0)" }
            ?? "none wakes up by time alone (each waits for an event or a condition)"
        let advice =
            switch (until, reached) {
            case (nil, _): "pass --until (a span from the first event such as 30d, or a time) to see them"
            case (_, true): "pass a later --until to see them"
            case (_, false): "pass an --until later than the last event to see them"
            }
        return "warning: \(enrollments) still waiting \(end): \(next); \(advice)"
    }

    /// Prints ``untilWarning(clock:until:)`` and ``waitingWarning(_:clock:until:)`` to standard
    /// error: warnings, not errors (the exit status stays as it is).
    func warnIfWaiting(_ engine: Engine, untilTarget: Instant?) {
        if let line = Self.untilWarning(clock: engine.now, until: untilTarget) { Terminal.error(line) }
        if let line = Self.waitingWarning(engine.waiting, clock: engine.now, until: untilTarget) { Terminal.error(line) }
    }
}
