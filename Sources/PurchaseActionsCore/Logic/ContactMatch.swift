/// The legacy rule for "already a contact": first name, last name and email, all three, compared
/// after normalising (Docs/mapping.md, "Contact matching").
///
/// Each part is trimmed, its runs of white space collapse to one space, and it is lowercased; Swift
/// compares and hashes strings by Unicode canonical equivalence, so `é` written as one code point or
/// as `e` plus a combining accent is the same. Use the value itself as a dictionary key to find matches.
public struct ContactMatch: Hashable, Sendable, Codable {
    /// The normalised first name.
    public let firstName: String
    /// The normalised last name.
    public let lastName: String
    /// The normalised email.
    public let email: String

    /// The match key of a buyer as entered.
    public init(firstName: String, lastName: String, email: String) {
        self.firstName = Self.normalize(firstName)
        self.lastName = Self.normalize(lastName)
        self.email = Self.normalize(email)
    }

    /// Decodes the three parts and normalises them as ``init(firstName:lastName:email:)`` does, so a
    /// match key read from storage finds what a buyer as entered finds. Use the coders' default key
    /// strategies (`.convertToSnakeCase` writes `firstName` as `first_name`).
    /// A member other than the three is refused, as every format's decoder refuses one.
    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: AnyMember.self)
        if let unknown = members.allKeys.first(where: { CodingKeys(stringValue: $0.stringValue) == nil }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: members,
                debugDescription: "'\(DisplayText.escape(unknown.stringValue))' is not a member of a contact match (firstName, lastName, email)")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            firstName: try container.decode(String.self, forKey: .firstName), lastName: try container.decode(String.self, forKey: .lastName),
            email: try container.decode(String.self, forKey: .email))
    }

    private enum CodingKeys: String, CodingKey {
        case firstName, lastName, email
    }

    /// Any member name, to find those that are not ``CodingKeys``.
    private struct AnyMember: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Trimmed, white space collapsed, lowercased.
    public static func normalize(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }

    /// Of several contacts that match, the one the legacy rule picks: the oldest, by the order given
    /// (for example creation time, then id). `nil` when there is none.
    public static func pick<Contact>(
        _ matches: some Sequence<Contact>, olderThan isOlder: (Contact, Contact) -> Bool
    ) -> Contact? {
        matches.min(by: isOlder)
    }
}
