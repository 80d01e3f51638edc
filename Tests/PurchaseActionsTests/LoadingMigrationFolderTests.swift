import Foundation
import PurchaseActions
import Testing

/// A migration folder (`workflows/`, `templates/`, `account.json`) read whole: the same automation
/// as the export, the account's profile and plans from `account.json`, each template file checked
/// and bounded, and a bare folder of workflow files still read as one.
@Suite("Loading a migration folder: templates and account.json")
struct LoadingMigrationFolderTests {
    static let root = LoadingAutomationTests.root
    static let names = ["course-creator", "membership-site", "physical-goods-store"]

    /// Copies the golden migration folder `name` into `folder` (a fresh scratch folder).
    static func copyMigration(_ name: String, to folder: String) throws {
        let source = root + "/Fixtures/expected/" + name
        for entry in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + entry, toPath: folder + "/" + entry)
        }
    }

    static func error(_ body: () throws -> Void) -> LoadError? { LoadErrorCapture.error(body) }

    @Test("Each golden folder gives the export's automation: workflows, products of plans and account profile", arguments: names)
    func sameAsExport(name: String) throws {
        let export = Self.root + "/Fixtures/exports/\(name).xml"
        let fromExport = try Automation(exportFile: export)
        let loaded = try LoadedAutomation(folder: Self.root + "/Fixtures/expected/" + name)
        #expect(loaded.automation.workflows.map(\.id).sorted() == fromExport.workflows.map(\.id).sorted())
        #expect(loaded.automation.productOfPlan == fromExport.productOfPlan)
        #expect(loaded.automation.account == fromExport.account)
        #expect(!loaded.templates.isEmpty)
        #expect(loaded.account != nil)
        // Every step is the export's (only the sources' file names differ: the goldens were written from a relative path).
        for (file, compiled) in zip(loaded.automation.workflows.sorted { $0.id < $1.id }, fromExport.workflows.sorted { $0.id < $1.id }) {
            #expect(file.steps.count == compiled.steps.count)
        }
    }

    @Test("AccountProfile(file) is the export's AccountProfile, and account.json reads back as the export's account", arguments: names)
    func profileFromFile(name: String) throws {
        let document = try ExportReader().read(file: "Fixtures/exports/\(name).xml".withRoot(Self.root))
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/Fixtures/expected/\(name)/account.json"))
        let file = try AccountFile.load([UInt8](data))
        #expect(AccountProfile(file) == AccountProfile(document.account))
        #expect(file.productOfPlan == document.account.catalogue.subscriptionPlans.mapValues(\.productID))
        #expect(file.settings.timezone == document.account.settings.timezone)
        #expect(file.catalogue.users.count == document.account.catalogue.users.count)
        #expect(file.catalogue.templates.isEmpty)
    }

    @Test("A bare folder of workflow files has no templates and no account; it still loads")
    func bareFolder() throws {
        let loaded = try LoadedAutomation(folder: Self.root + "/Fixtures/workflows/course-creator")
        #expect(loaded.templates.isEmpty && loaded.account == nil)
        #expect(loaded.automation.workflows.count == 11)
        #expect(loaded.automation.account == AccountProfile())
        let migration = try LoadedAutomation(folder: Self.root + "/Fixtures/expected/course-creator")
        #expect(loaded.automation.workflows == migration.automation.workflows)
    }

    @Test("A workflow naming a template templates/ lacks: the file, its line and the template member's path")
    func missingTemplate() throws {
        try LoadingAutomationTests.withScratch { folder in
            try Self.copyMigration("course-creator", to: folder)
            try FileManager.default.removeItem(atPath: folder + "/templates/tpl-welcome-basic.json")
            let error = try #require(Self.error { _ = try Automation(folder: folder) })
            #expect(error.code == .invalid)
            #expect(error.file == folder + "/workflows/action-set.as-basic.json")
            #expect(error.jsonPath?.description == "$.steps[2].action.template")
            #expect(error.line != nil)
            #expect(error.message.contains("template 'tpl-welcome-basic', which is not in templates/"))
        }
    }

    @Test("Hostile template files: misnamed, an id escaping the folder, a template naming a template, bad JSON, a folder, a pipe")
    func hostileTemplates() throws {
        try LoadingAutomationTests.withScratch { folder in
            try Self.copyMigration("physical-goods-store", to: folder)
            let templates = folder + "/templates/"
            let original = try String(contentsOfFile: templates + "tpl-order-thanks.json", encoding: .utf8)
            func expectError(_ file: String, _ text: String, _ path: String?, _ message: String) throws {
                try Data(text.utf8).write(to: URL(fileURLWithPath: templates + file))
                let error = try #require(Self.error { _ = try Automation(folder: folder) }, "\(file)")
                #expect(error.file == templates + file, "\(file)")
                #expect(error.jsonPath?.description == path, "\(file)")
                #expect(error.message.contains(message), "\(file): \(error.message)")
                try FileManager.default.removeItem(atPath: templates + file)
            }
            try FileManager.default.moveItem(atPath: templates + "tpl-order-thanks.json", toPath: folder + "/kept.json")
            try expectError("tpl-order-thanks.json", original.replacing("\"id\": \"tpl-order-thanks\"", with: "\"id\": \"tpl-other\""), "$.id", "must be named tpl-other.json")
            try expectError("tpl-order-thanks.json", original.replacing("\"id\": \"tpl-order-thanks\"", with: "\"id\": \"../../etc/passwd\""), "$.id", "is not a valid id")
            try expectError(
                "tpl-order-thanks.json", original.replacing("\"type\": \"send-email\"", with: "\"type\": \"send-email\", \"template\": \"tpl-x\""),
                "$.action.template", "does not name a template")
            try expectError("tpl-order-thanks.json", "{\n  \"formatVersion\": 1,\n", "$", "expected a member name")
            try FileManager.default.moveItem(atPath: folder + "/kept.json", toPath: templates + "tpl-order-thanks.json")
            // A folder or a pipe named like a template file: refused, never read or waited on.
            try FileManager.default.createDirectory(atPath: templates + "dir.json", withIntermediateDirectories: false)
            #expect(Self.error { _ = try Automation(folder: folder) }?.code == .wrongKind)
            try FileManager.default.removeItem(atPath: templates + "dir.json")
            #expect(mkfifo(templates + "pipe.json", 0o600) == 0)
            #expect(Self.error { _ = try Automation(folder: folder) }?.code == .wrongKind)
            try FileManager.default.removeItem(atPath: templates + "pipe.json")
            // templates as a file.
            try FileManager.default.moveItem(atPath: folder + "/templates", toPath: folder + "/templates-kept")
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/templates"))
            #expect(Self.error { _ = try Automation(folder: folder) }?.code == .wrongKind)
            try FileManager.default.removeItem(atPath: folder + "/templates")
            try FileManager.default.moveItem(atPath: folder + "/templates-kept", toPath: folder + "/templates")
            #expect(throws: Never.self) { try Automation(folder: folder) }
        }
    }

    @Test("Template files: one past the count or the size limit is refused before any is decoded; at the limits the folder loads")
    func templateLimits() throws {
        try LoadingAutomationTests.withScratch { folder in
            try Self.copyMigration("physical-goods-store", to: folder)
            let templates = try FileManager.default.contentsOfDirectory(atPath: folder + "/templates")
            let largest = try templates.map { name in
                (try FileManager.default.attributesOfItem(atPath: folder + "/templates/" + name)[.size] as? Int) ?? 0
            }.max() ?? 0
            #expect(throws: Never.self) {
                try Automation(folder: folder, limits: WorkflowFolderLimits(templateFileBytes: largest, templates: templates.count))
            }
            let count = try #require(Self.error { _ = try Automation(folder: folder, limits: WorkflowFolderLimits(templates: templates.count - 1)) })
            #expect(count.code == .limitExceeded)
            #expect(count.message.contains("more than \(templates.count - 1) template files"))
            let size = try #require(Self.error { _ = try Automation(folder: folder, limits: WorkflowFolderLimits(templateFileBytes: largest - 1)) })
            #expect(size.code == .limitExceeded)
            #expect(size.message == "the file is larger than \(largest - 1) bytes, the most a template file may hold (Docs/workflow-format.md, \"Limits\")")
        }
    }

    @Test("account.json: one byte past its limit is refused; a broken one names its path and line; a folder in its place is refused")
    func accountFile() throws {
        try LoadingAutomationTests.withScratch { folder in
            try Self.copyMigration("membership-site", to: folder)
            let path = folder + "/account.json"
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            #expect(throws: Never.self) { try Automation(folder: folder, limits: WorkflowFolderLimits(accountFileBytes: size)) }
            let tooLarge = try #require(Self.error { _ = try Automation(folder: folder, limits: WorkflowFolderLimits(accountFileBytes: size - 1)) })
            #expect(tooLarge.code == .limitExceeded && tooLarge.file == path)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for (old, new, jsonPath) in [
                ("\"currency\": \"AUD\",", "\"currency\": \"AUD\", \"colour\": 1,", "$.account.colour"),
                ("\"timezone\": \"Australia/Melbourne\"", "\"timezone\": \"../../etc\"", "$.account.timezone"),
                ("\"formatVersion\": 1", "\"formatVersion\": 2", "$.formatVersion"),
            ] {
                let broken = text.replacing(old, with: new)
                #expect(broken != text, "\(old)")
                try Data(broken.utf8).write(to: URL(fileURLWithPath: path))
                let error = try #require(Self.error { _ = try Automation(folder: folder) }, "\(old)")
                #expect(error.code == .invalid && error.file == path)
                #expect(error.jsonPath?.description == jsonPath)
                #expect(error.line != nil)
            }
            try FileManager.default.removeItem(atPath: path)
            #expect(try LoadedAutomation(folder: folder).account == nil, "account.json is read when present")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            #expect(Self.error { _ = try Automation(folder: folder) }?.code == .wrongKind)
        }
    }
}

extension String {
    fileprivate func withRoot(_ root: String) -> String { root + "/" + self }
}
