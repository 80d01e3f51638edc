import CommandLineTesting
import Foundation
import PurchaseActions
import Testing

/// Issue 12, item 5: `WorkflowValidation` reads every file of a migration folder (or workflow files),
/// reports every problem with its file, line and JSON path, and bounds what it keeps.
@Suite("Validating workflows: the schema and every cross-reference")
struct WorkflowValidationTests {
    static let root = BuiltProducts.root.path
    static let broken = root + "/Fixtures/workflows/broken-migration"

    static func withScratch(_ body: (String) throws -> Void) throws {
        let folder = try BuiltProducts.scratch("pa-validate")
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder.path)
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A published workflow with a manual trigger (unless `triggers` says otherwise) and `steps` (JSON text).
    static func workflow(_ id: String, steps: String = #"[{"id":"end","type":"exit"}]"#, triggers: String = #"[{"id":"run","event":"manual","filters":[]}]"#, status: String = "published") -> String {
        """
        {
          "formatVersion": 1,
          "id": "\(id)",
          "name": "\(id)",
          "priority": 0,
          "settings": {"accountTimezone": "UTC", "allowReentry": true, "onePerOrder": false, "stopOnResponse": false, "timezone": "account"},
          "status": "\(status)",
          "steps": \(steps),
          "triggers": \(triggers),
          "version": 1
        }
        """
    }

    struct Expected: Decodable, Equatable, CustomStringConvertible {
        var file: String
        var line: Int?
        var path: String?
        var code: String
        var description: String { "\(file):\(line.map(String.init) ?? "-"): [\(code)] \(path ?? "")" }
    }

