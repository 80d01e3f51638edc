// The sample of Docs/workflow-format.md, "The migration folder", compiled; MigrationFolderExampleTests runs it.
import PurchaseActions
import Testing

/// Reads an import's output folder whole and makes an engine of it.
func runMigrationFolder(start: Instant) throws -> Engine {
    let loaded = try LoadedAutomation(folder: "out")
    print(loaded.templates.count, loaded.account?.settings.name ?? "no account.json")
    let engine = try Engine(loaded.automation, start: start)
    return engine
}

@Suite("Docs: the migration folder sample")
struct MigrationFolderExampleTests {
    @Test("workflow-format.md, The migration folder: a folder named out that is missing is a LoadError, never a crash")
    func missingFolder() {
        #expect(throws: LoadError.self) { try runMigrationFolder(start: Instant(secondsSinceEpoch: 0)) }
    }
}
