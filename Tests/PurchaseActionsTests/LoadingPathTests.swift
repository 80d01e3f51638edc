import CommandLineTesting
import Foundation
import PurchaseActions
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loaders on the paths the reviewers broke them with: the wrong loader for a file or a folder
/// (the message names the right one), a file in a folder whose name is not valid UTF-8, loops of
/// symbolic links, and a name holding U+FFFD that does not exist.
@Suite("Loading: the right loader named, names that are not UTF-8, loops of symbolic links")
struct LoadingPathTests {
    static let root = BuiltProducts.root.path
    static let export = root + "/Fixtures/exports/course-creator.xml"
    static let output = root + "/Fixtures/expected/course-creator"

    static func error(_ body: () throws -> Void) -> LoadError? { LoadErrorCapture.error(body) }

    @Test("Automation(folder:) given an export file names Automation(exportFile:), and the reverse")
    func rightLoaderNamed() {
        let folder = Self.error { _ = try Automation(folder: Self.export) }
        #expect(folder?.code == .wrongKind)
        #expect(folder?.message.contains("Automation(exportFile:)") == true, "\(String(describing: folder))")
        let file = Self.error { _ = try Automation(exportFile: Self.output) }
        #expect(file?.code == .wrongKind)
        #expect(file?.message.contains("Automation(folder:)") == true, "\(String(describing: file))")
    }

    @Test("A *.json file whose name is not valid UTF-8 in a folder is named (invalid, rename it), never 'no such file'")
    func entryNotUTF8() throws {
        try LoadingAutomationTests.withScratch { folder in
            try LoadingAutomationTests.copyWorkflows(to: folder)
            let name: [UInt8] = Array((folder + "/bad").utf8) + [0xFF] + Array("-x.json".utf8) + [0]
            let descriptor = name.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) } }
            try #require(descriptor >= 0)
            close(descriptor)
            let error = Self.error { _ = try Automation(folder: folder) }
            #expect(error?.code == .invalid)
            #expect(error?.file == folder)
            #expect(error?.message == "the name of the file 'bad\u{FFFD}-x.json' in the folder is not valid UTF-8 (U+FFFD stands for the bytes that are not); rename it")
        }
    }

    @Test("A loop of symbolic links, as the folder, the export or a file in the folder, is named a loop (missing, exit 66)")
    func linkLoops() throws {
        try LoadingAutomationTests.withScratch { folder in
            try FileManager.default.createSymbolicLink(atPath: folder + "/a", withDestinationPath: folder + "/b")
            try FileManager.default.createSymbolicLink(atPath: folder + "/b", withDestinationPath: folder + "/a")
            for error in [Self.error { _ = try Automation(folder: folder + "/a") }, Self.error { _ = try Automation(exportFile: folder + "/a") }] {
                #expect(error?.code == .missing)
                #expect(error?.message.hasPrefix("a loop of symbolic links (following them never ends: ELOOP)") == true, "\(String(describing: error))")
            }
            let workflows = folder + "/w"
            try FileManager.default.createDirectory(atPath: workflows, withIntermediateDirectories: false)
            try LoadingAutomationTests.copyWorkflows(to: workflows)
            try FileManager.default.createSymbolicLink(atPath: workflows + "/x.json", withDestinationPath: "y.json")
            try FileManager.default.createSymbolicLink(atPath: workflows + "/y.json", withDestinationPath: "x.json")
            let inside = Self.error { _ = try Automation(folder: workflows) }
            #expect(inside?.file == workflows + "/x.json")
            #expect(inside?.message.contains("loop of symbolic links") == true)
        }
    }

    @Test("A missing name holding U+FFFD says it may be a name that was not UTF-8")
    func missingReplacementCharacter() {
        let error = Self.error { _ = try Automation(exportFile: "/nonexistent/ex\u{FFFD}.xml") }
        #expect(error?.code == .missing)
        #expect(error?.message.contains("not valid UTF-8") == true)
        #expect(Self.error { _ = try Automation(exportFile: "/nonexistent/ex.xml") }?.message.contains("UTF-8") == false)
    }
}
