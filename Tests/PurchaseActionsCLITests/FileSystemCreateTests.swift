import CommandLineSupport
import CommandLineTesting
import Foundation
import Testing

/// `FileSystem.create` writes a new file exclusively, from an array or from bytes in place
/// (`Workflow.withCanonicalBytes(referencing:_:)`), and refuses a path that exists.
@Suite("FileSystem.create")
struct FileSystemCreateTests {
    @Test("Bytes in place and an array write the same file; empty bytes make an empty file")
    func writesBytes() throws {
        let folder = try BuiltProducts.scratch("fs-create")
        defer { FileSystem.removeTree(folder.path) }
        let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        try FileSystem.create(folder.path + "/array", bytes: bytes)
        try bytes.withUnsafeBytes { (raw) throws in try FileSystem.create(folder.path + "/raw", bytes: raw) }
        try FileSystem.create(folder.path + "/empty", bytes: UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(try Data(contentsOf: folder.appendingPathComponent("array")) == Data(bytes))
        #expect(try Data(contentsOf: folder.appendingPathComponent("raw")) == Data(bytes))
        #expect(try Data(contentsOf: folder.appendingPathComponent("empty")).isEmpty)
    }

    @Test("A path that exists is refused, and left as it was")
    func refusesExisting() throws {
        let folder = try BuiltProducts.scratch("fs-create")
        defer { FileSystem.removeTree(folder.path) }
        let path = folder.path + "/file"
        try FileSystem.create(path, bytes: [1, 2, 3])
        #expect(throws: FileSystem.Failure.self) { try FileSystem.create(path, bytes: [4]) }
        #expect(throws: FileSystem.Failure.self) {
            try [UInt8]([5, 6]).withUnsafeBytes { (raw) throws in try FileSystem.create(path, bytes: raw) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 2, 3]))
    }

    @Test("A folder held open creates files by name, the same bytes; an existing name is refused and named")
    func folderCreates() throws {
        let folder = try BuiltProducts.scratch("fs-create")
        defer { FileSystem.removeTree(folder.path) }
        let open = try FileSystem.Folder(folder.path)
        #expect(open.path == folder.path)
        let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try bytes.withUnsafeBytes { (raw) throws in try open.create("a.json", bytes: raw) }
        try open.create("empty.json", bytes: UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(try Data(contentsOf: folder.appendingPathComponent("a.json")) == Data(bytes))
        #expect(try Data(contentsOf: folder.appendingPathComponent("empty.json")).isEmpty)
        var failure: FileSystem.Failure?
        do {
            try [UInt8]([9]).withUnsafeBytes { (raw) throws in try open.create("a.json", bytes: raw) }
        } catch {
            failure = error as? FileSystem.Failure
        }
        #expect(failure?.path == folder.path + "/a.json")
        #expect(failure?.reason.contains("exists") == true, "\(String(describing: failure))")
        #expect(try Data(contentsOf: folder.appendingPathComponent("a.json")) == Data(bytes))
    }

    @Test("A folder that is missing or is a file cannot be held open; the failure names it")
    func folderMissing() throws {
        let folder = try BuiltProducts.scratch("fs-create")
        defer { FileSystem.removeTree(folder.path) }
        #expect(throws: FileSystem.Failure.self) { try FileSystem.Folder(folder.path + "/missing") }
        try FileSystem.create(folder.path + "/file", bytes: [1])
        var failure: FileSystem.Failure?
        do {
            _ = try FileSystem.Folder(folder.path + "/file")
        } catch {
            failure = error
        }
        #expect(failure?.path == folder.path + "/file")
    }
}
