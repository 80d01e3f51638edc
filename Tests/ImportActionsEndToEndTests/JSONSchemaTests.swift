import CommandLineTesting
import Foundation
import PurchaseActionsCore
import Testing

/// The documented JSON Schemas, checked with an independent validator: Python's `jsonschema`
/// (Tools/check-json.py), which shares no code with the Swift side.
@Suite("JSON Schemas, checked with Python's jsonschema", .requires(.jsonschema))
struct JSONSchemaTests {
    struct Run {
        var status: Int32
        var output: String
    }

    static func checkJSON(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "Tools/check-json.py"] + arguments
        process.currentDirectoryURL = CLI.root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func files(_ folder: String, suffix: String) throws -> [String] {
        let enumerator = try #require(FileManager.default.enumerator(atPath: CLI.root.appendingPathComponent(folder).path))
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.map { "\(folder)/\($0)" }.sorted()
    }

    @Test("Every golden workflow file validates against Docs/workflow-format.schema.json and is in canonical form")
    func workflowsValidate() throws {
        let files = try Self.files("Fixtures/expected", suffix: ".json").filter { $0.contains("/workflows/") }
        #expect(files.count >= 40)
        let run = try Self.checkJSON(["--schema", "Docs/workflow-format.schema.json", "--canonical"] + files)
        #expect(run.status == 0, "\(run.output)")
    }

    @Test("Every golden template and account.json validates against its schema and is in canonical form; the bare workflows validate too")
    func templatesAndAccountsValidate() throws {
        let templates = try Self.files("Fixtures/expected", suffix: ".json").filter { $0.contains("/templates/") }
        #expect(templates.count >= 30)
        let run = try Self.checkJSON(["--schema", "Docs/template-format.schema.json", "--canonical"] + templates)
        #expect(run.status == 0, "\(run.output)")
        let accounts = try Self.files("Fixtures/expected", suffix: "account.json")
        #expect(accounts.count == 3)
        let accountRun = try Self.checkJSON(["--schema", "Docs/account-format.schema.json", "--canonical"] + accounts)
        #expect(accountRun.status == 0, "\(accountRun.output)")
        let bare = try Self.files("Fixtures/workflows/course-creator", suffix: ".json")
        let bareRun = try Self.checkJSON(["--schema", "Docs/workflow-format.schema.json", "--canonical"] + bare)
        #expect(bareRun.status == 0 && bare.count == 11, "\(bareRun.output)")
    }

    @Test("The template, account and workflow schemas refuse what the loaders refuse: each mutation is caught")
    func templateAndAccountSchemasRefuse() throws {
        try ImportWritingTests.withScratch { folder in
            let template = try String(
                contentsOf: CLI.root.appendingPathComponent("Fixtures/expected/physical-goods-store/templates/tpl-order-thanks.json"), encoding: .utf8)
            let account = try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/expected/physical-goods-store/account.json"), encoding: .utf8)
            let workflow = try String(
                contentsOf: CLI.root.appendingPathComponent("Fixtures/expected/physical-goods-store/workflows/action-set.as-order-thanks.json"),
                encoding: .utf8)
            let mutations = [
                ("template-escaping-id", "template-format", template.replacing("\"id\": \"tpl-order-thanks\"", with: "\"id\": \"../tpl\"")),
                ("template-hidden-id", "template-format", template.replacing("\"id\": \"tpl-order-thanks\"", with: "\"id\": \".tpl\"")),
                ("template-no-type", "template-format", template.replacing("\"type\": \"send-email\"", with: "\"subject2\": \"x\"")),
                ("template-names-template", "template-format", template.replacing("\"type\": \"send-email\"", with: "\"type\": \"send-email\", \"template\": \"x\"")),
                ("template-bad-kind", "template-format", template.replacing("\"kind\": \"email\"", with: "\"kind\": \"pigeon\"")),
                ("account-unknown-member", "account-format", account.replacing("\"currency\": \"EUR\",", with: "\"currency\": \"EUR\", \"colour\": 1,")),
                ("account-bad-id", "account-format", account.replacing("\"prod-grinder\": {", with: "\"prod grinder\": {")),
                ("account-negative-price", "account-format", account.replacing("\"price\": 2400", with: "\"price\": -1")),
                ("workflow-referring-unknown-member", "workflow-format", workflow.replacing("\"template\": \"tpl-order-thanks\"", with: "\"template\": \"tpl-order-thanks\", \"colour\": 1")),
                ("workflow-referring-unknown-type", "workflow-format", workflow.replacing("\"template\": \"tpl-order-thanks\"", with: "\"template\": \"tpl-order-thanks\", \"type\": \"teleport\"")),
                ("workflow-referring-wrong-type", "workflow-format", workflow.replacing("\"template\": \"tpl-order-thanks\"", with: "\"template\": \"tpl-order-thanks\", \"subject\": 7")),
            ]
            for (name, schema, text) in mutations {
                #expect(!text.isEmpty && text != template && text != account && text != workflow, "\(name) changed nothing")
                let file = folder.appendingPathComponent("\(name).json")
                try text.write(to: file, atomically: true, encoding: .utf8)
                let run = try Self.checkJSON(["--schema", "Docs/\(schema).schema.json", file.path])
                #expect(run.status == 1, "\(name) was accepted")
            }
        }
    }

