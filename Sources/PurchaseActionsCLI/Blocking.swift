#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Runs async work from a synchronous command's `run()`: the command line's `main` is
/// synchronous (``ParsableCommand/mainEscapingErrors()``), the store and the worker are async.
///
/// The calling thread waits on a semaphore while the work runs on Swift's cooperative pool (the
/// calling thread is not one of the pool's).
enum Blocking {
    /// The value of `work`, or the error it threw.
    static func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Mutex<Result<T, any Error>?>(nil)
        let done = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
        sem_init(done, 0, 0)
        defer {
            sem_destroy(done)
            done.deallocate()
        }
        let semaphore = SendablePointer(pointer: done)
        Task.detached {
            let result: Result<T, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            box.withLock { $0 = result }
            sem_post(semaphore.pointer)
        }
        while sem_wait(done) != 0 {}
        return try box.withLock { $0! }.get()
    }
}

/// A semaphore handed to the task that posts it (it outlives the task: the caller waits for it).
private struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<sem_t>
}
