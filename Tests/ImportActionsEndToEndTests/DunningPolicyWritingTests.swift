import CommandLineTesting
import Foundation
@testable import ImportActionsCLI
import MigrationReport
import PurchaseActions
import Testing

/// Issue 14, item 2: the billing settings become `dunning-policy.yaml` in the output folder; the
/// report says so; only what a policy cannot carry stays a `billing-settings-unused` finding; the
/// output with the new file is still replaced by `--force`, and an old output without it too.
@Suite("import-actions: the billing settings as dunning-policy.yaml")
struct DunningPolicyWritingTests {
    static func text(_ tree: [String: Data], _ name: String) -> String { tree[name].map { String(decoding: $0, as: UTF8.self) } ?? "" }

    @Test("Each fixture's output holds dunning-policy.yaml with the account's schedule and each plan's", arguments: [
        ("course-creator", ["pp-vip-3:"]),
        ("membership-site", ["plan-monthly:", "plan-yearly:", "plan-studio-pass:", "autocharge: false"]),
        ("physical-goods-store", []),
    ])
    func policyWritten(fixture: String, plans: [String]) throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            let result = try CLI.run(["Fixtures/exports/\(fixture).xml", "-o", out.path])
            #expect(result.status == 0, "\(result.errors)")
            let tree = try ImportWritingTests.tree(out)
            let policy = Self.text(tree, "dunning-policy.yaml")
            #expect(policy.contains("id: legacy-billing"), "\(policy)")
            #expect(policy.contains("format: 1"))
            for plan in plans { #expect(policy.contains(plan), "\(fixture): \(plan) in\n\(policy)") }
            if plans.isEmpty { #expect(!policy.contains("autocharge: false")) }
            let markdown = Self.text(tree, "migration-report.md")
            #expect(markdown.contains("The billing settings became the dunning policy `legacy-billing` in `dunning-policy.yaml`"), "\(fixture)")
            #expect(!markdown.contains("not carried: see above"))
            #expect(Self.text(tree, "migration-report.html").contains("The billing settings became the dunning policy <code>legacy-billing</code>"))
            let report = try JSONSerialization.jsonObject(with: tree["migration-report.json"] ?? Data()) as? [String: Any]
            let account = report?["account"] as? [String: Any]
            let dunning = account?["dunningPolicy"] as? [String: Any]
            #expect(dunning?["file"] as? String == "dunning-policy.yaml")
            #expect((dunning?["plans"] as? [Any])?.count == (account?["planBilling"] as? [Any])?.count)
        }
    }

    @Test("The retry findings are gone: membership-site keeps one, for days-before-autocharge; the others none")
    func findings() throws {
        try ImportWritingTests.withScratch { scratch in
            let membership = try CLI.run(["Fixtures/exports/membership-site.xml", "-o", scratch.appendingPathComponent("m").path])
            let lines = membership.errors.split(separator: "\n").filter { $0.contains("[billing-settings-unused]") }
            #expect(lines.count == 1, "\(lines)")
            #expect(lines.first?.contains("days-before-autocharge=\"1\"") == true)
            #expect(lines.first?.contains("membership-site.xml:12:") == true)
            for fixture in ["course-creator", "physical-goods-store"] {
                let result = try CLI.run(["Fixtures/exports/\(fixture).xml", "-o", scratch.appendingPathComponent(fixture).path])
                #expect(!result.errors.contains("billing-settings-unused"), "\(fixture): \(result.errors)")
            }
        }
    }

