public import PurchaseActionsEngine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One timed pass: a new engine ingests every event of a workload once.
public struct Pass: Sendable {
    /// Wall-clock seconds spent in `ingest`.
    public var seconds: Double
    /// CPU seconds of the calling thread spent in `ingest`.
    public var cpuSeconds: Double
    /// Events ingested.
    public var events: Int
    /// Effects the sink received.
    public var effects: Int

    /// Events per wall-clock second.
    public var eventsPerSecond: Double { Double(events) / seconds }
    /// Events per CPU second of the thread.
    public var eventsPerCPUSecond: Double { Double(events) / cpuSeconds }
}

extension Workload {
    /// Ingests every event into a new engine over `directory`; only the `ingest` loop is timed.
    /// Stops with a message if the engine refuses an event or records other effects than expected
    /// (3 per order line: a tag, an email and a POST).
    public func pass(directory: InMemoryContactDirectory) -> Pass {
        let sink = CountingEffectSink()
        let engine: Engine
        do { engine = try makeEngine(contacts: directory, effects: sink) } catch { fatalError("engine: \(error)") }
        let wall = ContinuousClock()
        let cpuStart = threadCPUTime()
        let wallStart = wall.now
        do {
            for event in events { try engine.ingest(event) }
        } catch {
            fatalError("ingest: \(error)")
        }
        let elapsed = wallStart.duration(to: wall.now)
        let cpu = threadCPUTime() - cpuStart
        guard sink.count == 3 * lines, sink.external == 2 * lines else {
            fatalError("expected \(3 * lines) effects (\(2 * lines) external), the sink has \(sink.count) (\(sink.external))")
        }
        return Pass(seconds: elapsed.seconds, cpuSeconds: cpu, events: events.count, effects: sink.count)
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}

/// CPU time of the calling thread, in seconds.
public func threadCPUTime() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}
