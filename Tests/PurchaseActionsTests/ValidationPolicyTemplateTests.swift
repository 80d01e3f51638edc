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
}
