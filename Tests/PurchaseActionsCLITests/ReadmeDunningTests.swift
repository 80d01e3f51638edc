import CommandLineTesting
import Foundation
import Testing

/// README's "Dunning": every command of its ```sh block runs, in order, as a user would (`swift
/// run X` is the built executable X), in a scratch folder that sees the repository's Fixtures, and
/// each exits 0.
@Suite("README, \"Dunning\": every command works")
struct ReadmeDunningTests {
    /// The command lines of the first ```sh block of the section.
    static func commands() throws -> [[String]] {
        let readme = try String(contentsOf: BuiltProducts.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Dunning\n").dropFirst().first, "README.md has no \"Dunning\" section")
        let body = section.components(separatedBy: "\n## ").first ?? ""
        let block = try #require(body.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "\n```").first)
        return block.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    @Test("The section's commands run in order and each exits 0; simulate prints totals, --compare the differences")
    func commandsRun() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 3, "\(commands)")
        #expect(commands.contains { $0.contains("check") } && commands.contains { $0.contains("--compare") })
        let folder = try BuiltProducts.scratch("pa-readme-dunning")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("Fixtures"), withDestinationURL: BuiltProducts.root.appendingPathComponent("Fixtures"))
        for words in commands {
            try #require(Array(words.prefix(2)) == ["swift", "run"] && words.count > 2, "not a `swift run` command: \(words.joined(separator: " "))")
            let executable = words[2]
            let result = try BuiltProducts.runProgram(
                BuiltProducts.folder(holding: executable).appendingPathComponent(executable), Array(words.dropFirst(3)), in: folder)
            #expect(result.status == 0, "\(words.joined(separator: " ")): exit \(result.status)\n\(result.errors)")
            if words.contains("simulate") { #expect(result.output.contains("attempts per recovery"), "\(result.output.suffix(500))") }
            if words.contains("--compare") { #expect(result.output.contains("invoices whose outcome differs"), "\(result.output.suffix(500))") }
        }
    }
}
