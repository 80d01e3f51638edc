import CommandLineTesting
import Foundation
@testable import PurchaseActions
import Testing

/// Review of issue 12: `validate` finds a migration's templates and account from a file inside its
/// `workflows/` folder however the path is written (`.`, `..`, a symbolic link), and says a file
/// that is not UTF-8 text is not, with the offset of the first bad byte.
@Suite("Validating workflows: paths inside a migration, and files that are not UTF-8 text")
struct ValidationPathTests {
    /// A migration folder `m` with one template and two workflows, one sending it and one calling
    /// the other: checked alone, a file of it needs the templates and its sibling's name.
    static func migration(in scratch: String) throws -> String {
        let folder = scratch + "/m"
        let template = """
            {"action": {"from": {"address": "shop@example.com", "name": "Shop"}, "subject": "Hi", "text": "Hello", "type": "send-email"},
             "formatVersion": 1, "id": "tpl-a", "kind": "email", "name": "A"}
            """
        try WorkflowValidationTests.write(template, to: folder + "/templates/tpl-a.json")
        let send = #"[{"id":"mail","type":"action","action":{"template":"tpl-a","to":{"type":"contact"}}},{"id":"call","type":"call","workflow":"b"}]"#
        try WorkflowValidationTests.write(WorkflowValidationTests.workflow("a", steps: send), to: folder + "/workflows/a.json")
        try WorkflowValidationTests.write(WorkflowValidationTests.workflow("b"), to: folder + "/workflows/b.json")
        return folder
    }

    @Test("A file of a workflows/ folder named through `.`, `..` or a symbolic link is checked with the migration's templates: no error")
    func pathsIntoWorkflows() throws {
        try WorkflowValidationTests.withScratch { scratch in
            let folder = try Self.migration(in: scratch)
            // As written, the path says workflows/: the templates are found (the case that worked).
            let plain = try WorkflowValidation().validate([folder + "/workflows/a.json"])
            #expect(plain.errors == 0 && plain.templateFiles == 1, "\(plain.problems)")
            try FileManager.default.createSymbolicLink(atPath: scratch + "/link", withDestinationPath: folder + "/workflows")
            for path in [folder + "/workflows/./a.json", folder + "/workflows/../workflows/./a.json", scratch + "/link/a.json", scratch + "/link/./a.json"] {
                let report = try WorkflowValidation().validate([path])
                #expect(report.errors == 0 && report.warnings == 0, "\(path): \(report.problems)")
                #expect(report.templateFiles == 1, "\(path): the templates were not found")
            }
            // The folder itself given as `workflows/.` and through the link.
            for path in [folder + "/workflows/.", scratch + "/link", scratch + "/link/"] {
                let report = try WorkflowValidation().validate([path])
                #expect(report.errors == 0 && report.workflowFiles == 2 && report.templateFiles == 1, "\(path): \(report.problems)")
            }
            // The same file through two paths is one group with one set of templates.
            let both = try WorkflowValidation().validate([folder + "/workflows/a.json", scratch + "/link/b.json"])
            #expect(both.errors == 0 && both.workflowFiles == 2 && both.templateFiles == 1, "\(both.problems)")
        }
    }

    @Test("simulate's loader finds the migration of a workflows/ folder named through `.` or a symbolic link, as validate does")
    func loaderPathsIntoWorkflows() throws {
        try WorkflowValidationTests.withScratch { scratch in
            let folder = try Self.migration(in: scratch)
            try FileManager.default.createSymbolicLink(atPath: scratch + "/link", withDestinationPath: folder + "/workflows")
            for path in [folder + "/workflows", folder + "/workflows/.", scratch + "/link", scratch + "/link/"] {
                let loaded = try LoadedAutomation(folder: path)
                #expect(loaded.templates.count == 1, "\(path): the templates were not found")
                #expect(loaded.automation.workflows.count == 2, "\(path)")
            }
        }
    }

    @Test("A folder whose real name is not workflows, or with neither templates/ nor account.json beside it, is bare workflows (before and after)")
    func notAMigration() throws {
        try WorkflowValidationTests.withScratch { scratch in
            let folder = try Self.migration(in: scratch)
            try FileManager.default.moveItem(atPath: folder + "/workflows", toPath: folder + "/flows")
            try FileManager.default.createSymbolicLink(atPath: scratch + "/workflows", withDestinationPath: folder + "/flows")
            // `flows/.` is not a workflows folder: tpl-a is unknown there.
            let report = try WorkflowValidation().validate([folder + "/flows/./a.json"])
            #expect(report.templateFiles == 0)
            #expect(report.errors == 1 && report.problems.contains { $0.message.contains("names template 'tpl-a', which is not in templates/") }, "\(report.problems)")
            // Through a link named workflows, whose real folder is flows/ with no templates/ beside it.
            let linked = try WorkflowValidation().validate([scratch + "/workflows/a.json"])
            #expect(linked.templateFiles == 0 && linked.errors == 1, "\(linked.problems)")
        }
    }

