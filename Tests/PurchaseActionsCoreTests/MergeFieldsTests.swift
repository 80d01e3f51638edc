import PropertyBased
import PurchaseActionsCore
import Testing

@Suite("Merge fields: legacy ~Table.Field~ to {{table.Field}}")
struct MergeFieldsTests {
    @Test("Known fields translate; unknown ones stay as written and are reported", arguments: [
        ("Hi ~Contact.FirstName~!", "Hi {{contact.FirstName}}!", [String]()),
        ("~Owner.Email~ on ~Date.Current~", "{{owner.Email}} on {{date.Current}}", []),
        ("Size ~Contact._ShirtSize~", "Size {{contact._ShirtSize}}", []),
        ("Size ~Contact._Undeclared~", "Size ~Contact._Undeclared~", ["~Contact._Undeclared~"]),
        ("Total ~Invoice.Total~", "Total ~Invoice.Total~", ["~Invoice.Total~"]),
        ("~Company.StreetAddress1~", "{{company.StreetAddress1}}", []),
        ("5 ~ 6 and ~not a field~", "5 ~ 6 and ~not a field~", []),
        ("trailing ~", "trailing ~", []),
        ("~~Contact.Email~~", "~{{contact.Email}}~", []),
    ])
    func examples(legacy: String, modern: String, unknown: [String]) {
        let translation = MergeFields.translate(legacy, customFields: ["_ShirtSize"])
        #expect(translation.text == modern)
        #expect(translation.unknown == unknown)
    }

    @Test("An unknown field used twice is reported once (review 3: two identical notes for one text)")
    func unknownOncePerText() {
        let translation = MergeFields.translate("~Foo.Bar~ and ~Foo.Bar~ and ~Baz.Qux~ and ~Foo.Bar~")
        #expect(translation.unknown == ["~Foo.Bar~", "~Baz.Qux~"])
        #expect(translation.uses.count == 4)
    }

    @Test("Every use is listed in order, with its modern form")
    func uses() {
        let translation = MergeFields.translate("~Contact.LastName~, ~Contact.FirstName~ ~X.Y~")
        #expect(translation.uses.map(\.legacy) == ["~Contact.LastName~", "~Contact.FirstName~", "~X.Y~"])
        #expect(translation.uses.map(\.modern) == ["{{contact.LastName}}", "{{contact.FirstName}}", nil])
    }

    @Test("Literal Mustache braces in legacy text are reported")
    func braces() {
        #expect(MergeFields.translate("Use {{ and }} freely").hasLiteralBraces)
        #expect(!MergeFields.translate("Hi ~Contact.FirstName~").hasLiteralBraces, "the braces we write do not count")
    }

    static let texts = Gen<Character?>.element(of: Array("ab ~.{}_")).array(of: 0...30).map { String($0.compactMap { $0 }) }

    @Test("Text without a known field comes out unchanged")
    func unchanged() async {
        await propertyCheck(count: 400, input: Self.texts) { text in
            let translation = MergeFields.translate(text)
            #expect(translation.uses.allSatisfy { $0.modern == nil })
            #expect(translation.text == text)
        }
    }
}
