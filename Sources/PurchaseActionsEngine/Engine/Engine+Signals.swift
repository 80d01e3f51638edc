// Driving one enrollment (Docs/engine.md, "Driving one enrollment"): what a runtime that owns a
// schedule (the dunning process) calls to start, signal, move and end one enrollment by id, on the
// same engine, store and log as everything else.

public import PurchaseActionsCore

extension Engine {
    /// Enrolls the contact in a workflow by id with `event` as the enrollment's event (what its
    /// conditions test); no trigger, no processed id. Runs it to its first wait. `nil` id when not entered (logged).
    ///
    /// The workflow needs no trigger (a `dunning.` schedule has none) but must be published; the
    /// enrollment rules apply as to any enrollment (re-entry, one per order, running enrollments,
    /// the work budget): a contact they keep out gets a `not-entered` record and a `nil` id. The
    /// event is not validated (it may be of an internal type, `EventType.internalTypes`) and
    /// fires no trigger. It runs at the engine's clock (``now``: ``advance(to:)`` first to run it
    /// later); its records' cause is the event's id.
    ///
    /// Throws ``EngineError`` with code `unknown-workflow` for an id no published workflow has,
    /// and `unknown-contact` for a contact the directory does not hold; nothing is recorded then.
    public func start(workflowID: String, contactID: String, event: Event) throws(EngineError) -> (enrollmentID: String?, records: [LogRecord]) {
        guard let program = programs[workflowID], program.isPublished else {
            let given = DisplayText.escape(workflowID)
            throw EngineError(.unknownWorkflow, "no published workflow has the id '\(given)'\(programs[workflowID] != nil ? " (it is a draft)" : "")")
        }
        try requireContact(contactID)
        let start = beginBatch()
        cause = event.id
        work = 0
        var enrolled: String?
        let why = LogRecord.Reason.given(.members(["started": event.type.rawValue.json, "event": event.id.json]))
        if let enrollment = enroll(program, contactID: contactID, event: EventBox(event), why: why) {
            enrolled = enrollment.id
            run(enrollment)
            runPending()
        }
        return (enrolled, batch(from: start))
    }

    /// Gives `event` to ONE enrollment: a goal of its top workflow the event reaches (as goals work
    /// today), else its event wait (type + filters, in whatever frame it waits). When it resumes, the
    /// enrollment's event becomes `event` (steps after it test it), unless `event` is of an internal
    /// type (`EventType.internalTypes`), which leaves the enrollment's event as it was. The
    /// enrollments of a `dunning.` workflow move only by this call: ``ingest(_:)`` resumes none of
    /// their waits and reaches none of their goals. An enrollment that is not running
    /// or does not wait for it: one `skipped` record saying where it is; nothing moves. The event is
    /// not validated, not recorded as processed, fires no trigger and resumes no other enrollment.
    ///
    /// A goal is reached as an event reaches it (its filters hold, and it lies at or after the
    /// enrollment's place in its own workflow); a condition wait is not resumed by a signal. It runs at the
    /// engine's clock (``now``), its records' cause is the event's id, and the run it resumes
    /// spends the work budget as an event's does. An enrollment the engine cannot run
    /// (``check(_:)``) ends with an `error` record, as a wake-up's would.
    ///
    /// With `keepingEvent`, the enrollment keeps its event whatever the signal's type (a signal
    /// that only says "go on", such as a card update given to a schedule waiting for one).
    public func signal(_ event: Event, enrollmentID: String, keepingEvent: Bool = false) -> [LogRecord] {
        let start = beginBatch()
        cause = event.id
        work = 0
        guard let stored = store.enrollment(id: enrollmentID) else {
            skip(event, nil, enrollmentID: enrollmentID, "there is no enrollment \(enrollmentID)")
            return batch(from: start)
        }
        guard case .waiting = stored.state else {
            let where_ = stored.isRunning ? "is not waiting" : "has ended (\(stored.state.name))"
            skip(event, stored, enrollmentID: enrollmentID, "enrollment \(enrollmentID) \(where_)\(place(of: stored))")
            return batch(from: start)
        }
        guard let enrollment = checked(stored) else { return batch(from: start) }
        // An internal event (`dunning.attempt_due`) says only "go on": the enrollment keeps the
        // event it has, which always reads back as an events-format event.
        let box = keepingEvent || EventType.internalTypes.contains(event.type) ? nil : EventBox(event)
        if !give(event, to: enrollment, conditions: false, becomingItsEvent: box) {
            skip(event, enrollment, enrollmentID: enrollmentID, "enrollment \(enrollmentID) does not wait for it\(place(of: enrollment))")
        } else {
            runPending()
        }
        return batch(from: start)
    }

