import CommandLineSupport
import MigrationReport
import PurchaseActions
import PurchaseActionsCore

/// The billing settings as a dunning policy (Docs/mapping.md, "Billing automation"): the account's
/// billing defaults and each plan's overrides become `dunning-policy.yaml` in the output folder,
/// and the report says so with each schedule in words.
extension Import {
    /// The policy file's name in the output folder.
    static let dunningPolicyFile = "dunning-policy.yaml"

    /// The run's account as a dunning policy: `DunningPolicy(importing:catalogue:)`, holding the
    /// first ``LegacyCompiler/policyMaxPlans`` plans with overrides (in document order; the
    /// others are findings, so the file always reads back).
    static func dunningPolicy(_ run: MigrationRun) -> DunningPolicy {
        let account = run.accountFile
        var policy = DunningPolicy(importing: account.settings, catalogue: account.catalogue)
        let plans = LegacyCompiler.plansWithBillingOverrides(account.catalogue)
        if plans.count > LegacyCompiler.policyMaxPlans {
            let kept = Set(plans.prefix(LegacyCompiler.policyMaxPlans).map(\.id))
            policy.plans = policy.plans.filter { kept.contains($0.key) }
        }
        return policy
    }

    /// Writes `dunning-policy.yaml` (`DunningPolicyFile.yamlText`) into the output folder.
    static func writeDunningPolicy(_ policy: DunningPolicy, to directory: OutputDirectory) throws(CommandError) {
        try directory.write(Array(DunningPolicyFile.yamlText(policy).utf8), to: dunningPolicyFile)
    }

    /// What the report says of the policy: the file, the id and each schedule in words.
    static func dunningPolicyNote(_ policy: DunningPolicy) -> DunningPolicyNote {
        var plans: [String: String] = [:]
        for (id, plan) in policy.plans {
            plans[id] = plan.autocharge ? DunningScheduleWords.words(plan.retries ?? policy.retries) : "not retried (autocharge off)"
        }
        return DunningPolicyNote(file: dunningPolicyFile, id: policy.id, schedule: DunningScheduleWords.words(policy.retries), plans: plans)
    }
}

/// A retry schedule in words, as the migration report names it: "3 attempts, 2 days apart",
/// "4 attempts, after 1 day, 3 days, 5 days", "8 attempts within 14 days", "not retried".
enum DunningScheduleWords {
    static func words(_ schedule: RetrySchedule) -> String {
        switch schedule {
        case .none: return "not retried"
        case .within(let attempts, let window): return "\(attempts) attempts within \(words(window))"
        case .gaps(let gaps):
            guard let first = gaps.first else { return "not retried" }
            let attempts = "\(gaps.count + 1) attempts"
            if gaps.allSatisfy({ $0 == first }) { return attempts + ", " + words(first) + " apart" }
            return attempts + ", after " + gaps.map(words).joined(separator: ", ")
        }
    }

    /// "1 day", "2 days", "36 hours".
    static func words(_ duration: PolicyDuration) -> String {
        let unit = duration.unit == .days ? "day" : "hour"
        return "\(duration.amount) \(unit)\(duration.amount == 1 ? "" : "s")"
    }
}
