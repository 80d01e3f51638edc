import CommandLineTesting
import Foundation
import Testing

/// `simulate`'s inputs: the wrong kind named (exit 66), the reader limits, an import's output
/// folder, workflow file names, and events files with a byte order mark or an endless line; and
/// nothing from the input reaches the terminal raw.
@Suite("purchase-actions simulate: inputs and safe output")
struct SimulateInputTests {
    static let export = "Fixtures/exports/course-creator.xml"
    static let events = "Fixtures/events/course-creator.jsonl"

    static func simulate(_ arguments: [String]) throws -> BuiltProducts.Result { try Tool.simulate(arguments) }

    static func withScratch(_ body: (URL) throws -> Void) throws { try Tool.withScratch(body) }

    @Test("A folder where a file is expected, or the reverse, is exit 66 with a message saying which", arguments: [
        (["--export", export, "--events", "Fixtures/events"], "error: Fixtures/events is a folder; --events takes an events file (JSON Lines)\n"),
        (["--workflows", export, "--events", events], "error: \(export) is a file; --workflows takes a folder of workflow files (<id>.json)\n"),
        (["--export", "Fixtures/exports", "--events", events], "error: Fixtures/exports is a folder; --export takes an export file (XML)\n"),
        (["--export", export, "--events", "no-such.jsonl"], "no-such.jsonl: error: no such file or folder; --events takes an events file (JSON Lines)\n"),
    ])
    func wrongKind(arguments: [String], message: String) throws {
        let result = try Self.simulate(arguments)
        #expect(result.status == 66)
        #expect(result.errors == message)
        #expect(result.output.isEmpty)
    }

