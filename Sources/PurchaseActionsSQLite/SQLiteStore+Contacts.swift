internal import GRDB
import PurchaseActionsCore
public import PurchaseActionsEngine

extension SQLiteStore {
    /// Adds or replaces contacts in one transaction (an app's existing contacts, before its first
    /// events), indexed by id and by the legacy match key as the engine's saves are.
    ///
    /// ```swift
    /// try store.save(contacts: [Contact(id: "c-1", fields: ["Email": "a@example.com"], createdAt: now)])
    /// ```
    public func save(contacts: [Contact]) throws(StoreError) {
        try write("save \(contacts.count) contacts") { db in
            for contact in contacts { try SQLiteContactDirectory.write(contact, in: db) }
        }
    }

    /// The stored contact with this id.
    public func contact(id: String) throws(StoreError) -> Contact? {
        try read("read contact '\(DisplayText.escape(id))'") { db in
            let context = TransactionContext()
            context.attach(db)
            defer { context.detach() }
            let contact = SQLiteContactDirectory(context).contact(id: id)
            try context.check()
            return contact
        }
    }
}
