import PropertyBased
import PurchaseActionsCore
import Testing

@testable import MigrationReport

/// Issue 12, item 7 (helper R): what the report now makes once and reuses gives exactly the bytes
/// of making it anew — the words of actions met before (`ActionWords`), the template notes made
/// when the findings are taken, a sentence's plain text written as bytes, clipped picture text
/// appended whole, and label lines escaped from Mermaid's ASCII table — and each cache stops at its
/// bounds.
@Suite("Report reuse: kept words, notes, plain text, clips and label tables are the fresh bytes")
struct ReportReuseTests {
    typealias Choices = ReportBytesTests.Choices

    /// Every format of an outline: the JSON fragment, the Markdown (without a picture) and the HTML
    /// outline's bytes and holes.
    static func formats(_ outline: WorkflowOutline) -> [String] {
        var markdown: [UInt8] = []
        outline.markdown(picture: [], into: &markdown)
        var dictionary = HTMLDictionary()
        var html: [UInt8] = []
        outline.html(into: &html, &dictionary)
        return [String(decoding: outline.jsonFragment, as: UTF8.self), String(decoding: markdown, as: UTF8.self), String(decoding: html, as: UTF8.self)]
    }

    @Test("Random workflows through one cache of action words, twice: every format is the uncached one's")
    func keptWords() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000).array(of: 0...300)) { values in
            var choices = Choices(values: values)
            let workflows = (0..<4).map { _ in ReportBytesTests.workflow(&choices) }
            var names = ReportNames(catalogue: ReportBytesTests.catalogue)
            var words = ActionWords()
            for (workflow, findings) in workflows + workflows {
                names.remember(workflow: workflow.id, name: workflow.name)
                let kept = WorkflowOutline(workflow, findings: findings, names: names, words: &words)
                let fresh = WorkflowOutline(workflow, findings: findings, names: names)
                #expect(Self.formats(kept) == Self.formats(fresh), "\(workflow.id)")
            }
        }
    }

    @Test("Action words: kept up to the entry limit, keys up to 1,000 bytes, and the same words past them")
    func wordsBounds() {
        let names = ReportNames(catalogue: ReportBytesTests.catalogue)
        var words = ActionWords(entryLimit: 3)
        for index in 0..<4 { _ = words.words(.action(.addTag(tagID: "tag-\(index)")), names: names) }
        #expect(words.count == 3, "the fourth is past the limit")
        let again = words.words(.action(.addTag(tagID: "tag-3")), names: names)
        #expect(again.sentence == names.does(.action(.addTag(tagID: "tag-3"))))
        #expect(words.count == 3)

        var sized = ActionWords()
        let longest = String(repeating: "k", count: ActionWords.keyByteLimit)
        _ = sized.words(.action(.addTag(tagID: longest)), names: names)
        #expect(sized.count == 1, "a key of 1,000 bytes is kept")
        let past = sized.words(.action(.addTag(tagID: longest + "k")), names: names)
        #expect(sized.count == 1, "one of 1,001 is not")
        #expect(past.sentence == names.does(.action(.addTag(tagID: longest + "k"))))
        #expect(past.plain == nil && past.markdown == nil)

        // The byte limit: keys of 1,000 bytes fill 1,000,000 bytes long before 2,000 entries.
        var full = ActionWords()
        var index = 0
        while index < ActionWords.reportEntryLimit {
            _ = full.words(.action(.removeTag(tagID: String(repeating: "r", count: 990) + "\(index)")), names: names)
            index += 1
        }
        #expect(full.count < ActionWords.reportEntryLimit)
        #expect(full.bytes <= ActionWords.byteLimit)
        #expect(full.bytes + 4 * ActionWords.keyByteLimit > ActionWords.byteLimit, "filled to the byte limit")

        // Nothing but actions is kept; no entries with a limit of 0.
        var none = ActionWords(entryLimit: 0)
        _ = none.words(.action(.addTag(tagID: "tag-1")), names: names)
        _ = words.words(.exit, names: names)
        #expect(none.count == 0)
        #expect(words.count == 3)
    }

    @Test("Template notes made once: the same notes, with the step's workflow, as made for each step")
    func templateNotes() {
        let here = FileLocation(file: "x.xml", line: 40)
        var catalogue = ReportBytesTests.catalogue
        catalogue.templates["tpl-1"] = Template(id: "tpl-1", name: "Welcome", content: .fax(body: nil), location: here)
        catalogue.templates["tpl-2"] = Template(id: "tpl-2", name: "", content: .fax(body: nil), location: FileLocation(file: "x.xml", line: 41))
        var names = ReportNames(catalogue: catalogue)
        names.add(templateFindings: [
            MigrationFinding(.unknownMergeField, "uses ~X~ (used by a, b)", at: here, workflowID: ""),
            MigrationFinding(.literalBraces, "has {{", at: FileLocation(file: "x.xml", line: 41), workflowID: ""),
        ])
        let notes = names.templateNotes("tpl-1", workflowID: "action-set.as-1")
        #expect(notes.map(\.message) == ["its template tpl-1 (“Welcome”): uses ~X~; see line 40"])
        #expect(notes.map(\.workflowID) == ["action-set.as-1"])
        #expect(names.templateNotes("tpl-2", workflowID: "w").map(\.message) == ["its template tpl-2: has {{; see line 41"])
        #expect(names.templateNotes("tpl-3", workflowID: "w").isEmpty)
    }

    @Test("A sentence's plain text written as bytes is the phrases' plain text joined")
    func plain() async {
        let phrase = zip(Gen.int(in: 0...4), Gen.int(in: 0...(Choices.texts.count - 1)), Gen.int(in: 0...(Choices.texts.count - 1)))
        await propertyCheck(count: 500, input: phrase.array(of: 0...6)) { parts in
            let phrases: [Phrase] = parts.map { kind, first, second in
                let text = Choices.texts[first]
                switch kind {
                case 0: return .words(text)
                case 1: return .name(text)
                case 2: return .quote(text)
                case 3: return .id(text)
                default: return .named(text, id: Choices.texts[second])
                }
            }
            #expect(Sentence(phrases).plain == phrases.map(\.plain).joined())
        }
    }

    /// The clip as it appended before: scalar by scalar.
    static func referenceClip(_ parts: [String]) -> String {
        var text = ""
        var scalars = 0
        for part in parts {
            guard scalars <= PictureText.Clip.capacity else { break }
            for scalar in part.unicodeScalars {
                text.unicodeScalars.append(scalar)
                scalars += 1
                if scalars > PictureText.Clip.capacity {
                    text += "…"
                    return text
                }
            }
        }
        return text
    }

    @Test("Clipped picture text: parts appended whole are the scalar-by-scalar text, at and past the capacity")
    func clip() async {
        let pieces = ["a", "é", "e\u{301}", "😀", " and ", String(repeating: "x", count: 40), "…", "\u{202E}"]
        await propertyCheck(count: 500, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...20).array(of: 0...12)) { partIndices in
            let parts = partIndices.map { $0.map { pieces[$0] }.joined() }
            var clip = PictureText.Clip()
            for part in parts { clip.append(part) }
            #expect(clip.text == Self.referenceClip(parts))
        }
        let capacity = PictureText.Clip.capacity
        for count in [capacity - 1, capacity, capacity + 1] {
            for part in [String(repeating: "y", count: count), String(repeating: "é", count: count)] {
                var clip = PictureText.Clip()
                clip.append(part)
                #expect(clip.text == Self.referenceClip([part]), "\(count)")
                #expect(clip.isFull == (count > capacity), "\(count)")
            }
        }
    }

    @Test("Edge labels are written as the cache writes them but not kept; node labels still are")
    func edgeLabelsNotKept() {
        var labels = MermaidLabels()
        let condition = ["rule holds", String(repeating: "contact.tags contains tag-1 and ", count: 3)]
        var edge: [UInt8] = []
        labels.write(condition, maxCharacters: WorkflowPicture.maxEdgeLineCharacters, keep: false, into: &edge)
        #expect(String(decoding: edge, as: UTF8.self) == PictureLayout.label(condition, maxCharacters: WorkflowPicture.maxEdgeLineCharacters, PictureLayout.mermaidEscape, joiner: "<br/>"))
        #expect(labels.count == 0)
        var node: [UInt8] = []
        labels.write(condition, maxCharacters: WorkflowPicture.maxLineCharacters, into: &node)
        #expect(labels.count == 1, "a label that wraps is kept for nodes")
        #expect(node == edge)
    }

    @Test("Label lines from Mermaid's ASCII table: the lines the escape function gives, at every bound")
    func asciiTable() async {
        let words = ["a", " ", "and", "or", "\"", "&", "#", "<", "x", "Zz", "\\", "{", "  ", "contact.tags", "é", "\t", String(repeating: "w", count: 30)]
        let parts = Gen.int(in: 0...(words.count - 1)).array(of: 0...60).map { $0.map { words[$0] }.joined() }
        await propertyCheck(count: 500, input: zip(parts.array(of: 1...12), Gen.int(in: 20...70))) { parts, width in
            let table = LabelWrap.wrap(parts, maxCharacters: width, escape: PictureLayout.mermaidEscape, asciiEscapes: MermaidLabels.asciiEscapes)
            let plain = LabelWrap.wrap(parts, maxCharacters: width, escape: PictureLayout.mermaidEscape)
            #expect(table == plain)
        }
        for part in [String(repeating: "x", count: 60), String(repeating: "x", count: 61), String(repeating: "&", count: 22), String(repeating: "&", count: 23)] {
            let table = LabelWrap.oneLine(part, maxCharacters: 60, maxBytes: 120, escape: PictureLayout.mermaidEscape, asciiEscapes: MermaidLabels.asciiEscapes)
            #expect(table == LabelWrap.oneLine(part, maxCharacters: 60, maxBytes: 120, escape: PictureLayout.mermaidEscape), "\(part)")
        }
    }
}
