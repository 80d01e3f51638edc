import CommandLineTesting
import Foundation
import Testing

/// `--check --strict` fails on what `--strict` fails on when writing: a CI gate on `--check
/// --strict` must not pass an export that `--strict` would refuse.
@Suite("import-actions --check --strict")
struct CheckStrictTests {
    @Test("--check --strict exits as --strict does when writing (1 on constructs not mapped exactly), writing nothing", arguments: [
        "course-creator", "membership-site", "physical-goods-store",
    ])
    func sameExitCode(name: String) throws {
        let scratch = try BuiltProducts.scratch("ia-strict")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let export = CLI.root.appendingPathComponent("Fixtures/exports/\(name).xml").path
        let written = try CLI.run([export, "-o", scratch.appendingPathComponent("out").path, "--strict"])
        let checked = try CLI.run([export, "--check", "--strict"], in: scratch)
        #expect(checked.status == written.status, "\(checked.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["out"], "--check writes nothing")
        // The same findings, and --check alone stays 0 (no reader warnings in the bundled exports).
        let findings = written.errors.split(separator: "\n").filter { !$0.hasPrefix("warning") }
        #expect(checked.errors.split(separator: "\n").filter { !$0.hasPrefix("warning") } == findings)
        if written.status == 1 { #expect(checked.output.contains("  not mapped exactly: \(findings.count)\n"), "\(checked.output)") }
        #expect(try CLI.run([export, "--check"]).status == 0)
    }

    @Test("membership-site has constructs not mapped exactly: --check --strict exits 1")
    func failsOnFindings() throws {
        let result = try CLI.run(["Fixtures/exports/membership-site.xml", "--check", "--strict", "-q"])
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
    }
}
