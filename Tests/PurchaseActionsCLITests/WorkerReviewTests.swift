import CommandLineTesting
import Foundation
import Testing

/// The reviewer's findings on `run`, `outbox` and `log` (counts, retention, options, messages).
@Suite("purchase-actions run, outbox, log: the reviewer's findings")
struct WorkerReviewTests {
    @Test("The --drain summary counts one file as '1 file', all log records and the deliveries by outcome")
    func summary() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let result = try scene.drain(clock: "2025-03-04T10:00:00Z")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("1 events read (1 file)"), "\(result.output)")
        #expect(result.output.contains("1 delivered, 0 failed to retry, 0 dead"), "\(result.output)")
        // entered + waiting from the event; resumed + the email + finished from the wake-up.
        let logged = try DurableScene.objects(try scene.run(["log", "--json"]).output).count
        #expect(result.output.contains("\(logged) log records ("), "\(logged): \(result.output)")
        #expect(result.errors.contains("info: deliveries dead=0 delivered=1 failed=0"), "\(result.errors)")
        let again = try scene.drain(clock: "2025-03-04T10:00:00Z")
        #expect(again.output.contains("0 events read (0 files)"), "\(again.output)")
    }

    @Test("A failed attempt is counted as failed, not delivered (--delivery-timeout cuts a hanging webhook short)")
    func failedCount() throws {
        let server = try SilentServer()
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let result = try scene.run([
            "run", "--events", "events", "--drain", "--clock", "2025-03-04T10:00:00Z", "--deliver-to", "http://127.0.0.1:\(server.port)/hook",
            "--delivery-timeout", "0.05", "--header", "Authorization: Bearer s3cret",
        ])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("0 delivered, 1 failed to retry, 0 dead"), "\(result.output)")
        #expect(result.errors.contains("info: deliveries dead=0 delivered=0 failed=1"), "\(result.errors)")
        #expect(result.errors.contains("no answer within"), "\(result.errors)")
    }

    @Test("--header and --delivery-timeout: bad values are usage errors (exit 64) naming the option")
    func deliveryOptions() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let url = "http://127.0.0.1:9/hook"
        let cases: [([String], String)] = [
            (["run", "--deliver-to", url, "--header", "no colon"], "--header"),
            (["run", "--deliver-to", url, "--header", ": value"], "--header"),
            (["run", "--deliver-to", url, "--header", "Idempotency-Key: x"], "Idempotency-Key"),
            (["run", "--deliver-to", url, "--header", "Bad Name: x"], "Bad Name"),
            (["run", "--deliver-to", url, "--delivery-timeout", "0"], "--delivery-timeout"),
            (["run", "--deliver-to", url, "--delivery-timeout", "3600.5"], "--delivery-timeout"),
            (["run", "--deliver-to", url, "--delivery-timeout", "nan"], "--delivery-timeout"),
            (["run", "--header", "A: b"], "--deliver-to"),
            (["run", "--delivery-timeout", "5"], "--deliver-to"),
            (["outbox", "--limit", "0"], "--limit"),
            (["outbox", "--dead", "--pending"], "--pending"),
        ]
        for (arguments, option) in cases {
            let result = try scene.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.errors)")
            #expect(result.errors.contains(option), "\(arguments): \(result.errors)")
        }
    }

    @Test("Replaying old events on the real clock prunes them at once, and says so (info line and summary)")
    func retentionSaysWhatItPruned() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let result = try scene.run(["run", "--events", "events", "--drain", "--record", "deliveries.jsonl"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("info: retention pruned"), "\(result.errors)")
        #expect(result.errors.contains("log-rows="), "\(result.errors)")
        #expect(result.output.contains("; retention pruned "), "\(result.output)")
        let kept = try scene.run(["run", "--events", "events", "--drain", "--retention", "none"])
        #expect(!kept.errors.contains("retention pruned"), "\(kept.errors)")
    }

    @Test("outbox --pending lists only pending rows; --limit N the newest N")
    func outboxFilters() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        // Two emails due; no deliverer: both pending.
        #expect(try scene.run(["run", "--events", "events", "--drain", "--clock", "2025-03-05T00:00:00Z"]).status == 0)
        let all = try DurableScene.objects(try scene.run(["outbox", "--json"]).output)
        #expect(all.count == 2)
        let pending = try DurableScene.objects(try scene.run(["outbox", "--pending", "--json"]).output)
        #expect(pending.count == 2)
        let newest = try DurableScene.objects(try scene.run(["outbox", "--limit", "1", "--json"]).output)
        #expect(newest.count == 1 && newest.first?["key"] as? String == all.last?["key"] as? String, "\(newest)")
        // Delivered, none is pending.
        #expect(try scene.drain(clock: "2025-03-05T00:00:00Z").status == 0)
        let none = try scene.run(["outbox", "--pending"])
        #expect(none.output.contains("nothing pending"), "\(none.output)")
    }

    @Test("Help and errors: outbox's example key has the real shape, log --limit says newest, a shorter file says how to recover")
    func wording() throws {
        let scene = try DurableScene()
        defer { scene.remove() }
        let outbox = try scene.run(["outbox", "--help"])
        #expect(outbox.output.contains("e-5/3/action-set.as-order-thanks:as-order-thanks.mail"), "\(outbox.output)")
        #expect(!outbox.output.contains("e-12:welcome-mail:1"))
        let log = try scene.run(["log", "--help"])
        #expect(log.output.contains("newest"), "\(log.output)")
        _ = try scene.run(["publish", "migration"])
        try scene.write(DurableScene.event1 + "\n" + DurableScene.event2 + "\n", to: "events/a.jsonl")
        #expect(try scene.drain(clock: "2025-03-01T12:00:00Z").status == 0)
        try scene.write(DurableScene.event1 + "\n", to: "events/a.jsonl")
        let short = try scene.drain(clock: "2025-03-01T12:00:00Z")
        #expect(short.status == 65)
        #expect(short.errors.contains("restore the file"), "\(short.errors)")
        #expect(short.errors.contains("repeated event ids are skipped"), "\(short.errors)")
    }
}