    @Test("A symbolic link to a folder is a folder, never \"a file\"")
    func linkToFolder() throws {
        try Self.withScratch { scratch in
            let link = scratch.appendingPathComponent("events.jsonl")
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: Tool.root.appendingPathComponent("Fixtures/events").path)
            let result = try Self.simulate(["--export", Self.export, "--events", link.path])
            #expect(result.status == 66)
            #expect(result.errors.contains("is a folder"))
            let dangling = scratch.appendingPathComponent("gone.jsonl")
            try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: scratch.appendingPathComponent("nothing").path)
            let gone = try Self.simulate(["--export", Self.export, "--events", dangling.path])
            #expect(gone.status == 66)
            #expect(gone.errors.contains("symbolic link to nothing"))
        }
    }

    @Test("simulate takes the reader limits of Docs/cli.md and applies them to --export")
    func readerLimits() throws {
        let limited = try Self.simulate(["--export", Self.export, "--events", Self.events, "--max-depth", "3"])
        #expect(limited.status == 65)
        #expect(limited.errors.contains("exceeds the depth limit of 3"))
        for option in [
            "--max-depth", "--max-attributes", "--max-text-bytes", "--max-document-bytes", "--max-unit-elements",
            "--max-unit-bytes", "--max-catalogue-bytes", "--max-namespaces", "--max-namespace-bytes",
            "--max-namespaces-in-scope", "--max-names", "--max-name-bytes",
        ] {
            #expect(try Self.simulate(["--export", Self.export, "--events", Self.events, option, "0"]).status == 64, "\(option) 0")
            #expect(try Self.simulate(["--export", Self.export, "--events", Self.events, option, "1000000"]).status == 0, "\(option)")
        }
    }

    @Test("An import's output folder is read from its workflows/ folder: the same run as the folder itself")
    func importOutputFolder() throws {
        let fromOutput = try Self.simulate(["--workflows", "Fixtures/expected/course-creator", "--events", Self.events, "--until", "30d"])
        let fromFolder = try Self.simulate(["--workflows", "Fixtures/expected/course-creator/workflows", "--events", Self.events, "--until", "30d"])
        #expect(fromOutput.status == 0, "\(fromOutput.errors)")
        #expect(fromOutput.output == fromFolder.output)
    }

    @Test("A workflow file not named <id>.json is refused, naming the file and its id; hidden files are skipped")
    func misnamedWorkflow() throws {
        try Self.withScratch { scratch in
            let source = Tool.root.appendingPathComponent("Fixtures/workflows/course-creator")
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: scratch.appendingPathComponent(name))
            }
            try Data("not json".utf8).write(to: scratch.appendingPathComponent("._action-set.as-basic.json"))
            let fine = try Self.simulate(["--workflows", scratch.path, "--events", Self.events])
            #expect(fine.status == 0, "\(fine.errors)")
            try FileManager.default.moveItem(
                at: scratch.appendingPathComponent("action-set.as-basic.json"), to: scratch.appendingPathComponent("action-set.as-basic-copy.json"))
            let result = try Self.simulate(["--workflows", scratch.path, "--events", Self.events])
            #expect(result.status == 65)
            #expect(result.errors.contains("\(scratch.path)/action-set.as-basic-copy.json: error: $.id:"))
            #expect(result.errors.contains("'action-set.as-basic' must be named action-set.as-basic.json"))
        }
    }

    @Test("An events file starting with a byte order mark fails its first line, clearly; CRLF is fine")
    func byteOrderMark() throws {
        try Self.withScratch { scratch in
            let text = try String(contentsOf: Tool.root.appendingPathComponent(Self.events), encoding: .utf8)
            let file = scratch.appendingPathComponent("bom.jsonl")
            try Data([0xEF, 0xBB, 0xBF] + Array(text.replacing("\n", with: "\r\n").utf8)).write(to: file)
            let result = try Self.simulate(["--export", Self.export, "--events", file.path])
            #expect(result.status == 65)
            #expect(result.errors == "\(file.path):1:1: error: $: the file starts with a byte order mark (U+FEFF); an events file is UTF-8 without one (Docs/events.md)\n"
                + "note: the run stopped at line 1 of \(file.path), the first bad line: nothing after it ran (--keep-going skips bad lines and runs the rest)\n")
            let utf16 = scratch.appendingPathComponent("utf16.jsonl")
            try Data([0xFF, 0xFE] + Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: utf16)
            let wide = try Self.simulate(["--export", Self.export, "--events", utf16.path])
            #expect(wide.status == 65)
            #expect(wide.errors.hasPrefix("\(utf16.path):1:1: error: $: the file starts with a UTF-16 byte order mark"))
            #expect(!wide.errors.contains("\u{0}") && !wide.errors.unicodeScalars.contains { $0.value == 0 }, "no raw NUL printed")
        }
    }

    @Test("A line past the 1 MiB maximum is refused without being kept; --keep-going reads on")
    func endlessLine() throws {
        try Self.withScratch { scratch in
            let lines = try String(contentsOf: Tool.root.appendingPathComponent(Self.events), encoding: .utf8).split(separator: "\n")
            let file = scratch.appendingPathComponent("long.jsonl")
            let long = String(repeating: " ", count: 1 << 20) + "x"
            let exact = String(lines[1]) + String(repeating: " ", count: (1 << 20) - lines[1].utf8.count)
            try ([String(lines[0]), exact, long, String(lines[2])].joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            let result = try Self.simulate(["--export", Self.export, "--events", file.path, "--keep-going"])
            #expect(result.status == 65)
            #expect(result.errors == "\(file.path):3: error: $: the line is longer than 1048576 bytes, the most one event may take (Docs/events.md)\n")
            #expect(result.output.contains("cc-1") && result.output.contains("cc-2") && result.output.contains("cc-3"))
        }
    }

    /// Characters that must never reach a terminal raw.
    static func hasRawControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || [0x2028, 0x2029, 0x202E, 0x2066].contains($0.value) }
    }

    @Test("A contact name forging a header or a report line is refused at the boundary with its JSON path, on one line")
    func forgedNameRefused() throws {
        try Self.withScratch { scratch in
            let lines = try String(contentsOf: Tool.root.appendingPathComponent(Self.events), encoding: .utf8).split(separator: "\n")
            let file = scratch.appendingPathComponent("forged.jsonl")
            let forged = lines[0].replacing(#""firstName":"Dana""#, with: #""firstName":"Dana\r\nBcc: all@example.com\u0000\u001b[2J""#)
            #expect(forged != lines[0])
            try (forged + "\n").write(to: file, atomically: true, encoding: .utf8)
            let result = try Self.simulate(["--export", Self.export, "--events", file.path])
            #expect(result.status == 65)
            #expect(result.errors.hasPrefix("\(file.path):1: error: $.contact.firstName: a name may not hold a control character"))
            // The error on one line, then the note saying the run stopped there.
            #expect(result.errors.split(separator: "\n").count == 2)
            #expect(result.errors.hasSuffix("\nnote: the run stopped at line 1 of \(file.path), the first bad line: nothing after it ran (--keep-going skips bad lines and runs the rest)\n"))
            #expect(!Self.hasRawControl(result.errors + result.output))
        }
    }

    @Test("Text from a workflow file (a subject with escapes, a line feed, a bidi override) is shown escaped in the report")
    func reportEscaped() throws {
        try Self.withScratch { scratch in
            let source = Tool.root.appendingPathComponent("Fixtures/workflows/course-creator")
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: scratch.appendingPathComponent(name))
            }
            let file = scratch.appendingPathComponent("action-set.as-basic.json")
            let text = try String(contentsOf: file, encoding: .utf8)
            let hostile = text.replacing(
                #""subject": "{{contact.FirstName}}, your brushes"#, with: #""subject": "\u001b[31m\u202e\nerror: forged {{contact.FirstName}}, your brushes"#)
            #expect(hostile != text)
            try hostile.write(to: file, atomically: true, encoding: .utf8)
            for json in [false, true] {
                let result = try Self.simulate(["--workflows", scratch.path, "--events", Self.events] + (json ? ["--json"] : []))
                #expect(!Self.hasRawControl(result.errors + result.output), "json: \(json)")
                #expect(!result.output.split(separator: "\n").contains { $0.hasPrefix("error: forged") })
                if result.status == 0, !json {
                    #expect(result.output.contains(#"\u{1B}[31m\u{202E}\nerror: forged"#))
                }
            }
        }
    }
}
