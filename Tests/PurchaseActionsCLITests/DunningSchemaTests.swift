import CommandLineTesting
import Foundation
import Testing

/// Docs/gateway-script.schema.json and the dunning fixtures, checked with an independent validator:
/// Python's `jsonschema` (Tools/check-json.py), as Tests/ImportActionsEndToEndTests/JSONSchemaTests.swift does.
@Suite("Dunning simulation files against their JSON Schemas (Python's jsonschema)", .requires(.jsonschema))
struct DunningSchemaTests {
    /// Tools/check-json.py run through the harness's `runProgram`; its output and errors together.
    static func checkJSON(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try BuiltProducts.runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "Tools/check-json.py"] + arguments, in: BuiltProducts.root)
        return (result.status, result.output + result.errors)
    }

    static func files(_ folder: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: BuiltProducts.root.appendingPathComponent(folder).path)
            .filter { $0.hasSuffix(suffix) }.sorted().map { "\(folder)/\($0)" }
    }

    @Test("Every bundled gateway script validates against Docs/gateway-script.schema.json")
    func scriptsValidate() throws {
        let scripts = try Self.files("Fixtures/dunning/scripts", suffix: ".json")
        #expect(scripts.count >= 4)
        let run = try Self.checkJSON(["--schema", "Docs/gateway-script.schema.json"] + scripts)
        #expect(run.status == 0, "\(run.output)")
    }

    @Test("The schema refuses every script of Fixtures/dunning/scripts/invalid at the path its manifest names")
    func scriptsRefused() throws {
        let run = try Self.checkJSON(["--schema", "Docs/gateway-script.schema.json", "--invalid", "Fixtures/dunning/scripts/invalid/manifest.json"])
        #expect(run.status == 0, "\(run.output)")
    }

    @Test("Every line of the bundled failures files validates against Docs/events.schema.json")
    func failuresValidate() throws {
        let failures = try Self.files("Fixtures/dunning/failures", suffix: ".jsonl")
        #expect(failures.count >= 3)
        let run = try Self.checkJSON(["--schema", "Docs/events.schema.json"] + failures)
        #expect(run.status == 0, "\(run.output)")
    }

    @Test("The gateway script example of Docs/dunning-simulation.md is Fixtures/dunning/scripts/stillwater.json, and validates")
    func docExample() throws {
        let doc = try String(contentsOf: BuiltProducts.root.appendingPathComponent("Docs/dunning-simulation.md"), encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "### The gateway script").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "```").first)
        let fixture = try String(contentsOf: BuiltProducts.root.appendingPathComponent("Fixtures/dunning/scripts/stillwater.json"), encoding: .utf8)
        #expect(block == fixture)
    }
}
