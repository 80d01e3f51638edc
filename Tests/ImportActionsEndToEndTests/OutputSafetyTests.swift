import CommandLineSupport
import CommandLineTesting
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import ImportActionsCLI
import Testing

/// What `import-actions` prints and replaces can be trusted: control characters from the input are
/// escaped, inputs of the wrong kind are named, and `--force` deletes only what the command wrote.
@Suite("import-actions: safe output, inputs of the wrong kind, --force")
struct OutputSafetyTests {
    static let export = "Fixtures/exports/course-creator.xml"

    /// Characters that must never reach a terminal raw (DisplayText.isControl, less the line ends of the output itself).
    static func hasRawControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || [0x2028, 0x2029, 0x202E, 0x2066].contains($0.value) }
    }

    @Test("An id holding a line feed and a bidi override cannot forge an error line: it is shown escaped, on one line")
    func idCannotForgeLines() throws {
        try ImportWritingTests.withScratch { scratch in
            let text = try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/malformed/unknown-tag.xml"), encoding: .utf8)
            let hostile = text.replacing(#"id="as-thanks""#, with: #"id="as-thanks&#10;error: forged &#x202E;x&#x85;""#)
            #expect(hostile != text)
            let file = scratch.appendingPathComponent("hostile.xml")
            try hostile.write(to: file, atomically: true, encoding: .utf8)
            for arguments in [[file.path, "--check"], [file.path, "-o", scratch.appendingPathComponent("out").path]] {
                let result = try CLI.run(arguments)
                #expect(result.status == 65)
                let lines = result.errors.split(separator: "\n")
                #expect(lines.count == 1, "\(result.errors)")
                #expect(!lines.contains { $0.hasPrefix("error: forged") })
                #expect(result.errors.contains(#"as-thanks\nerror: forged \u{202E}x\u{85}"#))
                #expect(!Self.hasRawControl(result.errors + result.output))
            }
        }
    }

    @Test("A file name holding control characters is echoed escaped")
    func fileNameEscaped() throws {
        let result = try CLI.run(["missing\n\u{1B}[31merror: forged.xml"])
        #expect(result.status == 66)
        #expect(result.errors.split(separator: "\n").count == 1, "\(result.errors)")
        #expect(result.errors.contains(#"missing\n\u{1B}[31merror: forged.xml"#))
        #expect(!Self.hasRawControl(result.errors))
        let usage = try CLI.run(["--bogus\u{1B}]0;title\u{7}"])
        #expect(usage.status == 64)
        #expect(!Self.hasRawControl(usage.errors), "ArgumentParser's messages are escaped too")
    }

    @Test(
        "An argument holding a line feed cannot forge a line in the argument parser's message",
        arguments: [["Fixtures/exports/course-creator.xml", "--x\nerror: forged"], ["Fixtures/exports/course-creator.xml", "--max-depth", "1\nerror: forged"],
                    ["Fixtures/exports/course-creator.xml", "--max-depth=1\nerror: forged"]])
    func argumentLineFeedEscaped(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 64)
        let lines = result.errors.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("error: forged") }, "\(result.errors)")
        #expect(result.errors.contains(#"\nerror: forged"#), "\(result.errors)")
        #expect(!Self.hasRawControl(result.errors))
    }

    @Test("A folder (or a link to one) given as the export is exit 66, named as a folder", arguments: [false, true])
    func folderAsExport(throughLink: Bool) throws {
        try ImportWritingTests.withScratch { scratch in
            var path = "Fixtures/exports"
            if throughLink {
                let link = scratch.appendingPathComponent("exports-link.xml")
                try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: CLI.root.appendingPathComponent(path).path)
                path = link.path
            }
            for arguments in [[path], [path, "--check"]] {
                let result = try CLI.run(arguments)
                #expect(result.status == 66, "\(result.errors)")
                #expect(result.errors == "error: \(path) is a folder; import-actions takes an export file (XML)\n")
            }
        }
    }

    @Test("-o naming . or .. is a usage error; -o naming a link is never replaced")
    func outputNames() throws {
        try ImportWritingTests.withScratch { scratch in
            let dot = try CLI.run([Self.export, "-o", ".", "--force"])
            #expect(dot.status == 64, "\(dot.errors)")
            let real = scratch.appendingPathComponent("real")
            let first = try CLI.run([Self.export, "-o", real.path])
            #expect(first.status == 0)
            let link = scratch.appendingPathComponent("link")
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
            let before = try ImportWritingTests.tree(real)
            let result = try CLI.run([Self.export, "-o", link.path, "--force"])
            #expect(result.status == 73)
            #expect(result.errors.contains("is a symbolic link"))
            #expect(!result.errors.contains("is a file"))
            #expect(try ImportWritingTests.tree(real) == before)
        }
    }

    @Test("--force never replaces an output folder that holds the export being read (exit 73, the export kept)")
    func forceKeepsItsOwnInput() throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            try Self.earlierOutput(out) { _ in }
            let source = try Data(contentsOf: CLI.root.appendingPathComponent(Self.export))
            // Named like a workflow file, so the check of the old output's entries alone would pass it.
            let input = out.appendingPathComponent("workflows/my-export.json")
            try source.write(to: input)
            let result = try CLI.run([input.path, "-o", out.path, "--force"])
            #expect(result.status == 73, "\(result.errors)")
            #expect(result.errors.contains("holds the export being read"), "\(result.errors)")
            #expect(try Data(contentsOf: input) == source)
        }
    }

    /// Writes an earlier output at `out`, then lets `change` alter it.
    static func earlierOutput(_ out: URL, _ change: (URL) throws -> Void) throws {
        let first = try CLI.run([export, "-o", out.path])
        #expect(first.status == 0, "\(first.errors)")
        try change(out)
    }

    @Test(
        "--force stops, exit 73 naming the entry, at anything it did not write: a .DS_Store folder, links, other names",
        arguments: [
            ".DS_Store/", "workflows/.DS_Store/", "workflows/link.json->", "workflows->", "migration-report.json->", "workflows/README.md",
            "workflows/sub.json/", "notes.txt",
        ])
    func forceStopsAtForeignEntries(entry: String) throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            let elsewhere = scratch.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: elsewhere.appendingPathComponent("keep.json"))
            try Self.earlierOutput(out) { out in
                if entry.hasSuffix("/") {
                    let folder = out.appendingPathComponent(String(entry.dropLast()))
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    try Data("keep".utf8).write(to: folder.appendingPathComponent("inside"))
                } else if entry.hasSuffix("->") {
                    let link = out.appendingPathComponent(String(entry.dropLast(2)))
                    if FileManager.default.fileExists(atPath: link.path) {
                        let moved = scratch.appendingPathComponent("moved-" + link.lastPathComponent)
                        try FileManager.default.moveItem(at: link, to: moved)
                        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: moved.path)
                    } else {
                        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: elsewhere.appendingPathComponent("keep.json").path)
                    }
                } else {
                    try Data("keep".utf8).write(to: out.appendingPathComponent(entry))
                }
            }
            let before = try ImportWritingTests.tree(out)
            let beforeElsewhere = try ImportWritingTests.tree(scratch)
            let result = try CLI.run([Self.export, "-o", out.path, "--force"])
            #expect(result.status == 73, "\(entry): \(result.errors)")
            let named = out.path + "/" + entry.replacingOccurrences(of: "->", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            #expect(result.errors.contains(named), "\(entry): the message names the entry: \(result.errors)")
            #expect(try ImportWritingTests.tree(out) == before)
            #expect(try ImportWritingTests.tree(scratch) == beforeElsewhere)
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).allSatisfy { !$0.hasPrefix(".out.") }, "nothing left behind")
        }
    }

    @Test("--force replaces an output holding .DS_Store files, and leaves no .old folder")
    func forceReplacesWithDSStoreFiles() throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            try Self.earlierOutput(out) { out in
                try Data("x".utf8).write(to: out.appendingPathComponent(".DS_Store"))
                try Data("x".utf8).write(to: out.appendingPathComponent("workflows/.DS_Store"))
                try Data("{}\n".utf8).write(to: out.appendingPathComponent("workflows/action-set.gone.json"))
            }
            let result = try CLI.run([Self.export, "-o", out.path, "--force"])
            #expect(result.status == 0, "\(result.errors)")
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("workflows/action-set.gone.json").path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["out"])
        }
    }

    @Test("When the old output cannot be deleted, the new one is in place and exit 74 says what is left where")
    func oldOutputLeftIsReported() throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            try Self.earlierOutput(out) { _ in }
            var directory = try OutputDirectory(destination: out.path, force: true)
            directory.remove = { path, isFolder in
                guard !path.hasSuffix("migration-report.json") else {
                    errno = EACCES
                    return -1
                }
                return isFolder ? rmdir(path) : unlink(path)
            }
            try directory.write(Array("{\n  \"findings\": [],\n  \"formatVersion\": 1,\n  \"workflows\": []\n}\n".utf8), to: "migration-report.json")
            do {
                try directory.commit()
                Issue.record("a failed deletion was not reported")
            } catch let error as CommandError {
                #expect(error.code == .oldOutputLeft)
                #expect(error.message.contains("is left in \(scratch.path)/.out.old-"), "\(error.message)")
                #expect(error.message.contains("delete it yourself"))
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
            #expect(left.count == 2 && left[0].hasPrefix(".out.old-") && left[1] == "out")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("workflows").path).isEmpty, "the new output is in place")
        }
    }
}
