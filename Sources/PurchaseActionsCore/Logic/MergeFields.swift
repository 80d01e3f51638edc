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
            // Most texts have none: no set to build.
            guard uses.contains(where: { $0.modern == nil }) else { return [] }
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
        // Text with no tilde and no `{{` or `}}` in its bytes holds neither as characters either:
        // it is its own translation. Other ASCII text is translated on its bytes (its characters
        // are its bytes, but for CR LF, which is neither a tilde, a brace nor a letter); the rest
        // character by character (`translateCharacters`), where a tilde or brace may carry a
        // combining mark and letters are Unicode's (Benchmarks/README.md, "Import throughput").
        var utf8 = text
        let fast: Translation?? = utf8.withUTF8 { bytes -> Translation? in
            var hasTilde = false
            var hasBraces = false
            var isASCII = true
            var previous: UInt8 = 0
            for byte in bytes {
                if byte == UInt8(ascii: "~") { hasTilde = true }
                if byte == previous, byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") { hasBraces = true }
                if byte >= 0x80 { isASCII = false }
                previous = byte
            }
            if !hasTilde, !hasBraces { return Translation(text: text, uses: [], hasLiteralBraces: false) }
            guard isASCII else { return nil }
            guard hasTilde else { return Translation(text: text, uses: [], hasLiteralBraces: true) }
            return translateASCII(bytes, hasLiteralBraces: hasBraces, customFields: customFields)
        }
        if let fast, let translation = fast { return translation }
        return translateCharacters(text, customFields: customFields)
    }

    /// ``translate(_:customFields:)`` of ASCII text, on its bytes.
    private static func translateASCII(_ bytes: UnsafeBufferPointer<UInt8>, hasLiteralBraces: Bool, customFields: Set<String>) -> Translation {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var uses: [Use] = []
        var index = 0
        let tilde = UInt8(ascii: "~")
        while index < bytes.count {
            guard let open = (index..<bytes.count).first(where: { bytes[$0] == tilde }) else { break }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<open]))
            guard let close = (open + 1..<bytes.count).first(where: { bytes[$0] == tilde }) else {
                index = open
                break
            }
            let inside = UnsafeBufferPointer(rebasing: bytes[(open + 1)..<close])
            // `Table.Field`: two non-empty parts of letters, digits and `_`.
            let dot = inside.firstIndex(of: UInt8(ascii: "."))
            let isField =
                dot.map { dot in
                    dot > 0 && dot < inside.count - 1
                        && inside.indices.allSatisfy { position in
                            let byte = inside[position]
                            return position == dot
                                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
                        }
                } ?? false
            guard isField, let dot else {
                // A lone tilde: plain text. Keep it and go on from the next character.
                output.append(tilde)
                index = open + 1
                continue
            }
            let table = String(decoding: UnsafeBufferPointer(rebasing: inside[..<dot]), as: UTF8.self)
            let field = String(decoding: UnsafeBufferPointer(rebasing: inside[(dot + 1)...]), as: UTF8.self)
            let legacy = String(decoding: UnsafeBufferPointer(rebasing: bytes[open...close]), as: UTF8.self)
            let isKnown =
                (table == "Contact" && field.hasPrefix("_")) ? customFields.contains(field) : (known[table]?.contains(field) ?? false)
            if isKnown {
                var modern = "{{"
                modern += table.lowercased()
                modern += "."
                modern += field
                modern += "}}"
                output.append(contentsOf: modern.utf8)
                uses.append(Use(legacy: legacy, modern: modern))
            } else {
                output.append(contentsOf: legacy.utf8)
                uses.append(Use(legacy: legacy, modern: nil))
            }
            index = close + 1
        }
        if index < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index...])) }
        return Translation(text: String(decoding: output, as: UTF8.self), uses: uses, hasLiteralBraces: hasLiteralBraces)
    }

    /// ``translate(_:customFields:)`` character by character: the reference the byte paths give
    /// the same translation as (`MergeFieldsFastPathTests`), and the path for text that is not ASCII.
    static func translateCharacters(_ text: String, customFields: Set<String> = []) -> Translation {
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
