import Foundation
import PurchaseActions
import Testing

/// A migration file saved in another encoding is named as such, with the bad byte's place, not
/// "expected a JSON value".
@Suite("Loading a migration folder: files that are not UTF-8")
struct LoadingNotUTF8Tests {
    /// A fresh copy of the course-creator migration whose `relative` file has a Latin-1 "é"
    /// (byte 0xE9) put in place of the first "a" of its second line.
    static func spoiled(_ relative: String) throws -> (folder: String, file: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pa-latin1-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try LoadingMigrationFolderTests.copyMigration("course-creator", to: folder)
        let file = folder + "/" + relative
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        let secondLine = (bytes.firstIndex(of: UInt8(ascii: "\n")) ?? 0) + 1
        let index = try #require(bytes[secondLine...].firstIndex(of: UInt8(ascii: "a")))
        bytes[index] = 0xE9
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return (folder, file)
    }

    @Test("A workflow, template or account file in Latin-1: not UTF-8 text, at its line", arguments: [
        "workflows/action-set.as-basic.json", "account.json",
    ])
    func named(relative: String) throws {
        let (folder, file) = try Self.spoiled(relative)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = LoadErrorCapture.error { _ = try LoadedAutomation(folder: folder) }
        #expect(error?.file == file)
        #expect(error?.message.contains("the file is not UTF-8 text: byte 0xE9") == true, "\(String(describing: error))")
        #expect(error?.line == 2)
    }

    @Test("A template file in Latin-1 too")
    func template() throws {
        let templates = LoadingMigrationFolderTests.root + "/Fixtures/expected/course-creator/templates"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: templates).sorted().first)
        let (folder, file) = try Self.spoiled("templates/" + name)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = LoadErrorCapture.error { _ = try LoadedAutomation(folder: folder) }
        #expect(error?.file == file)
        #expect(error?.message.contains("not UTF-8 text") == true, "\(String(describing: error))")
    }
}
