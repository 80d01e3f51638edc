public import PurchaseActionsCore

extension Engine {
    /// Moves an enrollment from one version of its workflow to another (`migrate-enrollments`),
    /// by step id.
    ///
    /// The step the enrollment is on is the instruction just before its bottom frame's position: a
    /// wait, or a `call` (whose nested frames are left as they are: they run in other workflows).
    /// Its position becomes the one just past the step with the same id in `new`; a position of 0
    /// (not started) stays 0 and one at the end of `old` goes to the end of `new`. A waiting
    /// enrollment takes the new wait's timeout target, and, when it waits for an event or a
    /// condition and the new wait does too, the new wait's event type and filters or condition;
    /// its wake-up time stays. The enrollment's ``Enrollment/version`` and its bottom frame's
    /// become `new.version`. An ended enrollment only changes version.
    ///
    /// Throws ``EngineError`` with code `step-removed` when that step id is not in `new` (or is no
    /// longer a wait where the enrollment waits), and `invalid-enrollment` when the enrollment is
    /// not on `old` (another workflow or version, a position outside it, not after a step).
    ///
    /// ```swift
    /// let moved = try Engine.relocate(waiting, from: welcomeV1, to: welcomeV2)
    /// ```
    public static func relocate(_ enrollment: Enrollment, from old: Workflow, to new: Workflow) throws(EngineError) -> Enrollment {
        let id = DisplayText.escape(enrollment.id)
        func invalid(_ why: String) -> EngineError { EngineError(.invalidEnrollment, "enrollment '\(id)' cannot move: \(why)") }
        guard enrollment.workflowID == old.id, enrollment.version == old.version, new.id == old.id else {
            let (workflowID, version) = (DisplayText.escape(enrollment.workflowID), enrollment.version)
            throw invalid(
                "it is on workflow '\(workflowID)' version \(version), not '\(DisplayText.escape(old.id))' version \(old.version) (moving to '\(DisplayText.escape(new.id))' version \(new.version))")
        }
        var moved = enrollment
        moved.version = new.version
        guard let bottom = enrollment.frames.first else { return moved }
        if let version = bottom.version, version != old.version {
            throw invalid("its first frame is on version \(version), not \(old.version)")
        }
        guard bottom.workflowID == old.id else { throw invalid("its first frame is in workflow '\(DisplayText.escape(bottom.workflowID))'") }
        let from = Program.make(old, rank: 0) { _ in nil }
        let to = Program.make(new, rank: 0) { _ in nil }
        let position = bottom.position
        guard position >= 0, position <= from.count else {
            throw invalid("position \(position) is outside version \(old.version) (0 to \(from.count))")
        }
        var target = 0
        if position == from.count {
            target = to.count
        } else if position > 0 {
            guard let stepID = from.instruction(before: position)?.stepID else {
                throw invalid("position \(position) of version \(old.version) is not just past a step")
            }
            var found: Int?
            for index in 0..<to.count where to[index].stepID == stepID {
                found = index
                break
            }
            guard let found else {
                throw EngineError(
                    .stepRemoved,
                    "enrollment '\(id)' is on step '\(DisplayText.escape(stepID))', which version \(new.version) of '\(DisplayText.escape(new.id))' does not have; it stays on version \(old.version)")
            }
            target = found + 1
            if enrollment.frames.count == 1, case .waiting = enrollment.state {
                guard case .wait(_, let wait, let newTimeout) = to[found] else {
                    throw EngineError(
                        .stepRemoved,
                        "enrollment '\(id)' waits at step '\(DisplayText.escape(stepID))', which is no longer a wait in version \(new.version) of '\(DisplayText.escape(new.id))'; it stays on version \(old.version)")
                }
                if case .waiting(let waiting, let wakeAt, _) = enrollment.state {
                    var kept = waiting
                    switch (waiting, wait) {
                    case (.event, .untilEvent(let type, let filters, _, _)): kept = .event(type, filters)
                    case (.condition, .untilCondition(let condition, _, _)): kept = .condition(condition)
                    default: break
                    }
                    moved.state = .waiting(kept, wakeAt: wakeAt, timeout: newTimeout)
                }
            }
        }
        moved.frames[0] = Enrollment.Frame(workflowID: new.id, version: new.version, position: target)
        return moved
    }
}
