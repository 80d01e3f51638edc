import CommandLineTesting
import Foundation
import Testing

/// A scratch folder holding Fixtures/dunning/worker (the policy, a workflow, four failures and a
/// gateway script) and `purchase-actions` run in it.
struct DunningWorkerScene {
    let scene: DurableScene

    init() throws {
        scene = try DurableScene()
        let fixture = BuiltProducts.root.appendingPathComponent("Fixtures/dunning/worker")
        let folder = scene.folder.appendingPathComponent("policy")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("workflows"), withIntermediateDirectories: true)
        for path in ["dunning-policy.yaml", "workflows/paid-thanks.json"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(path), to: folder.appendingPathComponent(path))
        }
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("gateway-script.json"), to: scene.folder.appendingPathComponent("gateway-script.json"))
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("failures.jsonl"), to: scene.folder.appendingPathComponent("events/failures.jsonl"))
    }

    func remove() { scene.remove() }

    func run(_ arguments: [String]) throws -> BuiltProducts.Result { try scene.run(arguments) }

    /// `dunning invoices --json`, by invoice id.
    func invoices() throws -> [String: [String: Any]] {
        let result = try run(["dunning", "invoices", "--json"])
        #expect(result.status == 0, "\(result.errors)")
        var byID: [String: [String: Any]] = [:]
        for object in try DurableScene.objects(result.output) { byID[object["invoice"] as? String ?? "?"] = object }
        return byID
    }

    /// `dunning timeline INVOICE --json`.
    func timeline(_ invoice: String) throws -> [[String: Any]] {
        let result = try run(["dunning", "timeline", invoice, "--json"])
        #expect(result.status == 0, "\(result.errors)")
        return try DurableScene.objects(result.output)
    }
}

/// The worker running a published dunning policy end to end: publish Fixtures/dunning/worker,
/// read its failures, run on a virtual clock with the simulated gateway, and read the invoices and
/// the timeline back. These need the lead's runtime (DurableRuntime+Dunning, contract 15).
@Suite("purchase-actions run with a published dunning policy: charges at the policy's gaps, read back with dunning invoices / timeline")
struct WorkerDunningEndToEndTests {
    /// The attempts' times of an invoice's timeline, with their outcome.
    static func attempts(_ entries: [[String: Any]]) -> [String] {
        entries.filter { $0["kind"] as? String == "attempt" }.map { "\($0["attempt"] ?? "?") \($0["at"] ?? "?") \($0["outcome"] ?? "?")" }
    }

    @Test("one drain on a clock weeks on: retries at 2-day gaps, a recovery at attempt 3 and at 2, a hard decline never retried, an unknown outcome looked up")
    func retryTimeline() throws {
        let world = try DunningWorkerScene()
        defer { world.remove() }
        let published = try world.run(["publish", "policy"])
        #expect(published.status == 0, "\(published.errors)")
        let drained = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-20T00:00:00Z", "--gateway-script", "gateway-script.json"])
        #expect(drained.status == 0, "\(drained.errors)")
        #expect(drained.output.contains("; charges: 2 approved, 5 declined, 0 unknown"), "\(drained.output)")

        let invoices = try world.invoices()
        #expect(invoices.count == 4)
        #expect(invoices["wd-inv-1"]?["status"] as? String == "recovered")
        #expect(invoices["wd-inv-1"]?["recoveredAttempt"] as? Int == 3)
        #expect(invoices["wd-inv-2"]?["status"] as? String == "recovered")
        #expect(invoices["wd-inv-2"]?["recoveredAttempt"] as? Int == 2)
        #expect(invoices["wd-inv-3"]?["status"] as? String == "final", "a hard decline is never retried; the final action ends it")
        #expect(invoices["wd-inv-3"]?["attemptsFailed"] as? Int == 1, "only the reported failure: the later attempts were skipped, never charged")
        #expect(invoices["wd-inv-3"]?["cardBlocked"] as? Bool == true)
        #expect(invoices["wd-inv-4"]?["status"] as? String == "final")
        #expect(invoices["wd-inv-4"]?["attemptsMade"] as? Int == 5)
        #expect(invoices["wd-inv-4"]?["attemptsFailed"] as? Int == 5)
        #expect(invoices.values.allSatisfy { $0["policyVersion"] as? Int == 1 && $0["policy"] as? String == "worker-dunning" })

        #expect(Self.attempts(try world.timeline("wd-inv-1")) == ["2 2026-03-04T09:00:00Z declined", "3 2026-03-06T09:00:00Z approved"])
        #expect(Self.attempts(try world.timeline("wd-inv-2")) == ["2 2026-03-04T10:00:00Z approved"])
        #expect(Self.attempts(try world.timeline("wd-inv-3")).isEmpty, "never charged after the hard decline")
        #expect(
            Self.attempts(try world.timeline("wd-inv-4")) == [
                "2 2026-03-04T12:00:00Z declined", "3 2026-03-06T12:00:00Z declined", "4 2026-03-08T12:00:00Z declined", "5 2026-03-10T12:00:00Z declined",
            ])
        let fourth = try world.timeline("wd-inv-4")
        #expect(fourth.contains { $0["kind"] as? String == "final" })
        #expect(fourth.allSatisfy { $0["policyVersion"] as? Int == 1 && $0["sequence"] is Int })

