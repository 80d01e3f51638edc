/// Legacy merge fields (`~Contact.FirstName~`) turned into the modern template syntax
/// (`{{contact.FirstName}}`), which templates render with Mustache.
///
/// Known fields map to `{{table.Field}}` with the table lowercased and the field kept as written, so
/// `~Contact._ShirtSize~` becomes `{{contact._ShirtSize}}`. A field the legacy system is not known to
/// have is kept exactly as written and reported, so nothing is silently dropped or guessed.
public enum MergeFields: Sendable {
    /// One merge field found in a text.
    public struct Use: Hashable, Sendable, Codable {
        /// The field as written, with its tildes: `~Contact.FirstName~`.
        public var legacy: String
        /// The modern form, or nil when the field is unknown and was kept as written.
        public var modern: String?
    }

    /// A translated text and the merge fields it held, in order.
    public struct Translation: Hashable, Sendable, Codable {
        /// The text in the modern syntax.
        public var text: String
        /// Every merge field found, in order of appearance.
        public var uses: [Use]
        /// Whether the legacy text itself held `{{` or `}}`, which Mustache would read as a tag; the
        /// compiler must escape it (a set-delimiter tag) or report it.
        public var hasLiteralBraces: Bool
        /// The merge fields kept as written because they are unknown.
        /// Each once, in the order first used.
        public var unknown: [String] {
            var seen: Set<String> = []
            return uses.filter { $0.modern == nil && seen.insert($0.legacy).inserted }.map(\.legacy)
        }
    }

    /// The fields each legacy table is known to offer (custom contact fields, `_Name`, are always known
    /// when declared). From the legacy API's published table fields.
    public static let known: [String: Set<String>] = [
        "Contact": ContactFields.standard.union(["Id", "Phone2", "Fax1", "Website", "Title", "MiddleName", "Nickname", "Suffix"]),
        "Owner": ["FirstName", "LastName", "Email", "Phone1", "Signature", "Title"],
        "Company": ["Company", "StreetAddress1", "StreetAddress2", "City", "State", "PostalCode", "Country", "Phone1", "Email", "Website"],
        "Date": ["Current"],
    ]

    /// Translates a text; `customFields` are the declared custom field names (`_ShirtSize`).
    public static func translate(_ text: String, customFields: Set<String> = []) -> Translation {
        var output = ""
        var uses: [Use] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "~") {
            output += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "~") else {
                output += rest[open...]
                rest = rest[rest.endIndex...]
                break
            }
            let inside = rest[afterOpen..<close]
            let parts = inside.split(separator: ".", omittingEmptySubsequences: false)
            let isField = parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
            guard isField else {
                // A lone tilde: plain text. Keep it and go on from the next character.
                output += "~"
                rest = rest[afterOpen...]
                continue
            }
            let table = String(parts[0])
            let field = String(parts[1])
            let legacy = "~\(inside)~"
            let isKnown =
                (table == "Contact" && field.hasPrefix("_")) ? customFields.contains(field) : (known[table]?.contains(field) ?? false)
            if isKnown {
                let modern = "{{\(table.lowercased()).\(field)}}"
                output += modern
                uses.append(Use(legacy: legacy, modern: modern))
            } else {
                output += legacy
                uses.append(Use(legacy: legacy, modern: nil))
            }
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return Translation(text: output, uses: uses, hasLiteralBraces: text.contains("{{") || text.contains("}}"))
    }
}
