import PurchaseActionsCore
import Testing

/// What the compiler takes from the legacy model as it is, without going through text: each rule
/// operator's condition operator, and an element's path joined from its parts (built in place,
/// Benchmarks/README.md, "Import throughput").
@Suite("Legacy model: operators and element paths")
struct LegacyTraceTests {
    @Test("Each legacy field operator becomes the condition operator of the same name", arguments: FieldOperator.allCases)
    func operatorNames(_ legacy: FieldOperator) {
        #expect(ConditionOperator(legacy).rawValue == legacy.rawValue)
        #expect(ConditionOperator(legacy).takesValue == legacy.takesValue)
    }

    @Test(
        "An element's path is its parent's, a slash, its name and [@id='…'] when it has an id, whatever the text",
        arguments: [
            ("/export/action-sets/action-set[@id='as-1']", "apply-tag", "as-1.a1" as String?),
            ("/export/action-sets", "action-set", nil),
            ("", "export", nil),
            ("", "x", ""),
            ("/é/ü", "ñame", "ïd-✓-🙂"),
            (String(repeating: "/a", count: 300), "b", String(repeating: "c", count: 500)),
        ])
    func paths(_ parent: String, _ element: String, _ id: String?) {
        let location = FileLocation(file: "f.xml", parentPath: parent, element: element, id: id, line: 3, column: 4)
        let expected = parent + "/" + element + (id.map { "[@id='" + $0 + "']" } ?? "")
        #expect(location.path == expected)
        #expect(location.path.utf8.count == expected.utf8.count)
        #expect(SourceTrace(location).path == expected)
        // A path set whole is kept as it is.
        var set = location
        set.path = "/other"
        #expect(set.path == "/other")
    }
}
