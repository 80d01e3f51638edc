// engine-throughput: the engine-throughput workload without the benchmark harness.
//
//   swift build -c release --product engine-throughput
//   .build/release/engine-throughput [--products 100,10000] [--events 50000] [--contacts 100000] [--runs 5] [--seed 42]
//
// For each product count (= product-specific workflows) it builds the workload (not timed), runs one
// warm-up pass, then `--runs` passes, alternating between the product counts so drift of the machine
// hits both alike. A pass is a new engine ingesting every event once; only the ingest loop is timed.
// It prints every pass, then best / median / worst events per second, and the ratio of the cost per
// event at the largest product count to that at the smallest (best against best).
import EngineWorkload

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Arguments {
    var products = [100, 10_000]
    var events = 50_000
    var contacts = 100_000
    var runs = 5
    var seed: UInt64 = 42
    var warmup = true

    static let usage = """
        usage: engine-throughput [--products LIST] [--events N] [--contacts N] [--runs N] [--seed N] [--no-warmup]

          --products LIST  product counts (product-specific workflows), comma-separated (default 100,10000)
          --events N       payment.succeeded events per pass (default 50000)
          --contacts N     contacts in the directory (default 100000)
          --runs N         timed passes per product count (default 5)
          --seed N         seed of the orders and contacts (default 42)
          --no-warmup      no untimed pass first
        """

    init(_ arguments: [String]) {
        var rest = arguments[...]
        func value(_ name: String) -> String {
            guard let value = rest.popFirst() else { Self.fail("\(name) needs a value") }
            return value
        }
        func number(_ name: String) -> Int {
            guard let number = Int(value(name).replacing("_", with: "")), number > 0 else { Self.fail("\(name) needs a positive number") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--products":
                let list = value(argument).split(separator: ",").map { Int($0.replacing("_", with: "")) }
                guard !list.isEmpty, list.allSatisfy({ ($0 ?? 0) >= 3 }) else { Self.fail("--products needs numbers of 3 or more") }
                products = list.map { $0! }
            case "--events": events = number(argument)
            case "--contacts": contacts = number(argument)
            case "--runs": runs = number(argument)
            case "--seed": seed = UInt64(number(argument))
            case "--no-warmup": warmup = false
            case "-h", "--help":
                print(Self.usage)
                exit(0)
            default: Self.fail("unknown argument \(argument)")
            }
        }
    }

    static func fail(_ message: String) -> Never {
        let text = "engine-throughput: \(message)\n\(usage)\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
}

func format(_ value: Double, _ digits: Int = 0) -> String {
    var scaled = value
    for _ in 0..<digits { scaled *= 10 }
    let rounded = Int(scaled.rounded())
    guard digits > 0 else { return grouped(rounded) }
    var unit = 1
    for _ in 0..<digits { unit *= 10 }
    let fraction = String(abs(rounded) % unit)
    return grouped(rounded / unit) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
}

func grouped(_ value: Int) -> String {
    let digits = String(abs(value))
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out += "," }
        out.append(character)
    }
    return (value < 0 ? "-" : "") + out
}

func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }

let arguments = Arguments(Array(CommandLine.arguments.dropFirst()))
print("engine-throughput: \(arguments.events) events per pass, \(arguments.contacts) contacts, \(arguments.runs) runs, seed \(arguments.seed)")

struct Case {
    let workload: EngineWorkload.Workload
    /// One timed pass over the workload's own contact directory.
    let pass: () -> Pass
    var passes: [Pass] = []
}

var cases: [Case] = []
for products in arguments.products {
    let clock = ContinuousClock()
    let started = clock.now
    let workload = Workload(products: products, contacts: arguments.contacts, events: arguments.events, seed: arguments.seed)
    let directory = workload.makeDirectory()
    let built = started.duration(to: clock.now).seconds
    let engineStart = clock.now
    _ = try workload.makeEngine(contacts: directory, effects: CountingEffectSink())
    let engineSeconds = engineStart.duration(to: clock.now).seconds
    print(
        "setup N=\(products): \(workload.workflows.count) workflows (\(products) product slots), \(workload.events.count) events, "
            + "\(workload.lines) order lines, timezone \(workload.timezone); built in \(format(built, 2)) s, Engine.init \(format(engineSeconds * 1000, 1)) ms")
    cases.append(Case(workload: workload, pass: { workload.pass(directory: directory) }))
}

if arguments.warmup {
    for index in cases.indices { _ = cases[index].pass() }
}

print("")
print("run  \(pad("products", 8))  \(pad("seconds", 8))  \(pad("events/s", 10))  \(pad("events/CPU-s", 12))  \(pad("µs/event", 8))")
for run in 1...arguments.runs {
    for index in cases.indices {
        let pass = cases[index].pass()
        cases[index].passes.append(pass)
        print(
            "\(pad(String(run), 3))  \(pad(grouped(cases[index].workload.products), 8))  \(pad(format(pass.seconds, 3), 8))  "
                + "\(pad(format(pass.eventsPerSecond), 10))  \(pad(format(pass.eventsPerCPUSecond), 12))  \(pad(format(1e6 / pass.eventsPerSecond, 2), 8))")
    }
}

print("")
print("\(pad("products", 8))  \(pad("workflows", 9))  \(pad("best ev/s", 10))  \(pad("median ev/s", 11))  \(pad("worst ev/s", 10))  \(pad("spread", 6))")
for item in cases {
    let rates = item.passes.map(\.eventsPerSecond).sorted()
    let best = rates.last!, worst = rates.first!
    let median = rates.count % 2 == 1 ? rates[rates.count / 2] : (rates[rates.count / 2 - 1] + rates[rates.count / 2]) / 2
    print(
        "\(pad(grouped(item.workload.products), 8))  \(pad(grouped(item.workload.workflows.count), 9))  \(pad(format(best), 10))  "
            + "\(pad(format(median), 11))  \(pad(format(worst), 10))  \(pad(format((best - worst) / best * 100, 1) + "%", 6))")
}

if let small = cases.min(by: { $0.workload.products < $1.workload.products }),
    let large = cases.max(by: { $0.workload.products < $1.workload.products }), small.workload.products != large.workload.products
{
    let bestSmall = small.passes.map(\.eventsPerSecond).max()!
    let bestLarge = large.passes.map(\.eventsPerSecond).max()!
    let ratio = bestSmall / bestLarge
    print("")
    print(
        "cost per event, \(grouped(large.workload.products)) vs \(grouped(small.workload.products)) product workflows (best vs best): "
            + "\(format(ratio, 2))x (target <= 1.5x: \(ratio <= 1.5 ? "PASS" : "FAIL"))")
    print("events/s at \(grouped(large.workload.products)) product workflows (best): \(format(bestLarge)) (target >= 200,000: \(bestLarge >= 200_000 ? "PASS" : "FAIL"))")
}
