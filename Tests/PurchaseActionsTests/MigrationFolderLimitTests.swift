import Foundation
import PurchaseActions
import Testing

/// The limits of a migration folder's `templates/` and `account.json`, one past each: refused
/// before anything past the limit is read, and nothing reported that was not checked.
@Suite("Migration folder limits")
struct MigrationFolderLimitTests {
    static let golden = LoadingAutomationTests.root + "/Fixtures/expected/course-creator"

    @Test("templates/ one file past its limit: limit-exceeded saying the templates named were not checked, and no unknown-template")
    func templatesOverLimit() throws {
        let report = try WorkflowValidation(limits: WorkflowFolderLimits(templates: 6)).validate([Self.golden])
        #expect(report.problems.map(\.code) == [.limitExceeded], "\(report.problems)")
        #expect(report.counts[.unknownTemplate] == nil && report.counts[.unusedTemplate] == nil)
        #expect(report.problems.first?.message.hasSuffix("none was read, so the templates the workflows name were not checked") == true)
        #expect(report.templateFiles == 0 && report.workflowFiles == 11)
        let fits = try WorkflowValidation(limits: WorkflowFolderLimits(templates: 7)).validate([Self.golden])
        #expect(fits.errors == 0 && fits.templateFiles == 7)
    }

    @Test("templates that is not a folder: one problem, the templates named not reported unknown")
    func templatesNotAFolder() throws {
        try LoadingAutomationTests.withScratch { folder in
            try LoadingMigrationFolderTests.copyMigration("course-creator", to: folder)
            try FileManager.default.removeItem(atPath: folder + "/templates")
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: folder + "/templates"))
            let report = try WorkflowValidation().validate([folder])
            #expect(report.problems.map(\.code) == [.invalidTemplate], "\(report.problems)")
        }
    }

    @Test("account.json one byte past its default limit (sparse): refused from its size, without reading it")
    func accountPastDefault() throws {
        try LoadingAutomationTests.withScratch { folder in
            try LoadingMigrationFolderTests.copyMigration("course-creator", to: folder)
            let path = folder + "/account.json"
            #expect(truncate(path, off_t(WorkflowLimits.accountFileBytes + 1)) == 0)
            let error = try #require(LoadingMigrationFolderTests.error { _ = try Automation(folder: folder) })
            #expect(error.code == .limitExceeded && error.file == path)
            #expect(error.message == "the file is larger than \(WorkflowLimits.accountFileBytes) bytes, the most account.json may hold (Docs/workflow-format.md, \"Limits\")")
            let report = try WorkflowValidation().validate([folder])
            #expect(report.problems.map(\.code) == [.limitExceeded], "\(report.problems)")
            #expect(report.accountFiles == 0)
        }
    }

    @Test("The default account.json limit is 160 MiB")
    func accountLimit() {
        #expect(WorkflowLimits.accountFileBytes == 160 * 1024 * 1024)
    }
}
