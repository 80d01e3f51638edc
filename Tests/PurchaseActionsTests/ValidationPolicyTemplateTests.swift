import Foundation
import PurchaseActions
import Testing

/// `purchase-actions validate` on a migration folder whose dunning policy sends an email: the
/// template the policy names is used (publish builds the email's workflow with it), not "unused".
@Suite struct ValidationPolicyTemplateTests {
    typealias V = WorkflowValidationTests

    static let email = #"{"formatVersion":1,"id":"dunning-reminder","kind":"email","name":"Reminder","action":{"type":"send-email","from":{"address":"billing@example.com","name":"Billing"},"subject":"Your payment failed","text":"Please update your card."}}"#

    static let policy = """
        format: 1
        id: p
        name: P
        recovered: [{type: email, template: dunning-reminder}]
        """

    @Test("A template only the dunning policy uses is not reported unused; without the policy it is")
    func policyTemplatesCountAsUsed() throws {
        try V.withScratch { folder in
            try V.write(V.workflow("one"), to: folder + "/m/workflows/one.json")
            try V.write(Self.email, to: folder + "/m/templates/dunning-reminder.json")
            let without = try WorkflowValidation().validate([folder + "/m"])
            #expect(without.problems.map(\.code) == [.unusedTemplate], "\(without.problems)")
            try V.write(Self.policy, to: folder + "/m/dunning-policy.yaml")
            let with = try WorkflowValidation().validate([folder + "/m"])
            #expect(with.problems.isEmpty, "\(with.problems)")
        }
    }

    static let brokenPolicy = """
        format: 1
        id: p
        name: P
        stages:
          - id: late
            name: Late
            when: {attemptsFailed: 2}
            actions: [{type: email, template: dunning-gone}, {type: add-tag, tag: "past due"}]
        recovered: [{type: email, template: dunning-reminder}, {type: email, template: dunning-broken}]
        """

    @Test("A policy email whose template templates/ lacks is unknown-template at its line and JSON path in the policy (as publish and dunning check refuse it); a tag that is not a tag id is invalid-policy; a template whose own file is broken is not reported twice")
    func policyEmailTemplateMissing() throws {
        try V.withScratch { folder in
            try V.write(V.workflow("one"), to: folder + "/m/workflows/one.json")
            try V.write(Self.email, to: folder + "/m/templates/dunning-reminder.json")
            try V.write("{not json", to: folder + "/m/templates/dunning-broken.json")
            try V.write(Self.brokenPolicy, to: folder + "/m/dunning-policy.yaml")
            let report = try WorkflowValidation().validate([folder + "/m"])
            let policyProblems = report.problems.filter { $0.file.hasSuffix("dunning-policy.yaml") }
            #expect(policyProblems.map(\.code) == [.unknownTemplate, .invalidPolicy], "\(report.problems)")
            let missing = try #require(policyProblems.first)
            #expect(missing.jsonPath.description == "$.stages[0].actions[0].template")
            #expect(missing.line == 8, "\(missing)")
            #expect(missing.message.contains("dunning-gone"), "\(missing.message)")
            #expect(missing.message.contains("(missing-template)"), "\(missing.message)")
            #expect(policyProblems.last?.jsonPath.description == "$.stages[0].actions[1].tag")
            // The broken template is its own file's problem, once.
            #expect(report.problems.filter { $0.message.contains("dunning-broken") || $0.file.hasSuffix("dunning-broken.json") }.count == 1, "\(report.problems)")
            #expect(report.problems.filter { $0.code == .unknownTemplate }.count == 1)
        }
    }

    @Test("Without templates/ a policy email's template is not checked (as workflow actions' are not); the tag still is")
    func noTemplatesFolder() throws {
        try V.withScratch { folder in
            try V.write(V.workflow("one"), to: folder + "/m/workflows/one.json")
            try V.write(Self.brokenPolicy, to: folder + "/m/dunning-policy.yaml")
            let report = try WorkflowValidation().validate([folder + "/m"])
            #expect(report.problems.map(\.code) == [.invalidPolicy], "\(report.problems)")
        }
    }
}
