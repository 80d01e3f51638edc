import Foundation
import PurchaseActions
import Testing

/// The outputs the `///` samples of DocCommentExamples+Merged.swift claim in their comments, checked
/// on the inputs the samples name.
@Suite("Docs: what the Codable, time and validation samples claim")
struct DocCommentClaimTests {
    static let tagAdded = #"{"id":"e-1","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-1"},"tag":"t"}"#

    @Test("event.json.compactText is the line its comment shows")
    func eventLine() throws {
        let event = try Event.load(Data(Self.tagAdded.utf8))
        #expect(event.json.compactText == #"{"contact":{"id":"c-1"},"id":"e-1","occurredAt":"2025-01-01T00:00:00Z","tag":"t","type":"tag.added"}"#)
    }

    @Test("JSONPath(codingPath:) of a decoding error names the member: $.order.lines[0]")
    func codingPath() throws {
        let line = #"{"id":"e-1","type":"payment.succeeded","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c-1"},"order":{"id":"o-1","source":"cart","lines":[1],"chargeMode":"card","gateway":"stripe"},"payment":{"index":1,"amount":{"minor":100,"currency":"USD"}}}"#
        var path: String?
        do {
            _ = try JSONDecoder().decode(Event.self, from: Data(line.utf8))
        } catch let DecodingError.dataCorrupted(context) {
            path = JSONPath(codingPath: context.codingPath).description
        }
        #expect(path == "$.order.lines[0]")
    }

    @Test("JSONEncoder writes a JSONValue as its JSON: {\"a\":1}")
    func encodeJSONValue() throws {
        let data = try JSONEncoder().encode(JSONValue.object(["a": .integer(1)]))
        #expect(String(decoding: data, as: UTF8.self) == #"{"a":1}"#)
    }

    @Test("effect.json.compactText is the form its comment shows, for a tag the engine adds")
    func effectLine() throws {
        let claimed = #"{"details":{"tag":"tag-vip"},"external":false,"kind":"add-tag"}"#
        #expect(try Effect(json: JSONValue.parse(claimed)).json.compactText == claimed)
    }

    @Test("Instant.milliseconds(in: .seconds(90)) is 90000; the duration to a day later is .seconds(86400)")
    func durations() throws {
        #expect(Instant.milliseconds(in: .seconds(90)) == 90000)
        let start = Instant.parseRFC3339("2025-01-01T00:00:00Z")!.instant
        let engine = try Engine(workflows: [], start: start)
        engine.advance(to: start.adding(seconds: 86_400))
        let instants = durationDocSamples(start: start, deadline: start, now: start, engine: engine)
        #expect(start.duration(to: engine.now) == .seconds(86400))
        #expect(instants == [start.adding(seconds: 30 * 86_400), start.adding(seconds: -86_400)])
    }

    @Test("event.validate() on a payment without an order throws what its comment says")
    func validation() {
        #expect {
            try eventValidationDocSample(now: Instant.parseRFC3339("2025-01-01T00:00:00Z")!.instant)
        } throws: { error in
            "\(error)" == "$: a payment.succeeded event requires 'order'" && error is JSONError
        }
    }

    @Test("MigrationRun's sample: two action sets that map exactly give the summary its comment shows")
    func migrationRunSummary() {
        let here = FileLocation(file: "by-hand")
        let sets = ["as-a", "as-b"].map { id in
            ActionSet(id: id, name: id, actions: [Action(id: id + ".tag", kind: .applyTag(tagID: "tag-buyer"), location: here)], location: here)
        }
        var account = LegacyAccount(
            settings: AccountSettings(id: "acme", name: "Acme", timezone: "America/New_York", currency: "USD", location: here),
            actionSets: sets)
        account.catalogue.tags["tag-buyer"] = ContactTag(id: "tag-buyer", name: "Buyer", location: here)
        #expect(migrationRunPartsDocSample(account: account) == "2 workflows (2 action sets); all mapped exactly")
    }
}
