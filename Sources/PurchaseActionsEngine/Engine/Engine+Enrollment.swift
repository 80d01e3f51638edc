import PurchaseActionsCore

extension Engine {
    /// Enrolls a contact under the workflow's rules (re-entry, one per order); returns the new
    /// enrollment, or `nil` (logged as not entered) when a rule keeps the contact out.
    ///
    /// - Important: The enrollment is not saved: the caller runs it at once (it is saved when it
    ///   waits or ends, and before any step that reads the store) or saves it to run later.
    func enroll(_ program: Program, contactID: String, event: EventBox?, why: LogRecord.Reason, chain: Int = 0) -> Enrollment? {
        let workflowID = program.id
        let orderID = event?.event.order?.id
        var refusal: String?
        work &+= 1
        if work > workBudget {
            refusal = "the work budget (\(workBudget) steps and enrollments for one event, wake-up or run) is spent"
        } else if !program.allowsReentry, store.isEnrolled(contactID: contactID, workflowID: workflowID) {
            refusal = "the contact is already in \(workflowID), which does not allow re-entry"
        } else if program.isOnePerOrder, let orderID, store.hasEnrolled(workflowID: workflowID, orderID: orderID) {
            refusal = "\(workflowID) allows one enrollment per order and order \(orderID) already had one"
        }
        if refusal == nil {
            // Running enrollments: the count in all first (one lookup); the workflow's only near its limit.
            let running = store.runningCount(contactID: contactID)
            if running >= runningPerContact {
                let limit = runningPerContact
                refusal = "the contact has \(limit) running enrollments, the most one contact may have"
            } else if running >= runningPerWorkflow, store.runningCount(contactID: contactID, workflowID: workflowID) >= runningPerWorkflow {
                let limit = runningPerWorkflow
                refusal = "the contact has \(limit) running enrollments in \(workflowID), the most one contact may have in one workflow"
            }
        }
        if let refusal {
            append(
                LogRecord(
                    at: now, cause: cause, workflowID: workflowID, version: program.version, contactID: contactID, status: .notEntered,
                    why: why, message: .computed({ "\(workflowID): not entered: \(refusal)" })))
            return nil
        }
        // Room for one call, in one allocation: most runs call one workflow (an action set).
        var frames: [Enrollment.Frame] = []
        frames.reserveCapacity(2)
        frames.append(.init(program))
        let enrollment = Enrollment(
            id: store.newEnrollmentID(), workflowID: workflowID, version: program.version, contactID: contactID, orderID: orderID,
            holdsOrder: orderID != nil && program.isOnePerOrder, cause: event, startedAt: now, frames: frames, state: .active, chain: chain)
        append(
            LogRecord(
                LogRecord.InProgram(
                    at: now, cause: cause, program: program, enrollmentID: enrollment.id, contactID: contactID, status: .entered, reason: why,
                    text: .entered)))
        return enrollment
    }

    /// Runs enrollments queued by `enroll` steps, in the order they were made.
    func runPending() {
        while !pending.isEmpty {
            runEnrollment(pending.removeFirst())
        }
    }

    /// Ends an enrollment and logs why.
    func end(_ enrollment: Enrollment, _ state: Enrollment.State, stepID: String?, message: @autoclosure @escaping @Sendable () -> String) {
        end(enrollment, state, stepID: stepID, text: .computed(message))
    }

    /// Ends an enrollment with a record composed as `text` says; `program` is its workflow's, if
    /// the caller has it at hand.
    func end(_ enrollment: consuming Enrollment, _ state: Enrollment.State, stepID: String?, text: LogRecord.Text, program: Program? = nil) {
        var ended = enrollment
        ended.state = state
        store.save(ended)
        let status: LogRecord.Status = state == .finished ? .finished : .exited
        if let program, program.id == ended.workflowID, program.version == ended.version {
            append(
                LogRecord(
                    LogRecord.InProgram(
                        at: now, cause: cause, program: program, enrollmentID: ended.id, contactID: ended.contactID, stepID: stepID, status: status,
                        reason: .given(nil), text: text)))
        } else {
            append(
                LogRecord(
                    at: now, cause: cause, workflowID: ended.workflowID, version: ended.version, enrollmentID: ended.id, contactID: ended.contactID,
                    stepID: stepID, status: status, why: .given(nil), message: text))
        }
    }

    /// A record about a step of an enrollment, in the workflow of its top frame.
    func record(
        _ enrollment: Enrollment, _ step: Step?, _ status: LogRecord.Status, stepID: String? = nil, effect: Effect? = nil,
        why: @autoclosure @escaping @Sendable () -> JSONValue? = nil, _ message: @autoclosure @escaping @Sendable () -> String
    ) {
        let program = enrollment.frames.last.flatMap(program(of:)) ?? self.program(enrollment.workflowID, version: enrollment.version)
        let workflowID = enrollment.frames.last?.workflowID ?? enrollment.workflowID
        record(enrollment, in: program, workflowID: workflowID, stepID: step?.id ?? stepID, status, effect: effect, why: why(), message())
    }

    /// A record about a step of an enrollment, in a program the caller already has.
    func record(
        _ enrollment: Enrollment, in program: Program?, workflowID: String? = nil, stepID: String?, _ status: LogRecord.Status, effect: Effect? = nil, why: @autoclosure @escaping @Sendable () -> JSONValue? = nil, _ message: @autoclosure @escaping @Sendable () -> String
    ) {
        append(
            LogRecord(
                at: now, cause: cause, workflowID: program?.id ?? workflowID, version: program?.version, enrollmentID: enrollment.id,
                contactID: enrollment.contactID, stepID: stepID, status: status, effect: effect, why: .computed(why),
                message: .computed(message)))
    }
}
