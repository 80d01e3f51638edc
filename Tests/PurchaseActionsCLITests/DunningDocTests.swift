import CommandLineTesting
import Foundation
import Testing

/// The console examples of Docs/dunning-simulation.md are the commands' real output: each example
/// is run (in a scratch folder that sees the repository's Fixtures) and every line it shows, except
/// `...` (lines left out), must be a line the command printed.
@Suite("Docs/dunning-simulation.md: the console examples are real output")
struct DunningDocTests {
    /// The ```console blocks of the doc: the commands (with their continuation lines joined) and the lines shown.
    static func examples() throws -> [(commands: [[String]], shown: [String])] {
        let doc = try String(contentsOf: BuiltProducts.root.appendingPathComponent("Docs/dunning-simulation.md"), encoding: .utf8)
        var examples: [(commands: [[String]], shown: [String])] = []
        for block in doc.components(separatedBy: "```console\n").dropFirst() {
            let body = block.components(separatedBy: "\n```").first ?? ""
            var commands: [[String]] = []
            var shown: [String] = []
            var pending: String?
            for line in body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if let started = pending {
                    pending = nil
                    let joined = started + " " + line.trimmingCharacters(in: .whitespaces)
                    if joined.hasSuffix("\\") { pending = String(joined.dropLast()) } else { commands.append(joined.split(separator: " ").map(String.init)) }
                } else if line.hasPrefix("$ ") {
                    let text = String(line.dropFirst(2))
                    if text.hasSuffix("\\") { pending = String(text.dropLast()) } else { commands.append(text.split(separator: " ").map(String.init)) }
                } else if line != "..." && !line.hasPrefix("  ...") && !line.isEmpty {
                    shown.append(line)
                }
            }
            examples.append((commands, shown))
        }
        return examples
    }

    @Test("Every example whose files are bundled prints the lines it shows")
    func examplesAreReal() throws {
        let examples = try Self.examples()
        let folder = try BuiltProducts.scratch("pa-dunning-doc")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("Fixtures"), withDestinationURL: BuiltProducts.root.appendingPathComponent("Fixtures"))
        var checked = 0
        for example in examples {
            // Only examples that run on bundled files (not `broken.yaml`, `typo.json`, `bad.jsonl`).
            let runnable = example.commands.allSatisfy { words in
                words.first.map { ["import-actions", "purchase-actions", "echo"].contains($0) } ?? false
                    && words.dropFirst().allSatisfy { !$0.hasSuffix(".yaml") && !$0.hasSuffix(".json") && !$0.hasSuffix(".jsonl") || $0.hasPrefix("Fixtures/") || $0.hasPrefix("stillwater/") }
            }
            guard runnable else { continue }
            var printed: [String] = []
            for words in example.commands where words[0] != "echo" {
                let result = try BuiltProducts.runProgram(
                    BuiltProducts.folder(holding: words[0]).appendingPathComponent(words[0]), Array(words.dropFirst()), in: folder)
                printed += (result.output + result.errors).split(separator: "\n").map(String.init)
                if words[0] == "purchase-actions" { printed.append("\(result.status)") }
            }
            for line in example.shown { #expect(printed.contains(line), "not printed: \(line)") }
            checked += 1
        }
        #expect(checked >= 3, "examples checked: \(checked)")
    }
}