    @Test("The broken migration fixture: each kind of broken reference found at its file, line and JSON path (manifest.json), none missed, none extra")
    func brokenMigration() throws {
        struct Manifest: Decodable { var problems: [Expected] }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: Self.broken + "/manifest.json")))
        let report = try WorkflowValidation().validate([Self.broken])
        let found = report.problems.map { problem in
            Expected(file: String(problem.file.dropFirst(Self.broken.count + 1)), line: problem.line, path: problem.jsonPath.description, code: problem.code.rawValue)
        }
        #expect(found == manifest.problems)
        #expect(report.errors == 17 && report.warnings == 3 && report.omitted == 0)
        // Every kind of broken reference is there at least once.
        let references: [ValidationProblem.Code] = [
            .unknownWorkflow, .unknownTemplate, .templateTypeMismatch, .unknownField, .unknownTag, .unknownProduct, .unknownPlan, .unknownUser,
            .unknownBundle, .unknownPaymentPlan, .callsDraft, .unreachableWorkflow, .unusedTemplate,
        ]
        for code in references { #expect(report.counts[code, default: 0] >= 1, "\(code)") }
        // Every problem in a file's content has a line and a path (a syntax error: a line and column).
        for problem in report.problems {
            #expect(problem.line != nil, "\(problem)")
            #expect(problem.jsonPath.description.hasPrefix("$"), "\(problem)")
        }
    }

    @Test("Each golden output folder under Fixtures/expected validates with no error")
    func goldensAreClean() throws {
        let expected = Self.root + "/Fixtures/expected"
        let names = try FileManager.default.contentsOfDirectory(atPath: expected).sorted().filter {
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: expected + "/" + $0 + "/workflows", isDirectory: &folder) && folder.boolValue
        }
        #expect(!names.isEmpty)
        for name in names {
            let report = try WorkflowValidation().validate([expected + "/" + name])
            #expect(report.errors == 0, "\(name): \(report.problems.map(\.description))")
            #expect(report.workflowFiles > 0)
        }
    }

    @Test("Problems past maxProblems are counted, not kept; the summary says how many were left out")
    func bounded() throws {
        let report = try WorkflowValidation(maxProblems: 3).validate([Self.broken])
        #expect(report.problems.count == 3)
        #expect(report.errors + report.warnings == 20 && report.omitted == 17)
        #expect(report.summary.hasPrefix("17 errors, 3 warnings in 6 workflow files (4 templates, account.json); 17 more not shown (all: calls-draft 1,"))
        let all = try WorkflowValidation(maxProblems: 20).validate([Self.broken])
        #expect(all.omitted == 0 && !all.summary.contains("not shown"))
    }

    @Test("Workflow files given together are one set: a call from one file to another resolves; one to a file not given does not")
    func bareFiles() throws {
        try Self.withScratch { folder in
            let calls = #"[{"id":"a","type":"call","workflow":"two"},{"id":"b","type":"enroll","workflow":"three"}]"#
            try Self.write(Self.workflow("one", steps: calls), to: folder + "/a/one.json")
            try Self.write(Self.workflow("two"), to: folder + "/b/two.json")
            let report = try WorkflowValidation().validate([folder + "/a/one.json", folder + "/b"])
            #expect(report.problems.map(\.code) == [.unknownWorkflow])
            #expect(report.problems.first?.description == "\(folder)/a/one.json:8: error: enroll of workflow 'three', which is not among the workflows validated (no three.json) [unknown-workflow] (at $.steps[1].workflow)")
            // Apart, the call to 'two' is broken too.
            let alone = try WorkflowValidation().validate([folder + "/a/one.json"])
            #expect(alone.counts[.unknownWorkflow] == 2)
        }
    }

    @Test("Two output folders are checked apart: a call into the other folder is unknown")
    func migrationsApart() throws {
        try Self.withScratch { folder in
            try Self.write(Self.workflow("one", steps: #"[{"id":"a","type":"call","workflow":"two"}]"#), to: folder + "/m1/workflows/one.json")
            try Self.write(Self.workflow("two"), to: folder + "/m2/workflows/two.json")
            let report = try WorkflowValidation().validate([folder + "/m1", folder + "/m2"])
            #expect(report.problems.map(\.code) == [.unknownWorkflow])
            #expect(report.workflowFiles == 2)
        }
    }

    @Test("Without account.json: custom fields (_Name) are not checked, a misspelt standard field is; tags, users and products are not")
    func withoutAccount() throws {
        try Self.withScratch { folder in
            let steps = #"[{"id":"f","type":"action","action":{"type":"update-field","field":"_Anything","value":"x"}},{"id":"g","type":"action","action":{"type":"update-field","field":"Emial","value":"x"}},{"id":"t","type":"action","action":{"type":"add-tag","tag":"tag-anything"}}]"#
            let triggers = #"[{"id":"t","event":"payment.succeeded","filters":[{"field":"contact.fields.FirstName","op":"is-not-empty"},{"field":"order.products","op":"contains","value":"p-any"}]}]"#
            try Self.write(Self.workflow("w", steps: steps, triggers: triggers), to: folder + "/w.json")
            let report = try WorkflowValidation().validate([folder])
            #expect(report.problems.map(\.code) == [.unknownField])
            #expect(report.problems.first?.jsonPath.description == "$.steps[1].action.field")
        }
    }

    @Test("Conditions name catalogue ids in lists too: each unknown one at its own index; starts-with is not an id")
    func conditionLists() throws {
        try Self.withScratch { folder in
            try FileManager.default.copyItem(atPath: Self.root + "/Fixtures/expected/membership-site/account.json", toPath: folder + "/account.json")
            let triggers = #"[{"id":"t","event":"payment.succeeded","filters":[{"any":[{"field":"order.subscriptionPlans","op":"in","value":["plan-monthly","plan-b"]},{"not":{"field":"contact.tags","op":"starts-with","value":"tag-"}}]}]}]"#
            try Self.write(Self.workflow("w", triggers: triggers), to: folder + "/workflows/w.json")
            let report = try WorkflowValidation().validate([folder])
            #expect(report.problems.map(\.code) == [.unknownPlan])
            #expect(report.problems.first?.jsonPath.description == "$.triggers[0].filters[0].any[0].value[1]")
            #expect(report.problems.first?.line == 9)
        }
    }

    @Test("A bad account.json is one error with its line; the workflows are still checked (without the catalogue)")
    func badAccount() throws {
        try Self.withScratch { folder in
            // membership-site's account.json with its tags as an array instead of an object by id.
            var account = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.root + "/Fixtures/expected/membership-site/account.json"))) as? [String: Any])
            var catalogue = try #require(account["catalogue"] as? [String: Any])
            catalogue["tags"] = [Any]()
            account["catalogue"] = catalogue
            try JSONSerialization.data(withJSONObject: account, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: folder + "/account.json"))
            try Self.write(Self.workflow("w", steps: #"[{"id":"c","type":"call","workflow":"gone"}]"#), to: folder + "/workflows/w.json")
            let report = try WorkflowValidation().validate([folder])
            #expect(report.problems.map(\.code) == [.invalidAccount, .unknownWorkflow])
            #expect(report.problems.first?.jsonPath.description == "$.catalogue.tags")
        }
    }

    @Test("A workflow file one byte past the maximum is a limit-exceeded problem, at the maximum it is read; more files than the maximum too")
    func limits() throws {
        try Self.withScratch { folder in
            let text = Self.workflow("w")
            try Self.write(text, to: folder + "/w.json")
            let size = text.utf8.count
            let at = try WorkflowValidation(limits: WorkflowFolderLimits(fileBytes: size)).validate([folder])
            #expect(at.errors == 0 && at.workflowFiles == 1)
            let past = try WorkflowValidation(limits: WorkflowFolderLimits(fileBytes: size - 1)).validate([folder])
            #expect(past.problems.map(\.code) == [.limitExceeded] && past.workflowFiles == 0)
            try Self.write(Self.workflow("v"), to: folder + "/v.json")
            let many = try WorkflowValidation(limits: WorkflowFolderLimits(files: 1)).validate([folder])
            #expect(many.problems.map(\.code) == [.limitExceeded])
            #expect(many.problems.first?.message.contains("more than 1 workflow files") == true)
        }
    }

    @Test("A folder with no workflow file, and a folder named *.json inside one, are problems; a missing path given is thrown")
    func emptyAndMissing() throws {
        try Self.withScratch { folder in
            try FileManager.default.createDirectory(atPath: folder + "/empty", withIntermediateDirectories: true)
            #expect(try WorkflowValidation().validate([folder + "/empty"]).problems.map(\.code) == [.noWorkflows])
            try FileManager.default.createDirectory(atPath: folder + "/odd/x.json", withIntermediateDirectories: true)
            #expect(try WorkflowValidation().validate([folder + "/odd"]).problems.map(\.code) == [.unreadable])
            #expect(throws: LoadError.self) { try WorkflowValidation().validate([folder + "/nothing-here"]) }
        }
    }

    @Test("File names and quoted values never print a raw control character")
    func controlCharacters() throws {
        try Self.withScratch { folder in
            try Self.write(#"{"formatVersion": 1, "id": "x\u001b[31m"}"#, to: folder + "/bad\u{1B}[2J\n.json")
            let report = try WorkflowValidation().validate([folder])
            #expect(report.errors == 1)
            let line = try #require(report.problems.first).description
            #expect(!line.unicodeScalars.contains { DisplayText.isControl($0) })
            #expect(line.contains(#"bad\u{1B}[2J\n.json:1: error: "#))
        }
    }

    @Test("A template of another type, a complete-tasks naming an email template, and an action with no template member left out: each at its path")
    func templates() throws {
        try Self.withScratch { folder in
            try Self.write(#"{"formatVersion":1,"id":"tpl-mail","kind":"email","name":"Mail","action":{"type":"send-email","to":{"type":"contact"},"from":{"name":"Shop","address":"shop@example.com"},"subject":"Hi","text":"Hello"}}"#, to: folder + "/templates/tpl-mail.json")
            try Self.write(#"{"formatVersion":1,"id":"tpl-task","kind":"task","name":"Task","action":{"type":"create-task","title":"Call"}}"#, to: folder + "/templates/tpl-task.json")
            let steps = #"[{"id":"m","type":"action","action":{"template":"tpl-mail"}},{"id":"k","type":"action","action":{"type":"complete-tasks","template":"tpl-task"}},{"id":"x","type":"action","action":{"type":"complete-tasks","template":"tpl-mail"}},{"id":"s","type":"action","action":{"type":"send-email","template":"tpl-mail","subject":"Own subject"}}]"#
            try Self.write(Self.workflow("w", steps: steps), to: folder + "/workflows/w.json")
            let report = try WorkflowValidation().validate([folder])
            #expect(report.problems.map(\.code) == [.templateTypeMismatch])
            #expect(report.problems.first?.jsonPath.description == "$.steps[2].action.template")
            #expect(report.templateFiles == 2)
        }
    }

    @Test("A reference a template gives (not in the workflow file) is at the line of the action naming the template")
    func lineOfTemplateMember() throws {
        try Self.withScratch { folder in
            try FileManager.default.copyItem(atPath: Self.root + "/Fixtures/expected/membership-site/account.json", toPath: folder + "/account.json")
            try Self.write(#"{"formatVersion":1,"id":"tpl-staff","kind":"email","name":"Staff","action":{"type":"send-email","to":{"type":"user","user":"user-ghost"},"from":{"name":"Shop","address":"shop@example.com"},"subject":"Hi","text":"Hello"}}"#, to: folder + "/templates/tpl-staff.json")
            let steps = """
                [
                  {"id": "m", "type": "action",
                   "action": {"template": "tpl-staff"}}
                ]
                """
            try Self.write(Self.workflow("w", steps: steps), to: folder + "/workflows/w.json")
            let report = try WorkflowValidation().validate([folder])
            #expect(report.problems.map(\.code) == [.unknownUser])
            #expect(report.problems.first?.jsonPath.description == "$.steps[0].action.to.user")
            #expect(report.problems.first?.line == 10)  // "action": {"template": "tpl-staff"}
        }
    }

    @Test("A path given twice is read once; an export given by mistake is named as one")
    func givenTwiceAndExport() throws {
        let golden = Self.root + "/Fixtures/expected/course-creator"
        let twice = try WorkflowValidation().validate([golden, golden])
        #expect(twice.errors == 0 && twice.workflowFiles == 11)
        let export = try WorkflowValidation().validate([Self.root + "/Fixtures/exports/course-creator.xml"])
        #expect(export.problems.map(\.code) == [.invalidJSON])
        #expect(export.problems.first?.message.hasSuffix("(an export is checked with import-actions --check, or run with simulate --export)") == true)
    }

    @Test("maxProblems at the count keeps all, one below leaves one out")
    func maxProblemsEdge() throws {
        #expect(try WorkflowValidation(maxProblems: 20).validate([Self.broken]).omitted == 0)
        let below = try WorkflowValidation(maxProblems: 19).validate([Self.broken])
        #expect(below.omitted == 1 && below.problems.count == 19)
    }

    @Test("templates/ past its most files, a template file past its most bytes, account.json past its most bytes: limit-exceeded, the rest still checked")
    func migrationLimits() throws {
        let golden = Self.root + "/Fixtures/expected/course-creator"
        let few = try WorkflowValidation(limits: WorkflowFolderLimits(templates: 7)).validate([golden])
        #expect(few.errors == 0)
        let one = try WorkflowValidation(limits: WorkflowFolderLimits(templates: 6)).validate([golden])
        #expect(one.problems.first?.code == .limitExceeded)
        #expect(one.problems.first?.message.contains("more than 6 template files") == true)
        let small = try WorkflowValidation(limits: WorkflowFolderLimits(templateFileBytes: 10, accountFileBytes: 10)).validate([golden])
        // Only the files past the limits: the actions naming those templates are not reported again.
        #expect(small.problems.map(\.code) == Array(repeating: .limitExceeded, count: 8))
        #expect(small.workflowFiles == 11)
    }

    @Test("A workflow calling itself is a warning (over-budget) at its id, as simulate warns; a draft one is not (nor its call of a draft)")
    func overBudget() throws {
        try Self.withScratch { folder in
            let loop = #"[{"id":"c1","type":"call","workflow":"loop"},{"id":"c2","type":"call","workflow":"loop"}]"#
            try Self.write(Self.workflow("loop", steps: loop), to: folder + "/loop.json")
            try Self.write(Self.workflow("draft-loop", steps: #"[{"id":"c","type":"call","workflow":"draft-loop"}]"#, status: "draft"), to: folder + "/draft-loop.json")
            try Self.write(Self.workflow("fine", steps: #"[{"id":"c","type":"call","workflow":"loop"}]"#, status: "draft"), to: folder + "/fine.json")
            let report = try WorkflowValidation().validate([folder])
            #expect(report.problems.map(\.code) == [.overBudget])
            let warning = try #require(report.problems.last)
            #expect(warning.file == folder + "/loop.json" && warning.line == 3 && warning.jsonPath.description == "$.id")
            #expect(warning.message.contains("without end (a cycle of calls or enroll steps): more than the 10000 the engine runs for one event"))
        }
    }
}
