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
    private(set) var detailsText: [String: String] = [:]
    /// The entries of ``detailsText`` set since ``takeNewDetails()`` last took them, in order.
    private var newDetails: [(String, String)] = []
    /// Whether a key of ``detailsText`` was set again with another text since ``forgetDetails()``:
    /// a log composed while the events ran (``LogStream``) may then have taken the old text, so the
    /// runtime composes that log again from the records.
    private(set) var detailsRewritten = false
    /// Writes the enrollments' text, the text of the events they share made once (forgotten at ``discard()``).
    private var enrollmentWriter = EnrollmentJSONWriter()

    /// Lends the transaction's database to the ports.
    func attach(_ db: Database) {
        database = db
        failure = nil
        forgetStatements()
        discard()
    }

    /// Takes the database back.
    func detach() {
        database = nil
        forgetStatements()
        discard()
    }

    // MARK: Statements run at every event

    /// The statements the ports run at every event (several times for some).
    enum Hot: Int, CaseIterable {
        case contactByID, contactWrite, enrollmentWrite, outboxInsert, processedInsert, runningInAll, runningInWorkflow
    }

    /// The statements of ``Hot`` taken from GRDB's cache in this transaction, by raw value: GRDB
    /// finds a cached statement by hashing its whole SQL text at each use, about 4 % of the commit
    /// thread. Forgotten at ``attach(_:)`` and ``detach()``, so none outlives its transaction (a
    /// schema change between transactions renews GRDB's cache).
    private var hotStatements = [Statement?](repeating: nil, count: Hot.allCases.count)

    /// The statement `which` of the attached transaction, `sql` taken from GRDB's cache at its first use.
    func statement(_ which: Hot, sql: @autoclosure () -> String, in db: Database) throws -> Statement {
        if let kept = hotStatements[which.rawValue] { return kept }
        let statement = try db.cachedStatement(sql: sql())
        hotStatements[which.rawValue] = statement
        return statement
    }

    private func forgetStatements() {
        for index in hotStatements.indices { hotStatements[index] = nil }
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

    // MARK: Effects' details

    /// Keeps the compact text of an external effect's details as the outbox took it, for the log.
    func setDetails(_ key: String, _ text: String) {
        if let old = detailsText.updateValue(text, forKey: key), old != text { detailsRewritten = true }
        newDetails.append((key, text))
    }

    /// The details set since this was last called, in order (then none).
    func takeNewDetails() -> [(String, String)] {
        defer { newDetails.removeAll(keepingCapacity: true) }
        return newDetails
    }

    /// Forgets the details kept (after the log that used them was written or composed).
    func forgetDetails() {
        detailsText.removeAll(keepingCapacity: true)
        newDetails.removeAll(keepingCapacity: true)
        detailsRewritten = false
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

    /// Writes the dirty contacts. A contact read from its row before (kept in ``storedContacts``)
    /// is kept again as written, with its match key: made again only when the first name, last
    /// name or email changed. A new contact is not kept (most are not read again soon: keeping
    /// them cost more than it saved when every event brings a new contact).
    func flushContacts(_ db: Database) throws {
        guard !dirtyContacts.isEmpty else { return }
        for id in dirtyContacts {
            guard let contact = contacts[id] else { continue }
            let text = contact.compactJSONText
            let kept = storedContacts[id] != nil
            let key = (kept ? sameMatchKey(contact) : nil) ?? SQLiteContactDirectory.key(contact)
            try SQLiteContactDirectory.write(contact, key: key, text: text, in: db, context: self)
            if kept { remember(StoredContact(text: text, contact: contact, key: key)) }
        }
        dirtyContacts.removeAll(keepingCapacity: true)
        dirtyContactSet.removeAll(keepingCapacity: true)
    }

    /// Writes the dirty enrollments and the enrollment counter.
    func flushEnrollments(_ db: Database) throws {
        // The rows change: the next search for a wake-up starts at the start.
        wakeScanFrom = nil
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
            try SQLiteEnrollmentStore.write(enrollment, utf8: bytes, at: instant, in: db, context: self)
        }
        dirtyEnrollments.removeAll(keepingCapacity: true)
        savedAt.removeAll(keepingCapacity: true)
        dirtyByContact.removeAll(keepingCapacity: true)
        dirtyWakes.removeAll(keepingCapacity: true)
        dirtyOrders.removeAll(keepingCapacity: true)
    }

    /// Forgets every kept row and the counter, written or not (after a rollback); the
    /// collections keep their capacity (the next transaction fills them again).
    func discard() {
        contacts.removeAll(keepingCapacity: true)
        dirtyContacts.removeAll(keepingCapacity: true)
        dirtyContactSet.removeAll(keepingCapacity: true)
        enrollments.removeAll(keepingCapacity: true)
        dirtyEnrollments.removeAll(keepingCapacity: true)
        savedAt.removeAll(keepingCapacity: true)
        dirtyByContact.removeAll(keepingCapacity: true)
        dirtyWakes.removeAll(keepingCapacity: true)
        dirtyOrders.removeAll(keepingCapacity: true)
        nextEnrollment = nil
        nextEnrollmentIsDirty = false
        enrollmentWriter.removeAll()
        forgetDetails()
        wakeScanFrom = nil
    }

    // MARK: The next wake-up

    /// In `(wake_at, sequence)` order, every row of the wake-up index before this place belongs
    /// to an enrollment kept dirty (its row stale: fired, resumed or moved in this transaction),
    /// so the next search starts here instead of stepping over them again: firing 1,000 wake-ups
    /// in one transaction stepped over half a million stale rows, half of its time. The table's
    /// rows change only at a flush and the dirty ids only grow until then: forgotten at each
    /// flush and at ``discard()``.
    private var wakeScanFrom: (wakeAt: Int64, sequence: Int64)?

    /// The earliest wake-up at or before `instant` of the table's rows whose enrollment is not kept
    /// dirty: its time, id and sequence (the partial index `enrollment_wake`).
    func storedNextWakeUp(atOrBefore instant: Instant, in db: Database) throws -> (Instant, String, Int64)? {
        var select: RowBinding
        if let from = wakeScanFrom {
            select = RowBinding(
                try db.cachedStatement(
                    sql: """
                        SELECT wake_at, id, sequence FROM enrollment WHERE wake_at IS NOT NULL AND wake_at <= ? AND (wake_at, sequence) >= (?, ?)
                        ORDER BY wake_at, sequence
                        """))
            select.bind(instant.millisecondsSinceEpoch, 1)
            select.bind(from.wakeAt, 2)
            select.bind(from.sequence, 3)
        } else {
            select = RowBinding(
                try db.cachedStatement(sql: "SELECT wake_at, id, sequence FROM enrollment WHERE wake_at IS NOT NULL AND wake_at <= ? ORDER BY wake_at, sequence"))
            select.bind(instant.millisecondsSinceEpoch, 1)
        }
        defer { select.finish() }
        while try select.step() {
            let wakeAt = select.integer(0) ?? 0
            let sequence = select.integer(2) ?? 0
            let id = select.text(1) ?? ""
            guard isDirty(enrollmentID: id) else {
                wakeScanFrom = (wakeAt, sequence)
                return (Instant(millisecondsSinceEpoch: wakeAt), id, sequence)
            }
            // Every row from the start of the search to this one is stale.
            if sequence < Int64.max { wakeScanFrom = (wakeAt, sequence + 1) }
        }
        return nil
    }

    // MARK: Contacts kept across transactions

    /// A contact as its row held it when last read or written here.
    struct StoredContact {
        /// The row's `json`.
        var text: String
        /// What it decodes to.
        var contact: Contact
        /// The contact's match key (``SQLiteContactDirectory/key(_:)``) once made; `nil` before.
        var key: ContactMatch??
    }

    /// Contacts decoded or written by this and earlier transactions, by id (not forgotten at
    /// ``discard()``): a read whose row holds the same text takes the contact from here instead of
    /// parsing it again. The text is compared with the row's at every read, so a rolled-back
    /// write, a reload or another writer of the file (`SQLiteStore.save(contacts:)`) never makes
    /// it serve a contact the row does not hold. Bounded: emptied when it would pass
    /// ``storedContactLimit`` contacts or ``storedContactTextLimit`` bytes of text.
    private var storedContacts: [String: StoredContact] = [:]
    /// The bytes of text in ``storedContacts``.
    private var storedContactTextBytes = 0
    /// At most this many contacts in ``storedContacts``: 50,000 (a test may lower it).
    var storedContactLimit = 50_000
    /// At most this many bytes of contact text in ``storedContacts``: 32 MiB (a test may lower it).
    var storedContactTextLimit = 32 << 20

    /// The contact whose row `select` is at, its `json` in the 0-based `column`: the one kept when
    /// the row's text is the one kept with it, else decoded (and kept).
    func decodeContact(id: String, at select: RowBinding, column: Int32) throws -> Contact {
        if let kept = storedContacts[id], select.text(column, equals: kept.text) { return kept.contact }
        let text = select.text(column) ?? ""
        let contact = try Contact(json: JSONValue.parse(text))
        remember(StoredContact(text: text, contact: contact, key: nil))
        return contact
    }

    /// The match key kept with the contact's stored version, when its first name, last name and
    /// email are the same (the key is made from those three alone).
    func sameMatchKey(_ contact: Contact) -> ContactMatch?? {
        guard let kept = storedContacts[contact.id], let key = kept.key else { return nil }
        let old = kept.contact.fields, new = contact.fields
        guard old["FirstName"] == new["FirstName"], old["LastName"] == new["LastName"], old["Email"] == new["Email"] else { return nil }
        return .some(key)
    }

    /// Keeps a contact as its row holds it (its key kept from the version before when the names did not change).
    private func remember(_ stored: StoredContact) {
        var stored = stored
        if stored.key == nil, let key = sameMatchKey(stored.contact) { stored.key = key }
        let bytes = stored.text.utf8.count
        if let old = storedContacts.removeValue(forKey: stored.contact.id) { storedContactTextBytes -= old.text.utf8.count }
        if storedContacts.count >= storedContactLimit || storedContactTextBytes + bytes > storedContactTextLimit {
            storedContacts.removeAll()
            storedContactTextBytes = 0
        }
        storedContacts[stored.contact.id] = stored
        storedContactTextBytes += bytes
    }

    /// Test hook: how many contacts ``storedContacts`` holds.
    var storedContactCount: Int { storedContacts.count }
}
