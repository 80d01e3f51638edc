/// The table that classes gateway decline codes and Mastercard merchant advice codes
/// (Docs/dunning.md, "Declines"), and the rule that picks the class of one decline.
///
/// ```swift
/// let decline = DeclineTable.standard.classify(code: "do_not_honor", adviceCode: "25", settings: DeclineSettings())
/// // decline.declineClass == .retryAfter, decline.retryAfter == .hours(24)
/// ```
public struct DeclineTable: Hashable, Sendable {
    /// What a row matches.
    public enum Key: Hashable, Sendable, CustomStringConvertible {
        /// A gateway decline code, lower case (`insufficient_funds`, Visa's `05`, `r0`).
        case code(String)
        /// A Mastercard merchant advice code, two digits (`"25"`).
        case advice(String)

        /// `code insufficient_funds`, `advice 25`: the `reason` of a decline this row decided.
        public var description: String {
            switch self {
            case .code(let code): "code \(code)"
            case .advice(let advice): "advice \(advice)"
            }
        }
    }

    /// One row: what it matches, the class, for `retry-after` the wait, and where the fact comes from.
    public struct Row: Hashable, Sendable {
        /// What the row matches.
        public var key: Key
        /// The class.
        public var declineClass: DeclineClass
        /// For `retry-after`: how long after the decline the next attempt comes.
        public var retryAfter: PolicyDuration?
        /// The source of the fact, for Docs/dunning.md's table.
        public var source: String

        /// Creates a row.
        public init(_ key: Key, _ declineClass: DeclineClass, retryAfter: PolicyDuration? = nil, source: String) {
            self.key = key
            self.declineClass = declineClass
            self.retryAfter = retryAfter
            self.source = source
        }
    }

    /// The rows, advice codes first, then codes (each key once).
    public let rows: [Row]
    private let byKey: [Key: Row]

    /// Creates a table; a key listed twice keeps its first row.
    public init(rows: [Row]) {
        self.rows = rows
        var byKey: [Key: Row] = [:]
        for row in rows where byKey[row.key] == nil { byKey[row.key] = row }
        self.byKey = byKey
    }

    /// Two tables are equal when their rows are.
    public static func == (lhs: DeclineTable, rhs: DeclineTable) -> Bool { lhs.rows == rhs.rows }

    /// Hashes the rows.
    public func hash(into hasher: inout Hasher) { hasher.combine(rows) }

    /// The row of a key, if the table has one.
    public func row(_ key: Key) -> Row? { byKey[key] }

    /// Classes one decline. The first rule that knows the decline decides:
    ///
    /// 1. the policy's `declines.codes` (reason `policy`);
    /// 2. the Mastercard merchant advice code, when the table has it (reason `advice 25`):
    ///    24–30 retry after 1 hour, 24 hours, 2, 4, 6, 8, 10 days; 03, 04, 21 hard; 01 update-required; 02 soft;
    /// 3. the decline code (reason `code insufficient_funds`);
    /// 4. the policy's `declines.unknown`, `soft` by default (reason `unknown`).
    ///
    /// The code is compared in ASCII lower case (`Do_Not_Honor` is `do_not_honor`) and kept so in the result.
    public func classify(code: String, adviceCode: String?, settings: DeclineSettings) -> Decline {
        let code = Self.lowercased(code)
        if let policyClass = settings.codes[code] {
            return Decline(code: code, adviceCode: adviceCode, declineClass: policyClass, reason: "policy")
        }
        if let adviceCode, let row = byKey[.advice(adviceCode)] {
            return Decline(code: code, adviceCode: adviceCode, declineClass: row.declineClass, retryAfter: row.retryAfter, reason: row.key.description)
        }
        if let row = byKey[.code(code)] {
            return Decline(code: code, adviceCode: adviceCode, declineClass: row.declineClass, retryAfter: row.retryAfter, reason: row.key.description)
        }
        return Decline(code: code, adviceCode: adviceCode, declineClass: settings.unknown, reason: "unknown")
    }

    /// ASCII lower case (other characters kept).
    static func lowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { (65...90).contains($0) }) else { return text }
        return String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// The standard table of Docs/dunning.md, "Declines".
    public static let standard: DeclineTable = {
        let mastercard = "Mastercard merchant advice code"
        var rows: [Row] = [
            Row(.advice("01"), .updateRequired, source: "\(mastercard) 01: new account information available"),
            Row(.advice("02"), .soft, source: "\(mastercard) 02: try again later"),
            Row(.advice("03"), .hard, source: "\(mastercard) 03: do not try again (retrying is charged)"),
            Row(.advice("04"), .hard, source: "\(mastercard) 04: token requirements not met"),
            Row(.advice("21"), .hard, source: "\(mastercard) 21: payment cancelled (retrying is charged)"),
        ]
        let waits: [(String, PolicyDuration, String)] = [
            ("24", .hours(1), "1 hour"), ("25", .hours(24), "24 hours"), ("26", .days(2), "2 days"), ("27", .days(4), "4 days"),
            ("28", .days(6), "6 days"), ("29", .days(8), "8 days"), ("30", .days(10), "10 days"),
        ]
        for (advice, wait, words) in waits {
            rows.append(Row(.advice(advice), .retryAfter, retryAfter: wait, source: "\(mastercard) \(advice): retry after \(words)"))
        }
        let visa = "Visa category 1 (issuer will never approve)"
        for code in ["04", "07", "12", "14", "15", "41", "43", "46", "57", "r0", "r1", "r3"] {
            rows.append(Row(.code(code), .hard, source: "\(visa): \(code.uppercased())"))
        }
        let hard: [(String, String)] = [
            ("lost_card", "lost card"), ("stolen_card", "stolen card"), ("pickup_card", "pick up card"),
            ("incorrect_number", "incorrect number"), ("invalid_account", "invalid or closed account"),
            ("do_not_try_again", "do not try again"), ("revocation_of_authorization", "revocation of authorization"),
            ("transaction_not_allowed", "transaction not allowed"), ("authentication_required", "authentication required"),
        ]
        for (code, words) in hard { rows.append(Row(.code(code), .hard, source: "hard decline: \(words) (the issuer will never approve)")) }
        let soft: [(String, String)] = [
            ("insufficient_funds", "insufficient funds"), ("do_not_honor", "do not honor"), ("exceeds_limit", "exceeds limit"),
            ("card_velocity_exceeded", "exceeds limit (velocity)"), ("issuer_unavailable", "issuer unavailable"),
            ("processing_error", "processing error"), ("try_again_later", "try again later"), ("suspected_fraud", "suspected fraud"),
        ]
        for (code, words) in soft { rows.append(Row(.code(code), .soft, source: "soft decline: \(words) (Visa category 2: retry later)")) }
        rows.append(Row(.code("expired_card"), .updateRequired, source: "expired card: no retry until the card is updated"))
        return DeclineTable(rows: rows)
    }()
}
