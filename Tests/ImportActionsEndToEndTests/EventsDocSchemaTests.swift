import CommandLineTesting
import Foundation
import Testing

/// Docs/events.md's example lines validate against Docs/events.schema.json (Python's jsonschema,
/// independent of the Swift decoder, which DocsExampleTests' EventsDocTests runs on the same lines).
@Suite("Docs/events.md: example lines against the schema", .requires(.jsonschema))
struct EventsDocSchemaTests {
    @Test("Every full event line of Docs/events.md validates against Docs/events.schema.json")
    func linesValidate() throws {
        let text = try String(contentsOf: CLI.root.appendingPathComponent("Docs/events.md"), encoding: .utf8)
        var inBlock = false
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock = line == "```json" || line == "```jsonl"
                continue
            }
            if inBlock, line.hasPrefix("{\"id\":"), line.contains("\"type\":") { lines.append(String(line)) }
        }
        #expect(lines.count >= 19)
        try ImportWritingTests.withScratch { folder in
            let file = folder.appendingPathComponent("events-md.jsonl")
            try Data(lines.joined(separator: "\n").utf8).write(to: file)
            let run = try JSONSchemaTests.checkJSON(["--schema", "Docs/events.schema.json", file.path])
            #expect(run.status == 0, "\(run.output)")
        }
    }

    @Test("The effect-details fixture (Docs/engine.md, \"Effect details\") validates against both schemas")
    func effectDetailsFixture() throws {
        let workflow = try JSONSchemaTests.checkJSON(["--schema", "Docs/workflow-format.schema.json", "Fixtures/docs/effect-details/workflows/every-action.json"])
        #expect(workflow.status == 0, "\(workflow.output)")
        let events = try JSONSchemaTests.checkJSON(["--schema", "Docs/events.schema.json", "Fixtures/docs/effect-details/events.jsonl"])
        #expect(events.status == 0, "\(events.output)")
    }
}
