/// A folder of generated files written atomically: everything goes to a hidden sibling folder, which
/// replaces the destination by rename only when all of it is written.
///
/// A failed run leaves the destination as it was. With `force`, an existing destination is replaced,
/// but only if it is one this command wrote (``isOwnOutput(_:)``), so a mistyped `-o` can never
/// wipe an unrelated folder.
struct OutputDirectory {
    let destination: String
    let force: Bool
    private let staging: String
    private let backup: String

    /// Checks the destination and creates the staging folder beside it.
    init(destination: String, force: Bool) throws(CommandError) {
        self.destination = destination
        self.force = force
        let parent = FileSystem.parent(of: destination)
        let name = FileSystem.name(of: destination)
        let suffix = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.staging = "\(parent)/.\(name).partial-\(suffix)"
        self.backup = "\(parent)/.\(name).old-\(suffix)"
        try checkDestination()
        do {
            try FileSystem.makeDirectories(staging + "/workflows")
        } catch {
            throw CommandError(.io, "cannot create the output folder next to \(destination): \(error.reason)")
        }
    }

    /// Fails if the destination exists and may not be replaced.
    private func checkDestination() throws(CommandError) {
        switch FileSystem.kind(destination) {
        case .missing: return
        case .directory:
            guard force else {
                throw CommandError(.outputExists, "\(destination) already exists; give --force to replace it, or -o to write elsewhere")
            }
            guard Self.isOwnOutput(destination) else {
                throw CommandError(
                    .outputExists,
                    "\(destination) holds files this command did not write; not replacing it even with --force (it replaces only folders holding a migration-report.json and workflows/*.json, as it writes them)")
            }
        case .file, .other:
            throw CommandError(.outputExists, "\(destination) is a file, not a folder; give -o a folder to write")
        }
    }

    /// Whether `path` is empty or holds exactly what an earlier run wrote: a migration report and a
    /// `workflows` folder of `.json` files (and nothing else, except macOS's `.DS_Store`).
    static func isOwnOutput(_ path: String) -> Bool {
        guard let entries = try? FileSystem.entries(path).filter({ $0 != ".DS_Store" }) else { return false }
        if entries.isEmpty { return true }
        guard entries == ["migration-report.json", "workflows"], FileSystem.kind(path + "/migration-report.json") == .file,
            FileSystem.kind(path + "/workflows") == .directory,
            let workflows = try? FileSystem.entries(path + "/workflows")
        else { return false }
        let report = String(decoding: FileSystem.prefix(path + "/migration-report.json", limit: 256), as: UTF8.self)
        // The canonical report's first key is "findings" (keys are sorted).
        guard report.hasPrefix("{\n  \"findings\": [") else { return false }
        return workflows.allSatisfy { $0 == ".DS_Store" || ($0.hasSuffix(".json") && FileSystem.kind(path + "/workflows/" + $0) == .file) }
    }

    /// Writes one new file, `relativePath` inside the folder.
    func write(_ bytes: [UInt8], to relativePath: String) throws(CommandError) {
        do {
            try FileSystem.create(staging + "/" + relativePath, bytes: bytes)
        } catch {
            let reason = error.reason.contains("exists") ? "two outputs have this name (ids that differ only in case, on a case-insensitive disk?)" : error.reason
            throw CommandError(.io, "cannot write \(destination)/\(relativePath): \(reason)")
        }
    }

    /// Moves the finished folder into place, replacing the old one when allowed.
    ///
    /// - Important: Between the two renames the destination is briefly missing; if the process is
    ///   killed exactly then, the previous output is in `.<name>.old-<suffix>` beside it (Docs/cli.md).
    func commit() throws(CommandError) {
        try checkDestination()
        let replacing = FileSystem.kind(destination) == .directory
        do {
            if replacing { try FileSystem.move(destination, to: backup) }
            try FileSystem.move(staging, to: destination)
        } catch {
            if replacing, FileSystem.kind(destination) == .missing { try? FileSystem.move(backup, to: destination) }
            abandon()
            throw CommandError(.io, "cannot move the output into \(destination): \(error.reason)")
        }
        if replacing { FileSystem.removeTree(backup) }
    }

    /// Removes the staging folder; the destination is untouched.
    func abandon() {
        FileSystem.removeTree(staging)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
