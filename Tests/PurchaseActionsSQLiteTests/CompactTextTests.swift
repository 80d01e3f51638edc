import Foundation
import PropertyBased
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

@Suite("LogRecord.compactJSONText (the stored log's text) is json.compactText byte for byte")
struct CompactTextTests {
    @Test("Every record the fixtures' events and wake-ups produce", arguments: ParityTests.accounts)
    func fixtures(account: String) throws {
        let records = try StoreFixture.fixtureRun(account).records
        #expect(records.count > 10)
        #expect(records.contains { $0.effect != nil } && records.contains { $0.why != nil })
        for record in records {
            #expect(record.compactJSONText == record.json.compactText)
            var bytes: [UInt8] = Array("x".utf8)
            record.appendCompactJSON(to: &bytes, atText: record.at.description)
            #expect(bytes == Array(("x" + record.json.compactText).utf8), "appended after what is there, with the instant's text given")
        }
    }

    @Test("Hostile text (quotes, backslashes, control characters, non-ASCII), every optional member absent and present")
    func hostile() {
        let nasty = "a\"b\\c\n\r\t\u{0}\u{8}\u{C}\u{1B}\u{7F}é—\u{2028}💥"
        let effect = Effect(
            kind: nasty, details: .object([nasty: .array([.null, .bool(true), .integer(-3), .string(nasty), .object([:])]), "b": .string("")]),
            isExternal: true, idempotencyKey: nasty, deliverAt: StoreFixture.start)
        let records = [
            LogRecord(at: StoreFixture.start, cause: "", status: .entered, message: ""),
            LogRecord(
                at: StoreFixture.start, cause: nasty, workflowID: nasty, version: -7, enrollmentID: nasty, contactID: nasty, stepID: nasty,
                status: .error, effect: effect, why: .object(["z": .integer(Int.min), "a": .object(["y": .null, "x": .array([])])]), message: nasty),
            LogRecord(
                at: StoreFixture.start, cause: "c", status: .completed, effect: Effect(kind: "k", details: .null, isExternal: false),
                why: .string(nasty), message: "m"),
        ]
        for record in records { #expect(record.compactJSONText == record.json.compactText) }
    }

    @Test("Random records: compactJSONText equals json.compactText")
    func random() async {
        let alphabet: [Character] = Array("ab\"\\\n\t\u{0}\u{1F}é💥 ")
        let text = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.string(of: 0...12)
        let input = zip(text, text, text, Gen.int(in: -5...5), Gen.int(in: 0...7))
        await propertyCheck(count: 300, input: input) { a, b, c, number, mask in
            let effect = mask & 1 == 0 ? nil : Effect(kind: a, details: .object(["x" + b: .string(c), "y" + c: .integer(number)]), isExternal: true, idempotencyKey: mask & 2 == 0 ? nil : b)
            let record = LogRecord(
                at: StoreFixture.start, cause: a, workflowID: mask & 4 == 0 ? nil : b, version: number < 0 ? nil : number, enrollmentID: c,
                contactID: mask & 2 == 0 ? a : nil, stepID: b, status: LogRecord.Status.allCases[(number + 5) % LogRecord.Status.allCases.count],
                effect: effect, why: mask == 3 ? nil : .object(["a" + a: .string(b), "k": .array([.string(c)])]), message: c)
            #expect(record.compactJSONText == record.json.compactText)
        }
    }
}
