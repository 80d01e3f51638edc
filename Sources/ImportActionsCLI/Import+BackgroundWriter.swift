#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport
import PurchaseActionsCore

/// Encodes and writes the output folder's files on a thread of its own, so that the canonical JSON
/// text and the file system's work (creating 20,000 files is most of an import's time on some
/// disks) overlap reading and compiling on the command's thread (Benchmarks/README.md,
/// "Import throughput").
///
/// At most ``capacity`` files wait, so memory stays bounded. The files and their bytes are exactly
/// what writing them in order gives; only the order they are created in may differ. The first
/// failure is thrown by the next ``write(_:to:)`` or by ``finish()``, after which nothing more is
/// written; the caller then abandons the output folder as before.
final class BackgroundWriter: @unchecked Sendable {
    /// Files queued and not yet written, at most.
    static let capacity = 64

    private let staging: String
    private let destination: String
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var queue: [(value: @Sendable () -> JSONValue, path: String)] = []
    private var head = 0
    private var failure: CommandError?
    private var closed = false
    private var done = false
    private var threaded = false

    /// Starts the writing thread for `directory` (or, when no thread can be made, writes each file
    /// as it is queued).
    init(_ directory: OutputDirectory) {
        staging = directory.staging
        destination = directory.destination
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        threaded = pthread_create(&thread, nil, { context in
            let writer = Unmanaged<BackgroundWriter>.fromOpaque(context!).takeRetainedValue()
            writer.run()
            return nil
        }, context) == 0
        if threaded {
            pthread_detach(thread)
        } else {
            Unmanaged<BackgroundWriter>.fromOpaque(context).release()
        }
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Queues the canonical text of the value `value` makes (on the writing thread: building a
    /// workflow's JSON is part of the work moved there) for `relativePath` in the output folder,
    /// waiting while ``capacity`` files wait; throws the first failure of an earlier file.
    func write(to relativePath: String, _ value: @escaping @Sendable () -> JSONValue) throws(CommandError) {
        guard threaded else { return try Self.write(value, to: relativePath, staging: staging, destination: destination) }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while queue.count - head >= Self.capacity, failure == nil { pthread_cond_wait(changed, mutex) }
        if let failure { throw failure }
        queue.append((value, relativePath))
        pthread_cond_broadcast(changed)
    }

    /// Waits until every queued file is written and ends the thread; throws the first failure.
    func finish() throws(CommandError) {
        guard threaded else { return }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        closed = true
        pthread_cond_broadcast(changed)
        while !done { pthread_cond_wait(changed, mutex) }
        if let failure { throw failure }
    }

    /// Drops what is queued and ends the thread, waiting for the file being written (the caller
    /// then removes the folder).
    func cancel() {
        guard threaded else { return }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        queue.removeAll()
        head = 0
        closed = true
        pthread_cond_broadcast(changed)
        while !done { pthread_cond_wait(changed, mutex) }
    }

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            while head == queue.count, !closed { pthread_cond_wait(changed, mutex) }
            guard head < queue.count, failure == nil else { break }
            let next = queue[head]
            head += 1
            if head >= Self.capacity, head * 2 >= queue.count {
                queue.removeFirst(head)
                head = 0
            }
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
            var error: CommandError?
            do throws(CommandError) {
                try Self.write(next.value, to: next.path, staging: staging, destination: destination)
            } catch let failed {
                error = failed
            }
            pthread_mutex_lock(mutex)
            if let error, failure == nil { failure = error }
        }
        done = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// One file, as ``OutputDirectory/write(_:to:)`` writes it.
    private static func write(_ value: () -> JSONValue, to relativePath: String, staging: String, destination: String) throws(CommandError) {
        do {
            try FileSystem.create(staging + "/" + relativePath, bytes: value().canonicalBytes)
        } catch {
            let reason = error.reason.contains("exists") ? "two outputs have this name (ids that differ only in case, on a case-insensitive disk?)" : error.reason
            throw CommandError(.io, "cannot write \(destination)/\(relativePath): \(reason)")
        }
    }
}
