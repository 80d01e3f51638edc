import Foundation
import PurchaseActions
import Testing

@Suite("Dunning policy files: the largest policy an import writes reads back")
struct DunningPolicyFileSizeTests {
    @Test("10,000 plans with the longest ids and schedules: written by yamlText, under maxBytes, read back equal")
    func largestImport() throws {
        let limits = DunningLimits.standard
        var policy = DunningPolicy(id: DunningPolicy.legacyID, name: "Legacy billing defaults")
        let gaps = Array(repeating: PolicyDuration.days(limits.maxDurationAmount), count: limits.maxAttempts - 1)
        for number in 0..<limits.maxPlans {
            let id = "p" + String(number).padding(toLength: limits.maxNameLength - 1, withPad: "x", startingAt: 0)
            policy.plans[id] = PlanOverride(retries: .gaps(gaps))
        }
        let text = DunningPolicyFile.yamlText(policy)
        #expect(text.utf8.count < DunningPolicyFile.maxBytes, "\(text.utf8.count) bytes")
        let read = try DunningPolicyFile.policy(Array(text.utf8), file: "largest.yaml")
        #expect(read == policy)
    }
}
