import CommandLineTesting
import Foundation
@testable import PurchaseActions
import Testing

/// `JSONLineIndex` finds the lines of many paths in one pass, and must agree with
/// `JSONValue.position(of:in:)` (which reads the document once per path).
@Suite("Lines of many JSON paths in one pass")
struct JSONLineIndexTests {
    /// Every path of a value, the root included.
    static func paths(_ value: JSONValue, _ path: JSONPath = .root, into all: inout [JSONPath]) {
        all.append(path)
        switch value {
        case .object(let members): for (name, member) in members { paths(member, path.member(name), into: &all) }
        case .array(let elements): for (index, element) in elements.enumerated() { paths(element, path.index(index), into: &all) }
        default: break
        }
    }

    static func check(_ bytes: [UInt8]) throws {
        var all: [JSONPath] = []
        paths(try JSONValue.parse(bytes), into: &all)
        let lines = JSONLineIndex.lines(of: Set(all), in: bytes)
        for path in all { #expect(lines[path] == JSONValue.position(of: path, in: bytes)?.line, "\(path)") }
    }

    @Test("Every path of every golden workflow file: the same line as JSONValue.position")
    func goldens() throws {
        let expected = BuiltProducts.root.path + "/Fixtures/expected"
        var files = 0
        for account in try FileManager.default.contentsOfDirectory(atPath: expected) {
            let folder = expected + "/" + account + "/workflows"
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted().prefix(5) {
                try Self.check(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
                files += 1
            }
        }
        #expect(files > 0)
    }

    @Test("Escaped member names, surrogate pairs, compact and spread-out text, empty containers")
    func escapes() throws {
        let texts = [
            #"{"a\u0062": [1, {"\ud83d\ude00": "x\"y\\", "t\tab": null}], "e": {}, "f": []}"#,
            "{\n\"a\":\n[\n1\n,\n2\n]\n,\r\n\"b\"\n:\n{\"c\"\n:\ntrue}}",
            #"[[[]],{"":{"":0}},-15,"\/"]"#,
        ]
        for text in texts { try Self.check(Array(text.utf8)) }
        let lines = JSONLineIndex.lines(of: [JSONPath.root.member("ab").index(1).member("😀")], in: Array(texts[0].utf8))
        #expect(lines.count == 1)
    }

    @Test("Paths with no value there get no line; a document cut short ends the search without a trap")
    func missing() throws {
        let bytes = Array(#"{"a": [1, 2]}"#.utf8)
        #expect(JSONLineIndex.lines(of: [JSONPath.root.member("b"), JSONPath.root.member("a").index(2)], in: bytes).isEmpty)
        for cut in 0..<bytes.count {
            _ = JSONLineIndex.lines(of: [JSONPath.root.member("a").index(1)], in: Array(bytes[..<cut]))
        }
        _ = JSONLineIndex.lines(of: [JSONPath.root.member("a")], in: Array(#"{"a\"#.utf8))
        _ = JSONLineIndex.lines(of: [JSONPath.root.member("a")], in: Array(#"{"\u12"#.utf8))
    }

    @Test("A file with 2,000 broken calls: every problem kept has the line of its own step")
    func manyProblems() throws {
        let folder = try BuiltProducts.scratch("pa-lines")
        defer { try? FileManager.default.removeItem(at: folder) }
        let steps = (0..<2000).map { #"{"id": "s\#($0)", "type": "call", "workflow": "gone-\#($0)"}"# }.joined(separator: ",\n")
        let text = """
            {"formatVersion": 1, "id": "big", "name": "big", "priority": 0, "status": "published", "version": 1,
             "triggers": [{"id": "run", "event": "manual", "filters": []}],
             "settings": {"accountTimezone": "UTC", "allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account"},
             "steps": [
            \(steps)
            ]}
            """
        try Data(text.utf8).write(to: folder.appendingPathComponent("big.json"))
        let report = try WorkflowValidation().validate([folder.path])
        #expect(report.errors == 2000 && report.problems.count == 1000)
        for (index, problem) in report.problems.enumerated() { #expect(problem.line == 5 + index, "\(problem)") }
    }

    /// A small deterministic generator (SplitMix64), so the test is the same on every run.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// Random JSON text: nested objects and arrays, escaped names, random white space and line breaks.
    static func document(_ random: inout Random, depth: Int = 0) -> String {
        func space(_ random: inout Random) -> String { ["", " ", "\n", "\r\n  ", "\t", "\n\n"][random.next(6)] }
        let names = ["a", "b", #"c\"d"#, #"\u00e9"#, #"\ud83d\ude00"#, "steps", #"x\ny"#, ""]
        switch depth > 4 ? random.next(3) : random.next(5) {
        case 0: return ["1", "-7", "true", "null", #""s""#, #""\\\"""#][random.next(6)]
        case 1: return #""text \u0041""#
        case 2: return "0"
        case 3:
            let count = random.next(4)
            let elements = (0..<count).map { _ in space(&random) + document(&random, depth: depth + 1) + space(&random) }
            return "[" + elements.joined(separator: ",") + "]"
        default:
            var used: Set<String> = []
            var members: [String] = []
            for _ in 0..<random.next(4) {
                let name = names[random.next(names.count)]
                guard used.insert(name).inserted else { continue }
                members.append(space(&random) + "\"\(name)\"" + space(&random) + ":" + space(&random) + document(&random, depth: depth + 1) + space(&random))
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    @Test("Property: on 500 random documents, every path's line is the one JSONValue.position gives")
    func randomDocuments() throws {
        var random = Random(state: 12)
        for _ in 0..<500 {
            let text = Self.document(&random)
            try Self.check(Array(text.utf8))
        }
    }
}
