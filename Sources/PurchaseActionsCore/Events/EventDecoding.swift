/// Decoders for the parts of an event.
enum EventDecoding {
    /// Whether every UTF-8 byte of `text` passes, read from contiguous storage (a fraction of the
    /// cost of `utf8.allSatisfy` on short text).
    @inline(__always)
    static func allBytes(_ text: String, _ test: (UInt8) -> Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where !test(byte) { return false }
            return true
        }
    }

    /// An event, contact, order or other non-catalogue id: 1 to 200 printable ASCII characters, no spaces.
    static func key(_ value: JSONValue, at path: JSONPath, maximum: Int = 200, what: String = "an id") throws(JSONError) -> String {
        let text = try value.string(at: path)
        try checkKey(text, at: path, maximum: maximum, what: what)
        return text
    }

    /// ``key(_:at:maximum:what:)``'s rule on text (the decoder's check and `Event.validate`'s).
    static func checkKey(_ text: String, at path: @autoclosure () -> JSONPath, maximum: Int = 200, what: String = "an id") throws(JSONError) {
        let count = text.utf8.count
        guard count >= 1, count <= maximum, allBytes(text, { $0 > 0x20 && $0 < 0x7F }) else {
            throw JSONError(.invalidValue, "\(what) is 1 to \(maximum) printable ASCII characters with no spaces", at: path())
        }
    }

    /// A name part of a contact: some text that is not only white space, at most 255 characters
    /// (Unicode scalars, as JSON Schema's `maxLength` counts), with no control character.
    static func name(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> String {
        let text = try value.string(at: path)
        try checkName(text, at: path)
        return text
    }

    /// ``name(_:at:)``'s rule on text.
    static func checkName(_ text: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        try checkHeaderText(text, at: path(), what: "a name")
        guard text.unicodeScalars.count <= 255, text.contains(where: { !$0.isWhitespace }) else {
            throw JSONError(.invalidValue, "a name is 1 to 255 characters and not only white space", at: path())
        }
    }

    /// Text an event gives that may be merged into an email header or a report line (names,
    /// email, field values): refused when it holds a control character (``isHeaderBreaking(_:)``),
    /// so `Bob\r\nBcc: ...` can never become a second header.
    static func headerText(_ value: JSONValue, at path: JSONPath, what: String) throws(JSONError) -> String {
        let text = try value.string(at: path)
        try checkHeaderText(text, at: path, what: what)
        return text
    }

    /// ``headerText(_:at:what:)``'s rule on text.
    static func checkHeaderText(_ text: String, at path: @autoclosure () -> JSONPath, what: String) throws(JSONError) {
        // Most text is printable ASCII: one pass over the bytes, scalars only when one is not.
        guard !text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 }) else { return }
        if let bad = text.unicodeScalars.first(where: isHeaderBreaking) {
            throw JSONError(
                .invalidValue, "\(what) may not hold a control character or line break (found U+\(hex(bad.value)) at character \(position(of: bad, in: text)))",
                at: path())
        }
    }

    /// C0 controls other than tab (U+0000–U+0008, U+000A–U+001F: NUL, line feed, carriage return,
    /// escape, ...), DEL, and the Unicode line breaks U+0085, U+2028 and U+2029. Tab is white space
    /// inside a header line, which it cannot end, and names may hold it (ContactMatch collapses it).
    static func isHeaderBreaking(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar.value != 0x09) || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// Text of at most `maximum` characters (Unicode scalars, as JSON Schema's `maxLength` counts).
    static func bounded(_ text: String, _ maximum: Int, at path: @autoclosure () -> JSONPath, what: String) throws(JSONError) -> String {
        guard text.utf8.count <= maximum || text.unicodeScalars.count <= maximum else {
            throw JSONError(.invalidValue, "\(what) is at most \(maximum) characters (found \(text.unicodeScalars.count))", at: path())
        }
        return text
    }

    /// An integer from `range`, the format's documented bounds.
    @discardableResult
    static func integer(_ value: Int, _ range: ClosedRange<Int>, at path: @autoclosure () -> JSONPath, what: String) throws(JSONError) -> Int {
        guard value >= range.lowerBound, value <= range.upperBound else {
            throw JSONError(.invalidValue, "\(what) is \(range.lowerBound) to \(range.upperBound) (found \(value))", at: path())
        }
        return value
    }

    private static func hex(_ value: UInt32) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    private static func position(of scalar: Unicode.Scalar, in text: String) -> Int {
        (text.unicodeScalars.firstIndex(of: scalar).map { text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: $0) } ?? 0) + 1
    }

    /// A catalogue id, spelled as in the export.
    static func catalogueID(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> String {
        let text = try value.string(at: path)
        try checkCatalogueID(text, at: path)
        return text
    }

    /// ``catalogueID(_:at:)``'s rule on text.
    static func checkCatalogueID(_ text: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard StableID.isValid(text) else {
            throw JSONError(.invalidValue, "'\(text)' is not a catalogue id (1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)", at: path())
        }
    }

    /// The most members `contact.fields` may have.
    static let maximumFields = 200
    /// The most ids `contact.tags` may list.
    static let maximumTags = 1000
    /// The most names `changed` may list.
    static let maximumChanged = 200

    /// The schema's shape of a zone name: parts of `A-Z a-z 0-9 _ + -` joined by `/`, at most 64 bytes.
    static func isZoneShape(_ zone: String) -> Bool {
        let parts = zone.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return zone.utf8.count <= 64
            && parts.allSatisfy { part in
                !part.isEmpty
                    && part.allSatisfy {
                        (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "+")
                            || $0 == UInt8(ascii: "-")
                    }
            }
    }

    /// The standard fields an event's `fields` may set (Docs/events.md, `contact`).
    static let settableFields: Set<String> = [
        "Birthday", "City", "Company", "ContactType", "Country", "EmailAddress2", "JobTitle", "Leadsource", "OwnerID", "Phone1", "PostalCode",
        "State", "StreetAddress1", "StreetAddress2",
    ]

    /// `_` and 1 to 63 of `A-Z a-z 0-9 _`.
    static func isCustomField(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return bytes.first == UInt8(ascii: "_") && (2...64).contains(bytes.count)
            && bytes.dropFirst().allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 95 }
    }

    /// A name in `changed`: a contact field.
    static func checkChangedName(_ name: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard settableFields.contains(name) || ["FirstName", "LastName", "Email"].contains(name) || isCustomField(name) else {
            throw JSONError(.invalidValue, "'\(name)' is not a contact field", at: path())
        }
    }

    /// `changed` as a whole: 1 to ``maximumChanged`` names, each once.
    static func checkChangedList(_ changed: [String], at path: @autoclosure () -> JSONPath) throws(JSONError) {
        if changed.isEmpty || changed.count > maximumChanged || Set(changed).count != changed.count {
            throw JSONError(.invalidValue, "changed lists 1 to \(maximumChanged) fields, each once", at: path())
        }
    }

    /// One `@` with text on both sides and no white space inside (surrounding space is trimmed), and
    /// no control character, separator, bidi mark or U+FEFF (`DisplayText.isControl`), as the
    /// addresses of exports and workflow files.
    static func isEmailAddress(_ text: String) -> Bool {
        let trimmed = text.trimmingWhitespace
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && !$0.contains(where: \.isWhitespace) }
            && !trimmed.unicodeScalars.contains(where: DisplayText.isControl)
    }

    static func contact(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> ContactReference {
        var object = try JSONObjectReader(value, at: path)
        var contact = ContactReference()
        contact.id = try object.optional("id").map { value throws(JSONError) in try key(value, at: path.member("id")) }
        contact.firstName = try object.optional("firstName").map { value throws(JSONError) in try name(value, at: path.member("firstName")) }
        contact.lastName = try object.optional("lastName").map { value throws(JSONError) in try name(value, at: path.member("lastName")) }
        contact.email = try object.optional("email").map { value throws(JSONError) in
            let text = try value.string(at: path.member("email"))
            try checkEmailText(text, at: path.member("email"))
            return text
        }
        contact.timezone = try object.optionalString("timezone")
        if let zone = contact.timezone { try checkZone(zone, at: path.member("timezone")) }
        if let fields = object.optional("fields") {
            var reader = try JSONObjectReader(fields, at: path.member("fields"))
            try checkFieldCount(reader.members.count, at: path.member("fields"))
            for name in reader.members.keys.sorted() {
                try checkFieldName(name, at: path.member("fields"))
                let value = try reader.required(name).string(at: path.member("fields").member(name))
                try checkFieldValue(value, at: path.member("fields").member(name))
                contact.fields[name] = value
            }
        }
        contact.tags = try object.optionalArray("tags") { value, path throws(JSONError) in try catalogueID(value, at: path) } ?? []
        try checkTagList(contact.tags, at: path.member("tags"))
        try object.finish()
        try checkNaming(contact, at: path)
        return contact
    }

    /// The rules of an email address's text: no control character, at most 254 characters (its
    /// shape is checked with the names, ``checkNaming(_:at:)``).
    static func checkEmailText(_ text: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        try checkHeaderText(text, at: path(), what: "an email address")
        _ = try bounded(text, 254, at: path(), what: "an email address")
    }

    /// A contact's timezone: an IANA name of the schema's shape.
    static func checkZone(_ zone: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard TimeZoneRules.isValidName(zone), isZoneShape(zone) else {
            throw JSONError(.invalidValue, "'\(zone)' is not an IANA timezone name such as Europe/Dublin", at: path())
        }
    }

    /// One member of `contact.fields` (`fields` is the path of the object): a field an event may
    /// set, and a value of at most 10,000 characters with no control character.
    static func checkField(_ name: String, _ value: String, at fields: @autoclosure () -> JSONPath) throws(JSONError) {
        try checkFieldName(name, at: fields())
        try checkFieldValue(value, at: fields().member(name))
    }

    /// At most ``maximumFields`` members in `contact.fields`.
    static func checkFieldCount(_ count: Int, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard count <= maximumFields else {
            throw JSONError(.invalidValue, "an event sets at most \(maximumFields) fields (found \(count))", at: path())
        }
    }

    /// A field an event may set: a settable standard field or a custom `_` field.
    static func checkFieldName(_ name: String, at fields: @autoclosure () -> JSONPath) throws(JSONError) {
        guard settableFields.contains(name) || isCustomField(name) else {
            throw JSONError(
                .unknownMember, "'\(name)' is not a contact field an event may set (names, email and DateCreated have their own members)",
                at: fields().member(name))
        }
    }

    /// A field's value: at most 10,000 characters, no control character.
    static func checkFieldValue(_ value: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        try checkHeaderText(value, at: path(), what: "a field value")
        _ = try bounded(value, 10_000, at: path(), what: "a field value")
    }

    /// `contact.tags` as a whole: at most ``maximumTags``, none twice.
    static func checkTagList(_ tags: [String], at path: @autoclosure () -> JSONPath) throws(JSONError) {
        if tags.count > maximumTags {
            throw JSONError(.invalidValue, "an event applies at most \(maximumTags) tags (found \(tags.count))", at: path())
        }
        if tags.count > 1, Set(tags).count != tags.count {
            throw JSONError(.invalidValue, "a tag is listed twice", at: path())
        }
    }

    /// Who a contact reference names: an id, or first name, last name and email together (none
    /// blank), and an email address of the right shape.
    static func checkNaming(_ contact: ContactReference, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        let given = contact.firstName != nil || contact.lastName != nil || contact.email != nil
        let named = given && [contact.firstName, contact.lastName, contact.email].allSatisfy { $0.map { !$0.allSatisfy(\.isWhitespace) } ?? false }
        if given, !named {
            throw JSONError(.invalidValue, "give firstName, lastName and email together, none of them blank", at: path())
        }
        if contact.id == nil, !named { throw JSONError(.missingMember, "a contact needs an id, or firstName, lastName and email", at: path()) }
        if let email = contact.email, !isEmailAddress(email) {
            throw JSONError(.invalidValue, "'\(DisplayText.escape(email, maxScalars: 200))' is not an email address", at: path().member("email"))
        }
    }

    static func order(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Order {
        var object = try JSONObjectReader(value, at: path)
        let id = try key(object.required("id"), at: path.member("id"))
        let source = Order.Source(rawValue: try object.choice("source", Order.Source.allCases.map(\.rawValue)))!
        let lines = try object.array("lines") { value, path throws(JSONError) in try line(value, at: path) }
        try checkLineCount(lines.count, at: path.member("lines"))
        let plan = try object.optional("paymentPlan").map { value throws(JSONError) in try catalogueID(value, at: path.member("paymentPlan")) }
        let chargeMode = Order.ChargeMode(rawValue: try object.choice("chargeMode", Order.ChargeMode.allCases.map(\.rawValue)))!
        let gateway = try object.optionalString("gateway")
        if let gateway { try checkGateway(gateway, at: path.member("gateway")) }
        try object.finish()
        return Order(id: id, source: source, lines: lines, paymentPlan: plan, chargeMode: chargeMode, gateway: gateway)
    }

    /// An order's lines: 1 to 1,000.
    static func checkLineCount(_ count: Int, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard count >= 1, count <= 1000 else { throw JSONError(.invalidValue, "an order has 1 to 1,000 lines", at: path()) }
    }

    /// A gateway: 1 to 64 of lower-case letters, digits and `-`, not starting with `-`.
    static func checkGateway(_ gateway: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        let count = gateway.utf8.count
        if count < 1 || count > 64 || !allBytes(gateway, { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 })
            || gateway.utf8.first == 45
        {
            throw JSONError(.invalidValue, "a gateway is lower-case letters, digits and -, such as stripe or authorize-net", at: path())
        }
    }

    /// A line's quantity: 1 to 1,000,000.
    @discardableResult
    static func checkedQuantity(_ quantity: Int, at path: @autoclosure () -> JSONPath) throws(JSONError) -> Int {
        try integer(quantity, 1...1_000_000, at: path(), what: "a quantity")
    }

    static func line(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Order.Line {
        var object = try JSONObjectReader(value, at: path)
        let line: Order.Line
        if object.has("product") {
            let product = try catalogueID(object.required("product"), at: path.member("product"))
            let option = try object.optional("priceOption").map { value throws(JSONError) in try catalogueID(value, at: path.member("priceOption")) }
            line = Order.Line(
                item: .product(id: product, priceOption: option),
                quantity: try checkedQuantity(object.integer("quantity"), at: path.member("quantity")))
        } else if object.has("subscriptionPlan") {
            let plan = try catalogueID(object.required("subscriptionPlan"), at: path.member("subscriptionPlan"))
            let quantity = try object.optionalInteger("quantity") ?? 1
            line = Order.Line(item: .subscriptionPlan(id: plan), quantity: try checkedQuantity(quantity, at: path.member("quantity")))
        } else {
            throw JSONError(.missingMember, "a line buys a 'product' or a 'subscriptionPlan'", at: path)
        }
        try object.finish()
        return line
    }

    /// A payment's index: 1 to 100,000.
    static func checkPaymentIndex(_ index: Int, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard index >= 1 else { throw JSONError(.invalidValue, "payment index 1 is the first payment", at: path()) }
        guard index <= 100_000 else { throw JSONError(.invalidValue, "a payment index is 1 to 100000 (found \(index))", at: path()) }
    }

    /// An amount in minor units: 0 to 2^53 − 1.
    static func checkMinor(_ minor: Int, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard minor >= 0, minor <= 9_007_199_254_740_991 else {
            throw JSONError(.invalidValue, "an amount is 0 to 2^53 − 1 minor units", at: path())
        }
    }

    /// A currency: three upper-case letters.
    static func checkCurrency(_ currency: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard currency.utf8.count == 3, allBytes(currency, { $0 >= 65 && $0 <= 90 }) else {
            throw JSONError(.invalidValue, "a currency is an ISO 4217 code: three upper-case letters", at: path())
        }
    }

    static func payment(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Payment {
        var object = try JSONObjectReader(value, at: path)
        let index = try object.integer("index")
        try checkPaymentIndex(index, at: path.member("index"))
        var amount = try JSONObjectReader(object.required("amount"), at: path.member("amount"))
        let minor = try amount.integer("minor")
        try checkMinor(minor, at: path.member("amount").member("minor"))
        let currency = try amount.string("currency")
        try checkCurrency(currency, at: path.member("amount").member("currency"))
        try amount.finish()
        let payment = Payment(
            index: index, amount: minor, currency: currency,
            declineCode: try object.optional("declineCode").map { value throws(JSONError) in
                try key(value, at: path.member("declineCode"), maximum: 64, what: "a decline code")
            },
            invoice: try object.optional("invoice").map { value throws(JSONError) in try key(value, at: path.member("invoice")) },
            adviceCode: try object.optional("adviceCode").map { value throws(JSONError) in
                let code = try value.string(at: path.member("adviceCode"))
                try checkAdviceCode(code, at: path.member("adviceCode"))
                return code
            })
        try object.finish()
        return payment
    }

    /// A merchant advice code: two digits, `01` to `99`.
    static func checkAdviceCode(_ code: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard code.utf8.count == 2, allBytes(code, { $0 >= 48 && $0 <= 57 }), code != "00" else {
            throw JSONError(.invalidValue, "an advice code is two digits, 01 to 99, such as \"24\" (found '\(DisplayText.escape(code, maxScalars: 20))')", at: path())
        }
    }

    static func orderError(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> OrderError {
        var object = try JSONObjectReader(value, at: path)
        let error = OrderError(
            code: try key(object.required("code"), at: path.member("code"), maximum: 64, what: "an error code"),
            message: try message(object.required("message"), at: path.member("message")))
        try object.finish()
        return error
    }

    /// An error's message: some text that is not only white space, at most 1,000 characters. It
    /// is shown to people, never put in a header, so line breaks are kept (and escaped when shown).
    static func message(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> String {
        let text = try value.string(at: path)
        try checkMessage(text, at: path)
        return text
    }

    /// ``message(_:at:)``'s rule on text.
    static func checkMessage(_ text: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard text.unicodeScalars.count <= 1000, text.contains(where: { !$0.isWhitespace }) else {
            throw JSONError(.invalidValue, "a message is 1 to 1000 characters and not only white space", at: path())
        }
    }

    static func subscription(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> SubscriptionReference {
        var object = try JSONObjectReader(value, at: path)
        let subscription = SubscriptionReference(
            id: try key(object.required("id"), at: path.member("id")), plan: try catalogueID(object.required("plan"), at: path.member("plan")))
        try object.finish()
        return subscription
    }

    static func autocharge(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Autocharge {
        var object = try JSONObjectReader(value, at: path)
        let attempt = try object.integer("attempt")
        try checkAttempt(attempt, at: path.member("attempt"))
        let autocharge = Autocharge(attempt: attempt, invoice: try key(object.required("invoice"), at: path.member("invoice")))
        try object.finish()
        return autocharge
    }

    /// An automatic charge's attempt: 1 to 1,000.
    static func checkAttempt(_ attempt: Int, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard attempt >= 1 else { throw JSONError(.invalidValue, "attempt 1 is the first automatic charge", at: path()) }
        guard attempt <= 1000 else { throw JSONError(.invalidValue, "an attempt is 1 to 1000 (found \(attempt))", at: path()) }
    }

    /// A card's expiry: `YYYY-MM`, year 0001 to 9999.
    static func checkExpires(_ expires: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        let bytes = Array(expires.utf8)
        let digits = bytes.count == 7 && bytes[4] == UInt8(ascii: "-") && bytes.enumerated().allSatisfy { $0.offset == 4 || (48...57).contains($0.element) }
        guard digits, let month = Int(expires.suffix(2)), (1...12).contains(month), !expires.hasPrefix("0000") else {
            throw JSONError(.invalidValue, "expires is YYYY-MM, year 0001 to 9999", at: path())
        }
    }

    /// A card's days until expiry: 0 to 100,000.
    static func checkDaysUntilExpiry(_ days: Int, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        try integer(days, 0...100_000, at: path(), what: "daysUntilExpiry")
    }

    /// A card's network: one of ``Card/networks``.
    static func checkNetwork(_ network: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        guard Card.networks.contains(network) else {
            throw JSONError(
                .invalidValue, "'\(DisplayText.escape(network, maxScalars: 40))' is not a card network: write one of \(Card.networks.joined(separator: ", "))",
                at: path())
        }
    }

    static func card(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Card {
        var object = try JSONObjectReader(value, at: path)
        let id = try key(object.required("id"), at: path.member("id"))
        let expires = try object.string("expires")
        try checkExpires(expires, at: path.member("expires"))
        let days = try object.optionalInteger("daysUntilExpiry").map { days throws(JSONError) in
            try checkDaysUntilExpiry(days, at: path.member("daysUntilExpiry"))
            return days
        }
        let network = try object.optionalString("network")
        if let network { try checkNetwork(network, at: path.member("network")) }
        try object.finish()
        return Card(id: id, expires: expires, daysUntilExpiry: days, network: network)
    }

    /// A link: a URI scheme (a letter, then letters, digits, `+ . -`), `:`, and at least one
    /// character with no white space or control character; at most 4,000 characters.
    static func link(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> String {
        let text = try value.string(at: path)
        try checkLink(text, at: path)
        return text
    }

    /// ``link(_:at:)``'s rule on text.
    static func checkLink(_ text: String, at path: @autoclosure () -> JSONPath) throws(JSONError) {
        let scalars = Array(text.unicodeScalars)
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        let colon = scalars.firstIndex(of: ":")
        let shaped =
            if let colon, colon > 0, isLetter(scalars[0]) {
                scalars[1..<colon].allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "+" || $0 == "." || $0 == "-" }
                    && colon + 1 < scalars.count
                    && scalars[(colon + 1)...].allSatisfy { !isHeaderBreaking($0) && !$0.properties.isWhitespace }
            } else { false }
        guard shaped else {
            throw JSONError(.invalidValue, "a link is a URI such as https://example.com/page, with no spaces or control characters", at: path())
        }
        _ = try bounded(text, 4000, at: path(), what: "a link")
    }

    static func email(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> EmailReference {
        var object = try JSONObjectReader(value, at: path)
        let email = EmailReference(
            message: try key(object.required("message"), at: path.member("message")),
            workflow: try object.optional("workflow").map { value throws(JSONError) in try key(value, at: path.member("workflow")) },
            step: try object.optional("step").map { value throws(JSONError) in try key(value, at: path.member("step")) })
        try object.finish()
        return email
    }
}

extension String {
    /// The text without leading and trailing white space.
    fileprivate var trimmingWhitespace: Substring {
        let start = drop { $0.isWhitespace }
        return start.dropLast(start.reversed().prefix { $0.isWhitespace }.count)
    }
}
