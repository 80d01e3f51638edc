import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// Issue 12, item 7: the renderer's pieces written straight into bytes give the text of the
/// `String` code they stand for: node ids made in one buffer, labels wrapped into bytes, a
/// condition's words made in one array.
@Suite("Renderer bytes: the pieces written into bytes are the text made before")
struct RendererBytesTests {
    static let pieces = ["a", " ", "and", "or", "\"", "&", "#", "<", "é", "…", "\t", "\n", "x", "Zz", "😀", "\\", "{", "|", "`", "-", "e\u{301}"]
    static let text = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...200).map { $0.map { Self.pieces[$0] }.joined() }

    @Test("A node id made after its prefix in one buffer: the prefix and the id sanitized, at most 32 scalars")
    func sanitizedAfterPrefix() async {
        func reference(_ id: String) -> String {
            String(id.unicodeScalars.prefix(32).map { scalar -> Character in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9": Character(scalar)
                default: "_"
                }
            })
        }
        await propertyCheck(count: 300, input: Self.text) { id in
            #expect(WorkflowPicture.sanitized(id, after: "t_") == "t_" + reference(id))
            #expect(WorkflowPicture.nodeID(step: id) == "s_" + reference(id))
            #expect(WorkflowPicture.sanitized(id) == reference(id))
        }
        #expect(WorkflowPicture.nodeID(step: String(repeating: "é", count: 40)) == "s_" + String(repeating: "_", count: 32))
        #expect(WorkflowPicture.nodeID(step: "as-1905.a2") == "s_as_1905_a2")
    }

    @Test("A label wrapped into bytes: its lines joined, whether every part fits or some are left out")
    func labelBytes() async {
        let escapes: [(Unicode.Scalar) -> String] = [PictureLayout.mermaidEscape, PictureLayout.dotEscape]
        await propertyCheck(count: 300, input: Self.text.array(of: 0...14), Gen.int(in: 0...1)) { parts, which in
            let escape = escapes[which]
            let table = which == 0 ? MermaidLabels.asciiEscapes : nil
            for width in [12, WorkflowPicture.maxLineCharacters] {
                var bytes: [UInt8] = [0x41]
                LabelWrap.write(parts, maxCharacters: width, escape: escape, asciiEscapes: table, joiner: "<br/>", into: &bytes)
                let lines = LabelWrap.wrap(parts, maxCharacters: width, escape: escape, asciiEscapes: table)
                #expect(String(decoding: bytes, as: UTF8.self) == "A" + lines.joined(separator: "<br/>"))
            }
        }
        // Twenty long parts spend the label's bytes: the last line says how many were left out.
        let long = Array(repeating: String(repeating: "word ", count: 40), count: 20)
        var bytes: [UInt8] = []
        LabelWrap.write(long, maxCharacters: 60, escape: PictureLayout.mermaidEscape, asciiEscapes: MermaidLabels.asciiEscapes, joiner: "<br/>", into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("more not shown)"))
        #expect(text == LabelWrap.wrap(long, maxCharacters: 60, escape: PictureLayout.mermaidEscape).joined(separator: "<br/>"))
    }

    @Test("An operator's words after a space, as literals: a space and its words")
    func spacedOperatorWords() {
        for op in ConditionOperator.allCases { #expect(ReportNames.spacedWords(op) == " " + ReportNames.words(op)) }
    }

    @Test("A nested condition's words made in one array: groups in parentheses, separators between parts")
    func conditionWords() {
        let names = ReportNames(catalogue: ReportBytesTests.catalogue)
        let tag = Condition.field("contact.tags", .contains, .text("tag-x"))
        let field = Condition.field("contact.fields.City", .in, .list(["A", "B"]))
        let count = Condition.field("order.count", .atLeast, .integer(3))
        let empty = Condition.field("contact.email", .isEmpty)
        let condition = Condition(.all([tag, Condition(.any([field, count])), Condition(.not(Condition(.any([empty])))), Condition(.not(count)), Condition(.any([]))]))
        #expect(names.words(condition).plain
            == "the contact has tag tag-x and (field City is one of “A”, “B” or order.count is at least 3) and (none of (contact.email is empty)) and (not (order.count is at least 3)) and (never)")
        #expect(names.words(Condition(.all([count]))).plain == "order.count is at least 3")
    }
}

extension RendererBytesTests {
    @Test("Mermaid labels wrapped with the ASCII table (parts that fit taken whole, non-ASCII too): the lines of wrapping without it")
    func tableWrapping() async {
        let parts = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...70).map { $0.map { Self.pieces[$0] }.joined() }
        await propertyCheck(count: 400, input: parts.array(of: 1...14)) { parts in
            for width in [12, WorkflowPicture.maxLineCharacters] {
                let table = LabelWrap.wrap(parts, maxCharacters: width, escape: PictureLayout.mermaidEscape, asciiEscapes: MermaidLabels.asciiEscapes)
                #expect(table == LabelWrap.wrap(parts, maxCharacters: width, escape: PictureLayout.mermaidEscape))
            }
        }
        // At the bounds: 60 characters (two bytes each) fit, 61 do not; a control character never does.
        for part in [String(repeating: "é", count: 60), String(repeating: "é", count: 61), "é\u{202E}", String(repeating: "😀", count: 29), String(repeating: "😀", count: 30)] {
            let table = LabelWrap.wrap([part], maxCharacters: 60, escape: PictureLayout.mermaidEscape, asciiEscapes: MermaidLabels.asciiEscapes)
            #expect(table == LabelWrap.wrap([part], maxCharacters: 60, escape: PictureLayout.mermaidEscape), "\(part)")
        }
    }
}
