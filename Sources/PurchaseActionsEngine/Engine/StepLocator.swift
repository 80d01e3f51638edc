public import PurchaseActionsCore

/// Names the step at a place in a workflow: the step an enrollment whose frame is at a position
/// has reached (`purchase-actions enrollments`, its `step` column).
///
/// A frame's position is the next instruction; the step it is at is the one of the instruction
/// just before it — a wait it waits at, a call it is inside, the last step it ran — as
/// ``Engine/relocate(_:from:to:)`` reads it. A position of 0 (nothing run yet), one outside the
/// program, or one just past an `if`'s jump has no step (`nil`).
///
/// `@unchecked Sendable`: its program is immutable (see `Program`).
public struct StepLocator: @unchecked Sendable {
    private let program: Program

    /// Flattens `workflow` as the engine does (its calls are not followed).
    public init(_ workflow: Workflow) {
        program = Program.make(workflow, rank: 0) { _ in nil }
    }

    /// The id of the step a frame at `position` is at, or `nil`.
    public func stepID(atPosition position: Int) -> String? {
        program.instruction(before: position)?.stepID
    }

    /// The id of the step the enrollment is at: its innermost frame's (``stepID(atPosition:)``)
    /// when that frame is in this workflow and version (a frame of `nil` version is taken as this
    /// one); else `nil`.
    public func stepID(of enrollment: Enrollment) -> String? {
        guard let frame = enrollment.frames.last, frame.workflowID == program.id, (frame.version ?? program.version) == program.version else { return nil }
        return stepID(atPosition: frame.position)
    }
}
