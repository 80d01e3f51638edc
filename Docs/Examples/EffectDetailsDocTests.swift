import Foundation
import PurchaseActions
import Testing

/// Docs/engine.md, "Effect details": an example of every action type's effect, equal to what the
/// engine records for Fixtures/docs/effect-details, so the page cannot drift from the code.
@Suite("Docs/engine.md: effect details of every action type")
struct EffectDetailsDocTests {
    /// The documented effects, by kind.
    static func documented() throws -> [String: JSONValue] {
        let section = try #require(try DocText("Docs/engine.md").section("Effect details"), "Docs/engine.md has no \"Effect details\" section")
        let block = try #require(section.fencedBlocks.first { $0.language == "json" }, "its effects are in a ```json block")
        var effects: [String: JSONValue] = [:]
        for line in block.lines where !line.isEmpty {
            let effect = try JSONValue.parse(line)
            guard case .object(let members) = effect, case .string(let kind)? = members["kind"] else {
                Issue.record("not an effect with a kind: \(line)")
                continue
            }
            #expect(effects[kind] == nil, "two examples of \(kind)")
            effects[kind] = effect
        }
        return effects
    }

    /// What the engine records for the fixture, each effect as its log record writes it.
    static func recorded() throws -> [String: JSONValue] {
        let folder = DocText.root.appendingPathComponent("Fixtures/docs/effect-details")
        let workflow = try Workflow.load(Array(Data(contentsOf: folder.appendingPathComponent("workflows/every-action.json"))))
        let line = try String(contentsOf: folder.appendingPathComponent("events.jsonl"), encoding: .utf8).split(separator: "\n")[0]
        let event = try Event.load(Array(line.utf8))
        let engine = try Engine(workflows: [workflow], start: event.occurredAt)
        let records = try engine.ingest(event)
        var effects: [String: JSONValue] = [:]
        for record in records {
            guard case .object(let members) = record.json, let effect = members["effect"], let kind = record.effect?.kind else { continue }
            effects[kind] = effect
        }
        return effects
    }

    @Test("Every action type has a documented example, and the fixture runs one of each")
    func everyType() throws {
        let documented = try Self.documented()
        let recorded = try Self.recorded()
        #expect(Set(documented.keys) == Set(WorkflowAction.typeNames))
        #expect(Set(recorded.keys) == Set(WorkflowAction.typeNames))
    }

    @Test("Each example's details hold the members the engine writes for its type, with the same values")
    func sameDetails() throws {
        let documented = try Self.documented()
        let recorded = try Self.recorded()
        for type in WorkflowAction.typeNames {
            guard case .object(let shown)? = documented[type], case .object(let ran)? = recorded[type] else {
                Issue.record("\(type): missing from the doc or the run")
                continue
            }
            guard case .object(let shownDetails)? = shown["details"], case .object(let ranDetails)? = ran["details"] else {
                Issue.record("\(type): no details object")
                continue
            }
            #expect(Set(shownDetails.keys) == Set(ranDetails.keys), "\(type): the documented details' members differ from the engine's")
            #expect(documented[type] == recorded[type], "\(type): the documented effect differs from the engine's: \(recorded[type]!.compactText)")
        }
    }
}