        // The table for people.
        let table = try world.run(["dunning", "invoices"])
        #expect(table.output.hasPrefix("invoice   contact  status     stage"), "\(table.output)")
        #expect(table.output.contains("wd-inv-1  wd-c-1   recovered  -      2        2       -             worker-dunning v1\n"), "\(table.output)")
        // The charges sent, not the attempt numbers: wd-inv-3's later attempts were skipped (hard decline), none charged.
        #expect(table.output.contains("wd-inv-3  wd-c-3   final      -      0        1       -             worker-dunning v1\n"), "\(table.output)")
        let open = try world.run(["dunning", "invoices", "--open"])
        #expect(open.output == "no open invoices in dunning\n", "\(open.output)")
        let lines = try world.run(["dunning", "timeline", "wd-inv-4"])
        #expect(lines.output.contains("2026-03-04T12:00:00Z  wd-inv-4  worker-dunning v1  attempt 2  declined: "), "\(lines.output)")

        // A second drain charges nothing again.
        let again = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-21T00:00:00Z", "--gateway-script", "gateway-script.json"])
        #expect(again.output.contains("; charges: 0 approved, 0 declined, 0 unknown"), "\(again.output)")
    }

    @Test("without a gateway the charges wait in the outbox (the summary says so); a later run with one makes them, recorded at its clock")
    func chargesWait() throws {
        let world = try DunningWorkerScene()
        defer { world.remove() }
        #expect(try world.run(["publish", "policy"]).status == 0)
        let waiting = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-04T12:30:00Z"])
        #expect(waiting.status == 0, "\(waiting.errors)")
        #expect(waiting.output.contains("charges wait in the outbox (no --gateway or --gateway-script)"), "\(waiting.output)")
        let open = try world.invoices()
        #expect(open.values.filter { $0["status"] as? String == "open" }.count == 4)
        let pending = try DurableScene.objects(try world.run(["outbox", "--pending", "--json"]).output).filter { $0["kind"] as? String == "charge" }
        #expect(!pending.isEmpty)

        let charged = try world.run(["run", "--events", "events", "--drain", "--clock", "2026-03-04T12:30:00Z", "--gateway-script", "gateway-script.json"])
        #expect(charged.status == 0, "\(charged.errors)")
        #expect(charged.output.contains("; charges: 1 approved, 2 declined, 0 unknown"), "\(charged.output)")
        #expect(try world.invoices()["wd-inv-2"]?["status"] as? String == "recovered")
        let after = try DurableScene.objects(try world.run(["outbox", "--pending", "--json"]).output).filter { $0["kind"] as? String == "charge" }
        #expect(after.isEmpty)
    }

    @Test("dunning invoices and timeline on a database without dunning say so, exit 0")
    func empty() throws {
        let world = try DunningWorkerScene()
        defer { world.remove() }
        #expect(try world.run(["publish", "policy"]).status == 0)
        let invoices = try world.run(["dunning", "invoices"])
        #expect(invoices.status == 0, "\(invoices.errors)")
        #expect(invoices.output == "no invoices in dunning\n")
        let timeline = try world.run(["dunning", "timeline", "nope"])
        #expect(timeline.output == "no dunning timeline entries for invoice 'nope'\n")
        #expect(try world.run(["dunning", "invoices", "--json"]).output.isEmpty)
    }
}

extension RequiredTool {
    /// Python 3, which runs the reference payment gateway of the dunning kill test.
    static let python3ForGatewaySink = RequiredTool(
        program: "python3", for: "Tools/payment-gateway-sink.py in Tools/crash-test-dunning.sh", install: "apt-get install python3")
}

/// The kill test's short form (Tools/crash-test-dunning.sh, fixed seed): the worker kill -9'd at
/// random moments between charges and records never charges an invoice twice, and ends in the
/// state of a run without kills.
@Suite("Tools/crash-test-dunning.sh: a crash between charge and record never charges twice")
struct WorkerDunningKillTests {
    @Test("the short form passes: no invoice charged twice, final invoices and timeline equal to the run without kills", .requires(.python3ForGatewaySink))
    func shortForm() throws {
        let bin = BuiltProducts.folder(holding: "purchase-actions")
        let result = try BuiltProducts.runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["bash", "Tools/crash-test-dunning.sh", "--bin", bin.path], in: BuiltProducts.root)
        #expect(result.status == 0, "\(result.output)\n\(result.errors)")
        #expect(result.output.contains("PASSED: no invoice charged twice"), "\(result.output)")
        #expect(result.output.contains("invoices     reference 12 rows, kill run 12 rows: equal"), "\(result.output)")
        #expect(result.output.contains("kill run: 12 kills landed"), "\(result.output)")
    }
}
