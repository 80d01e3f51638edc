import ArgumentParser
import CommandLineSupport
import CommandLineTesting
import Foundation
import PurchaseActions
import PurchaseActionsCLI
import Testing

/// Swift Testing has an `ExitStatus` of its own.
private typealias Status = CommandLineSupport.ExitStatus

/// `purchase-actions dunning check` and `dunning simulate` (Docs/dunning-simulation.md): in
/// process for the errors each input gives, through the built binary for what a user sees.
@Suite("purchase-actions dunning: check and simulate")
struct DunningCommandTests {
    static let policy = "Fixtures/dunning/policies/saas.yaml"
    static let legacy = "Fixtures/dunning/policies/legacy.yaml"
    static let three = "Fixtures/dunning/failures/three-invoices.jsonl"
    static let quarter = "Fixtures/dunning/failures/stillwater-quarter.jsonl"
    static let script = "Fixtures/dunning/scripts/stillwater.json"

    /// A failed autocharge line of the events format (with `card`).
    static func failed(_ invoice: String, at time: String = "2026-01-05T02:00:00Z", code: String = "insufficient_funds", card: String = "c-1")
        -> String
    {
        #"{"id":"\#(invoice)/attempt-1","type":"payment.autocharge_failed","occurredAt":"\#(time)","contact":{"id":"ct-1"},"order":{"id":"o-1","source":"cart","lines":[{"subscriptionPlan":"plan-monthly"}],"chargeMode":"card","gateway":"stripe"},"payment":{"index":3,"amount":{"minor":2900,"currency":"AUD"},"declineCode":"\#(code)","invoice":"\#(invoice)"},"subscription":{"id":"s-1","plan":"plan-monthly"},"card":{"id":"\#(card)","expires":"2027-09","network":"visa"},"autocharge":{"attempt":1,"invoice":"\#(invoice)"}}"#
    }

