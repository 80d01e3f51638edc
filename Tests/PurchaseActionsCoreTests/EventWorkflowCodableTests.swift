import Foundation
import PurchaseActionsCore
import Testing

@Suite("Events and workflows: Codable through the canonical JSON")
struct EventWorkflowCodableTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Line: Sendable, CustomTestStringConvertible {
        var file: String
        var number: Int
        var text: String
        var testDescription: String { "\(file):\(number)" }
    }

    /// Every event line of Fixtures/events/*.jsonl.
    static let eventLines: [Line] = {
        let folder = root.appendingPathComponent("Fixtures/events")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
        return files.flatMap { file in
            let text = (try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)) ?? ""
            return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { offset, line in
                line.allSatisfy(\.isWhitespace) ? nil : Line(file: file, number: offset + 1, text: String(line))
            }
        }
    }()

    /// Every bundled workflow golden, Fixtures/expected/*/workflows/*.json.
    static let workflowFiles: [String] = {
        let expected = root.appendingPathComponent("Fixtures/expected")
        let accounts = ((try? FileManager.default.contentsOfDirectory(atPath: expected.path)) ?? []).sorted()
        return accounts.flatMap { account in
            let folder = expected.appendingPathComponent(account).appendingPathComponent("workflows")
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            return files.map { "\(account)/workflows/\($0)" }
        }
    }()

    @Test("The fixtures are there")
    func fixturesFound() {
        #expect(Self.eventLines.count >= 70)
        #expect(Self.workflowFiles.count >= 50)
    }

    @Test("Every fixture event: JSONEncoder output, decoded by JSONDecoder and written canonically, is the canonical bytes", arguments: eventLines)
    func eventRoundTrip(line: Line) throws {
        let event = try Event.load(Array(line.text.utf8))
        let canonical = event.json.canonicalBytes
        let encoded = try JSONEncoder().encode(event)
        let decoded = try JSONDecoder().decode(Event.self, from: encoded)
        #expect(decoded == event)
        #expect(decoded.json.canonicalBytes == canonical)
        // Straight from the canonical bytes, and from the line as written.
        #expect(try JSONDecoder().decode(Event.self, from: Data(canonical)) == event)
        #expect(try JSONDecoder().decode(Event.self, from: Data(line.text.utf8)) == event)
        // The canonical form is the line's own JSON value, but for the documented normalisations.
        let written = try JSONValue.parse(line.text)
        #expect(event.json == Self.normalised(written), "\(line.file):\(line.number)")
    }

    /// What events.md, "The canonical form", says writing an event changes.
    static func normalised(_ value: JSONValue) -> JSONValue {
        guard case .object(var members) = value else { return value }
        if case .string(let text) = members["occurredAt"], let (instant, offset) = Instant.parseRFC3339(text) {
            members["occurredAt"] = .string(instant.rfc3339(offsetSeconds: offset))
        }
        if case .object(var contact) = members["contact"] {
            if contact["fields"] == .object([:]) { contact["fields"] = nil }
            if contact["tags"] == .array([]) { contact["tags"] = nil }
            members["contact"] = .object(contact)
        }
        if case .object(var order) = members["order"], case .array(let lines) = order["lines"] {
            order["lines"] = .array(lines.map { line in
                guard case .object(var fields) = line, fields["subscriptionPlan"] != nil, fields["quantity"] == .integer(1) else { return line }
                fields["quantity"] = nil
                return .object(fields)
            })
            members["order"] = .object(order)
        }
        return .object(members)
    }

    @Test("The canonical form's normalisations: offset, fraction, a subscription line's quantity 1, empty fields and tags")
    func eventNormalisations() throws {
        let line = #"{"id":"e","type":"payment.succeeded","occurredAt":"2025-01-14T10:09:51.5+00:00","contact":{"id":"c","fields":{},"tags":[]},"order":{"id":"o","source":"cart","lines":[{"subscriptionPlan":"p","quantity":1},{"subscriptionPlan":"q","quantity":2},{"product":"x","quantity":1}],"chargeMode":"card"},"payment":{"index":1,"amount":{"minor":2700,"currency":"USD"}}}"#
        let event = try Event.load(Array(line.utf8))
        #expect(event.json.compactText == #"{"contact":{"id":"c"},"id":"e","occurredAt":"2025-01-14T10:09:51.500Z","order":{"chargeMode":"card","id":"o","lines":[{"subscriptionPlan":"p"},{"quantity":2,"subscriptionPlan":"q"},{"product":"x","quantity":1}],"source":"cart"},"payment":{"amount":{"currency":"USD","minor":2700},"index":1},"type":"payment.succeeded"}"#)
        #expect(try Event(json: event.json) == event)
        let offset = try Event.load(Array(#"{"id":"e","type":"tag.added","occurredAt":"2025-03-03T19:45:04.123456789+11:00","contact":{"id":"c"},"tag":"t"}"#.utf8))
        #expect(offset.json.compactText.contains(#""occurredAt":"2025-03-03T19:45:04.123+11:00""#))
    }

    @Test("Every bundled workflow golden, whole: JSONEncoder → JSONDecoder → canonical text is the same, byte for byte", arguments: workflowFiles)
    func workflowRoundTrip(file: String) throws {
        let workflow = try GoldenMigration.workflow("Fixtures/expected/\(file)")
        let bytes = workflow.json.canonicalBytes
        let decoded = try JSONDecoder().decode(Workflow.self, from: JSONEncoder().encode(workflow))
        #expect(decoded.json.canonicalBytes == bytes)
        #expect(decoded == workflow)
        #expect(try JSONDecoder().decode(Workflow.self, from: Data(bytes)).json.canonicalBytes == bytes)
    }

    @Test("An invalid event is dataCorrupted with the full coding path, the JSON path and the decoder's message")
    func eventErrors() throws {
        let events = #"[{"id":"e","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c"},"tag":"t"},{"id":"e2","type":"payment.succeeded","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c"},"order":{"id":"o","source":"cart","lines":[{"product":"p","quantity":0}],"chargeMode":"card"},"payment":{"index":1,"amount":{"minor":1,"currency":"USD"}}}]"#
        do {
            _ = try JSONDecoder().decode([Event].self, from: Data(events.utf8))
            Issue.record("a quantity of 0 was accepted")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(JSONPath(codingPath: context.codingPath).description == "$[1].order.lines[0].quantity")
            #expect(context.debugDescription.hasPrefix("$[1].order.lines[0].quantity: "))
            let underlying = try #require(context.underlyingError as? JSONError)
            #expect(underlying.path.description == "$.order.lines[0].quantity", "the JSONError's path is counted from the event")
            #expect(context.debugDescription == "$[1].order.lines[0].quantity: \(underlying.message)")
        }
    }

    @Test("Every invalid event fixture is refused through JSONDecoder at its manifest's path (but those only text shows)")
    func invalidEvents() throws {
        struct Entry: Decodable { var file: String; var path: String }
        let folder = Self.root.appendingPathComponent("Fixtures/events/invalid")
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        #expect(entries.count > 20)
        var checked = 0
        for entry in entries {
            let data = try Data(contentsOf: folder.appendingPathComponent(entry.file))
            let textError: JSONError
            do {
                _ = try Event.load([UInt8](data))
                Issue.record("\(entry.file) was accepted by Event.load")
                continue
            } catch {
                textError = error
            }
            // What Foundation does not show (syntax, a number's spelling, a member twice) only the text reader sees.
            guard textError.code != .syntax, textError.code != .notAnInteger || textError.message.contains("64 bits"),
                  !textError.message.contains("twice"), (try? JSONSerialization.jsonObject(with: data)) != nil
            else { continue }
            checked += 1
            do {
                _ = try JSONDecoder().decode(Event.self, from: data)
                Issue.record("\(entry.file) was accepted by JSONDecoder")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(JSONPath(codingPath: context.codingPath).description == entry.path, "\(entry.file)")
            } catch {
                Issue.record("\(entry.file): \(error)")
            }
        }
        #expect(checked * 4 > entries.count * 3, "most invalid events are invalid in content, which Codable sees (\(checked) of \(entries.count))")
    }

    @Test("An invalid workflow is dataCorrupted with the JSON path (a check beyond the schema applies too)")
    func workflowErrors() throws {
        let file = try #require(Self.workflowFiles.first)
        var json = try GoldenMigration.workflow("Fixtures/expected/\(file)").json
        json = json.adding(["formatVersion": .integer(2)])
        do {
            _ = try JSONDecoder().decode(Workflow.self, from: JSONEncoder().encode(json))
            Issue.record("formatVersion 2 was accepted")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(JSONPath(codingPath: context.codingPath).description == "$.formatVersion")
            #expect(context.debugDescription.contains("formatVersion 2 is not one this reader knows"))
        }
        let folder = Self.root.appendingPathComponent("Fixtures/workflows/invalid")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".json") }).sorted() {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            guard (try? JSONSerialization.jsonObject(with: data)) != nil else { continue }
            #expect(throws: DecodingError.self, "\(name)") { try JSONDecoder().decode(Workflow.self, from: data) }
        }
    }
}
