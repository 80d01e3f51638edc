import LegacyImport
import PurchaseActionsCore
import Testing

/// Every count, duration and amount of the format has a documented maximum that the schema (`--check`)
/// and the reader without it (`--no-schema`) agree on (issue 10, item 1): the maximum is accepted by
/// both, one past it refused by both, with a located error.
@Suite("Value bounds: schema and reader agree")
struct ValueBoundsTests {
    struct Field: CustomTestStringConvertible, Sendable {
        /// `element/@attribute`, for messages.
        let name: String
        let attribute: String
        /// The largest value allowed (and, for amounts, the smallest).
        let maximum: Int
        let minimum: Int?
        /// Builds a valid export holding `value` in the field.
        let export: @Sendable (String) -> String
        var testDescription: String { name }
    }

    static let days = 36_500

    static func defaults(_ attributes: String) -> String {
        Minimal.export(account: #"><billing-defaults \#(attributes)/></account><x:after xmlns:x="urn:x""#)
    }

    static let fields: [Field] = [
        Field(name: "billing-defaults/@max-retries", attribute: "max-retries", maximum: 100, minimum: nil) { defaults(#"max-retries="\#($0)""#) },
        Field(name: "billing-defaults/@days-between-retries", attribute: "days-between-retries", maximum: days, minimum: nil) {
            defaults(#"days-between-retries="\#($0)""#)
        },
        Field(name: "billing-defaults/@days-before-autocharge", attribute: "days-before-autocharge", maximum: days, minimum: nil) {
            defaults(#"days-before-autocharge="\#($0)""#)
        },
        Field(name: "billing-defaults/@max-invoice-age-months", attribute: "max-invoice-age-months", maximum: 1_200, minimum: nil) {
            defaults(#"max-invoice-age-months="\#($0)""#)
        },
        Field(name: "product/@price", attribute: "price", maximum: 1_000_000_000_000, minimum: -1_000_000_000_000) {
            Minimal.export(catalogue: #"<product id="p-x" name="X" price="\#($0)"/>"#)
        },
        Field(name: "price-option/@price", attribute: "price", maximum: 1_000_000_000_000, minimum: -1_000_000_000_000) {
            Minimal.export(catalogue: #"<product id="p-x" name="X" price="1"><price-option id="po-x" name="O" price="\#($0)"/></product>"#)
        },
        Field(name: "subscription-plan/@price", attribute: "price", maximum: 1_000_000_000_000, minimum: -1_000_000_000_000) {
            Minimal.export(catalogue: #"<subscription-plan id="sp" product="prod-1" name="S" price="\#($0)" cycle="month"/>"#)
        },
        Field(name: "subscription-plan/@frequency", attribute: "frequency", maximum: days, minimum: nil) {
            Minimal.export(catalogue: #"<subscription-plan id="sp" product="prod-1" name="S" price="1" cycle="day" frequency="\#($0)"/>"#)
        },
        Field(name: "subscription-plan/@trial-days", attribute: "trial-days", maximum: days, minimum: nil) {
            Minimal.export(catalogue: #"<subscription-plan id="sp" product="prod-1" name="S" price="1" cycle="month" trial-days="\#($0)"/>"#)
        },
        Field(name: "subscription-plan/@max-retries", attribute: "max-retries", maximum: 100, minimum: nil) {
            Minimal.export(catalogue: #"<subscription-plan id="sp" product="prod-1" name="S" price="1" cycle="month" max-retries="\#($0)"/>"#)
        },
        Field(name: "subscription-plan/@days-between-retries", attribute: "days-between-retries", maximum: days, minimum: nil) {
            Minimal.export(catalogue: #"<subscription-plan id="sp" product="prod-1" name="S" price="1" cycle="month" days-between-retries="\#($0)"/>"#)
        },
        Field(name: "bundle-item/@quantity", attribute: "quantity", maximum: 1_000_000, minimum: nil) {
            Minimal.export(catalogue: #"<bundle id="b" name="B"><bundle-item product="prod-1" quantity="\#($0)"/></bundle>"#)
        },
        Field(name: "payment-plan/@payments", attribute: "payments", maximum: 1_200, minimum: nil) {
            Minimal.export(catalogue: #"<payment-plan id="pp" name="P" payments="\#($0)" interval-days="1"/>"#)
        },
        Field(name: "payment-plan/@interval-days", attribute: "interval-days", maximum: days, minimum: nil) {
            Minimal.export(catalogue: #"<payment-plan id="pp" name="P" payments="1" interval-days="\#($0)"/>"#)
        },
        Field(name: "payment-plan/@first-payment", attribute: "first-payment", maximum: 1_000_000_000_000, minimum: -1_000_000_000_000) {
            Minimal.export(catalogue: #"<payment-plan id="pp" name="P" payments="2" interval-days="30" first-payment="\#($0)"/>"#)
        },
        Field(name: "payment-plan/@max-retries", attribute: "max-retries", maximum: 100, minimum: nil) {
            Minimal.export(catalogue: #"<payment-plan id="pp" name="P" payments="2" interval-days="30" max-retries="\#($0)"/>"#)
        },
        Field(name: "payment-plan/@days-between-retries", attribute: "days-between-retries", maximum: days, minimum: nil) {
            Minimal.export(catalogue: #"<payment-plan id="pp" name="P" payments="2" interval-days="30" days-between-retries="\#($0)"/>"#)
        },
        Field(name: "task-template/@due-in-days", attribute: "due-in-days", maximum: days, minimum: nil) {
            Minimal.export(catalogue: #"<task-template id="tt" title="T" due-in-days="\#($0)"/>"#)
        },
        Field(name: "appointment-template/@in-days", attribute: "in-days", maximum: days, minimum: nil) {
            Minimal.export(catalogue: #"<appointment-template id="at" title="A" in-days="\#($0)"/>"#)
        },
        Field(name: "appointment-template/@duration-minutes", attribute: "duration-minutes", maximum: 52_560_000, minimum: nil) {
            Minimal.export(catalogue: #"<appointment-template id="at" title="A" duration-minutes="\#($0)"/>"#)
        },
        Field(name: "step/@delay-days", attribute: "delay-days", maximum: days, minimum: nil) {
            Minimal.export(sequences: #"<sequence id="seq" name="S"><step id="seq.1" delay-days="\#($0)"><apply-tag id="seq.1.t" tag="tag-a"/></step></sequence>"#)
        },
        Field(name: "order-line/@quantity", attribute: "quantity", maximum: 1_000_000, minimum: nil) {
            Minimal.export(actionSets: #"<action-set id="as-o" name="O"><create-order id="as-o.o"><order-line product="prod-1" quantity="\#($0)"/></create-order></action-set>"#)
        },
        Field(name: "on-autocharge-failed/@attempt", attribute: "attempt", maximum: 100, minimum: nil) {
            Minimal.export(billing: #"<on-autocharge-failed id="b-f" attempt="\#($0)" action-set="as-1"/>"#)
        },
        Field(name: "on-card-expiring/@days", attribute: "days", maximum: days, minimum: nil) {
            Minimal.export(billing: #"<on-card-expiring id="b-c" days="\#($0)" action-set="as-1"/>"#)
        },
    ]

    @Test("The maximum is accepted by --check and --no-schema; one past it is refused by both, located", arguments: fields)
    func agreement(field: Field) throws {
        var accepted = ["\(field.maximum)"]
        var refused = ["\(field.maximum + 1)", "1000000000000000000000000000000"]
        if let minimum = field.minimum {
            accepted.append("\(minimum)")
            refused.append("\(minimum - 1)")
        }
        for value in accepted {
            let xml = field.export(value)
            #expect(Repository.error(xml) == nil, "--no-schema refused \(field.name)=\(value): \(Repository.error(xml)!)")
            #expect(Repository.error(xml, schema: true) == nil, "--check refused \(field.name)=\(value): \(Repository.error(xml, schema: true)!)")
        }
        for value in refused {
            let xml = field.export(value)
            let line = xml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("\"\(value)\"") }.map { $0 + 1 }
            let error = try #require(Repository.error(xml), "--no-schema accepted \(field.name)=\(value)")
            #expect(error.code == .invalidValue && error.message.contains(field.attribute), "\(error)")
            #expect(error.message.contains(ValueBoundsTests.grouped(field.maximum)), "the message names the maximum: \(error)")
            #expect(error.location.line == line && error.location.column != nil, "\(error)")
            #expect(!error.location.path.isEmpty)
            let checked = try #require(Repository.error(xml, schema: true), "--check accepted \(field.name)=\(value)")
            #expect(checked.location.line == line, "\(checked)")
        }
    }

    @Test("A sequence delay of 10^12 days, accepted by --check before, is refused with its place")
    func hugeDelay() throws {
        let xml = Minimal.export(
            sequences: #"<sequence id="seq" name="S"><step id="seq.1" delay-days="1000000000000"><apply-tag id="seq.1.t" tag="tag-a"/></step></sequence>"#)
        let error = try #require(Repository.error(xml))
        #expect(error.message.contains("delay-days") && error.message.contains("36,500"), "\(error)")
        #expect(error.location.path == "/export/sequences/sequence[@id='seq']/step[@id='seq.1']")
        #expect(Repository.error(xml, schema: true) != nil)
    }

    @Test("Numbers may have white space around them and leading zeros, as in XML Schema; nothing else")
    func lexicalForms() throws {
        let field = try #require(Self.fields.first { $0.name == "step/@delay-days" })
        for value in [" 7 ", "&#10;7", "0007", "000000000000000000000000000036500"] {
            #expect(Repository.error(field.export(value)) == nil, "\(value)")
            #expect(Repository.error(field.export(value), schema: true) == nil, "\(value)")
        }
        for value in ["+7", "-1", "7.0", "1e3", "", "seven", "٧"] {
            #expect(Repository.error(field.export(value))?.code == .invalidValue, "\(value)")
            #expect(Repository.error(field.export(value), schema: true) != nil, "\(value)")
        }
        let price = try #require(Self.fields.first { $0.name == "product/@price" })
        for value in ["+4900", "-0", " 4900 "] {
            #expect(Repository.error(price.export(value)) == nil, "\(value)")
            #expect(Repository.error(price.export(value), schema: true) == nil, "\(value)")
        }
    }

    @Test("A subscription bills at least once in 100 years: frequency times the cycle", arguments: [
        ("day", 36_500), ("week", 5_214), ("month", 1_200), ("year", 100),
    ])
    func frequencyByCycle(cycle: String, most: Int) throws {
        func plan(_ frequency: Int) -> String {
            Minimal.export(catalogue: #"<subscription-plan id="sp" product="prod-1" name="S" price="1" cycle="\#(cycle)" frequency="\#(frequency)"/>"#)
        }
        #expect(Repository.error(plan(most)) == nil)
        let error = try #require(Repository.error(plan(most + 1)))
        #expect(error.code == .invalidValue && error.message.contains("100 years"), "\(error)")
    }

    @Test("A payment plan's last payment is at most 36,500 days after its first")
    func paymentPlanSpan() throws {
        func plan(_ payments: Int, _ interval: Int) -> String {
            Minimal.export(catalogue: #"<payment-plan id="pp" name="P" payments="\#(payments)" interval-days="\#(interval)"/>"#)
        }
        #expect(Repository.error(plan(1_001, 36)) == nil, "1,000 × 36 = 36,000 days")
        #expect(Repository.error(plan(101, 365)) == nil, "100 × 365 = 36,500 days")
        let error = try #require(Repository.error(plan(102, 365)))
        #expect(error.code == .invalidValue && error.message.contains("36,865 days"), "\(error)")
    }

    @Test("Dates compared by before / after lie in the years 0001 to 9999")
    func dateYears() throws {
        func rule(_ date: String) -> String {
            Minimal.export(
                actionSets: #"<action-set id="as-d" name="D"><apply-tag id="as-d.t" tag="tag-a"><rule match="all"><field name="Birthday" op="before" value="\#(date)"/></rule></apply-tag></action-set>"#)
        }
        #expect(Repository.error(rule("0001-01-01")) == nil)
        #expect(Repository.error(rule("9999-12-31")) == nil)
        #expect(Repository.error(rule("0000-12-31"))?.message.contains("0001 to 9999") == true)
        #expect(Repository.error(rule("10000-01-01"))?.code == .invalidValue)
    }

    @Test("Times, booleans, URLs and timezones: the reader accepts exactly what the schema accepts")
    func otherLexicalForms() throws {
        func agree(_ xml: String, _ accepted: Bool, _ what: String) {
            #expect((Repository.error(xml) == nil) == accepted, "--no-schema, \(what): \(String(describing: Repository.error(xml)))")
            #expect((Repository.error(xml, schema: true) == nil) == accepted, "--check, \(what)")
        }
        for (time, ok) in [("09:30", true), ("23:59", true), ("+9:30", false), ("-0:00", false), ("24:00", false), ("9:30", false)] {
            agree(Minimal.export(sequences: #"<sequence id="seq" name="S" send-time="\#(time)"/>"#), ok, "send-time=\(time)")
        }
        for (value, ok) in [("true", true), (" false ", true), ("&#10;true", true), ("TRUE", false), ("1", false), ("true\u{A0}", false)] {
            agree(Minimal.export(account: #" run-purchase-actions-on-all-orders="\#(value)""#), ok, "boolean \(value)")
        }
        for (url, ok) in [("https://example.com/hook", true), ("http://h?x=1", true), ("http://?x=1", false), ("https:///x", false), ("http://#a", false)] {
            agree(
                Minimal.export(actionSets: #"<action-set id="as-u" name="U"><http-post id="as-u.p" url="\#(url)"/></action-set>"#), ok, "url \(url)")
        }
        for (fields, ok) in [("FirstName,LastName , _ShirtSize", true), ("", true), ("First-Name", false), ("Ünit", false), ("1st", false), ("a b", false)] {
            agree(Minimal.export(catalogue: #"<fulfillment-list-template id="fl" name="L" to="o@example.com" fields="\#(fields)"/>"#), ok, "fields \(fields)")
        }
        for (zone, ok) in [("America/Argentina/Buenos_Aires", true), ("Etc/GMT+5", true), ("UTC", true), ("../../etc/passwd", false), ("/etc/localtime", false),
                           ("Europe//Berlin", false), ("Europe/Berlin/", false), ("Zürich", false)] {
            agree(Minimal.export().replacing(#"timezone="Europe/Berlin""#, with: #"timezone="\#(zone)""#), ok, "timezone \(zone)")
        }
    }

    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