    /// Moves a running enrollment (any state, any call depth) to the top-level step `stepID` of its
    /// own workflow version (frames reset to the top frame) and runs it from there. Unknown
    /// enrollment or step: EngineError `.invalidEnrollment`. Logs one record (status `resumed`,
    /// message `moved to <step>: <reason>`).
    ///
    /// The step runs next (a wait there starts again, counting its time from now). A waiting
    /// enrollment's wait ends: its wake-up is dropped with the state the store saves, so its old
    /// timeout never fires. The enrollment keeps its event. Ended enrollments and ones the engine
    /// cannot run (``check(_:)``) throw `invalid-enrollment` too; nothing is recorded then. It runs
    /// at the engine's clock; its records' cause is `move:<enrollment id>`.
    public func move(enrollmentID: String, toStep stepID: String, reason: String) throws(EngineError) -> [LogRecord] {
        let id = DisplayText.escape(enrollmentID)
        guard let stored = store.enrollment(id: enrollmentID) else {
            throw EngineError(.invalidEnrollment, "enrollment '\(id)' cannot move: there is no such enrollment")
        }
        guard stored.isRunning else {
            throw EngineError(.invalidEnrollment, "enrollment '\(id)' cannot move: it has ended (\(stored.state.name))")
        }
        var enrollment = stored
        if let problem = problem(with: &enrollment) {
            throw EngineError(.invalidEnrollment, "enrollment '\(id)' cannot move: it cannot run here: \(problem)")
        }
        guard let program = program(enrollment.workflowID, version: enrollment.version) else {
            throw EngineError(.invalidEnrollment, "enrollment '\(id)' cannot move: its workflow version is not in this engine")
        }
        guard let position = Self.topLevelPosition(of: stepID, in: program) else {
            let (workflowID, version) = (DisplayText.escape(program.id), program.version)
            throw EngineError(
                .invalidEnrollment,
                "enrollment '\(id)' cannot move: '\(DisplayText.escape(stepID))' is not a top-level step of workflow '\(workflowID)' version \(version) (its steps: \(program.workflow.steps.map { DisplayText.escape($0.id) }.joined(separator: ", ")))")
        }
        let start = beginBatch()
        cause = "move:\(enrollmentID)"
        work = 0
        var frame = Enrollment.Frame(program)
        frame.position = position
        enrollment.frames = [frame]
        enrollment.state = .active
        store.save(enrollment)
        let (why, text) = (
            JSONValue.members(["movedTo": stepID.json, "reason": reason.json]), "moved to \(stepID): \(DisplayText.escape(reason))"
        )
        record(enrollment, in: program, stepID: stepID, .resumed, why: why, text)
        run(enrollment)
        runPending()
        return batch(from: start)
    }

    /// Ends a running enrollment as `exited` with `reason`; not running: no record.
    ///
    /// Its record (status `exited`, message `<step>: exited: <reason>`, cause `exit:<enrollment
    /// id>`) names the step it was at. A waiting enrollment's wake-up is dropped with the state the
    /// store saves, so its old timeout never fires. An unknown id returns no record either.
    public func exit(enrollmentID: String, reason: String) -> [LogRecord] {
        let start = beginBatch()
        guard let stored = store.enrollment(id: enrollmentID), stored.isRunning else { return batch(from: start) }
        cause = "exit:\(enrollmentID)"
        work = 0
        var bound = stored
        let stepID = problem(with: &bound) == nil ? waitingStepID(bound) : nil
        let text = "\(stepID.map { "\($0): " } ?? "")exited: \(DisplayText.escape(reason))"
        end(stored, .exited, stepID: stepID, message: text)
        return batch(from: start)
    }

    /// Where a signal found the enrollment, for its `skipped` record: ` (at <step> of <workflow>)`.
    private func place(of enrollment: Enrollment) -> String {
        var bound = enrollment
        guard problem(with: &bound) == nil, let stepID = waitingStepID(bound), let frame = bound.frames.last else { return "" }
        return " (at \(stepID) of \(frame.workflowID))"
    }

    /// The one `skipped` record of a signal that moves nothing.
    private func skip(_ event: Event, _ enrollment: Enrollment?, enrollmentID: String, _ text: String) {
        let type = event.type.rawValue
        append(
            LogRecord(
                at: now, cause: cause, workflowID: enrollment?.workflowID, version: enrollment?.version, enrollmentID: enrollmentID,
                contactID: enrollment?.contactID, status: .skipped,
                why: .given(.members(["signal": type.json, "event": event.id.json])),
                message: .computed({ "signal \(type) not given: \(text); nothing moves" })))
    }

    /// The position of the top-level step `stepID` in a program: the first instruction of that
    /// step (steps nested in it come after), or `nil` when no top-level step has the id.
    static func topLevelPosition(of stepID: String, in program: Program) -> Int? {
        guard program.workflow.steps.contains(where: { $0.id == stepID }) else { return nil }
        for index in 0..<program.count where program[index].stepID == stepID { return index }
        return nil
    }
}

extension Enrollment.State {
    /// `active`, `waiting`, `finished` or `exited`, as messages name it.
    var name: String {
        switch self {
        case .active: "active"
        case .waiting: "waiting"
        case .finished: "finished"
        case .exited: "exited"
        }
    }
}
