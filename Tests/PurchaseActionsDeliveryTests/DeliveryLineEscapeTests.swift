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
