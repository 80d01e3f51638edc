import Foundation
import PurchaseActions
import Testing

@Suite("Log records and effects: Codable through the log's JSON (Foundation beside PurchaseActions)")
struct FoundationCodableTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The log of each bundled account's workflows over its events file, 30 days on.
    static func simulation(_ account: String) throws -> [LogRecord] { try simulatingEngine(account).records }

    /// The engine that ran ``simulation(_:)``, and the records its calls returned.
    static func simulatingEngine(_ account: String) throws -> (engine: Engine, records: [LogRecord]) {
        // The migration folder read whole (its workflows refer to its templates).
        let workflows = try LoadedAutomation(folder: root.appendingPathComponent("Fixtures/expected/\(account)").path).automation.workflows
        let text = try String(contentsOf: root.appendingPathComponent("Fixtures/events/\(account).jsonl"), encoding: .utf8)
        let events = try text.split(separator: "\n").map { line in try Event.load(Data(line.utf8)) }
        let start = try #require(events.first).occurredAt
        let engine = try Engine(workflows: workflows, start: start)
        var records: [LogRecord] = []
        for event in events { records += try engine.ingest(event) }
        records += engine.advance(to: start.adding(.seconds(30 * 86_400)))
        return (engine, records)
    }

    static let accounts = ["course-creator", "membership-site", "physical-goods-store"]

    @Test("Every record of a simulation: JSONEncoder → JSONDecoder → canonical text is the record's canonical bytes", arguments: accounts)
    func recordsRoundTrip(account: String) throws {
        let records = try Self.simulation(account)
        #expect(records.count > 10)
        #expect(records.contains { $0.effect?.isExternal == true } && records.contains { $0.effect?.isExternal == false })
        #expect(records.contains { $0.why != nil })
        let decoded = try JSONDecoder().decode([LogRecord].self, from: JSONEncoder().encode(records))
        #expect(decoded.count == records.count)
        for (record, back) in zip(records, decoded) {
            #expect(back.json.canonicalBytes == record.json.canonicalBytes)
            #expect(back == record, "equal, effects' isExternal included (external effects are those with a key)")
            // From the canonical bytes, and from the line `simulate --json` prints.
            #expect(try JSONDecoder().decode(LogRecord.self, from: record.json.canonicalData) == record)
            #expect(try LogRecord.load(record.canonicalLine.dropLast()) == record)
        }
    }

    @Test("Every effect of a simulation round-trips, isExternal included", arguments: accounts)
    func effectsRoundTrip(account: String) throws {
        let effects = try Self.simulation(account).compactMap(\.effect)
        #expect(!effects.isEmpty)
        let decoded = try JSONDecoder().decode([Effect].self, from: JSONEncoder().encode(effects))
        #expect(decoded == effects)
        #expect(decoded.map(\.json.canonicalBytes) == effects.map(\.json.canonicalBytes))
    }

    @Test("An effect made in code keeps what a record cannot say: external with no key, internal with one")
    func effectInCode() throws {
        let deliverAt = try #require(Instant.parseRFC3339("2025-01-01T09:00:00.250+01:00")).instant
        for effect in [
            Effect(kind: "send-email", details: .object(["to": .string("a@example.com")]), isExternal: true, deliverAt: deliverAt),
            Effect(kind: "add-tag", details: .null, isExternal: false, idempotencyKey: "k"),
        ] {
            let back = try JSONDecoder().decode(Effect.self, from: JSONEncoder().encode(effect))
            #expect(back == effect)
        }
        #expect(Effect(kind: "x", details: .null, isExternal: true, deliverAt: deliverAt).json.compactText
            == #"{"deliverAt":"2025-01-01T08:00:00.250Z","details":null,"external":true,"kind":"x"}"#)
    }

    @Test("Invalid records and effects are dataCorrupted at their JSON path")
    func invalid() throws {
        let cases: [(String, String)] = [
            (#"{"at":"2025-01-01T00:00:00Z","cause":"e","status":"done","message":"m"}"#, "$.status"),
            (#"{"at":"2025-13-01T00:00:00Z","cause":"e","status":"entered","message":"m"}"#, "$.at"),
            (#"{"at":"2025-01-01T00:00:00Z","cause":"e","status":"entered","message":"m","extra":1}"#, "$.extra"),
            (#"{"at":"2025-01-01T00:00:00Z","cause":"e","status":"entered","message":"m","effect":{"kind":"k","details":1,"external":true}}"#, "$.effect.external"),
            (#"{"at":"2025-01-01T00:00:00Z","cause":"e","status":"entered","message":"m","effect":{"kind":"k"}}"#, "$.effect"),
            (#"{"at":"2025-01-01T00:00:00Z","cause":"e","status":"entered","message":"m","version":"1"}"#, "$.version"),
            (#"{"at":"2025-01-01T00:00:00Z","cause":"e","status":"entered"}"#, "$"),
        ]
        for (text, path) in cases {
            do {
                _ = try JSONDecoder().decode(LogRecord.self, from: Data(text.utf8))
                Issue.record("accepted: \(text)")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(JSONPath(codingPath: context.codingPath).description == path, "\(text)")
            }
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Effect.self, from: Data(#"{"kind":"k","details":1}"#.utf8)) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Effect.self, from: Data(#"{"kind":"k","details":1,"external":false,"deliverAt":"soon"}"#.utf8))
        }
    }

    @Test("Every status has its name in the list the decoder reads")
    func statuses() throws {
        // An exhaustive switch: a new status does not compile here until it is listed.
        func name(_ status: LogRecord.Status) -> String {
            switch status {
            case .entered, .notEntered, .completed, .skipped, .error, .waiting, .resumed, .goal, .exited, .finished, .duplicate, .late: status.rawValue
            }
        }
        let all: [LogRecord.Status] = [.entered, .notEntered, .completed, .skipped, .error, .waiting, .resumed, .goal, .exited, .finished, .duplicate, .late]
        for status in all {
            let record = LogRecord(at: Instant(millisecondsSinceEpoch: 0), cause: "e", status: status, message: name(status))
            #expect(try JSONDecoder().decode(LogRecord.self, from: JSONEncoder().encode(record)) == record)
        }
    }
}

@Suite("Contacts and action results: Codable through their JSON")
struct FoundationContactCodableTests {
    @Test("A contact round-trips through JSONEncoder and JSONDecoder, to the canonical byte")
    func contactRoundTrip() throws {
        let created = try #require(Instant.parseRFC3339("2025-01-14T10:03:25.5-07:00")).instant
        let contacts = [
            Contact(id: "c-1", fields: ["FirstName": "Dana", "_Note": "line\nbreak é"], tags: ["tag-b", "tag-a"], timezone: "America/Denver", ownerID: "u-1", createdAt: created),
            Contact(id: "c-2", createdAt: Instant.supported.lowerBound),
        ]
        let back = try JSONDecoder().decode([Contact].self, from: JSONEncoder().encode(contacts))
        #expect(back == contacts)
        #expect(back.map(\.json.canonicalBytes) == contacts.map(\.json.canonicalBytes))
        #expect(contacts[1].json.compactText == #"{"createdAt":"0001-01-01T00:00:00Z","fields":{},"id":"c-2","tags":[]}"#)
    }

    @Test("Contact limits: 1,000 fields, 1,000 tags, 10,000 characters a value; one past each is refused at its path")
    func contactLimits() throws {
        func contact(fields: Int, tags: Int, valueLength: Int) -> JSONValue {
            var values: [String: JSONValue] = [:]
            for index in 0..<fields { values["_F\(index)"] = .string("") }
            values["_Long"] = .string(String(repeating: "é", count: valueLength))
            return .object([
                "id": .string("c"), "fields": .object(values), "tags": .array((0..<tags).map { .string("t\($0)") }),
                "createdAt": .string("2025-01-01T00:00:00Z"),
            ])
        }
        #expect(throws: Never.self) { try Contact(json: contact(fields: 999, tags: 1_000, valueLength: 10_000)) }
        for (json, path) in [
            (contact(fields: 1_000, tags: 0, valueLength: 0), "$.fields"), (contact(fields: 0, tags: 1_001, valueLength: 0), "$.tags"),
            (contact(fields: 0, tags: 0, valueLength: 10_001), "$.fields['_Long']"),
        ] {
            do {
                _ = try JSONDecoder().decode(Contact.self, from: JSONEncoder().encode(json))
                Issue.record("accepted past a limit: \(path)")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(JSONPath(codingPath: context.codingPath).description == path)
                #expect((context.underlyingError as? JSONError)?.code == .limit)
            }
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Contact.self, from: Data(#"{"id":"c","fields":{"a":1},"tags":[],"createdAt":"2025-01-01T00:00:00Z"}"#.utf8))
        }
    }

    @Test("An action result round-trips; unknown and missing members are refused")
    func actionResults() throws {
        let result = try ActionResult(json: JSONValue.parse(#"{"action":"add-tag","message":"as-vip.tag: add tag-vip","isError":false}"#))
        #expect(result.action == "add-tag" && !result.isError)
        #expect(try JSONDecoder().decode(ActionResult.self, from: JSONEncoder().encode(result)) == result)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ActionResult.self, from: Data(#"{"action":"a","message":"m"}"#.utf8)) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ActionResult.self, from: Data(#"{"action":"a","message":"m","isError":true,"more":1}"#.utf8))
        }
    }
}

/// Review of issue 11: a contact, record or effect whose time is outside the years 0001 to 9999 (or
/// a contact past a limit) encoded but did not decode; now encoding refuses it at its JSON path.
@Suite("Contacts, records, effects: encoding refuses what decoding refuses")
struct FoundationEncodingRefusalTests {
    /// The JSON path of the EncodingError, or nil when encoding succeeded.
    static func refusedPath(_ value: some Encodable) -> String? {
        do {
            _ = try JSONEncoder().encode(value)
            return nil
        } catch EncodingError.invalidValue(_, let context) {
            #expect(context.underlyingError is JSONError)
            #expect(context.debugDescription.hasPrefix(JSONPath(codingPath: context.codingPath).description + ": "))
            return JSONPath(codingPath: context.codingPath).description
        } catch {
            Issue.record("not an EncodingError: \(error)")
            return nil
        }
    }

    static let outside: [Instant] = [.saturatedLatest, .saturatedEarliest, Instant.supported.upperBound.adding(seconds: 1), Instant(millisecondsSinceEpoch: .min)]

    @Test("A contact created outside 0001–9999 is refused at $.createdAt; at the edges it round-trips")
    func contactCreatedAt() throws {
        for instant in Self.outside {
            #expect(Self.refusedPath([Contact(id: "c", createdAt: instant)]) == "$[0].createdAt", "\(instant)")
        }
        for instant in [Instant.supported.upperBound, Instant.supported.lowerBound] {
            let contact = Contact(id: "c", createdAt: instant)
            #expect(try JSONDecoder().decode(Contact.self, from: JSONEncoder().encode(contact)) == contact)
        }
        let crowded = Contact(id: "c", tags: (0...WorkflowLimits.contactTags).map { "t\($0)" }, createdAt: Instant.supported.lowerBound)
        #expect(Self.refusedPath(crowded) == "$.tags", "one past a limit, refused as the decoder refuses it")
    }

    @Test("A record at, or an effect delivered, outside 0001–9999 is refused at $.at / $.effect.deliverAt / $.deliverAt")
    func recordsAndEffects() {
        let now = Instant.supported.lowerBound
        for instant in Self.outside {
            #expect(Self.refusedPath(LogRecord(at: instant, cause: "e", status: .entered, message: "m")) == "$.at")
            let effect = Effect(kind: "send-email", details: .null, isExternal: true, idempotencyKey: "k", deliverAt: instant)
            #expect(Self.refusedPath(LogRecord(at: now, cause: "e", status: .entered, effect: effect, message: "m")) == "$.effect.deliverAt")
            #expect(Self.refusedPath([effect]) == "$[0].deliverAt")
        }
        #expect(Self.refusedPath(LogRecord(at: now, cause: "e", status: .entered, message: "m")) == nil)
    }

    @Test("A contact written with .convertToSnakeCase is refused with a message naming the key strategy")
    func snakeCase() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(Contact(id: "c", fields: ["FirstName": "Dana"], createdAt: Instant.supported.lowerBound))
        #expect(String(decoding: data, as: UTF8.self).contains("first_name"), "the coder renamed a field: data changed")
        do {
            _ = try JSONDecoder().decode(Contact.self, from: data)
            Issue.record("decoded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains(JSONError.keyStrategyHint), "\(context.debugDescription)")
        }
    }

    @Test("Instant(Date) keeps order: a later date never gives an earlier instant (9e15 s was later than 1e300 s)")
    func dateOrder() {
        let seconds: [Double] = [-.infinity, -1e300, -9.3e15, -9e15, -4.7e15, -4.6e15, -1, 0, 1, 4.6e15, 4.7e15, 9e15, 9.2e15, 9.3e15, 1e300, .infinity]
        let instants = seconds.map { Instant(Date(timeIntervalSince1970: $0)) }
        #expect(instants == instants.sorted(), "\(instants)")
        #expect(Instant(Date(timeIntervalSince1970: 9e15)) <= Instant(Date(timeIntervalSince1970: 1e300)))
        #expect(Instant(Date(timeIntervalSince1970: 9e15)) == .saturatedLatest)
        // A grid over every scale, both signs (about 12,000 dates): sorted dates give sorted instants.
        var grid: [Double] = []
        for exponent in -3...300 {
            for mantissa in [1.0, 1.5, 2.0, 4.611686, 4.611687, 9.2233, 9.9] { grid += [mantissa * pow(10, Double(exponent)), -mantissa * pow(10, Double(exponent))] }
        }
        grid.sort()
        let mapped = grid.map { Instant(Date(timeIntervalSince1970: $0)) }
        #expect(zip(mapped, mapped.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
