import CommandLineTesting
import Foundation
import PurchaseActions
import Testing

/// The umbrella's automation loaders: an export compiled as `import-actions` compiles it, a folder of
/// workflow files (or an import's output folder) with every check and limit, file URLs only, and
/// every failure a `LoadError` saying where.
@Suite("Loading an automation: from an export, from a folder of workflow files")
struct LoadingAutomationTests {
    static let root = BuiltProducts.root.path
    static let export = root + "/Fixtures/exports/course-creator.xml"
    static let output = root + "/Fixtures/expected/course-creator"
    /// The same migration's workflows written whole, a folder of bare workflow files (Tools/update-goldens.sh).
    static let bare = root + "/Fixtures/workflows/course-creator"

    static func withScratch(_ body: (String) throws -> Void) throws {
        let folder = try BuiltProducts.scratch("pa-load")
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder.path)
    }

    /// Copies the bare workflow files of course-creator (whole: they need no templates) into `folder`.
    static func copyWorkflows(to folder: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: bare) {
            try FileManager.default.copyItem(atPath: bare + "/" + name, toPath: folder + "/" + name)
        }
    }

    /// The `LoadError` `body` throws, or nil (see ``LoadErrorCapture``).
    static func error(_ body: () throws -> Void) -> LoadError? { LoadErrorCapture.error(body) }

    @Test("An export loads as Automation(migrating:) of what the reader reads; URL and path agree")
    func export() throws {
        let automation = try Automation(exportFile: Self.export)
        let account = try ExportReader().read(file: Self.export).account
        #expect(automation == Automation(migrating: account))
        #expect(!automation.workflows.isEmpty)
        #expect(try Automation(exportFile: URL(fileURLWithPath: Self.export)) == automation)
    }

    @Test("LoadedAutomation keeps the reader's warnings and the compiler's findings")
    func exportFindings() throws {
        let loaded = try LoadedAutomation(exportFile: Self.root + "/Fixtures/exports/physical-goods-store.xml")
        #expect(loaded.findings.contains { $0.code == .queuedFulfillmentList })
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.files.isEmpty)
    }

    @Test("A bad export is a LoadError with the reader's place: file:line:column, element path, the ImportError's text")
    func badExport() throws {
        let file = Self.root + "/Fixtures/malformed/unknown-tag.xml"
        let error = try #require(Self.error { _ = try Automation(exportFile: file) })
        var importError: ImportError?
        do { _ = try ExportReader().read(file: file) } catch { importError = error }
        #expect(error.code == .invalid)
        #expect(error.description == importError?.description)
        #expect(error.line != nil && error.column != nil && error.elementPath?.hasPrefix("/export/action-sets/") == true)
        let limited = try #require(Self.error { _ = try Automation(exportFile: Self.export, limits: ExportLimits(maxDepth: 3)) })
        #expect(limited.code == .limitExceeded)
        #expect(limited.message.contains("depth limit of 3"))
    }

    @Test("A missing export, a folder for an export, a non-file URL: missing, wrong-kind, not-a-file-url")
    func wrongPaths() throws {
        let missing = try #require(Self.error { _ = try Automation(exportFile: "no-such.xml") })
        #expect(missing.code == .missing)
        #expect(missing.description == "no-such.xml: error: no such file; expected an export file (XML)")
        let folder = try #require(Self.error { _ = try Automation(exportFile: Self.root + "/Fixtures/exports") })
        #expect(folder.code == .wrongKind)
        #expect(
            folder.description.hasSuffix(
                "/Fixtures/exports: error: a folder, not an export file (XML); a folder of workflow files, or the output folder of import-actions, is read with Automation(folder:) or LoadedAutomation(folder:)"
            ))
        let web = try #require(Self.error { _ = try Automation(exportFile: URL(string: "https://example.com/export.xml")!) })
        #expect(web.code == .notAFileURL)
        #expect(web.description == "https://example.com/export.xml: error: not a file URL; the loaders read local files only (file:///path/to/file)")
        let webFolder = try #require(Self.error { _ = try Automation(folder: URL(string: "ftp://example.com/w")!) })
        #expect(webFolder.code == .notAFileURL)
        let file = try #require(Self.error { _ = try Automation(folder: Self.export) })
        #expect(file.code == .wrongKind)
        #expect(
            file.message == "a file, not a folder of workflow files (<id>.json); an export file (XML) is read with Automation(exportFile:) or LoadedAutomation(exportFile:)")
        let none = try #require(Self.error { _ = try Automation(folder: "no-such-folder") })
        #expect(none.code == .missing)
    }

    @Test("An import's output folder is read from its workflows/: the same automation, the export's workflows")
    func importOutput() throws {
        let fromOutput = try LoadedAutomation(folder: Self.output)
        let fromFolder = try LoadedAutomation(folder: URL(fileURLWithPath: Self.output + "/workflows/"))
        #expect(fromOutput.automation == fromFolder.automation)
        #expect(fromOutput.files["action-set.as-basic"] == Self.output + "/workflows/action-set.as-basic.json")
        #expect(fromFolder.files["action-set.as-basic"] == Self.output + "/workflows/action-set.as-basic.json")
        // The goldens were written from the export's relative path; the ids and the count agree.
        let compiled = try Automation(exportFile: Self.export).workflows.map(\.id).sorted()
        #expect(fromOutput.automation.workflows.map(\.id) == compiled)
        #expect(try Automation(folder: Self.output) == fromOutput.automation)
    }

    @Test("Hidden files and files not named *.json are skipped; a file not named <id>.json is refused at $.id")
    func names() throws {
        try Self.withScratch { folder in
            try Self.copyWorkflows(to: folder)
            try Data("not json".utf8).write(to: URL(fileURLWithPath: folder + "/._action-set.as-basic.json"))
            try Data("not json".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
            let golden = try FileManager.default.contentsOfDirectory(atPath: Self.output + "/workflows").count
            #expect(try Automation(folder: folder).workflows.count == golden)
            try FileManager.default.moveItem(atPath: folder + "/action-set.as-basic.json", toPath: folder + "/action-set.as-basic-copy.json")
            let error = try #require(Self.error { _ = try Automation(folder: folder) })
            #expect(error.code == .invalid)
            #expect(
                error.description
                    == "\(folder)/action-set.as-basic-copy.json: error: $.id: the file of workflow 'action-set.as-basic' must be named action-set.as-basic.json (Docs/workflow-format.md, \"Checks beyond the schema\")"
            )
        }
    }

    @Test("A workflow file one byte past the size limit is refused before it is decoded; at the limit it loads")
    func fileSize() throws {
        try Self.withScratch { folder in
            try Self.copyWorkflows(to: folder)
            let sizes = try FileManager.default.contentsOfDirectory(atPath: folder).map { name in
                (try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? Int) ?? 0
            }
            let largest = try #require(sizes.max())
            #expect(throws: Never.self) { try Automation(folder: folder, limits: WorkflowFolderLimits(fileBytes: largest)) }
            let error = try #require(Self.error { _ = try Automation(folder: folder, limits: WorkflowFolderLimits(fileBytes: largest - 1)) })
            #expect(error.code == .limitExceeded)
            #expect(error.message == "the file is larger than \(largest - 1) bytes, the most a workflow file may hold (Docs/workflow-format.md, \"Limits\")")
            #expect(error.line == nil && error.jsonPath == nil)
            // Odd limits do not trap.
            #expect(Self.error { _ = try Automation(folder: folder, limits: WorkflowFolderLimits(fileBytes: Int.max)) } == nil)
            #expect(Self.error { _ = try Automation(folder: folder, limits: WorkflowFolderLimits(fileBytes: -1)) }?.code == .limitExceeded)
        }
    }

    @Test("A folder one workflow file past the count limit is refused; at the limit it loads")
    func fileCount() throws {
        try Self.withScratch { folder in
            try Self.copyWorkflows(to: folder)
            let count = try Automation(folder: folder).workflows.count
            #expect(throws: Never.self) { try Automation(folder: folder, limits: WorkflowFolderLimits(files: count)) }
            let error = try #require(Self.error { _ = try Automation(folder: folder, limits: WorkflowFolderLimits(files: count - 1)) })
            #expect(error.code == .limitExceeded)
            #expect(
                error.description
                    == "\(folder): error: the folder holds more than \(count - 1) workflow files (*.json), the most a folder of workflows may hold (Docs/workflow-format.md, \"Limits\")"
            )
        }
    }

    @Test("An empty folder, a folder named like a workflow file, bad JSON, an unknown timezone: each names the file, line and path")
    func badFiles() throws {
        try Self.withScratch { folder in
            let empty = try #require(Self.error { _ = try Automation(folder: folder) })
            #expect(empty.code == .invalid)
            #expect(empty.description == "\(folder): error: no workflow files (<id>.json) in the folder")
            try FileManager.default.createDirectory(atPath: folder + "/w.json", withIntermediateDirectories: false)
            let kind = try #require(Self.error { _ = try Automation(folder: folder) })
            #expect(kind.code == .wrongKind)
            #expect(kind.description == "\(folder)/w.json: error: a folder, not a workflow file (<id>.json)")
            try FileManager.default.removeItem(atPath: folder + "/w.json")
            try Data("{\n  \"id\": \"w\",\n  [\n".utf8).write(to: URL(fileURLWithPath: folder + "/w.json"))
            let syntax = try #require(Self.error { _ = try Automation(folder: folder) })
            #expect(syntax.code == .invalid)
            #expect(syntax.line == 3 && syntax.jsonPath == .root && syntax.column == nil)
            #expect(syntax.description.hasPrefix("\(folder)/w.json:3: error: $: "))
            let text = try String(contentsOfFile: Self.bare + "/action-set.as-basic.json", encoding: .utf8)
            try FileManager.default.removeItem(atPath: folder + "/w.json")
            let mars = try Self.replacingTimezone(in: text, with: "Mars/Olympus")
            #expect(mars != text)
            try Data(mars.utf8).write(to: URL(fileURLWithPath: folder + "/action-set.as-basic.json"))
            let zone = try #require(Self.error { _ = try Automation(folder: folder) })
            #expect(zone.code == .invalid)
            #expect(zone.jsonPath?.description == "$.settings.accountTimezone")
            #expect(zone.line != nil)
            #expect(zone.message.hasPrefix("unknown timezone 'Mars/Olympus': no such zone"))
        }
    }

    @Test("A pipe named like a workflow file is refused at once, never waited on")
    func pipeInFolder() throws {
        try Self.withScratch { folder in
            try Self.copyWorkflows(to: folder)
            #expect(mkfifo(folder + "/zz.json", 0o644) == 0)
            let error = try #require(Self.error { _ = try Automation(folder: folder) })
            #expect(error.code == .wrongKind)
            #expect(error.description == "\(folder)/zz.json: error: not a regular file (a pipe, device or socket); expected a workflow file (<id>.json)")
        }
    }

    /// `text` with the value of `accountTimezone` replaced.
    static func replacingTimezone(in text: String, with zone: String) throws -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.contains("\"accountTimezone\": ") else { return String(line) }
            let indent = line.prefix { $0 == " " }
            return "\(indent)\"accountTimezone\": \"\(zone)\"" + (line.hasSuffix(",") ? "," : "")
        }
        return lines.joined(separator: "\n")
    }

    @Test("Control characters in a path are escaped in the description, never raw")
    func hostileNames() throws {
        try Self.withScratch { folder in
            let hostile = folder + "/w\nerror: forged\u{1B}[31m\u{202E}"
            for error in [
                Self.error { _ = try Automation(folder: hostile) }, Self.error { _ = try Automation(exportFile: hostile) },
            ] {
                let description = try #require(error).description
                #expect(!description.unicodeScalars.contains(where: DisplayText.isControl), "\(description)")
                #expect(description.contains(#"w\nerror: forged\u{1B}[31m\u{202E}: error: "#))
            }
            try FileManager.default.createDirectory(atPath: hostile, withIntermediateDirectories: false)
            try Data("{".utf8).write(to: URL(fileURLWithPath: hostile + "/w.json"))
            let description = try #require(Self.error { _ = try Automation(folder: hostile) }).description
            #expect(!description.unicodeScalars.contains(where: DisplayText.isControl), "\(description)")
            #expect(description.split(separator: "\n").count == 1)
        }
    }
}
