#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport

/// One worker per database: `purchase-actions run` holds an exclusive `flock` on the file
/// `<database>.lock` beside the database for as long as it runs (Docs/operations.md, "One worker
/// per database"). The lock file holds the worker's process id; it is left in place when the
/// worker ends (the lock, not the file, says a worker runs: the system releases it when the
/// process ends, even by a crash).
final class WorkerLock {
    private let descriptor: Int32

    /// The lock file's path for a database.
    static func path(for database: String) -> String { database + ".lock" }

    /// Takes the lock without waiting.
    ///
    /// - Throws: ``Refused`` (exit 74) when another process holds it, naming its process id when
    ///   the lock file holds one; or when the lock file cannot be created.
    init(database: String) throws {
        let path = Self.path(for: database)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Refused(
                diagnostic: "\(path): error: cannot create the worker's lock file beside the database: \(String(cString: strerror(errno))); make the folder writable")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let pid = Self.readPID(descriptor)
            close(descriptor)
            let holder = pid.map { " (pid \($0))" } ?? ""
            throw Refused(
                diagnostic: "\(database): error: another worker is running on \(database)\(holder); one worker per database (Docs/operations.md)")
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The process id written in the lock file, if it holds one.
    private static func readPID(_ descriptor: Int32) -> Int? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let digits = bytes[..<count].prefix { (0x30...0x39).contains($0) }
        guard let pid = Int(String(decoding: digits, as: UTF8.self)), pid > 0 else { return nil }
        return pid
    }

    /// The lock is held by another process, or cannot be taken (exit 74).
    struct Refused: CommandLineError {
        var diagnostic: String
        var exitStatus: ExitStatus { .io }
    }
}