    @Test("purchase-actions validate run inside workflows/: `x.json` and `.` find the templates", .serialized, arguments: [["a.json"], ["."], ["a.json", "b.json"]])
    func insideWorkflowsFolder(arguments: [String]) throws {
        try WorkflowValidationTests.withScratch { scratch in
            let folder = try Self.migration(in: scratch)
            let result = try BuiltProducts.run("purchase-actions", ["validate", "--strict"] + arguments, in: URL(fileURLWithPath: folder + "/workflows"))
            #expect(result.status == 0, "\(arguments): \(result.errors)")
            #expect(result.output.contains("(1 template"), "\(arguments): \(result.output)")
        }
    }

    @Test("A file of 0xFF bytes is not UTF-8 text: the offset, line and column of the first bad byte, not 'expected a JSON value'")
    func notUTF8() throws {
        try WorkflowValidationTests.withScratch { scratch in
            try Data(repeating: 0xFF, count: 64).write(to: URL(fileURLWithPath: scratch + "/ff.json"))
            let report = try WorkflowValidation().validate([scratch + "/ff.json"])
            let problem = try #require(report.problems.first)
            #expect(report.problems.count == 1 && problem.code == .invalidJSON)
            #expect(problem.message.hasPrefix("the file is not UTF-8 text: byte 0xFF at offset 0 does not begin or continue a UTF-8 character"), "\(problem.message)")
            #expect(problem.line == 1 && problem.column == 1)
            #expect(!problem.message.contains("expected a JSON value"))
        }
    }

    @Test("The Latin-1 fixture (Fixtures/workflows/encoding/latin1.json): its é is byte 0xE9 at line 4, offset and column counted in bytes")
    func latin1Fixture() throws {
        let file = WorkflowValidationTests.root + "/Fixtures/workflows/encoding/latin1.json"
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let offset = try #require(bytes.firstIndex(of: 0xE9))
        let report = try WorkflowValidation().validate([file])
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1 && problem.code == .invalidJSON)
        #expect(problem.message.hasPrefix("the file is not UTF-8 text: byte 0xE9 at offset \(offset) "), "\(problem.message)")
        #expect(problem.line == 4 && problem.column == 15, "\(problem)")
    }

    @Test("Bad UTF-8 anywhere: a lone continuation byte, an overlong form, a surrogate, past U+10FFFF, a cut sequence; good text passes", arguments: [
        ([0x7B, 0x80, 0x7D], 1), ([0x22, 0xC0, 0xAF, 0x22], 1), ([0x22, 0xED, 0xA0, 0x80, 0x22], 1), ([0x22, 0xF4, 0x90, 0x80, 0x80], 1),
        ([0x22, 0xC3, 0xA9, 0xE2, 0x82], 3), ([0x0A, 0x0A, 0x20, 0xFF], 3),
    ])
    func badSequences(bytes: [UInt8], offset: Int) throws {
        let found = try #require(WorkflowValidation.firstNonUTF8(bytes))
        #expect(found.offset == offset && found.byte == bytes[offset])
        let line = 1 + bytes[..<offset].filter { $0 == 0x0A }.count
        #expect(found.line == line)
        #expect(WorkflowValidation.firstNonUTF8(Array("{\"name\": \"Café ✓ 🚀\"}\n".utf8)) == nil)
        #expect(WorkflowValidation.firstNonUTF8([]) == nil)
    }

    @Test("A template or account.json that is not UTF-8 text: invalid-template / invalid-account with the offset")
    func notUTF8TemplateAndAccount() throws {
        try WorkflowValidationTests.withScratch { scratch in
            let folder = try Self.migration(in: scratch)
            try Data([0x7B, 0x0A, 0xFE, 0x7D]).write(to: URL(fileURLWithPath: folder + "/templates/tpl-a.json"))
            try Data([0xEF, 0xBB, 0xBF, 0x7B, 0xC0, 0x7D]).write(to: URL(fileURLWithPath: folder + "/account.json"))
            let report = try WorkflowValidation().validate([folder])
            let template = try #require(report.problems.first { $0.code == .invalidTemplate })
            #expect(template.message.contains("byte 0xFE at offset 2") && template.line == 2 && template.column == 1, "\(template)")
            let account = try #require(report.problems.first { $0.code == .invalidAccount })
            #expect(account.message.contains("byte 0xC0 at offset 4") && account.line == 1 && account.column == 5, "\(account)")
        }
    }
}
