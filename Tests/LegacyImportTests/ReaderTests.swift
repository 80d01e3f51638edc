import Foundation
import LegacyImport
import PurchaseActionsCore
import Testing

@Suite("ExportReader: values, streaming and limits")
struct ReaderTests {
    @Test("A minimal export reads into the model, with escapes decoded")
    func minimal() throws {
        let document = try Repository.read(Minimal.export())
        #expect(document.account.settings.name == "Test & Co")
        #expect(document.account.catalogue.tags["tag-a"]?.name == "A & B")
        guard case .email(let email) = document.account.catalogue.templates["tpl-1"]?.content else {
            Issue.record("tpl-1 is not an email template")
            return
        }
        #expect(email.text == "Hello <you> & welcome")
        #expect(email.subject == "Hi ~Contact.FirstName~")
        #expect(document.account.actionSets.map(\.id) == ["as-1"])
        #expect(document.account.actionSets[0].actions[0].kind == .applyTag(tagID: "tag-a"))
        #expect(document.account.settings.billing == BillingDefaults(maxRetries: 3, daysBetweenRetries: 2, daysBeforeAutocharge: 0, maxInvoiceAgeMonths: 12, location: document.account.settings.billing.location))
        #expect(document.warnings.isEmpty)
    }

    @Test("Character references to & in attributes decode exactly once")
    func ampersands() throws {
        let document = try Repository.read(
            Minimal.export(catalogue: #"<tag id="tag-b" name="&amp;#38; &#38; &amp;amp;"/>"#))
        #expect(document.account.catalogue.tags["tag-b"]?.name == "&#38; & &amp;")
    }

    @Test("The stream hands items out in document order, one at a time")
    func streamOrder() throws {
        let xml = Minimal.export(
            actionSets: #"<action-set id="as-2" name="Two"><run-action-set id="as-2.run" action-set="as-1"/></action-set>"#,
            slots: #"<successful-purchase action-set="as-2"/><product-purchase product="prod-1" action-set="as-1"/>"#,
            billing: #"<on-card-expiring id="bill-1" days="30" action-set="as-1"/>"#)
        let stream = try ExportReader().stream(bytes: Array(xml.utf8), name: "order.xml")
        var kinds: [String] = []
        while let item = try stream.next() {
            switch item {
            case .account: kinds.append("account")
            case .catalogue: kinds.append("catalogue")
            case .sequence: kinds.append("sequence")
            case .actionSet(let set): kinds.append(set.id)
            case .slot(let slot): kinds.append(slot.kind.key)
            case .billingRule(let rule): kinds.append(rule.id)
            case .extension: kinds.append("extension")
            }
        }
        #expect(kinds == ["account", "catalogue", "as-1", "as-2", "successful-purchase", "product-purchase:prod-1", "bill-1"])
        #expect(try stream.next() == nil, "a finished stream stays finished")
    }

    @Test("A forward run-action-set reference resolves; a missing one is located")
    func forwardReferences() throws {
        let forward = Minimal.export(
            actionSets: #"<action-set id="as-2" name="Two"><run-action-set id="r" action-set="as-3"/></action-set><action-set id="as-3" name="Three"/>"#)
        #expect(Repository.error(forward) == nil)
        let missing = Minimal.export(actionSets: #"<action-set id="as-2" name="Two"><run-action-set id="r" action-set="as-9"/></action-set>"#)
        let error = try #require(Repository.error(missing))
        #expect(error.code == .unknownReference)
        #expect(error.message.contains("unknown action set 'as-9'"))
        #expect(error.location.path == "/export/action-sets/action-set[@id='as-2']/run-action-set[@id='r']")
    }

    @Test("A rule's criteria and an http-post's parameters keep their order and values")
    func rulesAndPosts() throws {
        let xml = Minimal.export(
            catalogue: #"<custom-field id="cf-1" name="_Shirt" type="text"/>"#,
            actionSets: """
                <action-set id="as-2" name="Two">
                  <http-post id="p" url="https://hooks.example.com/x?a=1&amp;b=2" mode="all-contact-fields">
                    <rule match="none"><has-tag tag="tag-a"/><field name="_Shirt" op="equals" value="XL"/><field name="Email" op="is-empty"/></rule>
                    <param name="first" value="~Contact.FirstName~"/><param name="plan" value="vip"/>
                  </http-post>
                </action-set>
                """)
        let action = try #require(try Repository.read(xml).account.actionSets.last?.actions.first)
        #expect(action.kind == .httpPost(HTTPPost(
            url: "https://hooks.example.com/x?a=1&b=2", mode: .allContactFields,
            parameters: [.init(name: "first", value: "~Contact.FirstName~"), .init(name: "plan", value: "vip")])))
        #expect(action.rule?.match == Rule.Match.none)
        #expect(action.rule?.criteria.map(\.test) == [.hasTag("tag-a"), .field(name: "_Shirt", op: .equals, value: "XL"), .field(name: "Email", op: .isEmpty, value: nil)])
        let line = xml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("<http-post") }.map { $0 + 1 }
        #expect(action.location.line == line)
    }

    @Test("Unknown elements of ours become opaque actions with a warning; extensions are kept quietly")
    func opaqueParts() throws {
        let xml = Minimal.export(actionSets: """
            <action-set id="as-2" name="Two" xmlns:acme="urn:example:acme" acme:owner="ops">
              <grant-badge id="g" level="gold">shiny</grant-badge>
              <acme:notify id="n" channel="slack">Order in</acme:notify>
            </action-set>
            """)
        let document = try Repository.read(xml)
        let set = try #require(document.account.actionSets.last)
        #expect(set.actions.count == 2)
        guard case .opaque(let badge) = set.actions[0].kind, case .opaque(let notify) = set.actions[1].kind else {
            Issue.record("expected two opaque actions, got \(set.actions.map(\.kind))")
            return
        }
        #expect(badge.name == "grant-badge" && badge.attributes["level"] == "gold" && badge.text == "shiny")
        #expect(notify.namespace == "urn:example:acme" && notify.attributes["channel"] == "slack" && notify.text == "Order in")
        #expect(set.extensions.map(\.name) == ["owner"])
        #expect(document.warnings.count == 1)
        #expect(document.warnings.first?.message.contains("<grant-badge>") == true)
        #expect(Repository.error(xml, schema: true)?.code == .schema, "--check refuses an unknown element of ours")
    }

    @Test("Each limit refuses a document just over it and accepts one at it")
    func limits() throws {
        let nested = (1...10).map { _ in "<x:w>" }.joined() + (1...10).map { _ in "</x:w>" }.joined()
        let deep = Minimal.export(actionSets: #"<action-set id="as-2" name="D" xmlns:x="urn:x">\#(nested)</action-set>"#)
        // export > action-sets > action-set > 10 wrappers = depth 13.
        #expect(Repository.error(deep, limits: ExportLimits(maxDepth: 13)) == nil)
        #expect(Repository.error(deep, limits: ExportLimits(maxDepth: 12))?.message.contains("depth limit of 12") == true)

        let attributes = (1...5).map { #"x:a\#($0)="v""# }.joined(separator: " ")
        let many = Minimal.export(actionSets: #"<action-set id="as-2" name="A" xmlns:x="urn:x" \#(attributes)/>"#)
        // id, name, 5 extension attributes and the xmlns:x declaration, which counts too.
        #expect(Repository.error(many, limits: ExportLimits(maxAttributes: 8)) == nil)
        #expect(Repository.error(many, limits: ExportLimits(maxAttributes: 7))?.code == .limitExceeded)

        let body = String(repeating: "a", count: 300)
        let text = Minimal.export(catalogue: #"<letter-template id="l" name="L"><body>\#(body)</body></letter-template>"#)
        #expect(Repository.error(text, limits: ExportLimits(maxTextBytes: 300)) == nil)
        #expect(Repository.error(text, limits: ExportLimits(maxTextBytes: 299))?.message.contains("text limit") == true)
        let longAttribute = Minimal.export(catalogue: #"<tag id="t2" name="\#(body)"/>"#)
        #expect(Repository.error(longAttribute, limits: ExportLimits(maxTextBytes: 299))?.code == .limitExceeded)

        let wide = Minimal.export(actionSets: #"<action-set id="as-2" name="U" xmlns:x="urn:x">\#(String(repeating: "<x:b/>", count: 50))</action-set>"#)
        #expect(Repository.error(wide, limits: ExportLimits(maxUnitElements: 51)) == nil)
        #expect(Repository.error(wide, limits: ExportLimits(maxUnitElements: 50))?.message.contains("unit limit") == true)

        let size = Minimal.export().utf8.count
        #expect(Repository.error(Minimal.export(), limits: ExportLimits(maxDocumentBytes: size)) == nil)
        #expect(Repository.error(Minimal.export(), limits: ExportLimits(maxDocumentBytes: size - 1))?.message.contains("document size") == true)
    }

    @Test("Defaults are stricter than libxml2's own limits")
    func defaults() {
        let limits = ExportLimits.default
        #expect(limits.maxDepth == 64 && limits.maxDepth < 256)
        #expect(limits.maxAttributes == 32)
        #expect(limits.maxTextBytes == 1 << 20 && limits.maxTextBytes < 10_000_000)
        #expect(limits.maxDocumentBytes == 1 << 30)
        #expect(limits.maxUnitElements == 100_000)
    }

    @Test("Duplicate ids, duplicate slots and wrong template kinds are refused", arguments: [
        (#"<tag id="prod-1" name="Clash"/>"#, "", "duplicate id 'prod-1'"),
        ("", #"<successful-purchase action-set="as-1"/><successful-purchase action-set="as-1"/>"#, "duplicate slot 'successful-purchase'"),
        (#"<task-template id="task-1" title="Call"/>"#, #"<failed-purchase action-set="as-x"/>"#, "unknown action set 'as-x'"),
    ])
    func refusals(catalogue: String, slots: String, message: String) throws {
        let error = try #require(Repository.error(Minimal.export(catalogue: catalogue, slots: slots)))
        #expect(error.message.contains(message), "\(error)")
    }

    @Test("A send-email pointing at a task template names both kinds")
    func templateKinds() throws {
        let xml = Minimal.export(
            catalogue: #"<task-template id="task-1" title="Call"/>"#,
            actionSets: #"<action-set id="as-2" name="T"><send-email id="m" template="task-1"/></action-set>"#)
        let error = try #require(Repository.error(xml))
        #expect(error.message.contains("it is a task-template"))
        #expect(error.message.contains("needs a email-template"))
    }

    @Test("Sections out of order, and missing sections, are refused")
    func sectionOrder() throws {
        let missing = Minimal.export().replacingOccurrences(of: "<billing-automation></billing-automation>", with: "")
        #expect(Repository.error(missing)?.message.contains("expected <billing-automation>") == true)
        let swapped = Minimal.export().replacingOccurrences(of: "<sequences></sequences>", with: "")
            .replacingOccurrences(of: "<purchase-actions></purchase-actions>", with: "<purchase-actions></purchase-actions><sequences></sequences>")
        #expect(Repository.error(swapped)?.code == .unexpectedElement)
    }

    @Test("A document in another encoding, declared, is refused naming it, before anything is read")
    func declaredEncoding() throws {
        var bytes = Array(#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.utf8)
        let body = Minimal.export(catalogue: "<tag id=\"t-latin\" name=\"Caf\u{E9}\"/>").split(separator: "\n", maxSplits: 1)[1]
        bytes += [0x0A] + body.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        let error = try #require(throws: ImportError.self) { try ExportReader().read(bytes: bytes, name: "latin1.xml") }
        #expect(error.code == .encoding)
        #expect(error.message.contains("ISO-8859-1") && error.message.contains("iconv -f ISO-8859-1 -t UTF-8"), "\(error)")
        #expect(error.location.line == 1)
    }

    @Test("URLs need a host; names may not be blank", arguments: [
        (#"<http-post id="p" url="http://a"/>"#, nil),
        (#"<http-post id="p" url="http:///x"/>"#, "invalid value url"),
        (#"<http-post id="p" url="ftp://example.com"/>"#, "invalid value url"),
        (#"<achieve-goal id="g" integration="   " call-name="x"/>"#, "not blank"),
    ] as [(String, String?)])
    func valueSyntax(action: String, message: String?) throws {
        let error = Repository.error(Minimal.export(actionSets: #"<action-set id="as-2" name="V">\#(action)</action-set>"#))
        if let message {
            #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        } else {
            #expect(error == nil, "\(String(describing: error))")
        }
    }

    @Test("Warnings are capped at 1,000, with a count of the rest")
    func warningCap() throws {
        // Three action sets (one holds at most 1,000 actions), 1,005 unknown elements in all.
        let sets = [1...335, 336...670, 671...1005].map { range in
            #"<action-set id="as-w\#(range.lowerBound)" name="W">"# + range.map { #"<grant-badge id="b\#($0)"/>"# }.joined() + "</action-set>"
        }.joined()
        let document = try Repository.read(Minimal.export(actionSets: sets))
        #expect(document.warnings.count == 1001)
        #expect(document.warnings.last?.message == "5 more warnings like these were not listed")
        #expect(document.account.actionSets.suffix(3).map(\.actions.count) == [335, 335, 335], "every unknown element is still kept")
    }

    @Test("Text split by child elements still counts whole against the text limit")
    func splitText() throws {
        let part = String(repeating: "a", count: 200)
        let split = Minimal.export(actionSets: #"<action-set id="as-2" name="S" xmlns:x="urn:x"><x:note>\#(part)<x:i/>\#(part)<x:i/>\#(part)</x:note></action-set>"#)
        #expect(Repository.error(split, limits: ExportLimits(maxTextBytes: 500))?.message.contains("text limit") == true)
        #expect(Repository.error(split, limits: ExportLimits(maxTextBytes: 600)) == nil)
    }

    @Test("Two unnamed extension actions on one line get distinct ids")
    func opaqueIDs() throws {
        let document = try Repository.read(
            Minimal.export(actionSets: #"<action-set id="as-2" name="O" xmlns:x="urn:x"><x:log/><x:log/></action-set>"#))
        let ids = try #require(document.account.actionSets.last).actions.map(\.id)
        #expect(ids.count == 2 && Set(ids).count == 2, "\(ids)")
    }

    @Test("Of several errors found at the end of a section, the first in the document is reported, every time")
    func deterministicFirstError() throws {
        let xml = Minimal.export(actionSets: #"<action-set id="as-2" name="T"><run-action-set id="r1" action-set="missing-two"/><run-action-set id="r2" action-set="missing-one"/></action-set>"#)
        let messages = Set((0..<12).compactMap { _ in Repository.error(xml)?.message })
        #expect(messages.count == 1, "\(messages)")
        #expect(messages.first?.contains("missing-two") == true, "r1 comes first on the line")
    }

    @Test("Attributes are counted in the raw bytes, before libxml2, without counting look-alikes in text")
    func rawAttributeCount() throws {
        let lookalikes = String(repeating: #"a="1" "#, count: 40)
        let body = "<![CDATA[<p \(lookalikes)>]]>"
        let xml = Minimal.export(
            catalogue: #"<letter-template id="l" name="L"><body>\#(body)</body></letter-template><!-- \#(lookalikes) -->"#,
            actionSets: #"<?note \#(lookalikes)?>"#)
        #expect(Repository.error(xml) == nil, "CDATA, comments and processing instructions hold no attributes")
        let many = (1...40).map { #"x:a\#($0)="v""# }.joined(separator: " ")
        let over = Minimal.export(actionSets: "<action-set id=\"as-2\" name=\"M\" xmlns:x=\"urn:x\"\n \(many)/>")
        let error = try #require(Repository.error(over))
        #expect(error.code == .limitExceeded)
        // Located at the tag's '<', with the path of the element it is in.
        #expect(error.location.line == over.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("<action-set id=\"as-2\"") }.map { $0 + 1 })
        #expect(error.location.column == 5 && error.location.path == "/export/action-sets", "\(error)")
        #expect(error.message.hasPrefix("<action-set> has more than 32 attributes"), "\(error)")
    }
}
