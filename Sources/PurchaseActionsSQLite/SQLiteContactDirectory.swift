internal import GRDB
import PurchaseActionsCore
import PurchaseActionsEngine

/// The engine's ``ContactDirectory`` over the `contact` table of the open transaction: contacts
/// as `Contact.json`, the legacy match key (``ContactMatch``) in indexed columns.
final class SQLiteContactDirectory: ContactDirectory {
    private let context: TransactionContext

    init(_ context: TransactionContext) { self.context = context }

    func contact(id: String) -> Contact? {
        if let kept = context.contacts[id] { return kept }
        return context.run(nil) { db in
            var select = RowBinding(try context.statement(.contactByID, sql: "SELECT json FROM contact WHERE id = ?", in: db))
            select.bind(id, 1)
            defer { select.finish() }
            guard try select.step() else { return nil }
            // Parsed again only when the row changed since this runtime last read or wrote it.
            let contact = try context.decodeContact(id: id, at: select, column: 0)
            context.contacts[id] = contact
            return contact
        }
    }

    func match(_ key: ContactMatch) -> Contact? {
        context.run(nil) { db in
            try context.flushContacts(db)
            let sql = "SELECT id, json FROM contact WHERE match_first = ? AND match_last = ? AND match_email = ? ORDER BY created_at, id LIMIT 1"
            guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [key.firstName, key.lastName, key.email]) else { return nil }
            let id: String = (try row.get(0))
            if let kept = context.contacts[id] { return kept }
            let contact = try Contact(json: JSONValue.parse((try row.get(1)) as String))
            context.contacts[id] = contact
            return contact
        }
    }

    /// Kept in the transaction, written at the next flush (``TransactionContext``).
    func save(_ contact: Contact) {
        context.run(()) { _ in context.saveContact(contact) }
    }

    /// Inserts or replaces a contact's row.
    static func write(_ contact: Contact, in db: Database) throws {
        try write(contact, key: Self.key(contact), text: contact.compactJSONText, in: db)
    }

    /// Inserts or replaces a contact's row: `key` is ``key(_:)`` of the contact, `text` its
    /// `compactJSONText`; `context`, when the transaction's, keeps the statement for the next row.
    static func write(_ contact: Contact, key: ContactMatch?, text: String, in db: Database, context: TransactionContext? = nil) throws {
        let sql = """
            INSERT INTO contact (id, created_at, match_first, match_last, match_email, json) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, match_first = excluded.match_first,
                match_last = excluded.match_last, match_email = excluded.match_email, json = excluded.json
            """
        var row = RowBinding(try context?.statement(.contactWrite, sql: sql, in: db) ?? db.cachedStatement(sql: sql))
        row.bind(contact.id, 1)
        row.bind(contact.createdAt.millisecondsSinceEpoch, 2)
        row.bind(key?.firstName, 3)
        row.bind(key?.lastName, 4)
        row.bind(key?.email, 5)
        row.bind(text, 6)
        try row.execute()
    }

    /// `contact-<n>`, the first free from the stored counter (as ``InMemoryContactDirectory`` does).
    func newContactID() -> String {
        context.run("contact-0") { db in
            try context.flushContacts(db)
            var number = try db.meta("next_contact")
            let exists = try db.cachedStatement(sql: "SELECT 1 FROM contact WHERE id = ?")
            while try Bool.fetchOne(exists, arguments: ["contact-\(number)"]) != nil { number = try number.nextCounter("next_contact") }
            try db.setMeta("next_contact", try number.nextCounter("next_contact"))
            return "contact-\(number)"
        }
    }

    /// The match key of a contact with first name, last name and email, as the in-memory directory keys it.
    static func key(_ contact: Contact) -> ContactMatch? {
        guard let first = contact.fields["FirstName"], let last = contact.fields["LastName"], let email = contact.fields["Email"] else { return nil }
        return ContactMatch(firstName: first, lastName: last, email: email)
    }
}

/// The engine's ``EffectSink`` over the `outbox` table: every external effect with an idempotency
/// key becomes a pending row, due at its `deliverAt` or at once (an effect recorded again with the
/// same key is ignored: its row exists).
final class SQLiteEffectSink: EffectSink {
    private let context: TransactionContext

    init(_ context: TransactionContext) { self.context = context }

    func record(_ effect: Effect) {
        guard effect.isExternal, let key = effect.idempotencyKey else { return }
        context.run(()) { db in
            let now = context.clock().millisecondsSinceEpoch
            let details = effect.compactDetailsText
            context.setDetails(key, details)
            var row = RowBinding(
                try context.statement(
                    .outboxInsert,
                    sql: """
                        INSERT INTO outbox (key, kind, details_json, state, attempts, next_attempt_at, last_error, created_at)
                        VALUES (?, ?, ?, 'pending', 0, ?, NULL, ?) ON CONFLICT (key) DO NOTHING
                        """, in: db))
            row.bind(key, 1)
            row.bind(effect.kind, 2)
            row.bind(details, 3)
            row.bind(effect.deliverAt?.millisecondsSinceEpoch ?? now, 4)
            row.bind(now, 5)
            try row.execute()
        }
    }
}
