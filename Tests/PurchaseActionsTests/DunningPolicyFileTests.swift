import DunningTesting
import CommandLineTesting
import Foundation
import PurchaseActions
import Testing

/// The umbrella's dunning policy files: YAML and JSON read with file:line:column and JSON paths,
/// hostile YAML refused, deterministic YAML and JSON written, the fixtures and Docs/dunning.md true.
@Suite("Dunning policy files: loading YAML and JSON, hostile input, writing")
struct DunningPolicyFileTests {
    static let root = BuiltProducts.root.path
    static let policies = root + "/Fixtures/dunning/policies"

    static func error(_ text: String) -> LoadError? {
        LoadErrorCapture.error { _ = try DunningPolicyFile.policy(Array(text.utf8), file: "p.yaml") }
    }

    static func read(_ text: String) throws -> DunningPolicy { try DunningPolicyFile.policy(Array(text.utf8), file: "p.yaml") }

    static let minimal = "format: 1\nid: p\nname: P\n"

    /// The policy Fixtures/dunning/policies/legacy.yaml holds: what the import writes for an account
    /// with the legacy defaults, a plan with its own settings and a plan not charged automatically.
    static let legacy = DunningPolicy.legacy(
        BillingDefaults(),
        plans: [("plan-monthly", BillingOverrides(maxRetries: 4, daysBetweenRetries: 1)), ("pp-vip-3", BillingOverrides(autocharge: false))],
        timezone: "America/Chicago")

    @Test("The fixtures load; legacy.yaml is what yamlText writes for the legacy policy; only aggressive.yaml gets warnings")
    func fixtures() throws {
        let legacy = try DunningPolicyFile.load(path: Self.policies + "/legacy.yaml")
        #expect(legacy == Self.legacy)
        let text = try String(contentsOfFile: Self.policies + "/legacy.yaml", encoding: .utf8)
        #expect(text == DunningPolicyFile.yamlText(Self.legacy), "\(DunningPolicyFile.yamlText(Self.legacy))")
        #expect(legacy.check().isEmpty)
        let saas = try DunningPolicyFile.load(path: Self.policies + "/saas.yaml")
        #expect(saas.stages.count == 3 && saas.sendWindow != nil && saas.attempts.count == 2 && saas.retries == .within(attempts: 8, window: .days(14)))
        #expect(saas.check().isEmpty, "\(saas.check())")
        let aggressive = try DunningPolicyFile.load(path: Self.policies + "/aggressive.yaml")
        #expect(Set(aggressive.check().map(\.code)) == ["budget-exceeded-alone", "attempts-after-age-limit", "unreachable-stage"], "\(aggressive.check())")
    }

    @Test("YAML and JSON text read back equal and are the same bytes on every call, for random policies")
    func roundTrips() throws {
        for seed in 0..<300 {
            var random = RandomPolicy(seed: UInt64(seed))
            let policy = random.policy()
            let yaml = DunningPolicyFile.yamlText(policy)
            let json = DunningPolicyFile.jsonText(policy)
            #expect(yaml == DunningPolicyFile.yamlText(policy) && json == DunningPolicyFile.jsonText(policy))
            let fromYAML = try DunningPolicyFile.policy(Array(yaml.utf8), file: "p.yaml")
            #expect(fromYAML == policy, "seed \(seed):\n\(yaml)")
            #expect(try DunningPolicyFile.policy(Array(json.utf8), file: "p.json") == policy, "seed \(seed)")
            #expect(DunningPolicyFile.yamlText(fromYAML) == yaml)
        }
    }

    @Test("The contract's YAML example reads; flow and block styles, comments and quotes are the same tree")
    func contractYAML() throws {
        let policy = try Self.read("""
            format: 1                      # required, must be 1
            id: legacy-billing
            name: "Legacy billing defaults"
            version: 3
            timezone: America/Chicago
            retries: {gaps: [2d, 2d]}
            plans:
              plan-monthly: {retries: {gaps: [1d, 3d, 5d]}}
              pp-vip-3: {autocharge: false}
            sendWindow: {from: "09:00", to: "17:00", days: [mon, tue, wed, thu, fri]}
            declines: {unknown: soft, codes: {do_not_honor: hard}}
            budgets: {visa: {attempts: 15, window: 30d}, mastercard: {attempts: 35, window: 30d}, other: {attempts: 15, window: 30d}, whenExceeded: defer}
            cardUpdate: {retry: immediately, reset: [schedule]}
            stages:
              - id: final-notice
                name: Final notice
                when: {all: [{attemptsFailed: 3}, {daysSinceFirstFailure: 7}]}
                actions: [{type: email, template: dunning-final}, {type: suspend-access}]
            attempts:
              - {failed: 2, actions: [{type: task, title: "Call the customer", assignee: owner, dueInDays: 1}]}
            recovered: [{type: restore-access}, {type: remove-tag, tag: past-due}]
            final: {action: cancel-at-period-end, actions: [{type: email, template: dunning-cancelled}]}
            maxInvoiceAgeMonths: 12
            """)
        #expect(policy.plans.count == 2 && policy.stages.count == 1 && policy.final.kind == .cancelAtPeriodEnd && policy.version == 3)
        #expect(policy.declines.codes == ["do_not_honor": .hard])
    }

