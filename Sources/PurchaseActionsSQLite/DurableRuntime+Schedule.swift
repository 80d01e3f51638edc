internal import GRDB
import PurchaseActionsCore
import PurchaseActionsDunning
import PurchaseActionsEngine

/// The policy's schedule on the engine (Docs/dunning.md, "The schedule on the engine"): each invoice
/// in dunning is one enrollment of the workflow compiled from its policy
/// (`DunningPolicy.scheduleWorkflows`), which the runtime moves with targeted signals as the
/// process decides. The process stays the authority on when and what; the enrollment shows where
/// each invoice is (`enrollments`, `log`, `stats`), keeps the workflow version it started on, and
/// makes the charge at its `retry-charge` step.
extension DurableRuntime {
    /// Starts the schedule enrollment of each invoice the entries say started, with `event` (the
    /// first failure) as its event, and stores the enrollment's id on the invoice. An invoice whose
    /// contact the event named by email only, or a policy published before its schedule was
    /// compiled (no `dunning.<policy id>` workflow), gets none: its dunning runs as before.
    func startSchedules(_ entries: [DunningEntry], event: Event, version index: Int) throws -> [LogRecord] {
        var records: [LogRecord] = []
        for entry in entries where entry.kind == .started {
            let process = dunning.versions[index].process
            guard let invoice = process.invoice(entry.invoice), invoice.enrollment == nil, Self.isContactID(invoice.contact) else { continue }
            let workflowID = process.policy.scheduleWorkflowID
            guard engine.hasWorkflow(workflowID) else { continue }
            var started = event
            started.contact = ContactReference(id: invoice.contact)
            switch Result(catching: { () throws(EngineError) in try engine.start(workflowID: workflowID, contactID: invoice.contact, event: started) }) {
            case .success(let (enrollmentID, ran)):
                try context.check()
                records += ran
                if let enrollmentID {
                    _ = dunning.with(index) { $0.attach(enrollment: enrollmentID, toInvoice: invoice.id) }
                }
            case .failure(let error):
                try context.check()
                records.append(
                    LogRecord(
                        at: engine.now, cause: "dunning:\(invoice.id)", workflowID: workflowID, contactID: invoice.contact, status: .error,
                        message: "dunning of invoice \(invoice.id): its schedule did not start: \(error.message)"))
            }
        }
        return records
    }

    /// Moves the invoices' schedule enrollments as the entries say: a declined attempt is given to
    /// the enrollment as a `payment.autocharge_failed` (its decline class branches), a recovery as a
    /// `payment.autocharge_recovered` (the goal), a card update goes on from a wait for a card
    /// (keeping the enrollment's event), the final action moves it to `final`, and an invoice paid
    /// another way or cancelled ends it.
    func driveSchedule(_ entry: DunningEntry, invoice: DunningInvoice, policy: DunningPolicy) throws -> [LogRecord] {
        guard let enrollmentID = scheduleEnrollment(of: invoice) else { return [] }
        var records: [LogRecord] = []
        switch entry.kind {
        case .attempt where entry.outcome == "declined":
            guard let base = engine.enrollment(id: enrollmentID)?.event, let decline = entry.decline else { return [] }
            // Codes the events format cannot hold (a gateway's "Do Not Honor") stand in as codes
            // the decline workflow classes alike: the enrollment keeps an event that reads back.
            let (code, advice) = policy.signalDecline(code: decline.code, adviceCode: decline.adviceCode)
            let outcome = Self.outcome(of: base, .autochargeFailed, "a", attempt: entry.attempt, code: code, advice: advice, at: engine.now)
            records += engine.signal(outcome, enrollmentID: enrollmentID)
        case .recovered:
            guard let base = engine.enrollment(id: enrollmentID)?.event else { return [] }
            let recovered = Self.outcome(of: base, .autochargeRecovered, "r", attempt: entry.attempt, code: nil, advice: nil, at: engine.now)
            records += engine.signal(recovered, enrollmentID: enrollmentID)
        case .cardUpdated:
            // A schedule waiting for a new card (a hard or update-required decline) goes on to its
            // next attempt's due step; the enrollment keeps its event (the failure).
            guard engine.waitingStep(enrollmentID: enrollmentID)?.hasSuffix("-wait-for-card") == true, let base = engine.enrollment(id: enrollmentID)?.event
            else { return [] }
            var updated = Event(
                id: Self.signalID(base.id, "c\(invoice.attemptsMade)"), type: .paymentMethodUpdated, occurredAt: engine.now, offsetSeconds: base.offsetSeconds,
                contact: ContactReference(id: invoice.contact))
            updated.card = invoice.card.map { Card(id: $0, expires: "9999-12") }
            records += engine.signal(updated, enrollmentID: enrollmentID, keepingEvent: true)
        case .final:
            records += try moveSchedule(enrollmentID, to: "final", reason: "final action: \(entry.detail)")
        case .paidElsewhere:
            records += engine.exit(enrollmentID: enrollmentID, reason: "invoice \(invoice.id) was paid another way: \(entry.detail)")
        default:
            if invoice.status == .cancelled {
                records += engine.exit(enrollmentID: enrollmentID, reason: "invoice \(invoice.id): \(entry.detail)")
            }
        }
        try context.check()
        return records
    }

