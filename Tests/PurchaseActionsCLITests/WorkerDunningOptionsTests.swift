import ArgumentParser
import CommandLineTesting
import Foundation
@testable import PurchaseActionsCLI
import PurchaseActionsDunning
import Testing

/// `purchase-actions run --gateway / --gateway-script` and `dunning invoices / timeline`: what the
/// command line refuses before anything runs, and what `--help` teaches. (The worker's charges
/// end to end: WorkerDunningEndToEndTests.)
@Suite("purchase-actions run --gateway, --gateway-script; dunning invoices, timeline: options and help")
struct WorkerDunningOptionsTests {
    /// Runs `purchase-actions` in a new scratch folder, which is removed after.
    static func run(_ arguments: [String], files: [String: String] = [:]) throws -> (BuiltProducts.Result, [String]) {
        let scene = try DurableScene()
        defer { scene.remove() }
        for (path, text) in files { try scene.write(text, to: path) }
        let result = try scene.run(arguments)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: scene.folder.path)) ?? []
        return (result, left.sorted())
    }

    @Test("--gateway with --gateway-script is exit 64, saying to give one; nothing is created")
    func bothGateways() throws {
        let (result, left) = try Self.run(["run", "--drain", "--gateway", "http://127.0.0.1:9/charges", "--gateway-script", "s.json"])
        #expect(result.status == 64, "\(result.errors)")
        #expect(result.errors.contains("give one of --gateway (a real payment gateway's URL) or --gateway-script (a simulated gateway, for demos and tests), not both"), "\(result.errors)")
        #expect(!left.contains("purchase-actions.sqlite"))
    }

    @Test("--gateway-header and --gateway-timeout without --gateway are exit 64", arguments: [
        ["--gateway-header", "Authorization: Bearer x"], ["--gateway-timeout", "5"],
        ["--gateway-script", "s.json", "--gateway-timeout", "5"],
    ])
    func optionsWithoutGateway(_ extra: [String]) throws {
        let (result, _) = try Self.run(["run", "--drain"] + extra)
        #expect(result.status == 64, "\(result.errors)")
        #expect(result.errors.contains("--gateway-header and --gateway-timeout go with --gateway"), "\(result.errors)")
    }

    @Test("--gateway-timeout takes above 0 and at most 600 seconds: 600 is taken, 0, -1 and 600.5 are exit 64")
    func timeoutBounds() throws {
        #expect(throws: Never.self) { try Run.parse(["--gateway", "http://127.0.0.1:9/charges", "--gateway-timeout", "600"]) }
        #expect(throws: Never.self) { try Run.parse(["--gateway", "http://127.0.0.1:9/charges", "--gateway-timeout", "0.001"]) }
        for bad in ["0", "600.5", "-1"] {
            #expect(throws: (any Error).self) { try Run.parse(["--gateway", "http://127.0.0.1:9/charges", "--gateway-timeout", bad]) }
        }
        let (result, _) = try Self.run(["run", "--drain", "--gateway", "http://127.0.0.1:9/charges", "--gateway-timeout", "601"])
        #expect(result.status == 64)
        #expect(result.errors.contains("--gateway-timeout takes seconds above 0 and at most 600 (got 601.0)"), "\(result.errors)")
    }

    @Test("--gateway-header not 'Name: value' is exit 64 with an example")
    func headerShape() throws {
        let (result, _) = try Self.run(["run", "--drain", "--gateway", "http://127.0.0.1:9/charges", "--gateway-header", "Bearer s3cret"])
        #expect(result.status == 64)
        #expect(result.errors.contains("--gateway-header takes 'Name: value', such as 'Authorization: Bearer s3cret' (got 'Bearer s3cret')"), "\(result.errors)")
    }

    @Test("a gateway URL or header the HTTP gateway refuses is exit 64 before the database is created", arguments: [
        ["--gateway", "ftp://billing.example.com/charges"], ["--gateway", "https://billing.example.com/charges?tenant=1"],
        ["--gateway", "http://127.0.0.1:9/charges", "--gateway-header", "Idempotency-Key: mine"],
        ["--gateway", "http://127.0.0.1:9/charges", "--gateway-header", "Accept: text/html"],
    ])
    func refusedByTheGateway(_ extra: [String]) throws {
        let (result, left) = try Self.run(["run", "--drain"] + extra)
        #expect(result.status == 64, "\(result.output) \(result.errors)")
        #expect(result.errors.hasPrefix("error: "), "\(result.errors)")
        #expect(!left.contains("purchase-actions.sqlite"), "\(left)")
    }

    @Test("--gateway-script: a missing file is exit 66 naming the option; a script that is not valid exit 65 with its JSON path")
    func scripts() throws {
        let (missing, left) = try Self.run(["run", "--drain", "--gateway-script", "nope.json"])
        #expect(missing.status == 66, "\(missing.errors)")
        #expect(missing.errors.contains("--gateway-script takes a gateway script (JSON)"), "\(missing.errors)")
        #expect(!left.contains("purchase-actions.sqlite"))
        let (invalid, _) = try Self.run(
            ["run", "--drain", "--gateway-script", "s.json"], files: ["s.json": #"{"format": 1, "rules": [{"when": {"colour": "red"}, "answer": {"outcome": "approved"}}]}"#])
        #expect(invalid.status == 65, "\(invalid.errors)")
        #expect(invalid.errors.contains("s.json:1:45: error: $.rules[0].when.colour"), "\(invalid.errors)")
    }

    @Test("run --help teaches both gateways with examples, and that charges wait without one")
    func runHelp() throws {
        let (help, _) = try Self.run(["run", "--help"])
        #expect(help.status == 0)
        let text = help.output.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        for expected in [
            "--gateway <url>", "--gateway-header <name: value>", "--gateway-timeout <seconds>", "--gateway-script <script.json>",
            "Without --gateway or --gateway-script, due charges wait in the outbox",
            "--gateway https://billing.example.com/charges", "--gateway-script Fixtures/dunning/scripts/recovers-second-attempt.json",
            "never a second charge", "64 usage (--gateway with --gateway-script",
        ] {
            #expect(text.contains(expected), "run --help lacks \(expected)")
        }
    }

    @Test("dunning --help lists invoices and timeline; each has its own help with examples")
    func dunningHelp() throws {
        let (dunning, _) = try Self.run(["dunning", "--help"])
        #expect(dunning.output.contains("invoices") && dunning.output.contains("timeline"), "\(dunning.output)")
        let (invoices, _) = try Self.run(["dunning", "invoices", "--help"])
        #expect(invoices.status == 0)
        #expect(invoices.output.contains("purchase-actions dunning invoices --open"))
        #expect(invoices.output.contains("--database <path>") && invoices.output.contains("--json"))
        let (timeline, _) = try Self.run(["dunning", "timeline", "--help"])
        #expect(timeline.output.contains("purchase-actions dunning timeline inv-7"))
    }

    @Test("dunning invoices and timeline: a missing database is exit 66 and is not created; --limit 1 to 1,000,000", arguments: ["invoices", "timeline"])
    func readCommands(_ command: String) throws {
        let (missing, left) = try Self.run(["dunning", command, "--database", "none.sqlite"])
        #expect(missing.status == 66, "\(missing.errors)")
        #expect(missing.errors.contains("none.sqlite"), "\(missing.errors)")
        #expect(!left.contains("none.sqlite"))
        for bad in ["0", "1000001"] {
            let (result, _) = try Self.run(["dunning", command, "--limit", bad])
            #expect(result.status == 64)
            #expect(result.errors.contains("--limit must be 1 to 1,000,000 (got \(bad))"), "\(result.errors)")
        }
        #expect(throws: Never.self) { try Dunning.parseAsRoot([command, "--limit", "1000000"]) }
        #expect(throws: Never.self) { try Dunning.parseAsRoot([command, "--limit", "1"]) }
    }

    @Test("dunning invoices on a file that is not a database is exit 65 and leaves it as it was")
    func notADatabase() throws {
        let (result, _) = try Self.run(["dunning", "invoices", "--database", "x.sqlite"], files: ["x.sqlite": "hello"])
        #expect(result.status == 65, "\(result.errors)")
    }

    @Test("the drain summary: charges counted by outcome with a gateway; without one, the charges waiting, only when there are some")
    func summary() {
        var report = Worker.Report()
        report.chargesApproved = 2
        report.chargesDeclined = 5
        report.chargesUnknown = 1
        #expect(Run.chargesSummary(report, gatewayGiven: true, waiting: 0) == "; charges: 2 approved, 5 declined, 1 unknown")
        report.chargesAlreadyPaid = 1
        #expect(Run.chargesSummary(report, gatewayGiven: true, waiting: 0) == "; charges: 2 approved, 5 declined, 1 unknown, 1 not charged (paid another way)")
        #expect(Run.chargesSummary(Worker.Report(), gatewayGiven: false, waiting: 0) == "")
        #expect(Run.chargesSummary(Worker.Report(), gatewayGiven: false, waiting: 3) == "; 3 charges wait in the outbox (no --gateway or --gateway-script)")
    }

    @Test("a charge cut short by a shutdown is recorded only when its answer is clear; look-ups pause on the real clock only")
    func shutdownRule() async {
        let request = ChargeRequest(invoice: "i", attempt: 2, contact: "c", card: nil, amount: 1, currency: "USD")
        func result(_ resolution: ChargeAttemptResult.Resolution) -> ChargeAttemptResult {
            .init(request: request, resolution: resolution, charged: true, lookups: 0, detail: "")
        }
        #expect(Worker.isClear(result(.approved(charge: "ch_1"))))
        #expect(Worker.isClear(result(.declined(code: "do_not_honor", adviceCode: nil))))
        #expect(Worker.isClear(result(.alreadyPaid)))
        #expect(!Worker.isClear(result(.unknown(reason: "cancelled"))))
        #expect(!Worker.isClear(result(.notFound)))
        // On a virtual clock no pause at all (this would take a second on the real clock).
        await Worker.pause(beforeLookup: 1, fixedClock: true)
    }
}
