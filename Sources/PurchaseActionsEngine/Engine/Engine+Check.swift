import PurchaseActionsCore

extension Engine {
    /// Checks that an enrollment can run in this engine: its workflow and version exist; it has at
    /// most ``callDepthLimit`` + 1 frames, and a running one at least one, the bottom frame in the
    /// enrollment's own workflow and version; every frame's workflow and version
    /// (``Enrollment/Frame/version``, `nil` the current one) exist, its position within `0...count`
    /// of the program's instructions; a waiting enrollment's top frame sits just past a wait
    /// instruction, and its timeout (if any) lies within the program.
    ///
    /// Throws ``EngineError`` with code `invalid-enrollment`, saying which enrollment and why. The
    /// engine checks every enrollment it reads from its store before it runs, wakes or resumes it:
    /// one that fails gets an `error` record saying why and ends `exited` (Docs/engine.md,
    /// "Invalid enrollments").
    ///
    /// ```swift
    /// for stored in enrollments { try engine.check(stored) }
    /// ```
    public func check(_ enrollment: Enrollment) throws(EngineError) {
        var copy = enrollment
        if let problem = problem(with: &copy) {
            throw EngineError(.invalidEnrollment, "enrollment '\(DisplayText.escape(enrollment.id))' cannot run here: \(problem)")
        }
    }

    /// Why an enrollment cannot run in this engine (``check(_:)``), or `nil`; binds each frame to its
    /// program on the way, so a run does not look them up again.
    func problem(with enrollment: inout Enrollment) -> String? {
        guard program(enrollment.workflowID, version: enrollment.version) != nil else {
            return "workflow '\(DisplayText.escape(enrollment.workflowID))' version \(enrollment.version) is not in this engine"
        }
        let count = enrollment.frames.count
        guard count <= Self.callDepthLimit + 1 else {
            return "it has \(count) frames; calls nest at most \(Self.callDepthLimit) deep (\(Self.callDepthLimit + 1) frames)"
        }
        guard count > 0 || !enrollment.isRunning else { return "it is running but has no frame (no place in its workflow)" }
        for index in 0..<count {
            let frame = enrollment.frames[index]
            let (workflowID, version) = (DisplayText.escape(frame.workflowID), frame.version)
            guard let program = program(frame.workflowID, version: version) else {
                let which = version.map { "version \($0)" } ?? "any version"
                return "frame \(index): workflow '\(workflowID)' \(which) is not in this engine"
            }
            if index == 0, program.id != enrollment.workflowID || program.version != enrollment.version {
                let (own, ownVersion) = (DisplayText.escape(enrollment.workflowID), enrollment.version)
                return "frame 0 is in workflow '\(workflowID)' version \(program.version), not the enrollment's '\(own)' version \(ownVersion)"
            }
            let (position, instructions) = (frame.position, program.count)
            guard position >= 0, position <= instructions else {
                return "frame \(index): position \(position) is outside workflow '\(workflowID)' version \(program.version) (0 to \(instructions))"
            }
            if frame.program !== program { enrollment.frames[index].bind(program) }
        }
        if case .waiting(_, _, let timeout) = enrollment.state, let top = enrollment.frames.last, let program = top.program {
            let position = top.position
            guard case .wait? = program.instruction(before: position) else {
                return "it is waiting, but position \(position) of workflow '\(DisplayText.escape(program.id))' version \(program.version) is not just past a wait"
            }
            if let timeout, timeout < 0 || timeout > program.count {
                return "its timeout goes to position \(timeout), outside workflow '\(DisplayText.escape(program.id))' version \(program.version) (0 to \(program.count))"
            }
        }
        return nil
    }

    /// Reads a running enrollment the engine is about to run, wake or resume: checked and bound
    /// (``problem(with:)``), or, when it cannot run, ended `exited` after an `error` record saying
    /// why (and `nil` returned).
    func checked(_ enrollment: Enrollment) -> Enrollment? {
        var bound = enrollment
        guard let problem = problem(with: &bound) else { return bound }
        refuse(enrollment, problem)
        return nil
    }

    /// What an `error` record of an enrollment that cannot run says to do.
    static let invalidEnrollmentAdvice =
        "its store was written by hand or by another program, damaged, or given workflow versions other than the ones it was written with: to run it again, restore the store from a backup"

    /// Ends an enrollment that cannot run, with an `error` record saying why and what to do.
    func refuse(_ enrollment: Enrollment, _ problem: String) {
        let id = enrollment.id
        append(
            LogRecord(
                at: now, cause: cause, workflowID: enrollment.workflowID, version: enrollment.version, enrollmentID: id,
                contactID: enrollment.contactID, status: .error, why: .given(.members(["invalidEnrollment": problem.json])),
                message: .computed({ "enrollment \(id) cannot run: \(problem); it ends here, the others go on (\(Self.invalidEnrollmentAdvice))" })))
        var ended = enrollment
        ended.state = .exited
        end(ended, .exited, stepID: nil, message: "ended: invalid enrollment")
    }
}
