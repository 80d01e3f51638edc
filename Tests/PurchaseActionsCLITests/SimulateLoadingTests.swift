import CommandLineTesting
import Foundation
import Testing

/// `simulate` reads its inputs with the umbrella's loaders: what they refuse is printed as the
/// loader says it (`file: error: message`), with the exit code of its `LoadError` code
/// (Docs/cli.md, "Exit codes").
@Suite("purchase-actions simulate: the library's loaders and their errors")
struct SimulateLoadingTests {
    static let events = "Fixtures/events/course-creator.jsonl"

    @Test("A folder named like a workflow file inside --workflows is exit 66, named as the loader names it")
    func folderInFolder() throws {
        let scratch = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let source = Tool.root.appendingPathComponent("Fixtures/workflows/course-creator")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: scratch.appendingPathComponent(name))
        }
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("extra.json"), withIntermediateDirectories: false)
        let result = try Tool.run("purchase-actions", ["simulate", "--workflows", scratch.path, "--events", Self.events])
        #expect(result.status == 66)
        #expect(result.errors == "\(scratch.path)/extra.json: error: a folder, not a workflow file (<id>.json)\n")
        #expect(result.output.isEmpty)
    }

}
