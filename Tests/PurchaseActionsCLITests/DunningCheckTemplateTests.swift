import CommandLineTesting
import Foundation
import Testing

/// `purchase-actions dunning check` sees what publish refuses and what the worker ignores: an
/// email template missing from the folder (`missing-template`), a tag that is not a tag id
/// (`invalid-tag-id`); each an error with its JSON path, exit 65 (Docs/dunning.md, "Checks").
@Suite("purchase-actions dunning check: templates and tag ids")
struct DunningCheckTemplateTests {
    static let email = #"{"formatVersion":1,"id":"dunning-reminder","kind":"email","name":"Reminder","action":{"type":"send-email","from":{"address":"billing@example.com","name":"Billing"},"subject":"Your payment failed","text":"Please update your card."}}"#
    static let task = #"{"formatVersion":1,"id":"dunning-reminder","kind":"task","name":"Call","action":{"type":"create-task","title":"Call"}}"#

    static func policy(tag: String = "tag-past-due", condition: String = "vip") -> String {
        """
        format: 1
        id: p
        name: P
        stages:
          - {id: s1, name: Reminder, when: {all: [{attemptsFailed: 1}, {notTag: \(condition)}]}, actions: [{type: email, template: dunning-reminder}]}
        recovered: [{type: remove-tag, tag: "\(tag)"}]
        """
    }

    /// Writes `files` (path → text) under a scratch folder and runs `body` with it.
    static func withFolder(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let folder = try BuiltProducts.scratch("pa-dunning-check")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try body(folder.path)
    }

    @Test("An output folder whose templates/ lacks the email's template: exit 65 with the JSON path; with it, 0")
    func missingTemplate() throws {
        try Self.withFolder(["out/dunning-policy.yaml": Self.policy(), "out/templates/other.json": Self.email.replacingOccurrences(of: "\"dunning-reminder\"", with: "\"other\"")]) { folder in
            let result = try BuiltProducts.run("purchase-actions", ["dunning", "check", folder + "/out"])
            #expect(result.status == 65, "\(result.output) \(result.errors)")
            #expect(result.errors.contains("error: $.stages[0].actions[0].template:") && result.errors.contains("(missing-template)"), "\(result.errors)")
            // The same file alone, with its templates/ beside it: checked too.
            let alone = try BuiltProducts.run("purchase-actions", ["dunning", "check", folder + "/out/dunning-policy.yaml", "--json"])
            #expect(alone.status == 65)
            let object = try JSONSerialization.jsonObject(with: Data(alone.output.utf8)) as? [String: Any]
            let errors = object?["errors"] as? [[String: Any]]
            #expect(errors?.first?["code"] as? String == "missing-template" && errors?.first?["path"] as? String == "$.stages[0].actions[0].template", "\(alone.output)")
        }
        try Self.withFolder(["out/dunning-policy.yaml": Self.policy(), "out/templates/dunning-reminder.json": Self.email]) { folder in
            let result = try BuiltProducts.run("purchase-actions", ["dunning", "check", folder + "/out"])
            #expect(result.status == 0, "\(result.output) \(result.errors)")
            #expect(result.output.contains("email templates checked against"), "\(result.output)")
        }
    }

    @Test("--templates DIR: a templates folder itself; a task template named by an email is invalid-template")
    func templatesOption() throws {
        try Self.withFolder(["p.yaml": Self.policy(), "tpl/dunning-reminder.json": Self.task]) { folder in
            let result = try BuiltProducts.run("purchase-actions", ["dunning", "check", folder + "/p.yaml", "--templates", folder + "/tpl"])
            #expect(result.status == 65)
            #expect(result.errors.contains("(invalid-template)"), "\(result.errors)")
            // Without templates: not checked, said so, exit 0.
            let unchecked = try BuiltProducts.run("purchase-actions", ["dunning", "check", folder + "/p.yaml"])
            #expect(unchecked.status == 0, "\(unchecked.errors)")
            #expect(unchecked.output.contains("email templates not checked"), "\(unchecked.output)")
            let missing = try BuiltProducts.run("purchase-actions", ["dunning", "check", folder + "/p.yaml", "--templates", folder + "/nothing"])
            #expect(missing.status == 66, "\(missing.errors)")
        }
    }

    @Test("A tag that is not a tag id, in an action or a condition: invalid-tag-id with its path, exit 65", arguments: [
        ("past due", "vip", "$.recovered[0].tag"), ("tag-past-due", "-vip", "$.stages[0].when.all[1].notTag"), ("_x", "vip", "$.recovered[0].tag"),
    ])
    func invalidTag(tag: String, condition: String, path: String) throws {
        try Self.withFolder(["p.yaml": Self.policy(tag: tag, condition: condition)]) { folder in
            let result = try BuiltProducts.run("purchase-actions", ["dunning", "check", folder + "/p.yaml"])
            #expect(result.status == 65, "\(result.errors)")
            #expect(result.errors.contains("error: \(path):") && result.errors.contains("(invalid-tag-id)"), "\(result.errors)")
        }
        // 128 characters is a tag id.
        try Self.withFolder(["p.yaml": Self.policy(tag: String(repeating: "t", count: 128))]) { folder in
            let result = try BuiltProducts.run("purchase-actions", ["dunning", "check", folder + "/p.yaml"])
            #expect(result.status == 0, "\(result.errors)")
        }
    }
}
