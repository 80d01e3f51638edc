// The account-profile sample of Docs/engine.md ("Actions and effects"), compiled.
import PurchaseActions

/// An engine whose templates know the company and its users.
func engineWithProfile(workflows: [Workflow], start: Instant) throws -> Engine {
    let profile = AccountProfile(company: ["Name": "Acme Coffee"], users: ["user-ann": ["FirstName": "Ann", "Email": "ann@acme.example"]])
    let engine = try Engine(Automation(workflows: workflows, account: profile), start: start)
    // "From {{owner.FirstName}} at {{company.Name}}" → "From Ann at Acme Coffee" for a contact Ann owns
    return engine
}
