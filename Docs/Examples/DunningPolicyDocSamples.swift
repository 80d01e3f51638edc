// The samples in `///` doc comments of the dunning policy (issue 14), compiled and run
// (DocSamplesTests finds them).
import PurchaseActions
import Testing

/// DunningPolicyFile's sample (Sources/PurchaseActions/Dunning/DunningPolicyFile.swift).
func dunningPolicyFileDocSample() throws -> String {
    let policy = try DunningPolicyFile.load(path: "Fixtures/dunning/policies/saas.yaml")
    for warning in policy.check() { print(warning) }
    let yaml = DunningPolicyFile.yamlText(policy)
    return yaml
}

/// DeclineTable's sample (Sources/PurchaseActionsDunning/Declines/DeclineTable.swift).
func declineTableDocSample() -> Decline {
    let decline = DeclineTable.standard.classify(code: "do_not_honor", adviceCode: "25", settings: DeclineSettings())
    // decline.declineClass == .retryAfter, decline.retryAfter == .hours(24)
    return decline
}

@Suite("Docs: the dunning policy samples run")
struct DunningPolicyDocSampleTests {
    @Test("The policy file sample reads saas.yaml and writes YAML; the decline sample gives what its comment says")
    func samples() throws {
        #expect(try dunningPolicyFileDocSample().contains("id: saas-standard"))
        let decline = declineTableDocSample()
        #expect(decline.declineClass == .retryAfter && decline.retryAfter == .hours(24))
    }
}
