import Foundation
import PurchaseActions
import Testing

/// Issue 14, item 2: each golden output folder's `dunning-policy.yaml` is the export's billing
/// settings as a policy (`DunningPolicy(importing:catalogue:)`), reads back unchanged, keeps the
/// legacy retry count and spacing for the account and every plan, and the folder loaders accept it.
@Suite("The imported dunning policy: the goldens' dunning-policy.yaml")
struct ImportedDunningPolicyTests {
    static let root = LoadingAutomationTests.root
    static let names = LoadingMigrationFolderTests.names

    @Test("The golden file reads back as the export's policy, and is what yamlText writes of it", arguments: names)
    func goldenReadsBack(name: String) throws {
        let document = try ExportReader().read(file: Self.root + "/Fixtures/exports/\(name).xml")
        let expected = DunningPolicy(importing: document.account.settings, catalogue: document.account.catalogue)
        let path = Self.root + "/Fixtures/expected/\(name)/dunning-policy.yaml"
        let loaded = try DunningPolicyFile.load(path: path)
        #expect(loaded == expected)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == DunningPolicyFile.yamlText(expected))
        #expect(loaded.id == "legacy-billing")
        #expect(loaded.timezone == document.account.settings.timezone)
    }

    @Test("The legacy timeline on every fixture: max-retries attempts in all, days-between-retries days apart, for the account and each plan; autocharge off is not managed", arguments: names)
    func legacyTimeline(name: String) throws {
        let account = try ExportReader().read(file: Self.root + "/Fixtures/exports/\(name).xml").account
        let policy = try DunningPolicyFile.load(path: Self.root + "/Fixtures/expected/\(name)/dunning-policy.yaml")
        let zone = try #require(SystemTimeZoneDatabase().rules(named: account.settings.timezone))
        let calendar = ZonedCalendar(rules: zone)
        let first = Instant(secondsSinceEpoch: 1_741_000_000)  // 2025-03-03
        func expect(_ plan: String?, attempts: Int, days: Int) {
            let times = policy.retryTimes(from: first, calendar: calendar, plan: plan)
            #expect(times.count == attempts - 1, "\(name) \(plan ?? "account")")
            var previous = first
            for time in times {
                #expect(calendar.addingCalendarDays(days, to: previous, at: nil) == time, "\(name) \(plan ?? "account"): \(days) calendar days apart")
                previous = time
            }
        }
        let billing = account.settings.billing
        expect(nil, attempts: billing.maxRetries, days: billing.daysBetweenRetries)
        var plans: [(String, BillingOverrides)] = account.catalogue.subscriptionPlans.values.map { ($0.id, $0.billing) }
        plans += account.catalogue.paymentPlans.values.map { ($0.id, $0.billing) }
        for (id, overrides) in plans {
            if !overrides.autocharge {
                #expect(policy.plans[id]?.autocharge == false, "\(name) \(id)")
                continue
            }
            expect(id, attempts: overrides.maxRetries ?? billing.maxRetries, days: overrides.daysBetweenRetries ?? billing.daysBetweenRetries)
        }
    }

    @Test("The loaders accept a migration folder holding dunning-policy.yaml (and one without it)", arguments: names)
    func loadersAccept(name: String) throws {
        let folder = Self.root + "/Fixtures/expected/" + name
        #expect(FileManager.default.fileExists(atPath: folder + "/dunning-policy.yaml"))
        let loaded = try LoadedAutomation(folder: folder)
        #expect(!loaded.automation.workflows.isEmpty)
        let report = try WorkflowValidation().validate([folder])
        #expect(report.errors == 0 && report.warnings == 0, "\(report.problems.prefix(3))")
    }

    @Test("validate reads a migration's dunning-policy.yaml: a broken one is one invalid-policy error at its line and JSON path; a folder in its place too")
    func validateChecksPolicy() throws {
        let scratch = NSTemporaryDirectory() + "pa-policy-validate-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try LoadingMigrationFolderTests.copyMigration("course-creator", to: scratch)
        let policy = scratch + "/dunning-policy.yaml"
        let text = try String(contentsOfFile: policy, encoding: .utf8)
        let broken = text.replacing("retries: {gaps: [2d, 2d]}", with: "retries: {gaps: [2d, 2x]}")
        #expect(broken != text)
        try broken.write(toFile: policy, atomically: true, encoding: .utf8)
        let report = try WorkflowValidation().validate([scratch])
        #expect(report.errors == 1, "\(report.problems)")
        let problem = try #require(report.problems.first)
        #expect(problem.code == .invalidPolicy)
        #expect(problem.file == policy)
        #expect(problem.line == broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("retries:") }.map { $0 + 1 })
        #expect(problem.jsonPath.description.hasPrefix("$.retries.gaps"), "\(problem)")
        try FileManager.default.removeItem(atPath: policy)
        try FileManager.default.createDirectory(atPath: policy, withIntermediateDirectories: false)
        let folder = try WorkflowValidation().validate([scratch])
        #expect(folder.problems.map(\.code) == [.invalidPolicy], "\(folder.problems)")
        try FileManager.default.removeItem(atPath: policy)
        #expect(try WorkflowValidation().validate([scratch]).errors == 0, "no policy file: nothing to check")
    }

    @Test("The limits the import's findings name are the policy's own (DunningLimits.standard)")
    func limitsAgree() {
        let limits = DunningLimits.standard
        #expect(LegacyCompiler.policyMaxAttempts == limits.maxAttempts)
        #expect(LegacyCompiler.policyMaxGapDays == limits.maxDurationAmount)
        #expect(LegacyCompiler.policyMaxInvoiceAgeMonths == limits.maxInvoiceAgeMonths)
        #expect(LegacyCompiler.policyMaxPlans == limits.maxPlans)
    }

    @Test("No finding means the policy carries the schedule exactly; a finding names what it became", arguments: [1, 2, 3, 100, 101], [0, 1, 2, 10_000, 10_001])
    func findingIffChanged(attempts: Int, days: Int) throws {
        let billing = BillingDefaults(maxRetries: attempts, daysBetweenRetries: days)
        let settings = AccountSettings(id: "a", name: "A", timezone: "UTC", currency: "USD", billing: billing, location: FileLocation(file: "x.xml", line: 2))
        let policy = DunningPolicy(importing: settings, catalogue: Catalogue())
        let exact: RetrySchedule = attempts <= 1 ? .none : .gaps(Array(repeating: .days(days), count: attempts - 1))
        let findings = LegacyCompiler.billingSettingsFindings(settings)
        #expect(findings.isEmpty == (policy.retries == exact), "\(attempts) attempts \(days) days: \(findings)")
        #expect(try DunningPolicy(json: policy.json) == policy, "reads back")
    }
}
