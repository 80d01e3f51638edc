import CommandLineTesting
@testable import ImportActionsCLI
import PurchaseActionsCore
import Foundation
import Testing

/// `import-actions --pictures`: a DOT file per workflow, SVG beside each when Graphviz's `dot` is
/// installed, one clear line when it is not, and a warning (never a lost import) when it fails.
@Suite("import-actions --pictures")
struct PicturesTests {
    static let missingLine = "dot not found: install Graphviz (Debian: apt install graphviz) for SVG pictures; the DOT files are written"

    /// The names in `folder/pictures`, sorted.
    static func pictures(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("pictures").path).sorted()
    }

    /// Runs import-actions with `PATH` set to `path` only.
    static func run(_ arguments: [String], path: String) throws -> BuiltProducts.Result {
        let program = BuiltProducts.folder(holding: "import-actions").appendingPathComponent("import-actions")
        return try BuiltProducts.runProgram(program, arguments, environment: ["PATH": path], in: CLI.root)
    }

    @Test("The DOT files are the golden pictures, and dot makes an SVG beside each", .requires(.dot), arguments: ["course-creator", "membership-site", "physical-goods-store"])
    func dotAndSVG(name: String) throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            let result = try CLI.run(["Fixtures/exports/\(name).xml", "-o", out.path, "--pictures"])
            #expect(result.status == 0, "\(result.errors)")
            #expect(!result.errors.contains("dot"))
            let golden = CLI.root.appendingPathComponent("Fixtures/expected/\(name)")
            let dots = try Self.pictures(golden)
            #expect(!dots.isEmpty && dots.allSatisfy { $0.hasSuffix(".dot") })
            let workflows = try FileManager.default.contentsOfDirectory(atPath: golden.appendingPathComponent("workflows").path)
            #expect(Set(dots.map { $0.dropLast(4) }) == Set(workflows.map { $0.dropLast(5) }))
            let written = try Self.pictures(out)
            #expect(written == (dots + dots.map { $0.dropLast(4) + ".svg" }).sorted())
            for file in dots {
                let made = try Data(contentsOf: out.appendingPathComponent("pictures/\(file)"))
                #expect(made == (try Data(contentsOf: golden.appendingPathComponent("pictures/\(file)"))), "\(file)")
                let svg = try String(contentsOf: out.appendingPathComponent("pictures/\(file.dropLast(4)).svg"), encoding: .utf8)
                #expect(svg.contains("<svg") && svg.hasSuffix("</svg>\n"))
            }
        }
    }

    @Test("Without dot on PATH: one clear line on standard error, the DOT files, exit 0")
    func dotMissing() throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            let result = try Self.run(["Fixtures/exports/course-creator.xml", "-o", out.path, "--pictures"], path: scratch.path)
            #expect(result.status == 0, "\(result.errors)")
            let lines = result.errors.split(separator: "\n")
            #expect(lines.filter { $0.contains("dot") } == [Substring(Self.missingLine)])
            let written = try Self.pictures(out)
            #expect(written.count == 11 && written.allSatisfy { $0.hasSuffix(".dot") })
            // -q: errors only.
            let quiet = try Self.run(["Fixtures/exports/course-creator.xml", "-o", scratch.appendingPathComponent("q").path, "--pictures", "-q"], path: scratch.path)
            #expect(quiet.status == 0 && quiet.errors.isEmpty && quiet.output.isEmpty)
        }
    }

    @Test("A dot that fails is a warning naming it; nothing half-made is kept and the import is whole")
    func dotFails() throws {
        try ImportWritingTests.withScratch { scratch in
            let bin = scratch.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            let fake = bin.appendingPathComponent("dot")
            // Makes one (partial) output, then fails as Graphviz does on a bad file.
            let script = "#!/bin/sh\nfor last; do :; done\necho '<svg' > \"$last.svg\"\necho 'Error: syntax error in line 3' >&2\nexit 1\n"
            try Data(script.utf8).write(to: fake)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
            let out = scratch.appendingPathComponent("out")
            let result = try Self.run(["Fixtures/exports/course-creator.xml", "-o", out.path, "--pictures"], path: bin.path)
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.errors.contains("warning: dot exited with status 1 (Error: syntax error in line 3) drawing pictures/action-set.as-receipt.dot and 10 more; SVG pictures: 0 made, 11 not made; the DOT files are written\n"))
            let written = try Self.pictures(out)
            #expect(written.count == 11 && written.allSatisfy { $0.hasSuffix(".dot") })
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("workflows/slot.successful-purchase.json").path))
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("migration-report.json").path))
        }
    }

    @Test("dot runs on at most 200 files at a time: 201 workflows take two runs, each SVG renamed beside its DOT file")
    func batches() throws {
        try ImportWritingTests.withScratch { scratch in
            let bin = scratch.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            let log = scratch.appendingPathComponent("runs.log")
            // Logs how many files each run got and makes <file>.svg for each, as dot -O does.
            let script = "#!/bin/sh\nn=0\nfor f; do case $f in *.dot) n=$((n+1)); echo '<svg/>' > \"$f.svg\";; esac; done\necho $n >> '\(log.path)'\n"
            let fake = bin.appendingPathComponent("dot")
            try Data(script.utf8).write(to: fake)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
            let sets = (1...201).map { "<action-set id=\"as-\($0)\" name=\"Set \($0)\"><apply-tag id=\"as-\($0).tag\" tag=\"tag-a\"/></action-set>" }
            let export = scratch.appendingPathComponent("many.xml")
            try Data(TestExports.withActionSets(sets.joined(separator: "\n")).utf8).write(to: export)
            let out = scratch.appendingPathComponent("out")
            let result = try Self.run([export.path, "-o", out.path, "--pictures", "-q"], path: bin.path + ":/usr/bin:/bin")
            #expect(result.status == 0, "\(result.errors)")
            let runs = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { Int($0) }
            #expect(runs.sorted { ($0 ?? 0) < ($1 ?? 0) } == [1, 200])
            let written = try Self.pictures(out)
            #expect(written.filter { $0.hasSuffix(".dot") }.count == 201)
            #expect(written.filter { $0.hasSuffix(".svg") }.count == 201)
            #expect(!written.contains { $0.hasSuffix(".dot.svg") })
            #expect(written.contains("action-set.as-201.svg"))
        }
    }

    @Test("--pictures with --check is a usage error")
    func notWithCheck() throws {
        let result = try CLI.run(["Fixtures/exports/course-creator.xml", "--check", "--pictures"])
        #expect(result.status == 64)
        #expect(result.errors.contains("--check writes nothing; leave out --pictures"))
    }
}

