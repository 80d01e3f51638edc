import CommandLineTesting
import Foundation
@testable import PurchaseActionsCLI
import PurchaseActions
import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

/// `dunning simulate` keeps the timelines in a temporary file, not in memory (issue 14): the
/// printed bytes are those of the run held in memory (the goldens of Fixtures/dunning/expected,
/// written by the command before the change), and the file's buffer stays bounded.
@Suite("purchase-actions dunning simulate: timelines through a temporary file")
struct DunningSimulateStreamingTests {
    /// Each golden with the arguments that print it (Fixtures/dunning/expected/README.md).
    static let goldens: [(String, [String])] = {
        let saas = ["--policy", "Fixtures/dunning/policies/saas.yaml"]
        let three = ["--failures", "Fixtures/dunning/failures/three-invoices.jsonl", "--gateway", "Fixtures/dunning/scripts/stillwater.json"]
        let quarter = ["--failures", "Fixtures/dunning/failures/stillwater-quarter.jsonl", "--gateway", "Fixtures/dunning/scripts/stillwater.json"]
        let generated = [
            "--policy", "Fixtures/dunning/expected/busy-local.json", "--failures", "Fixtures/dunning/expected/generated-300.jsonl", "--gateway",
            "Fixtures/dunning/expected/recovering-script.json", "--until", "60d",
        ]
        let compare = ["--compare", "Fixtures/dunning/policies/legacy.yaml"]
        return [
            ("three.txt", saas + three), ("three.json", saas + three + ["--json"]),
            ("quarter-compare.txt", saas + quarter + compare), ("quarter-compare.json", saas + quarter + compare + ["--json"]),
            ("generated.txt", generated), ("generated.json", generated + ["--json"]),
            ("generated-compare.json", generated + compare + ["--json"]),
        ]
    }()

    @Test("Text, --json and --compare print the goldens' bytes", arguments: 0..<7)
    func goldens(index: Int) throws {
        let (name, arguments) = Self.goldens[index]
        let result = try BuiltProducts.run("purchase-actions", ["dunning", "simulate"] + arguments)
        #expect(result.status == 0, "\(result.errors)")
        let expected = try String(contentsOf: BuiltProducts.root.appendingPathComponent("Fixtures/dunning/expected/" + name), encoding: .utf8)
        #expect(result.output == expected, "\(name): \(firstDifference(result.output, expected))")
    }

    @Test("--json prints the JSON of the run held in memory (the output before the change), byte for byte", arguments: [false, true])
    func jsonIsTheHeldRun(generated: Bool) throws {
        let root = { (path: String) in BuiltProducts.root.appendingPathComponent(path).path }
        let (policyFile, failuresFile, scriptFile) = generated
            ? ("Fixtures/dunning/expected/busy-local.json", "Fixtures/dunning/expected/generated-300.jsonl", "Fixtures/dunning/expected/recovering-script.json")
            : ("Fixtures/dunning/policies/saas.yaml", "Fixtures/dunning/failures/stillwater-quarter.jsonl", "Fixtures/dunning/scripts/stillwater.json")
        let policy = try DunningInput.policy(root(policyFile), option: "")
        let events = try DunningInput.failures(root(failuresFile), maxEvents: 1_000_000).events
        let script = try DunningInput.script(root(scriptFile))
        let held = DunningSimulation.run(
            policy: policy, failures: events, script: script, until: generated ? .days(60) : nil, calendar: try DunningInput.calendar(for: policy, file: ""))
        let arguments = ["dunning", "simulate", "--policy", policyFile, "--failures", failuresFile, "--gateway", scriptFile, "--json"] + (generated ? ["--until", "60d"] : [])
        let result = try BuiltProducts.run("purchase-actions", arguments)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == DisplayText.escapeJSONText(held.json.compactText) + "\n")
    }

    /// The first line where two texts differ, for the failure message.
    func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, pair) in zip(left, right).enumerated() where pair.0 != pair.1 { return "line \(number + 1): \(pair.0.prefix(300)) | expected \(pair.1.prefix(300))" }
        return "lengths \(left.count) and \(right.count) lines"
    }

    @Test("The spill gives each invoice's entries back in order, however they interleave; its buffer stays bounded")
    func spill() throws {
        let spill = try DunningTimelineSpill()
        var expected: [String: [UInt8]] = [:]
        var state: UInt64 = 7
        // About 6 MiB of entries over 300 invoices, in runs of one invoice of 1 to 4 entries.
        var total = 0
        while total < 6 << 20 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let invoice = "inv-\(state >> 40 % 300)"
            for run in 0...Int(state >> 60 & 3) {
                let bytes = Array("  \(invoice) entry \(total) \(run) \(String(repeating: "x", count: Int(state >> 33 & 255)))\n".utf8)
                spill.append(invoice, bytes)
                expected[invoice, default: []] += bytes
                total += bytes.count
            }
        }
        for (invoice, bytes) in expected { #expect(try spill.entries(of: invoice) == bytes, "\(invoice)") }
        #expect(try spill.entries(of: "never-seen").isEmpty)
        #expect(spill.largestBuffer <= DunningTimelineSpill.bufferBytes + 512, "\(spill.largestBuffer)")
    }

    @Test("A timezone's local time in the details: deferred to, charged again at; UTC and other words untouched")
    func localTimesInDetails() throws {
        let newYork = try #require(SystemTimeZoneDatabase().rules(named: "America/New_York"))
        let printer = DunningPrinter(calendar: ZonedCalendar(rules: newYork))
        let at = try #require(Instant.parseRFC3339("2026-01-05T15:00:00Z")).instant
        func line(_ kind: DunningEntry.Kind, _ detail: String) -> String {
            printer.line(DunningEntry(at: at, invoice: "inv-1", kind: kind, attempt: 2, detail: detail))
        }
        #expect(line(.deferred, "visa budget of 4 charges in 7d for card c-1 is used: deferred to 2026-01-07T14:00:00Z")
            .hasSuffix("  visa budget of 4 charges in 7d for card c-1 is used: deferred to 2026-01-07T09:00:00-05:00"))
        #expect(line(.skipped, "attempt 2 will be charged again with the same key inv-1/attempt-2 at 2026-07-07T14:00:00Z (1 of 3)")
            .hasSuffix(" at 2026-07-07T10:00:00-04:00 (1 of 3)"))
        // An id that looks like a time is not a time the process wrote.
        #expect(line(.cardUpdated, "new card 2026-01-07T14:00:00Z: retry now").hasSuffix("new card 2026-01-07T14:00:00Z: retry now"))
        #expect(line(.deferred, "deferred to 2026-01-07T14:00:00Z and more").hasSuffix("deferred to 2026-01-07T14:00:00Z and more"))
        #expect(line(.attempt, "declined: insufficient_funds (soft, code insufficient_funds)").hasSuffix("  declined: insufficient_funds (soft, code insufficient_funds)"))
        let utc = DunningPrinter(calendar: ZonedCalendar(rules: .utc))
        #expect(utc.line(DunningEntry(at: at, invoice: "inv-1", kind: .deferred, detail: "x: deferred to 2026-01-07T14:00:00Z")).hasSuffix("deferred to 2026-01-07T14:00:00Z"))
    }
}
