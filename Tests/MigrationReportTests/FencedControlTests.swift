import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// The Markdown fence's byte check for control characters (`DisplayText.controlStarts(_:at:)`, shared with `DisplayText`) finds
/// exactly the scalars `DisplayText.isControl` names, so a picture with `…` or quotes is no longer
/// decoded to be checked again, and one with a control character is still escaped.
@Suite("Markdown fence: the byte check for control characters is exact")
struct FencedControlTests {
    /// Scalars at and around every edge of the control ranges, and text with the same lead bytes.
    static let scalars: [Unicode.Scalar] = [
        0x00, 0x09, 0x0A, 0x1F, 0x20, 0x41, 0x60, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xE9, 0x061B, 0x061C, 0x061D, 0x200D, 0x200E, 0x200F, 0x2010,
        0x2026, 0x2027, 0x2028, 0x202E, 0x202F, 0x2065, 0x2066, 0x2069, 0x206A, 0x201C, 0x201D, 0x2013, 0xFEFE, 0xFEFF, 0xFF01, 0x1F600,
    ].map { Unicode.Scalar($0)! }

    @Test("Random text of edge scalars: a control is found exactly when one other than a line break is there")
    func exact() async {
        await propertyCheck(count: 2000, input: Gen.int(in: 0...(Self.scalars.count - 1)).array(of: 0...12)) { picks in
            var text = ""
            for pick in picks { text.unicodeScalars.append(Self.scalars[pick]) }
            let bytes = Array(text.utf8)
            let found = bytes.withUnsafeBufferPointer { buffer in
                buffer.indices.contains { buffer[$0] != UInt8(ascii: "\n") && DisplayText.controlStarts(buffer, at: $0) }
            }
            #expect(found == text.unicodeScalars.contains { $0 != "\n" && DisplayText.isControl($0) }, "\(picks)")
        }
    }

    @Test("A fenced picture: controls escaped, quotes and ellipses kept, the fence longer than any backtick run")
    func fenced() {
        var text: [UInt8] = []
        WorkflowOutline.fenced(Array("a “b” … c ``` d\u{202E}e\u{1}".utf8), info: "mermaid", into: &text)
        let fenced = String(decoding: text, as: UTF8.self)
        #expect(fenced.hasPrefix("````mermaid\na “b” … c ``` d"))
        #expect(!fenced.unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\u{1}" })
        var plain: [UInt8] = []
        WorkflowOutline.fenced(Array("a “b” … c".utf8), info: "mermaid", into: &plain)
        #expect(String(decoding: plain, as: UTF8.self) == "```mermaid\na “b” … c\n```\n")
    }
}
