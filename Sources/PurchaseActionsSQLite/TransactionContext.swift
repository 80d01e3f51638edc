internal import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine

/// The open transaction's `Database`, lent to the engine's ports while the runtime's transaction
/// runs (GRDB's `Database` is valid only inside its closure: ``attach(_:)`` at the start,
/// ``detach()`` at the end, in a `defer`).
///
/// Ports cannot throw (the engine's protocols do not), so the first failure is kept here, later
/// port calls do nothing, and the runtime calls ``check()`` after each engine call: the
/// transaction (or savepoint) is then rolled back.
///
/// **Write-behind.** Contacts and enrollments the engine reads or saves during the transaction
/// are kept here (reads by id served from them); a save only marks the row dirty, and dirty rows
/// are written once by ``flush()`` — which the runtime calls at the end of each savepoint, before
/// the log. Queries merge the kept rows with the table's (running enrollments of a contact, the
/// next wake-up, held orders) or flush first (contact matches, the waiting count). The
/// enrollment counter is kept the same way. ``discard()`` (after a rollback, and at ``attach(_:)``
/// / ``detach()``) forgets everything, so nothing outlives the transaction or a rolled-back savepoint.
final class TransactionContext {
    /// The database of the transaction running, if one is.
    private var database: Database?
    /// The first failure since the last ``check()``.
    private var failure: (any Error)?
    /// The engine's clock (saves stamp their rows with it).
    var clock: () -> Instant = { Instant(millisecondsSinceEpoch: 0) }

    /// Contacts read or saved in this transaction, by id.
    var contacts: [String: Contact] = [:]
    /// Ids of contacts saved and not written yet, in the order first saved.
    private var dirtyContacts: [String] = []
    private var dirtyContactSet: Set<String> = []
    /// Enrollments read or saved in this transaction, by id.
    var enrollments: [String: Enrollment] = [:]
    /// Enrollments saved and not written yet, with the clock at their last save, in the order first saved.
    private var dirtyEnrollments: [String] = []
    private var savedAt: [String: Instant] = [:]
    /// The dirty enrollments of each contact (ids, in the order first saved).
    private(set) var dirtyByContact: [String: [String]] = [:]
    /// The dirty enrollments waiting with a wake-up, and when.
    private(set) var dirtyWakes: [String: Instant] = [:]
    /// `workflow NUL order` of the dirty enrollments holding an order.
    private(set) var dirtyOrders: Set<String> = []
    /// The enrollment counter (`meta.next_enrollment`) once read, and whether it moved since written.
    var nextEnrollment: Int64?
    var nextEnrollmentIsDirty = false
    /// The compact text of the details of each external effect the outbox took since the log was
    /// last written, by idempotency key: the log writes the same text (forgotten at ``discard()``).
    var detailsText: [String: String] = [:]
    /// Writes the enrollments' text, the text of the events they share made once (forgotten at ``discard()``).
    private var enrollmentWriter = EnrollmentJSONWriter()

    /// Lends the transaction's database to the ports.
    func attach(_ db: Database) {
        database = db
        failure = nil
        discard()
    }

    /// Takes the database back.
    func detach() {
        database = nil
        discard()
    }

    /// Runs `body` on the attached database; on a failure (or with no transaction) keeps the error
    /// and returns `fallback`.
    func run<T>(_ fallback: T, _ body: (Database) throws -> T) -> T {
        guard failure == nil else { return fallback }
        guard let database else {
            failure = StoreError(.closed, "the engine used its store outside a transaction (a bug: report it)")
            return fallback
        }
        do {
            return try body(database)
        } catch {
            failure = error
            return fallback
        }
    }

    /// Throws (and forgets) the first failure since the last check.
    func check() throws {
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    // MARK: Write-behind

    /// Keeps a saved contact, to be written at the next flush.
    func saveContact(_ contact: Contact) {
        contacts[contact.id] = contact
        if dirtyContactSet.insert(contact.id).inserted { dirtyContacts.append(contact.id) }
    }

    /// Keeps a saved enrollment, to be written at the next flush stamped with the clock now.
    func saveEnrollment(_ enrollment: Enrollment) {
        enrollments[enrollment.id] = enrollment
        if savedAt.updateValue(clock(), forKey: enrollment.id) == nil {
            dirtyEnrollments.append(enrollment.id)
            dirtyByContact[enrollment.contactID, default: []].append(enrollment.id)
        }
        dirtyWakes[enrollment.id] = enrollment.wakeAt
        if enrollment.holdsOrder, let order = enrollment.orderID { dirtyOrders.insert(Self.orderKey(enrollment.workflowID, order)) }
    }

    /// Whether the enrollment was saved since the last flush (its row, if any, is stale).
    func isDirty(enrollmentID id: String) -> Bool { savedAt[id] != nil }

    /// The key of ``dirtyOrders``.
    static func orderKey(_ workflowID: String, _ orderID: String) -> String { workflowID + "\u{0}" + orderID }

    /// Writes the dirty contacts, enrollments and counter (then they are clean; the cache stays).
    func flush() throws {
        guard let database else { return }
        try flushContacts(database)
        try flushEnrollments(database)
    }

    /// Writes the dirty contacts.
    func flushContacts(_ db: Database) throws {
        guard !dirtyContacts.isEmpty else { return }
        for id in dirtyContacts {
            if let contact = contacts[id] { try SQLiteContactDirectory.write(contact, in: db) }
        }
        dirtyContacts.removeAll(keepingCapacity: true)
        dirtyContactSet.removeAll(keepingCapacity: true)
    }

    /// Writes the dirty enrollments and the enrollment counter.
    func flushEnrollments(_ db: Database) throws {
        if nextEnrollmentIsDirty, let nextEnrollment {
            try db.setMeta("next_enrollment", nextEnrollment)
            nextEnrollmentIsDirty = false
        }
        guard !dirtyEnrollments.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        for id in dirtyEnrollments {
            guard let enrollment = enrollments[id], let instant = savedAt[id] else { continue }
            bytes.removeAll(keepingCapacity: true)
            enrollmentWriter.append(enrollment, to: &bytes)
            try SQLiteEnrollmentStore.write(enrollment, text: String(decoding: bytes, as: UTF8.self), at: instant, in: db)
        }
        dirtyEnrollments.removeAll(keepingCapacity: true)
        savedAt.removeAll(keepingCapacity: true)
        dirtyByContact.removeAll(keepingCapacity: true)
        dirtyWakes.removeAll(keepingCapacity: true)
        dirtyOrders.removeAll(keepingCapacity: true)
    }

    /// Forgets every kept row and the counter, written or not (after a rollback).
    func discard() {
        contacts.removeAll()
        dirtyContacts.removeAll()
        dirtyContactSet.removeAll()
        enrollments.removeAll()
        dirtyEnrollments.removeAll()
        savedAt.removeAll()
        dirtyByContact.removeAll()
        dirtyWakes.removeAll()
        dirtyOrders.removeAll()
        nextEnrollment = nil
        nextEnrollmentIsDirty = false
        enrollmentWriter.removeAll()
        detailsText.removeAll()
    }
}
