#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CommandLineSupport
import PurchaseActionsCore

/// Runs work for the output folder on a thread of its own, in the order it is queued: the workflow
/// files (encoding each one's canonical text and creating it), or the report's per-workflow work
/// (``ReportWriter``), so that it overlaps reading and compiling on the command's thread
/// (Benchmarks/README.md, "Import throughput").
///
/// At most ``capacity`` jobs wait, so memory stays bounded. Jobs run one at a time in the order
/// queued, so a file's bytes and a report body's order are exactly what running them on the
/// command's thread gives. The first failure is thrown by the next ``write(to:_:)`` or
/// ``perform(_:)`` or by ``finish()``, after which no more jobs run; the caller then abandons the
/// output folder as before.
final class BackgroundWriter: @unchecked Sendable {
    /// Jobs (files) queued and not yet run, at most, unless the writer is made with another.
    static let capacity = 64

    /// Jobs queued and not yet run, at most (this writer's).
    let capacity: Int

    private let staging: String
    private let destination: String
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`. A job's slot is emptied when the thread takes it, so what the job holds
    // (a workflow, a chunk of the report) is freed by the thread after running it, outside the
    // lock, not when the queue is compacted under it.
    private var queue: [(@Sendable () throws(CommandError) -> Void)?] = []
    private var head = 0
    private var failure: CommandError?
    private var closed = false
    private var done = false
    private var threaded = false
    /// Whether the thread waits for a job, and how many callers wait for room: a wake-up is sent
    /// only to someone waiting, and callers only once half the queue is free, so the threads do not
    /// wake each other for every job (Benchmarks/README.md, "Import throughput").
    private var runnerWaiting = false
    private var callersWaiting = 0
    /// Whether a job runs now.
    private var running = false

    /// Starts the writing thread for `directory` (or, when no thread can be made, writes each file
    /// as it is queued), keeping at most `capacity` jobs waiting (at least 1).
    init(_ directory: OutputDirectory, capacity: Int = BackgroundWriter.capacity) {
        self.capacity = Swift.max(1, capacity)
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

    /// Queues the bytes `bytes` makes (on the writing thread: encoding a workflow's canonical text
    /// is part of the work moved there) for `relativePath` in the output folder, waiting while
    /// ``capacity`` files wait; throws the first failure of an earlier file.
    func write(to relativePath: String, _ bytes: @escaping @Sendable () -> [UInt8]) throws(CommandError) {
        let staging = staging
        let destination = destination
        try perform { () throws(CommandError) in try Self.write(bytes, to: relativePath, staging: staging, destination: destination) }
    }

    /// Queues the file `name` in `folder` (opened once for many files: `workflows/`), its bytes
    /// handed in place by `bytes` (on the writing thread) to the function it is given, which
    /// creates the file from them: no array is made for them (`Workflow.withCanonicalBytes`).
    /// Failures name the file as `shownFolder/name` in the output folder, as
    /// ``write(to:_:)`` names it. Waits while ``capacity`` jobs wait; throws the first failure
    /// of an earlier job.
    func write(
        _ name: String, in folder: FileSystem.Folder, shownFolder: String,
        _ bytes: @escaping @Sendable (_ create: (UnsafeRawBufferPointer) throws(FileSystem.Failure) -> Void) throws(FileSystem.Failure) -> Void
    ) throws(CommandError) {
        let destination = destination
        try perform { () throws(CommandError) in
            do throws(FileSystem.Failure) {
                try bytes { (file: UnsafeRawBufferPointer) throws(FileSystem.Failure) in try folder.create(name, bytes: file) }
            } catch {
                throw Self.failure(error, writing: shownFolder + "/" + name, destination: destination)
            }
        }
    }

    /// Queues `job`, to run after every job queued before it, waiting while ``capacity`` jobs
    /// wait; throws the first failure of an earlier job. Without a thread it runs now.
    func perform(_ job: @escaping @Sendable () throws(CommandError) -> Void) throws(CommandError) {
        guard threaded else { return try job() }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while queue.count - head >= capacity, failure == nil {
            callersWaiting += 1
            pthread_cond_wait(changed, mutex)
            callersWaiting -= 1
        }
        if let failure { throw failure }
        queue.append(job)
        if runnerWaiting { pthread_cond_broadcast(changed) }
    }

    /// Waits until every queued job has run, keeping the thread; throws the first failure. Afterwards,
    /// until the next job is queued, what the jobs touched may be read by the caller.
    func drain() throws(CommandError) {
        guard threaded else { return }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head < queue.count || running, failure == nil {
            callersWaiting += 1
            pthread_cond_wait(changed, mutex)
            callersWaiting -= 1
        }
        if let failure { throw failure }
    }

    /// Waits until every queued job has run and ends the thread; throws the first failure.
    func finish() throws(CommandError) {
        guard threaded else { return }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        closed = true
        pthread_cond_broadcast(changed)
        while !done { pthread_cond_wait(changed, mutex) }
        if let failure { throw failure }
    }

    /// Drops what is queued and ends the thread, waiting for the job running (the caller then
    /// removes the folder).
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
            while head == queue.count, !closed {
                runnerWaiting = true
                pthread_cond_wait(changed, mutex)
                runnerWaiting = false
            }
            guard head < queue.count, failure == nil else { break }
            var next = queue[head].take()
            head += 1
            if head >= capacity, head * 2 >= queue.count {
                queue.removeFirst(head)
                head = 0
            }
            if callersWaiting > 0, queue.count - head <= capacity / 2 { pthread_cond_broadcast(changed) }
            running = true
            pthread_mutex_unlock(mutex)
            var error: CommandError?
            do throws(CommandError) {
                try next?()
            } catch let failed {
                error = failed
            }
            // Freed here, outside the lock.
            next = nil
            pthread_mutex_lock(mutex)
            running = false
            if let error, failure == nil {
                failure = error
                pthread_cond_broadcast(changed)
            } else if callersWaiting > 0, head == queue.count {
                // Someone may wait in `drain`.
                pthread_cond_broadcast(changed)
            }
        }
        done = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// One file, as ``OutputDirectory/write(_:to:)`` writes it.
    private static func write(_ bytes: () -> [UInt8], to relativePath: String, staging: String, destination: String) throws(CommandError) {
        do {
            try FileSystem.create(staging + "/" + relativePath, bytes: bytes())
        } catch {
            throw failure(error, writing: relativePath, destination: destination)
        }
    }

    /// The error for a file that could not be written, named by its path in the output folder.
    private static func failure(_ error: FileSystem.Failure, writing relativePath: String, destination: String) -> CommandError {
        let reason = error.reason.contains("exists") ? "two outputs have this name (ids that differ only in case, on a case-insensitive disk?)" : error.reason
        return CommandError(.io, "cannot write \(destination)/\(relativePath): \(reason)")
    }
}
