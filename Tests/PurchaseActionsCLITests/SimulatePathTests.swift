import CommandLineTesting
import Foundation
import Testing

/// Paths the reviewers broke `simulate` with: names that are not valid UTF-8 (on the command line
/// and inside a `--workflows` folder) and loops of symbolic links. Each is run through `/bin/sh`,
/// which passes the raw bytes a `Process` argument cannot.
@Suite("purchase-actions simulate: names that are not UTF-8, loops of symbolic links")
struct SimulatePathTests {
    /// Runs `script` with `sh -c` in a new scratch folder; `$TOOL` is the built `executable`.
    static func shell(_ executable: String, _ script: String) throws -> (status: Int32, output: String, errors: String) {
        let scratch = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let tool = BuiltProducts.folder(holding: executable).appendingPathComponent(executable).path
        let result = try BuiltProducts.runProgram(
            URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: ["TOOL": tool, "ROOT": Tool.root.path, "PATH": "/usr/bin:/bin"], in: scratch)
        return (result.status, result.output, result.errors)
    }

    static let workflows = "mkdir wf && cp \"$ROOT\"/Fixtures/workflows/course-creator/*.json wf/ && : > ok.jsonl && "

    @Test("An events file whose name is not valid UTF-8 exists: the message says the name could not be read as UTF-8, not 'no such file'")
    func eventsNameNotUTF8() throws {
        let result = try Self.shell(
            "purchase-actions",
            "name=$(printf 'ev\\376.jsonl'); : > \"$name\"; exec \"$TOOL\" simulate --export \"$ROOT/Fixtures/exports/course-creator.xml\" --events \"$name\"")
        #expect(result.status == 66)
        #expect(result.errors.contains("could not be read as UTF-8"), "\(result.errors)")
        #expect(result.errors.contains("rename the file"))
    }

    @Test("A file inside a --workflows folder whose name is not valid UTF-8 is named as such (exit 65), never 'no such file'")
    func folderEntryNotUTF8() throws {
        let result = try Self.shell("purchase-actions", Self.workflows + "printf '{}' > \"wf/$(printf 'bad\\377-x.json')\"; exec \"$TOOL\" simulate --workflows wf --events ok.jsonl")
        #expect(result.status == 65)
        #expect(result.errors == "wf: error: the name of the file 'bad\u{FFFD}-x.json' in the folder is not valid UTF-8 (U+FFFD stands for the bytes that are not); rename it\n")
    }

    @Test("A loop of symbolic links as --events, --workflows or a file in the folder is named a loop (exit 66)", arguments: [
        ("ln -s b a; ln -s a b; exec \"$TOOL\" simulate --workflows wf --events a", "error: a is a loop of symbolic links (following them never ends: ELOOP); --events takes an events file (JSON Lines)\n"),
        ("ln -s b a; ln -s a b; exec \"$TOOL\" simulate --workflows a --events ok.jsonl", "error: a is a loop of symbolic links (following them never ends: ELOOP); --workflows takes a folder of workflow files (<id>.json)\n"),
        ("ln -s y.json wf/x.json; ln -s x.json wf/y.json; exec \"$TOOL\" simulate --workflows wf --events ok.jsonl", "wf/x.json: error: a loop of symbolic links (following them never ends: ELOOP); expected a workflow file (<id>.json)\n"),
    ])
    func linkLoops(script: String, message: String) throws {
        let result = try Self.shell("purchase-actions", Self.workflows + script)
        #expect(result.status == 66)
        #expect(result.errors == message)
    }

    @Test("import-actions given an export whose name is not valid UTF-8 says so (exit 66)")
    func exportNameNotUTF8() throws {
        let result = try Self.shell(
            "import-actions", "name=$(printf 'ex\\376.xml'); cp \"$ROOT/Fixtures/exports/course-creator.xml\" \"$name\"; exec \"$TOOL\" \"$name\" --check")
        #expect(result.status == 66)
        #expect(result.errors.contains("could not be read as UTF-8"), "\(result.errors)")
        #expect(result.output.isEmpty)
    }
}

/// Every bad line of an events file in the one form of the loaders: `file:line[:column]: error: $.path: message`.
@Suite("purchase-actions simulate: one form for bad event lines")
struct SimulateLineFormTests {
    @Test("A JSON syntax error, a member at fault and a line out of time order all read file:line[:column]: error: $…")
    func lineForms() throws {
        let scratch = try Tool.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let good = #"{"id":"e1","type":"tag.added","occurredAt":"2025-01-01T09:00:00Z","contact":{"id":"c-1"},"tag":"x"}"#
        let lines = [
            good, #"{"id":"e2","type":"tag.added","#, #"{"id":"e3","type":"tag.added","occurredAt":"2025-01-01T09:00:00Z","contact":{"id":"c-1"}}"#,
            #"{"id":"e4","type":"tag.added","occurredAt":"2025-01-01T08:00:00Z","contact":{"id":"c-1"},"tag":"x"}"#,
        ]
        let file = scratch.appendingPathComponent("e.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let result = try Tool.run(
            "purchase-actions", ["simulate", "--workflows", "Fixtures/expected/course-creator", "--events", file.path, "--keep-going"])
        #expect(result.status == 65)
        let errors = result.errors.split(separator: "\n").map(String.init).filter { $0.hasPrefix(file.path) }
        #expect(errors.count == 3, "\(result.errors)")
        for (line, number) in zip(errors, [2, 3, 4]) {
            #expect(line.hasPrefix("\(file.path):\(number):"), "\(line)")
            #expect(line.contains(": error: $"), "\(line)")
            #expect(!line.contains("column"), "\(line)")
        }
        #expect(errors.first?.hasPrefix("\(file.path):2:") == true)
        #expect(errors.last == "\(file.path):4: error: $.occurredAt: event 'e4' happened at 2025-01-01T08:00:00Z, before the engine's clock (2025-01-01T09:00:00Z); events must come in time order")
    }
}