    /// Hostile or broken YAML: (name, text, code, line, column, path or nil, words in the message).
    static let hostile: [(String, String, LoadError.Code, Int?, Int?, String?, String)] = [
        ("billion laughs", "format: 1\nid: p\nname: P\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
         .invalid, 4, 4, "$.a", "anchors and aliases are not supported"),
        ("alias alone", minimal + "recovered: *x\n", .invalid, nil, nil, nil, "alias"),
        ("alias as key", minimal + "plans: {*k : 1}\n", .invalid, nil, nil, nil, "alias"),
        ("tag", minimal + "version: !!str 3\n", .invalid, 4, 10, "$.version", "tags are not supported"),
        ("local tag", minimal + "retries: !custom {gaps: [1d]}\n", .invalid, 4, 10, "$.retries", "tags are not supported"),
        ("merge key", minimal + "plans:\n  a: {autocharge: false}\n  b:\n    <<: {autocharge: false}\n", .invalid, 7, 5, "$.plans.b", "merge keys"),
        ("duplicate key", minimal + "id: q\n", .invalid, 4, 1, "$.id", "given twice"),
        ("duplicate quoted key", minimal + "\"id\": q\n", .invalid, 4, 1, "$.id", "given twice"),
        ("second document", minimal + "---\nformat: 1\n", .invalid, 4, 1, nil, "one document"),
        ("empty", "", .invalid, nil, nil, nil, "an empty file"),
        ("comment only", "# nothing\n", .invalid, nil, nil, nil, "an empty file"),
        ("deep nesting", minimal + "x: " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "\n",
         .limitExceeded, 4, 67, "$.x[0]" + String(repeating: "[0]", count: 62), "nested more than 64"),
        ("very deep nesting", String(repeating: "[", count: 100_000), .limitExceeded, 1, nil, nil, "nested more than 64"),
        ("huge number", minimal + "version: 99999999999999999999999999\n", .limitExceeded, 4, 10, "$.version", "does not fit in 64 bits"),
        ("float", minimal + "version: 1.5\n", .invalid, 4, 10, "$.version", "whole numbers only"),
        ("exponent", minimal + "maxInvoiceAgeMonths: 1e3\n", .invalid, nil, nil, nil, "whole numbers only"),
        ("infinity", minimal + "maxInvoiceAgeMonths: .inf\n", .invalid, nil, nil, nil, "whole numbers only"),
        ("big but fits", minimal + "version: 9223372036854775807\n", .limitExceeded, 4, 10, "$.version", "2147483647"),
        ("escaped control character", minimal + "recovered: [{type: add-tag, tag: \"a\\u0007b\"}]\n", .invalid, 4, 34, "$.recovered[0].tag", "U+0007"),
        ("escaped escape", minimal + "recovered: [{type: add-tag, tag: \"\\e[31m\"}]\n", .invalid, 4, 34, "$.recovered[0].tag", "U+001B"),
        ("raw control character", minimal + "recovered: [{type: add-tag, tag: a\u{7}b}]\n", .invalid, 4, 35, nil, "not valid YAML"),
        ("unknown member", minimal + "retries:\n  gaps: [2d]\n  jitter: 1h\n", .invalid, 6, 11, "$.retries.jitter", "the members are gaps"),
        ("bad gap", minimal + "retries: {gaps: [2d, 0d]}\n", .invalid, 4, 22, "$.retries.gaps[1]", "at least 1h"),
        ("yes is not true", minimal + "plans: {a: {autocharge: yes}}\n", .invalid, 4, 25, "$.plans.a.autocharge", "true or false"),
        ("list at the top", "- 1\n", .invalid, 1, 1, "$", "expected an object"),
        ("bad syntax", minimal + "retries: {gaps: [2d\n", .invalid, nil, nil, nil, "not valid YAML"),
        ("key that is a list", minimal + "? [a]\n: 1\n", .invalid, 4, 3, nil, "keys in a policy are plain names"),
    ]

