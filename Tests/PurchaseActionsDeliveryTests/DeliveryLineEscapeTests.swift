import PurchaseActionsCore
import PurchaseActionsEngine
import Testing
@testable import PurchaseActionsDelivery

/// Review 2: a recording line kept raw bidi overrides from a contact's name, so `tail -f` of the
/// file showed it reordered, while every command's `--json` escaped them.
@Suite("OutboxMessage.deliveryLine escapes what may not reach a terminal")
struct DeliveryLineEscapeTests {
    @Test("Bidi overrides, isolates, C1 controls, DEL, separators and U+FEFF become \\uXXXX; the line parses back to the same object",
          arguments: ["\u{202E}", "\u{2066}", "\u{85}", "\u{7F}", "\u{2028}", "\u{FEFF}", "\u{061C}"])
    func escaped(control: String) throws {
        let name = "Ana\(control)Reyes"
        let message = OutboxMessage(
            key: "e-1/1/welcome:send", kind: "send-email", details: .object(["name": .string(name)]), attempt: 1,
            createdAt: Instant(millisecondsSinceEpoch: 0))
        let line = message.deliveryLine
        #expect(!line.unicodeScalars.contains(where: DisplayText.isControl), "\(line.unicodeScalars.map { $0.value })")
        #expect(line.contains("\\u"), "\(line)")
        #expect(try JSONValue.parse(line) == message.deliveryJSON)
    }

    @Test("A line with nothing to escape is the compact text as it was")
    func unchanged() {
        let message = OutboxMessage(
            key: "k", kind: "send-email", details: .object(["name": .string("Zoë Ünal")]), attempt: 2, createdAt: Instant(millisecondsSinceEpoch: 0))
        #expect(message.deliveryLine == message.deliveryJSON.compactText)
    }
}

/// Review 2, finding 9: a gateway answer with a fraction was called "not a JSON object".
@Suite("HTTPPaymentGateway: an unreadable answer says why")
struct GatewayAnswerWordsTests {
    @Test("A fraction in an answer is named as JSON the contract does not take, with the parser's reason; a JSON array is not an object")
    func fraction() {
        let fraction = HTTPPaymentGateway.parseAnswer(Array(#"{"status":"approved","charge":"ch_1","fee":1.5}"#.utf8), key: "k")
        guard case .invalid(let reason) = fraction else {
            Issue.record("expected invalid, got \(fraction)")
            return
        }
        #expect(reason.hasPrefix("the answer is not JSON as the gateway contract takes it ("), "\(reason)")
        #expect(!reason.contains("not a JSON object"), "\(reason)")
        #expect(HTTPPaymentGateway.parseAnswer(Array("[1]".utf8), key: "k") == .invalid("the answer is not a JSON object"))
    }
}
