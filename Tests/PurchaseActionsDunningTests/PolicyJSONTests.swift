import DunningTesting
import PropertyBased
import PurchaseActionsCore
@testable import PurchaseActionsDunning
import Testing

/// The contract's example policy (contract14.md §1) in JSON.
enum PolicyExamples {
    static let contract = #"""
    {
      "format": 1, "id": "legacy-billing", "name": "Legacy billing defaults", "version": 3, "timezone": "America/Chicago",
      "retries": {"gaps": ["2d", "2d"]},
      "plans": {"plan-monthly": {"retries": {"gaps": ["1d", "3d", "5d"]}}, "pp-vip-3": {"autocharge": false}},
      "sendWindow": {"from": "09:00", "to": "17:00", "days": ["mon", "tue", "wed", "thu", "fri"]},
      "declines": {"unknown": "soft", "codes": {"do_not_honor": "hard"}},
      "budgets": {"visa": {"attempts": 15, "window": "30d"}, "mastercard": {"attempts": 35, "window": "30d"},
                  "other": {"attempts": 15, "window": "30d"}, "whenExceeded": "defer"},
      "cardUpdate": {"retry": "immediately", "reset": ["schedule"]},
      "stages": [{"id": "final-notice", "name": "Final notice",
                  "when": {"all": [{"attemptsFailed": 3}, {"daysSinceFirstFailure": 7}]},
                  "actions": [{"type": "email", "template": "dunning-final"}, {"type": "suspend-access"}]}],
      "attempts": [{"failed": 2, "actions": [{"type": "task", "title": "Call the customer", "assignee": "owner", "dueInDays": 1}]}],
      "recovered": [{"type": "restore-access"}, {"type": "remove-tag", "tag": "past-due"}],
      "final": {"action": "cancel-at-period-end", "actions": [{"type": "email", "template": "dunning-cancelled"}]},
      "maxInvoiceAgeMonths": 12
    }
    """#

    static func decode(_ text: String, limits: DunningLimits = .standard) throws(DunningError) -> DunningPolicy {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw DunningError("syntax", error.description) }
        return try DunningPolicy(json: json, limits: limits)
    }

    /// The error of decoding `text`, or nil.
    static func error(_ text: String, limits: DunningLimits = .standard) -> DunningError? {
        do {
            _ = try decode(text, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    /// The minimal policy with `members` added (a JSON fragment starting with a comma, or empty).
    static func minimal(_ members: String = "") -> String { #"{"format": 1, "id": "p", "name": "P""# + members + "}" }
}

@Suite("Dunning policy JSON: reading with JSON paths, canonical writing, round trips")
struct PolicyJSONTests {
    @Test("The contract's example reads as written")
    func contractExample() throws {
        let policy = try PolicyExamples.decode(PolicyExamples.contract)
        #expect(policy.id == "legacy-billing" && policy.version == 3 && policy.timezone == "America/Chicago")
        #expect(policy.retries == .gaps([.days(2), .days(2)]))
        #expect(policy.plans["plan-monthly"]?.retries == .gaps([.days(1), .days(3), .days(5)]))
        #expect(policy.plans["pp-vip-3"] == PlanOverride(autocharge: false))
        #expect(policy.sendWindow == MessageWindow(opens: 540, closes: 1020, weekdays: [1, 2, 3, 4, 5]))
        #expect(policy.declines.codes == ["do_not_honor": .hard])
        #expect(policy.budgets == BudgetSettings())
        #expect(policy.cardUpdate == CardUpdateRule())
        #expect(policy.stages.first?.when == .all([.attemptsFailed(atLeast: 3), .daysSinceFirstFailure(atLeast: 7)]))
        #expect(policy.stages.first?.actions == [.email(template: "dunning-final"), .suspendAccess])
        #expect(policy.attempts == [AttemptRule(attempt: 2, actions: [.task(title: "Call the customer", assignee: "owner", dueInDays: 1)])])
        #expect(policy.recovered == [.restoreAccess, .removeTag("past-due")])
        #expect(policy.final == FinalAction(.cancelAtPeriodEnd, actions: [.email(template: "dunning-cancelled")]))
        #expect(policy.maxInvoiceAgeMonths == 12)
        #expect(try DunningPolicy(json: policy.json) == policy)
    }

    @Test("A minimal policy has the legacy defaults; null maxInvoiceAgeMonths is no limit; other schedule forms read")
    func defaults() throws {
        let policy = try PolicyExamples.decode(PolicyExamples.minimal())
        #expect(policy == DunningPolicy(id: "p", name: "P"))
        #expect(try PolicyExamples.decode(PolicyExamples.minimal(#", "maxInvoiceAgeMonths": null"#)).maxInvoiceAgeMonths == nil)
        #expect(try PolicyExamples.decode(PolicyExamples.minimal(#", "retries": "none""#)).retries == RetrySchedule.none)
        #expect(try PolicyExamples.decode(PolicyExamples.minimal(#", "retries": {"attempts": 8, "within": "14d"}"#)).retries == .within(attempts: 8, window: .days(14)))
        #expect(try PolicyExamples.decode(PolicyExamples.minimal(#", "budgets": {"amex": {"attempts": 5, "window": "7d"}, "other": null}"#)).budgets.networks
            == [.visa: NetworkBudget(attempts: 15, window: .days(30)), .mastercard: NetworkBudget(attempts: 35, window: .days(30)),
                .amex: NetworkBudget(attempts: 5, window: .days(7))])
        #expect(try PolicyExamples.decode(PolicyExamples.minimal(#", "cardUpdate": {"retry": "on-schedule", "reset": []}"#)).cardUpdate
            == CardUpdateRule(retryImmediately: false, resetSchedule: false, resetStage: false))
        #expect(try PolicyExamples.decode(PolicyExamples.minimal(#", "sendWindow": {"from": "00:00", "to": "24:00"}"#)).sendWindow
            == MessageWindow(opens: 0, closes: 1440))
    }

    /// Each bad input: the code, the path, and words the message must hold (what to write instead).
    static let refused: [(String, String, String, String)] = [
        (#"{"id": "p", "name": "P"}"#, "invalid-policy", "$", "format: 1"),
        (#"{"format": 2, "id": "p", "name": "P"}"#, "invalid-policy", "$.format", "write format: 1"),
        (PolicyExamples.minimal(#", "colour": 1"#), "invalid-policy", "$.colour", "the members are format, id"),
        (#"{"format": 1, "id": "a b", "name": "P"}"#, "invalid-policy", "$.id", "A-Z a-z 0-9"),
        (PolicyExamples.minimal(#", "timezone": "Mars/Olympus Mons""#), "invalid-policy", "$.timezone", "America/Chicago"),
        (PolicyExamples.minimal(#", "retries": "never""#), "invalid-policy", "$.retries", "write none"),
        (PolicyExamples.minimal(#", "retries": {"gaps": []}"#), "invalid-policy", "$.retries.gaps", "write none"),
        (PolicyExamples.minimal(#", "retries": {"gaps": ["2d", "0d"]}"#), "invalid-policy", "$.retries.gaps[1]", "at least 1h"),
        (PolicyExamples.minimal(#", "retries": {"gaps": ["2 days"]}"#), "invalid-policy", "$.retries.gaps[0]", "\"2d\""),
        (PolicyExamples.minimal(#", "retries": {"gaps": ["02d"]}"#), "invalid-policy", "$.retries.gaps[0]", "leading zeros"),
        (PolicyExamples.minimal(#", "retries": {"gaps": ["2d"], "attempts": 3}"#), "invalid-policy", "$.retries", "not both"),
        (PolicyExamples.minimal(#", "retries": {"attempts": 1, "within": "2d"}"#), "invalid-policy", "$.retries.attempts", "retries: none"),
        (PolicyExamples.minimal(#", "retries": {"attempts": 30, "within": "1d"}"#), "invalid-policy", "$.retries.within", "less than an hour apart"),
        (PolicyExamples.minimal(#", "plans": {"bad id": {}}"#), "invalid-policy", "$.plans['bad id']", "a plan id"),
        (PolicyExamples.minimal(#", "plans": {"p1": {"autocharge": "no"}}"#), "invalid-policy", "$.plans.p1.autocharge", "true or false"),
        (PolicyExamples.minimal(#", "sendWindow": {"from": "17:00", "to": "09:00"}"#), "invalid-policy", "$.sendWindow.to", "cannot cross midnight"),
        (PolicyExamples.minimal(#", "sendWindow": {"from": "9:00", "to": "17:00"}"#), "invalid-policy", "$.sendWindow.from", "HH:MM"),
        (PolicyExamples.minimal(#", "sendWindow": {"from": "09:00", "to": "17:00", "days": ["monday"]}"#), "invalid-policy", "$.sendWindow.days[0]", "write mon"),
        (PolicyExamples.minimal(#", "sendWindow": {"from": "09:00", "to": "17:00", "days": ["mon", "mon"]}"#), "invalid-policy", "$.sendWindow.days[1]", "once"),
        (PolicyExamples.minimal(#", "declines": {"codes": {"Do_Not_Honor": "hard"}}"#), "invalid-policy", "$.declines.codes.Do_Not_Honor", "'do_not_honor'"),
        (PolicyExamples.minimal(#", "declines": {"codes": {"x": "retry-after"}}"#), "invalid-policy", "$.declines.codes.x", "advice codes"),
        (PolicyExamples.minimal(#", "declines": {"unknown": "maybe"}"#), "invalid-policy", "$.declines.unknown", "soft, hard or update-required"),
        (PolicyExamples.minimal(#", "budgets": {"visa": {"attempts": 0, "window": "30d"}}"#), "invalid-policy", "$.budgets.visa.attempts", "less than 1"),
        (PolicyExamples.minimal(#", "budgets": {"jcb": {"attempts": 1, "window": "30d"}}"#), "invalid-policy", "$.budgets.jcb", "visa, mastercard"),
        (PolicyExamples.minimal(#", "budgets": {"whenExceeded": "drop"}"#), "invalid-policy", "$.budgets.whenExceeded", "defer or skip"),
        (PolicyExamples.minimal(#", "cardUpdate": {"retry": "later"}"#), "invalid-policy", "$.cardUpdate.retry", "on-schedule"),
        (PolicyExamples.minimal(#", "cardUpdate": {"reset": ["stage", "stage"]}"#), "invalid-policy", "$.cardUpdate.reset[1]", "once"),
        (PolicyExamples.minimal(#", "stages": [{"id": "s", "when": {}}]"#), "invalid-policy", "$.stages[0].when", "one member"),
        (PolicyExamples.minimal(#", "stages": [{"id": "s", "when": {"attemptsFailed": 1, "tag": "x"}}]"#), "invalid-policy", "$.stages[0].when", "all: [...]"),
        (PolicyExamples.minimal(#", "stages": [{"id": "s", "when": {"late": 1}}]"#), "invalid-policy", "$.stages[0].when.late", "attemptsFailed"),
        (PolicyExamples.minimal(#", "stages": [{"id": "s", "when": {"all": []}}]"#), "invalid-policy", "$.stages[0].when.all", "at least one"),
        (PolicyExamples.minimal(#", "stages": [{"id": "s", "when": {"declineClass": ["firm"]}}]"#), "invalid-policy", "$.stages[0].when.declineClass[0]", "hard, soft"),
        (PolicyExamples.minimal(#", "stages": [{"id": "s", "when": {"tag": "a"}}, {"id": "s", "when": {"tag": "b"}}]"#), "invalid-policy", "$.stages[1].id", "its own id"),
        (PolicyExamples.minimal(#", "stages": [{"id": "s"}]"#), "invalid-policy", "$.stages[0]", "when:"),
        (PolicyExamples.minimal(#", "attempts": [{"failed": 0, "actions": []}]"#), "invalid-policy", "$.attempts[0].failed", "less than 1"),
        (PolicyExamples.minimal(#", "attempts": [{"failed": 2, "actions": []}, {"failed": 2, "actions": []}]"#), "invalid-policy", "$.attempts[1].failed", "first"),
        (PolicyExamples.minimal(#", "recovered": [{"type": "fax"}]"#), "invalid-policy", "$.recovered[0].type", "email, sms, task"),
        (PolicyExamples.minimal(#", "recovered": [{"type": "email"}]"#), "invalid-policy", "$.recovered[0]", "template:"),
        (PolicyExamples.minimal(#", "recovered": [{"type": "email", "template": "t", "subject": "x"}]"#), "invalid-policy", "$.recovered[0].subject", "of a email action are type, template"),
        (PolicyExamples.minimal(#", "recovered": [{"type": "run-workflow"}]"#), "invalid-policy", "$.recovered[0]", "run-workflow needs"),
        (PolicyExamples.minimal(#", "recovered": [{"type": "webhook", "url": "ftp://x"}]"#), "invalid-policy", "$.recovered[0].url", "https://"),
        (PolicyExamples.minimal(#", "recovered": [{"type": "set-field", "field": "1st", "value": ""}]"#), "invalid-policy", "$.recovered[0].field", "contact field"),
        (PolicyExamples.minimal(#", "recovered": [{"type": "add-tag", "tag": "a\u0007b"}]"#), "invalid-policy", "$.recovered[0].tag", "U+0007"),
        (PolicyExamples.minimal(#", "recovered": [{"type": "task", "title": "a\nb"}]"#), "invalid-policy", "$.recovered[0].title", "U+000A"),
        (PolicyExamples.minimal(#", "final": {"action": "run-workflow"}"#), "invalid-policy", "$.final", "workflow: <workflow id>"),
        (PolicyExamples.minimal(#", "final": {"action": "write-off", "workflow": "w"}"#), "invalid-policy", "$.final.workflow", "run-workflow only"),
        (PolicyExamples.minimal(#", "final": {"action": "cancel"}"#), "invalid-policy", "$.final.action", "cancel-now"),
        (PolicyExamples.minimal(#", "maxInvoiceAgeMonths": -1"#), "invalid-policy", "$.maxInvoiceAgeMonths", "less than 0"),
        (PolicyExamples.minimal(#", "version": "3""#), "invalid-policy", "$.version", "version: 3"),
    ]

    @Test("Bad values are refused at their JSON path with what to write instead", arguments: refused.indices)
    func refusedAtPath(index: Int) throws {
        let (text, code, path, words) = Self.refused[index]
        let error = try #require(PolicyExamples.error(text))
        #expect(error.code == code, "\(error)")
        #expect(error.path?.description == path, "\(error)")
        #expect(error.message.contains(words), "\(error)")
        #expect(!error.message.unicodeScalars.contains(where: DisplayText.isControl))
    }

    @Test("SMS and notification text may hold line feeds; a set-field value may be empty")
    func textRules() throws {
        let policy = try PolicyExamples.decode(PolicyExamples.minimal(
            #", "recovered": [{"type": "sms", "text": "a\nb"}, {"type": "notify", "to": "ops", "text": "x\ny"}, {"type": "set-field", "field": "_Status", "value": ""}]"#))
        #expect(policy.recovered == [.sms(text: "a\nb"), .notify(to: "ops", text: "x\ny"), .setField(field: "_Status", value: "")])
    }

    @Test("The canonical JSON writes every member and reads back equal, for random policies", .timeLimit(.minutes(2)))
    func roundTrip() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var random = RandomPolicy(seed: UInt64(seed))
            let policy = random.policy()
            let json = policy.json
            #expect(throws: Never.self) { try DunningPolicy(json: json) }
            #expect((try? DunningPolicy(json: json)) == policy, "\(json.canonicalText)")
            #expect(json.canonicalText == ((try? DunningPolicy(json: json))?.json.canonicalText ?? ""))
        }
    }
}
