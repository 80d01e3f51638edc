public import Foundation

/// Runs the package's built executables as a user would, from the package root: shared by the
/// end-to-end suites of `import-actions` and `purchase-actions`.
public enum BuiltProducts {
    /// The package root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// What a run printed and how it ended.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var output: String
        /// Standard error.
        public var errors: String
    }

    /// The folder holding the built products: the first folder up from the test bundle that holds
    /// `executable`.
    public static func folder(holding executable: String) -> URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent(executable).path), folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder
    }

    /// Runs a built executable with arguments in a folder (the package root by default) and waits.
    public static func run(_ executable: String, _ arguments: [String], in directory: URL = root) throws -> Result {
        try runProgram(folder(holding: executable).appendingPathComponent(executable), arguments, in: directory)
    }

    /// Runs any program with arguments (and an environment, else this process's) in a folder, and
    /// waits.
    public static func runProgram(_ program: URL, _ arguments: [String], environment: [String: String]? = nil, in directory: URL) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = directory
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both pipes are drained at once: reading one to its end first would hang a program that
        // fills the other's pipe buffer (64 KiB) before it exits.
        let errorReader = PipeReader(errors.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorReader.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }

    /// A new empty folder under the system's temporary folder, its name starting with `prefix`.
    public static func scratch(_ prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: @unchecked Sendable {
    // `data` is written once by the thread before `done` is signalled, and read after `wait()`.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
