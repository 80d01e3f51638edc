// Engine throughput ("plan": ingest → match → enroll → run immediate steps → effects recorded) with
// 100 and 10,000 product-specific workflows and 100,000 contacts (Benchmarks/README.md, "Engine
// throughput"). Run from Benchmarks/EngineBenchmarks with `swift package --disable-sandbox benchmark`.
//
// Each iteration ingests the next 1,000 events of a pre-generated stream of 50,000 into one engine
// (scalingFactor .kilo, so the throughput column is events per second and the other starred columns
// are per event). At the end of the stream a new engine starts again at its first event, outside the
// measurement, so a run lasts about `maxDuration` whatever the engine's speed. Building the account,
// the contacts, the events and the first engine happens in `setup`, outside the measurement.
import Benchmark
import EngineWorkload
import PurchaseActionsEngine

/// The state of one benchmark: its workload, directory and engine, and where it is in the stream.
final class Run {
    static let batch = BenchmarkScalingFactor.kilo.rawValue
    let products: Int
    let eventCount: Int
    var workload: Workload?
    var directory: InMemoryContactDirectory?
    var engine: Engine?
    var sink = CountingEffectSink()
    var next = 0

    init(products: Int, eventCount: Int) {
        self.products = products
        self.eventCount = eventCount
    }

    func setUp() throws {
        let workload = Workload(products: products, contacts: 100_000, events: eventCount)
        let directory = workload.makeDirectory()
        self.workload = workload
        self.directory = directory
        try restart()
    }

    /// A new engine at the start of the stream (when the harness runs more iterations than planned).
    func restart() throws {
        sink = CountingEffectSink()
        engine = try workload!.makeEngine(contacts: directory!, effects: sink)
        next = 0
    }

    func tearDown() {
        engine = nil
        directory = nil
        workload = nil
    }

    /// Ingests the next `batch` events.
    func iteration(_ benchmark: Benchmark) throws {
        if next + Self.batch > workload!.events.count {
            try restart()
        }
        let engine = engine!
        let events = workload!.events
        let end = next + Self.batch
        benchmark.startMeasurement()
        for index in next..<end {
            try engine.ingest(events[index])
        }
        benchmark.stopMeasurement()
        next = end
    }
}

let benchmarks = {
    for products in [100, 10_000] {
        let run = Run(products: products, eventCount: 50 * Run.batch)
        Benchmark(
            "plan, \(products) product workflows",
            configuration: .init(
                metrics: [.throughput, .wallClock, .cpuUser, .mallocCountTotal, .peakMemoryResident],
                timeUnits: .microseconds,
                warmupIterations: 1,
                scalingFactor: .kilo,
                maxDuration: .seconds(5),
                maxIterations: 100_000
            ),
            closure: { benchmark in try run.iteration(benchmark) },
            setup: { try run.setUp() },
            teardown: { run.tearDown() }
        )
    }
}
