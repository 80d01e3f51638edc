import PurchaseActions

extension Engine {
    /// Enrolls a contact under the workflow's rules (re-entry, one per order); returns the enrollment
    /// id, or `nil` (logged as not entered) when a rule keeps the contact out.
    func enroll(_ workflow: Workflow, contactID: String, event: Event?, why: JSONValue, chain: Int = 0) -> String? {
        let settings = workflow.settings
        let orderID = event?.order?.id
        var refusal: String?
        if !settings.allowReentry, store.isEnrolled(contactID: contactID, workflowID: workflow.id) {
            refusal = "the contact is already in \(workflow.id), which does not allow re-entry"
        } else if settings.onePerOrder, let orderID, store.hasEnrolled(workflowID: workflow.id, orderID: orderID) {
            refusal = "\(workflow.id) allows one enrollment per order and order \(orderID) already had one"
        }
        if let refusal {
            append(
                LogRecord(
                    at: now, cause: cause, workflowID: workflow.id, version: workflow.version, contactID: contactID, status: .notEntered,
                    why: why, message: "\(workflow.id): not entered: \(refusal)"))
            return nil
        }
        let enrollment = Enrollment(
            id: store.newEnrollmentID(), workflowID: workflow.id, version: workflow.version, contactID: contactID, orderID: orderID,
            event: event, startedAt: now, frames: [.init(workflowID: workflow.id, position: 0)], state: .active, chain: chain)
        store.save(enrollment)
        append(
            LogRecord(
                at: now, cause: cause, workflowID: workflow.id, version: workflow.version, enrollmentID: enrollment.id, contactID: contactID,
                status: .entered, why: why, message: "\(workflow.id): \(contactID) entered"))
        return enrollment.id
    }

    /// Runs enrollments queued by `enroll` steps, in the order they were made.
    func runPending() {
        while !pending.isEmpty {
            runEnrollment(pending.removeFirst())
        }
    }

    /// Ends an enrollment and logs why.
    func end(_ enrollment: Enrollment, _ state: Enrollment.State, stepID: String?, message: String) {
        var ended = enrollment
        ended.state = state
        store.save(ended)
        append(
            LogRecord(
                at: now, cause: cause, workflowID: enrollment.workflowID, version: enrollment.version, enrollmentID: enrollment.id,
                contactID: enrollment.contactID, stepID: stepID, status: state == .finished ? .finished : .exited, message: message))
    }

    /// A record about a step of an enrollment.
    func record(
        _ enrollment: Enrollment, _ step: Step?, _ status: LogRecord.Status, stepID: String? = nil, effect: Effect? = nil, why: JSONValue? = nil,
        _ message: String
    ) {
        let workflowID = enrollment.frames.last?.workflowID ?? enrollment.workflowID
        append(
            LogRecord(
                at: now, cause: cause, workflowID: workflowID, version: programs[workflowID]?.workflow.version, enrollmentID: enrollment.id,
                contactID: enrollment.contactID, stepID: step?.id ?? stepID, status: status, effect: effect, why: why, message: message))
    }
}