    /// Writes files into a scratch folder, runs `body` with their paths by name, removes the folder.
    static func withFiles(_ files: [String: String], _ body: (URL, [String: String]) throws -> Void) throws {
        let folder = try BuiltProducts.scratch("pa-dunning")
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String: String] = [:]
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            paths[name] = url.path
        }
        try body(folder, paths)
    }

    /// Runs `purchase-actions dunning <arguments>` in process and returns what it threw.
    static func thrown(_ arguments: [String]) -> (any Error)? {
        do {
            var command = try PurchaseActionsCommand.parseAsRoot(["dunning"] + arguments)
            try command.run()
            return nil
        } catch {
            return error
        }
    }

    static func root(_ path: String) -> String { BuiltProducts.root.appendingPathComponent(path).path }

    // MARK: the command line

    @Test("--until takes days or hours up to 3660d; one past, weeks and negatives are usage errors (64)")
    func untilBounds() throws {
        for good in ["0d", "60d", "3660d", "87840h"] { #expect(DunningSimulateParse.accepts(good), "\(good)") }
        for bad in ["3661d", "87841h", "2w", "-1d", "d", "60", "1.5d", "99999999999999999999d"] { #expect(!DunningSimulateParse.accepts(bad), "\(bad)") }
        let result = try BuiltProducts.run("purchase-actions", ["dunning", "simulate", "--policy", Self.policy, "--failures", Self.three, "--until", "3661d"])
        #expect(result.status == 64 && result.errors.contains("3660d"), "\(result.errors)")
    }

    @Test("A missing policy, failures file or script exits 66 naming the option; a folder too")
    func missingInputs() throws {
        let cases: [[String]] = [
            ["simulate", "--policy", "no-such.yaml", "--failures", Self.root(Self.three)],
            ["simulate", "--policy", Self.root(Self.policy), "--failures", "no-such.jsonl"],
            ["simulate", "--policy", Self.root(Self.policy), "--failures", Self.root(Self.three), "--gateway", "no-such.json"],
            ["simulate", "--policy", Self.root(Self.policy), "--failures", Self.root("Fixtures/dunning")],
            ["check", "no-such.yaml"],
        ]
        for arguments in cases {
            let error = Self.thrown(arguments)
            let refusal = try #require(error as? any CommandLineError, "\(arguments): \(String(describing: error))")
            #expect(refusal.exitStatus == Status.missingInput, "\(arguments): \(refusal.diagnostic)")
            #expect(refusal.diagnostic.contains("--") || arguments[0] == "check", "\(refusal.diagnostic)")
        }
    }

    // MARK: the failures file

    @Test("A failures line that is not an event is exit 65 with its line and JSON path; nothing is simulated")
    func badFailuresLine() throws {
        let missingCode = Self.failed("inv-2").replacing(#""declineCode":"insufficient_funds","#, with: "")
        try Self.withFiles(["f.jsonl": Self.failed("inv-1") + "\n" + missingCode + "\n", "g.jsonl": Self.failed("inv-1") + "\nnot json\n"]) { _, paths in
            let error = try #require(Self.thrown(["simulate", "--policy", Self.root(Self.policy), "--failures", paths["f.jsonl"]!]) as? LoadError)
            #expect(error.line == 2 && error.code == .invalid, "\(error)")
            #expect(error.jsonPath?.description == "$.payment" && error.message.contains("declineCode"), "\(error)")
            let syntax = try #require(Self.thrown(["simulate", "--policy", Self.root(Self.policy), "--failures", paths["g.jsonl"]!]) as? LoadError)
            #expect(syntax.line == 2 && syntax.exitStatus == Status.invalidData, "\(syntax)")
        }
    }

    @Test("Failures out of time order are refused at $.occurredAt of the later line")
    func outOfOrder() throws {
        let text = Self.failed("inv-1", at: "2026-01-05T02:00:00Z") + "\n" + Self.failed("inv-2", at: "2026-01-04T02:00:00Z") + "\n"
        try Self.withFiles(["f.jsonl": text]) { _, paths in
            let error = try #require(Self.thrown(["simulate", "--policy", Self.root(Self.policy), "--failures", paths["f.jsonl"]!]) as? LoadError)
            #expect(error.line == 2 && error.jsonPath?.description == "$.occurredAt", "\(error)")
        }
    }

    @Test("--max-events: the limit is allowed, one past it is exit 65 at the line past it")
    func maxEvents() throws {
        let text = (1...3).map { Self.failed("inv-\($0)", card: "c-\($0)") }.joined(separator: "\n") + "\n"
        try Self.withFiles(["f.jsonl": text]) { _, paths in
            let args = ["simulate", "--policy", Self.root(Self.policy), "--failures", paths["f.jsonl"]!]
            let error = try #require(Self.thrown(args + ["--max-events", "2"]) as? LoadError)
            #expect(error.code == .limitExceeded && error.line == 3, "\(error)")
            #expect(!(Self.thrown(args + ["--max-events", "3"]) is LoadError))
        }
    }

    // MARK: the gateway script

    @Test("Every script of Fixtures/dunning/scripts/invalid is refused (65) at the JSON path its manifest names, with its line and column")
    func invalidScripts() throws {
        let folder = BuiltProducts.root.appendingPathComponent("Fixtures/dunning/scripts/invalid")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as! [[String: String]]
        #expect(manifest.count >= 10)
        for entry in manifest {
            let path = folder.appendingPathComponent(entry["file"]!).path
            let error = try #require(
                Self.thrown(["simulate", "--policy", Self.root(Self.policy), "--failures", Self.root(Self.three), "--gateway", path]) as? LoadError,
                "\(entry["file"]!) accepted")
            #expect(error.exitStatus == Status.invalidData, "\(error)")
            #expect(error.line != nil, "\(error)")
            // The column too, as the policy loader gives it (issue 14).
            #expect(error.column != nil, "\(error)")
            let shownPath = error.jsonPath.map { "\($0)" } ?? ""
            #expect(shownPath.hasPrefix(entry["path"]!), "\(entry["file"]!): \(error)")
        }
    }

    @Test("Every bundled script is accepted")
    func validScripts() throws {
        for name in ["stillwater", "always-declines", "recovers-second-attempt", "gateway-times-out"] {
            let result = try BuiltProducts.run(
                "purchase-actions", ["dunning", "simulate", "--policy", Self.policy, "--failures", Self.three, "--gateway", "Fixtures/dunning/scripts/\(name).json"])
            #expect(result.status == 0, "\(name): \(result.errors)")
        }
    }

    // MARK: the policy

    @Test("A policy naming a timezone the system does not know is exit 65 at $.timezone")
    func unknownTimezone() throws {
        let text = try String(contentsOfFile: Self.root(Self.policy), encoding: .utf8)
        let changed = text.contains("timezone:") ? text.replacing(/timezone: .*/, with: "timezone: Mars/Olympus") : "timezone: Mars/Olympus\n" + text
        try Self.withFiles(["p.yaml": changed]) { _, paths in
            let error = try #require(Self.thrown(["check", paths["p.yaml"]!]) as? LoadError)
            #expect(error.jsonPath?.description == "$.timezone" && error.message.contains("Mars/Olympus"), "\(error)")
            let line = changed.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("timezone:") }.map { $0 + 1 }
            #expect(error.line == line && line != nil, "\(error)")
        }
    }

    @Test("check --strict exits 1 on a warning; without it, 0")
    func strict() throws {
        // Seven gaps of one hour: eight charges within hours, over a Visa budget of 2 in 30 days.
        let policy = """
            format: 1
            id: tight
            name: Tight budget
            retries: {gaps: [1h, 1h, 1h, 1h, 1h, 1h, 1h]}
            budgets: {visa: {attempts: 2, window: 30d}, mastercard: {attempts: 2, window: 30d}, other: {attempts: 2, window: 30d}, whenExceeded: defer}
            """
        try Self.withFiles(["p.yaml": policy]) { _, paths in
            #expect(Self.thrown(["check", paths["p.yaml"]!]) == nil)
            let error = Self.thrown(["check", paths["p.yaml"]!, "--strict"])
            #expect((error as? Status) == Status.findings, "\(String(describing: error))")
        }
    }

    // MARK: through the binary

    @Test("check prints the policy and its warnings; --json is one JSON document")
    func checkOutput() throws {
        let text = try BuiltProducts.run("purchase-actions", ["dunning", "check", Self.policy])
        #expect(text.status == 0, "\(text.errors)")
        #expect(text.output.hasPrefix("\(Self.policy): "), "\(text.output)")
        let json = try BuiltProducts.run("purchase-actions", ["dunning", "check", Self.policy, "--json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["file"] as? String == Self.policy && object?["warnings"] is [Any], "\(json.output)")
    }

    @Test("simulate prints every invoice's timeline and the totals; the same input gives the same bytes")
    func simulateOutput() throws {
        let arguments = ["dunning", "simulate", "--policy", Self.policy, "--failures", Self.three, "--gateway", Self.script]
        let result = try BuiltProducts.run("purchase-actions", arguments)
        #expect(result.status == 0, "\(result.errors)")
        for invoice in ["sw-inv-1001", "sw-inv-1003", "sw-inv-1004"] { #expect(result.output.contains(invoice), "\(invoice)") }
        for total in ["recovered", "attempts per recovery", "budget deferrals"] { #expect(result.output.contains(total), "\(total)") }
        // Times in the policy's timezone or UTC, never a raw control character.
        #expect(!result.output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let again = try BuiltProducts.run("purchase-actions", arguments)
        #expect(again.output == result.output)
    }

    @Test("--compare prints both policies' totals side by side and the invoices whose outcome differs")
    func compare() throws {
        let result = try BuiltProducts.run(
            "purchase-actions", ["dunning", "simulate", "--policy", Self.policy, "--failures", Self.quarter, "--gateway", Self.script, "--compare", Self.legacy])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("invoices whose outcome differs"), "\(result.output)")
        let json = try BuiltProducts.run(
            "purchase-actions",
            ["dunning", "simulate", "--policy", Self.policy, "--failures", Self.quarter, "--gateway", Self.script, "--compare", Self.legacy, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["policy"] != nil && object?["compare"] != nil && object?["differences"] != nil, "\(json.output.prefix(300))")
    }

    @Test("--json is one JSON document with the invoices and the totals")
    func simulateJSON() throws {
        let result = try BuiltProducts.run("purchase-actions", ["dunning", "simulate", "--policy", Self.policy, "--failures", Self.three, "--json"])
        #expect(result.status == 0, "\(result.errors)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(object?["invoices"] is [Any] && object?["totals"] is [String: Any], "\(result.output.prefix(300))")
    }

    @Test("Control characters in a policy or a script are refused with the error escaped: nothing raw reaches the terminal")
    func hostileText() throws {
        let policy = """
            format: 1
            id: hostile
            name: Hostile
            attempts:
              - {failed: 1, actions: [{type: task, title: "Call\\e[2J\\rnow", assignee: owner, dueInDays: 1}]}
            """
        let script = #"{"format": 1, "rules": [{"when": {"card": "c\u001b[31m"}, "answer": {"outcome": "approved"}}]}"#
        try Self.withFiles(["p.yaml": policy, "s.json": script]) { folder, _ in
            let check = try BuiltProducts.run("purchase-actions", ["dunning", "check", "p.yaml"], in: folder)
            #expect(check.status == 65, "\(check.errors)")
            #expect(check.errors.contains("$.attempts[0].actions[0].title"), "\(check.errors)")
            let simulate = try BuiltProducts.run(
                "purchase-actions", ["dunning", "simulate", "--policy", Self.root(Self.policy), "--failures", Self.root(Self.three), "--gateway", "s.json"],
                in: folder)
            #expect(simulate.status == 65 && simulate.output.isEmpty, "\(simulate.errors)")
            #expect(simulate.errors.hasPrefix("s.json:1:43: error: $.rules[0].when.card: "), "\(simulate.errors)")
            for text in [check.output, check.errors, simulate.errors] {
                #expect(!text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F }, "\(text)")
            }
        }
    }

    @Test("A failures file with hostile names: a file name with a line feed is printed escaped")
    func hostileFileName() throws {
        try Self.withFiles(["bad\nname.jsonl": Self.failed("inv-1") + "\nnot json\n"]) { folder, _ in
            let result = try BuiltProducts.run(
                "purchase-actions", ["dunning", "simulate", "--policy", Self.root(Self.policy), "--failures", "bad\nname.jsonl"], in: folder)
            #expect(result.status == 65)
            #expect(result.errors.hasPrefix("bad\\nname.jsonl:2:"), "\(result.errors)")
            #expect(result.errors.split(separator: "\n").count == 1, "\(result.errors)")
        }
    }

    @Test("--help of each command shows examples and the exit codes")
    func help() throws {
        for command in [["dunning"], ["dunning", "check"], ["dunning", "simulate"]] {
            let result = try BuiltProducts.run("purchase-actions", command + ["--help"])
            #expect(result.status == 0)
            #expect(result.output.contains("Examples:") && result.output.contains("Exit codes:"), "\(command)")
        }
    }
}

/// Whether `dunning simulate` accepts an `--until` value (parsing only).
enum DunningSimulateParse {
    static func accepts(_ until: String) -> Bool {
        (try? PurchaseActionsCommand.parseAsRoot(["dunning", "simulate", "--policy", "p", "--failures", "f", "--until", until])) != nil
    }
}
