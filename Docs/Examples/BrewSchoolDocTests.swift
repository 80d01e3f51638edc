import Foundation
import PurchaseActions
import Testing

/// Docs/workflow-format.md, "Waits and branches: Brew School": the example is what the compiler
/// writes (Fixtures/expected/physical-goods-store/workflows/sequence.seq-brew-school.json).
@Suite("Docs/workflow-format.md: the Brew School example equals the golden file")
struct BrewSchoolDocTests {
    static let golden = "Fixtures/expected/physical-goods-store/workflows/sequence.seq-brew-school.json"

    /// The example's steps (a JSON array).
    static func example() throws -> [JSONValue] {
        let section = try #require(try DocText("Docs/workflow-format.md").section("Waits and branches: Brew School"))
        let block = try #require(section.fencedBlocks.first { $0.language == "json" })
        guard case .array(let steps) = try JSONValue.parse(block.lines.joined(separator: "\n")) else {
            Issue.record("the example is not a JSON array of steps")
            return []
        }
        return steps
    }

    /// The golden file's steps, without their `source` traces.
    static func goldenSteps() throws -> [JSONValue] {
        let text = try String(contentsOf: DocText.root.appendingPathComponent(golden), encoding: .utf8)
        guard case .object(let workflow) = try JSONValue.parse(text), case .array(let steps)? = workflow["steps"] else { return [] }
        return steps.map(withoutSources)
    }

    static func withoutSources(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.filter { $0.key != "source" }.mapValues(withoutSources))
        case .array(let items): .array(items.map(withoutSources))
        default: value
        }
    }

    /// Whether the example's value matches the golden one: equal, except that an `action` of the
    /// example may leave members out (it shows `type` and `template` only), and the golden's may
    /// leave out `type` (a workflow file that refers to a template omits the template's members).
    static func matches(_ shown: JSONValue, _ written: JSONValue, path: String, isAction: Bool = false) -> [String] {
        switch (shown, written) {
        case (.object(let a), .object(let b)):
            var problems: [String] = []
            for (key, value) in a {
                guard let other = b[key] else {
                    if !(isAction && key == "type") { problems.append("\(path).\(key): not in the golden file") }
                    continue
                }
                problems += matches(value, other, path: "\(path).\(key)", isAction: key == "action")
            }
            if !isAction {
                for key in b.keys where a[key] == nil { problems.append("\(path).\(key): in the golden file, not in the example") }
            }
            return problems
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return ["\(path): \(a.count) items, the golden file has \(b.count)"] }
            return zip(a, b).enumerated().flatMap { matches($1.0, $1.1, path: "\(path)[\($0)]") }
        default:
            return shown == written ? [] : ["\(path): \(shown.compactText), the golden file has \(written.compactText)"]
        }
    }

    @Test("The example's steps are consecutive steps of the golden file, as written there")
    func equalsGolden() throws {
        let example = try Self.example()
        let golden = try Self.goldenSteps()
        #expect(example.count == 3)
        guard case .object(let first)? = example.first, let id = first["id"] else { return }
        let start = try #require(golden.firstIndex { if case .object(let step) = $0 { step["id"] == id } else { false } }, "\(id.compactText) is not a step of the golden file")
        let written = Array(golden[start..<min(golden.count, start + example.count)])
        let problems = Self.matches(.array(example), .array(written), path: "$")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("The example's action leaves out members only: the mismatch check catches a changed value")
    func checkCatchesChanges() {
        let golden = JSONValue.object(["action": .object(["template": .string("tpl-brew-d1"), "subject": .string("Lesson 2")]), "id": .string("x")])
        #expect(Self.matches(.object(["action": .object(["template": .string("tpl-brew-d1"), "type": .string("send-email")]), "id": .string("x")]), golden, path: "$").isEmpty)
        #expect(!Self.matches(.object(["action": .object(["template": .string("tpl-brew-d2")]), "id": .string("x")]), golden, path: "$").isEmpty)
        #expect(!Self.matches(.object(["action": .object(["template": .string("tpl-brew-d1")])]), golden, path: "$").isEmpty)
    }

    @Test("Every wait of the golden file is from the enrollment and its days are named in the text")
    func waitsAreAbsolute() throws {
        let section = try #require(try DocText("Docs/workflow-format.md").section("Waits and branches: Brew School"))
        var days: [Int] = []
        for case .object(let step) in try Self.goldenSteps() {
            guard case .object(let wait)? = step["wait"] else { continue }
            #expect(wait["from"] == .string("enrollment"))
            if case .object(let delay)? = wait["delay"], case .integer(let count)? = delay["days"] { days.append(count) }
        }
        #expect(days == [1, 3, 7, 14])
        for count in days { #expect(section.text.contains("{\"days\": \(count)}"), "day \(count)") }
    }
}
