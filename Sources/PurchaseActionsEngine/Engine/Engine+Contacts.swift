public import PurchaseActionsCore

extension Engine {
    /// The contact with this id, as the engine's directory holds it now (`nil` if none).
    ///
    /// An event names its contact by id, or by first name, last name and email; either way the
    /// contact's id is in every log record about it (`LogRecord.contactID`) and found again here.
    public func contact(id: String) -> Contact? { contacts.contact(id: id) }

    /// The contact an event naming these first name, last name and email would be about: the
    /// oldest contact matching them under the legacy rule (`ContactMatch`: case and white space
    /// ignored), or `nil` when none does (an event would create one).
    ///
    /// ```swift
    /// let dana = engine.contact(matching: ContactMatch(firstName: "Dana", lastName: "Whitfield", email: "dana@example.com"))
    /// let results = try engine.runActionSet("as-masterclass", contactID: dana!.id)
    /// ```
    public func contact(matching key: ContactMatch) -> Contact? { contacts.match(key) }
}
