import CommandLineTesting
import Foundation
import Testing

/// `import-actions export.xml` writes workflow files atomically, never over an existing output
/// without `--force`, and byte for byte the same on every run.
@Suite("import-actions, writing workflows")
struct ImportWritingTests {
    /// A new empty folder, removed when `body` returns.
    static func withScratch(_ body: (URL) throws -> Void) throws {
        let folder = try BuiltProducts.scratch("pa-write")
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    /// Every file below `folder`, by relative path, with its bytes.
    static func tree(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = folder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: full.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = try Data(contentsOf: full)
            }
        }
        return files
    }

    @Test("Each bundled export is written exactly as its golden files", arguments: ["course-creator", "membership-site", "physical-goods-store"])
    func writesGoldens(name: String) throws {
        try Self.withScratch { scratch in
            let out = scratch.appendingPathComponent("out").path
            let result = try CLI.run(["Fixtures/exports/\(name).xml", "-o", out])
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.hasPrefix("Fixtures/exports/\(name).xml → \(out): "))
            #expect(result.output.contains(" workflows ("))
            // pictures/ is written only with --pictures (PicturesTests).
            let expected = try Self.tree(CLI.root.appendingPathComponent("Fixtures/expected/\(name)")).filter { !$0.key.hasPrefix("pictures/") }
            #expect(!expected.isEmpty)
            #expect(try Self.tree(URL(fileURLWithPath: out)) == expected)
        }
    }

    @Test("Without -o the output is the export's name in the current folder; a second run needs --force")
    func defaultFolderAndForce() throws {
        try Self.withScratch { scratch in
            let export = CLI.root.appendingPathComponent("Fixtures/exports/course-creator.xml").path
            let first = try CLI.run([export], in: scratch)
            #expect(first.status == 0, "\(first.errors)")
            let written = scratch.appendingPathComponent("course-creator")
            let before = try Self.tree(written)
            #expect(before.keys.contains("workflows/slot.successful-purchase.json"))
            #expect(before.keys.contains("migration-report.json"))

            let again = try CLI.run([export], in: scratch)
            #expect(again.status == 73)
            #expect(again.errors.contains("course-creator already exists; give --force"))
            #expect(try Self.tree(written) == before, "a refused run changes nothing")

            let forced = try CLI.run([export, "--force"], in: scratch)
            #expect(forced.status == 0, "\(forced.errors)")
            #expect(try Self.tree(written) == before, "the same export gives the same bytes")
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["course-creator"], "no staging folder is left behind")
        }
    }

    @Test("--force never replaces a folder holding files this command did not write")
    func forceKeepsForeignFolders() throws {
        try Self.withScratch { scratch in
            let out = scratch.appendingPathComponent("mine")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            try Data("keep me".utf8).write(to: out.appendingPathComponent("notes.txt"))
            let result = try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path, "--force"])
            #expect(result.status == 73)
            #expect(result.errors.contains("holds files this command did not write"))
            #expect(try Self.tree(out) == ["notes.txt": Data("keep me".utf8)])
        }
    }

    @Test("--force never replaces a folder that only looks like an output", arguments: [
        ["workflows/ci.yml"], ["workflows/a.json", "migration-report.json/x"], ["workflows/a.json", "migration-report.json"],
    ])
    func forceChecksContents(files: [String]) throws {
        try Self.withScratch { scratch in
            let out = scratch.appendingPathComponent(".github")
            for file in files {
                let url = out.appendingPathComponent(file)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("name: ci\n".utf8).write(to: url)
            }
            let before = try Self.tree(out)
            let result = try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path, "--force"])
            #expect(result.status == 73, "\(files): \(result.errors)")
            #expect(try Self.tree(out) == before)
        }
    }

    @Test("A top-level extension anywhere changes no workflow: the compiler waits for the account and catalogue")
    func extensionsBeforeCatalogue() throws {
        try Self.withScratch { scratch in
            let source = try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/exports/course-creator.xml"), encoding: .utf8)
            let extensionElement = #"<x:note xmlns:x="urn:example:notes">exported by hand</x:note>"#
            // On the same lines as existing markup, so every source line stays as in the golden files.
            let changed = source.replacing("<account ", with: extensionElement + "<account ").replacing("<catalogue>", with: extensionElement + "<catalogue>")
            let export = scratch.appendingPathComponent("course-creator.xml")
            try changed.write(to: export, atomically: true, encoding: .utf8)
            let result = try CLI.run(["course-creator.xml"], in: scratch)
            #expect(result.status == 0, "\(result.errors)")
            var written = try Self.tree(scratch.appendingPathComponent("course-creator/workflows"))
            var expected = try Self.tree(CLI.root.appendingPathComponent("Fixtures/expected/course-creator/workflows"))
            let oldPath = Data("Fixtures/exports/course-creator.xml".utf8)
            let newPath = Data("course-creator.xml".utf8)
            for (name, data) in expected { expected[name] = data.replacing(oldPath, with: newPath) }
            for (name, data) in written { written[name] = data }
            #expect(written == expected)
            #expect(result.errors.contains("extension element {urn:example:notes}note"))
        }
    }

    @Test("A refused export writes nothing and leaves no partial folder")
    func refusedExportWritesNothing() throws {
        try Self.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            let result = try CLI.run(["Fixtures/malformed/cycle.xml", "-o", out.path])
            #expect(result.status == 65)
            #expect(result.errors.hasPrefix("Fixtures/malformed/cycle.xml:"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
        }
    }

    @Test("A refused export leaves an earlier output as it was, even with --force")
    func refusedExportKeepsEarlierOutput() throws {
        try Self.withScratch { scratch in
            let out = scratch.appendingPathComponent("out").path
            #expect(try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out]).status == 0)
            let before = try Self.tree(URL(fileURLWithPath: out))
            let result = try CLI.run(["Fixtures/malformed/cycle.xml", "-o", out, "--force"])
            #expect(result.status == 65)
            #expect(try Self.tree(URL(fileURLWithPath: out)) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["out"])
        }
    }

    @Test("Constructs not mapped exactly are printed as notes; --strict makes them exit 1")
    func notesAndStrict() throws {
        try Self.withScratch { scratch in
            let plain = try CLI.run(["Fixtures/exports/membership-site.xml", "-o", scratch.appendingPathComponent("a").path])
            #expect(plain.status == 0)
            #expect(plain.errors.contains("Fixtures/exports/membership-site.xml:172:"))
            #expect(plain.errors.contains("note: send-fax 'as-new-contact.physio' has no workflow equivalent"))
            #expect(plain.output.contains("7 not mapped exactly"))
            let strict = try CLI.run(["Fixtures/exports/membership-site.xml", "--strict", "-q", "-o", scratch.appendingPathComponent("b").path])
            #expect(strict.status == 1)
            #expect(strict.output.isEmpty && strict.errors.isEmpty, "-q prints errors only")
            // An export with no finding at all, written out.
            let clean = scratch.appendingPathComponent("clean.xml")
            try Data(TestExports.withActionSets(#"<action-set id="as-1" name="One"><apply-tag id="t" tag="tag-a"/></action-set>"#).utf8).write(to: clean)
            let exact = try CLI.run([clean.path, "--strict", "-o", scratch.appendingPathComponent("c").path])
            #expect(exact.status == 0, "\(exact.errors)")
            #expect(exact.output.contains("all mapped exactly"))
        }
    }

    @Test("--check writes nothing and refuses -o and --force")
    func checkWritesNothing() throws {
        let result = try CLI.run(["Fixtures/exports/course-creator.xml", "--check", "-o", "/tmp/never"])
        #expect(result.status == 64)
        #expect(result.errors.contains("--check writes nothing"))
    }
}
