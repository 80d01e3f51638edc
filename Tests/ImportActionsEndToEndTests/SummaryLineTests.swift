import CommandLineTesting
import Foundation
import Testing

/// Issue 10: the summary line counts the reader's warnings and never says "all mapped exactly"
/// right after printing one (Docs/cli.md, "import-actions export.xml: writing workflows").
@Suite("import-actions: the summary line counts warnings")
struct SummaryLineTests {
    /// Thirteen action sets, each running the next four times: the reader warns about the
    /// expansion; nothing else is left out.
    static func chain() -> String {
        let sets = (1...13).map { number in
            let runs = number < 13 ? (1...4).map { #"<run-action-set id="as-\#(number).r\#($0)" action-set="as-\#(number + 1)"/>"# }.joined() : ""
            return #"<action-set id="as-\#(number)" name="S\#(number)">\#(runs)<apply-tag id="as-\#(number).t" tag="tag-a"/></action-set>"#
        }.joined(separator: "\n")
        return TestExports.withActionSets(sets)
    }

    @Test("A warning is counted on the summary line, which then does not say all mapped exactly")
    func warningCounted() throws {
        let scratch = try BuiltProducts.scratch("pa-summary")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let export = scratch.appendingPathComponent("chain.xml")
        try Data(Self.chain().utf8).write(to: export)
        let result = try CLI.run([export.path, "-o", scratch.appendingPathComponent("out").path])
        #expect(result.status == 0)
        #expect(result.errors.contains(": warning: action set 'as-1' runs other sets"))
        #expect(!result.output.contains("all mapped exactly"))
        #expect(Self.withoutTime(result.output).hasSuffix("13 workflows (13 action sets); 1 warning (above)\n"), "\(result.output)")
    }

    @Test("Findings alone are counted as not mapped exactly; with neither, all mapped exactly")
    func bothAndNeither() throws {
        let scratch = try BuiltProducts.scratch("pa-summary")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let mixed = try CLI.run(["Fixtures/exports/membership-site.xml", "-o", scratch.appendingPathComponent("a").path])
        #expect(Self.withoutTime(mixed.output).hasSuffix("; 7 not mapped exactly (listed in migration-report.json)\n"), "\(mixed.output)")
        let clean = scratch.appendingPathComponent("clean.xml")
        try Data(TestExports.withActionSets(#"<action-set id="as-1" name="One"><apply-tag id="t" tag="tag-a"/></action-set>"#).utf8).write(to: clean)
        let exact = try CLI.run([clean.path, "-o", scratch.appendingPathComponent("b").path])
        #expect(exact.errors.isEmpty)
        #expect(Self.withoutTime(exact.output).hasSuffix("; all mapped exactly\n"))
    }

    /// The output with the final line's elapsed time (`; took 0.3 s`) taken out.
    static func withoutTime(_ output: String) -> String {
        output.replacing(/; took [0-9]+(\.[0-9]| min [0-9]+) s\n$/, with: "\n")
    }
}
