public import PurchaseActionsCore

/// What templates know of the account: the company (`{{company.Name}}`) and its users, one of whom
/// may own a contact (`{{owner.Email}}`).
///
/// ```swift
/// let profile = AccountProfile(company: ["Name": "Acme Coffee"], users: ["user-ann": ["FirstName": "Ann", "Email": "ann@acme.example"]])
/// let engine = try Engine(Automation(workflows: workflows, account: profile), start: start)
/// ```
///
/// An export knows the account's name and its users' names and emails: `init(_:)` of a `LegacyAccount` reads them (and of an `AccountFile`, an import's `account.json`).
/// Without a profile, `owner.*` and `company.*` render as empty text, as any missing field does.
public struct AccountProfile: Hashable, Sendable {
    /// Company merge fields by name: `Name`, and whatever else the account has.
    public var company: [String: String]
    /// Each user's merge fields (`Id`, `Name`, `FirstName`, `LastName`, `Email`, ...) by user id.
    public var users: [String: [String: String]]

    /// Creates a profile; by default it knows nothing.
    public init(company: [String: String] = [:], users: [String: [String: String]] = [:]) {
        self.company = company
        self.users = users
    }

    /// The profile an export gives: the account's name as `company.Name`; each user's `Id`, `Name`,
    /// `Email`, and `FirstName` / `LastName` from the name split at its first space.
    public init(_ account: LegacyAccount) {
        company = ["Name": account.settings.name]
        users = account.catalogue.users.mapValues { user in
            let parts = user.name.split(separator: " ", maxSplits: 1)
            return [
                "Id": user.id, "Name": user.name, "Email": user.email,
                "FirstName": parts.first.map(String.init) ?? "", "LastName": parts.count > 1 ? String(parts[1]) : "",
            ]
        }
    }

    /// The merge fields of a contact's owner (none when the contact has no owner or it is unknown).
    func owner(of contact: Contact) -> [String: String] {
        contact.ownerID.flatMap { users[$0] } ?? [:]
    }
}
