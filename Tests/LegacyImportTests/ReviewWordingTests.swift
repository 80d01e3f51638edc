import LegacyImport
import PurchaseActionsCore
import Testing

/// Messages that say what happened, and nothing dropped without a word (second review of issue 10).
@Suite("Wording of duplicate ids, minimums and dropped extensions")
struct ReviewWordingTests {
    @Test("An action id used in two steps of one sequence names the first step and its line")
    func duplicateAcrossSteps() throws {
        let xml = Minimal.export(
            sequences: """
                <sequence id="sq" name="S">
                <step id="s0" delay-days="0"><apply-tag id="t" tag="tag-a"/></step>
                <step id="s1" delay-days="1"><apply-tag id="t" tag="tag-a"/></step>
                </sequence>
                """)
        let error = try #require(Repository.error(xml))
        #expect(error.code == .duplicateID, "\(error)")
        #expect(error.message.contains("step 's0'") && error.message.contains("line 14"), "\(error)")
        #expect(!error.message.contains("in this step"), "\(error)")
        #expect(error.location.path.hasSuffix("step[@id='s1']/apply-tag[@id='t']"), "\(error)")
    }

    @Test("An action id used twice in one action set says so, with the first one's line")
    func duplicateInOneSet() throws {
        let xml = Minimal.export(actionSets: #"<action-set id="as-2" name="N"><apply-tag id="t" tag="tag-a"/><apply-tag id="t" tag="tag-a"/></action-set>"#)
        let error = try #require(Repository.error(xml))
        #expect(error.code == .duplicateID && error.message.contains("another action in this action-set") && error.message.contains("line"), "\(error)")
    }

    @Test("Zero where the least is 1 is below the minimum, not past the maximum", arguments: [
        (#"<billing-defaults max-retries="0"/>"#, "max-retries"),
    ])
    func belowMinimum(billing: String, attribute: String) throws {
        let xml = Minimal.export().replacing(#"currency="EUR"/>"#, with: #"currency="EUR">\#(billing)</account>"#)
        let error = try #require(Repository.error(xml))
        #expect(error.message.contains("\(attribute)=\"0\"") && error.message.contains("below the format's minimum of 1"), "\(error)")
        #expect(!error.message.contains("maximum"), "\(error)")
    }

    @Test("quantity=\"0\" on an order line is below the minimum of 1; one past the maximum is past it")
    func quantity() throws {
        func order(_ quantity: String) -> String {
            Minimal.export(actionSets: #"<action-set id="as-2" name="N"><create-order id="co"><order-line product="prod-1" quantity="\#(quantity)"/></create-order></action-set>"#)
        }
        #expect(Repository.error(order("0"))?.message.contains("below the format's minimum of 1") == true)
        #expect(Repository.error(order("1000001"))?.message.contains("past the format's maximum") == true)
        #expect(Repository.error(order("1000000")) == nil)
    }

    @Test("An extension element inside <rule>, <order-line> or a criterion is warned about with its line, never dropped silently", arguments: [
        #"<apply-tag id="at2" tag="tag-a"><rule match="all"><has-tag tag="tag-a"/><x:c xmlns:x="urn:x">kept?</x:c></rule></apply-tag>"#,
        #"<create-order id="co"><order-line product="prod-1"><x:discount xmlns:x="urn:x" pct="100"/></order-line></create-order>"#,
        #"<apply-tag id="at2" tag="tag-a"><rule match="all"><has-tag tag="tag-a"><x:c xmlns:x="urn:x"/></has-tag></rule></apply-tag>"#,
    ])
    func extensionElementDropped(action: String) throws {
        let document = try Repository.read(Minimal.export(actionSets: #"<action-set id="as-2" name="N">\#(action)</action-set>"#))
        let warning = try #require(document.warnings.first { $0.message.contains("is not kept") }, "\(document.warnings)")
        #expect(warning.location.line == 18 && warning.location.column != nil, "\(warning)")
        #expect(warning.message.contains("extension element"), "\(warning)")
    }

    @Test("An extension attribute on a catalogue entry or an order line is warned about, never dropped silently")
    func extensionAttributeDropped() throws {
        let document = try Repository.read(Minimal.export(catalogue: #"<tag id="t9" name="N" xmlns:x="urn:x" x:colour="red"/>"#))
        #expect(document.warnings.contains { $0.message.contains("extension attribute 'colour'") && $0.message.contains("<tag>") }, "\(document.warnings)")
    }

    @Test("An extension element inside a step is kept as an opaque action, with no warning that it is lost")
    func extensionInStepKept() throws {
        let xml = Minimal.export(sequences: #"<sequence id="sq" name="S"><step id="s0" delay-days="0"><x:wait xmlns:x="urn:x"/></step></sequence>"#)
        let document = try Repository.read(xml)
        #expect(!document.warnings.contains { $0.message.contains("is not kept") }, "\(document.warnings)")
    }
}
