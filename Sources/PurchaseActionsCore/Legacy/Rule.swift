/// A condition on an action: it runs only when all, any or none of the criteria hold.
public struct Rule: Hashable, Sendable, Codable {
    /// How criteria combine.
    public enum Match: String, Hashable, Sendable, Codable, CaseIterable {
        /// Every criterion holds.
        case all
        /// At least one criterion holds.
        case any
        /// No criterion holds.
        case none
    }
    /// How criteria combine.
    public var match: Match
    /// The criteria, in document order.
    public var criteria: [Criterion]
    /// Where the rule was.
    public var location: FileLocation
    /// Creates a rule.
    public init(match: Match, criteria: [Criterion], location: FileLocation) {
        self.match = match
        self.criteria = criteria
        self.location = location
    }
}

/// One test of a rule, on a contact field or tag.
public struct Criterion: Hashable, Sendable, Codable {
    /// What is tested.
    public enum Test: Hashable, Sendable, Codable {
        /// A contact field compared with a value.
        case field(name: String, op: FieldOperator, value: String?)
        /// The contact has the tag.
        case hasTag(String)
        /// The contact does not have the tag.
        case lacksTag(String)
    }
    /// What is tested.
    public var test: Test
    /// Where the criterion was.
    public var location: FileLocation
    /// Creates a criterion.
    public init(_ test: Test, location: FileLocation) {
        self.test = test
        self.location = location
    }
}

/// How a rule compares a contact field with a value.
public enum FieldOperator: String, Hashable, Sendable, Codable, CaseIterable {
    /// Equal, ignoring case.
    case equals
    /// Not equal.
    case notEquals = "not-equals"
    /// Contains the value.
    case contains
    /// Does not contain the value.
    case notContains = "not-contains"
    /// Starts with the value.
    case startsWith = "starts-with"
    /// Ends with the value.
    case endsWith = "ends-with"
    /// The field is empty.
    case isEmpty = "is-empty"
    /// The field is not empty.
    case isNotEmpty = "is-not-empty"
    /// Numerically greater.
    case greaterThan = "greater-than"
    /// Numerically less.
    case lessThan = "less-than"
    /// A date before the value.
    case before
    /// A date after the value.
    case after

    /// Whether the operator compares with a value (all but the emptiness tests).
    public var takesValue: Bool { self != .isEmpty && self != .isNotEmpty }
}

/// The standard contact fields a rule or `set-field` may name; custom fields start with `_`.
public enum ContactFields: Sendable {
    /// Standard field names, as the legacy API spells them.
    public static let standard: Set<String> = [
        "FirstName", "LastName", "Email", "EmailAddress2", "Phone1", "Company", "JobTitle", "StreetAddress1",
        "StreetAddress2", "City", "State", "PostalCode", "Country", "ContactType", "Leadsource", "Birthday",
        "DateCreated", "OwnerID",
    ]
}
