import Foundation
import PurchaseActionsCore
import Testing

@Suite("Events: decoding events format v1")
struct EventDecodingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var exampleLines: [String] {
        let text = (try? String(contentsOf: root.appendingPathComponent("Fixtures/events/examples.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    struct Invalid: Decodable, Sendable, CustomTestStringConvertible {
        var file: String
        var path: String
        var why: String
        var testDescription: String { file }
    }

    static var invalid: [Invalid] {
        let data = (try? Data(contentsOf: root.appendingPathComponent("Fixtures/events/invalid/manifest.json"))) ?? Data()
        return (try? JSONDecoder().decode([Invalid].self, from: data)) ?? []
    }

    @Test("The invalid-event manifest is read: it lists every file of the folder")
    func manifestRead() {
        #expect(Self.invalid.count >= 8)
    }

    @Test("Every example event decodes, one of every type")
    func examplesDecode() throws {
        let events = try Self.exampleLines.map { line throws in try Event.load(Array(line.utf8)) }
        #expect(events.count >= EventType.all.count)
        #expect(Set(events.map(\.type)) == Set(EventType.all))
    }

    @Test("Every value at its documented maximum decodes (Fixtures/events/limits.jsonl); one past it is in invalid/")
    func limitsDecode() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Fixtures/events/limits.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 16)
        for line in lines {
            do {
                _ = try Event.load(Array(line.utf8))
            } catch {
                Issue.record("\(line.prefix(60)): \(error)")
            }
        }
        let past = Self.invalid.filter { $0.file.contains("past-maximum") || $0.file.contains("year-zero") }
        #expect(past.count >= 15, "each maximum has a fixture one past it")
    }

    @Test(
        "Header fields refuse every C0 control but tab, DEL and Unicode line breaks, at the member's path; other text is kept",
        arguments: Array(0x00...0x08) + Array(0x0A...0x1F) + [0x7F, 0x85, 0x2028, 0x2029])
    func headerFieldsRefuseControls(code: Int) throws {
        let control = String(Character(Unicode.Scalar(UInt32(code))!))
        func event(_ contact: String) -> [UInt8] {
            Array(#"{"id":"e-1","type":"cart.login","occurredAt":"2025-01-14T10:03:25Z","contact":\#(contact)}"#.utf8)
        }
        func quoted(_ text: String) -> String { JSONValue.string(text).compactText }
        let cases = [
            ("firstName", #"{"firstName":\#(quoted("Bob" + control + "x")),"lastName":"S","email":"b@example.com"}"#),
            ("lastName", #"{"firstName":"Bob","lastName":\#(quoted("S" + control)),"email":"b@example.com"}"#),
            ("email", #"{"firstName":"Bob","lastName":"S","email":\#(quoted("b@example.com" + control + "Bcc: x@example.com"))}"#),
            ("fields.Company", #"{"id":"c-1","fields":{"Company":\#(quoted("Acme" + control))}}"#),
        ]
        for (member, contact) in cases {
            do {
                _ = try Event.load(event(contact))
                Issue.record("\(member) with U+\(code) was accepted")
            } catch {
                #expect(error.path.description == "$.contact.\(member)")
            }
        }
        let kept = try Event.load(event(#"{"firstName":"Zoë \u202e","lastName":"Ó\tBriain","email":"zoe@example.com"}"#))
        #expect(kept.contact.firstName == "Zoë \u{202E}", "other text is kept as it is (and escaped when shown)")
        #expect(kept.contact.lastName == "Ó\tBriain", "tab is white space within a header line: kept")
    }

    @Test("Every invalid event is refused at the JSON path its manifest gives (the schema's path)", arguments: invalid)
    func invalidRefused(entry: Invalid) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("Fixtures/events/invalid/\(entry.file)")))
        do {
            _ = try Event.load(bytes)
            Issue.record("\(entry.file) was accepted: \(entry.why)")
        } catch {
            #expect(error.path.description == entry.path, "\(entry.file): \(error)")
        }
    }

    @Test("Derived fields: products include a subscription's product, payment kind and status")
    func derivedFields() throws {
        let line = #"{"id":"e1","type":"payment.autocharge_failed","occurredAt":"2025-04-10T02:00:00+10:00","contact":{"id":"c1"},"order":{"id":"o1","source":"cart","lines":[{"subscriptionPlan":"plan-monthly"},{"product":"prod-mat","priceOption":"opt-blue","quantity":2},{"product":"prod-mat","quantity":1}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":5,"amount":{"minor":2900,"currency":"AUD"},"declineCode":"do_not_honor"},"subscription":{"id":"s1","plan":"plan-monthly"},"autocharge":{"attempt":2,"invoice":"inv-1"}}"#
        let event = try Event.load(Array(line.utf8))
        let context = FieldContext(tags: ["tag-a"], fields: ["FirstName": "Priya"]) { $0 == "plan-monthly" ? "prod-membership" : nil }
        #expect(event.field("order.products", in: context) == .list(["prod-membership", "prod-mat"]))
        #expect(event.field("order.subscriptionPlans", in: context) == .list(["plan-monthly"]))
        #expect(event.field("order.priceOptions", in: context) == .list(["opt-blue"]))
        #expect(event.field("payment.kind", in: context) == .text("renewal"))
        #expect(event.field("payment.status", in: context) == .text("failed"))
        #expect(event.field("autocharge.attempt", in: context) == .integer(2))
        #expect(event.field("contact.fields.FirstName", in: context) == .text("Priya"))
        #expect(event.field("contact.tags", in: context) == .list(["tag-a"]))
        #expect(event.field("card.daysUntilExpiry", in: context) == nil)
        #expect(event.occurredAt == Instant(secondsSinceEpoch: 1_744_214_400))
    }

    @Test("Errors name the member: unknown, wrong type, not an integer")
    func errors() {
        func error(_ text: String) -> JSONError? {
            do {
                _ = try Event.load(Array(text.utf8))
                return nil
            } catch { return error }
        }
        let base = #"{"id":"e1","type":"tag.added","occurredAt":"2025-01-01T00:00:00Z","contact":{"id":"c1"},"tag":"t1""#
        #expect(error(base + "}") == nil)
        #expect(error(base + #","colour":"red"}"#)?.path.description == "$.colour")
        #expect(error(base.replacing(#""id":"c1""#, with: #""id":"c1","fields":{"_X":3}"#) + "}")?.path.description == "$.contact.fields['_X']")
        #expect(error(base.replacing(#""tag":"t1""#, with: #""tag":7"#) + "}")?.code == .wrongType)
        let fraction = error(base + #","x":1.5}"#)
        #expect(fraction?.code == .notAnInteger)
        #expect(fraction?.column == base.utf8.count + 6)
        #expect(error(base.replacing("00:00:00Z", with: "00:00:00") + "}")?.path.description == "$.occurredAt")
    }
}
