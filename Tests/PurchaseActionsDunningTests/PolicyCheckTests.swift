import PurchaseActionsCore
import PurchaseActionsDunning
import Testing

@Suite("check(): budget, age-limit and unreachable-stage warnings with JSON paths")
struct PolicyCheckTests {
    @Test("The defaults and the contract example have no warnings")
    func clean() throws {
        #expect(DunningPolicy(id: "p", name: "P").check().isEmpty)
        #expect(try PolicyExamples.decode(PolicyExamples.contract).check().isEmpty)
    }

    @Test("A schedule that exceeds a network budget on its own warns, per network, at its path; one at the budget does not")
    func budget() {
        var policy = DunningPolicy(id: "p", name: "P", retries: .within(attempts: 16, window: .days(29)))
        let warnings = policy.check()
        #expect(warnings.map(\.code) == ["budget-exceeded-alone", "budget-exceeded-alone"])
        #expect(warnings.map(\.path.description) == ["$.retries", "$.retries"])
        #expect(warnings[0].message.contains("16 times within 30d") && warnings[0].message.contains("visa budget allows 15"))
        policy.retries = .within(attempts: 15, window: .days(29))
        #expect(policy.check().isEmpty)
        // 16 attempts spread over 31 days fit: no 30-day window holds more than 15.
        policy.retries = .gaps(Array(repeating: .days(2), count: 15))
        #expect(policy.check().isEmpty)
        policy.plans["fast"] = PlanOverride(retries: .gaps(Array(repeating: .hours(1), count: 40)))
        #expect(policy.check().map(\.path.description) == ["$.plans.fast.retries", "$.plans.fast.retries", "$.plans.fast.retries"])
        policy.plans["fast"]?.autocharge = false
        #expect(policy.check().isEmpty)
    }

    @Test("Attempts after maxInvoiceAgeMonths warn; none with no limit")
    func ageLimit() {
        var policy = DunningPolicy(id: "p", name: "P", retries: .gaps([.days(20), .days(20)]), maxInvoiceAgeMonths: 1)
        #expect(policy.check().map(\.code) == ["attempts-after-age-limit"])
        #expect(policy.check().first?.message.contains("40d") == true)
        policy.maxInvoiceAgeMonths = 2
        #expect(policy.check().isEmpty)
        policy.maxInvoiceAgeMonths = nil
        #expect(policy.check().isEmpty)
    }

    @Test("A stage after one that holds whenever it does is unreachable (first match wins)")
    func unreachable() {
        func policy(_ conditions: [StageCondition]) -> DunningPolicy {
            DunningPolicy(id: "p", name: "P", stages: conditions.enumerated().map { DunningStage(id: "s\($0.offset)", name: "S", when: $0.element) })
        }
        #expect(policy([.attemptsFailed(atLeast: 3), .attemptsFailed(atLeast: 1)]).check().isEmpty)
        let reversed = policy([.attemptsFailed(atLeast: 1), .attemptsFailed(atLeast: 3)]).check()
        #expect(reversed.map(\.code) == ["unreachable-stage"] && reversed.first?.path.description == "$.stages[1].when")
        #expect(policy([.attemptsFailed(atLeast: 2), .all([.attemptsFailed(atLeast: 5), .hasTag("vip")])]).check().count == 1)
        #expect(policy([.any([.hasTag("a"), .hasTag("b")]), .hasTag("b")]).check().count == 1)
        #expect(policy([.declineClass([.hard, .soft]), .declineClass([.hard])]).check().count == 1)
        #expect(policy([.declineClass([.hard]), .declineClass([.hard, .soft])]).check().isEmpty)
        #expect(policy([.hasTag("a"), .lacksTag("a")]).check().isEmpty)
        #expect(policy([.daysSinceFirstFailure(atLeast: 0), .amountDue(atLeast: 5)]).check().count == 1)
        // Deeply nested conditions are compared in bounded time.
        var deep = StageCondition.hasTag("x")
        for _ in 0..<8 { deep = .all(Array(repeating: .any(Array(repeating: deep, count: 1)), count: 50)) }
        #expect(policy([deep, deep]).check().count <= 1)
    }
}