/// The process handling of `--pictures`, in-process: a run past its time is stopped.
@Suite("import-actions --pictures, running dot")
struct PictureRunTests {
    @Test("A run still going at its timeout is killed and reported as stopped")
    func timeout() throws {
        let folder = try BuiltProducts.scratch("pictures-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = Pictures.start("/bin/sh", ["-c", "exec sleep 600"], errors: folder.appendingPathComponent("errors").path)
        let outcome = run.finish(timeout: 0)
        #expect(!outcome.succeeded)
        #expect(outcome.failure == "was stopped after 0 s")
        #expect(kill(run.pid!, 0) != 0, "the process is gone")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("errors").path))
    }

    @Test("inlineSVG reads back the SVG made for a workflow id, nil for any other id or without dot", .requires(.dot))
    func inlineSVG() throws {
        let folder = try BuiltProducts.scratch("pictures-inline")
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = try OutputDirectory(destination: folder.appendingPathComponent("out").path, force: false)
        defer { directory.abandon() }
        var pictures = try Pictures(in: directory)
        let workflow = Workflow(
            id: "w.1", name: "W", priority: 0, triggers: [], steps: [Step(id: "a", .exit)], settings: WorkflowSettings(accountTimezone: "UTC"))
        try pictures.add(workflow, to: directory)
        #expect(pictures.svg(workflowID: "w.1") == nil, "nothing before dot ran")
        pictures.makeSVGs(quiet: true)
        let svg = try #require(pictures.inlineSVG("w.1"))
        #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))
        #expect(pictures.inlineSVG("w.2") == nil)
        var withoutDot = try Pictures(in: directory)
        withoutDot.makeSVGs(quiet: true, program: nil)
        #expect(withoutDot.inlineSVG("w.1") == nil)
    }

    @Test("A program that cannot be started is a failure, not a crash")
    func notStarted() {
        let outcome = Pictures.start("/nonexistent/dot", [], errors: "/nonexistent/errors").finish(timeout: 1)
        #expect(!outcome.succeeded)
        #expect(outcome.failure.hasPrefix("could not be started ("))
    }
}
