import Foundation
import LegacyImport
import PurchaseActionsCore
import PurchaseActionsEngine
import Testing

/// `owner.*` and `company.*` merge fields come from the engine's account profile (Docs/engine.md,
/// "Actions and effects").
@Suite("Engine: owner and company merge fields from the account profile")
struct AccountProfileTests {
    static let start = Fixture.at("2025-01-01T00:00:00Z")
    static let profile = AccountProfile(
        company: ["Name": "Acme Coffee"], users: ["user-ann": ["FirstName": "Ann", "Email": "ann@acme.example"]])
    static let note = EmailMessage(
        to: .contact, from: Sender(name: "{{company.Name}}", address: "shop@acme.example"), subject: "From {{owner.FirstName}} at {{company.Name}}",
        text: "Reply to {{owner.Email}}.")

    static func details(_ effect: Effect?) -> [String: JSONValue] {
        guard case .object(let details)? = effect?.details else { return [:] }
        return details
    }

    /// One email to `c-1`, whose owner the event names (or none).
    static func mail(owner: String?) throws -> [String: JSONValue] {
        let workflow = Fixture.workflow("w", steps: [Step(id: "mail", .action(.sendEmail(Self.note)))])
        let effects = RecordingEffectSink()
        let engine = try Engine(Automation(workflows: [workflow], account: Self.profile), start: Self.start, ports: Engine.Ports(effects: effects))
        try engine.ingest(
            Fixture.event("e1", .tagAdded, at: "2025-01-01T00:00:00Z") { event in
                event.tag = "x"
                if let owner { event.contact.fields["OwnerID"] = owner }
            })
        return Self.details(effects.effects.first)
    }

    @Test("An email renders the contact's owner and the company from the profile")
    func ownerAndCompany() throws {
        let details = try Self.mail(owner: "user-ann")
        #expect(details["subject"] == .string("From Ann at Acme Coffee"))
        #expect(details["text"] == .string("Reply to ann@acme.example."))
        #expect(details["from"] == .members(["name": .string("Acme Coffee"), "address": .string("shop@acme.example")]))
    }

    @Test("With no owner, or one the profile does not know, owner fields render as nothing")
    func noOwner() throws {
        #expect(try Self.mail(owner: nil)["subject"] == .string("From  at Acme Coffee"))
        #expect(try Self.mail(owner: "user-zed")["text"] == .string("Reply to ."))
    }

    @Test("An export's profile: the account's name, and each user's id, name, first and last name and email")
    func fromExport() throws {
        let bytes = try [UInt8](Data(contentsOf: Fixture.root.appendingPathComponent("Fixtures/exports/course-creator.xml")))
        let account = try ExportReader().read(bytes: bytes, name: "course-creator.xml").account
        let profile = AccountProfile(account)
        #expect(profile.company == ["Name": "Fernhill Watercolour School"])
        #expect(
            profile.users["user-maya"]
                == ["Id": "user-maya", "Name": "Maya Ellison", "FirstName": "Maya", "LastName": "Ellison", "Email": "maya@fernhill.example.com"])
        #expect(profile.users.keys.sorted() == ["user-jonah", "user-maya"])
    }
}