    @Test("Every migration report validates against Docs/migration-report.schema.json")
    func reportsValidate() throws {
        let files = try Self.files("Fixtures/expected", suffix: "migration-report.json")
        #expect(files.count == 3)
        let run = try Self.checkJSON(["--schema", "Docs/migration-report.schema.json", "--canonical"] + files)
        #expect(run.status == 0, "\(run.output)")
    }

    @Test("The schema refuses broken workflows: each mutation is caught")
    func workflowSchemaRefuses() throws {
        try ImportWritingTests.withScratch { folder in try Self.refuses(in: folder) }
    }

    static func refuses(in folder: URL) throws {
        let golden = try String(
            contentsOf: CLI.root.appendingPathComponent("Fixtures/expected/course-creator/workflows/action-set.as-basic.json"), encoding: .utf8)
        let mutations = [
            ("unknown-member", golden.replacing("\"priority\": 50,", with: "\"priority\": 50,\n  \"colour\": \"blue\",")),
            ("bad-step-type", golden.replacing("\"type\": \"call\"", with: "\"type\": \"teleport\"")),
            ("bad-operator", golden.replacing("\"op\": \"contains\"", with: "\"op\": \"resembles\"")),
            ("bad-id", golden.replacing("\"id\": \"action-set.as-basic\"", with: "\"id\": \"action set/as basic\"")),
            ("format-version", golden.replacing("\"formatVersion\": 1", with: "\"formatVersion\": 2")),
        ]
        for (name, text) in mutations {
            #expect(text != golden, "\(name) changed nothing")
            let file = folder.appendingPathComponent("\(name).json")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let run = try checkJSON(["--schema", "Docs/workflow-format.schema.json", file.path])
            #expect(run.status == 1, "\(name) was accepted")
        }
    }