    @Test("The schedule in words: plan pp-vip-3's own, and a plan with autocharge off is not retried", arguments: [
        ("course-creator", "3 attempts, 2 days apart; plan pp-vip-3: 4 attempts, 3 days apart"),
        ("membership-site", "plan plan-studio-pass: not retried (autocharge off)"),
    ])
    func words(fixture: String, says: String) throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent(fixture)
            let result = try CLI.run(["Fixtures/exports/\(fixture).xml", "-o", out.path])
            #expect(result.status == 0)
            let markdown = Self.text(try ImportWritingTests.tree(out), "migration-report.md")
            #expect(markdown.contains(says), "\(fixture): \(says)")
        }
    }

    @Test("--force replaces an output holding dunning-policy.yaml, and an older output without it; a dunning-policy.yaml folder is refused")
    func forceReplaces() throws {
        try ImportWritingTests.withScratch { scratch in
            let out = scratch.appendingPathComponent("out")
            #expect(try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path]).status == 0)
            try Data("x".utf8).write(to: out.appendingPathComponent("dunning-policy.yaml"))
            let forced = try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path, "--force"])
            #expect(forced.status == 0, "\(forced.errors)")
            #expect(try ImportWritingTests.tree(out)["dunning-policy.yaml"] != Data("x".utf8))
            // An output written before the policy existed.
            try FileManager.default.removeItem(at: out.appendingPathComponent("dunning-policy.yaml"))
            #expect(try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path, "--force"]).status == 0)
            #expect(try ImportWritingTests.tree(out)["dunning-policy.yaml"] != nil)
            // The name on a folder is not what the command writes.
            try FileManager.default.removeItem(at: out.appendingPathComponent("dunning-policy.yaml"))
            try FileManager.default.createDirectory(at: out.appendingPathComponent("dunning-policy.yaml"), withIntermediateDirectories: false)
            try Data("keep me".utf8).write(to: out.appendingPathComponent("dunning-policy.yaml/x"))
            let refused = try CLI.run(["Fixtures/exports/course-creator.xml", "-o", out.path, "--force"])
            #expect(refused.status == 73, "\(refused.errors)")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("dunning-policy.yaml/x").path))
        }
    }

    @Test("diff of two output folders with the policy, and of a folder against its export, sees no difference")
    func diffAccepts() throws {
        try ImportWritingTests.withScratch { scratch in
            let a = scratch.appendingPathComponent("a").path
            let b = scratch.appendingPathComponent("b").path
            #expect(try CLI.run(["Fixtures/exports/course-creator.xml", "-o", a]).status == 0)
            #expect(try CLI.run(["Fixtures/exports/course-creator.xml", "-o", b]).status == 0)
            let folders = try CLI.run(["diff", a, b])
            #expect(folders.status == 0, "\(folders.output)\(folders.errors)")
            let mixed = try CLI.run(["diff", "Fixtures/exports/course-creator.xml", a])
            #expect(mixed.status == 0, "\(mixed.output)\(mixed.errors)")
        }
    }

    @Test("A catalogue with more plan overrides than a policy holds: the first 10,000 are in it, the rest are findings, and the file reads back")
    func tooManyPlans() throws {
        var catalogue = Catalogue()
        let count = LegacyCompiler.policyMaxPlans + 2
        for index in 0..<count {
            let id = String(format: "plan-%05d", index)
            catalogue.subscriptionPlans[id] = SubscriptionPlan(
                id: id, productID: "p", name: id, price: 1, cycle: .month, billing: BillingOverrides(maxRetries: 2), location: FileLocation(file: "x.xml", line: index + 10))
        }
        var run = MigrationRun()
        run.add(account: AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", location: FileLocation(file: "x.xml", line: 2)))
        run.add(catalogue: catalogue)
        #expect(run.findings.map(\.location.line) == [count + 8, count + 9])
        let policy = Import.dunningPolicy(run)
        #expect(policy.plans.count == LegacyCompiler.policyMaxPlans)
        #expect(policy.plans["plan-00000"] != nil && policy.plans[String(format: "plan-%05d", count - 1)] == nil)
        let text = DunningPolicyFile.yamlText(policy)
        #expect(try DunningPolicyFile.policy(Array(text.utf8), file: "dunning-policy.yaml") == policy)
        let note = Import.dunningPolicyNote(policy)
        #expect(note.plans.count == LegacyCompiler.policyMaxPlans && note.schedule == "3 attempts, 2 days apart")
    }

    @Test("Schedules in words: equal gaps, unequal gaps, hours, a window, none")
    func scheduleWords() {
        #expect(DunningScheduleWords.words(.gaps([.days(2), .days(2)])) == "3 attempts, 2 days apart")
        #expect(DunningScheduleWords.words(.gaps([.days(1)])) == "2 attempts, 1 day apart")
        #expect(DunningScheduleWords.words(.gaps([.days(1), .days(3), .hours(36)])) == "4 attempts, after 1 day, 3 days, 36 hours")
        #expect(DunningScheduleWords.words(.within(attempts: 8, window: .days(14))) == "8 attempts within 14 days")
        #expect(DunningScheduleWords.words(.none) == "not retried")
        #expect(DunningScheduleWords.words(.gaps([])) == "not retried")
    }
}
