import CommandLineTesting
import Foundation
import Testing

/// README's "Run it for real": every command of its ```sh block runs, in order, as a user would
/// (`swift run X` is the built executable X), in a scratch folder that sees the repository's
/// Fixtures, and each exits 0.
@Suite("README, \"Run it for real\": every command works")
struct ReadmeRunForRealTests {
    /// The command lines of the first ```sh block of the section.
    static func commands() throws -> [[String]] {
        let readme = try String(contentsOf: BuiltProducts.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Run it for real\n").dropFirst().first, "README.md has no \"Run it for real\" section")
        let body = section.components(separatedBy: "\n## ").first ?? ""
        let block = try #require(body.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "\n```").first)
        return block.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    @Test("The section's commands run in order and each exits 0; the worker delivers, and a second run delivers nothing new")
    func commandsRun() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 4, "\(commands)")
        let folder = try BuiltProducts.scratch("pa-readme")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("Fixtures"), withDestinationURL: BuiltProducts.root.appendingPathComponent("Fixtures"))
        var runLine: [String]?
        for words in commands {
            try #require(Array(words.prefix(2)) == ["swift", "run"] && words.count > 2, "not a `swift run` command: \(words.joined(separator: " "))")
            let executable = words[2]
            let result = try BuiltProducts.runProgram(
                BuiltProducts.folder(holding: executable).appendingPathComponent(executable), Array(words.dropFirst(3)), in: folder)
            #expect(result.status == 0, "\(words.joined(separator: " ")): exit \(result.status)\n\(result.errors)")
            if words.count > 3 && words[3] == "run" { runLine = words }
            if words.count > 3 && words[3] == "log" { #expect(!result.output.isEmpty, "log printed nothing") }
        }
        let deliveries = try String(contentsOf: folder.appendingPathComponent("deliveries.jsonl"), encoding: .utf8)
        let count = deliveries.split(separator: "\n").count
        #expect(count > 0, "the worker delivered nothing")
        // Again: nothing new is delivered.
        let words = try #require(runLine)
        let again = try BuiltProducts.runProgram(
            BuiltProducts.folder(holding: "purchase-actions").appendingPathComponent("purchase-actions"), Array(words.dropFirst(3)), in: folder)
        #expect(again.status == 0, "\(again.errors)")
        let after = try String(contentsOf: folder.appendingPathComponent("deliveries.jsonl"), encoding: .utf8)
        #expect(after.split(separator: "\n").count == count, "a second run delivered again")
    }
}