    /// Before a due charge is queued: the invoice's enrollment is put at the attempt's
    /// `attempt-<n>-due` step (the last attempt's for an attempt past the compiled ones: a repeat, or
    /// a schedule a card update started over) and given `dunning.attempt_due`, so it runs the
    /// `retry-charge` step of that attempt.
    func signalDue(_ request: ChargeRequest, invoice: DunningInvoice?) throws -> [LogRecord] {
        guard let invoice, let enrollmentID = scheduleEnrollment(of: invoice), let enrollment = engine.enrollment(id: enrollmentID), enrollment.isRunning
        else { return [] }
        let attempts = Self.compiledAttempts(engine.workflow(id: enrollment.workflowID, version: enrollment.version))
        guard attempts >= 2 else { return [] }
        let target = "attempt-\(min(max(request.attempt, 2), attempts))-due"
        var records: [LogRecord] = []
        if engine.waitingStep(enrollmentID: enrollmentID) != target {
            records += try moveSchedule(enrollmentID, to: target, reason: "attempt \(request.attempt) of invoice \(request.invoice) is due")
        }
        var due = enrollment.event ?? Event(id: "dunning", type: .dunningAttemptDue, occurredAt: engine.now, offsetSeconds: 0, contact: ContactReference(id: enrollment.contactID))
        due.id = Self.signalID(due.id, "d\(request.attempt)")
        due.type = .dunningAttemptDue
        due.occurredAt = engine.now
        records += engine.signal(due, enrollmentID: enrollmentID)
        try context.check()
        return records
    }

    /// Moves an enrollment to a step of its workflow; a step it does not have (a workflow edited by
    /// hand) is an `error` record, and dunning goes on.
    private func moveSchedule(_ enrollmentID: String, to step: String, reason: String) throws -> [LogRecord] {
        switch Result(catching: { () throws(EngineError) in try engine.move(enrollmentID: enrollmentID, toStep: step, reason: reason) }) {
        case .success(let records):
            try context.check()
            return records
        case .failure(let error):
            try context.check()
            let enrollment = engine.enrollment(id: enrollmentID)
            return [
                LogRecord(
                    at: engine.now, cause: "dunning", workflowID: enrollment?.workflowID, version: enrollment?.version, enrollmentID: enrollmentID,
                    contactID: enrollment?.contactID, status: .error, message: "dunning schedule: \(error.message)")
            ]
        }
    }

    /// The invoice's schedule enrollment: the one its stored id names, when that is a running or
    /// ended enrollment of a `dunning.` workflow for the invoice's contact; `nil` otherwise (none,
    /// or a hand-edited id naming something else, which is left alone).
    func scheduleEnrollment(of invoice: DunningInvoice) -> String? {
        guard let id = invoice.enrollment, let enrollment = engine.enrollment(id: id), enrollment.contactID == invoice.contact,
            enrollment.workflowID.hasPrefix(EventType.internalWorkflowPrefix)
        else { return nil }
        return id
    }

    /// A charge's outcome as the event the schedule's enrollment is given: its event (the failure)
    /// with the outcome's type, decline and attempt, at `now`, its id marked `#<mark><attempt>`.
    static func outcome(
        of base: Event, _ type: EventType, _ mark: String, attempt: Int?, code: String?, advice: String?, at now: Instant
    ) -> Event {
        var outcome = base
        outcome.type = type
        outcome.id = signalID(base.id, "\(mark)\(attempt ?? 0)")
        outcome.occurredAt = now
        outcome.payment?.declineCode = code
        outcome.payment?.adviceCode = advice
        if let attempt { outcome.autocharge?.attempt = attempt }
        return outcome
    }

    /// A signal's event id: the failure event's id (what follows its last `#` cut off) and `#<what>`,
    /// so ids never grow and stay within an enrollment event's 216 characters.
    static func signalID(_ base: String, _ what: String) -> String {
        let root = base.lastIndex(of: "#").map { String(base[..<$0]) } ?? base
        return root + "#" + what
    }

    /// The last attempt a compiled schedule has steps for (its highest `attempt-<k>-due`); 0 for
    /// none.
    static func compiledAttempts(_ workflow: Workflow?) -> Int {
        var last = 0
        for step in workflow?.steps ?? [] where step.id.hasPrefix("attempt-") && step.id.hasSuffix("-due") {
            if let k = Int(step.id.dropFirst("attempt-".count).dropLast("-due".count)) { last = max(last, k) }
        }
        return last
    }

    /// Whether a process's contact is a contact id the engine can run for (not `email:…` or `-`).
    static func isContactID(_ contact: String) -> Bool { contact != "-" && !contact.hasPrefix("email:") }
}
