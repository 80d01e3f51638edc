public import PurchaseActionsCore

extension GatewayScript: JSONRepresentable {
    /// Reads a script's JSON form. Every object is closed: an unknown member is an error at its
    /// JSON path. Errors have the code `invalid-script` (`limit-exceeded` past ``maxRules``).
    public init(json: JSONValue, at path: JSONPath = .root) throws(DunningError) {
        do {
            self = try Self.decode(json, at: path)
        } catch {
            throw DunningError(error.code == .limit ? "limit-exceeded" : "invalid-script", error.message, path: error.path)
        }
    }

    static func decode(_ json: JSONValue, at path: JSONPath) throws(JSONError) -> GatewayScript {
        var object = try JSONObjectReader(json, at: path)
        let format = try object.integer("format")
        guard format == Self.formatVersion else {
            throw JSONError(.invalidValue, "format \(format) is not one this reader knows: write \"format\": 1", at: path.member("format"))
        }
        var rules: [Rule] = []
        if let list = object.optional("rules") {
            guard case .array(let items) = list else { throw JSONError(.wrongType, "expected an array of rules", at: path.member("rules")) }
            guard items.count <= Self.maxRules else {
                throw JSONError(.limit, "\(items.count) rules: at most \(Self.maxRules)", at: path.member("rules"))
            }
            for (index, item) in items.enumerated() {
                let rulePath = path.member("rules").index(index)
                var rule = try JSONObjectReader(item, at: rulePath)
                let when = try Self.match(rule.required("when"), at: rulePath.member("when"))
                let answer = try Self.answer(rule.required("answer"), at: rulePath.member("answer"))
                try rule.finish()
                rules.append(Rule(when: when, answer: answer))
            }
        }
        let defaultAnswer = try object.optional("default").map { value throws(JSONError) in try Self.answer(value, at: path.member("default")) }
        try object.finish()
        return GatewayScript(rules: rules, defaultAnswer: defaultAnswer ?? .declined(DeclineAnswer()))
    }

    static func key(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> String {
        let text = try value.string(at: path)
        guard !text.isEmpty, text.utf8.count <= maxKeyLength, text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw JSONError(.invalidValue, "expected 1 to \(maxKeyLength) printable ASCII characters without spaces", at: path)
        }
        return text
    }

    static func integer(_ value: JSONValue, at path: JSONPath, _ range: ClosedRange<Int>) throws(JSONError) -> Int {
        let number = try value.integer(at: path)
        guard range.contains(number) else { throw JSONError(.invalidValue, "\(number) is not in \(range.lowerBound)...\(range.upperBound)", at: path) }
        return number
    }

