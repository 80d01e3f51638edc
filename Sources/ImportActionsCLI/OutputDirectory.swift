import Foundation

/// A folder of generated files written atomically: everything goes to a hidden sibling folder, which
/// replaces the destination by rename only when all of it is written.
///
/// An interrupted or failed run leaves the destination as it was. With `force`, an existing
/// destination is replaced, but only if it holds nothing but what this command writes, so a mistyped
/// `-o` can never wipe an unrelated folder.
struct OutputDirectory {
    /// What a replaceable destination may hold.
    static let ownEntries: Set<String> = ["workflows", "migration-report.json"]

    let destination: String
    let force: Bool
    private let staging: String
    private let fileManager = FileManager.default

    /// Checks the destination and creates the staging folder.
    init(destination: String, force: Bool) throws(CommandError) {
        self.destination = destination
        self.force = force
        let url = URL(fileURLWithPath: destination)
        let parent = url.deletingLastPathComponent().path
        self.staging = parent + "/." + url.lastPathComponent + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try checkDestination()
        do {
            try? fileManager.removeItem(atPath: staging)
            try fileManager.createDirectory(atPath: staging + "/workflows", withIntermediateDirectories: true)
        } catch {
            throw CommandError(.io, "cannot create the output folder next to \(destination): \(error.localizedDescription)")
        }
    }

    /// Fails if the destination exists and may not be replaced.
    private func checkDestination() throws(CommandError) {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: destination, isDirectory: &isDirectory) else { return }
        guard force else {
            throw CommandError(.outputExists, "\(destination) already exists; give --force to replace it, or -o to write elsewhere")
        }
        let entries = isDirectory.boolValue ? (try? fileManager.contentsOfDirectory(atPath: destination)) : nil
        guard let entries, Set(entries).isSubset(of: Self.ownEntries) else {
            throw CommandError(
                .outputExists,
                "\(destination) holds files this command did not write; not replacing it even with --force (it replaces only folders holding workflows/ and migration-report.json)")
        }
    }

    /// Writes one file, `relativePath` inside the folder.
    func write(_ bytes: [UInt8], to relativePath: String) throws(CommandError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: staging + "/" + relativePath))
        } catch {
            throw CommandError(.io, "cannot write \(destination)/\(relativePath): \(error.localizedDescription)")
        }
    }

    /// Moves the finished folder into place, replacing the old one when allowed.
    func commit() throws(CommandError) {
        try checkDestination()
        let old = staging.replacing(".partial-", with: ".old-")
        do {
            if fileManager.fileExists(atPath: destination) {
                try fileManager.moveItem(atPath: destination, toPath: old)
            }
            try fileManager.moveItem(atPath: staging, toPath: destination)
        } catch {
            if !fileManager.fileExists(atPath: destination), fileManager.fileExists(atPath: old) {
                try? fileManager.moveItem(atPath: old, toPath: destination)
            }
            abandon()
            throw CommandError(.io, "cannot move the output into \(destination): \(error.localizedDescription)")
        }
        try? fileManager.removeItem(atPath: old)
    }

    /// Removes the staging folder; the destination is untouched.
    func abandon() {
        try? fileManager.removeItem(atPath: staging)
    }
}