    @Test("The report schema refuses broken reports: each mutation is caught")
    func reportSchemaRefuses() throws {
        try ImportWritingTests.withScratch { folder in
            let golden = try String(
                contentsOf: CLI.root.appendingPathComponent("Fixtures/expected/membership-site/migration-report.json"), encoding: .utf8)
            let mutations = [
                ("format-version", golden.replacing("\"formatVersion\": 2", with: "\"formatVersion\": 1")),
                ("short-digest", golden.replacing(#/"sha256": "[0-9a-f]{64}"/#, with: "\"sha256\": \"abc\"")),
                ("bad-outcome", golden.replacing("\"outcome\": \"exact\"", with: "\"outcome\": \"close enough\"")),
                ("bad-kind", golden.replacing("\"kind\": \"slot\"", with: "\"kind\": \"gadget\"")),
                ("no-outline", golden.replacing("\"outline\": [", with: "\"outlines\": [")),
                ("bad-workflow-id", golden.replacing("\"slot.on-login\"", with: "\"slot on login\"")),
            ]
            for (name, text) in mutations {
                #expect(text != golden, "\(name) changed nothing")
                let file = folder.appendingPathComponent("\(name).json")
                try text.write(to: file, atomically: true, encoding: .utf8)
                let run = try Self.checkJSON(["--schema", "Docs/migration-report.schema.json", file.path])
                #expect(run.status == 1, "\(name) was accepted")
            }
        }
    }

    @Test("Every example event validates against Docs/events.schema.json, one of every type")
    func examplesValidate() throws {
        let run = try Self.checkJSON(["--schema", "Docs/events.schema.json", "Fixtures/events/examples.jsonl"])
        #expect(run.status == 0, "\(run.output)")
        let lines = try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/events/examples.jsonl"), encoding: .utf8)
        for type in EventType.all {
            #expect(lines.contains("\"type\":\"\(type.rawValue)\""), "no example of \(type)")
        }
    }

    @Test("The dunning events (card.network, payment.adviceCode, card on failed payments) validate: Fixtures/events/dunning.jsonl")
    func dunningEventsValidate() throws {
        let run = try Self.checkJSON(["--schema", "Docs/events.schema.json", "Fixtures/events/dunning.jsonl"])
        #expect(run.status == 0, "\(run.output)")
    }

    @Test("Every value at its documented maximum validates (Fixtures/events/limits.jsonl); one past it is refused (invalid/)")
    func limitsValidate() throws {
        let run = try Self.checkJSON(["--schema", "Docs/events.schema.json", "Fixtures/events/limits.jsonl"])
        #expect(run.status == 0, "\(run.output)")
    }

    @Test("Every invalid event is refused with an error at the JSON path its manifest gives")
    func invalidEventsRefused() throws {
        let run = try Self.checkJSON(["--schema", "Docs/events.schema.json", "--invalid", "Fixtures/events/invalid/manifest.json"])
        #expect(run.status == 0, "\(run.output)")
    }

    @Test("Canonical text is byte for byte what Python writes, for awkward strings and keys")
    func canonicalMatchesPython() throws {
        try ImportWritingTests.withScratch { folder in try Self.matchesPython(in: folder) }
    }

    static func matchesPython(in folder: URL) throws {
        let awkward = ["", "\"", "\\", "\u{0}\u{1}\u{1F}\u{7F}", "\n\r\t\u{08}\u{0C}", "é", "e\u{301}", "€😀", "\u{2028}", "</script>", "~Contact.FirstName~"]
        var object: [String: JSONValue] = [:]
        for (index, text) in awkward.enumerated() { object[text + "\(index)"] = .array([.string(text), .integer(-index), .bool(index % 2 == 0), .null]) }
        let value = JSONValue.object(["Z": .object(object), "a": .object([:]), "ä": .array([]), "B": .integer(Int.max)])
        let file = folder.appendingPathComponent("awkward.json")
        try Data(value.canonicalText.utf8).write(to: file)
        try Data("{}".utf8).write(to: folder.appendingPathComponent("any.schema.json"))
        let run = try checkJSON(["--schema", folder.appendingPathComponent("any.schema.json").path, "--canonical", file.path])
        #expect(run.status == 0, "\(run.output)")
    }
}

@Suite("Docs: the field list is one list")
struct FieldListTests {
    @Test("The workflow schema's fields are exactly those of Docs/events.md, 'Fields'")
    func schemaMatchesEventsDoc() throws {
        let schemaData = try Data(contentsOf: CLI.root.appendingPathComponent("Docs/workflow-format.schema.json"))
        let schema = try #require(JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        let fieldName = try #require(defs["fieldName"] as? [String: Any])
        let choices = try #require(fieldName["anyOf"] as? [[String: Any]])
        let schemaFields = Set(try #require(choices.compactMap { $0["enum"] as? [String] }.first))

        let doc = try String(contentsOf: CLI.root.appendingPathComponent("Docs/events.md"), encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "\n## Fields\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        let docFields = Set(
            section.split(separator: "\n").filter { $0.hasPrefix("| `") }.compactMap { line in
                line.split(separator: "`").dropFirst().first.map(String.init)
            })
        #expect(docFields.subtracting(["contact.fields.<Name>"]) == schemaFields)
    }
}