    static func match(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Match {
        var object = try JSONObjectReader(value, at: path)
        var match = Match()
        match.invoice = try object.optional("invoice").map { v throws(JSONError) in try key(v, at: path.member("invoice")) }
        match.contact = try object.optional("contact").map { v throws(JSONError) in try key(v, at: path.member("contact")) }
        match.card = try object.optional("card").map { v throws(JSONError) in try key(v, at: path.member("card")) }
        if let value = object.optional("network") {
            let name = try value.string(at: path.member("network"))
            guard let network = CardNetwork(rawValue: name) else {
                throw JSONError(.invalidValue, "unknown network: write visa, mastercard, amex, discover or other", at: path.member("network"))
            }
            match.network = network
        }
        match.attempt = try object.optional("attempt").map { v throws(JSONError) in try integer(v, at: path.member("attempt"), 2...1000) }
        let maxAmount = 9_007_199_254_740_991
        match.amountAtLeast = try object.optional("amountAtLeast").map { v throws(JSONError) in try integer(v, at: path.member("amountAtLeast"), 0...maxAmount) }
        match.amountAtMost = try object.optional("amountAtMost").map { v throws(JSONError) in try integer(v, at: path.member("amountAtMost"), 0...maxAmount) }
        match.declineCode = try object.optional("declineCode").map { v throws(JSONError) in try DeclineTable.lowercased(key(v, at: path.member("declineCode"))) }
        match.afterCardUpdate = try object.optionalBool("afterCardUpdate")
        try object.finish()
        return match
    }

    static func decline(_ object: inout JSONObjectReader, at path: JSONPath) throws(JSONError) -> DeclineAnswer {
        let code = try object.optional("declineCode").map { v throws(JSONError) in try key(v, at: path.member("declineCode")) }
        var advice: String?
        if let value = object.optional("adviceCode") {
            let text = try value.string(at: path.member("adviceCode"))
            let bytes = Array(text.utf8)
            guard bytes.count == 2, bytes.allSatisfy({ (48...57).contains($0) }), text != "00" else {
                throw JSONError(.invalidValue, "an advice code is two digits, 01 to 99", at: path.member("adviceCode"))
            }
            guard code != nil else { throw JSONError(.invalidValue, "adviceCode needs a declineCode beside it", at: path.member("adviceCode")) }
            advice = text
        }
        return DeclineAnswer(code: code, adviceCode: advice)
    }

    static func answer(_ value: JSONValue, at path: JSONPath) throws(JSONError) -> Answer {
        var object = try JSONObjectReader(value, at: path)
        let outcome = try object.string("outcome")
        let answer: Answer
        switch outcome {
        case "approved":
            for name in ["declineCode", "adviceCode", "lookup"] where object.has(name) {
                throw JSONError(.unknownMember, "'\(name)' does not go with outcome approved", at: path.member(name))
            }
            answer = .approved
        case "declined":
            if object.has("lookup") { throw JSONError(.unknownMember, "'lookup' goes with outcome unknown only", at: path.member("lookup")) }
            answer = .declined(try decline(&object, at: path))
        case "unknown":
            let declined = try decline(&object, at: path)
            let lookup = try object.optionalString("lookup") ?? "not-found"
            switch lookup {
            case "approved", "not-found", "unknown":
                if declined.code != nil {
                    throw JSONError(.invalidValue, "declineCode with outcome unknown needs \"lookup\": \"declined\"", at: path.member("declineCode"))
                }
                answer = .unknown(then: lookup == "approved" ? .approved : lookup == "unknown" ? .unknown : .notFound)
            case "declined": answer = .unknown(then: .declined(declined))
            default:
                throw JSONError(.invalidValue, "unknown lookup '\(lookup)': write approved, declined, not-found or unknown", at: path.member("lookup"))
            }
        default:
            throw JSONError(.invalidValue, "unknown outcome '\(outcome)': write approved, declined or unknown", at: path.member("outcome"))
        }
        try object.finish()
        return answer
    }

    /// The script's JSON form (reads back to the same script).
    public var json: JSONValue {
        .members([
            "format": Self.formatVersion.json,
            "rules": .array(rules.map { .members(["when": $0.when.json, "answer": $0.answer.json]) }),
            "default": defaultAnswer.json,
        ])
    }
}

extension GatewayScript.Match: JSONRepresentable {
    /// The `when` object.
    public var json: JSONValue {
        .members([
            "invoice": invoice.json, "contact": contact.json, "card": card.json, "network": network?.rawValue.json, "attempt": attempt.json,
            "amountAtLeast": amountAtLeast.json, "amountAtMost": amountAtMost.json, "declineCode": declineCode.json,
            "afterCardUpdate": afterCardUpdate.json,
        ])
    }
}

extension GatewayScript.Answer: JSONRepresentable {
    /// The `answer` object.
    public var json: JSONValue {
        switch self {
        case .approved: .members(["outcome": "approved".json])
        case .declined(let decline): .members(["outcome": "declined".json, "declineCode": decline.code.json, "adviceCode": decline.adviceCode.json])
        case .unknown(let lookup):
            switch lookup {
            case .approved: .members(["outcome": "unknown".json, "lookup": "approved".json])
            case .notFound: .members(["outcome": "unknown".json, "lookup": "not-found".json])
            case .unknown: .members(["outcome": "unknown".json, "lookup": "unknown".json])
            case .declined(let decline):
                .members(["outcome": "unknown".json, "lookup": "declined".json, "declineCode": decline.code.json, "adviceCode": decline.adviceCode.json])
            }
        }
    }
}