    @Test("Hostile YAML is refused with its line, column and path, quickly and without expanding anything", arguments: hostile.indices)
    func hostileYAML(index: Int) throws {
        let (name, text, code, line, column, path, words) = Self.hostile[index]
        let error = try #require(Self.error(text), "\(name) was read")
        #expect(error.code == code, "\(name): \(error)")
        if let line { #expect(error.line == line, "\(name): \(error)") }
        if let column { #expect(error.column == column, "\(name): \(error)") }
        if let path { #expect(error.jsonPath?.description == path, "\(name): \(error)") }
        #expect(error.message.contains(words), "\(name): \(error)")
        #expect(!error.description.unicodeScalars.contains(where: DisplayText.isControl), "\(name): \(error)")
    }

    @Test("Every file of Fixtures/dunning/policies/invalid is refused with the code, line and path of its manifest entry")
    func invalidFixtures() throws {
        let folder = Self.policies + "/invalid"
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))) as? [String: [String: Any]])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != "manifest.json" }.sorted()
        #expect(files == manifest.keys.sorted())
        for file in files {
            let entry = try #require(manifest[file])
            let error = try #require(LoadErrorCapture.error { _ = try DunningPolicyFile.load(path: folder + "/" + file) }, "\(file) was read")
            #expect(error.code.rawValue == entry["code"] as? String, "\(file): \(error)")
            #expect(error.line == entry["line"] as? Int, "\(file): \(error)")
            #expect(error.jsonPath?.description == entry["path"] as? String, "\(file): \(error)")
        }
    }

    @Test("JSON policies: detected by their first character; errors with line, column and path; duplicate members refused")
    func jsonPolicies() throws {
        let json = "\n  {\"format\": 1, \"id\": \"p\", \"name\": \"P\",\n   \"retries\": {\"gaps\": [\"2d\", \"0d\"]}}\n"
        let error = try #require(LoadErrorCapture.error { _ = try DunningPolicyFile.policy(Array(json.utf8), file: "p.json") })
        #expect(error.line == 3 && error.column == 31 && error.jsonPath?.description == "$.retries.gaps[1]", "\(error)")
        #expect(error.description.hasPrefix("p.json:3:31: error: $.retries.gaps[1]: "))
        let duplicate = "{\"format\": 1, \"id\": \"p\", \"id\": \"q\", \"name\": \"P\"}"
        #expect(LoadErrorCapture.error { _ = try DunningPolicyFile.policy(Array(duplicate.utf8), file: "p.json") }?.code == .invalid)
        let syntax = try #require(LoadErrorCapture.error { _ = try DunningPolicyFile.policy(Array("{\"format\": 1,".utf8), file: "p.json") })
        #expect(syntax.line == 1 && syntax.column != nil)
        #expect(try DunningPolicyFile.policy([0xEF, 0xBB, 0xBF] + Array(Self.minimal.utf8), file: "bom.yaml") == DunningPolicy(id: "p", name: "P"))
    }

    @Test("Files: over 32 MiB refused before reading; not UTF-8 refused at its place; missing file")
    func files() throws {
        let folder = try BuiltProducts.scratch("pa-dunning")
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("big.yaml").path
        try Data((Self.minimal + "#" + String(repeating: "x", count: DunningPolicyFile.maxBytes)).utf8).write(to: URL(fileURLWithPath: big))
        #expect(LoadErrorCapture.error { _ = try DunningPolicyFile.load(path: big) }?.code == .limitExceeded)
        let exact = folder.appendingPathComponent("exact.yaml").path
        let padding = DunningPolicyFile.maxBytes - Self.minimal.utf8.count - 2
        try Data((Self.minimal + "#" + String(repeating: "x", count: padding) + "\n").utf8).write(to: URL(fileURLWithPath: exact))
        #expect(try DunningPolicyFile.load(path: exact).id == "p")
        let latin1 = folder.appendingPathComponent("latin1.yaml").path
        try Data(Array(Self.minimal.utf8) + Array("tag: caf".utf8) + [0xE9]).write(to: URL(fileURLWithPath: latin1))
        let notUTF8 = try #require(LoadErrorCapture.error { _ = try DunningPolicyFile.load(path: latin1) })
        #expect(notUTF8.code == .invalid && notUTF8.line == 4 && notUTF8.column == 9 && notUTF8.message.contains("UTF-8"), "\(notUTF8)")
        #expect(LoadErrorCapture.error { _ = try DunningPolicyFile.load(path: folder.path + "/none.yaml") }?.code == .missing)
        #expect(LoadErrorCapture.error { _ = try DunningPolicyFile.load(path: folder.path) }?.code == .wrongKind)
    }

    @Test("YAML text quotes what YAML would read otherwise and keeps the member order of Docs/dunning.md")
    func yamlText() throws {
        var policy = DunningPolicy(id: "p", name: "yes")
        policy.recovered = [.addTag("null"), .sms(text: "line 1\nline 2: \"quoted\" # not a comment"), .setField(field: "_Code", value: "0x1F")]
        policy.plans["123"] = PlanOverride(autocharge: false)
        let yaml = DunningPolicyFile.yamlText(policy)
        #expect(yaml.contains("name: \"yes\"\n") && yaml.contains("tag: \"null\"") && yaml.contains("\"123\": {autocharge: false}"))
        #expect(yaml.contains("text: \"line 1\\nline 2: \\\"quoted\\\" # not a comment\""))
        let keys = yaml.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("#") }.map { String($0.prefix { $0 != ":" }) }
        #expect(keys == ["format", "id", "name", "retries", "plans", "declines", "budgets", "cardUpdate", "stages", "attempts", "recovered", "final", "maxInvoiceAgeMonths"])
        #expect(try Self.read(yaml) == policy)
    }

    @Test("Docs/dunning.md's decline table is DeclineTable.standard, row for row")
    func docsDeclineTable() throws {
        let doc = try String(contentsOfFile: Self.root + "/Docs/dunning.md", encoding: .utf8)
        var rows: [DeclineTable.Row] = []
        for line in doc.split(separator: "\n") where line.hasPrefix("| advice `") || line.hasPrefix("| code `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            // | match | class | retry after | source |
            let match = cells[1].replacingOccurrences(of: "`", with: "")
            let parts = match.split(separator: " ")
            let key: DeclineTable.Key = parts[0] == "advice" ? .advice(String(parts[1])) : .code(String(parts[1]))
            let declineClass = try #require(DeclineClass(rawValue: cells[2]), "\(line)")
            let wait: PolicyDuration? = cells[3].isEmpty ? nil : PolicyDuration(Int(cells[3].dropLast())!, cells[3].hasSuffix("h") ? .hours : .days)
            rows.append(DeclineTable.Row(key, declineClass, retryAfter: wait, source: cells[4]))
        }
        #expect(rows == DeclineTable.standard.rows)
    }

    @Test("The example policies are valid against Docs/dunning-policy.schema.json and mutations are refused", .requires(.jsonschema))
    func schema() throws {
        let folder = try BuiltProducts.scratch("pa-dunning-schema")
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for name in ["legacy", "saas", "aggressive"] {
            let policy = try DunningPolicyFile.load(path: Self.policies + "/\(name).yaml")
            let path = folder.appendingPathComponent("\(name).json").path
            try DunningPolicyFile.jsonText(policy).write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        for seed in 0..<40 {
            var random = RandomPolicy(seed: UInt64(seed) &* 7919)
            let path = folder.appendingPathComponent("random-\(seed).json").path
            try DunningPolicyFile.jsonText(random.policy()).write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        let valid = try Self.checkJSON(["--schema", "Docs/dunning-policy.schema.json", "--canonical"] + files)
        #expect(valid.status == 0, "\(valid.output)")
        let mutations = [
            #""colour": "red""#, #""retries": {"gaps": []}"#, #""retries": {"gaps": ["0d"]}"#, #""retries": "never""#,
            #""final": {"action": "run-workflow"}"#, #""stages": [{"id": "s", "when": {}}]"#, #""declines": {"codes": {"X": "hard"}}"#,
            #""recovered": [{"type": "email"}]"#, #""sendWindow": {"from": "9:00", "to": "17:00"}"#, #""format": 2"#,
            #""budgets": {"visa": {"attempts": 0, "window": "30d"}}"#, #""plans": {"a b": {}}"#, #""retries": {"gaps": ["2d"], "attempts": 2}"#,
            #""stages": [{"id": "s", "when": {"attemptsFailed": 1, "tag": "x"}}]"#, #""declines": {"unknown": "retry-after"}"#,
        ]
        for (index, member) in mutations.enumerated() {
            let json = member.hasPrefix(#""format""#) ? "{" + member + #", "id": "p", "name": "P"}"# : #"{"format": 1, "id": "p", "name": "P", "# + member + "}"
            #expect(LoadErrorCapture.error { _ = try DunningPolicyFile.policy(Array(json.utf8), file: "m.json") } != nil, "the loader reads mutation \(index)")
            let path = folder.appendingPathComponent("bad-\(index).json").path
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            let run = try Self.checkJSON(["--schema", "Docs/dunning-policy.schema.json", path])
            #expect(run.status != 0, "the schema accepts mutation \(index): \(json)")
        }
    }

    /// Tools/check-json.py run through the harness's `runProgram`; its output and errors together.
    static func checkJSON(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try BuiltProducts.runProgram(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "Tools/check-json.py"] + arguments, in: BuiltProducts.root)
        return (result.status, result.output + result.errors)
    }
}
